// The HTML report in a real browser: headless Chromium loads the file with networking disabled,
// runs the inline script, and we check the DOM it dumps and the screenshot it takes. Chromium is
// required (scripts/setup installs it): without it this test fails, it does not skip.
#include <doctest/doctest.h>

#include <cstdlib>
#include <fstream>

#include "core/fs.hpp"
#include "reports/render.hpp"
#include "tests/reports/fixture.hpp"
#include "tests/reports/serving_fixture.hpp"
#include "tests/support/support.hpp"

using namespace hubbench;
using hubbench::test::ReportFixture;
using hubbench::test::ServingFixture;

namespace {

fs::path chromium() {
    const char* env = std::getenv("HUBBENCH_CHROMIUM");
    return env != nullptr && *env != '\0' ? fs::path(env) : fs::path("/usr/bin/chromium");
}

test::ProcessResult run_chromium(const fs::path& profile, const std::vector<std::string>& extra) {
    // timeout(1) bounds a hung browser; the flags keep it offline and quiet.
    std::vector<std::string> argv{"/usr/bin/timeout", "120", chromium().string(), "--headless", "--no-sandbox", "--disable-gpu",
                                  "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                                  "--disable-sync", "--user-data-dir=" + profile.string()};
    argv.insert(argv.end(), extra.begin(), extra.end());
    return test::run_process(argv, "", {{"HOME", profile.string()}});
}

std::uint32_t big_endian(const std::string& bytes, std::size_t at) {
    std::uint32_t v = 0;
    for (std::size_t i = 0; i < 4; ++i) v = (v << 8) | static_cast<unsigned char>(bytes[at + i]);
    return v;
}

// The report of the database at `db`, written as `dir`/`name`.html and opened by headless
// Chromium: the DOM its inline script left.
struct RenderedReport {
    fs::path page, profile;
    test::ProcessResult dom;
};
RenderedReport render_in_chromium(const fs::path& db, const fs::path& dir, const std::string& name) {
    auto store = results::ResultStore::open_for_reading(db);
    RenderedReport r{dir / (name + ".html"), dir / "chromium-profile", {}};
    write_file_atomic(r.page, reports::render_html(reports::build_report(store)));
    fs::create_directories(r.profile);
    r.dom = run_chromium(r.profile, {"--dump-dom", "file://" + r.page.string()});
    return r;
}

// A 1280 × 2000 PNG screenshot of the page with something drawn on it: a blank page compresses to
// a few kilobytes; text, tables and charts do not.
void check_screenshot(const RenderedReport& r, const fs::path& shot) {
    auto png = run_chromium(r.profile, {"--screenshot=" + shot.string(), "--window-size=1280,2000", "file://" + r.page.string()});
    REQUIRE_MESSAGE(png.exit_code == 0, png.err);
    REQUIRE(fs::exists(shot));
    const std::string bytes = read_file(shot);
    REQUIRE(bytes.size() > 24);
    CHECK(bytes.substr(0, 8) == std::string("\x89PNG\r\n\x1a\n", 8));
    CHECK(bytes.substr(12, 4) == "IHDR");
    CHECK(big_endian(bytes, 16) == 1280);
    CHECK(big_endian(bytes, 20) == 2000);
    CHECK(bytes.size() > 50'000);
}

std::size_t count(const std::string& text, const std::string& what) {
    std::size_t n = 0;
    for (auto pos = text.find(what); pos != std::string::npos; pos = text.find(what, pos + 1)) ++n;
    return n;
}

}  // namespace

TEST_SUITE("integration") {
TEST_CASE("headless chromium runs the report script and renders the charts and tables") {
    REQUIRE_MESSAGE(fs::exists(chromium()), chromium().string() << " is missing: install it with `apt-get install -y chromium` (scripts/setup)");
    ReportFixture f;
    const auto rendered = render_in_chromium(f.path, f.dir.path(), "report");
    const auto& dom = rendered.dom;
    REQUIRE_MESSAGE(dom.exit_code == 0, dom.err);
    // The inline script ran to its end.
    CHECK(dom.out.find("<body data-ready=\"1\"") != std::string::npos);
    CHECK(dom.out.find("tabindex=\"0\"") != std::string::npos);  // set by the script on sortable headers
    // The charts and tables are in the DOM the browser built.
    CHECK(count(dom.out, "<svg class=\"chart scatter") == 1);
    CHECK(count(dom.out, "<svg class=\"chart bars") == 7);
    // The fixture's two runs labelled "nightly" give each headline figure a history line chart.
    CHECK(count(dom.out, "<svg class=\"chart lines") == 7);
    CHECK(dom.out.find("<section id=\"history\">") != std::string::npos);
    CHECK(dom.out.find("<circle") != std::string::npos);
    CHECK(dom.out.find("id=\"overview-table\"") != std::string::npos);
    CHECK(dom.out.find("id=\"regressions-table\"") != std::string::npos);
    CHECK(dom.out.find("id=\"failed-trials\"") != std::string::npos);
    CHECK(dom.out.find("id=\"encoder-or-decoder-table\"") != std::string::npos);
    CHECK(dom.out.find("id=\"not-applicable-table\"") != std::string::npos);
    CHECK(dom.out.find("title=\"best of 3 results on the same task, dataset and parameters\">★</span>") != std::string::npos);
    CHECK(dom.out.find("fixtures/tiny-gpt2") != std::string::npos);
    // The repo id with markup stayed text: the browser made no element of it.
    CHECK(count(dom.out, "<script") == 1);
    CHECK(dom.out.find("&lt;script&gt;alert(1)&lt;/script&gt;") != std::string::npos);

    check_screenshot(rendered, f.dir.path() / "report.png");
}
TEST_CASE("headless chromium renders the serving section with its latency line charts") {
    REQUIRE_MESSAGE(fs::exists(chromium()), chromium().string() << " is missing: install it with `apt-get install -y chromium` (scripts/setup)");
    ServingFixture f;
    const auto rendered = render_in_chromium(f.path, f.dir.path(), "serving");
    const auto& dom = rendered.dom;
    REQUIRE_MESSAGE(dom.exit_code == 0, dom.err);
    CHECK(dom.out.find("<body data-ready=\"1\"") != std::string::npos);
    CHECK(dom.out.find("<section id=\"serving\">") != std::string::npos);
    // TTFT and ITL against concurrency (two models, p50 and p99: four lines each) and against the
    // request rate (one model: two lines each), every chart with its title and description.
    CHECK(count(dom.out, "<svg class=\"chart xy") == 4);
    CHECK(count(dom.out, "<polyline") == 12);
    CHECK(count(dom.out, "<desc>") == 4);
    CHECK(dom.out.find("<title>TTFT p50 and p99 vs concurrency</title>") != std::string::npos);
    CHECK(dom.out.find("id=\"serving-table-1\"") != std::string::npos);
    CHECK(dom.out.find("id=\"serving-table-2\"") != std::string::npos);
    CHECK(count(dom.out, "<script") == 1);

    check_screenshot(rendered, f.dir.path() / "serving.png");
}
}
