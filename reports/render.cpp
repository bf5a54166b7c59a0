#include "reports/render.hpp"

namespace hubbench::reports {

std::optional<Format> parse_format(std::string_view name) {
    if (name == "md" || name == "markdown") return Format::markdown;
    if (name == "csv") return Format::csv;
    if (name == "json") return Format::json;
    if (name == "html") return Format::html;
    return std::nullopt;
}

const char* format_name(Format format) {
    switch (format) {
        case Format::markdown: return "md";
        case Format::csv: return "csv";
        case Format::json: return "json";
        case Format::html: return "html";
    }
    return "?";
}

std::string render(const ReportData& report, Format format) {
    switch (format) {
        case Format::markdown: return render_markdown(report);
        case Format::csv: return render_csv(report);
        case Format::json: return render_json(report);
        case Format::html: return render_html(report);
    }
    return {};
}

}  // namespace hubbench::reports
