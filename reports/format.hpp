// Number and text formatting shared by the renderers, so a value reads the same in Markdown and
// HTML. Display forms round; exact_number() is for the machine formats (CSV, JSON).
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "reports/report_data.hpp"

namespace hubbench::reports {

// About four significant digits, never an exponent between 1e-3 and 1e15; integers as integers;
// "inf", "-inf", "nan".
std::string format_number(double value);

// "10.75 ± 0.03", "1.600 ± 0.013": the standard error to two significant digits when they start
// with 1 or 2, else to one (the Particle Data Group's rounding rule), and the value to the same
// decimal place, as llama.cpp prints "PPL = 10.75 +/- 0.03". Without a positive, finite standard
// error, format_number(value).
std::string format_measurement(double value, std::optional<double> std_error);

// The difference to the baseline with a sign, at the precision of the value: "+0.012", "-3".
std::string format_delta(double delta, std::optional<double> std_error);

// "+1.2%", "-0.03%"; "" when unset.
std::string format_percent(std::optional<double> relative);

// Human counts: 124439808 -> "124.4M", 1500 -> "1.5k", 7e9 -> "7.0B".
std::string format_count(std::int64_t n);

// 1536 -> "1.5 KiB", 497764 -> "486.1 KiB".
std::string format_bytes(std::int64_t bytes);

// A CSV field as RFC 4180 writes it: quoted when it holds a comma, a double quote, CR or LF, inner
// quotes doubled.
std::string csv_field(std::string_view text);
// Text for a Markdown table cell: the ASCII punctuation CommonMark/GFM would interpret
// backslash-escaped (CommonMark spec 2.4), on one line.
std::string markdown_cell(std::string_view text);

// The shortest text that reads back to the same double ("0.1", "1e-07", "inf", "-inf", "nan").
std::string exact_number(double value);

// "decoder", "encoder", "encoder-decoder", or "?" when unknown.
std::string kind_text(const std::optional<ModelKind>& kind);

// "Spearman ρ ↑" etc.: a direction arrow after a label ("" when there is none).
const char* direction_arrow(std::optional<bool> higher_is_better);

// A metric's label with its unit in parentheses, when it has one: "decode tok/s", "load time (s)".
std::string label_with_unit(const MetricInfo& info);

// ---- sentences shared by the Markdown and HTML reports (plain text, not yet escaped) ----

// "1 model", "3 models".
std::string plural(std::size_t n, const std::string& noun);
// "run 12 (nightly)".
std::string run_name(const results::RunRow& run);
// What the report covers and what it compares with: run_name, or "night nightly-2026-12-03
// (nightly)" when a night is reported as one run.
std::string report_name(const ReportData& report);
std::string baseline_name(const ReportData& report);
// "2/3 (run 14)": a run of a night, by its shard.
std::string shard_name(const results::RunRow& run);
// "alpha: CPU model, 16 cores, 62.8 GiB, Linux 6.1.0 x86_64".
std::string host_text(const results::HostInfo& host);
// "worse or better by more than 1% (5% for speed and memory) and more than two combined standard errors".
std::string threshold_text(const ReportData& report);
// "" for a run that ended ok; otherwise why its results may be incomplete.
std::string run_status_warning(const results::RunRow& run);
// What the dagger on pseudo figures means.
extern const char* const pseudo_note;
// Why bits per byte is the column to compare across models.
extern const char* const bits_per_byte_note;
// (repo, task) pairs measured in the baseline but not in this run: "org/x (sts)".
std::vector<std::string> missing_since_baseline(const ReportData& report);

// "Classification (classification)": the task's stored label and its name; the name alone when
// the database does not describe it.
std::string task_heading(const Meanings& meanings, const std::string& task);
// The name after the organisation: "gpt2" for "openai-community/gpt2".
std::string short_name(const std::string& repo);
// "★" on the best of a question, "≈" on one tied with it; "" otherwise, and on a question that
// only this result answered (the best of one is no news).
const char* significance_mark(const TaskResult& result);
// What the marks mean, for the line under a table that shows them.
extern const char* const significance_legend;
// How the encoder-or-decoder summary reads.
extern const char* const kind_pick_note;
// "Classification" or "Perplexity, stride=256": a question of the encoder-or-decoder summary.
std::string question_text(const Meanings& meanings, const KindPick& row);
// "tiny-bert (probe)": the short name, and the method when there is one.
std::string kind_best_model(const KindBest& best);
// "0.760 ± 0.061, 400 items/s": the ranking value ± its standard error, and the speed when known.
std::string kind_best_figures(const KindBest& best);
// "decoder (significantly better)", "either: within noise; tiny-bert is 4.0× faster", ...
std::string pick_text(const KindPick& row);
// "classification (cloze)": a not-applicable result's task, and its method when it has one.
std::string task_and_method(const FailedResult& result);
// "4.0×", "12×".
std::string format_ratio(double ratio);

// ---- serving under load ----

// "concurrency 4", "2.5 req/s": a load level as the serving tables show it.
std::string load_text(const LoadLevel& load);
// "speed (concurrency 4)": a change's task, with the load level of a served-load row.
std::string change_task_text(const ChangeRow& change);
// "concurrency", "request rate (req/s)": the x axis of a load sweep.
std::string load_axis_label(LoadKind kind);
// "chat endpoint, 128 prompt + 64 output tokens, goodput SLOs: TTFT ≤ 500 ms, seed=2": what a
// series measured, besides the model; the dataset's name too with show_dataset.
std::string serving_series_text(const ServingSeries& series, bool show_dataset);
// Whether the serving series come from more than one dataset (then each heading names its own).
bool serving_datasets_differ(const ReportData& report);
// What the serving figures mean, for the line under the section's heading.
extern const char* const serving_note;

}  // namespace hubbench::reports
