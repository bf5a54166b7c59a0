#include <doctest/doctest.h>

#include <sstream>

#include "reports/render.hpp"
#include "tests/reports/fixture.hpp"
#include "tests/reports/markdown_table.hpp"

using namespace hubbench;
using namespace hubbench::reports;
using hubbench::test::ReportFixture;

namespace {

std::string markdown_of(const ReportFixture& f, ReportSelection sel = {}) {
    auto store = results::ResultStore::open_for_reading(f.path);
    return render_markdown(build_report(store, sel));
}

using test::cells;
using test::lines_of;

// The table under `heading` (the first table after the line that equals it), as rows of cells.
std::vector<std::vector<std::string>> table_after(const std::string& text, const std::string& heading) {
    auto lines = lines_of(text);
    std::vector<std::vector<std::string>> rows;
    bool found = false;
    for (const auto& line : lines) {
        if (!found) {
            found = line == heading;
            continue;
        }
        if (line.rfind("|", 0) == 0) {
            rows.push_back(cells(line));
        } else if (!rows.empty()) {
            break;
        }
    }
    return rows;
}

const std::vector<std::string>& row_with(const std::vector<std::vector<std::string>>& table, const std::string& first_cell_part) {
    for (const auto& row : table) {
        if (!row.empty() && row[0].find(first_cell_part) != std::string::npos) return row;
    }
    FAIL("no row with " << first_cell_part);
    static std::vector<std::string> none;
    return none;
}

}  // namespace

TEST_SUITE("unit") {
TEST_CASE("the markdown overview puts encoders and decoders in one table with bits per byte") {
    ReportFixture f;
    auto md = markdown_of(f);
    CHECK(md.rfind("# hubbench report: run 3 (nightly)\n", 0) == 0);
    auto table = table_after(md, "## Encoders and decoders side by side");
    REQUIRE(table.size() == 5);  // header, separator, 3 models
    const auto& header = table[0];
    REQUIRE(header.size() >= 5);
    CHECK(header[0] == "Model");
    CHECK(header[1] == "Kind");
    CHECK(header[3] == "bits/byte ↓");
    CHECK(header[4] == "PPL ↓");
    const auto& gpt2 = row_with(table, "tiny-gpt2");
    CHECK(gpt2[0] == "**fixtures/tiny-gpt2** `1111111`");
    CHECK(gpt2[1] == "decoder");
    CHECK(gpt2[2] == "124.4M");
    CHECK(gpt2[3] == "1.600 ± 0.010");
    CHECK(gpt2[4] == "33.0 ± 0.5");
    const auto& bert = row_with(table, "tiny-bert");
    CHECK(bert[1] == "encoder");
    CHECK(bert[3] == "1.200 ± 0.020 †");  // pseudo bits per byte, in the same column
    CHECK(bert[4] == "8.00 ± 0.20 †");
    CHECK(md.find("† pseudo: from the masked-LM pseudo-log-likelihood") != std::string::npos);
}

TEST_CASE("every markdown table row has as many cells as its header") {
    ReportFixture f;
    auto lines = lines_of(markdown_of(f));
    std::size_t expected = 0, tables = 0;
    for (std::size_t i = 0; i < lines.size(); ++i) {
        if (lines[i].rfind("|", 0) != 0) {
            expected = 0;
            continue;
        }
        auto n = cells(lines[i]).size();
        if (expected == 0) {
            expected = n;
            ++tables;
        }
        CHECK_MESSAGE(n == expected, lines[i]);
    }
    CHECK(tables >= 9);
}

TEST_CASE("the markdown regressions section lists what got worse beyond the threshold") {
    ReportFixture f;
    auto md = markdown_of(f);
    auto table = table_after(md, "## Regressions since run 1 (nightly)");
    REQUIRE(table.size() == 4);  // header, separator, bits per byte and token PPL of tiny-gpt2
    const auto& bpb = table[2];
    CHECK(bpb[0].find("tiny-gpt2") != std::string::npos);
    CHECK(bpb[1] == "perplexity");
    CHECK(bpb[3] == "bits/byte (bits\\_per\\_byte)");
    CHECK(bpb[4] == "1.500 ± 0.010");
    CHECK(bpb[5] == "1.600 ± 0.010");
    CHECK(bpb[6] == "+0.100");
    CHECK(bpb[7] == "+6.7%");  // 0.1 / 1.5
    auto improvements = table_after(md, "### Improvements");
    REQUIRE(improvements.size() == 3);
    CHECK(improvements[2][3] == "decode tok/s (decode\\_tps)");
    CHECK(improvements[2][7] == "+20%");
    CHECK(md.find("Measured in the baseline but not in this run: fixtures/tiny-bert (speed).") != std::string::npos);
}

TEST_CASE("markdown failures keep the reason and cannot inject markup") {
    ReportFixture f;
    auto md = markdown_of(f);
    auto results_table = table_after(md, "### Results that failed");
    REQUIRE(results_table.size() == 3);  // not the skipped cloze row: that is not applicable
    CHECK(results_table[0] == std::vector<std::string>{"Model", "Task", "Dataset", "Reason"});
    CHECK(results_table[2][1] == "speed");
    CHECK(results_table[2][3] == "speed: out of memory at \\<b\\>batch 8\\</b\\> \\| \"retry\"");
    auto trials = table_after(md, "### Candidates that failed or were skipped");
    REQUIRE(trials.size() == 3);
    CHECK(trials[2][0] == "**org/broken**");
    CHECK(trials[2][1] == "load");
    CHECK(trials[2][3].find("T5ForConditionalGeneration \\<script\\>") != std::string::npos);
    // No unescaped markup from the database anywhere: every '<' is backslash-escaped.
    for (std::size_t pos = md.find('<'); pos != std::string::npos; pos = md.find('<', pos + 1)) {
        CHECK_MESSAGE((pos > 0 && md[pos - 1] == '\\'), md.substr(pos, 40));
    }
    CHECK(md.find("**evil/\\<script\\>alert(1)\\</script\\>**") != std::string::npos);
}

TEST_CASE("markdown per-task tables show display units and tell rows apart by parameters") {
    ReportFixture f;
    auto md = markdown_of(f);
    auto perplexity = table_after(md, "### Perplexity (perplexity)");
    REQUIRE(perplexity.size() == 4);
    CHECK(perplexity[0][3] == "Parameters");
    CHECK(row_with(perplexity, "evil")[3] == "stride=128");
    CHECK(row_with(perplexity, "tiny-gpt2")[3] == "stride=256");
    CHECK(md.find("| inf |") != std::string::npos);  // the infinite word perplexity
    auto speed = table_after(md, "### Speed and memory (speed)");
    REQUIRE(speed.size() == 3);
    auto column = std::find(speed[0].begin(), speed[0].end(), "peak RSS (MiB) ↓") - speed[0].begin();
    REQUIRE(column < static_cast<long>(speed[0].size()));
    CHECK(speed[2][column] == "100");
    CHECK(speed[0][3] == "load time (s) ↓");  // the order the speed task declares
    CHECK(speed[0][4] == "prefill tok/s @128 ↑");  // lengths in ascending order
    CHECK(speed[0][5] == "prefill tok/s @512 ↑");
}

TEST_CASE("markdown provenance names the run host blas threads and datasets") {
    ReportFixture f;
    auto md = markdown_of(f);
    CHECK(md.find("- hubbench " + std::string(hubbench::version()) + ", commit `") != std::string::npos);
    CHECK(md.find("- Host: bench-host: Test CPU @ 3.0GHz, 8 cores, 16.0 GiB, Linux 6.1.0 x86\\_64") != std::string::npos);
    CHECK(md.find("- BLAS: OpenBLAS 0.3.21; threads: 4") != std::string::npos);
    CHECK(md.find("| wikitext-2-raw/test | `" + std::string(ReportFixture::wiki_sha) + "` | 1.2 MiB |") != std::string::npos);
}

TEST_CASE("without a baseline the markdown says why") {
    ReportFixture f;
    ReportSelection sel;
    sel.baseline = BaselineMode::none;
    auto md = markdown_of(f, sel);
    CHECK(md.find("## Regressions\n\nNo baseline: no baseline was asked for.") != std::string::npos);
    sel = {};
    sel.run = f.baseline;
    md = markdown_of(f, sel);
    CHECK(md.find("No baseline: no earlier run labelled 'nightly'.") != std::string::npos);
    CHECK(md.find("No result failed and no candidate failed or was skipped.") != std::string::npos);
}

TEST_CASE("a run that has not finished is reported with a warning") {
    ReportFixture f;
    {
        results::ResultStore store(f.path);
        store.begin_run(ReportFixture::run_info("nightly"));  // never finished: killed, or still going
    }
    auto md = markdown_of(f);
    CHECK(md.rfind("# hubbench report: run 4 (nightly)\n", 0) == 0);
    CHECK(md.find("> **Warning:** This run has not finished: it is still going, or it was killed.") != std::string::npos);
    CHECK(md.find("This run has no results.") != std::string::npos);
    CHECK(md.find("## Regressions since run 3 (nightly)") != std::string::npos);
    CHECK(md.find("Measured in the baseline but not in this run: ") != std::string::npos);
    CHECK(markdown_of(f, [] {
              ReportSelection sel;
              sel.run = results::RunId{3};
              return sel;
          }()).find("Warning") == std::string::npos);
}

TEST_CASE("the markdown intro counts failures apart from what is not applicable") {
    ReportFixture f;
    auto md = markdown_of(f);
    CHECK(md.find("; 1 failed result, 1 not applicable, 1 failed or skipped candidate.\n") != std::string::npos);
}

TEST_CASE("markdown opens with encoder or decoder per question") {
    ReportFixture f;
    auto md = markdown_of(f);
    // The first section after the intro line.
    auto lines = lines_of(md);
    auto first = std::find_if(lines.begin(), lines.end(), [](const std::string& l) { return l.rfind("## ", 0) == 0; });
    REQUIRE(first != lines.end());
    CHECK(*first == "## Encoder or decoder?");
    auto table = table_after(md, "## Encoder or decoder?");
    REQUIRE(table.size() == 7);  // header, separator, perplexity at two strides, pppl, sts, classification
    CHECK(table[0] == std::vector<std::string>{"Task", "Dataset", "Best encoder", "Best decoder", "Pick"});
    const auto& c = row_with(table, "Classification");
    CHECK(c[1] == "sst2/dev");
    CHECK(c[2] == "**tiny-bert (probe)**: 0.70 ± 0.07, 400 items/s");
    CHECK(c[3] == "**tiny-gpt2 (likelihood)**: 0.80 ± 0.06, 100 items/s");
    CHECK(c[4] == "either: within noise; tiny-bert is 4.0× faster");
    const auto& ppl = row_with(table, "Perplexity, stride=256");
    CHECK(ppl[2] == "–");
    CHECK(ppl[3] == "**tiny-gpt2**: 1.600 ± 0.010");
    CHECK(ppl[4] == "decoder (no encoder measured)");
    const auto& pppl = row_with(table, "Pseudo-perplexity");
    CHECK(pppl[2] == "**tiny-bert**: 1.200 ± 0.020 †");
    CHECK(pppl[4] == "encoder (no decoder measured)");
    CHECK(md.find("\"Within noise\": a paired bootstrap over the items both were scored on (95%)") != std::string::npos);
}

TEST_CASE("markdown task tables use the task label show the method and mark the best and the tied") {
    ReportFixture f;
    auto md = markdown_of(f);
    auto table = table_after(md, "### Classification (classification)");
    REQUIRE(table.size() == 5);  // header, separator, three models; not the skipped cloze row
    CHECK(table[0] == std::vector<std::string>{"Model", "Kind", "Dataset", "Method", "accuracy ↑", "macro-F1 ↑",
                                               "accuracy (length-normalised) ↑", "items/s ↑"});
    const auto& gpt2 = row_with(table, "tiny-gpt2");
    CHECK(gpt2[3] == "likelihood");
    CHECK(gpt2[4] == "0.80 ± 0.06 ★");
    CHECK(gpt2[5] == "0.79 ± 0.06");  // only the metric it is ranked by carries the mark
    CHECK(gpt2[7] == "100");
    const auto& bert = row_with(table, "tiny-bert");
    CHECK(bert[3] == "probe");
    CHECK(bert[4] == "0.70 ± 0.07 ≈");
    CHECK(bert[6] == "–");  // a probe has no length-normalised accuracy
    CHECK(row_with(table, "evil")[4] == "0.40 ± 0.07");  // worse: no mark
    CHECK(md.find("| 0.70 ± 0.07 ≈ | 0.69 ± 0.07 | – | 400 |\n\n★ best; ≈ not significantly worse than the best "
                  "(paired bootstrap over the same items, 95%)\n") != std::string::npos);
    // A question only one result answered gets no mark, and the table no legend.
    auto perplexity = table_after(md, "### Perplexity (perplexity)");
    CHECK(row_with(perplexity, "tiny-gpt2")[4] == "1.600 ± 0.010");
    CHECK(md.find("### Speed and memory (speed)") != std::string::npos);
    CHECK(md.find("### Semantic similarity (STS) (sts)") != std::string::npos);
}

TEST_CASE("markdown lists what is not applicable after the failures and without alarm") {
    ReportFixture f;
    auto md = markdown_of(f);
    auto failures = md.find("## Failures\n");
    auto not_applicable = md.find("## Not applicable\n");
    REQUIRE(failures != std::string::npos);
    REQUIRE(not_applicable != std::string::npos);
    CHECK(failures < not_applicable);
    CHECK(not_applicable < md.find("## Provenance\n"));
    auto table = table_after(md, "## Not applicable");
    REQUIRE(table.size() == 3);
    CHECK(table[0] == std::vector<std::string>{"Model", "Task", "Why"});
    CHECK(table[2][0] == "**fixtures/tiny-gpt2** `1111111`");
    CHECK(table[2][1] == "classification (cloze)");
    CHECK(table[2][2] == "the cloze method needs a masked LM: fixtures/tiny-gpt2 is a decoder");
    // The baseline run has the not-applicable row and no failed result.
    ReportSelection sel;
    sel.run = f.baseline;
    auto first = markdown_of(f, sel);
    CHECK(first.find("; 0 failed results, 1 not applicable, 0 failed or skipped candidates.") != std::string::npos);
    CHECK(first.find("## Not applicable\n") != std::string::npos);
    CHECK(first.find("(failed)") == std::string::npos);
}
}
