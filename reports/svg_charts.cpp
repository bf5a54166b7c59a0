#include "reports/svg_charts.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <sstream>

namespace hubbench::reports {

namespace {

std::string num(double v) {
    // Coordinates: two decimals are far below a pixel.
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%.2f", v);
    std::string s = buffer;
    if (s.find('.') != std::string::npos) {
        while (s.back() == '0') s.pop_back();
        if (s.back() == '.') s.pop_back();
    }
    return s == "-0" ? "0" : s;
}

std::string tick_text(double v) {
    char buffer[32];
    double a = std::fabs(v);
    if (a >= 1e6) std::snprintf(buffer, sizeof buffer, "%gM", v / 1e6);
    else if (a >= 1e4) std::snprintf(buffer, sizeof buffer, "%gk", v / 1e3);
    else std::snprintf(buffer, sizeof buffer, "%g", std::fabs(v) < 1e-12 ? 0.0 : v);
    return buffer;
}

double nice_step(double range, int target) {
    double raw = range / target;
    double magnitude = std::pow(10.0, std::floor(std::log10(raw)));
    double norm = raw / magnitude;
    double nice = norm < 1.5 ? 1 : norm < 3 ? 2 : norm < 7 ? 5 : 10;
    return nice * magnitude;
}

struct Axis {
    double lo = 0, hi = 1;
    bool log = false;
    std::vector<double> ticks;

    // Position in [0, 1].
    double fraction(double v) const {
        if (log) return (std::log10(v) - std::log10(lo)) / (std::log10(hi) - std::log10(lo));
        return (v - lo) / (hi - lo);
    }
};

Axis linear_axis(double min, double max, bool from_zero) {
    if (from_zero) {
        min = std::min(min, 0.0);
        max = std::max(max, 0.0);
    }
    if (max - min <= 0) {
        double pad = min == 0 ? 1.0 : std::fabs(min) * 0.1;
        min -= pad;
        max += pad;
    } else if (!from_zero) {
        double pad = (max - min) * 0.08;
        min -= pad;
        max += pad;
    }
    Axis a;
    double step = nice_step(max - min, 5);
    a.lo = std::floor(min / step) * step;
    a.hi = std::ceil(max / step) * step;
    for (double t = a.lo; t <= a.hi + step * 1e-9; t += step) a.ticks.push_back(std::fabs(t) < step * 1e-9 ? 0.0 : t);
    return a;
}

Axis log_axis(double min, double max) {
    Axis a;
    a.log = true;
    a.lo = std::pow(10.0, std::floor(std::log10(min)));
    a.hi = std::pow(10.0, std::ceil(std::log10(max)));
    if (a.hi <= a.lo) a.hi = a.lo * 10;
    int decades = static_cast<int>(std::lround(std::log10(a.hi / a.lo)));
    for (double d = a.lo; d <= a.hi * 1.000001; d *= 10) {
        a.ticks.push_back(d);
        if (decades <= 2 && d * 10 <= a.hi * 1.000001) {
            a.ticks.push_back(2 * d);
            a.ticks.push_back(5 * d);
        }
    }
    std::sort(a.ticks.begin(), a.ticks.end());
    return a;
}

std::string shorten(const std::string& text, std::size_t max_chars) {
    // Counts bytes, cuts only at a UTF-8 character boundary.
    if (text.size() <= max_chars) return text;
    std::size_t cut = max_chars - 1;
    while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
    return text.substr(0, cut) + "…";
}

void svg_open(std::ostringstream& out, double width, double height, const std::string& title, const char* css_class) {
    out << "<svg class=\"" << css_class << "\" viewBox=\"0 0 " << num(width) << ' ' << num(height) << "\" width=\"" << num(width)
        << "\" height=\"" << num(height) << "\" role=\"img\" font-family=\"system-ui, -apple-system, 'Segoe UI', sans-serif\">"
        << "<title>" << html_escape(title) << "</title>";
}

void legend_item(std::ostringstream& out, double x, double y, const char* colour, bool ring, const std::string& text) {
    if (ring) {
        out << "<circle cx=\"" << num(x) << "\" cy=\"" << num(y) << "\" r=\"5\" fill=\"#fff\" stroke=\"" << colour << "\" stroke-width=\"2\"/>";
    } else {
        out << "<circle cx=\"" << num(x) << "\" cy=\"" << num(y) << "\" r=\"5\" fill=\"" << colour << "\"/>";
    }
    out << "<text x=\"" << num(x + 10) << "\" y=\"" << num(y + 4) << "\" font-size=\"12\" fill=\"#374151\">" << html_escape(text) << "</text>";
}

}  // namespace

std::string html_escape(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (char c : text) {
        switch (c) {
            case '&': out += "&amp;"; break;
            case '<': out += "&lt;"; break;
            case '>': out += "&gt;"; break;
            case '"': out += "&quot;"; break;
            case '\'': out += "&#39;"; break;
            default: out += c;
        }
    }
    return out;
}

const char* group_colour(SeriesGroup group) {
    switch (group) {
        case SeriesGroup::decoder: return "#1f5fbf";
        case SeriesGroup::encoder: return "#e0701a";
        case SeriesGroup::other: return "#6b7280";
    }
    return "#6b7280";
}

std::string scatter_chart(const ScatterSpec& spec) {
    std::vector<ScatterPoint> points;
    for (const auto& p : spec.points) {
        if (std::isfinite(p.x) && std::isfinite(p.y)) points.push_back(p);
    }
    const double width = 760, height = 460, left = 76, right = 190, top = 64, bottom = 56;
    const double plot_w = width - left - right, plot_h = height - top - bottom;
    std::ostringstream out;
    svg_open(out, width, height, spec.title, "chart scatter");
    out << "<text x=\"" << num(left) << "\" y=\"22\" font-size=\"15\" font-weight=\"600\" fill=\"#111827\">" << html_escape(spec.title) << "</text>";
    legend_item(out, left + 6, 44, group_colour(SeriesGroup::decoder), false, "decoder");
    legend_item(out, left + 96, 44, group_colour(SeriesGroup::encoder), false, "encoder");
    if (spec.hollow_means_pseudo) legend_item(out, left + 186, 44, "#6b7280", true, "pseudo (PPPL)");
    if (points.empty()) {
        out << "<text x=\"" << num(left) << "\" y=\"" << num(top + 30) << "\" font-size=\"13\" fill=\"#6b7280\">no model has both figures</text></svg>";
        return out.str();
    }
    double xmin = points[0].x, xmax = xmin, ymin = points[0].y, ymax = ymin;
    for (const auto& p : points) {
        double e = p.x_error && std::isfinite(*p.x_error) ? *p.x_error : 0.0;
        xmin = std::min(xmin, p.x - e);
        xmax = std::max(xmax, p.x + e);
        ymin = std::min(ymin, p.y);
        ymax = std::max(ymax, p.y);
    }
    Axis xa = linear_axis(xmin, xmax, false);
    Axis ya = ymin > 0 && ymax / ymin > 20 ? log_axis(ymin, ymax) : linear_axis(ymin, ymax, ymin >= 0);
    auto px = [&](double v) { return left + xa.fraction(v) * plot_w; };
    auto py = [&](double v) { return top + (1 - ya.fraction(v)) * plot_h; };

    out << "<rect x=\"" << num(left) << "\" y=\"" << num(top) << "\" width=\"" << num(plot_w) << "\" height=\"" << num(plot_h)
        << "\" fill=\"#fafbfc\" stroke=\"#d1d5db\"/>";
    for (double t : xa.ticks) {
        out << "<line x1=\"" << num(px(t)) << "\" x2=\"" << num(px(t)) << "\" y1=\"" << num(top) << "\" y2=\"" << num(top + plot_h)
            << "\" stroke=\"#e5e7eb\"/><text x=\"" << num(px(t)) << "\" y=\"" << num(top + plot_h + 16)
            << "\" font-size=\"11\" text-anchor=\"middle\" fill=\"#4b5563\">" << tick_text(t) << "</text>";
    }
    for (double t : ya.ticks) {
        out << "<line x1=\"" << num(left) << "\" x2=\"" << num(left + plot_w) << "\" y1=\"" << num(py(t)) << "\" y2=\"" << num(py(t))
            << "\" stroke=\"#e5e7eb\"/><text x=\"" << num(left - 6) << "\" y=\"" << num(py(t) + 4)
            << "\" font-size=\"11\" text-anchor=\"end\" fill=\"#4b5563\">" << tick_text(t) << "</text>";
    }
    std::string x_label = spec.x_label + (spec.x_higher_is_better ? "  (better →)" : "  (← better)");
    std::string y_label = spec.y_label + (ya.log ? ", log scale" : "") + (spec.y_higher_is_better ? "  (better ↑)" : "  (↓ better)");
    out << "<text x=\"" << num(left + plot_w / 2) << "\" y=\"" << num(height - 14) << "\" font-size=\"12\" text-anchor=\"middle\" fill=\"#111827\">"
        << html_escape(x_label) << "</text>";
    out << "<text transform=\"translate(18 " << num(top + plot_h / 2) << ") rotate(-90)\" font-size=\"12\" text-anchor=\"middle\" fill=\"#111827\">"
        << html_escape(y_label) << "</text>";
    for (const auto& p : points) {
        const char* colour = group_colour(p.group);
        double x = px(p.x), y = py(p.y);
        out << "<g class=\"point\"><title>" << html_escape(p.tooltip) << "</title>";
        if (p.x_error && std::isfinite(*p.x_error) && *p.x_error > 0) {
            double x0 = px(p.x - *p.x_error), x1 = px(p.x + *p.x_error);
            out << "<line x1=\"" << num(x0) << "\" x2=\"" << num(x1) << "\" y1=\"" << num(y) << "\" y2=\"" << num(y) << "\" stroke=\"" << colour
                << "\" stroke-width=\"1.5\"/>";
        }
        if (p.hollow) {
            out << "<circle cx=\"" << num(x) << "\" cy=\"" << num(y) << "\" r=\"6\" fill=\"#fff\" stroke=\"" << colour << "\" stroke-width=\"2.5\"/>";
        } else {
            out << "<circle cx=\"" << num(x) << "\" cy=\"" << num(y) << "\" r=\"6\" fill=\"" << colour << "\" stroke=\"#fff\" stroke-width=\"1\"/>";
        }
        std::string label = shorten(p.label, 26);
        out << "<text x=\"" << num(x + 10) << "\" y=\"" << num(y - 8) << "\" font-size=\"11\" fill=\"#1f2937\">" << html_escape(label) << "</text></g>";
    }
    out << "</svg>";
    return out.str();
}

std::string bar_chart(const BarSpec& spec) {
    std::vector<Bar> bars;
    for (const auto& b : spec.bars) {
        if (std::isfinite(b.value)) bars.push_back(b);
    }
    const double width = 560, left = 190, right = 96, top = 34, bar_h = 18, gap = 10, bottom = 40;
    const double plot_w = width - left - right;
    const double height = top + std::max<std::size_t>(bars.size(), 1) * (bar_h + gap) + bottom;
    std::ostringstream out;
    svg_open(out, width, height, spec.title, "chart bars");
    out << "<text x=\"8\" y=\"20\" font-size=\"14\" font-weight=\"600\" fill=\"#111827\">" << html_escape(spec.title) << "</text>";
    if (bars.empty()) {
        out << "<text x=\"8\" y=\"" << num(top + 14) << "\" font-size=\"12\" fill=\"#6b7280\">no finite values</text></svg>";
        return out.str();
    }
    double lo = 0, hi = 0;
    for (const auto& b : bars) {
        double e = b.error && std::isfinite(*b.error) ? *b.error : 0.0;
        lo = std::min(lo, b.value - e);
        hi = std::max(hi, b.value + e);
    }
    Axis a = linear_axis(lo, hi, true);
    auto px = [&](double v) { return left + a.fraction(v) * plot_w; };
    const double plot_bottom = top + bars.size() * (bar_h + gap);
    for (double t : a.ticks) {
        out << "<line x1=\"" << num(px(t)) << "\" x2=\"" << num(px(t)) << "\" y1=\"" << num(top - 4) << "\" y2=\"" << num(plot_bottom)
            << "\" stroke=\"" << (t == 0 ? "#9ca3af" : "#e5e7eb") << "\"/><text x=\"" << num(px(t)) << "\" y=\"" << num(plot_bottom + 14)
            << "\" font-size=\"10\" text-anchor=\"middle\" fill=\"#4b5563\">" << tick_text(t) << "</text>";
    }
    out << "<text x=\"" << num(left + plot_w / 2) << "\" y=\"" << num(plot_bottom + 32) << "\" font-size=\"11\" text-anchor=\"middle\" fill=\"#374151\">"
        << html_escape(spec.axis_label) << "</text>";
    for (std::size_t i = 0; i < bars.size(); ++i) {
        const Bar& b = bars[i];
        const char* colour = group_colour(b.group);
        double y = top + i * (bar_h + gap);
        double x0 = px(std::min(0.0, b.value)), x1 = px(std::max(0.0, b.value));
        out << "<g class=\"bar\"><title>" << html_escape(b.tooltip) << "</title>";
        out << "<text x=\"" << num(left - 8) << "\" y=\"" << num(y + bar_h / 2 + 4) << "\" font-size=\"11\" text-anchor=\"end\" fill=\"#1f2937\">"
            << html_escape(shorten(b.label, 30)) << "</text>";
        out << "<rect x=\"" << num(x0) << "\" y=\"" << num(y) << "\" width=\"" << num(std::max(x1 - x0, 1.0)) << "\" height=\"" << num(bar_h)
            << "\" rx=\"2\" fill=\"" << colour << "\"" << (b.hollow ? " fill-opacity=\"0.28\" stroke-dasharray=\"4 2\"" : "") << " stroke=\"" << colour
            << "\" stroke-width=\"1.5\"/>";
        double text_x = px(b.value);
        if (b.error && std::isfinite(*b.error) && *b.error > 0) {
            double e0 = px(b.value - *b.error), e1 = px(b.value + *b.error), ym = y + bar_h / 2;
            out << "<path d=\"M" << num(e0) << ' ' << num(ym) << "H" << num(e1) << "M" << num(e0) << ' ' << num(ym - 4) << "V" << num(ym + 4) << "M"
                << num(e1) << ' ' << num(ym - 4) << "V" << num(ym + 4) << "\" stroke=\"#374151\" stroke-width=\"1\" fill=\"none\"/>";
            text_x = std::max(text_x, e1);
        }
        out << "<text x=\"" << num(std::max(text_x, px(0.0)) + 7) << "\" y=\"" << num(y + bar_h / 2 + 4) << "\" font-size=\"11\" fill=\"#111827\">"
            << html_escape(b.value_text) << "</text></g>";
    }
    out << "</svg>";
    return out.str();
}

std::string line_chart(const LineSpec& spec) {
    const double width = 560, height = 250, left = 64, right = 130, top = 34, bottom = 58;
    const double plot_w = width - left - right, plot_h = height - top - bottom;
    std::ostringstream out;
    svg_open(out, width, height, spec.title, "chart lines");
    out << "<text x=\"8\" y=\"20\" font-size=\"14\" font-weight=\"600\" fill=\"#111827\">" << html_escape(spec.title) << "</text>";
    bool any = false;
    double lo = 0, hi = 0;
    for (const auto& line : spec.series) {
        for (const auto& v : line.values) {
            if (!v || !std::isfinite(*v)) continue;
            lo = any ? std::min(lo, *v) : *v;
            hi = any ? std::max(hi, *v) : *v;
            any = true;
        }
    }
    const std::size_t n = spec.x_labels.size();
    if (!any || n == 0) {
        out << "<text x=\"8\" y=\"" << num(top + 14) << "\" font-size=\"12\" fill=\"#6b7280\">no finite values</text></svg>";
        return out.str();
    }
    Axis ya = linear_axis(lo, hi, false);
    auto px = [&](std::size_t i) { return left + (n == 1 ? plot_w / 2 : plot_w * static_cast<double>(i) / static_cast<double>(n - 1)); };
    auto py = [&](double v) { return top + (1 - ya.fraction(v)) * plot_h; };
    out << "<rect x=\"" << num(left) << "\" y=\"" << num(top) << "\" width=\"" << num(plot_w) << "\" height=\"" << num(plot_h)
        << "\" fill=\"#fafbfc\" stroke=\"#d1d5db\"/>";
    for (double t : ya.ticks) {
        out << "<line x1=\"" << num(left) << "\" x2=\"" << num(left + plot_w) << "\" y1=\"" << num(py(t)) << "\" y2=\"" << num(py(t))
            << "\" stroke=\"#e5e7eb\"/><text x=\"" << num(left - 6) << "\" y=\"" << num(py(t) + 4)
            << "\" font-size=\"10\" text-anchor=\"end\" fill=\"#4b5563\">" << tick_text(t) << "</text>";
    }
    // At most about eight x labels, the last (this night) always.
    const std::size_t every = std::max<std::size_t>(1, (n + 7) / 8);
    for (std::size_t i = 0; i < n; ++i) {
        if (i % every != 0 && i + 1 != n) continue;
        out << "<text transform=\"translate(" << num(px(i)) << ' ' << num(top + plot_h + 12) << ") rotate(30)\" font-size=\"9\" fill=\"#4b5563\">"
            << html_escape(shorten(spec.x_labels[i], 22)) << "</text>";
    }
    out << "<text transform=\"translate(14 " << num(top + plot_h / 2) << ") rotate(-90)\" font-size=\"11\" text-anchor=\"middle\" fill=\"#111827\">"
        << html_escape(spec.y_label + (spec.higher_is_better ? "  (better ↑)" : "  (↓ better)")) << "</text>";
    for (const auto& line : spec.series) {
        const char* colour = group_colour(line.group);
        out << "<g class=\"line\">";
        std::string path;
        std::optional<std::size_t> last;
        for (std::size_t i = 0; i < n && i < line.values.size(); ++i) {
            const auto& v = line.values[i];
            if (!v || !std::isfinite(*v)) {
                continue;
            }
            path += (last && *last + 1 == i ? "L" : "M") + num(px(i)) + ' ' + num(py(*v));
            last = i;
        }
        if (!path.empty()) out << "<path d=\"" << path << "\" fill=\"none\" stroke=\"" << colour << "\" stroke-width=\"1.8\"/>";
        for (std::size_t i = 0; i < n && i < line.values.size(); ++i) {
            const auto& v = line.values[i];
            if (!v || !std::isfinite(*v)) continue;
            out << "<circle cx=\"" << num(px(i)) << "\" cy=\"" << num(py(*v)) << "\" r=\"3\" fill=\"" << colour << "\"><title>"
                << html_escape(line.tooltip + ", " + spec.x_labels[i] + ": " + tick_text(*v)) << "</title></circle>";
        }
        if (last) {
            out << "<text x=\"" << num(px(*last) + 7) << "\" y=\"" << num(py(*line.values[*last]) + 4) << "\" font-size=\"10\" fill=\"#1f2937\">"
                << html_escape(shorten(line.label, 20)) << "</text>";
        }
        out << "</g>";
    }
    out << "</svg>";
    return out.str();
}

const char* series_colour(std::size_t index) {
    static constexpr const char* palette[] = {"#0072b2", "#d55e00", "#009e73", "#cc79a7", "#e69f00", "#56b4e9", "#000000", "#8a6d00"};
    return palette[index % (sizeof palette / sizeof palette[0])];
}

std::string xy_line_chart(const XYSpec& spec) {
    // The lines, their points finite (and positive on a log axis), in x order.
    std::vector<XYLine> lines = spec.lines;
    for (auto& line : lines) {
        std::erase_if(line.points, [](const auto& p) { return !std::isfinite(p.first) || !std::isfinite(p.second); });
        std::stable_sort(line.points.begin(), line.points.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    }
    std::vector<double> xs;
    double ymin = 0, ymax = 0;
    bool any = false;
    for (const auto& line : lines) {
        for (const auto& [x, y] : line.points) {
            xs.push_back(x);
            ymin = any ? std::min(ymin, y) : y;
            ymax = any ? std::max(ymax, y) : y;
            any = true;
        }
    }
    std::sort(xs.begin(), xs.end());
    xs.erase(std::unique(xs.begin(), xs.end()), xs.end());

    const double width = 640, left = 64, right = 196, top = 40, bottom = 52, legend_row = 17;
    const double height = std::max(280.0, top + 8 + static_cast<double>(lines.size()) * legend_row + bottom);
    const double plot_w = width - left - right, plot_h = height - top - bottom;
    std::ostringstream out;
    svg_open(out, width, height, spec.title, "chart xy");
    out << "<desc>" << html_escape(spec.description) << "</desc>";
    out << "<text x=\"8\" y=\"20\" font-size=\"14\" font-weight=\"600\" fill=\"#111827\">" << html_escape(spec.title) << "</text>";
    if (!any) {
        out << "<text x=\"8\" y=\"" << num(top + 14) << "\" font-size=\"12\" fill=\"#6b7280\">no finite values</text></svg>";
        return out.str();
    }

    const bool x_log = xs.front() > 0 && xs.back() / xs.front() >= 4;
    const double x_lo = xs.front(), x_hi = xs.back();
    const double inset = 14;  // keeps the first and last points off the frame
    auto px = [&](double x) {
        if (x_hi <= x_lo) return left + plot_w / 2;
        const double f = x_log ? (std::log(x) - std::log(x_lo)) / (std::log(x_hi) - std::log(x_lo)) : (x - x_lo) / (x_hi - x_lo);
        return left + inset + f * (plot_w - 2 * inset);
    };
    Axis ya = ymin > 0 && ymax / ymin > 20 ? log_axis(ymin, ymax) : linear_axis(ymin, ymax, ymin >= 0);
    auto py = [&](double v) { return top + (1 - ya.fraction(v)) * plot_h; };

    out << "<rect x=\"" << num(left) << "\" y=\"" << num(top) << "\" width=\"" << num(plot_w) << "\" height=\"" << num(plot_h)
        << "\" fill=\"#fafbfc\" stroke=\"#d1d5db\"/>";
    out << "<g class=\"y-ticks\">";
    for (double t : ya.ticks) {
        out << "<line x1=\"" << num(left) << "\" x2=\"" << num(left + plot_w) << "\" y1=\"" << num(py(t)) << "\" y2=\"" << num(py(t))
            << "\" stroke=\"#e5e7eb\"/><text x=\"" << num(left - 6) << "\" y=\"" << num(py(t) + 4)
            << "\" font-size=\"10\" text-anchor=\"end\" fill=\"#4b5563\">" << tick_text(t) << "</text>";
    }
    out << "</g><g class=\"x-ticks\">";
    // A tick at each level measured; beyond ten, every k-th and the last.
    const std::size_t every = std::max<std::size_t>(1, (xs.size() + 9) / 10);
    for (std::size_t i = 0; i < xs.size(); ++i) {
        if (i % every != 0 && i + 1 != xs.size()) continue;
        const double x = px(xs[i]);
        out << "<line x1=\"" << num(x) << "\" x2=\"" << num(x) << "\" y1=\"" << num(top) << "\" y2=\"" << num(top + plot_h + 4)
            << "\" stroke=\"#e5e7eb\"/><text x=\"" << num(x) << "\" y=\"" << num(top + plot_h + 16)
            << "\" font-size=\"10\" text-anchor=\"middle\" fill=\"#4b5563\">" << tick_text(xs[i]) << "</text>";
    }
    out << "</g>";
    const std::string x_label = spec.x_label + (x_log ? ", log scale" : "");
    const std::string y_label = spec.y_label + (ya.log ? ", log scale" : "") + (spec.y_higher_is_better ? "  (better ↑)" : "  (↓ better)");
    out << "<text x=\"" << num(left + plot_w / 2) << "\" y=\"" << num(height - 12) << "\" font-size=\"11\" text-anchor=\"middle\" fill=\"#111827\">"
        << html_escape(x_label) << "</text>";
    out << "<text transform=\"translate(14 " << num(top + plot_h / 2) << ") rotate(-90)\" font-size=\"11\" text-anchor=\"middle\" fill=\"#111827\">"
        << html_escape(y_label) << "</text>";

    const double legend_x = left + plot_w + 14;
    for (std::size_t i = 0; i < lines.size(); ++i) {
        const XYLine& line = lines[i];
        const char* colour = series_colour(line.colour);
        const char* dash = line.dashed ? " stroke-dasharray=\"6 4\"" : "";
        out << "<g class=\"series\"><title>" << html_escape(line.label) << "</title>";
        if (!line.points.empty()) {
            out << "<polyline points=\"";
            for (std::size_t k = 0; k < line.points.size(); ++k) {
                out << (k == 0 ? "" : " ") << num(px(line.points[k].first)) << ',' << num(py(line.points[k].second));
            }
            out << "\" fill=\"none\" stroke=\"" << colour << "\" stroke-width=\"2\"" << dash << "/>";
        }
        for (const auto& [x, y] : line.points) {
            out << "<circle cx=\"" << num(px(x)) << "\" cy=\"" << num(py(y)) << "\" r=\"3.5\" fill=\"" << (line.dashed ? "#fff" : colour)
                << "\" stroke=\"" << colour << "\" stroke-width=\"1.5\"><title>"
                << html_escape(line.tooltip + " at " + tick_text(x) + ": " + tick_text(y)) << "</title></circle>";
        }
        // The legend entry: a sample of the line, then its label.
        const double ly = top + 8 + static_cast<double>(i) * legend_row;
        out << "<line x1=\"" << num(legend_x) << "\" x2=\"" << num(legend_x + 24) << "\" y1=\"" << num(ly) << "\" y2=\"" << num(ly)
            << "\" stroke=\"" << colour << "\" stroke-width=\"2\"" << dash << "/><text x=\"" << num(legend_x + 30) << "\" y=\""
            << num(ly + 4) << "\" font-size=\"11\" fill=\"#1f2937\">" << html_escape(shorten(line.label, 26)) << "</text></g>";
    }
    out << "</svg>";
    return out.str();
}

}  // namespace hubbench::reports
