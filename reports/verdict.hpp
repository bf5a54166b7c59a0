// The verdict a scheduler acts on: what got worse since the baseline, what failed, and the exit
// code `hubbench nightly` returns for it. Read from a ReportData, so the verdict and every report
// format of the same night name the same regressions.
#pragma once
#include <string>
#include <vector>

#include "reports/report_data.hpp"

namespace hubbench::reports {

// Exit codes of `hubbench nightly` (README, "Exit codes"); 1 and 2 keep their meaning for every
// command (an error, a usage error).
constexpr int exit_no_regression = 0;
constexpr int exit_regression = 3;
constexpr int exit_failed_results = 4;

struct Verdict {
    // Metrics measured in both the baseline and this night and classified worse: a quality metric
    // beyond the relative threshold and two combined standard errors, a speed or memory figure
    // beyond the speed threshold (results::classify_change). Auxiliary metrics (phase timings,
    // counts) are not judged.
    std::vector<const ChangeRow*> regressions;
    std::vector<const FailedResult*> failed;  // failed results (skipped ones are not applicable, not failures)
    // Models that failed to download or load: their results are missing, which is a failure too.
    std::vector<const FailedTrial*> failed_models;
    // 3 when there is a regression (even when something failed too: both lists are printed),
    // else 4 when a result or a model failed, else 0.
    int exit_code = exit_no_regression;
};

Verdict judge(const ReportData& report);

// One line per regression and failure, then a last line with the exit code, for logs and mail:
// "regression  fixtures/tiny-gpt2  perplexity (wikitext-2/test, stride=512)  bits/byte 1.201 → 1.262 (+5.1%, threshold 1%)".
std::string verdict_text(const ReportData& report, const Verdict& verdict);

}  // namespace hubbench::reports
