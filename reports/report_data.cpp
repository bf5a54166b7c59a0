#include "reports/report_data.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdlib>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <tuple>

#include "core/error.hpp"
#include "core/version.hpp"

namespace hubbench::reports {

namespace {

using results::Change;
using results::ResultStatus;
using results::RunId;
using results::RunRow;

std::string db_name(const results::ResultStore& store) { return store.path().string(); }

std::string run_list(const std::vector<RunRow>& runs) {
    // "1, 2, 3" or "1, 2, ..., 40": enough to correct a typo.
    std::string text;
    std::size_t shown = 0;
    for (std::size_t i = 0; i < runs.size(); ++i) {
        if (runs.size() > 8 && i == 3) {
            text += ", ...";
            i = runs.size() - 3;
        }
        text += (shown++ == 0 ? "" : ", ") + std::to_string(runs[i].id.value);
    }
    return text;
}

const RunRow& find_run(const results::ResultStore& store, const std::vector<RunRow>& runs, RunId id, const char* what) {
    for (const auto& r : runs) {
        if (r.id == id) return r;
    }
    throw Error(ErrorKind::not_found, std::string("no ") + what + " " + std::to_string(id.value) + " in " + db_name(store) +
                                          " (runs: " + run_list(runs) + ")");
}

const RunRow& select_run(const results::ResultStore& store, const std::vector<RunRow>& runs, const ReportSelection& sel) {
    if (sel.run) {
        const RunRow& run = find_run(store, runs, *sel.run, "run");
        if (sel.label && run.info.label != *sel.label) {
            throw Error(ErrorKind::not_found, "run " + std::to_string(run.id.value) + " in " + db_name(store) + " is labelled '" +
                                                  run.info.label + "', not '" + *sel.label + "'");
        }
        return run;
    }
    if (!sel.label) return runs.back();
    for (auto it = runs.rbegin(); it != runs.rend(); ++it) {
        if (it->info.label == *sel.label) return *it;
    }
    std::set<std::string> labels;
    for (const auto& r : runs) labels.insert(r.info.label);
    std::string known;
    for (const auto& l : labels) known += (known.empty() ? "'" : ", '") + l + "'";
    throw Error(ErrorKind::not_found, "no run labelled '" + *sel.label + "' in " + db_name(store) + " (labels: " + known + ")");
}

// A single run and its baseline (--run, --label, --baseline).
void select_single_run(const results::ResultStore& store, const std::vector<RunRow>& runs, const ReportSelection& selection,
                       ReportData& report) {
    report.run = select_run(store, runs, selection);
    report.runs = {report.run};
    switch (selection.baseline) {
        case BaselineMode::none: report.baseline_note = "no baseline was asked for"; break;
        case BaselineMode::explicit_run: report.baseline = find_run(store, runs, selection.baseline_run, "baseline run"); break;
        case BaselineMode::previous: {
            // runs() is oldest first: the previous run is the last one before ours with our label.
            const RunRow* previous = nullptr;
            for (const auto& r : runs) {
                if (r.id == report.run.id) break;
                if (r.info.label == report.run.info.label) previous = &r;
            }
            if (previous != nullptr) {
                report.baseline = *previous;
            } else {
                report.baseline_note = report.run.info.label.empty() ? std::string("no earlier run without a label")
                                                                     : "no earlier run labelled '" + report.run.info.label + "'";
            }
            break;
        }
    }
    if (report.baseline) report.baseline_runs = {*report.baseline};
}

int status_rank(results::RunStatus s) {
    switch (s) {
        case results::RunStatus::ok: return 0;
        case results::RunStatus::failed: return 1;
        case results::RunStatus::interrupted: return 2;
        case results::RunStatus::running: return 3;
    }
    return 3;
}

// A night as one run: its first run's identity and provenance, the night's span, and the worst
// status among each shard's latest run (a shard killed and resumed counts as its resumption).
RunRow combined_run(const results::NightRow& night) {
    RunRow run = night.runs.front();
    std::map<std::string, results::RunStatus> latest_by_shard;
    bool all_finished = true;
    for (const auto& r : night.runs) {
        latest_by_shard[r.info.shard] = r.status;
        if (!r.finished_at) all_finished = false;
        else if (!run.finished_at || *r.finished_at > *run.finished_at) run.finished_at = r.finished_at;
    }
    if (!all_finished) run.finished_at.reset();
    run.status = results::RunStatus::ok;
    for (const auto& [shard, status] : latest_by_shard) {
        if (status_rank(status) > status_rank(run.status)) run.status = status;
    }
    return run;
}

std::string night_list(const std::vector<results::NightRow>& nights) {
    std::string text;
    for (std::size_t i = nights.size() > 8 ? nights.size() - 8 : 0; i < nights.size(); ++i) {
        text += (text.empty() ? "" : ", ") + nights[i].id;
    }
    return nights.size() > 8 ? "…, " + text : text;
}

// A night (--night ID or --last-night) and the previous night of its label.
void select_night(const results::ResultStore& store, const ReportSelection& selection, ReportData& report) {
    const auto nights = store.nights(selection.label);
    const std::string where = db_name(store) + (selection.label ? " labelled '" + *selection.label + "'" : std::string());
    if (nights.empty()) throw Error(ErrorKind::not_found, "no nights in " + where + ": run `hubbench nightly` first");
    std::size_t index = nights.size() - 1;
    if (selection.night) {
        // The latest night with that id (two labels may use one id; --label tells them apart).
        auto it = std::find_if(nights.rbegin(), nights.rend(), [&](const auto& n) { return n.id == *selection.night; });
        if (it == nights.rend()) {
            throw Error(ErrorKind::not_found, "no night '" + *selection.night + "' in " + where + " (nights: " + night_list(nights) + ")");
        }
        index = static_cast<std::size_t>(nights.rend() - it) - 1;
    }
    const auto& night = nights[index];
    report.night = night.id;
    report.runs = night.runs;
    report.run = combined_run(night);
    if (selection.baseline == BaselineMode::none) {
        report.baseline_note = "no baseline was asked for";
        return;
    }
    if (selection.baseline == BaselineMode::explicit_run) {
        report.baseline = find_run(store, store.runs(), selection.baseline_run, "baseline run");
        report.baseline_runs = {*report.baseline};
        return;
    }
    for (std::size_t i = index; i-- > 0;) {
        if (nights[i].label == night.label && nights[i].id != night.id) {
            report.baseline_night = nights[i].id;
            report.baseline_runs = nights[i].runs;
            report.baseline = combined_run(nights[i]);
            return;
        }
    }
    report.baseline_note = "no earlier night labelled '" + night.label + "'";
}

std::string lower(std::string text) {
    for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return text;
}

int kind_order(const std::optional<ModelKind>& kind) {
    if (!kind) return 3;
    switch (*kind) {
        case ModelKind::decoder: return 0;
        case ModelKind::encoder: return 1;
        case ModelKind::encoder_decoder: return 2;
    }
    return 3;
}

MetricValue make_value(const Meanings& meanings, const std::string& task, const results::Metric& m) {
    MetricValue v;
    v.name = m.name;
    v.info = meanings.describe(task, m.name);
    v.value = m.value;
    v.std_error = m.std_error;
    v.n = m.n;
    v.unit = m.unit;
    v.higher_is_better = m.higher_is_better ? m.higher_is_better : v.info.higher_is_better;
    return v;
}

bool metric_before(const MetricValue& a, const MetricValue& b) {
    return std::tie(a.info.order, a.info.sub_order, a.name) < std::tie(b.info.order, b.info.sub_order, b.name);
}

std::string json_scalar_text(const nlohmann::json& value) {
    return value.is_string() ? value.get<std::string>() : value.dump();
}

nlohmann::json parse_object(const std::string& text) {
    auto j = nlohmann::json::parse(text, nullptr, false);
    return j.is_object() ? j : nlohmann::json::object();
}

// The "method" parameter (classification: probe, knn, likelihood, cloze), "" when there is none.
std::string method_of(const std::string& parameters) {
    const auto params = parse_object(parameters);
    auto it = params.find("method");
    return it == params.end() ? std::string() : json_scalar_text(*it);
}

// For each task, the parameter keys whose values differ between its results in this report (a key
// that some results lack differs too). "dataset" and "dataset_sha256" are left out: the dataset
// has its own column; so is "method".
void fill_distinct_parameters(std::vector<ModelRow>& models) {
    // Compared among the results of one task on one dataset: what tells those rows apart. Rows on
    // different datasets are told apart by the Dataset column already.
    struct Seen {
        std::set<std::string> values;
        std::size_t results = 0;
    };
    // Served-load rows form groups of their own: their level keys must not leak into the
    // ordinary rows' parameters (nor the ordinary rows' keys into theirs).
    using Group = std::tuple<std::string, std::string, bool>;  // task, dataset sha256, served-load row
    std::map<Group, std::map<std::string, Seen>> keys;    // group -> key -> what was seen
    std::map<Group, std::size_t> count;                   // group -> results
    auto parse = parse_object;
    for (const auto& m : models) {
        for (const auto& r : m.results) {
            const Group g{r.task, r.dataset_sha256, r.load.has_value()};
            ++count[g];
            const auto params = parse(r.parameters);  // items() refers into it: keep it alive
            for (const auto& [k, v] : params.items()) {
                keys[g][k].values.insert(v.dump());
                ++keys[g][k].results;
            }
        }
    }
    for (auto& m : models) {
        for (auto& r : m.results) {
            const Group g{r.task, r.dataset_sha256, r.load.has_value()};
            auto params = parse(r.parameters);
            std::string text;
            for (const auto& [k, seen] : keys[g]) {
                if (k == "dataset" || k == "dataset_sha256" || k == "method") continue;
                if (seen.values.size() <= 1 && seen.results == count[g]) continue;
                if (!text.empty()) text += ' ';
                text += k + "=" + (params.contains(k) ? json_scalar_text(params[k]) : "-");
            }
            r.distinct_parameters = text;
        }
    }
}

using PairKey = std::tuple<std::string, std::string, std::string, std::string, std::string>;

Comparison make_comparison(const ChangeRow& row) {
    Comparison c;
    c.change = row.change;
    c.baseline_value = row.baseline->value;
    c.baseline_std_error = row.baseline->std_error;
    c.baseline_commit = row.commit_baseline;
    c.delta = row.delta.value_or(std::nan(""));
    c.relative_delta = row.relative_delta;
    return c;
}

}  // namespace

namespace {

void fill_headlines(ReportData& report) {
    constexpr Headline figures[] = {Headline::bits_per_byte, Headline::perplexity, Headline::sts_spearman,
                                    Headline::prefill_tps,   Headline::decode_tps, Headline::latency_p50,
                                    Headline::peak_memory,   Headline::load_seconds};
    std::vector<std::vector<std::optional<MetricValue>>> cells(report.models.size());
    for (Headline h : figures) {
        HeadlineColumn column{h, headline_label(h), headline_higher_is_better(h), false};
        std::set<std::string> labels;
        bool any = false;
        for (std::size_t i = 0; i < report.models.size(); ++i) {
            const MetricValue* best = nullptr;
            for (const auto& r : report.models[i].results) {
                if (r.load) continue;  // one level of a load sweep is no headline: the serving section has them all
                for (const auto& m : r.metrics) {
                    if (m.info.headline == h && (best == nullptr || m.info.headline_rank > best->info.headline_rank)) best = &m;
                }
            }
            if (best == nullptr) {
                cells[i].emplace_back();
                continue;
            }
            any = true;
            labels.insert(best->info.label);
            column.any_pseudo = column.any_pseudo || best->info.pseudo;
            cells[i].push_back(*best);
        }
        if (!any) {
            for (auto& c : cells) c.pop_back();
            continue;
        }
        // "prefill tok/s @512" when every model was measured at the same length.
        if (h == Headline::prefill_tps && labels.size() == 1) column.label = *labels.begin();
        report.headline_columns.push_back(column);
    }
    for (std::size_t i = 0; i < report.models.size(); ++i) report.models[i].headline = std::move(cells[i]);
}

// ---- history: each headline figure over the last nights (or runs) of the label ----

void fill_history(ReportData& report, const results::ResultStore& store) {
    // The units of time: the nights of the label up to the reported one, or its runs.
    std::vector<std::pair<std::string, std::vector<RunId>>> units;
    if (!report.night.empty()) {
        for (const auto& night : store.nights(report.run.info.label)) {
            std::vector<RunId> ids;
            for (const auto& r : night.runs) ids.push_back(r.id);
            units.emplace_back(night.id, std::move(ids));
            if (night.id == report.night) break;
        }
    } else {
        for (const auto& run : store.runs(report.run.info.label)) {
            units.emplace_back("run " + std::to_string(run.id.value), std::vector<RunId>{run.id});
            if (run.id == report.run.id) break;
        }
    }
    if (units.size() > history_length) units.erase(units.begin(), units.end() - history_length);
    if (units.size() < 2) return;

    // (repo, task, dataset, parameters, metric) -> value, per unit.
    using Key = std::tuple<std::string, std::string, std::string, std::string, std::string>;
    std::vector<std::map<Key, double>> values(units.size());
    for (std::size_t u = 0; u < units.size(); ++u) {
        for (const auto& row : store.results_of_runs(units[u].second)) {
            if (row.status != ResultStatus::ok) continue;
            for (const auto& m : row.metrics) {
                values[u][{row.key.model.repo_id, row.key.task, row.key.dataset_sha256, row.key.parameters, m.name}] = m.value;
            }
        }
    }
    for (std::size_t c = 0; c < report.headline_columns.size(); ++c) {
        const auto& column = report.headline_columns[c];
        HistoryChart chart{column.figure, column.label, "", column.higher_is_better, {}, {}};
        for (const auto& unit : units) chart.points.push_back(unit.first);
        for (const auto& model : report.models) {
            if (c >= model.headline.size() || !model.headline[c]) continue;
            const MetricValue& cell = *model.headline[c];
            // The result the cell came from: its key is what to follow back in time.
            const TaskResult* source = nullptr;
            for (const auto& r : model.results) {
                if (r.load) continue;
                for (const auto& m : r.metrics) {
                    if (m.name == cell.name && m.info.headline == column.figure && m.value == cell.value) source = &r;
                }
            }
            if (source == nullptr) continue;
            chart.metric = cell.name;
            HistoryLine line{model.repo_id, model.kind, {}};
            std::size_t measured = 0;
            for (const auto& unit_values : values) {
                auto it = unit_values.find({model.repo_id, source->task, source->dataset_sha256, source->parameters, cell.name});
                line.values.push_back(it == unit_values.end() ? std::nullopt : std::optional(it->second));
                measured += it != unit_values.end();
            }
            if (measured >= 2) chart.lines.push_back(std::move(line));
        }
        if (!chart.lines.empty()) report.history.push_back(std::move(chart));
    }
}

// ---- questions: results that answer the same question, ranked ----
//
// A question is a task on a dataset with the same parameters but for "method": a probe on an
// encoder and log-likelihood scoring on a decoder answer the same classification question. Its
// results are ranked by the task's primary metric; a result without it is ranked by its first
// non-auxiliary, non-speed metric with a direction (a masked LM's accuracy_pseudo where decoders
// have accuracy). The best is compared with every other result on the per-item samples of the
// metrics they are ranked by (significance.hpp).

struct Member {
    ModelRow* model;
    TaskResult* result;
    const MetricValue* metric;             // what it is ranked by
};

const MetricValue* ranking_metric(const TaskResult& r, const std::string& primary) {
    for (const auto& m : r.metrics) {
        if (m.name == primary) return &m;
    }
    for (const auto& m : r.metrics) {  // in meaning order
        if (!m.info.auxiliary && !m.info.speed && m.higher_is_better) return &m;
    }
    return nullptr;
}

std::optional<double> items_per_second(const TaskResult& r) {
    for (const auto& m : r.metrics) {
        if (m.name == "items_per_second") return m.value;
    }
    return std::nullopt;
}

// Per-item samples of the results being compared, read once each, and the bootstrap's draws,
// made once per number of items and shared by every comparison on that many items.
class Comparer {
public:
    explicit Comparer(const results::ResultStore& store) : store_(store) {}

    // tied or worse when both results have samples on the same items (equal count and indices),
    // unknown otherwise.
    Significance compare(const Member& best, const Member& other, bool higher_is_better) {
        const auto& a = samples(*best.result, best.metric->name);
        const auto& b = samples(*other.result, other.metric->name);
        if (a.empty() || a.size() != b.size()) return Significance::unknown;
        std::vector<double> x(a.size()), y(b.size());
        for (std::size_t i = 0; i < a.size(); ++i) {
            if (a[i].index != b[i].index) return Significance::unknown;
            x[i] = a[i].value;
            y[i] = b[i].value;
        }
        auto boot = draws_within_limit(x.size()) ? paired_bootstrap(x, y, higher_is_better, draws(x.size()))
                                                 : paired_bootstrap(x, y, higher_is_better);
        if (!boot) return Significance::unknown;
        return boot->tied() ? Significance::tied : Significance::worse;
    }

private:
    static constexpr std::size_t resamples = 1000;
    // A shared table of draws up to 64 MiB (16k items); beyond, each comparison draws its own.
    static bool draws_within_limit(std::size_t items) { return items <= (std::size_t{16} << 20) / resamples; }

    // The values of `metric`'s samples by item index: empty when the result stored none.
    const std::vector<results::Sample>& samples(const TaskResult& r, const std::string& metric) {
        auto key = std::make_pair(r.id.value, metric);
        auto it = samples_.find(key);
        if (it != samples_.end()) return it->second;
        std::vector<results::Sample> kept;
        for (auto& s : store_.samples_of_result(r.id)) {  // sorted by (metric, index)
            if (s.metric == metric) kept.push_back(std::move(s));
        }
        return samples_.emplace(key, std::move(kept)).first->second;
    }

    const BootstrapDraws& draws(std::size_t items) {
        auto it = draws_.find(items);
        if (it == draws_.end()) it = draws_.emplace(items, BootstrapDraws(items, resamples, 0)).first;
        return it->second;
    }

    const results::ResultStore& store_;
    std::map<std::pair<std::int64_t, std::string>, std::vector<results::Sample>> samples_;
    std::map<std::size_t, BootstrapDraws> draws_;
};

KindBest kind_best(const Member& m) {
    return {m.model->repo_id, m.model->commit_sha, m.result->method, *m.metric, items_per_second(*m.result), m.result->significance};
}

void rank_questions(ReportData& report, const results::ResultStore& store) {
    using QuestionKey = std::tuple<int, std::string, std::string, std::string, std::string>;  // order, task, dataset, sha, params
    std::map<QuestionKey, std::vector<Member>> questions;
    for (auto& m : report.models) {
        for (auto& r : m.results) {
            if (r.load) continue;  // levels of a load sweep answer no common question
            auto params = parse_object(r.parameters);
            params.erase("method");
            questions[{report.meanings.task_order(r.task), r.task, r.dataset_name, r.dataset_sha256, params.dump()}].push_back(
                {&m, &r, nullptr});
        }
    }
    Comparer comparer(store);
    for (auto& [key, all] : questions) {
        const std::string& task = std::get<1>(key);
        const std::string primary = report.meanings.primary_metric(task);
        if (primary.empty()) continue;  // speed: nothing to rank
        std::vector<Member> ranked;
        for (auto& member : all) {
            member.metric = ranking_metric(*member.result, primary);
            if (member.metric != nullptr) ranked.push_back(member);
        }
        if (ranked.empty()) continue;
        const bool higher = report.meanings.describe(task, primary).higher_is_better.value_or(
            ranked.front().metric->higher_is_better.value_or(true));
        auto better = [higher](const Member& a, const Member& b) {
            return higher ? a.metric->value > b.metric->value : a.metric->value < b.metric->value;
        };
        // The first of equals wins: models are in report order.
        const Member* best = &ranked.front();
        for (const auto& m : ranked) {
            if (better(m, *best)) best = &m;
        }
        for (auto& m : ranked) {
            m.result->ranked_by = m.metric->name;
            m.result->question_size = ranked.size();
            m.result->significance = &m == best ? Significance::best : comparer.compare(*best, m, higher);
        }

        // Encoder or decoder?
        const Member *encoder = nullptr, *decoder = nullptr;
        for (const auto& m : ranked) {
            if (m.model->kind != ModelKind::encoder && m.model->kind != ModelKind::decoder) continue;
            const Member*& slot = m.model->kind == ModelKind::encoder ? encoder : decoder;
            if (slot == nullptr || better(m, *slot)) slot = &m;
        }
        if (encoder == nullptr && decoder == nullptr) continue;
        KindPick row;
        row.task = task;
        row.dataset_name = std::get<2>(key);
        row.dataset_sha256 = std::get<3>(key);
        row.parameters = std::get<4>(key);
        row.distinct_parameters = ranked.front().result->distinct_parameters;
        if (encoder != nullptr) row.encoder = kind_best(*encoder);
        if (decoder != nullptr) row.decoder = kind_best(*decoder);
        if (encoder == nullptr || decoder == nullptr) {
            row.pick = encoder != nullptr ? ModelKind::encoder : ModelKind::decoder;
        } else {
            const bool encoder_wins = better(*encoder, *decoder);
            const Member& winner = encoder_wins ? *encoder : *decoder;
            const Member& other = encoder_wins ? *decoder : *encoder;
            row.pick = encoder_wins ? ModelKind::encoder : ModelKind::decoder;
            // The question's best is one of the two (then this is the other's mark), or a third
            // model of another kind: compare the two directly.
            row.runner_up = comparer.compare(winner, other, higher);
            auto speed_e = items_per_second(*encoder->result), speed_d = items_per_second(*decoder->result);
            if (speed_e && speed_d && *speed_e > 0 && *speed_d > 0) {
                row.faster = *speed_e >= *speed_d ? ModelKind::encoder : ModelKind::decoder;
                row.speedup = std::max(*speed_e, *speed_d) / std::min(*speed_e, *speed_d);
            }
        }
        report.encoder_or_decoder.push_back(std::move(row));
    }
}

// ---- serving under load: the served-load rows, one series per model, endpoint and parameters ----

std::optional<std::int64_t> whole_number(const nlohmann::json& params, const char* key) {
    auto it = params.find(key);
    if (it == params.end() || !it->is_number()) return std::nullopt;
    const double v = it->get<double>();
    if (!std::isfinite(v) || v != std::floor(v)) return std::nullopt;
    return static_cast<std::int64_t>(v);
}

std::optional<double> positive_number(const nlohmann::json& params, const char* key) {
    auto it = params.find(key);
    if (it == params.end() || !it->is_number()) return std::nullopt;
    const double v = it->get<double>();
    return std::isfinite(v) && v > 0 ? std::optional(v) : std::nullopt;
}

// The keys a series heading shows by name, or that are the level: never among its distinct parameters.
bool serving_named_key(const std::string& key) {
    return key == "endpoint" || key == "prompt_tokens" || key == "output_tokens" || key == "dataset" || key == "dataset_sha256" ||
           key == "concurrency" || key == "request_rate" || key == "requests" || key == "slo_ttft_ms" || key == "slo_itl_ms";
}

void fill_serving(ReportData& report) {
    struct Pending {
        std::size_t model;                 // index in report.models: the series follow the report's model order
        nlohmann::json params;             // without the level key
        ServingSeries series;
    };
    std::vector<Pending> pending;
    std::map<std::tuple<std::size_t, std::string, std::string>, std::size_t> index;  // model, dataset sha, params -> pending
    for (std::size_t mi = 0; mi < report.models.size(); ++mi) {
        const ModelRow& m = report.models[mi];
        for (const auto& r : m.results) {
            if (!r.load) continue;
            auto params = parse_object(r.parameters);
            params.erase(r.load->kind == LoadKind::concurrency ? "concurrency" : "request_rate");
            // What varies with the level: the requests sent at each (by default more at higher levels).
            params.erase("requests");
            const std::string text = params.dump();
            auto [it, added] = index.try_emplace({mi, r.dataset_sha256, text}, pending.size());
            if (added) {
                ServingSeries s;
                s.repo_id = m.repo_id;
                s.commit_sha = m.commit_sha;
                s.kind = m.kind;
                if (auto e = params.find("endpoint"); e != params.end()) s.endpoint = json_scalar_text(*e);
                s.prompt_tokens = whole_number(params, "prompt_tokens");
                s.output_tokens = whole_number(params, "output_tokens");
                s.slo_ttft_ms = positive_number(params, "slo_ttft_ms");
                s.slo_itl_ms = positive_number(params, "slo_itl_ms");
                s.dataset_name = r.dataset_name;
                s.dataset_sha256 = r.dataset_sha256;
                s.parameters = text;
                pending.push_back({mi, std::move(params), std::move(s)});
            }
            pending[it->second].series.levels.push_back({*r.load, r});
        }
    }
    // What tells the series apart besides model, endpoint and lengths: keys whose values differ
    // between series, or that some series lack.
    std::map<std::string, std::set<std::string>> seen;
    std::map<std::string, std::size_t> present;
    for (const auto& p : pending) {
        for (const auto& [k, v] : p.params.items()) {
            seen[k].insert(v.dump());
            ++present[k];
        }
    }
    for (auto& p : pending) {
        std::string text;
        for (const auto& [k, values] : seen) {
            if (serving_named_key(k) || (values.size() <= 1 && present[k] == pending.size())) continue;
            text += (text.empty() ? "" : " ") + k + "=" + (p.params.contains(k) ? json_scalar_text(p.params[k]) : "-");
        }
        p.series.distinct_parameters = text;
        std::stable_sort(p.series.levels.begin(), p.series.levels.end(), [](const ServingLevel& a, const ServingLevel& b) {
            return std::make_tuple(a.load.kind, a.load.value) < std::make_tuple(b.load.kind, b.load.value);
        });
    }
    std::stable_sort(pending.begin(), pending.end(), [](const Pending& a, const Pending& b) {
        return std::tie(a.model, a.series.endpoint, a.series.dataset_name, a.series.parameters) <
               std::tie(b.model, b.series.endpoint, b.series.dataset_name, b.series.parameters);
    });
    for (auto& p : pending) report.serving.push_back(std::move(p.series));
}

}  // namespace

const char* load_kind_name(LoadKind kind) { return kind == LoadKind::concurrency ? "concurrency" : "request_rate"; }

std::optional<LoadLevel> load_level_of(std::string_view task, const std::string& parameters) {
    if (task != "speed") return std::nullopt;
    const auto params = parse_object(parameters);
    auto number = [&](const char* key) -> std::optional<double> {
        auto it = params.find(key);
        if (it == params.end()) return std::nullopt;
        if (it->is_number()) return it->get<double>();
        if (it->is_string()) {  // a value written as text ("inf": every request at once)
            const std::string text = it->get<std::string>();
            char* end = nullptr;
            const double v = std::strtod(text.c_str(), &end);
            if (!text.empty() && end == text.c_str() + text.size()) return v;
        }
        return std::nullopt;
    };
    if (auto rate = number("request_rate")) return LoadLevel{LoadKind::request_rate, *rate};
    if (auto clients = number("concurrency")) return LoadLevel{LoadKind::concurrency, *clients};
    return std::nullopt;
}

const MetricValue* TaskResult::metric(std::string_view name) const {
    for (const auto& m : metrics) {
        if (m.name == name) return &m;
    }
    return nullptr;
}

const std::vector<ServingColumn> serving_columns{
    {"requests", "Requests", std::nullopt},
    {"failed_requests", "Failed", std::nullopt},
    {"requests_per_second", "req/s", true},
    {"output_tokens_per_second", "output tok/s", true},
    {"goodput_rps", "goodput req/s", true},
    {"ttft_ms_p50", "TTFT p50 (ms)", false},
    {"ttft_ms_p90", "TTFT p90 (ms)", false},
    {"ttft_ms_p99", "TTFT p99 (ms)", false},
    {"itl_ms_p50", "ITL p50 (ms)", false},
    {"itl_ms_p90", "ITL p90 (ms)", false},
    {"itl_ms_p99", "ITL p99 (ms)", false},
    {"e2e_ms_p50", "E2E p50 (ms)", false},
    {"e2e_ms_p90", "E2E p90 (ms)", false},
    {"e2e_ms_p99", "E2E p99 (ms)", false},
};

ReportData build_report(const results::ResultStore& store, const ReportSelection& selection) {
    ReportData report;
    report.database = db_name(store);
    report.generator_version = hubbench::version();
    report.generator_commit = hubbench::git_commit();
    report.relative_tolerance = selection.relative_tolerance;
    report.speed_relative_tolerance = selection.speed_relative_tolerance;

    report.meanings = Meanings::load(store);
    const auto runs = store.runs();
    if (runs.empty()) throw Error(ErrorKind::not_found, "no runs in " + db_name(store) + ": run `hubbench run` first");
    if (selection.night || selection.last_night) {
        select_night(store, selection, report);
    } else {
        select_single_run(store, runs, selection, report);
    }
    std::vector<RunId> run_ids, baseline_ids;
    for (const auto& r : report.runs) run_ids.push_back(r.id);
    for (const auto& r : report.baseline_runs) baseline_ids.push_back(r.id);

    // Datasets by sha256, looked up once.
    std::map<std::string, std::optional<results::DatasetRecord>> datasets;
    auto dataset = [&](const std::string& sha) -> const std::optional<results::DatasetRecord>& {
        auto it = datasets.find(sha);
        if (it == datasets.end()) it = datasets.emplace(sha, store.dataset(sha)).first;
        return it->second;
    };

    // ---- comparison with the baseline ----
    std::map<PairKey, Comparison> comparisons;
    if (report.baseline) {
        for (auto pair : store.compare_runs(baseline_ids, run_ids)) {
            ChangeRow row;
            row.repo_id = pair.repo_id;
            row.commit_baseline = pair.commit_a;
            row.commit_current = pair.commit_b;
            row.task = pair.task;
            row.dataset_sha256 = pair.dataset_sha256;
            const auto& d = dataset(pair.dataset_sha256);
            row.dataset_name = d ? d->name : pair.dataset_sha256.substr(0, 12);
            row.parameters = pair.parameters;
            row.metric = pair.metric;
            row.info = report.meanings.describe(pair.task, pair.metric);
            // A value stored without a direction takes its meaning's (described in the database).
            for (auto* side : {&pair.a, &pair.b}) {
                if (*side && !(*side)->higher_is_better) (*side)->higher_is_better = row.info.higher_is_better;
            }
            row.tolerance = row.info.speed ? selection.speed_relative_tolerance : selection.relative_tolerance;
            row.change = results::classify_change(pair, row.tolerance);
            row.baseline = pair.a;
            row.current = pair.b;
            if (pair.a && pair.b) {
                double a = pair.a->value, b = pair.b->value;
                if (std::isfinite(a) && std::isfinite(b)) {
                    row.delta = b - a;
                    if (a != 0.0) row.relative_delta = (b - a) / std::fabs(a);
                }
                comparisons[{row.repo_id, row.task, row.dataset_sha256, row.parameters, row.metric}] = make_comparison(row);
            }
            auto& c = report.counts;
            if (!pair.a) ++c.only_current;
            else if (!pair.b) ++c.only_baseline;
            else if (row.change == Change::better) ++c.better;
            else if (row.change == Change::worse) ++c.worse;
            else if (row.change == Change::same) ++c.same;
            else ++c.unknown;
            report.changes.push_back(std::move(row));
        }
    }

    // ---- the run's results, by model ----
    std::map<std::pair<std::string, std::string>, std::size_t> model_index;
    std::set<std::string> tasks, shas;
    for (const auto& r : store.results_of_runs(run_ids)) {
        shas.insert(r.key.dataset_sha256);
        auto key = std::make_pair(r.key.model.repo_id, r.key.model.commit_sha);
        auto it = model_index.find(key);
        if (it == model_index.end()) {
            ModelRow row;
            row.repo_id = key.first;
            row.commit_sha = key.second;
            row.commit_short = key.second.substr(0, 7);
            if (auto m = store.model(r.key.model)) {
                row.kind = m->kind;
                row.parameters = m->parameters;
                row.dtype = m->dtype;
                row.licence = m->licence;
                row.architecture = m->architecture;
                row.size_bytes = m->size_bytes;
            }
            it = model_index.emplace(key, report.models.size()).first;
            report.models.push_back(std::move(row));
        }
        ModelRow& model = report.models[it->second];
        if (r.status != ResultStatus::ok) {
            FailedResult f{r.key.model.repo_id, r.key.model.commit_sha, r.key.task, r.dataset_name, r.key.dataset_sha256,
                           r.key.parameters, r.status, r.error};
            if (r.status == ResultStatus::skipped) {
                ++model.not_applicable;
                report.not_applicable.push_back(std::move(f));
            } else {
                ++model.failures;
                report.failed_results.push_back(std::move(f));
            }
            continue;
        }
        TaskResult t;
        t.load = load_level_of(r.key.task, r.key.parameters);
        if (!t.load) tasks.insert(r.key.task);
        t.id = r.id;
        t.measured_in = r.run;
        t.task = r.key.task;
        t.dataset_name = r.dataset_name;
        t.dataset_sha256 = r.key.dataset_sha256;
        t.parameters = r.key.parameters;
        t.method = method_of(r.key.parameters);
        t.status = r.status;
        t.error = r.error;
        t.seconds = r.seconds;
        for (const auto& m : r.metrics) {
            MetricValue v = make_value(report.meanings, r.key.task, m);
            auto c = comparisons.find({r.key.model.repo_id, r.key.task, r.key.dataset_sha256, r.key.parameters, m.name});
            if (c != comparisons.end()) v.vs_baseline = c->second;
            t.metrics.push_back(std::move(v));
        }
        std::stable_sort(t.metrics.begin(), t.metrics.end(), metric_before);
        model.results.push_back(std::move(t));
    }
    for (auto& m : report.models) {
        std::stable_sort(m.results.begin(), m.results.end(),
                         [&](const TaskResult& a, const TaskResult& b) {
                             return report.meanings.task_order(a.task) < report.meanings.task_order(b.task);
                         });
    }
    std::stable_sort(report.models.begin(), report.models.end(), [](const ModelRow& a, const ModelRow& b) {
        return std::make_tuple(kind_order(a.kind), lower(a.repo_id), a.repo_id, a.commit_sha) <
               std::make_tuple(kind_order(b.kind), lower(b.repo_id), b.repo_id, b.commit_sha);
    });
    fill_distinct_parameters(report.models);
    fill_headlines(report);
    fill_history(report, store);
    rank_questions(report, store);
    fill_serving(report);

    report.tasks.assign(tasks.begin(), tasks.end());
    std::stable_sort(report.tasks.begin(), report.tasks.end(),
                     [&](const std::string& a, const std::string& b) {
                         return std::make_tuple(report.meanings.task_order(a), a) < std::make_tuple(report.meanings.task_order(b), b);
                     });

    for (auto run : run_ids) {
        for (const auto& t : store.trials_of_run(run)) {
            if (t.trial.outcome == results::TrialOutcome::selected) {
                ++report.selected_trials;
                continue;
            }
            report.failed_trials.push_back({t.trial.repo_id, t.trial.commit_sha, t.trial.stage, t.trial.outcome, t.trial.reason, t.trial.details});
        }
    }

    for (const auto& sha : shas) {
        if (const auto& d = dataset(sha)) report.datasets.push_back(*d);
    }
    std::sort(report.datasets.begin(), report.datasets.end(),
              [](const auto& a, const auto& b) { return std::tie(a.name, a.sha256) < std::tie(b.name, b.sha256); });
    return report;
}

std::vector<const ChangeRow*> changes_of(const ReportData& report, results::Change change) {
    std::vector<const ChangeRow*> out;
    for (const auto& c : report.changes) {
        if (c.change == change && c.baseline && c.current) out.push_back(&c);
    }
    return out;
}

}  // namespace hubbench::reports
