// HTML report: one self-contained page. CSS is inline, charts are inline SVG drawn by
// svg_charts.cpp, and a small inline script makes tables sortable and then sets
// document.body.dataset.ready = "1" (what the browser test waits for). Nothing is loaded from
// anywhere: the Content-Security-Policy allows no source but the page's own inline style and
// script. Every text from the database goes through html_escape(); none of it reaches the script.
#include <algorithm>
#include <cmath>
#include <sstream>

#include "reports/format.hpp"
#include "reports/render.hpp"
#include "reports/svg_charts.hpp"

namespace hubbench::reports {

namespace {

constexpr const char* style = R"css(
:root{--ink:#111827;--muted:#6b7280;--line:#e5e7eb;--head:#f3f4f6;--dec:#1f5fbf;--enc:#e0701a;--bad:#b91c1c;--good:#047857}
*{box-sizing:border-box}
body{margin:0;padding:28px 36px 48px;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--ink);background:#fff}
h1{font-size:26px;margin:0 0 4px}h2{font-size:19px;margin:34px 0 10px;padding-bottom:4px;border-bottom:2px solid var(--line)}
h3{font-size:15px;margin:22px 0 8px}
.sub{color:var(--muted);margin:0 0 18px}
.cards{display:flex;flex-wrap:wrap;gap:12px;margin:8px 0 6px}
.card{border:1px solid var(--line);border-radius:8px;padding:10px 16px;min-width:150px;background:#fcfcfd}
.card b{display:block;font-size:24px;line-height:1.2}.card span{color:var(--muted);font-size:12px;text-transform:uppercase;letter-spacing:.04em}
.card.bad b{color:var(--bad)}.card.good b{color:var(--good)}
.scroll{overflow-x:auto}
table{border-collapse:collapse;margin:6px 0 10px;font-variant-numeric:tabular-nums;min-width:40%}
th,td{padding:6px 9px;border-bottom:1px solid var(--line);text-align:left;vertical-align:top}
th{background:var(--head);font-weight:600;font-size:12.5px;line-height:1.25}
#overview-table th.n{max-width:7.5em}
td.n,th.n{text-align:right}td.n{white-space:nowrap}
tbody tr:hover{background:#f9fafb}
table.sortable th{cursor:pointer;user-select:none}
table.sortable th[aria-sort=ascending]::after{content:" ▲";font-size:10px}
table.sortable th[aria-sort=descending]::after{content:" ▼";font-size:10px}
.model{font-weight:600;overflow-wrap:anywhere;min-width:9em}.org{color:var(--muted);font-size:12px;overflow-wrap:anywhere}
.commit{font:11.5px ui-monospace,SFMono-Regular,Menlo,monospace;color:var(--muted);margin-left:4px;white-space:nowrap}
.kind{display:inline-block;padding:1px 8px;border-radius:10px;font-size:12px;color:#fff;background:#6b7280}
.kind.decoder{background:var(--dec)}.kind.encoder{background:var(--enc)}
.pseudo{color:var(--enc);font-weight:700;cursor:help}
.chg{display:block;font-size:11.5px}.chg.worse{color:var(--bad)}.chg.better{color:var(--good)}
.status{font-weight:600;color:var(--bad)}.status.skipped{color:#92400e}
.sig{margin-left:3px;cursor:help}.sig.best{color:#b45309}.sig.tied{color:var(--muted)}
table.muted{color:var(--muted)}table.muted th{background:#f9fafb;font-weight:500}
table.serving td:first-child{white-space:nowrap}
table.picks td{vertical-align:top}.fig{display:block;color:#374151;font-size:12.5px;white-space:nowrap}
.reason{font:12.5px ui-monospace,SFMono-Regular,Menlo,monospace;white-space:pre-wrap;word-break:break-word}
.note{color:#374151;font-size:13px;max-width:980px}
.warning{border-left:4px solid #d97706;background:#fffbeb;padding:8px 12px;margin:12px 0;max-width:980px}
.charts{display:flex;flex-wrap:wrap;gap:18px 28px;align-items:flex-start}
figure{margin:0}svg.chart{max-width:100%;height:auto}
dl.prov{display:grid;grid-template-columns:max-content 1fr;gap:4px 16px;margin:0}dl.prov dt{color:var(--muted)}dl.prov dd{margin:0}
code{font:12.5px ui-monospace,SFMono-Regular,Menlo,monospace}
footer{margin-top:36px;color:var(--muted);font-size:12px}
@media print{
  body{padding:0;font-size:10.5pt}
  *{-webkit-print-color-adjust:exact;print-color-adjust:exact}
  h2{break-after:avoid}table,figure,.card{break-inside:avoid}thead{display:table-header-group}
  .scroll{overflow:visible}table.sortable th::after{content:none!important}tbody tr:hover{background:none}
}
)css";

// Sorts a table by a clicked header: numbers by data-v, everything else as text; rows without a
// value go last. Then tells whoever waits (the browser test) that the page is ready.
constexpr const char* script = R"js(
(function(){
  function key(td){if(!td)return null;var v=td.getAttribute("data-v");if(v!==null&&v!==""&&!isNaN(+v))return +v;return td.textContent.trim().toLowerCase();}
  document.querySelectorAll("table.sortable").forEach(function(table){
    var heads=table.tHead?table.tHead.rows[0].cells:[];
    Array.prototype.forEach.call(heads,function(th,col){
      th.setAttribute("tabindex","0");
      function sort(){
        var asc=th.getAttribute("aria-sort")!=="ascending";
        Array.prototype.forEach.call(heads,function(h){h.removeAttribute("aria-sort");});
        th.setAttribute("aria-sort",asc?"ascending":"descending");
        var body=table.tBodies[0],rows=Array.prototype.slice.call(body.rows);
        rows.sort(function(a,b){
          var x=key(a.cells[col]),y=key(b.cells[col]);
          if(x===null||x==="")return 1;if(y===null||y==="")return -1;
          var c=(typeof x==="number"&&typeof y==="number")?x-y:String(x).localeCompare(String(y));
          return asc?c:-c;});
        rows.forEach(function(r){body.appendChild(r);});
      }
      th.addEventListener("click",sort);
      th.addEventListener("keydown",function(e){if(e.key==="Enter"||e.key===" "){e.preventDefault();sort();}});
    });
  });
  document.body.dataset.ready="1";
})();
)js";

std::string esc(std::string_view text) { return html_escape(text); }

SeriesGroup group_of(const std::optional<ModelKind>& kind) {
    if (kind == ModelKind::decoder) return SeriesGroup::decoder;
    if (kind == ModelKind::encoder) return SeriesGroup::encoder;
    return SeriesGroup::other;
}

// The name in bold, the organisation and the short commit under it: narrow enough for a table
// that holds eight figures at 1280 px.
std::string model_html(const std::string& repo, const std::string& commit) {
    auto slash = repo.find('/');
    std::string org = slash == std::string::npos || slash + 1 == repo.size() ? "" : repo.substr(0, slash + 1);
    std::string out = "<div class=\"model\" title=\"" + esc(repo) + "\">" + esc(short_name(repo)) + "</div>";
    if (!org.empty() || !commit.empty()) {
        out += "<div class=\"org\">" + esc(org);
        if (!commit.empty()) out += "<span class=\"commit\" title=\"" + esc(commit) + "\">" + esc(commit.substr(0, 7)) + "</span>";
        out += "</div>";
    }
    return out;
}

std::string kind_html(const std::optional<ModelKind>& kind) {
    std::string k = kind_text(kind);
    return "<span class=\"kind " + esc(k == "?" ? "unknown" : k) + "\">" + esc(k == "?" ? "unknown" : k) + "</span>";
}

const char* pseudo_mark = "<span class=\"pseudo\" title=\"pseudo: from masked-LM pseudo-log-likelihood, not a true likelihood\">†</span>";

std::string number_attr(double v) { return std::isfinite(v) ? exact_number(v) : ""; }

// A numeric cell: value ± se, a dagger for pseudo figures, a significance mark (html), and the
// change since the baseline.
std::string metric_td(const MetricValue& v, bool show_change, const std::string& mark = "") {
    std::string out = "<td class=\"n\" data-v=\"" + number_attr(v.value) + "\"";
    if (v.vs_baseline) {
        out += " title=\"baseline " + esc(format_measurement(v.vs_baseline->baseline_value, v.vs_baseline->baseline_std_error)) + " (" +
               results::to_string(v.vs_baseline->change) + ")\"";
    }
    out += ">" + esc(format_measurement(v.value, v.std_error));
    if (v.info.pseudo) out += pseudo_mark;
    out += mark;
    if (show_change && v.vs_baseline &&
        (v.vs_baseline->change == results::Change::worse || v.vs_baseline->change == results::Change::better)) {
        const char* c = results::to_string(v.vs_baseline->change);
        std::string pct = format_percent(v.vs_baseline->relative_delta);
        out += std::string("<span class=\"chg ") + c + "\">" + (v.vs_baseline->change == results::Change::worse ? "▼ " : "▲ ") +
               esc(pct.empty() ? format_delta(v.vs_baseline->delta, v.std_error) : pct) + " " + c + "</span>";
    }
    return out + "</td>";
}

std::string th(const std::string& label, bool numeric, std::optional<bool> higher_is_better = std::nullopt, bool pseudo = false) {
    std::string out = numeric ? "<th class=\"n\" scope=\"col\">" : "<th scope=\"col\">";
    out += esc(label);
    if (pseudo) out += pseudo_mark;
    if (const char* arrow = direction_arrow(higher_is_better); *arrow != '\0') out += std::string(" ") + arrow;
    return out + "</th>";
}

void write_cards(std::ostringstream& out, const ReportData& r) {
    std::size_t dec = 0, enc = 0;
    for (const auto& m : r.models) {
        dec += m.kind == ModelKind::decoder;
        enc += m.kind == ModelKind::encoder;
    }
    auto card = [&](const std::string& value, const std::string& label, const char* tone) {
        out << "<div class=\"card " << tone << "\"><b>" << esc(value) << "</b><span>" << esc(label) << "</span></div>";
    };
    out << "<div class=\"cards\">";
    card(std::to_string(r.models.size()), "models", "");
    card(std::to_string(dec) + " / " + std::to_string(enc), "decoders / encoders", "");
    if (r.baseline) {
        card(std::to_string(r.counts.worse), "regressions", r.counts.worse > 0 ? "bad" : "good");
        card(std::to_string(r.counts.better), "improvements", "");
    } else {
        card("–", "no baseline", "");
    }
    // Failed results, and candidates that failed or were skipped; not-applicable results are no failure.
    std::size_t failures = r.failed_results.size() + r.failed_trials.size();
    card(std::to_string(failures), "failed", failures > 0 ? "bad" : "good");
    if (!r.not_applicable.empty()) card(std::to_string(r.not_applicable.size()), "not applicable", "");
    out << "</div>";
}

// Encoder or decoder? The best of each kind per question, and which to pick.
void write_kind_picks(std::ostringstream& out, const ReportData& r) {
    if (r.encoder_or_decoder.empty()) return;
    out << "<section id=\"encoder-or-decoder\"><h2>Encoder or decoder?</h2><div class=\"scroll\"><table class=\"picks\" "
           "id=\"encoder-or-decoder-table\"><thead><tr>"
        << th("Task", false) << th("Dataset", false) << th("Best encoder", false) << th("Best decoder", false) << th("Pick", false)
        << "</tr></thead><tbody>";
    auto best_td = [](const std::optional<KindBest>& b) {
        if (!b) return std::string("<td>–</td>");
        return "<td><b title=\"" + esc(b->repo_id) + " " + esc(b->commit_sha.substr(0, 7)) + "\">" + esc(kind_best_model(*b)) +
               "</b><span class=\"fig\">" + esc(kind_best_figures(*b)) + "</span></td>";
    };
    for (const auto& row : r.encoder_or_decoder) {
        out << "<tr><td>" << esc(question_text(r.meanings, row)) << "</td><td title=\"" << esc(row.dataset_sha256) << "\">"
            << esc(row.dataset_name) << "</td>" << best_td(row.encoder) << best_td(row.decoder) << "<td>" << esc(pick_text(row))
            << "</td></tr>";
    }
    out << "</tbody></table></div><p class=\"note\">" << esc(kind_pick_note) << "</p></section>";
}

void write_overview(std::ostringstream& out, const ReportData& r) {
    out << "<section id=\"overview\"><h2>Encoders and decoders side by side</h2>";
    if (r.models.empty()) {
        out << "<p class=\"note\">This run has no results.</p></section>";
        return;
    }
    out << "<div class=\"scroll\"><table class=\"sortable\" id=\"overview-table\"><thead><tr>" << th("Model", false) << th("Kind", false)
        << th("Params", true);
    bool any_pseudo = false, any_bpb = false;
    for (const auto& c : r.headline_columns) {
        out << th(c.label, true, c.higher_is_better);
        any_pseudo = any_pseudo || c.any_pseudo;
        any_bpb = any_bpb || c.figure == Headline::bits_per_byte;
    }
    out << "</tr></thead><tbody>";
    for (const auto& m : r.models) {
        out << "<tr><td>" << model_html(m.repo_id, m.commit_sha);
        if (m.results.empty() && m.failures > 0) out << " <span class=\"status\">failed</span>";
        out << "</td><td>" << kind_html(m.kind) << "</td><td class=\"n\" data-v=\"" << (m.parameters ? std::to_string(*m.parameters) : "")
            << "\">" << (m.parameters ? esc(format_count(*m.parameters)) : "–") << "</td>";
        for (const auto& cell : m.headline) out << (cell ? metric_td(*cell, true) : "<td class=\"n\" data-v=\"\">–</td>");
        out << "</tr>";
    }
    out << "</tbody></table></div>";
    if (any_bpb) out << "<p class=\"note\">" << esc(bits_per_byte_note) << "</p>";
    if (any_pseudo) out << "<p class=\"note\">" << esc(pseudo_note) << "</p>";
    out << "<p class=\"note\">Values ± one standard error where the suite estimated it; ↑ higher is better, ↓ lower is better";
    if (r.baseline) out << "; ▲/▼ mark changes since " << esc(baseline_name(r)) << " beyond the threshold";
    out << ". Click a column to sort.</p></section>";
}

const MetricValue* cell_of(const ModelRow& m, const ReportData& r, Headline h) {
    for (std::size_t i = 0; i < r.headline_columns.size() && i < m.headline.size(); ++i) {
        if (r.headline_columns[i].figure == h && m.headline[i]) return &*m.headline[i];
    }
    return nullptr;
}

void write_charts(std::ostringstream& out, const ReportData& r) {
    if (r.headline_columns.empty()) return;
    out << "<section id=\"charts\"><h2>Charts</h2><div class=\"charts\">";
    // Quality against throughput: the trade-off a user picks from. Prefill is the throughput every
    // model has (encoders do not decode).
    Headline speed = Headline::none;
    std::string speed_label;
    for (const auto& c : r.headline_columns) {
        if (c.figure == Headline::prefill_tps || (speed == Headline::none && c.figure == Headline::decode_tps)) {
            speed = c.figure;
            speed_label = c.label;
        }
    }
    ScatterSpec scatter;
    scatter.title = "Quality vs throughput";
    scatter.x_label = "bits per byte";
    scatter.y_label = speed_label;
    for (const auto& m : r.models) {
        const MetricValue* q = cell_of(m, r, Headline::bits_per_byte);
        const MetricValue* s = speed == Headline::none ? nullptr : cell_of(m, r, speed);
        if (q == nullptr || s == nullptr) continue;
        scatter.points.push_back({short_name(m.repo_id),
                                  m.repo_id + ": " + format_measurement(q->value, q->std_error) + " bits/byte" + (q->info.pseudo ? " (pseudo)" : "") +
                                      ", " + format_number(s->value) + " " + s->info.label,
                                  group_of(m.kind), q->value, s->value, q->std_error, q->info.pseudo});
        scatter.hollow_means_pseudo = scatter.hollow_means_pseudo || q->info.pseudo;
    }
    if (!scatter.points.empty()) out << "<figure>" << scatter_chart(scatter) << "</figure>";
    for (std::size_t i = 0; i < r.headline_columns.size(); ++i) {
        const auto& c = r.headline_columns[i];
        BarSpec spec;
        spec.title = c.label + (c.higher_is_better ? " (higher is better)" : " (lower is better)");
        spec.axis_label = c.label;
        for (const auto& m : r.models) {
            if (i >= m.headline.size() || !m.headline[i]) continue;
            const MetricValue& v = *m.headline[i];
            std::string text = format_measurement(v.value, v.std_error) + (v.info.pseudo ? " †" : "");
            spec.bars.push_back({short_name(m.repo_id), m.repo_id + " (" + kind_text(m.kind) + "): " + text + " " + v.info.label, group_of(m.kind),
                                 v.value, v.std_error, format_number(v.value) + (v.info.pseudo ? " †" : ""), v.info.pseudo});
        }
        out << "<figure>" << bar_chart(spec) << "</figure>";
    }
    out << "</div></section>";
}

// Each headline figure over the last nights (or runs) of the label, from the database.
void write_history(std::ostringstream& out, const ReportData& r) {
    if (r.history.empty()) return;
    out << "<section id=\"history\"><h2>History</h2><p class=\"note\">The last " << r.history.front().points.size() << ' '
        << (r.night.empty() ? "runs" : "nights") << " labelled " << esc(r.run.info.label.empty() ? "(none)" : r.run.info.label)
        << ", this one last; a gap is a " << (r.night.empty() ? "run" : "night") << " that did not measure it.</p><div class=\"charts\">";
    for (const auto& chart : r.history) {
        LineSpec spec;
        spec.title = chart.label + " over time";
        spec.y_label = chart.label;
        spec.higher_is_better = chart.higher_is_better;
        spec.x_labels = chart.points;
        for (const auto& line : chart.lines) {
            spec.series.push_back({short_name(line.repo_id), line.repo_id + " (" + kind_text(line.kind) + ")", group_of(line.kind), line.values});
        }
        out << "<figure>" << line_chart(spec) << "</figure>";
    }
    out << "</div></section>";
}

void write_change_table(std::ostringstream& out, const std::vector<const ChangeRow*>& rows, const char* id) {
    out << "<div class=\"scroll\"><table class=\"sortable\" id=\"" << id << "\"><thead><tr>" << th("Model", false) << th("Task", false)
        << th("Dataset", false) << th("Metric", false) << th("Baseline", true) << th("Now", true) << th("Δ", true) << th("Δ %", true)
        << "</tr></thead><tbody>";
    for (const ChangeRow* c : rows) {
        auto se = c->current->std_error ? c->current->std_error : c->baseline->std_error;
        out << "<tr><td>" << model_html(c->repo_id, c->commit_current.value_or("")) << "</td><td>" << esc(change_task_text(*c)) << "</td><td>"
            << esc(c->dataset_name) << "</td><td>" << esc(c->info.label) << (c->info.pseudo ? pseudo_mark : "")
            << (c->info.label != c->metric ? " <code>" + esc(c->metric) + "</code>" : "") << "</td><td class=\"n\" data-v=\""
            << number_attr(c->baseline->value) << "\">" << esc(format_measurement(c->baseline->value, c->baseline->std_error))
            << "</td><td class=\"n\" data-v=\"" << number_attr(c->current->value) << "\">"
            << esc(format_measurement(c->current->value, c->current->std_error)) << "</td><td class=\"n\" data-v=\""
            << (c->delta ? number_attr(*c->delta) : "") << "\">" << (c->delta ? esc(format_delta(*c->delta, se)) : "–")
            << "</td><td class=\"n\" data-v=\"" << (c->relative_delta ? number_attr(*c->relative_delta) : "") << "\">"
            << esc(format_percent(c->relative_delta)) << "</td></tr>";
    }
    out << "</tbody></table></div>";
}

void write_regressions(std::ostringstream& out, const ReportData& r) {
    out << "<section id=\"regressions\">";
    if (!r.baseline) {
        out << "<h2>Regressions</h2><p class=\"note\">No baseline: " << esc(r.baseline_note) << ".</p></section>";
        return;
    }
    out << "<h2>Regressions since " << esc(baseline_name(r)) << "</h2><p class=\"note\">Baseline started "
        << esc(r.baseline->started_at) << " (hubbench " << esc(r.baseline->info.hubbench_version) << ", <code>"
        << esc(r.baseline->info.hubbench_commit.substr(0, 12)) << "</code>); " << esc(threshold_text(r)) << ".</p>";
    auto worse = changes_of(r, results::Change::worse);
    if (worse.empty()) out << "<p class=\"note\"><b>No regressions.</b></p>";
    else write_change_table(out, worse, "regressions-table");
    auto better = changes_of(r, results::Change::better);
    if (!better.empty()) {
        out << "<h3>Improvements</h3>";
        write_change_table(out, better, "improvements-table");
    }
    const auto& c = r.counts;
    out << "<p class=\"note\">Compared " << (c.worse + c.better + c.same + c.unknown) << " metrics: " << c.worse << " worse, " << c.better
        << " better, " << c.same << " within the threshold, " << c.unknown << " without a direction; " << c.only_current
        << " only in this run, " << c.only_baseline << " only in the baseline.</p>";
    auto missing = missing_since_baseline(r);
    if (!missing.empty()) {
        out << "<p class=\"note\">Measured in the baseline but not in this run: ";
        for (std::size_t i = 0; i < missing.size(); ++i) out << (i ? ", " : "") << esc(missing[i]);
        out << ".</p>";
    }
    out << "</section>";
}

// The significance mark of a result's ranking metric, with what it means on hover.
std::string significance_html(const TaskResult& res) {
    const char* mark = significance_mark(res);
    if (*mark == '\0') return "";
    const bool best = res.significance == Significance::best;
    std::string title = best ? "best of " + std::to_string(res.question_size) + " results on the same task, dataset and parameters"
                             : std::string("not significantly worse than the best (paired bootstrap over the same items, 95%)");
    return std::string("<span class=\"sig ") + (best ? "best" : "tied") + "\" title=\"" + esc(title) + "\">" + mark + "</span>";
}

void write_task(std::ostringstream& out, const ReportData& r, const std::string& task) {
    std::vector<MetricValue> columns;
    bool any_parameters = false, any_method = false;
    for (const auto& m : r.models) {
        for (const auto& res : m.results) {
            if (res.task != task || res.load) continue;  // served-load rows: "Serving under load"
            any_parameters = any_parameters || !res.distinct_parameters.empty();
            any_method = any_method || !res.method.empty();
            for (const auto& v : res.metrics) {
                if (std::none_of(columns.begin(), columns.end(), [&](const MetricValue& c) { return c.name == v.name; })) columns.push_back(v);
            }
        }
    }
    std::stable_sort(columns.begin(), columns.end(), [](const MetricValue& a, const MetricValue& b) {
        return std::tie(a.info.auxiliary, a.info.order, a.info.sub_order, a.name) < std::tie(b.info.auxiliary, b.info.order, b.info.sub_order, b.name);
    });
    out << "<h3 id=\"task-" << esc(task) << "\">" << esc(task_heading(r.meanings, task))
        << "</h3><div class=\"scroll\"><table class=\"sortable task\"><thead><tr>" << th("Model", false) << th("Kind", false)
        << th("Dataset", false);
    if (any_method) out << th("Method", false);
    if (any_parameters) out << th("Parameters", false);
    for (const auto& c : columns) out << th(label_with_unit(c.info), true, c.higher_is_better, c.info.pseudo);
    out << th("Time (s)", true) << "</tr></thead><tbody>";
    bool any_mark = false;
    for (const auto& m : r.models) {
        for (const auto& res : m.results) {
            if (res.task != task || res.load) continue;
            out << "<tr><td>" << model_html(m.repo_id, m.commit_sha) << "</td><td>" << kind_html(m.kind) << "</td><td title=\""
                << esc(res.dataset_sha256) << "\">" << esc(res.dataset_name) << "</td>";
            if (any_method) out << "<td>" << (res.method.empty() ? "–" : esc(res.method)) << "</td>";
            if (any_parameters) out << "<td title=\"" << esc(res.parameters) << "\"><code>" << esc(res.distinct_parameters) << "</code></td>";
            const std::string mark = significance_html(res);
            for (const auto& c : columns) {
                auto it = std::find_if(res.metrics.begin(), res.metrics.end(), [&](const MetricValue& v) { return v.name == c.name; });
                if (it == res.metrics.end()) {
                    out << "<td class=\"n\" data-v=\"\">–</td>";
                } else {
                    MetricValue shown = *it;
                    shown.info.pseudo = false;  // the header carries the dagger
                    const bool marked = !mark.empty() && it->name == res.ranked_by;
                    any_mark = any_mark || marked;
                    out << metric_td(shown, true, marked ? mark : "");
                }
            }
            out << "<td class=\"n\" data-v=\"" << (res.seconds ? number_attr(*res.seconds) : "") << "\">"
                << (res.seconds ? esc(format_number(*res.seconds)) : "–") << "</td></tr>";
        }
    }
    out << "</tbody></table></div>";
    if (any_mark) out << "<p class=\"note\">" << esc(significance_legend) << "</p>";
}

// A serving series' name in charts: the short model name, with what tells it apart from the
// other series that share it (the endpoint, then the commit, then the other parameters).
std::string series_name(const ReportData& r, const ServingSeries& s) {
    auto clash = [&](auto&& name_of) {
        std::size_t same = 0;
        for (const auto& o : r.serving) same += name_of(o) == name_of(s);
        return same > 1;
    };
    auto base = [](const ServingSeries& x) { return short_name(x.repo_id); };
    auto with_endpoint = [&](const ServingSeries& x) { return base(x) + (x.endpoint.empty() ? "" : " (" + x.endpoint + ")"); };
    auto with_commit = [&](const ServingSeries& x) { return with_endpoint(x) + " " + x.commit_sha.substr(0, 7); };
    if (!clash(base)) return base(s);
    if (!clash(with_endpoint)) return with_endpoint(s);
    if (!clash(with_commit)) return with_commit(s);
    return with_commit(s) + (s.distinct_parameters.empty() ? "" : " " + s.distinct_parameters);
}

// Latency percentiles against load: one chart per figure (TTFT, ITL) and kind of load, a colour
// per served model and a line per percentile (p50 solid, p99 dashed), so two servers read off the
// same axes.
void write_serving_charts(std::ostringstream& out, const ReportData& r) {
    struct Figure {
        const char* name;
        const char* long_name;
        const char* p50;
        const char* p99;
    };
    constexpr Figure figures[] = {{"TTFT", "time to first token", "ttft_ms_p50", "ttft_ms_p99"},
                                  {"ITL", "inter-token latency", "itl_ms_p50", "itl_ms_p99"}};
    std::string charts;
    for (LoadKind kind : {LoadKind::concurrency, LoadKind::request_rate}) {
        for (const auto& f : figures) {
            XYSpec spec;
            const std::string against = kind == LoadKind::concurrency ? "concurrency" : "request rate";
            spec.title = std::string(f.name) + " p50 and p99 vs " + against;
            spec.x_label = load_axis_label(kind);
            spec.y_label = std::string(f.name) + " (ms)";
            spec.y_higher_is_better = false;
            std::string names;
            for (std::size_t i = 0; i < r.serving.size(); ++i) {
                const ServingSeries& s = r.serving[i];
                const std::string name = series_name(r, s);
                for (const char* metric : {f.p50, f.p99}) {
                    const bool p99 = metric == f.p99;
                    XYLine line{name + (p99 ? " p99" : " p50"), name + " " + f.name + (p99 ? " p99 (ms)" : " p50 (ms)"), i, p99, {}};
                    for (const auto& level : s.levels) {
                        const MetricValue* v = level.metric(metric);
                        if (level.load.kind == kind && v != nullptr) line.points.emplace_back(level.load.value, v->value);
                    }
                    if (!line.points.empty()) spec.lines.push_back(std::move(line));
                }
                if (std::any_of(s.levels.begin(), s.levels.end(), [&](const ServingLevel& l) { return l.load.kind == kind; })) {
                    names += (names.empty() ? "" : ", ") + name;
                }
            }
            if (spec.lines.empty()) continue;
            spec.description = std::string(f.name) + " (" + f.long_name + ") in milliseconds at the 50th and 99th percentiles against " +
                               against + ", one colour per served model (" + names + "); p50 solid, p99 dashed.";
            charts += "<figure>" + xy_line_chart(spec) + "</figure>";
        }
    }
    if (!charts.empty()) out << "<div class=\"charts\">" << charts << "</div>";
}

// Served models under load: the charts, then a table per model (and endpoint), a row per level.
void write_serving(std::ostringstream& out, const ReportData& r) {
    if (r.serving.empty()) return;
    out << "<section id=\"serving\"><h2>Serving under load</h2><p class=\"note\">" << esc(serving_note) << "</p>";
    write_serving_charts(out, r);
    const bool show_dataset = serving_datasets_differ(r);
    for (std::size_t i = 0; i < r.serving.size(); ++i) {
        const ServingSeries& s = r.serving[i];
        out << "<h3>" << esc(s.repo_id) << " <span class=\"commit\" title=\"" << esc(s.commit_sha) << "\">" << esc(s.commit_sha.substr(0, 7))
            << "</span>: " << esc(serving_series_text(s, show_dataset)) << "</h3><div class=\"scroll\"><table class=\"sortable serving\" id=\"serving-table-"
            << i + 1 << "\" title=\"" << esc(s.parameters) << "\"><thead><tr>" << th("Load", false);
        for (const auto& c : serving_columns) out << th(c.label, true, c.higher_is_better);
        out << "</tr></thead><tbody>";
        for (const auto& level : s.levels) {
            out << "<tr><td data-v=\"" << number_attr(level.load.value) << "\">" << esc(load_text(level.load)) << "</td>";
            for (const auto& c : serving_columns) {
                const MetricValue* v = level.metric(c.metric);
                if (v == nullptr) {
                    out << "<td class=\"n\" data-v=\"\">–</td>";
                } else {
                    MetricValue shown = *v;
                    shown.info.pseudo = false;
                    out << metric_td(shown, true);
                }
            }
            out << "</tr>";
        }
        out << "</tbody></table></div>";
    }
    out << "</section>";
}

void write_failures(std::ostringstream& out, const ReportData& r) {
    out << "<section id=\"failures\"><h2>Failures</h2>";
    if (r.failed_results.empty() && r.failed_trials.empty()) {
        out << "<p class=\"note\">No result failed and no candidate failed or was skipped.</p></section>";
        return;
    }
    if (!r.failed_results.empty()) {
        out << "<h3>Results that failed</h3><div class=\"scroll\"><table id=\"failed-results\"><thead><tr>" << th("Model", false)
            << th("Task", false) << th("Dataset", false) << th("Status", false) << th("Reason", false) << "</tr></thead><tbody>";
        for (const auto& f : r.failed_results) {
            const char* status = results::to_string(f.status);
            out << "<tr><td>" << model_html(f.repo_id, f.commit_sha) << "</td><td>" << esc(f.task) << "</td><td>" << esc(f.dataset_name)
                << "</td><td><span class=\"status " << status << "\">" << status << "</span></td><td class=\"reason\">" << esc(f.error) << "</td></tr>";
        }
        out << "</tbody></table></div>";
    }
    if (!r.failed_trials.empty()) {
        out << "<h3>Candidates that failed or were skipped</h3><div class=\"scroll\"><table id=\"failed-trials\"><thead><tr>"
            << th("Candidate", false) << th("Stage", false) << th("Outcome", false) << th("Reason", false) << "</tr></thead><tbody>";
        for (const auto& t : r.failed_trials) {
            const char* outcome = results::to_string(t.outcome);
            out << "<tr><td>" << model_html(t.repo_id, t.commit_sha.value_or("")) << "</td><td>" << esc(t.stage) << "</td><td><span class=\"status "
                << outcome << "\">" << outcome << "</span></td><td class=\"reason\" title=\"" << esc(t.details) << "\">" << esc(t.reason) << "</td></tr>";
        }
        out << "</tbody></table></div>";
    }
    out << "</section>";
}

// What models cannot do by design: muted, not alarming.
void write_not_applicable(std::ostringstream& out, const ReportData& r) {
    if (r.not_applicable.empty()) return;
    out << "<section id=\"not-applicable\"><h2>Not applicable</h2><div class=\"scroll\"><table class=\"muted\" id=\"not-applicable-table\"><thead><tr>"
        << th("Model", false) << th("Task", false) << th("Why", false) << "</tr></thead><tbody>";
    for (const auto& f : r.not_applicable) {
        out << "<tr><td>" << model_html(f.repo_id, f.commit_sha) << "</td><td title=\"" << esc(f.parameters) << "\">" << esc(task_and_method(f))
            << "</td><td>" << esc(f.error) << "</td></tr>";
    }
    out << "</tbody></table></div></section>";
}

void write_provenance(std::ostringstream& out, const ReportData& r) {
    const auto& run = r.run;
    out << "<section id=\"provenance\"><h2>Provenance</h2><dl class=\"prov\">";
    auto item = [&](const std::string& key, const std::string& html) { out << "<dt>" << esc(key) << "</dt><dd>" << html << "</dd>"; };
    item(r.night.empty() ? "Run" : "Night", esc(report_name(r)) + ", " + results::to_string(run.status) + ", uuid <code>" + esc(run.uuid) + "</code>");
    item("Started", esc(run.started_at) + (run.finished_at ? ", finished " + esc(*run.finished_at) : ""));
    item("hubbench", esc(run.info.hubbench_version) + ", commit <code>" + esc(run.info.hubbench_commit) + "</code>");
    item("Host", esc(host_text(run.info.host)));
    item("BLAS, threads", esc(run.info.blas.empty() ? "unknown" : run.info.blas) + ", " + std::to_string(run.info.threads) + " threads");
    if (!run.info.command_line.empty()) {
        std::string cmd;
        for (const auto& a : run.info.command_line) cmd += (cmd.empty() ? "" : " ") + a;
        item("Command", "<code>" + esc(cmd) + "</code>");
    }
    if (r.baseline) {
        item("Baseline", esc(baseline_name(r)) + ", started " + esc(r.baseline->started_at) + ", hubbench " +
                             esc(r.baseline->info.hubbench_version) + " <code>" + esc(r.baseline->info.hubbench_commit) + "</code>");
    }
    item("Candidates", std::to_string(r.selected_trials) + " selected, " + std::to_string(r.failed_trials.size()) + " failed or skipped");
    out << "</dl>";
    if (!r.night.empty()) {
        // Per-shard provenance: every run of the night, resumptions included.
        out << "<h3>Shards</h3><div class=\"scroll\"><table id=\"shards\"><thead><tr>" << th("Shard", false) << th("Status", false)
            << th("Started", false) << th("Finished", false) << th("Host", false) << th("hubbench", false) << th("uuid", false)
            << "</tr></thead><tbody>";
        for (const auto& run : r.runs) {
            out << "<tr><td>" << esc(shard_name(run)) << "</td><td>" << results::to_string(run.status) << "</td><td>" << esc(run.started_at)
                << "</td><td>" << esc(run.finished_at.value_or("–")) << "</td><td>" << esc(run.info.host.host_name) << "</td><td>"
                << esc(run.info.hubbench_version) << " <code>" << esc(run.info.hubbench_commit.substr(0, 12)) << "</code></td><td><code>"
                << esc(run.uuid) << "</code></td></tr>";
        }
        out << "</tbody></table></div>";
    }
    if (!r.datasets.empty()) {
        out << "<h3>Datasets</h3><div class=\"scroll\"><table id=\"datasets\"><thead><tr>" << th("Dataset", false) << th("sha256", false)
            << th("Size", true) << "</tr></thead><tbody>";
        for (const auto& d : r.datasets) {
            out << "<tr><td>" << esc(d.name) << "</td><td><code>" << esc(d.sha256) << "</code></td><td class=\"n\">" << esc(format_bytes(d.bytes))
                << "</td></tr>";
        }
        out << "</tbody></table></div>";
    }
    if (!r.models.empty()) {
        out << "<h3>Models</h3><div class=\"scroll\"><table class=\"sortable\" id=\"models\"><thead><tr>" << th("Model", false) << th("Commit", false)
            << th("Architecture", false) << th("Params", true) << th("dtype", false) << th("Licence", false) << th("Size", true)
            << "</tr></thead><tbody>";
        for (const auto& m : r.models) {
            out << "<tr><td><span class=\"model\">" << esc(m.repo_id) << "</span></td><td><code>" << esc(m.commit_sha) << "</code></td><td>"
                << esc(m.architecture.value_or("–")) << "</td><td class=\"n\" data-v=\"" << (m.parameters ? std::to_string(*m.parameters) : "")
                << "\">" << (m.parameters ? esc(format_count(*m.parameters)) : "–") << "</td><td>" << esc(m.dtype.value_or("–")) << "</td><td>"
                << esc(m.licence.value_or("–")) << "</td><td class=\"n\" data-v=\"" << (m.size_bytes ? std::to_string(*m.size_bytes) : "") << "\">"
                << (m.size_bytes ? esc(format_bytes(*m.size_bytes)) : "–") << "</td></tr>";
        }
        out << "</tbody></table></div>";
    }
    out << "</section>";
}

}  // namespace

std::string render_html(const ReportData& r) {
    std::ostringstream out;
    const std::string title = "hubbench report: " + report_name(r);
    out << "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
        << "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; "
           "script-src 'unsafe-inline'; img-src data:\">"
        << "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><meta name=\"generator\" content=\"hubbench "
        << esc(r.generator_version) << "\"><title>" << esc(title) << "</title><style>" << style << "</style></head><body>\n";
    out << "<header><h1>" << esc(title) << "</h1><p class=\"sub\">Started " << esc(r.run.started_at) << " on " << esc(host_text(r.run.info.host))
        << " · hubbench " << esc(r.run.info.hubbench_version) << " <code>" << esc(r.run.info.hubbench_commit.substr(0, 12)) << "</code> · "
        << esc(r.run.info.blas.empty() ? "BLAS unknown" : r.run.info.blas) << ", " << r.run.info.threads << " threads · "
        << (r.baseline ? "compared with " + esc(baseline_name(r)) : "no baseline") << "</p>";
    write_cards(out, r);
    if (auto warning = run_status_warning(r.run); !warning.empty()) out << "<p class=\"warning\">" << esc(warning) << "</p>";
    out << "</header>\n";
    write_kind_picks(out, r);
    write_overview(out, r);
    write_charts(out, r);
    write_history(out, r);
    write_regressions(out, r);
    if (!r.tasks.empty()) {
        out << "<section id=\"tasks\"><h2>Results by task</h2>";
        for (const auto& task : r.tasks) write_task(out, r, task);
        out << "</section>";
    }
    write_serving(out, r);
    write_failures(out, r);
    write_not_applicable(out, r);
    write_provenance(out, r);
    out << "\n<footer>Rendered by hubbench " << esc(r.generator_version) << " (<code>" << esc(r.generator_commit) << "</code>) from "
        << esc(r.database) << ". Self-contained: no external resources.</footer>\n<script>" << script << "</script>\n</body></html>\n";
    return out.str();
}

}  // namespace hubbench::reports
