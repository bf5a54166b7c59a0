#include <doctest/doctest.h>

#include <map>
#include <nlohmann/json.hpp>

#include "reports/render.hpp"
#include "tests/reports/fixture.hpp"

using namespace hubbench;
using namespace hubbench::reports;
using hubbench::test::ReportFixture;

namespace {

ReportData report_of(const ReportFixture& f) {
    auto store = results::ResultStore::open_for_reading(f.path);
    return build_report(store);
}

// An RFC 4180 reader written for the test: records end with CRLF, quoted fields may hold commas,
// CR, LF and doubled quotes. Throws on a stray quote so that bad quoting cannot pass.
std::vector<std::vector<std::string>> parse_csv(const std::string& text) {
    std::vector<std::vector<std::string>> records;
    std::vector<std::string> record;
    std::string field;
    std::size_t i = 0;
    bool quoted = false, was_quoted = false;
    while (i < text.size()) {
        char c = text[i];
        if (quoted) {
            if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') {
                field += '"';
                i += 2;
            } else if (c == '"') {
                quoted = false;
                ++i;
            } else {
                field += c;
                ++i;
            }
            continue;
        }
        if (c == '"') {
            if (!field.empty() || was_quoted) throw std::runtime_error("quote inside an unquoted field");
            quoted = was_quoted = true;
            ++i;
        } else if (c == ',') {
            record.push_back(field);
            field.clear();
            was_quoted = false;
            ++i;
        } else if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') {
            record.push_back(field);
            records.push_back(record);
            record.clear();
            field.clear();
            was_quoted = false;
            i += 2;
        } else if (c == '\n' || c == '\r') {
            throw std::runtime_error("bare line break outside quotes");
        } else {
            if (was_quoted) throw std::runtime_error("text after a closing quote");
            field += c;
            ++i;
        }
    }
    if (quoted) throw std::runtime_error("unterminated quote");
    if (!field.empty() || !record.empty()) throw std::runtime_error("last record without CRLF");
    return records;
}

using Row = std::map<std::string, std::string>;

std::vector<Row> csv_rows(const std::string& text) {
    auto records = parse_csv(text);
    REQUIRE(!records.empty());
    std::vector<Row> rows;
    for (std::size_t r = 1; r < records.size(); ++r) {
        REQUIRE(records[r].size() == records[0].size());
        Row row;
        for (std::size_t c = 0; c < records[0].size(); ++c) row[records[0][c]] = records[r][c];
        rows.push_back(row);
    }
    return rows;
}

const Row& find_row(const std::vector<Row>& rows, const std::string& repo, const std::string& metric) {
    for (const auto& r : rows) {
        if (r.at("repo_id") == repo && r.at("metric") == metric) return r;
    }
    FAIL("no CSV row for " << repo << " " << metric);
    static Row none;
    return none;
}

const nlohmann::json& find_model(const nlohmann::json& j, const std::string& repo) {
    for (const auto& m : j.at("models")) {
        if (m.at("repo_id") == repo) return m;
    }
    FAIL("no model " << repo);
    static nlohmann::json none;
    return none;
}

}  // namespace

TEST_SUITE("unit") {
TEST_CASE("the csv parses back with one row per model result and metric") {
    ReportFixture f;
    auto text = render_csv(report_of(f));
    auto rows = csv_rows(text);
    // Run 3: tiny-gpt2 perplexity 4 + speed 5 + classification 5, tiny-bert pppl 4 + sts 2 +
    // classification 4, the markup model perplexity 2 + classification 4; plus the failed tiny-bert
    // speed result and the not applicable tiny-gpt2 cloze row.
    CHECK(rows.size() == 32);
    const auto& bpb = find_row(rows, ReportFixture::gpt2, "bits_per_byte");
    CHECK(bpb.at("run_id") == "3");
    CHECK(bpb.at("run_label") == "nightly");
    CHECK(bpb.at("commit_sha") == ReportFixture::gpt2_commit);
    CHECK(bpb.at("kind") == "decoder");
    CHECK(bpb.at("parameters") == "124439808");
    CHECK(bpb.at("task") == "perplexity");
    CHECK(bpb.at("dataset") == "wikitext-2-raw/test");
    CHECK(bpb.at("dataset_sha256") == ReportFixture::wiki_sha);
    CHECK(bpb.at("task_parameters") == R"({"max_length":256,"stride":256})");
    CHECK(bpb.at("status") == "ok");
    CHECK(std::stod(bpb.at("value")) == 1.60);
    CHECK(std::stod(bpb.at("std_error")) == 0.01);
    CHECK(bpb.at("higher_is_better") == "false");  // from the stored meaning: the value had none
    CHECK(bpb.at("pseudo") == "false");
    CHECK(std::stod(bpb.at("baseline_value")) == 1.50);
    CHECK(std::stod(bpb.at("delta")) == doctest::Approx(0.10));
    CHECK(std::stod(bpb.at("relative_delta")) == doctest::Approx(0.10 / 1.50));
    CHECK(bpb.at("change") == "worse");
    const auto& pseudo = find_row(rows, ReportFixture::bert, "pseudo_bits_per_byte");
    CHECK(pseudo.at("kind") == "encoder");
    CHECK(pseudo.at("task") == "pppl");
    CHECK(pseudo.at("pseudo") == "true");
    CHECK(pseudo.at("change") == "same");
    const auto& rss = find_row(rows, ReportFixture::gpt2, "peak_rss_mb");
    CHECK(rss.at("value") == "100");
    CHECK(rss.at("unit") == "MiB");
    CHECK(find_row(rows, ReportFixture::evil, "word_ppl").at("value") == "inf");
}

TEST_CASE("csv quotes commas quotes and markup in fields exactly") {
    ReportFixture f;
    auto rows = csv_rows(render_csv(report_of(f)));
    const auto& failed = find_row(rows, ReportFixture::bert, "");
    CHECK(failed.at("status") == "failed");
    CHECK(failed.at("task") == "speed");
    CHECK(failed.at("error") == ReportFixture::speed_error);
    CHECK(failed.at("value").empty());
    const auto& evil = find_row(rows, ReportFixture::evil, "bits_per_byte");
    CHECK(evil.at("licence") == "<i>other</i>");
    CHECK(evil.at("task_parameters") == R"({"max_length":256,"stride":128})");
}

TEST_CASE("the json parses back with stable keys") {
    ReportFixture f;
    auto j = nlohmann::json::parse(render_json(report_of(f)));
    CHECK(j.at("format") == "hubbench-report");
    CHECK(j.at("format_version") == 1);
    CHECK(j.at("run").at("id") == 3);
    CHECK(j.at("run").at("label") == "nightly");
    CHECK(j.at("run").at("host").at("name") == "bench-host");
    CHECK(j.at("run").at("blas") == "OpenBLAS 0.3.21");
    CHECK(j.at("run").at("threads") == 4);
    CHECK(j.at("baseline").at("id") == 1);
    CHECK(j.at("baseline_note").is_null());
    CHECK(j.at("thresholds").at("relative") == 0.01);
    REQUIRE(j.at("models").size() == 3);
    const auto& gpt2 = find_model(j, ReportFixture::gpt2);
    CHECK(gpt2.at("kind") == "decoder");
    CHECK(gpt2.at("parameters") == 124439808);
    CHECK(gpt2.at("dtype") == "float32");
    CHECK(gpt2.at("licence") == "mit");
    const auto& bpb = gpt2.at("headline").at("bits_per_byte");
    CHECK(bpb.at("value") == 1.60);
    CHECK(bpb.at("std_error") == 0.01);
    CHECK(bpb.at("baseline").at("value") == 1.50);
    CHECK(bpb.at("baseline").at("change") == "worse");
    CHECK(gpt2.at("headline").at("peak_memory_mib").at("value") == 100.0);
    CHECK(gpt2.at("headline").at("sts_spearman").is_null());
    const auto& bert = find_model(j, ReportFixture::bert);
    CHECK(bert.at("kind") == "encoder");
    CHECK(bert.at("headline").at("bits_per_byte").at("pseudo") == true);
    CHECK(bert.at("headline").at("perplexity").at("name") == "pppl");
    CHECK(bert.at("failures") == 1);
    const auto& evil = find_model(j, ReportFixture::evil);
    CHECK(evil.at("results").at(0).at("parameters").at("stride") == 128);
    bool found_inf = false;
    for (const auto& m : evil.at("results").at(0).at("metrics")) found_inf = found_inf || (m.at("name") == "word_ppl" && m.at("value") == "inf");
    CHECK(found_inf);
}

TEST_CASE("json changes failures and datasets carry the verdicts and reasons") {
    ReportFixture f;
    auto j = nlohmann::json::parse(render_json(report_of(f)));
    int worse = 0;
    for (const auto& c : j.at("changes")) {
        if (c.at("change") != "worse") continue;
        ++worse;
        CHECK(c.at("repo_id") == ReportFixture::gpt2);
        CHECK(c.at("task") == "perplexity");
    }
    CHECK(worse == 2);
    CHECK(j.at("counts").at("worse") == 2);
    CHECK(j.at("counts").at("better") == 1);
    CHECK(j.at("counts").at("only_baseline") == 2);
    REQUIRE(j.at("failed_results").size() == 1);
    CHECK(j.at("failed_results")[0].at("error") == ReportFixture::speed_error);
    CHECK(j.at("failed_results")[0].at("status") == "failed");
    REQUIRE(j.at("failed_trials").size() == 1);
    CHECK(j.at("failed_trials")[0].at("reason") == ReportFixture::trial_reason);
    CHECK(j.at("failed_trials")[0].at("details").at("architecture") == "T5");
    CHECK(j.at("failed_trials")[0].at("commit_sha").is_null());
    CHECK(j.at("selected_trials") == 3);
    REQUIRE(j.at("datasets").size() == 4);
    CHECK(j.at("datasets")[3].at("sha256") == ReportFixture::wiki_sha);
    CHECK(j.at("datasets")[3].at("bytes") == 1290590);
}

TEST_CASE("csv marks the metric each result is ranked by and lists not applicable rows as skipped") {
    ReportFixture f;
    auto rows = csv_rows(render_csv(report_of(f)));
    auto classification = [&](const std::string& repo, const std::string& metric) -> const Row& {
        for (const auto& r : rows) {
            if (r.at("repo_id") == repo && r.at("task") == "classification" && r.at("metric") == metric) return r;
        }
        FAIL("no classification row for " << repo << " " << metric);
        static Row none;
        return none;
    };
    CHECK(classification(ReportFixture::gpt2, "accuracy").at("significance") == "best");
    CHECK(classification(ReportFixture::gpt2, "macro_f1").at("significance").empty());
    CHECK(classification(ReportFixture::bert, "accuracy").at("significance") == "tied");
    CHECK(classification(ReportFixture::evil, "accuracy").at("significance") == "worse");
    CHECK(find_row(rows, ReportFixture::gpt2, "prefill_tps_512").at("significance").empty());  // speed ranks nothing
    CHECK(find_row(rows, ReportFixture::gpt2, "bits_per_byte").at("significance") == "best");
    const auto& skipped = classification(ReportFixture::gpt2, "");
    CHECK(skipped.at("status") == "skipped");
    CHECK(skipped.at("error") == ReportFixture::cloze_reason);
    CHECK(skipped.at("task_parameters") == R"({"method":"cloze"})");
}

TEST_CASE("json carries significance methods the encoder or decoder summary and what is not applicable") {
    ReportFixture f;
    auto j = nlohmann::json::parse(render_json(report_of(f)));
    auto classification = [](const nlohmann::json& model) -> const nlohmann::json& {
        for (const auto& r : model.at("results")) {
            if (r.at("task") == "classification") return r;
        }
        FAIL("no classification result");
        static nlohmann::json none;
        return none;
    };
    const auto& gpt2 = find_model(j, ReportFixture::gpt2);
    CHECK(gpt2.at("failures") == 0);
    CHECK(gpt2.at("not_applicable") == 1);
    const auto& best = classification(gpt2);
    CHECK(best.at("method") == "likelihood");
    CHECK(best.at("significance") == "best");
    CHECK(best.at("ranked_by") == "accuracy");
    CHECK(best.at("question_size") == 3);
    CHECK(best.at("distinct_parameters") == "");
    CHECK(classification(find_model(j, ReportFixture::bert)).at("significance") == "tied");
    CHECK(classification(find_model(j, ReportFixture::evil)).at("significance") == "worse");
    // Speed ranks nothing; a result without a method has a null one.
    for (const auto& r : gpt2.at("results")) {
        if (r.at("task") == "speed") {
            CHECK(r.at("significance").is_null());
            CHECK(r.at("ranked_by").is_null());
            CHECK(r.at("method").is_null());
        }
    }

    REQUIRE(j.at("not_applicable").size() == 1);
    const auto& na = j.at("not_applicable")[0];
    CHECK(na.at("repo_id") == ReportFixture::gpt2);
    CHECK(na.at("task") == "classification");
    CHECK(na.at("method") == "cloze");
    CHECK(na.at("dataset") == "sst2/dev");
    CHECK(na.at("parameters").at("method") == "cloze");
    CHECK(na.at("reason") == ReportFixture::cloze_reason);
    for (const auto& failed : j.at("failed_results")) CHECK(failed.at("status") == "failed");

    REQUIRE(j.at("encoder_or_decoder").size() == 5);
    const auto& pick = j.at("encoder_or_decoder")[4];
    CHECK(pick.at("task") == "classification");
    CHECK(pick.at("label") == "Classification");
    CHECK(pick.at("dataset") == "sst2/dev");
    CHECK(pick.at("dataset_sha256") == ReportFixture::sst2_sha);
    CHECK(pick.at("parameters") == nlohmann::json::object());
    CHECK(pick.at("pick") == "decoder");
    CHECK(pick.at("runner_up") == "tied");
    CHECK(pick.at("faster") == "encoder");
    CHECK(pick.at("speedup") == 4.0);
    CHECK(pick.at("encoder").at("repo_id") == ReportFixture::bert);
    CHECK(pick.at("encoder").at("method") == "probe");
    CHECK(pick.at("encoder").at("metric").at("name") == "accuracy");
    CHECK(pick.at("encoder").at("metric").at("value") == 0.70);
    CHECK(pick.at("encoder").at("items_per_second") == 400.0);
    CHECK(pick.at("encoder").at("significance") == "tied");
    CHECK(pick.at("decoder").at("repo_id") == ReportFixture::gpt2);
    CHECK(pick.at("decoder").at("significance") == "best");
    const auto& ppl = j.at("encoder_or_decoder")[1];
    CHECK(ppl.at("task") == "perplexity");
    CHECK(ppl.at("distinct_parameters") == "stride=256");
    CHECK(ppl.at("encoder").is_null());
    CHECK(ppl.at("runner_up").is_null());
    CHECK(ppl.at("speedup").is_null());
    CHECK(ppl.at("decoder").at("items_per_second").is_null());
}
}
