// The renderers: one per format, each a pure function of the report model (report_data.hpp).
#pragma once
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "reports/report_data.hpp"

namespace hubbench::reports {

enum class Format { markdown, csv, json, html };

// "md" or "markdown", "csv", "json", "html"; nullopt for anything else.
std::optional<Format> parse_format(std::string_view name);
const char* format_name(Format format);  // "md", "csv", "json", "html"

std::string render(const ReportData& report, Format format);

// Tables for slides: encoders and decoders side by side, regressions, per-task results, failures,
// provenance. Text from the database is escaped so that it cannot become Markdown or HTML.
std::string render_markdown(const ReportData& report);

// One row per model x result x metric (and one row per failed result), RFC 4180: CRLF line ends,
// fields with a comma, quote, CR or LF quoted, quotes doubled. Values at full precision.
std::string render_csv(const ReportData& report);

// The report as JSON (keys documented in json.cpp); render_json is report_to_json().dump(2).
nlohmann::json report_to_json(const ReportData& report);
std::string render_json(const ReportData& report);

// One self-contained HTML page: inline CSS, inline SVG charts, a small inline script that makes
// the tables sortable and then sets document.body.dataset.ready = "1". No external URL is
// referenced; a Content-Security-Policy forbids loading any.
std::string render_html(const ReportData& report);

}  // namespace hubbench::reports
