#include "reports/verdict.hpp"

#include <cstdio>

#include "reports/format.hpp"

namespace hubbench::reports {

Verdict judge(const ReportData& report) {
    Verdict verdict;
    // Auxiliary metrics (a quality task's phase timings, counts and sums) are shown in the
    // reports but never alarm: a perplexity run's tokenize seconds is milliseconds of noise, and
    // speed regressions are the speed suite's business, which measures with repetitions.
    for (const ChangeRow* c : changes_of(report, results::Change::worse)) {
        if (!c->info.auxiliary) verdict.regressions.push_back(c);
    }
    for (const auto& f : report.failed_results) verdict.failed.push_back(&f);
    for (const auto& t : report.failed_trials) {
        if (t.outcome == results::TrialOutcome::failed) verdict.failed_models.push_back(&t);
    }
    if (!verdict.regressions.empty()) verdict.exit_code = exit_regression;
    else if (!verdict.failed.empty() || !verdict.failed_models.empty()) verdict.exit_code = exit_failed_results;
    return verdict;
}

namespace {

std::string percent_text(double fraction) {
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%g%%", fraction * 100.0);
    return buffer;
}

std::string where(const std::string& task, const std::string& dataset, const std::string& parameters) {
    std::string text = task + " (" + dataset;
    if (!parameters.empty() && parameters != "{}") text += ", " + parameters;
    return text + ")";
}

}  // namespace

std::string verdict_text(const ReportData& report, const Verdict& verdict) {
    std::string text;
    for (const ChangeRow* c : verdict.regressions) {
        const std::string metric = c->info.label == c->metric ? c->metric : c->info.label + " [" + c->metric + "]";
        const std::string percent = format_percent(c->relative_delta);
        text += "regression  " + c->repo_id + "  " + where(c->task, c->dataset_name, c->parameters) + "  " + metric + " " +
                format_measurement(c->baseline->value, c->baseline->std_error) + " → " +
                format_measurement(c->current->value, c->current->std_error) + " (" + (percent.empty() ? "Δ" : percent) +
                ", threshold " + percent_text(c->tolerance) + ")\n";
    }
    for (const FailedResult* f : verdict.failed) {
        text += "failed      " + f->repo_id + "  " + where(f->task, f->dataset_name, f->parameters) + "  " + f->error + "\n";
    }
    for (const FailedTrial* t : verdict.failed_models) {
        text += "failed      " + t->repo_id + "  (" + t->stage + ")  " + t->reason + "\n";
    }
    text += plural(verdict.regressions.size(), "regression") + ", " + plural(verdict.failed.size(), "failed result") + ", " +
            plural(verdict.failed_models.size(), "failed model") + " in " +
            report_name(report) + (report.baseline ? " since " + baseline_name(report) : " (no baseline: " + report.baseline_note + ")") +
            "; exit " + std::to_string(verdict.exit_code) + "\n";
    return text;
}

}  // namespace hubbench::reports
