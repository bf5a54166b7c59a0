#include "reports/format.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <nlohmann/json.hpp>

namespace hubbench::reports {

namespace {

std::string printf_text(const char* format, double value, int precision = -1) {
    char buffer[64];
    int n = precision < 0 ? std::snprintf(buffer, sizeof buffer, format, value)
                          : std::snprintf(buffer, sizeof buffer, format, precision, value);
    return std::string(buffer, static_cast<std::size_t>(std::clamp(n, 0, static_cast<int>(sizeof buffer) - 1)));
}

std::string non_finite(double value) {
    if (std::isnan(value)) return "nan";
    return value > 0 ? "inf" : "-inf";
}

// Decimal places for a standard error: two significant digits when they start with 1 or 2, one
// otherwise (the Particle Data Group's rounding rule, simplified): 0.013 -> 3, 0.006 -> 3, 0.5 -> 1.
int decimals_for(double std_error) {
    int exponent = static_cast<int>(std::floor(std::log10(std_error)));
    double leading = std_error / std::pow(10.0, exponent);
    int d = (leading < 2.95 ? 1 : 0) - exponent;
    return std::clamp(d, 0, 10);
}

bool usable(std::optional<double> se) { return se && std::isfinite(*se) && *se > 0; }

std::string strip_negative_zero(std::string text) {
    // "-0.000" after rounding reads as a sign that is not there.
    if (!text.empty() && text[0] == '-' && text.find_first_not_of("-0.") == std::string::npos) text.erase(0, 1);
    return text;
}

}  // namespace

std::string format_number(double value) {
    if (!std::isfinite(value)) return non_finite(value);
    if (value == 0.0) return "0";
    double a = std::fabs(value);
    if (a < 1e15 && value == std::floor(value)) return printf_text("%.0f", value);
    if (a >= 1e15) return printf_text("%.3e", value);
    if (a >= 1e4) return printf_text("%.0f", value);
    if (a >= 1e-3) {
        int decimals = std::clamp(3 - static_cast<int>(std::floor(std::log10(a))), 0, 6);
        std::string text = strip_negative_zero(printf_text("%.*f", value, decimals));
        // Without a standard error trailing zeros claim no precision: "0.25", not "0.2500".
        if (text.find('.') != std::string::npos) {
            while (text.back() == '0') text.pop_back();
            if (text.back() == '.') text.pop_back();
        }
        return text;
    }
    return printf_text("%.3g", value);
}

std::string format_measurement(double value, std::optional<double> std_error) {
    if (!std::isfinite(value) || !usable(std_error)) return format_number(value);
    int d = decimals_for(*std_error);
    return strip_negative_zero(printf_text("%.*f", value, d)) + " ± " + printf_text("%.*f", *std_error, d);
}

std::string format_delta(double delta, std::optional<double> std_error) {
    if (!std::isfinite(delta)) return non_finite(delta);
    std::string text = usable(std_error) ? strip_negative_zero(printf_text("%.*f", delta, decimals_for(*std_error)))
                                         : format_number(delta);
    // A sign only on a difference that survives rounding: "+0.012", "-3", but "0.000".
    if (delta > 0 && text.find_first_not_of("0.") != std::string::npos) text.insert(0, "+");
    return text;
}

std::string format_percent(std::optional<double> relative) {
    if (!relative) return "";
    if (!std::isfinite(*relative)) return non_finite(*relative);
    double p = *relative * 100.0;
    double a = std::fabs(p);
    int decimals = a >= 10 ? 0 : a >= 1 ? 1 : 2;
    std::string text = strip_negative_zero(printf_text("%.*f", p, decimals));
    if (p > 0 && text.find_first_not_of("0.") != std::string::npos) text.insert(0, "+");
    return text + "%";
}

std::string format_count(std::int64_t n) {
    double v = static_cast<double>(n);
    double a = std::fabs(v);
    if (a >= 1e9) return printf_text("%.1fB", v / 1e9);
    if (a >= 1e6) return printf_text("%.1fM", v / 1e6);
    if (a >= 1e3) return printf_text("%.1fk", v / 1e3);
    return std::to_string(n);
}

std::string format_bytes(std::int64_t bytes) {
    static const char* units[] = {"B", "KiB", "MiB", "GiB", "TiB"};
    double v = static_cast<double>(bytes);
    int u = 0;
    while (std::fabs(v) >= 1024.0 && u < 4) {
        v /= 1024.0;
        ++u;
    }
    if (u == 0) return std::to_string(bytes) + " B";
    return printf_text("%.1f", v) + " " + units[u];
}

std::string exact_number(double value) {
    if (!std::isfinite(value)) return non_finite(value);
    char buffer[64];
    auto result = std::to_chars(buffer, buffer + sizeof buffer, value);
    return std::string(buffer, result.ptr);
}

std::string kind_text(const std::optional<ModelKind>& kind) { return kind ? model_kind_name(*kind) : "?"; }

const char* direction_arrow(std::optional<bool> higher_is_better) {
    if (!higher_is_better) return "";
    return *higher_is_better ? "↑" : "↓";
}

std::string label_with_unit(const MetricInfo& info) {
    if (info.unit.empty() || info.label.find(info.unit) != std::string::npos) return info.label;
    return info.label + " (" + info.unit + ")";
}

const char* const pseudo_note =
    "† pseudo: from the masked-LM pseudo-log-likelihood (Salazar et al. 2020), which is not a true likelihood. "
    "PPPL and its bits per byte indicate how well an encoder models the text but are not directly comparable with "
    "a decoder's perplexity.";

const char* const bits_per_byte_note =
    "Bits per byte is the figure to compare across models: it does not depend on the tokenizer. Token perplexities "
    "of models with different tokenizers are not comparable.";

std::string plural(std::size_t n, const std::string& noun) { return std::to_string(n) + " " + noun + (n == 1 ? "" : "s"); }

std::string run_name(const results::RunRow& run) {
    std::string text = "run " + std::to_string(run.id.value);
    if (!run.info.label.empty()) text += " (" + run.info.label + ")";
    return text;
}

namespace {
std::string night_name(const std::string& night, const std::string& label) {
    return "night " + night + (label.empty() ? "" : " (" + label + ")");
}
}  // namespace

std::string report_name(const ReportData& report) {
    return report.night.empty() ? run_name(report.run) : night_name(report.night, report.run.info.label);
}

std::string baseline_name(const ReportData& report) {
    if (!report.baseline) return "";
    return report.baseline_night.empty() ? run_name(*report.baseline) : night_name(report.baseline_night, report.baseline->info.label);
}

std::string shard_name(const results::RunRow& run) {
    return (run.info.shard.empty() ? std::string("whole") : run.info.shard) + " (run " + std::to_string(run.id.value) + ")";
}

std::string host_text(const results::HostInfo& host) {
    std::string text = host.host_name.empty() ? "unknown host" : host.host_name;
    if (!host.cpu_model.empty()) text += ": " + host.cpu_model;
    if (host.cpu_cores > 0) text += ", " + std::to_string(host.cpu_cores) + " cores";
    if (host.memory_bytes > 0) text += ", " + format_bytes(host.memory_bytes);
    if (!host.os.empty()) text += ", " + host.os;
    return text;
}

std::string run_status_warning(const results::RunRow& run) {
    switch (run.status) {
        case results::RunStatus::ok: return "";
        case results::RunStatus::running:
            return "This run has not finished: it is still going, or it was killed. Its results may be incomplete.";
        case results::RunStatus::interrupted: return "This run was interrupted: its results may be incomplete.";
        case results::RunStatus::failed: return "This run ended with status failed: its results may be incomplete.";
    }
    return "";
}

std::string threshold_text(const ReportData& report) {
    return "a change counts when it exceeds " + printf_text("%g", report.relative_tolerance * 100) + "% (" +
           printf_text("%g", report.speed_relative_tolerance * 100) +
           "% for speed and memory) and two combined standard errors, where the suite estimated them";
}

std::vector<std::string> missing_since_baseline(const ReportData& report) {
    std::vector<std::string> out;
    for (const auto& c : report.changes) {
        if (c.current || !c.baseline) continue;
        std::string item = c.repo_id + " (" + c.task + ")";
        if (std::find(out.begin(), out.end(), item) == out.end()) out.push_back(item);
    }
    return out;
}

std::string task_heading(const Meanings& meanings, const std::string& task) {
    std::string label = meanings.task_label(task);
    return label.empty() || label == task ? task : label + " (" + task + ")";
}

std::string short_name(const std::string& repo) {
    auto slash = repo.find('/');
    return slash == std::string::npos || slash + 1 == repo.size() ? repo : repo.substr(slash + 1);
}

const char* significance_mark(const TaskResult& result) {
    if (result.question_size < 2) return "";
    switch (result.significance) {
        case Significance::best: return "★";
        case Significance::tied: return "≈";
        default: return "";
    }
}

const char* const significance_legend =
    "★ best; ≈ not significantly worse than the best (paired bootstrap over the same items, 95%)";

const char* const kind_pick_note =
    "The best encoder and the best decoder of each task and dataset by the task's primary metric (± one standard error). "
    "\"Within noise\": a paired bootstrap over the items both were scored on (95%) cannot tell them apart.";

std::string question_text(const Meanings& meanings, const KindPick& row) {
    std::string text = meanings.task_label(row.task);
    if (text.empty()) text = row.task;
    if (!row.distinct_parameters.empty()) text += ", " + row.distinct_parameters;
    return text;
}

std::string kind_best_model(const KindBest& best) {
    std::string text = short_name(best.repo_id);
    if (!best.method.empty()) text += " (" + best.method + ")";
    return text;
}

std::string kind_best_figures(const KindBest& best) {
    std::string text = format_measurement(best.value.value, best.value.std_error);
    if (best.value.info.pseudo) text += " †";
    if (best.items_per_second) text += ", " + format_number(*best.items_per_second) + " items/s";
    return text;
}

std::string task_and_method(const FailedResult& result) {
    auto params = nlohmann::json::parse(result.parameters, nullptr, false);
    if (!params.is_object() || !params.contains("method")) return result.task;
    const auto& method = params["method"];
    return result.task + " (" + (method.is_string() ? method.get<std::string>() : method.dump()) + ")";
}

std::string format_ratio(double ratio) { return printf_text(ratio < 9.95 ? "%.1f×" : "%.0f×", ratio); }

std::string pick_text(const KindPick& row) {
    if (!row.pick) return "";
    const std::string kind = model_kind_name(*row.pick);
    if (!row.encoder || !row.decoder) {
        return kind + (*row.pick == ModelKind::encoder ? " (no decoder measured)" : " (no encoder measured)");
    }
    switch (row.runner_up) {
        case Significance::tied: {
            std::string text = "either: within noise";
            if (row.faster && row.speedup) {
                const KindBest& fast = *row.faster == ModelKind::encoder ? *row.encoder : *row.decoder;
                text += *row.speedup < 1.05 ? "; equally fast" : "; " + short_name(fast.repo_id) + " is " + format_ratio(*row.speedup) + " faster";
            }
            return text;
        }
        case Significance::worse: return kind + " (significantly better)";
        default: return kind + " (no per-item samples to test the difference)";
    }
}

std::string load_text(const LoadLevel& load) {
    return load.kind == LoadKind::concurrency ? "concurrency " + format_number(load.value) : format_number(load.value) + " req/s";
}

std::string change_task_text(const ChangeRow& change) {
    const auto load = load_level_of(change.task, change.parameters);
    return load ? change.task + " (" + load_text(*load) + ")" : change.task;
}

std::string load_axis_label(LoadKind kind) {
    return kind == LoadKind::concurrency ? "concurrency (requests in flight)" : "request rate (req/s)";
}

std::string serving_series_text(const ServingSeries& series, bool show_dataset) {
    std::string text = series.endpoint.empty() ? std::string("endpoint not recorded") : series.endpoint + " endpoint";
    if (series.prompt_tokens && series.output_tokens) {
        text += ", " + std::to_string(*series.prompt_tokens) + " prompt + " + std::to_string(*series.output_tokens) + " output tokens";
    } else if (series.prompt_tokens) {
        text += ", " + std::to_string(*series.prompt_tokens) + " prompt tokens";
    } else if (series.output_tokens) {
        text += ", " + std::to_string(*series.output_tokens) + " output tokens";
    }
    if (show_dataset) text += ", " + series.dataset_name;
    if (series.slo_ttft_ms || series.slo_itl_ms) {
        text += ", goodput SLOs:";
        if (series.slo_ttft_ms) text += " TTFT ≤ " + format_number(*series.slo_ttft_ms) + " ms";
        if (series.slo_ttft_ms && series.slo_itl_ms) text += ",";
        if (series.slo_itl_ms) text += " ITL ≤ " + format_number(*series.slo_itl_ms) + " ms";
    }
    if (!series.distinct_parameters.empty()) text += ", " + series.distinct_parameters;
    return text;
}

bool serving_datasets_differ(const ReportData& report) {
    for (const auto& s : report.serving) {
        if (s.dataset_sha256 != report.serving.front().dataset_sha256) return true;
    }
    return false;
}

const char* const serving_note =
    "One row per load level: a fixed number of requests in flight (concurrency) or a fixed arrival rate (req/s). "
    "TTFT = time to first token, ITL = inter-token latency (the gap between consecutive streamed tokens), "
    "E2E = end-to-end request latency; p50/p90/p99 are percentiles over the level's requests, in milliseconds, measured on "
    "the client's monotonic clock. req/s and output tok/s are the completed requests and generated tokens per second; "
    "goodput counts only the requests per second that met the SLOs. ↓ lower is better, ↑ higher is better.";

std::string csv_field(std::string_view text) {
    if (text.find_first_of(",\"\r\n") == std::string_view::npos) return std::string(text);
    std::string out = "\"";
    for (char c : text) {
        if (c == '"') out += '"';
        out += c;
    }
    return out + "\"";
}

std::string markdown_cell(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (char c : text) {
        switch (c) {
            case '\\': case '`': case '*': case '_': case '[': case ']': case '<': case '>': case '|':
            case '#': case '~': case '&': case '!':
                out += '\\';
                out += c;
                break;
            case '\n': case '\r': case '\t': out += ' '; break;
            default: out += c;
        }
    }
    return out;
}

}  // namespace hubbench::reports
