// Inline SVG charts for the HTML report, drawn in C++ so the page needs no charting library and
// no network. Each function returns one <svg> element (no XML prolog, no xmlns: it is parsed as
// part of an HTML document). Every text that comes from the caller is escaped here.
#pragma once
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace hubbench::reports {

// Text safe inside HTML and inline SVG, in element content and in quoted attribute values.
std::string html_escape(std::string_view text);

enum class SeriesGroup { decoder, encoder, other };

// Colours of the groups: a blue and an orange that stay apart for colour-blind readers and in
// greyscale print; grey for models of unknown kind.
const char* group_colour(SeriesGroup group);

struct ScatterPoint {
    std::string label;          // short name drawn beside the point
    std::string tooltip;        // full text for <title>
    SeriesGroup group = SeriesGroup::other;
    double x = 0.0, y = 0.0;
    std::optional<double> x_error;  // one standard error, drawn as a whisker
    bool hollow = false;        // pseudo figures are drawn as rings
};

struct ScatterSpec {
    std::string title;
    std::string x_label, y_label;
    bool x_higher_is_better = false, y_higher_is_better = true;
    std::vector<ScatterPoint> points;
    bool hollow_means_pseudo = false;  // adds the ring to the legend
};

// x linear, y on a log scale when the values span more than a factor of 20.
std::string scatter_chart(const ScatterSpec& spec);

struct Bar {
    std::string label;          // model name on the axis (long names are shortened, full one in <title>)
    std::string tooltip;
    SeriesGroup group = SeriesGroup::other;
    double value = 0.0;
    std::optional<double> error;
    std::string value_text;     // drawn at the end of the bar
    bool hollow = false;        // pseudo: hatched outline instead of a solid bar
};

struct BarSpec {
    std::string title;
    std::string axis_label;
    std::vector<Bar> bars;      // non-finite values are left out
};

// Horizontal bars from zero, one per model.
std::string bar_chart(const BarSpec& spec);

struct LineSeries {
    std::string label;          // drawn at the line's last point (long names shortened)
    std::string tooltip;        // prefix of each point's <title>: "tiny-gpt2 (decoder)"
    SeriesGroup group = SeriesGroup::other;
    std::vector<std::optional<double>> values;  // one per LineSpec::x_labels entry; unset or non-finite: a gap
};

struct LineSpec {
    std::string title;
    std::string y_label;
    bool higher_is_better = true;
    std::vector<std::string> x_labels;  // oldest first: night ids or "run 12"
    std::vector<LineSeries> series;
};

// A small line chart over time: one line per series, x evenly spaced by label (a night or a run,
// not by date: nights are the unit), y linear around the values.
std::string line_chart(const LineSpec& spec);

// Colours for series told apart by colour alone (not by model kind): the Okabe–Ito palette, which
// stays distinguishable for colour-blind readers; it repeats after eight.
const char* series_colour(std::size_t index);

struct XYLine {
    std::string label;          // its legend entry (long labels shortened, full one in the points' <title>)
    std::string tooltip;        // prefix of each point's <title>: "alpha-1b TTFT p50"
    std::size_t colour = 0;     // series_colour index
    bool dashed = false;
    std::vector<std::pair<double, double>> points;  // (x, y); non-finite ones left out; drawn in x order
};

struct XYSpec {
    std::string title;
    std::string description;    // <desc>: what the chart shows, for screen readers
    std::string x_label, y_label;
    bool y_higher_is_better = false;
    std::vector<XYLine> lines;
};

// A line chart over a numeric x (load levels): x on a log scale when every x is positive and they
// span a factor of 4 or more, with a tick at each x value present (thinned beyond ten); y from
// zero, or on a log scale when the values span more than a factor of 20. One <polyline> per line,
// a <circle> with a <title> per point, a legend on the right. No script.
std::string xy_line_chart(const XYSpec& spec);

}  // namespace hubbench::reports
