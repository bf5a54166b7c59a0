#include <doctest/doctest.h>

#include <regex>

#include "reports/render.hpp"
#include "reports/svg_charts.hpp"
#include "tests/reports/fixture.hpp"

using namespace hubbench;
using namespace hubbench::reports;
using hubbench::test::ReportFixture;

namespace {

std::string html_of(const ReportFixture& f, ReportSelection sel = {}) {
    auto store = results::ResultStore::open_for_reading(f.path);
    return render_html(build_report(store, sel));
}

std::size_t count(const std::string& text, const std::string& what) {
    std::size_t n = 0;
    for (auto pos = text.find(what); pos != std::string::npos; pos = text.find(what, pos + 1)) ++n;
    return n;
}

}  // namespace

TEST_SUITE("unit") {
TEST_CASE("html escapes everything that comes from the database") {
    ReportFixture f;
    auto html = html_of(f);
    // Our own script is the only script element.
    CHECK(count(html, "<script") == 1);
    CHECK(count(html, "</script>") == 1);
    CHECK(html.find("&lt;script&gt;alert(1)&lt;/script&gt;") != std::string::npos);
    CHECK(html.find("T5ForConditionalGeneration &lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;") != std::string::npos);
    CHECK(html.find("speed: out of memory at &lt;b&gt;batch 8&lt;/b&gt; | &quot;retry&quot;") != std::string::npos);
    CHECK(html.find("&lt;i&gt;other&lt;/i&gt;") != std::string::npos);
    CHECK(html.find("<b>batch") == std::string::npos);
    CHECK(html.find("<i>other") == std::string::npos);
}

TEST_CASE("html references nothing outside the file") {
    ReportFixture f;
    auto html = html_of(f);
    CHECK(html.find("http://") == std::string::npos);
    CHECK(html.find("https://") == std::string::npos);
    CHECK(html.find("//cdn") == std::string::npos);
    CHECK_FALSE(std::regex_search(html, std::regex(R"((src|href|action|xlink:href)\s*=)", std::regex::icase)));
    CHECK_FALSE(std::regex_search(html, std::regex(R"(url\s*\(|@import)", std::regex::icase)));
    CHECK(html.find("<link") == std::string::npos);
    CHECK(html.find("<iframe") == std::string::npos);
    CHECK(html.find("Content-Security-Policy\" content=\"default-src 'none';") != std::string::npos);
}

TEST_CASE("html has the charts the tables and the ready flag script") {
    ReportFixture f;
    auto html = html_of(f);
    CHECK(html.rfind("<!DOCTYPE html>", 0) == 0);
    CHECK(html.find("<style>") != std::string::npos);
    CHECK(html.find("document.body.dataset.ready=\"1\"") != std::string::npos);
    CHECK(html.find("<svg class=\"chart scatter\"") != std::string::npos);
    // One per headline figure the fixture has: bits/byte, PPL, STS, prefill, decode, peak RSS, load.
    CHECK(count(html, "<svg class=\"chart bars\"") == 7);
    CHECK(html.find("id=\"overview-table\"") != std::string::npos);
    CHECK(html.find("id=\"regressions-table\"") != std::string::npos);
    CHECK(html.find("id=\"improvements-table\"") != std::string::npos);
    CHECK(html.find("id=\"failed-results\"") != std::string::npos);
    CHECK(html.find("id=\"failed-trials\"") != std::string::npos);
    CHECK(html.find("@media print") != std::string::npos);
    // The regression shows in the overview cell of tiny-gpt2's bits per byte.
    CHECK(html.find("1.600 ± 0.010<span class=\"chg worse\">▼ +6.7% worse</span>") != std::string::npos);
    // Pseudo figures carry the dagger.
    CHECK(html.find("1.200 ± 0.020<span class=\"pseudo\"") != std::string::npos);
    // Sortable cells carry the exact value.
    CHECK(html.find("data-v=\"1.6\"") != std::string::npos);
}

TEST_CASE("an svg chart escapes its labels and skips non-finite values") {
    BarSpec spec;
    spec.title = "a <title> & more";
    spec.axis_label = "x";
    spec.bars.push_back({"<b>", "tip \"quoted\"", SeriesGroup::decoder, 1.0, 0.1, "1.0", false});
    spec.bars.push_back({"inf", "inf", SeriesGroup::encoder, HUGE_VAL, std::nullopt, "inf", false});
    auto svg = bar_chart(spec);
    CHECK(svg.rfind("<svg ", 0) == 0);
    CHECK(svg.find("a &lt;title&gt; &amp; more") != std::string::npos);
    CHECK(svg.find("&lt;b&gt;") != std::string::npos);
    CHECK(svg.find("tip &quot;quoted&quot;") != std::string::npos);
    CHECK(count(svg, "<rect") == 1);
    CHECK(svg.find("nan") == std::string::npos);
    CHECK(svg.find("inf<") == std::string::npos);

    ScatterSpec scatter;
    scatter.title = "q";
    scatter.points.push_back({"a", "a", SeriesGroup::decoder, 1.0, 100.0, 0.01, false});
    scatter.points.push_back({"b", "b", SeriesGroup::encoder, 2.0, 10000.0, std::nullopt, true});
    auto s = scatter_chart(scatter);
    CHECK(count(s, "<circle") == 2 + 2);  // two points and the two legend dots
    CHECK(s.find("log scale") != std::string::npos);  // 100x range
    CHECK(s.find("nan") == std::string::npos);
}

TEST_CASE("a line chart draws one path per series and breaks it at gaps and escapes its labels") {
    LineSpec spec;
    spec.title = "bits/byte <over> time";
    spec.y_label = "bits/byte";
    spec.higher_is_better = false;
    spec.x_labels = {"night-1", "night-2", "night-3", "night-4"};
    spec.series.push_back({"a&b", "a&b (decoder)", SeriesGroup::decoder, {1.0, 1.1, std::nullopt, 1.3}});
    spec.series.push_back({"c", "c (encoder)", SeriesGroup::encoder, {std::nullopt, NAN, 2.0, 2.5}});
    const auto svg = line_chart(spec);
    CHECK(svg.rfind("<svg ", 0) == 0);
    CHECK(count(svg, "<path") == 2);
    // The first series: two points joined, a gap, then a new segment (M, L, M).
    const auto first = svg.find("<path d=\"");
    REQUIRE(first != std::string::npos);
    const std::string d = svg.substr(first + 9, svg.find('"', first + 9) - first - 9);
    CHECK(count(d, "M") == 2);
    CHECK(count(d, "L") == 1);
    CHECK(count(svg, "<circle") == 3 + 2);  // finite values only
    CHECK(svg.find("a&amp;b") != std::string::npos);
    CHECK(svg.find("&lt;over&gt;") != std::string::npos);
    CHECK(svg.find("nan") == std::string::npos);
    CHECK(svg.find("(↓ better)") != std::string::npos);
    CHECK(line_chart(LineSpec{}).find("no finite values") != std::string::npos);
}

TEST_CASE("html puts encoder or decoder first and keeps not applicable apart from failures") {
    ReportFixture f;
    auto html = html_of(f);
    const auto picks = html.find("<section id=\"encoder-or-decoder\">");
    REQUIRE(picks != std::string::npos);
    CHECK(picks < html.find("<section id=\"overview\">"));
    CHECK(html.find("<td>Classification</td><td title=\"" + std::string(ReportFixture::sst2_sha) + "\">sst2/dev</td>") != std::string::npos);
    CHECK(html.find("<span class=\"fig\">0.70 ± 0.07, 400 items/s</span>") != std::string::npos);
    CHECK(html.find("<td>either: within noise; tiny-bert is 4.0× faster</td>") != std::string::npos);
    // The failed card counts the failed result and the failed candidate, not the skipped cloze row.
    CHECK(html.find("<div class=\"card bad\"><b>2</b><span>failed</span></div>") != std::string::npos);
    CHECK(html.find("<div class=\"card \"><b>1</b><span>not applicable</span></div>") != std::string::npos);
    // Not applicable: its own muted table after the failures, with no red status.
    const auto na = html.find("<section id=\"not-applicable\">");
    REQUIRE(na != std::string::npos);
    CHECK(html.find("<section id=\"failures\">") < na);
    const auto na_end = html.find("</section>", na);
    const std::string section = html.substr(na, na_end - na);
    CHECK(section.find("<table class=\"muted\" id=\"not-applicable-table\">") != std::string::npos);
    CHECK(section.find("classification (cloze)") != std::string::npos);
    CHECK(section.find(ReportFixture::cloze_reason) != std::string::npos);
    CHECK(section.find("class=\"status") == std::string::npos);
    // The failures table has only the failed result.
    const auto failed = html.find("id=\"failed-results\"");
    REQUIRE(failed != std::string::npos);
    CHECK(html.substr(failed, html.find("</table>", failed) - failed).find("cloze") == std::string::npos);
}

TEST_CASE("html task tables use the task label show the method and mark significance with a title") {
    ReportFixture f;
    auto html = html_of(f);
    CHECK(html.find("<h3 id=\"task-classification\">Classification (classification)</h3>") != std::string::npos);
    CHECK(html.find("<h3 id=\"task-perplexity\">Perplexity (perplexity)</h3>") != std::string::npos);
    const auto table = html.find("<h3 id=\"task-classification\">");
    const std::string task = html.substr(table, html.find("</table>", table) - table);
    CHECK(task.find(">Method</th>") != std::string::npos);
    CHECK(task.find("<td>probe</td>") != std::string::npos);
    CHECK(task.find(">items/s ↑</th>") != std::string::npos);
    CHECK(task.find("0.80 ± 0.06<span class=\"sig best\" title=\"best of 3 results on the same task, dataset and parameters\">★</span>") != std::string::npos);
    CHECK(task.find("0.70 ± 0.07<span class=\"sig tied\" title=\"not significantly worse than the best (paired bootstrap over the "
                    "same items, 95%)\">≈</span>") != std::string::npos);
    CHECK(count(task, "class=\"sig ") == 2);  // the worse decoder has no mark
    CHECK(html.find("<p class=\"note\">★ best; ≈ not significantly worse than the best") != std::string::npos);
}
}
