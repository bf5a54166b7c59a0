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
}
