#include <doctest/doctest.h>

#include <sstream>

#include "reports/render.hpp"
#include "tests/reports/fixture.hpp"

using namespace hubbench;
using namespace hubbench::reports;
using hubbench::test::ReportFixture;

namespace {

std::string markdown_of(const ReportFixture& f, ReportSelection sel = {}) {
    auto store = results::ResultStore::open_for_reading(f.path);
    return render_markdown(build_report(store, sel));
}

std::vector<std::string> lines_of(const std::string& text) {
    std::vector<std::string> lines;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) lines.push_back(line);
    return lines;
}

// Cells of a GFM table row, split at pipes that are not backslash-escaped.
std::vector<std::string> cells(const std::string& line) {
    std::vector<std::string> out;
    std::string cell;
    for (std::size_t i = 1; i < line.size(); ++i) {
        if (line[i] == '\\' && i + 1 < line.size()) {
            cell += line.substr(i, 2);
            ++i;
        } else if (line[i] == '|') {
            auto b = cell.find_first_not_of(' '), e = cell.find_last_not_of(' ');
            out.push_back(b == std::string::npos ? "" : cell.substr(b, e - b + 1));
            cell.clear();
        } else {
            cell += line[i];
        }
    }
    return out;
}

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
    auto results_table = table_after(md, "### Results that failed or were skipped");
    REQUIRE(results_table.size() == 3);
    CHECK(results_table[2][1] == "speed");
    CHECK(results_table[2][3] == "failed");
    CHECK(results_table[2][4] == "speed: out of memory at \\<b\\>batch 8\\</b\\> \\| \"retry\"");
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
    auto perplexity = table_after(md, "### perplexity");
    REQUIRE(perplexity.size() == 4);
    CHECK(perplexity[0][3] == "Parameters");
    CHECK(row_with(perplexity, "evil")[3] == "stride=128");
    CHECK(row_with(perplexity, "tiny-gpt2")[3] == "stride=256");
    CHECK(md.find("| inf |") != std::string::npos);  // the infinite word perplexity
    auto speed = table_after(md, "### speed");
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
    CHECK(md.find("No result and no trial failed or was skipped.") != std::string::npos);
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
}
