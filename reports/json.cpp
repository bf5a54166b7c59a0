// JSON report. The keys below are stable: new keys may be added, existing ones keep their name,
// type and meaning ("format_version" changes if that ever has to break). Numbers are stored values
// at full precision; a non-finite value is the string "inf", "-inf" or "nan"; an unknown value is
// null. Times are ISO 8601 UTC strings as stored.
//
// {
//   "format": "hubbench-report", "format_version": 1,
//   "generator": {"hubbench_version", "hubbench_commit"}, "database": path,
//   "run": RUN, "baseline": RUN | null, "baseline_note": string | null,
//   "night": string | null, "baseline_night": string | null,  // a night reported as one run
//   "runs": [RUN],                        // the runs behind "run": itself, or every run of the night
//   "verdict": {"exit_code": 0|3|4, "regressions": n, "failed_results": n, "failed_models": n},  // as `hubbench nightly` exits
//   "thresholds": {"relative": 0.01, "speed_relative": 0.05},
//   "headline_columns": [{"figure", "label", "higher_is_better", "any_pseudo"}],
//   "encoder_or_decoder": [{              // one per question: a task on a dataset with the same
//      "task", "label", "dataset",         //   parameters, the method aside (task order, dataset)
//      "dataset_sha256", "parameters" (object, without "method"), "distinct_parameters",
//      "encoder": BEST | null, "decoder": BEST | null,   // null: no model of that kind answered it
//      "pick": "encoder"|"decoder",        // the better of the two by the ranking metric
//      "runner_up": "tied"|"worse"|"unknown"|null,  // the other's best against the pick; null with one kind
//      "faster": "encoder"|"decoder"|null, "speedup": number | null}],  // by items/s, when both have it
//   "models": [{
//      "repo_id", "commit_sha", "kind" ("encoder"|"decoder"|"encoder-decoder"|null), "parameters",
//      "dtype", "licence", "architecture", "size_bytes",
//      "failures" (failed results), "not_applicable" (skipped results),
//      "headline": {FIGURE: METRIC | null}  // keyed by headline_columns[].figure; values in display units
//      "results": [{"id", "run" (the run that measured it), "task", "dataset", "dataset_sha256", "parameters" (object),
//                   "distinct_parameters" (without "method"), "method" (string | null), "seconds",
//                   "metrics": [METRIC],
//                   "significance": "best"|"tied"|"worse"|"unknown"|null,  // within its question;
//                        // null when unranked (the task has no primary metric: speed)
//                   "ranked_by": metric name | null,   // the metric the mark is about
//                   "question_size": n,                // ranked results of its question
//                   "load": "concurrency"|"request_rate"|null,  // a served-load row's kind of level; null otherwise
//                   "load_level": number | null}]}],   // its level: clients, or requests/s
//   "changes": [{"repo_id", "commit_baseline", "commit_current", "task", "dataset", "dataset_sha256",
//                "parameters" (object), "metric", "label", "pseudo", "baseline": SIDE | null,
//                "current": SIDE | null, "change", "delta", "relative_delta", "tolerance"}],
//   "counts": {"better", "worse", "same", "unknown", "only_current", "only_baseline"},
//   "failed_results": [{"repo_id", "commit_sha", "task", "dataset", "dataset_sha256", "parameters", "status", "error"}],
//                                        // status "failed" only: skipped results are in "not_applicable"
//   "not_applicable": [{"repo_id", "commit_sha", "task", "method" (string | null), "dataset", "dataset_sha256",
//                       "parameters" (object), "reason"}],  // skipped: the model cannot do it by design
//   "failed_trials": [{"repo_id", "commit_sha", "stage", "outcome", "reason", "details" (object)}],
//   "selected_trials": n,
//   "datasets": [{"name", "sha256", "bytes", "path"}],
//   "serving": [{                         // served models under load: one series per model, endpoint
//      "repo_id", "commit_sha", "kind",     //   and parameters (the level aside), in report order
//      "endpoint" (string | null), "prompt_tokens" (n | null), "output_tokens" (n | null),
//      "slo_ttft_ms" (number | null), "slo_itl_ms" (number | null),   // goodput's objectives; null: none
//      "dataset", "dataset_sha256", "parameters" (object, without the level key nor "requests"), "distinct_parameters",
//      "levels": [{"load": "concurrency"|"request_rate", "level": number,   // concurrency first, each ascending
//                  "concurrency": n | null, "request_rate": number | null,
//                  "result_id", "run", "metrics": [METRIC]}]}]        // also in models[].results
// }
// RUN    = {"id", "uuid", "label", "status", "started_at", "finished_at", "hubbench_version",
//           "hubbench_commit", "host": {"name", "cpu_model", "cpu_cores", "memory_bytes", "os"},
//           "blas", "threads", "command_line": [string], "night": string | null, "shard": "2/3" | null}
// METRIC = {"name", "label", "value", "std_error", "n", "unit" (as stored), "display_unit",
//           "higher_is_better", "pseudo", "auxiliary",
//           "baseline": {"value", "std_error", "commit", "delta", "relative_delta", "change"} | null}
// SIDE   = {"value", "std_error", "n", "unit", "higher_is_better"}
// BEST   = {"repo_id", "commit_sha", "method" (string | null), "metric": METRIC (what it is ranked by),
//           "items_per_second": number | null, "significance"}
#include <cmath>

#include "reports/format.hpp"
#include "reports/render.hpp"
#include "reports/verdict.hpp"

namespace hubbench::reports {

namespace {

using nlohmann::json;

json number(double v) { return std::isfinite(v) ? json(v) : json(exact_number(v)); }

template <typename T>
json optional(const std::optional<T>& v) {
    if (!v) return nullptr;
    if constexpr (std::is_same_v<T, double>) return number(*v);
    else return json(*v);
}

json object_or_text(const std::string& text) {
    auto j = json::parse(text, nullptr, false);
    return j.is_discarded() ? json(text) : j;
}

json run_json(const results::RunRow& run) {
    const auto& h = run.info.host;
    return {{"id", run.id.value},
            {"uuid", run.uuid},
            {"label", run.info.label},
            {"status", results::to_string(run.status)},
            {"started_at", run.started_at},
            {"finished_at", optional(run.finished_at)},
            {"hubbench_version", run.info.hubbench_version},
            {"hubbench_commit", run.info.hubbench_commit},
            {"host", {{"name", h.host_name}, {"cpu_model", h.cpu_model}, {"cpu_cores", h.cpu_cores}, {"memory_bytes", h.memory_bytes}, {"os", h.os}}},
            {"blas", run.info.blas},
            {"threads", run.info.threads},
            {"command_line", run.info.command_line},
            {"night", run.info.night.empty() ? json(nullptr) : json(run.info.night)},
            {"shard", run.info.shard.empty() ? json(nullptr) : json(run.info.shard)}};
}

json metric_json(const MetricValue& v, bool display) {
    json baseline = nullptr;
    if (v.vs_baseline) {
        const auto& c = *v.vs_baseline;
        baseline = {{"value", number(c.baseline_value)}, {"std_error", optional(c.baseline_std_error)},
                    {"commit", optional(c.baseline_commit)}, {"delta", number(c.delta)},
                    {"relative_delta", optional(c.relative_delta)}, {"change", results::to_string(c.change)}};
    }
    return {{"name", v.name},
            {"label", v.info.label},
            {"value", number(v.value)},
            {"std_error", optional(v.std_error)},
            {"n", v.n},
            {"unit", display ? json(v.info.unit) : optional(v.unit)},
            {"display_unit", v.info.unit},
            {"higher_is_better", optional(v.higher_is_better)},
            {"pseudo", v.info.pseudo},
            {"auxiliary", v.info.auxiliary},
            {"baseline", baseline}};
}

json text_or_null(const std::string& text) { return text.empty() ? json(nullptr) : json(text); }

json significance_json(Significance s) { return s == Significance::unranked ? json(nullptr) : json(to_string(s)); }

json kind_json(const std::optional<ModelKind>& kind) { return kind ? json(model_kind_name(*kind)) : json(nullptr); }

json best_json(const std::optional<KindBest>& b) {
    if (!b) return nullptr;
    return {{"repo_id", b->repo_id},
            {"commit_sha", b->commit_sha},
            {"method", text_or_null(b->method)},
            {"metric", metric_json(b->value, false)},
            {"items_per_second", optional(b->items_per_second)},
            {"significance", significance_json(b->significance)}};
}

std::string method_of(const std::string& parameters) {
    auto params = json::parse(parameters, nullptr, false);
    if (!params.is_object() || !params.contains("method")) return "";
    return params["method"].is_string() ? params["method"].get<std::string>() : params["method"].dump();
}

json side_json(const std::optional<results::Metric>& m) {
    if (!m) return nullptr;
    return {{"value", number(m->value)}, {"std_error", optional(m->std_error)}, {"n", m->n}, {"unit", optional(m->unit)},
            {"higher_is_better", optional(m->higher_is_better)}};
}

}  // namespace

nlohmann::json report_to_json(const ReportData& r) {
    json j;
    j["format"] = "hubbench-report";
    j["format_version"] = 1;
    j["generator"] = {{"hubbench_version", r.generator_version}, {"hubbench_commit", r.generator_commit}};
    j["database"] = r.database;
    j["run"] = run_json(r.run);
    j["baseline"] = r.baseline ? run_json(*r.baseline) : json(nullptr);
    // A night reported as one run: its id and every run behind it (per-shard provenance).
    j["night"] = r.night.empty() ? json(nullptr) : json(r.night);
    j["baseline_night"] = r.baseline_night.empty() ? json(nullptr) : json(r.baseline_night);
    j["runs"] = json::array();
    for (const auto& run : r.runs) j["runs"].push_back(run_json(run));
    // What `hubbench nightly` exits with for this report; its regressions are the "changes" marked worse.
    const auto verdict = judge(r);
    j["verdict"] = {{"exit_code", verdict.exit_code}, {"regressions", verdict.regressions.size()}, {"failed_results", verdict.failed.size()},
                    {"failed_models", verdict.failed_models.size()}};
    j["baseline_note"] = r.baseline_note.empty() ? json(nullptr) : json(r.baseline_note);
    j["thresholds"] = {{"relative", r.relative_tolerance}, {"speed_relative", r.speed_relative_tolerance}};
    j["headline_columns"] = json::array();
    for (const auto& c : r.headline_columns) {
        j["headline_columns"].push_back(
            {{"figure", headline_key(c.figure)}, {"label", c.label}, {"higher_is_better", c.higher_is_better}, {"any_pseudo", c.any_pseudo}});
    }
    j["encoder_or_decoder"] = json::array();
    for (const auto& row : r.encoder_or_decoder) {
        j["encoder_or_decoder"].push_back({{"task", row.task},
                                           {"label", r.meanings.task_label(row.task)},
                                           {"dataset", row.dataset_name},
                                           {"dataset_sha256", row.dataset_sha256},
                                           {"parameters", object_or_text(row.parameters)},
                                           {"distinct_parameters", row.distinct_parameters},
                                           {"encoder", best_json(row.encoder)},
                                           {"decoder", best_json(row.decoder)},
                                           {"pick", kind_json(row.pick)},
                                           {"runner_up", significance_json(row.runner_up)},
                                           {"faster", kind_json(row.faster)},
                                           {"speedup", optional(row.speedup)}});
    }
    j["models"] = json::array();
    for (const auto& m : r.models) {
        json model = {{"repo_id", m.repo_id},
                      {"commit_sha", m.commit_sha},
                      {"kind", m.kind ? json(model_kind_name(*m.kind)) : json(nullptr)},
                      {"parameters", optional(m.parameters)},
                      {"dtype", optional(m.dtype)},
                      {"licence", optional(m.licence)},
                      {"architecture", optional(m.architecture)},
                      {"size_bytes", optional(m.size_bytes)},
                      {"failures", m.failures},
                      {"not_applicable", m.not_applicable}};
        json headline = json::object();
        for (std::size_t i = 0; i < r.headline_columns.size() && i < m.headline.size(); ++i) {
            headline[headline_key(r.headline_columns[i].figure)] = m.headline[i] ? metric_json(*m.headline[i], true) : json(nullptr);
        }
        model["headline"] = std::move(headline);
        model["results"] = json::array();
        for (const auto& res : m.results) {
            json metrics = json::array();
            for (const auto& v : res.metrics) metrics.push_back(metric_json(v, false));
            model["results"].push_back({{"id", res.id.value},
                                        {"task", res.task},
                                        {"dataset", res.dataset_name},
                                        {"dataset_sha256", res.dataset_sha256},
                                        {"parameters", object_or_text(res.parameters)},
                                        {"distinct_parameters", res.distinct_parameters},
                                        {"method", text_or_null(res.method)},
                                        {"seconds", optional(res.seconds)},
                                        {"run", res.measured_in.value},
                                        {"metrics", std::move(metrics)},
                                        {"significance", significance_json(res.significance)},
                                        {"ranked_by", text_or_null(res.ranked_by)},
                                        {"question_size", res.question_size},
                                        {"load", res.load ? json(load_kind_name(res.load->kind)) : json(nullptr)},
                                        {"load_level", res.load ? number(res.load->value) : json(nullptr)}});
        }
        j["models"].push_back(std::move(model));
    }
    j["changes"] = json::array();
    for (const auto& c : r.changes) {
        j["changes"].push_back({{"repo_id", c.repo_id},
                                {"commit_baseline", optional(c.commit_baseline)},
                                {"commit_current", optional(c.commit_current)},
                                {"task", c.task},
                                {"dataset", c.dataset_name},
                                {"dataset_sha256", c.dataset_sha256},
                                {"parameters", object_or_text(c.parameters)},
                                {"metric", c.metric},
                                {"label", c.info.label},
                                {"pseudo", c.info.pseudo},
                                {"baseline", side_json(c.baseline)},
                                {"current", side_json(c.current)},
                                {"change", results::to_string(c.change)},
                                {"delta", optional(c.delta)},
                                {"relative_delta", optional(c.relative_delta)},
                                {"tolerance", c.tolerance}});
    }
    const auto& n = r.counts;
    j["counts"] = {{"better", n.better}, {"worse", n.worse}, {"same", n.same}, {"unknown", n.unknown},
                   {"only_current", n.only_current}, {"only_baseline", n.only_baseline}};
    j["failed_results"] = json::array();
    for (const auto& f : r.failed_results) {
        j["failed_results"].push_back({{"repo_id", f.repo_id}, {"commit_sha", f.commit_sha}, {"task", f.task}, {"dataset", f.dataset_name},
                                       {"dataset_sha256", f.dataset_sha256}, {"parameters", object_or_text(f.parameters)},
                                       {"status", results::to_string(f.status)}, {"error", f.error}});
    }
    j["not_applicable"] = json::array();
    for (const auto& f : r.not_applicable) {
        j["not_applicable"].push_back({{"repo_id", f.repo_id}, {"commit_sha", f.commit_sha}, {"task", f.task},
                                       {"method", text_or_null(method_of(f.parameters))}, {"dataset", f.dataset_name},
                                       {"dataset_sha256", f.dataset_sha256}, {"parameters", object_or_text(f.parameters)},
                                       {"reason", f.error}});
    }
    j["failed_trials"] = json::array();
    for (const auto& t : r.failed_trials) {
        j["failed_trials"].push_back({{"repo_id", t.repo_id}, {"commit_sha", optional(t.commit_sha)}, {"stage", t.stage},
                                      {"outcome", results::to_string(t.outcome)}, {"reason", t.reason}, {"details", object_or_text(t.details)}});
    }
    j["selected_trials"] = r.selected_trials;
    j["datasets"] = json::array();
    for (const auto& d : r.datasets) {
        j["datasets"].push_back({{"name", d.name}, {"sha256", d.sha256}, {"bytes", d.bytes}, {"path", d.path}});
    }
    j["serving"] = json::array();
    for (const auto& s : r.serving) {
        json levels = json::array();
        for (const auto& level : s.levels) {
            json metrics = json::array();
            for (const auto& v : level.result.metrics) metrics.push_back(metric_json(v, false));
            const bool clients = level.load.kind == LoadKind::concurrency;
            levels.push_back({{"load", load_kind_name(level.load.kind)},
                              {"level", number(level.load.value)},
                              {"concurrency", clients ? number(level.load.value) : json(nullptr)},
                              {"request_rate", clients ? json(nullptr) : number(level.load.value)},
                              {"result_id", level.result.id.value},
                              {"run", level.result.measured_in.value},
                              {"metrics", std::move(metrics)}});
        }
        j["serving"].push_back({{"repo_id", s.repo_id},
                                {"commit_sha", s.commit_sha},
                                {"kind", kind_json(s.kind)},
                                {"endpoint", text_or_null(s.endpoint)},
                                {"prompt_tokens", optional(s.prompt_tokens)},
                                {"output_tokens", optional(s.output_tokens)},
                                {"slo_ttft_ms", optional(s.slo_ttft_ms)},
                                {"slo_itl_ms", optional(s.slo_itl_ms)},
                                {"dataset", s.dataset_name},
                                {"dataset_sha256", s.dataset_sha256},
                                {"parameters", object_or_text(s.parameters)},
                                {"distinct_parameters", s.distinct_parameters},
                                {"levels", std::move(levels)}});
    }
    return j;
}

std::string render_json(const ReportData& r) {
    // Invalid UTF-8 from the database (an error message quoting bytes) is replaced, not thrown.
    return report_to_json(r).dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

}  // namespace hubbench::reports
