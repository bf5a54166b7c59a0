// Markdown report: GitHub-flavoured tables that paste into slides and pull requests.
// Everything from the database goes through md() so that a repo id such as "<script>" or an error
// message with "|" cannot break a table or turn into HTML when the Markdown is rendered.
#include <algorithm>
#include <sstream>

#include "reports/format.hpp"
#include "reports/render.hpp"

namespace hubbench::reports {

namespace {

std::string md(std::string_view text) { return markdown_cell(text); }

struct Table {
    std::vector<std::string> header;     // already Markdown
    std::vector<bool> numeric;           // right-aligned columns
    std::vector<std::vector<std::string>> rows;

    void write(std::ostream& out) const {
        out << '|';
        for (const auto& h : header) out << ' ' << h << " |";
        out << "\n|";
        for (std::size_t i = 0; i < header.size(); ++i) out << (i < numeric.size() && numeric[i] ? "---:|" : "---|");
        out << '\n';
        for (const auto& r : rows) {
            out << '|';
            for (const auto& cell : r) out << ' ' << (cell.empty() ? "–" : cell) << " |";
            out << '\n';
        }
        out << '\n';
    }
};

std::string model_cell(const std::string& repo, const std::string& commit) {
    std::string text = "**" + md(repo) + "**";
    if (!commit.empty()) text += " `" + md(commit.substr(0, 7)) + "`";
    return text;
}

std::string metric_cell(const MetricValue& v) {
    std::string text = format_measurement(v.value, v.std_error);
    if (v.info.pseudo) text += " †";
    return text;
}

std::string header_cell(const std::string& label, std::optional<bool> higher_is_better, bool pseudo) {
    std::string text = md(label);
    if (pseudo) text += " †";
    if (const char* arrow = direction_arrow(higher_is_better); *arrow != '\0') text += std::string(" ") + arrow;
    return text;
}

void write_overview(std::ostream& out, const ReportData& r) {
    out << "## Encoders and decoders side by side\n\n";
    if (r.models.empty()) {
        out << "This run has no results.\n\n";
        return;
    }
    Table t;
    t.header = {"Model", "Kind", "Params"};
    t.numeric = {false, false, true};
    bool any_pseudo = false, any_bpb = false;
    for (const auto& c : r.headline_columns) {
        t.header.push_back(header_cell(c.label, c.higher_is_better, false));
        t.numeric.push_back(true);
        any_pseudo = any_pseudo || c.any_pseudo;
        any_bpb = any_bpb || c.figure == Headline::bits_per_byte;
    }
    for (const auto& m : r.models) {
        std::vector<std::string> row{model_cell(m.repo_id, m.commit_sha), kind_text(m.kind),
                                     m.parameters ? format_count(*m.parameters) : ""};
        for (const auto& cell : m.headline) row.push_back(cell ? metric_cell(*cell) : "");
        if (m.results.empty() && m.failures > 0) row[1] += " (failed)";
        t.rows.push_back(std::move(row));
    }
    t.write(out);
    if (any_bpb) out << bits_per_byte_note << "\n\n";
    if (any_pseudo) out << pseudo_note << "\n\n";
    out << "Values are shown ± one standard error where the suite estimated it; ↑ higher is better, ↓ lower is better.\n\n";
}

void write_change_table(std::ostream& out, const std::vector<const ChangeRow*>& rows) {
    Table t;
    t.header = {"Model", "Task", "Dataset", "Metric", "Baseline", "Now", "Δ", "Δ %"};
    t.numeric = {false, false, false, false, true, true, true, true};
    for (const ChangeRow* c : rows) {
        auto se = c->current->std_error ? c->current->std_error : c->baseline->std_error;
        std::string metric = md(c->info.label == c->metric ? c->metric : c->info.label + " (" + c->metric + ")");
        if (c->info.pseudo) metric += " †";
        t.rows.push_back({model_cell(c->repo_id, c->commit_current.value_or("")), md(change_task_text(*c)), md(c->dataset_name), metric,
                          format_measurement(c->baseline->value, c->baseline->std_error),
                          format_measurement(c->current->value, c->current->std_error),
                          c->delta ? format_delta(*c->delta, se) : "", format_percent(c->relative_delta)});
    }
    t.write(out);
}

void write_regressions(std::ostream& out, const ReportData& r) {
    if (!r.baseline) {
        out << "## Regressions\n\nNo baseline: " << md(r.baseline_note) << ".\n\n";
        return;
    }
    out << "## Regressions since " << md(baseline_name(r)) << "\n\n";
    out << "Baseline started " << md(r.baseline->started_at) << " (hubbench " << md(r.baseline->info.hubbench_version) << ", `"
        << md(r.baseline->info.hubbench_commit.substr(0, 12)) << "`); " << md(threshold_text(r)) << ".\n\n";
    auto worse = changes_of(r, results::Change::worse);
    if (worse.empty()) {
        out << "No regressions.\n\n";
    } else {
        write_change_table(out, worse);
    }
    auto better = changes_of(r, results::Change::better);
    if (!better.empty()) {
        out << "### Improvements\n\n";
        write_change_table(out, better);
    }
    const auto& c = r.counts;
    out << "Compared " << (c.worse + c.better + c.same + c.unknown) << " metrics: " << c.worse << " worse, " << c.better
        << " better, " << c.same << " within the threshold, " << c.unknown << " without a direction; " << c.only_current
        << " only in this run, " << c.only_baseline << " only in the baseline.\n\n";
    auto missing = missing_since_baseline(r);
    if (!missing.empty()) {
        out << "Measured in the baseline but not in this run:";
        for (std::size_t i = 0; i < missing.size(); ++i) out << (i == 0 ? " " : ", ") << md(missing[i]);
        out << ".\n\n";
    }
}

void write_task(std::ostream& out, const ReportData& r, const std::string& task) {
    // Columns: the non-auxiliary metrics any model has for this task, in the order their meanings give.
    std::vector<MetricValue> columns;
    bool any_parameters = false, any_method = false;
    for (const auto& m : r.models) {
        for (const auto& res : m.results) {
            if (res.task != task || res.load) continue;  // served-load rows: "Serving under load"
            any_parameters = any_parameters || !res.distinct_parameters.empty();
            any_method = any_method || !res.method.empty();
            for (const auto& v : res.metrics) {
                if (v.info.auxiliary) continue;
                if (std::none_of(columns.begin(), columns.end(), [&](const MetricValue& c) { return c.name == v.name; })) columns.push_back(v);
            }
        }
    }
    std::stable_sort(columns.begin(), columns.end(), [](const MetricValue& a, const MetricValue& b) {
        return std::tie(a.info.order, a.info.sub_order, a.name) < std::tie(b.info.order, b.info.sub_order, b.name);
    });
    out << "### " << md(task_heading(r.meanings, task)) << "\n\n";
    Table t;
    t.header = {"Model", "Kind", "Dataset"};
    t.numeric = {false, false, false};
    if (any_method) {
        t.header.push_back("Method");
        t.numeric.push_back(false);
    }
    if (any_parameters) {
        t.header.push_back("Parameters");
        t.numeric.push_back(false);
    }
    for (const auto& c : columns) {
        t.header.push_back(header_cell(label_with_unit(c.info), c.higher_is_better, c.info.pseudo));
        t.numeric.push_back(true);
    }
    bool any_mark = false;
    for (const auto& m : r.models) {
        for (const auto& res : m.results) {
            if (res.task != task || res.load) continue;
            std::vector<std::string> row{model_cell(m.repo_id, m.commit_sha), kind_text(m.kind), md(res.dataset_name)};
            if (any_method) row.push_back(md(res.method));
            if (any_parameters) row.push_back(md(res.distinct_parameters));
            for (const auto& c : columns) {
                auto it = std::find_if(res.metrics.begin(), res.metrics.end(), [&](const MetricValue& v) { return v.name == c.name; });
                if (it == res.metrics.end()) {
                    row.push_back("");
                    continue;
                }
                std::string cell = format_measurement(it->value, it->std_error);
                if (const char* mark = significance_mark(res); *mark != '\0' && it->name == res.ranked_by) {
                    cell += std::string(" ") + mark;
                    any_mark = true;
                }
                row.push_back(std::move(cell));
            }
            t.rows.push_back(std::move(row));
        }
    }
    t.write(out);
    if (any_mark) out << significance_legend << "\n\n";
}

// Served models under load: a table per model (and endpoint), one row per load level.
void write_serving(std::ostream& out, const ReportData& r) {
    if (r.serving.empty()) return;
    out << "## Serving under load\n\n" << md(serving_note) << "\n\n";
    const bool show_dataset = serving_datasets_differ(r);
    for (const auto& s : r.serving) {
        out << "### " << model_cell(s.repo_id, s.commit_sha) << ": " << md(serving_series_text(s, show_dataset)) << "\n\n";
        Table t;
        t.header = {"Load"};
        t.numeric = {false};
        for (const auto& c : serving_columns) {
            t.header.push_back(header_cell(c.label, c.higher_is_better, false));
            t.numeric.push_back(true);
        }
        for (const auto& level : s.levels) {
            std::vector<std::string> row{md(load_text(level.load))};
            for (const auto& c : serving_columns) {
                const MetricValue* v = level.metric(c.metric);
                row.push_back(v == nullptr ? "" : format_measurement(v->value, v->std_error));
            }
            t.rows.push_back(std::move(row));
        }
        t.write(out);
    }
}

// Encoder or decoder? The best of each kind per question, and which to pick.
void write_kind_picks(std::ostream& out, const ReportData& r) {
    if (r.encoder_or_decoder.empty()) return;
    out << "## Encoder or decoder?\n\n";
    Table t;
    t.header = {"Task", "Dataset", "Best encoder", "Best decoder", "Pick"};
    auto best_cell = [](const std::optional<KindBest>& b) {
        return b ? "**" + md(kind_best_model(*b)) + "**: " + md(kind_best_figures(*b)) : std::string();
    };
    for (const auto& row : r.encoder_or_decoder) {
        t.rows.push_back({md(question_text(r.meanings, row)), md(row.dataset_name), best_cell(row.encoder), best_cell(row.decoder),
                          md(pick_text(row))});
    }
    t.write(out);
    out << md(kind_pick_note) << "\n\n";
}

void write_failures(std::ostream& out, const ReportData& r) {
    out << "## Failures\n\n";
    if (r.failed_results.empty() && r.failed_trials.empty()) {
        out << "No result failed and no candidate failed or was skipped.\n\n";
        return;
    }
    if (!r.failed_results.empty()) {
        out << "### Results that failed\n\n";
        Table t;
        t.header = {"Model", "Task", "Dataset", "Reason"};
        for (const auto& f : r.failed_results) {
            t.rows.push_back({model_cell(f.repo_id, f.commit_sha), md(f.task), md(f.dataset_name), md(f.error)});
        }
        t.write(out);
    }
    if (!r.failed_trials.empty()) {
        out << "### Candidates that failed or were skipped\n\n";
        Table t;
        t.header = {"Candidate", "Stage", "Outcome", "Reason"};
        for (const auto& f : r.failed_trials) {
            t.rows.push_back({model_cell(f.repo_id, f.commit_sha.value_or("")), md(f.stage), results::to_string(f.outcome), md(f.reason)});
        }
        t.write(out);
    }
}

// What models cannot do by design: not failures, so apart from them and without alarm.
void write_not_applicable(std::ostream& out, const ReportData& r) {
    if (r.not_applicable.empty()) return;
    out << "## Not applicable\n\n";
    Table t;
    t.header = {"Model", "Task", "Why"};
    for (const auto& f : r.not_applicable) {
        t.rows.push_back({model_cell(f.repo_id, f.commit_sha), md(task_and_method(f)), md(f.error)});
    }
    t.write(out);
}

void write_provenance(std::ostream& out, const ReportData& r) {
    const auto& run = r.run;
    out << "## Provenance\n\n";
    out << (r.night.empty() ? "- Run: " : "- Night: ") << md(report_name(r)) << ", " << results::to_string(run.status) << ", started " << md(run.started_at);
    if (run.finished_at) out << ", finished " << md(*run.finished_at);
    out << ", uuid `" << md(run.uuid) << "`\n";
    out << "- hubbench " << md(run.info.hubbench_version) << ", commit `" << md(run.info.hubbench_commit) << "`\n";
    out << "- Host: " << md(host_text(run.info.host)) << "\n";
    out << "- BLAS: " << md(run.info.blas.empty() ? "unknown" : run.info.blas) << "; threads: " << run.info.threads << "\n";
    if (!run.info.command_line.empty()) {
        std::string cmd;
        for (const auto& a : run.info.command_line) cmd += (cmd.empty() ? "" : " ") + a;
        out << "- Command: " << md(cmd) << "\n";
    }
    if (r.selected_trials > 0 || !r.failed_trials.empty()) {
        out << "- Candidates: " << r.selected_trials << " selected, " << r.failed_trials.size() << " failed or skipped\n";
    }
    out << "\n";
    if (!r.night.empty()) {
        // Per-shard provenance: every run of the night, resumptions included.
        Table t;
        t.header = {"Shard", "Status", "Started", "Finished", "Host", "hubbench", "uuid"};
        for (const auto& run : r.runs) {
            t.rows.push_back({md(shard_name(run)), results::to_string(run.status), md(run.started_at), md(run.finished_at.value_or("")),
                              md(run.info.host.host_name), md(run.info.hubbench_version) + " `" + md(run.info.hubbench_commit.substr(0, 12)) + "`",
                              "`" + md(run.uuid) + "`"});
        }
        t.write(out);
    }
    if (!r.datasets.empty()) {
        Table t;
        t.header = {"Dataset", "sha256", "Size"};
        t.numeric = {false, false, true};
        for (const auto& d : r.datasets) t.rows.push_back({md(d.name), "`" + md(d.sha256) + "`", format_bytes(d.bytes)});
        t.write(out);
    }
    if (!r.models.empty()) {
        Table t;
        t.header = {"Model", "Commit", "Architecture", "Params", "dtype", "Licence", "Size"};
        t.numeric = {false, false, false, true, false, false, true};
        for (const auto& m : r.models) {
            t.rows.push_back({"**" + md(m.repo_id) + "**", "`" + md(m.commit_sha) + "`", md(m.architecture.value_or("")),
                              m.parameters ? format_count(*m.parameters) : "", md(m.dtype.value_or("")), md(m.licence.value_or("")),
                              m.size_bytes ? format_bytes(*m.size_bytes) : ""});
        }
        t.write(out);
    }
    out << "Rendered by hubbench " << md(r.generator_version) << " (`" << md(r.generator_commit) << "`) from " << md(r.database)
        << ".\n";
}

}  // namespace

std::string render_markdown(const ReportData& r) {
    std::ostringstream out;
    out << "# hubbench report: " << md(report_name(r)) << "\n\n";
    std::size_t decoders = 0, encoders = 0;
    for (const auto& m : r.models) {
        if (m.kind == ModelKind::decoder) ++decoders;
        if (m.kind == ModelKind::encoder) ++encoders;
    }
    out << plural(r.models.size(), "model") << " (" << plural(decoders, "decoder") << ", " << plural(encoders, "encoder") << "), started "
        << md(r.run.started_at) << " on " << md(r.run.info.host.host_name) << "; ";
    if (r.baseline) {
        out << plural(r.counts.worse, "regression") << " and " << plural(r.counts.better, "improvement") << " since "
            << md(baseline_name(r));
    } else {
        out << "no baseline (" << md(r.baseline_note) << ")";
    }
    out << "; " << plural(r.failed_results.size(), "failed result") << ", " << r.not_applicable.size() << " not applicable, "
        << plural(r.failed_trials.size(), "failed or skipped candidate") << ".\n\n";
    if (auto warning = run_status_warning(r.run); !warning.empty()) out << "> **Warning:** " << md(warning) << "\n\n";
    write_kind_picks(out, r);
    write_overview(out, r);
    write_regressions(out, r);
    if (!r.tasks.empty()) {
        out << "## Results by task\n\n";
        for (const auto& task : r.tasks) write_task(out, r, task);
    }
    write_serving(out, r);
    write_failures(out, r);
    write_not_applicable(out, r);
    write_provenance(out, r);
    return out.str();
}

}  // namespace hubbench::reports
