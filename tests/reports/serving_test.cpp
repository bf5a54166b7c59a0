// The serving section: served-load rows (the speed task against a served model, one result per
// load level) gathered apart from the ordinary speed rows and shown in every format.
#include <doctest/doctest.h>

#include <map>
#include <nlohmann/json.hpp>
#include <regex>
#include <sstream>

#include "reports/format.hpp"
#include "reports/render.hpp"
#include "reports/svg_charts.hpp"
#include "tests/reports/fixture.hpp"
#include "tests/reports/markdown_table.hpp"
#include "tests/reports/serving_fixture.hpp"

using namespace hubbench;
using namespace hubbench::reports;
using hubbench::test::ReportFixture;
using hubbench::test::ServingFixture;

namespace {

ReportData report_of(const fs::path& path) {
    auto store = results::ResultStore::open_for_reading(path);
    return build_report(store);
}

using test::cells;
using test::lines_of;

// The first table after the line that equals `heading`, as rows of cells (header and separator included).
std::vector<std::vector<std::string>> table_after(const std::string& text, const std::string& heading) {
    std::vector<std::vector<std::string>> rows;
    bool found = false;
    for (const auto& line : lines_of(text)) {
        if (!found) {
            found = line == heading;
            continue;
        }
        if (line.rfind("|", 0) == 0) rows.push_back(cells(line));
        else if (!rows.empty()) break;
    }
    return rows;
}

// The text from the line `start` up to the next line starting with `end_prefix` (or the end).
std::string section(const std::string& text, const std::string& start, const std::string& end_prefix) {
    auto at = text.find("\n" + start + "\n");
    if (at == std::string::npos) return "";
    auto end = text.find("\n" + end_prefix, at + start.size() + 1);
    return text.substr(at + 1, end == std::string::npos ? std::string::npos : end - at - 1);
}

std::size_t count(const std::string& text, const std::string& what) {
    std::size_t n = 0;
    for (auto pos = text.find(what); pos != std::string::npos; pos = text.find(what, pos + 1)) ++n;
    return n;
}

// The <svg>…</svg> elements with the class, in order.
std::vector<std::string> svgs(const std::string& html, const std::string& css_class) {
    std::vector<std::string> out;
    const std::string open = "<svg class=\"" + css_class + "\"";
    for (auto pos = html.find(open); pos != std::string::npos; pos = html.find(open, pos + 1)) {
        auto end = html.find("</svg>", pos);
        REQUIRE(end != std::string::npos);
        out.push_back(html.substr(pos, end + 6 - pos));
    }
    return out;
}

// The texts of the <text> elements inside the <g class="…"> group.
std::vector<std::string> group_texts(const std::string& svg, const std::string& group) {
    auto at = svg.find("<g class=\"" + group + "\">");
    REQUIRE(at != std::string::npos);
    auto end = svg.find("</g>", at);
    const std::string g = svg.substr(at, end - at);
    std::vector<std::string> out;
    static const std::regex text(R"(<text[^>]*>([^<]*)</text>)");
    for (auto it = std::sregex_iterator(g.begin(), g.end(), text); it != std::sregex_iterator(); ++it) out.push_back((*it)[1]);
    return out;
}

// The x coordinates of a polyline's points.
std::vector<double> polyline_xs(const std::string& polyline) {
    auto at = polyline.find("points=\"");
    REQUIRE(at != std::string::npos);
    std::istringstream in(polyline.substr(at + 8, polyline.find('"', at + 8) - at - 8));
    std::vector<double> xs;
    for (std::string point; in >> point;) xs.push_back(std::stod(point.substr(0, point.find(','))));
    return xs;
}

std::vector<std::string> polylines(const std::string& svg) {
    std::vector<std::string> out;
    for (auto pos = svg.find("<polyline"); pos != std::string::npos; pos = svg.find("<polyline", pos + 1)) {
        out.push_back(svg.substr(pos, svg.find("/>", pos) + 2 - pos));
    }
    return out;
}

// An RFC 4180 reader: CRLF record ends, quoted fields with doubled quotes.
std::vector<std::vector<std::string>> parse_csv(const std::string& text) {
    std::vector<std::vector<std::string>> records;
    std::vector<std::string> record;
    std::string field;
    bool quoted = false;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (quoted) {
            if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') {
                field += '"';
                ++i;
            } else if (c == '"') {
                quoted = false;
            } else {
                field += c;
            }
        } else if (c == '"') {
            quoted = true;
        } else if (c == ',') {
            record.push_back(std::move(field));
            field.clear();
        } else if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') {
            record.push_back(std::move(field));
            field.clear();
            records.push_back(std::move(record));
            record.clear();
            ++i;
        } else {
            field += c;
        }
    }
    REQUIRE_FALSE(quoted);
    REQUIRE(field.empty());
    REQUIRE(record.empty());
    return records;
}

std::vector<std::string> level_texts(const ServingSeries& s) {
    std::vector<std::string> out;
    for (const auto& l : s.levels) out.push_back(load_text(l.load));
    return out;
}

}  // namespace

TEST_SUITE("unit") {
TEST_CASE("served-load rows are gathered per model and endpoint in level order") {
    ServingFixture f;
    auto r = report_of(f.path);
    REQUIRE(r.serving.size() == 2);
    const auto& alpha = r.serving[0];
    const auto& beta = r.serving[1];
    CHECK(alpha.repo_id == ServingFixture::alpha);
    CHECK(alpha.commit_sha == ServingFixture::alpha_commit);
    CHECK(alpha.endpoint == "chat");
    CHECK(alpha.prompt_tokens == 128);
    CHECK(alpha.output_tokens == 64);
    CHECK(alpha.distinct_parameters == "");
    // Without the level, nor the requests sent at it (16, 16 and 64 here): one series.
    CHECK(nlohmann::json::parse(alpha.parameters) ==
          nlohmann::json{{"endpoint", "chat"}, {"output_tokens", 64}, {"prompt_tokens", 128}, {"threads", 4}});
    // Recorded as 16, 1, 4 and a rate: concurrency ascending, then the rate.
    CHECK(level_texts(alpha) == std::vector<std::string>{"concurrency 1", "concurrency 4", "concurrency 16", "2.5 req/s"});
    CHECK(alpha.levels[3].load.kind == LoadKind::request_rate);
    CHECK(alpha.levels[3].load.value == 2.5);
    REQUIRE(alpha.levels[1].metric("ttft_ms_p50") != nullptr);
    CHECK(alpha.levels[1].metric("ttft_ms_p50")->value == 30);
    CHECK(alpha.levels[2].metric("requests")->value == 512);
    CHECK(beta.repo_id == ServingFixture::beta);
    CHECK(beta.endpoint == "completions");
    CHECK(beta.slo_ttft_ms == 100);
    CHECK_FALSE(beta.slo_itl_ms);
    CHECK_FALSE(alpha.slo_ttft_ms);
    CHECK(beta.distinct_parameters == "");  // the objective is named in the heading, not among the parameters
    // Its failed level (concurrency 64) is a failure, not a level.
    CHECK(level_texts(beta) == std::vector<std::string>{"concurrency 1", "concurrency 4", "concurrency 16"});
    CHECK(beta.levels[1].metric("ttft_ms_p50")->value == 40);
    REQUIRE(r.failed_results.size() == 1);
    CHECK(r.failed_results[0].error == ServingFixture::failed_error);

    // The ordinary speed row keeps its place: the task list, no load, no parameters told apart by
    // the served rows' keys, its headline figures; served rows fill no headline.
    CHECK(r.tasks == std::vector<std::string>{"speed"});
    for (const auto& m : r.models) {
        for (const auto& res : m.results) {
            CHECK_MESSAGE(res.load.has_value() == (m.repo_id != ServingFixture::native), m.repo_id);
            if (!res.load) CHECK(res.distinct_parameters == "");
        }
        bool any_headline = false;
        for (const auto& cell : m.headline) any_headline = any_headline || cell.has_value();
        CHECK_MESSAGE(any_headline == (m.repo_id == ServingFixture::native), m.repo_id);
    }
}

TEST_CASE("a report without served-load rows has no serving section") {
    ReportFixture f;
    auto r = report_of(f.path);
    CHECK(r.serving.empty());
    for (const auto& m : r.models) {
        for (const auto& res : m.results) CHECK_FALSE(res.load.has_value());
    }
    CHECK(render_markdown(r).find("Serving under load") == std::string::npos);
    CHECK(render_html(r).find("id=\"serving\"") == std::string::npos);
    CHECK(report_to_json(r).at("serving").empty());
}

TEST_CASE("the load level is read from the speed task's concurrency or request_rate") {
    auto level = load_level_of("speed", R"({"concurrency":8,"endpoint":"chat"})");
    REQUIRE(level);
    CHECK(level->kind == LoadKind::concurrency);
    CHECK(level->value == 8);
    level = load_level_of("speed", R"({"request_rate":0.5})");
    REQUIRE(level);
    CHECK(level->kind == LoadKind::request_rate);
    CHECK(level->value == 0.5);
    // Both: the rate drives the load, the concurrency caps it.
    level = load_level_of("speed", R"({"concurrency":32,"request_rate":4})");
    REQUIRE(level);
    CHECK(level->kind == LoadKind::request_rate);
    CHECK(level->value == 4);
    CHECK_FALSE(load_level_of("speed", R"({"batch_size":1,"threads":4})"));
    CHECK_FALSE(load_level_of("speed", "{}"));
    CHECK_FALSE(load_level_of("classification", R"({"concurrency":8})"));
    CHECK_FALSE(load_level_of("speed", R"({"concurrency":"many"})"));
    CHECK(load_text({LoadKind::concurrency, 16}) == "concurrency 16");
    CHECK(load_text({LoadKind::request_rate, 2.5}) == "2.5 req/s");
}

TEST_CASE("the markdown serving section has a table per model with a row per level") {
    ServingFixture f;
    const auto md = render_markdown(report_of(f.path));
    const auto serving = section(md, "## Serving under load", "## ");
    REQUIRE_FALSE(serving.empty());
    // After the ordinary task tables, before the failures.
    CHECK(md.find("## Results by task") < md.find("## Serving under load"));
    CHECK(md.find("## Serving under load") < md.find("## Failures"));
    CHECK(serving.find("TTFT = time to first token") != std::string::npos);
    CHECK(serving.find("ITL = inter-token latency") != std::string::npos);
    CHECK(serving.find("measured on the client's monotonic clock") != std::string::npos);
    CHECK(count(serving, "\n### ") == 2);

    const std::string alpha_heading = "### **served/alpha-1b** `aaaaaaa`: chat endpoint, 128 prompt + 64 output tokens";
    const std::string beta_heading =
        "### **served/beta-1b** `bbbbbbb`: completions endpoint, 128 prompt + 64 output tokens, goodput SLOs: TTFT ≤ 100 ms";
    CHECK(serving.find(alpha_heading) < serving.find(beta_heading));
    auto alpha = table_after(md, alpha_heading);
    REQUIRE(alpha.size() == 6);  // header, separator, 3 concurrency levels, 1 rate
    CHECK(alpha[0] == std::vector<std::string>{"Load", "Requests", "Failed", "req/s ↑", "output tok/s ↑", "goodput req/s ↑",
                                               "TTFT p50 (ms) ↓", "TTFT p90 (ms) ↓", "TTFT p99 (ms) ↓", "ITL p50 (ms) ↓",
                                               "ITL p90 (ms) ↓", "ITL p99 (ms) ↓", "E2E p50 (ms) ↓", "E2E p90 (ms) ↓",
                                               "E2E p99 (ms) ↓"});
    CHECK(alpha[1][1] == "---:");
    CHECK(alpha[2] == std::vector<std::string>{"concurrency 1", "32", "0", "1.5", "96", "1.35", "15", "22.5", "30", "8.5", "10.5",
                                               "13.5", "110", "132", "165"});
    CHECK(alpha[3] == std::vector<std::string>{"concurrency 4", "128", "0", "6", "384", "5.4", "30", "45", "60", "10", "12", "15",
                                               "140", "168", "210"});
    CHECK(alpha[4] == std::vector<std::string>{"concurrency 16", "512", "2", "24", "1536", "21.6", "90", "135", "180", "16", "18", "21",
                                               "260", "312", "390"});
    CHECK(alpha[5] == std::vector<std::string>{"2.5 req/s", "50", "0", "2.5", "160", "2.5", "22", "33", "44", "9", "11", "14", "120",
                                               "144", "180"});
    auto beta = table_after(md, beta_heading);
    REQUIRE(beta.size() == 5);
    CHECK(beta[2][0] == "concurrency 1");
    CHECK(beta[3][0] == "concurrency 4");
    CHECK(beta[3][6] == "40");    // TTFT p50: beta's own figures, not alpha's
    CHECK(beta[4][0] == "concurrency 16");
    CHECK(beta[4][2] == "2");
    CHECK(serving.find("concurrency 64") == std::string::npos);  // the failed level
    CHECK(md.find(ServingFixture::failed_error) != std::string::npos);
}

TEST_CASE("the ordinary speed row stays in the speed table and out of the serving tables") {
    ServingFixture f;
    const auto md = render_markdown(report_of(f.path));
    auto speed = table_after(md, "### Speed and memory (speed)");
    REQUIRE(speed.size() == 3);  // header, separator, the one ordinary row
    CHECK(speed[2][0] == "**fixtures/tiny-gpt2** `1111111`");
    // No Parameters column made up of the served rows' keys, and none of their metrics.
    const std::string speed_text = section(md, "### Speed and memory (speed)", "#");
    CHECK(speed_text.find("Parameters") == std::string::npos);
    CHECK(speed_text.find("concurrency") == std::string::npos);
    CHECK(speed_text.find("ttft") == std::string::npos);
    CHECK(speed_text.find("served/") == std::string::npos);
    CHECK(std::find(speed[0].begin(), speed[0].end(), "decode tok/s ↑") != speed[0].end());
    const auto serving = section(md, "## Serving under load", "## ");
    CHECK(serving.find("tiny-gpt2") == std::string::npos);
    CHECK(serving.find("1234") == std::string::npos);  // its prefill figure
}

TEST_CASE("the html serving section draws latency against load as svg line charts") {
    ServingFixture f;
    const auto html = render_html(report_of(f.path));
    auto at = html.find("<section id=\"serving\">");
    REQUIRE(at != std::string::npos);
    const std::string serving = html.substr(at, html.find("</section>", at) - at);
    CHECK(serving.find("TTFT = time to first token") != std::string::npos);
    CHECK(serving.find("id=\"serving-table-1\"") != std::string::npos);
    CHECK(serving.find("id=\"serving-table-2\"") != std::string::npos);
    CHECK(count(serving, "<svg") == 4);
    auto charts = svgs(serving, "chart xy");
    REQUIRE(charts.size() == 4);  // TTFT and ITL, against concurrency and against the request rate

    // TTFT against concurrency: a line per model and percentile, ticks at the levels measured.
    const auto& ttft = charts[0];
    CHECK(ttft.find("<title>TTFT p50 and p99 vs concurrency</title>") != std::string::npos);
    CHECK(ttft.find("<desc>TTFT (time to first token) in milliseconds") != std::string::npos);
    CHECK(ttft.find("role=\"img\"") != std::string::npos);
    auto lines = polylines(ttft);
    REQUIRE(lines.size() == 4);
    CHECK(group_texts(ttft, "x-ticks") == std::vector<std::string>{"1", "4", "16"});
    CHECK(ttft.find("concurrency (requests in flight), log scale") != std::string::npos);
    for (const auto& line : lines) {
        auto xs = polyline_xs(line);
        REQUIRE(xs.size() == 3);
        CHECK(xs[0] < xs[1]);
        CHECK(xs[1] < xs[2]);
        CHECK(xs[1] - xs[0] == doctest::Approx(xs[2] - xs[1]).epsilon(0.01));  // 1, 4, 16 evenly apart on a log scale
    }
    // p99 dashed, p50 solid; one colour per model.
    CHECK(lines[0].find("stroke-dasharray") == std::string::npos);
    CHECK(lines[1].find("stroke-dasharray") != std::string::npos);
    CHECK(lines[0].find(std::string("stroke=\"") + series_colour(0) + "\"") != std::string::npos);
    CHECK(lines[2].find(std::string("stroke=\"") + series_colour(1) + "\"") != std::string::npos);
    for (const char* legend : {">alpha-1b p50<", ">alpha-1b p99<", ">beta-1b p50<", ">beta-1b p99<"}) {
        CHECK_MESSAGE(ttft.find(legend) != std::string::npos, legend);
    }
    CHECK(ttft.find("<title>alpha-1b TTFT p50 (ms) at 4: 30</title>") != std::string::npos);
    CHECK(ttft.find("<title>beta-1b TTFT p99 (ms) at 16: 200</title>") != std::string::npos);

    CHECK(charts[1].find("<title>ITL p50 and p99 vs concurrency</title>") != std::string::npos);
    CHECK(polylines(charts[1]).size() == 4);
    // Against the request rate: only alpha was measured so.
    CHECK(charts[2].find("<title>TTFT p50 and p99 vs request rate</title>") != std::string::npos);
    CHECK(polylines(charts[2]).size() == 2);
    CHECK(group_texts(charts[2], "x-ticks") == std::vector<std::string>{"2.5"});

    // The ordinary speed table holds the ordinary row only.
    auto task = html.find("<h3 id=\"task-speed\">");
    REQUIRE(task != std::string::npos);
    const std::string speed_table = html.substr(task, html.find("</table>", task) - task);
    CHECK(speed_table.find("tiny-gpt2") != std::string::npos);
    CHECK(speed_table.find("alpha-1b") == std::string::npos);
    CHECK(count(speed_table, "<tr>") == 2);  // header and one row
}

TEST_CASE("a regression of a served level names its level") {
    ServingFixture f;
    {
        // The next run of the label: alpha at concurrency 4 only, its TTFT p50 doubled.
        results::ResultStore store(f.path);
        auto run = store.begin_run(ServingFixture::run_info());
        auto figures = ServingFixture::level_figures(1, 4);
        for (auto& x : figures) {
            if (x.name == "ttft_ms_p50") x.value = 60;
        }
        store.record_result(run, ServingFixture::served(ServingFixture::alpha, ServingFixture::alpha_commit, "chat", "concurrency", 4,
                                                        figures));
        store.finish_run(run, results::RunStatus::ok);
    }
    auto r = report_of(f.path);
    REQUIRE(r.baseline);
    auto worse = changes_of(r, results::Change::worse);
    REQUIRE(worse.size() == 1);
    CHECK(worse[0]->metric == "ttft_ms_p50");
    CHECK(change_task_text(*worse[0]) == "speed (concurrency 4)");
    const auto md = render_markdown(r);
    auto regressions = table_after(md, "## Regressions since run 1 (serving)");
    REQUIRE(regressions.size() == 3);
    CHECK(regressions[2][1] == "speed (concurrency 4)");
    CHECK(render_html(r).find("<td>speed (concurrency 4)</td>") != std::string::npos);
    // The serving table shows this run's one level.
    REQUIRE(r.serving.size() == 1);
    CHECK(level_texts(r.serving[0]) == std::vector<std::string>{"concurrency 4"});
    CHECK(r.serving[0].levels[0].metric("ttft_ms_p50")->value == 60);
}

TEST_CASE("the line chart over load levels escapes text and copes with a single level") {
    XYSpec spec;
    spec.title = "TTFT <b>";
    spec.description = "desc & more";
    spec.x_label = "concurrency";
    spec.y_label = "ms";
    spec.lines.push_back({"<script>", "tip", 0, false, {{2, 10}, {1, 5}, {8, std::nan("")}}});
    const auto svg = xy_line_chart(spec);
    CHECK(svg.find("<title>TTFT &lt;b&gt;</title><desc>desc &amp; more</desc>") != std::string::npos);
    CHECK(svg.find("<script>") == std::string::npos);
    CHECK(svg.find("&lt;script&gt;") != std::string::npos);
    auto lines = polylines(svg);
    REQUIRE(lines.size() == 1);
    auto xs = polyline_xs(lines[0]);
    REQUIRE(xs.size() == 2);  // the NaN point left out, the rest in x order
    CHECK(xs[0] < xs[1]);
    CHECK(group_texts(svg, "x-ticks") == std::vector<std::string>{"1", "2"});
    CHECK(svg.find("log scale") == std::string::npos);  // 1 to 2 is no span for a log axis

    XYSpec empty;
    empty.title = "nothing";
    empty.lines.push_back({"a", "a", 0, false, {{1, std::nan("")}}});
    CHECK(xy_line_chart(empty).find("no finite values") != std::string::npos);
    CHECK(polylines(xy_line_chart(empty)).empty());
}

TEST_CASE("json carries the serving series and each result's load level") {
    ServingFixture f;
    const auto j = report_to_json(report_of(f.path));
    const auto& serving = j.at("serving");
    REQUIRE(serving.size() == 2);
    CHECK(serving[0].at("repo_id") == ServingFixture::alpha);
    CHECK(serving[0].at("endpoint") == "chat");
    CHECK(serving[0].at("prompt_tokens") == 128);
    CHECK(serving[0].at("output_tokens") == 64);
    CHECK(serving[0].at("parameters") ==
          nlohmann::json{{"endpoint", "chat"}, {"output_tokens", 64}, {"prompt_tokens", 128}, {"threads", 4}});
    const auto& levels = serving[0].at("levels");
    REQUIRE(levels.size() == 4);
    std::vector<nlohmann::json> order;
    for (const auto& l : levels) order.push_back(l.at("level"));
    CHECK(order == std::vector<nlohmann::json>{1, 4, 16, 2.5});
    CHECK(levels[1].at("load") == "concurrency");
    CHECK(levels[1].at("concurrency") == 4);
    CHECK(levels[1].at("request_rate").is_null());
    CHECK(levels[3].at("load") == "request_rate");
    CHECK(levels[3].at("request_rate") == 2.5);
    CHECK(levels[3].at("concurrency").is_null());
    std::map<std::string, double> metrics;
    for (const auto& m : levels[1].at("metrics")) metrics[m.at("name")] = m.at("value");
    CHECK(metrics["ttft_ms_p50"] == 30);
    CHECK(metrics["goodput_rps"] == doctest::Approx(5.4));
    CHECK(metrics.size() == 14);
    CHECK(serving[1].at("endpoint") == "completions");
    CHECK(serving[1].at("slo_ttft_ms") == 100);
    CHECK(serving[1].at("slo_itl_ms").is_null());
    CHECK(serving[0].at("slo_ttft_ms").is_null());
    CHECK(serving[1].at("levels").size() == 3);

    // The served rows are results of their models too, with their level; the ordinary one has none.
    std::size_t loaded = 0, ordinary = 0;
    for (const auto& m : j.at("models")) {
        for (const auto& res : m.at("results")) {
            REQUIRE(res.contains("load"));
            REQUIRE(res.contains("load_level"));
            if (m.at("repo_id") == ServingFixture::native) {
                ++ordinary;
                CHECK(res.at("load").is_null());
                CHECK(res.at("load_level").is_null());
            } else {
                ++loaded;
                CHECK(res.at("load") == (res.at("parameters").contains("request_rate") ? "request_rate" : "concurrency"));
                const auto& p = res.at("parameters");
                CHECK(res.at("load_level") == (p.contains("request_rate") ? p.at("request_rate") : p.at("concurrency")));
            }
        }
    }
    CHECK(loaded == 7);
    CHECK(ordinary == 1);
}

TEST_CASE("csv rows carry the load level in columns added at the end") {
    ServingFixture f;
    const auto records = parse_csv(render_csv(report_of(f.path)));
    REQUIRE(records.size() > 1);
    const auto& header = records[0];
    REQUIRE(header.size() == 33);
    // The columns before are where they were; the two new ones come last.
    CHECK(header[0] == "run_id");
    CHECK(header[12] == "task_parameters");
    CHECK(header[15] == "metric");
    CHECK(header[28] == "significance");
    CHECK(header[29] == "night");
    CHECK(header[30] == "measured_in_run");
    CHECK(header[31] == "load");
    CHECK(header[32] == "load_level");
    std::map<std::string, std::pair<std::string, std::string>> by_key;  // repo|metric|parameters -> load, level
    for (std::size_t i = 1; i < records.size(); ++i) {
        const auto& r = records[i];
        REQUIRE(r.size() == header.size());
        by_key[r[3] + "|" + r[15] + "|" + r[12]] = {r[31], r[32]};
    }
    CHECK(records.size() - 1 == 7 * 14 + 4 + 1);  // 14 metrics per served level, the ordinary row's 4, the failed level
    using Pair = std::pair<std::string, std::string>;
    auto at = [&](const std::string& key) {
        auto it = by_key.find(key);
        REQUIRE_MESSAGE(it != by_key.end(), key);
        return it->second;
    };
    CHECK(at(R"(served/alpha-1b|ttft_ms_p50|{"concurrency":4,"endpoint":"chat","output_tokens":64,"prompt_tokens":128,"requests":16,"threads":4})") ==
          Pair{"concurrency", "4"});
    CHECK(at(R"(served/beta-1b|e2e_ms_p99|{"concurrency":16,"endpoint":"completions","output_tokens":64,"prompt_tokens":128,"requests":64,"slo_ttft_ms":100,"threads":4})") ==
          Pair{"concurrency", "16"});
    CHECK(at(R"(served/alpha-1b|itl_ms_p99|{"endpoint":"chat","output_tokens":64,"prompt_tokens":128,"request_rate":2.5,"requests":32,"threads":4})") ==
          Pair{"request_rate", "2.5"});
    CHECK(at(R"(fixtures/tiny-gpt2|decode_tps|{"batch_size":1,"decode_tokens":32,"threads":4})") == Pair{"", ""});
    // The failed level keeps its level.
    CHECK(at(R"(served/beta-1b||{"concurrency":64,"endpoint":"completions","output_tokens":64,"prompt_tokens":128,"requests":256,"slo_ttft_ms":100,"threads":4})") ==
          Pair{"concurrency", "64"});
}
}
