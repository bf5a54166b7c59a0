// CSV report: the long ("tidy") form, one row per model x result x metric of the reported run,
// plus one row per failed or skipped (not applicable) result (metric empty, error filled). Values are stored
// values at full precision (exact_number), not the rounded display forms. Follows RFC 4180: the
// first row is the header, lines end with CRLF, and a field containing a comma, a double quote,
// CR or LF is enclosed in double quotes with inner quotes doubled.
//
// Columns:
//   run_id, run_uuid, run_label       the reported run
//   repo_id, commit_sha, kind, parameters, dtype, licence     the model (kind: encoder|decoder|encoder-decoder|"")
//   task, dataset, dataset_sha256, task_parameters            the result (task_parameters: canonical JSON)
//   status, error                     ok|failed|skipped and why
//   metric, label, value, std_error, n, unit, higher_is_better (true|false|""), pseudo (true|false)
//   baseline_value, baseline_std_error, delta, relative_delta, change (better|worse|same|unknown|"" without a baseline)
//   significance                      on the row of the metric a result is ranked by: best|tied|worse|unknown
//                                     against the results answering the same question (report_data.hpp); "" elsewhere
//   night, measured_in_run            the night reported ("" for a single run), the run that measured the result
//   load, load_level                  a served-load row's kind of level (concurrency|request_rate) and its level
//                                     (clients, or requests/s); "" for every other row
#include "reports/format.hpp"
#include "reports/render.hpp"

namespace hubbench::reports {

namespace {

std::string field(std::string_view text) { return csv_field(text); }

std::string optional_number(const std::optional<double>& v) { return v ? exact_number(*v) : ""; }

std::string boolean(const std::optional<bool>& v) { return v ? (*v ? "true" : "false") : ""; }

class Writer {
public:
    void row(const std::vector<std::string>& fields) {
        for (std::size_t i = 0; i < fields.size(); ++i) {
            if (i > 0) out_ += ',';
            out_ += field(fields[i]);
        }
        out_ += "\r\n";
    }
    std::string take() { return std::move(out_); }

private:
    std::string out_;
};

}  // namespace

std::string render_csv(const ReportData& r) {
    Writer w;
    w.row({"run_id", "run_uuid", "run_label", "repo_id", "commit_sha", "kind", "parameters", "dtype", "licence", "task", "dataset",
           "dataset_sha256", "task_parameters", "status", "error", "metric", "label", "value", "std_error", "n", "unit",
           "higher_is_better", "pseudo", "baseline_value", "baseline_std_error", "delta", "relative_delta", "change",
           "significance", "night", "measured_in_run", "load", "load_level"});
    const std::vector<std::string> run{std::to_string(r.run.id.value), r.run.uuid, r.run.info.label};
    auto model_fields = [](const std::string& repo, const std::string& commit, const ModelRow* m) {
        return std::vector<std::string>{repo,
                                        commit,
                                        m && m->kind ? model_kind_name(*m->kind) : "",
                                        m && m->parameters ? std::to_string(*m->parameters) : "",
                                        m ? m->dtype.value_or("") : "",
                                        m ? m->licence.value_or("") : ""};
    };
    for (const auto& m : r.models) {
        for (const auto& res : m.results) {
            for (const auto& v : res.metrics) {
                std::vector<std::string> row = run;
                for (auto& f : model_fields(m.repo_id, m.commit_sha, &m)) row.push_back(std::move(f));
                std::string unit = v.unit.value_or(v.info.unit);
                const auto& c = v.vs_baseline;
                for (auto f : {res.task, res.dataset_name, res.dataset_sha256, res.parameters, std::string(results::to_string(res.status)),
                               res.error, v.name, v.info.label, exact_number(v.value), optional_number(v.std_error),
                               std::to_string(v.n), unit, boolean(v.higher_is_better), std::string(v.info.pseudo ? "true" : "false"),
                               c ? exact_number(c->baseline_value) : "", c ? optional_number(c->baseline_std_error) : "",
                               c ? exact_number(c->delta) : "", c ? optional_number(c->relative_delta) : "",
                               c ? std::string(results::to_string(c->change)) : "",
                               v.name == res.ranked_by ? std::string(to_string(res.significance)) : "", r.night,
                               std::to_string(res.measured_in.value),
                               res.load ? std::string(load_kind_name(res.load->kind)) : "",
                               res.load ? exact_number(res.load->value) : ""}) {
                    row.push_back(std::move(f));
                }
                w.row(row);
            }
        }
    }
    std::vector<const FailedResult*> not_ok;
    for (const auto& f : r.failed_results) not_ok.push_back(&f);
    for (const auto& f : r.not_applicable) not_ok.push_back(&f);
    for (const FailedResult* fp : not_ok) {
        const FailedResult& f = *fp;
        const ModelRow* model = nullptr;
        for (const auto& m : r.models) {
            if (m.repo_id == f.repo_id && m.commit_sha == f.commit_sha) model = &m;
        }
        std::vector<std::string> row = run;
        for (auto& x : model_fields(f.repo_id, f.commit_sha, model)) row.push_back(std::move(x));
        for (auto x : {f.task, f.dataset_name, f.dataset_sha256, f.parameters, std::string(results::to_string(f.status)), f.error}) {
            row.push_back(std::move(x));
        }
        row.resize(29);
        row.push_back(r.night);
        row.push_back("");
        const auto load = load_level_of(f.task, f.parameters);  // a failed level of a load sweep keeps its level
        row.push_back(load ? load_kind_name(load->kind) : "");
        row.push_back(load ? exact_number(load->value) : "");
        w.row(row);
    }
    return w.take();
}

}  // namespace hubbench::reports
