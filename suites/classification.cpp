#include "suites/classification.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <random>
#include <set>

#include "adapters/stopwatch.hpp"
#include "core/error.hpp"
#include "core/interrupt.hpp"
#include "core/progress.hpp"
#include "suites/choice_scoring.hpp"
#include "suites/classification_metrics.hpp"
#include "suites/folds.hpp"
#include "suites/knn.hpp"
#include "suites/linear_probe.hpp"
#include "suites/math.hpp"
#include "suites/tabular.hpp"
#include "suites/task.hpp"
#include "suites/template_text.hpp"

namespace hubbench::suites {
namespace {

constexpr const char* task_name = "classification";
constexpr const char* fewshot_delimiter = "\n\n";  // lm-evaluation-harness's default

// The data with its classes: labels sorted as text, each item's class index.
struct Labelled {
    Dataset dataset;
    std::vector<LabelledItem> items;
    std::vector<std::string> classes;
    std::vector<std::size_t> y;
    bool pairs = false;
};

// The first of `candidates` the table has, for a column the user did not name.
std::string pick_column(const std::vector<std::string>& columns, const std::string& given,
                        std::initializer_list<const char*> candidates, const std::string& option, const std::string& source) {
    if (!given.empty()) return given;
    for (const char* c : candidates)
        if (std::find(columns.begin(), columns.end(), c) != columns.end()) return c;
    std::string list;
    for (const auto& c : columns) list += (list.empty() ? "" : ", ") + c;
    throw Error(ErrorKind::usage, task_name + std::string(": ") + source + " has no column named " + *candidates.begin() +
                                      "; name one with --" + option + " (columns: " + list + ")");
}

Labelled read_data(const TaskInput& in) {
    const Params& p = in.params;
    Labelled data;
    data.dataset = load_dataset(in.dataset);
    const auto format = table_format_for(data.dataset.path);
    if (!format) {
        throw Error(ErrorKind::usage, task_name + std::string(": ") + data.dataset.path.string() +
                                          ": use a .csv, .tsv or .jsonl file (the extension says which)");
    }
    const auto columns = table_columns(data.dataset.text, *format, data.dataset.name);
    Columns c;
    c.text = pick_column(columns, p.text("text_column", ""), {"text", "sentence", "sentence1"}, "text-column", data.dataset.name);
    c.text_pair = p.text("text_pair_column", "");
    c.label = pick_column(columns, p.text("label_column", ""), {"label", "gold_label"}, "label-column", data.dataset.name);
    data.items = read_labelled(data.dataset.text, *format, c, data.dataset.name);
    const std::size_t limit = p.count("limit", 0);
    if (limit != 0 && limit < data.items.size()) data.items.resize(limit);
    data.pairs = !c.text_pair.empty();
    std::set<std::string> labels;
    for (const auto& item : data.items) labels.insert(item.label);
    data.classes.assign(labels.begin(), labels.end());
    if (data.classes.size() < 2) {
        throw Error(ErrorKind::invalid_input, data.dataset.name + ": every item has the label '" + data.classes.front() +
                                                  "'; classification needs at least two labels");
    }
    for (const auto& item : data.items) {
        data.y.push_back(static_cast<std::size_t>(std::lower_bound(data.classes.begin(), data.classes.end(), item.label) -
                                                  data.classes.begin()));
    }
    return data;
}

// The verbalizer of each class, in class order; every key must be a label of the data and every
// label needs one.
std::vector<std::string> class_verbalizers(const Params& p, const Labelled& data) {
    std::map<std::string, std::string> given;
    for (auto& [label, text] : p.map("verbalizers")) given[label] = text;
    std::string labels;
    for (const auto& c : data.classes) labels += (labels.empty() ? "" : ", ") + c;
    for (const auto& [label, text] : given) {
        if (!std::binary_search(data.classes.begin(), data.classes.end(), label)) {
            throw Error(ErrorKind::usage, task_name + std::string(": a verbalizer for label '") + label + "', which " +
                                              data.dataset.name + " does not have (labels: " + labels + ")");
        }
        if (text.empty()) throw Error(ErrorKind::usage, task_name + std::string(": the verbalizer of label '") + label + "' is empty");
    }
    std::vector<std::string> out;
    for (const auto& c : data.classes) {
        auto it = given.find(c);
        if (it == given.end()) {
            throw Error(ErrorKind::usage, task_name + std::string(": no verbalizer for label '") + c + "' (labels: " + labels + ")");
        }
        out.push_back(it->second);
    }
    return out;
}

std::map<std::string, std::string> slots(const LabelledItem& item) {
    return {{"text", item.text}, {"text_pair", item.text_pair.value_or("")}};
}

// What one method predicted: a class per item and the scores behind it (per class).
struct Outcome {
    std::vector<std::size_t> predictions;
    std::vector<std::vector<double>> scores;
    std::vector<std::size_t> norm_predictions;  // likelihood: by log-likelihood per character
    double seconds = 0.0;                       // this method's own time
};

std::vector<std::vector<float>> embeddings(adapters::Adapter& adapter, const Labelled& data, std::size_t batch_size) {
    // Each distinct text once, so identical sentences get identical vectors whatever their batch.
    std::vector<std::string> texts;
    std::map<std::string, std::size_t> index;
    auto intern = [&](const std::string& t) {
        auto [it, fresh] = index.emplace(t, texts.size());
        if (fresh) texts.push_back(t);
        return it->second;
    };
    std::vector<std::pair<std::size_t, std::size_t>> ids;
    for (const auto& item : data.items) ids.emplace_back(intern(item.text), data.pairs ? intern(*item.text_pair) : 0);
    std::vector<std::vector<float>> vectors;
    Progress progress("classification", texts.size(), "texts embedded");
    for (std::size_t start = 0; start < texts.size(); start += batch_size) {
        throw_if_interrupted();
        const std::size_t count = std::min(batch_size, texts.size() - start);
        for (auto& v : adapter.embed(std::span<const std::string>(texts.data() + start, count))) vectors.push_back(std::move(v));
        progress.advance(count);
    }
    progress.finish();
    std::vector<std::vector<float>> features;
    for (const auto& [a, b] : ids) features.push_back(data.pairs ? pair_features(vectors[a], vectors[b]) : vectors[a]);
    return features;
}

Outcome run_probe(const Labelled& data, const std::vector<std::vector<float>>& x, const std::vector<std::size_t>& fold,
                  std::size_t folds) {
    adapters::Stopwatch watch;
    Outcome out;
    out.predictions.resize(data.items.size());
    out.scores.resize(data.items.size());
    for (std::size_t f = 0; f < folds; ++f) {
        throw_if_interrupted();
        std::vector<std::vector<float>> train;
        std::vector<std::size_t> train_y;
        for (std::size_t i = 0; i < x.size(); ++i) {
            if (fold[i] == f) continue;
            train.push_back(x[i]);
            train_y.push_back(data.y[i]);
        }
        const LinearProbe probe = LinearProbe::fit(train, train_y, data.classes.size(), {});
        for (std::size_t i = 0; i < x.size(); ++i) {
            if (fold[i] != f) continue;
            out.scores[i] = probe.decision(x[i]);
            out.predictions[i] = probe.predict(x[i]);
        }
    }
    out.seconds = watch.seconds();
    return out;
}

Outcome run_knn(const Labelled& data, const std::vector<std::vector<float>>& x, const std::vector<std::size_t>& fold,
                std::size_t folds, std::size_t k) {
    adapters::Stopwatch watch;
    Outcome out;
    out.predictions.resize(data.items.size());
    out.scores.resize(data.items.size());
    // Pair features are not unit vectors: cosine needs them normalised.
    std::vector<std::vector<float>> unit = x;
    for (auto& v : unit) {
        double norm = 0.0;
        for (float f : v) norm += static_cast<double>(f) * f;
        if (norm > 0.0)
            for (float& f : v) f = static_cast<float>(f / std::sqrt(norm));
    }
    for (std::size_t f = 0; f < folds; ++f) {
        throw_if_interrupted();
        std::vector<std::vector<float>> train, queries;
        std::vector<std::size_t> train_y, query_items;
        for (std::size_t i = 0; i < unit.size(); ++i) {
            if (fold[i] == f) {
                queries.push_back(unit[i]);
                query_items.push_back(i);
            } else {
                train.push_back(unit[i]);
                train_y.push_back(data.y[i]);
            }
        }
        const auto predicted = knn_predict(train, train_y, data.classes.size(), queries, k);
        for (std::size_t q = 0; q < query_items.size(); ++q) {
            out.predictions[query_items[q]] = predicted[q].label;
            out.scores[query_items[q]] = predicted[q].scores;
        }
    }
    out.seconds = watch.seconds();
    return out;
}

// K examples for the items of fold f, drawn from the other folds: classes in turn (stratified),
// each class's items in an order shuffled by mt19937_64(seed + f) (Fisher–Yates on raw output).
std::vector<std::size_t> draw_shots(const Labelled& data, const std::vector<std::size_t>& fold, std::size_t f,
                                    std::size_t shots, std::uint64_t seed) {
    std::vector<std::vector<std::size_t>> by_class(data.classes.size());
    for (std::size_t i = 0; i < data.items.size(); ++i)
        if (fold[i] != f) by_class[data.y[i]].push_back(i);
    std::mt19937_64 gen(seed + f);
    for (auto& members : by_class) {
        for (std::size_t i = members.size(); i > 1; --i) std::swap(members[i - 1], members[gen() % i]);
    }
    std::vector<std::size_t> drawn;
    for (std::size_t round = 0; drawn.size() < shots; ++round) {
        bool any = false;
        for (const auto& members : by_class) {
            if (round < members.size() && drawn.size() < shots) {
                drawn.push_back(members[round]);
                any = true;
            }
        }
        if (!any) break;
    }
    return drawn;
}

Outcome run_likelihood(adapters::Adapter& adapter, const Labelled& data, const Template& prompt,
                       const std::vector<std::string>& verbalizers, const std::vector<std::size_t>& fold, std::size_t shots,
                       std::uint64_t seed, std::size_t batch_size) {
    adapters::Stopwatch watch;
    // A template with {mask} reads as a cloze: the context is the text before it.
    auto context_of = [&](const LabelledItem& item) {
        return prompt.has("mask") ? prompt.fill_around("mask", slots(item)).first : prompt.fill(slots(item));
    };
    auto example_of = [&](std::size_t i) {
        if (!prompt.has("mask")) return prompt.fill(slots(data.items[i])) + verbalizers[data.y[i]];
        auto [before, after] = prompt.fill_around("mask", slots(data.items[i]));
        return before + verbalizers[data.y[i]] + after;
    };
    std::map<std::size_t, std::string> prefix;  // fold -> its shots, delimited
    if (shots > 0) {
        std::set<std::size_t> used(fold.begin(), fold.end());
        for (std::size_t f : used) {
            std::string text;
            for (std::size_t i : draw_shots(data, fold, f, shots, seed)) text += example_of(i) + fewshot_delimiter;
            prefix[f] = text;
        }
    }
    Outcome out;
    Progress progress("classification", data.items.size(), "items");
    for (std::size_t start = 0; start < data.items.size(); start += batch_size) {
        throw_if_interrupted();
        const std::size_t stop = std::min(data.items.size(), start + batch_size);
        std::vector<ChoiceItem> batch;
        for (std::size_t i = start; i < stop; ++i) {
            batch.push_back({(shots > 0 ? prefix[fold[i]] : std::string()) + context_of(data.items[i]), verbalizers});
        }
        const auto scores = continuation_scores(adapter, batch);
        for (std::size_t i = start; i < stop; ++i) {
            std::vector<double> sums, per_char;
            for (std::size_t c = 0; c < verbalizers.size(); ++c) {
                sums.push_back(scores[i - start][c].logprob);
                per_char.push_back(sums.back() / static_cast<double>(std::max<std::size_t>(1, count_code_points(verbalizers[c]))));
            }
            out.predictions.push_back(first_argmax(sums));
            out.norm_predictions.push_back(first_argmax(per_char));
            out.scores.push_back(std::move(sums));
        }
        progress.advance(stop - start);
    }
    progress.finish();
    out.seconds = watch.seconds();
    return out;
}

// The text cut to its first `tokens` tokens (counted without special tokens), at a token boundary.
std::string first_tokens(const adapters::Adapter& adapter, const std::string& text, std::size_t tokens) {
    const auto enc = adapter.encode(text, false);
    if (enc.ids.size() <= tokens) return text;
    return tokens == 0 ? std::string() : text.substr(0, enc.offsets[tokens - 1].second);
}

Outcome run_cloze(adapters::Adapter& adapter, const Labelled& data, const Template& prompt,
                  const std::vector<std::string>& verbalizers) {
    adapters::Stopwatch watch;
    // A masked LM reads at most its positions: long texts (and pairs, the longer first) are cut to
    // what is left after the template, the special tokens and the longest verbalizer's masks, with
    // two tokens to spare for merges at the seams.
    const std::size_t limit = adapter.info().max_length;
    std::size_t masks = 1;
    for (const auto& v : verbalizers) masks = std::max(masks, adapter.encode(v, false).ids.size());
    const auto [empty_before, empty_after] = prompt.fill_around("mask", {});
    std::string mask_run;
    for (std::size_t j = 0; j < masks; ++j) mask_run += adapter.token_text(*adapter.special_ids().mask);
    const std::size_t overhead = adapter.encode(empty_before + mask_run + empty_after, true).ids.size() + 2;
    const std::size_t budget = limit > overhead ? limit - overhead : 1;

    Outcome out;
    Progress progress("classification", data.items.size(), "items");
    for (const auto& item : data.items) {
        throw_if_interrupted();
        auto values = slots(item);
        if (limit != 0) {
            std::size_t t = adapter.encode(values["text"], false).ids.size();
            std::size_t p = data.pairs ? adapter.encode(values["text_pair"], false).ids.size() : 0;
            if (t + p > budget) {
                const std::size_t half = budget / 2;
                if (!data.pairs) t = budget;
                else if (t > half && p > half) t = half, p = budget - half;
                else if (t > p) t = budget - p;
                else p = budget - t;
                values["text"] = first_tokens(adapter, values["text"], t);
                if (data.pairs) values["text_pair"] = first_tokens(adapter, values["text_pair"], p);
            }
        }
        auto [before, after] = prompt.fill_around("mask", values);
        std::vector<double> scores;
        for (const auto& s : cloze_scores(adapter, before, after, verbalizers)) scores.push_back(s.logprob);
        out.predictions.push_back(first_argmax(scores));
        out.scores.push_back(std::move(scores));
        progress.advance();
    }
    progress.finish();
    out.seconds = watch.seconds();
    return out;
}

SuiteResult result_of(const std::string& method, const Labelled& data, const Outcome& o, const nlohmann::json& params,
                      std::size_t bootstrap, std::uint64_t seed, double shared_seconds) {
    SuiteResult r;
    r.task = task_name;
    r.params = params;
    r.params["method"] = method;
    const std::size_t n = data.items.size(), k = data.classes.size();
    auto accuracy_of = [&](const std::vector<std::size_t>& pred, std::span<const std::size_t> idx) {
        std::vector<std::size_t> g, p;
        for (std::size_t i : idx) {
            g.push_back(data.y[i]);
            p.push_back(pred[i]);
        }
        return std::pair{accuracy(g, p), macro_f1(g, p, k)};
    };
    std::vector<std::size_t> all(n);
    for (std::size_t i = 0; i < n; ++i) all[i] = i;
    auto figures = [&](const std::vector<std::size_t>& pred, const char* acc_name, const char* f1_name) {
        const auto [acc, f1] = accuracy_of(pred, all);
        const auto se_acc = bootstrap_stderr(n, bootstrap, seed, [&](std::span<const std::size_t> idx) { return accuracy_of(pred, idx).first; });
        r.add(acc_name, acc, bootstrap >= 2 ? std::optional(se_acc) : std::nullopt);
        if (f1_name) {
            const auto se_f1 = bootstrap_stderr(n, bootstrap, seed, [&](std::span<const std::size_t> idx) { return accuracy_of(pred, idx).second; });
            r.add(f1_name, f1, bootstrap >= 2 ? std::optional(se_f1) : std::nullopt);
        }
        for (std::size_t i = 0; i < n; ++i) r.samples.push_back({acc_name, static_cast<std::int64_t>(i), pred[i] == data.y[i] ? 1.0 : 0.0});
    };
    figures(o.predictions, "accuracy", "macro_f1");
    if (!o.norm_predictions.empty()) figures(o.norm_predictions, "accuracy_norm", nullptr);
    r.add("n_items", static_cast<double>(n));
    r.add("n_classes", static_cast<double>(k));
    const double seconds = shared_seconds + o.seconds;
    r.add("items_per_second", seconds > 0 ? static_cast<double>(n) / seconds : 0.0);
    for (std::size_t i = 0; i < n; ++i) {
        nlohmann::ordered_json line;
        line["index"] = i;
        line["gold"] = data.classes[data.y[i]];
        line["prediction"] = data.classes[o.predictions[i]];
        nlohmann::ordered_json scores = nlohmann::ordered_json::object();
        for (std::size_t c = 0; c < k && c < o.scores[i].size(); ++c) scores[data.classes[c]] = o.scores[i][c];
        line["scores"] = std::move(scores);
        line["method"] = method;
        r.predictions.push_back(std::move(line));
    }
    r.n = n;
    return r;
}

std::vector<SuiteResult> run_classification(adapters::Adapter& adapter, const TaskInput& in) {
    adapters::Stopwatch wall;
    const Params& p = in.params;
    const auto methods = p.texts("method", {"probe"});
    const std::size_t folds = p.count("folds", 5), k = p.count("k", 10), shots = p.count("shots", 0);
    const std::uint64_t seed = p.count("seed", 0);
    const std::size_t bootstrap = p.count("bootstrap", 1000);
    const std::size_t batch_size = std::max<std::size_t>(1, p.count("batch_size", 32));
    const std::string template_text = p.text("template", "");
    const bool needs_prompt = std::any_of(methods.begin(), methods.end(), [](const std::string& m) { return m == "likelihood" || m == "cloze"; });
    Template prompt = Template::parse(template_text, {"text", "text_pair", "mask"}, "classification: template");
    if (needs_prompt) {
        if (template_text.empty() || !p.has("verbalizers")) {
            throw Error(ErrorKind::usage, "classification: methods likelihood and cloze need --template (with {text}) and --verbalizers");
        }
        prompt.require("text");
    }
    const adapters::PhaseTimings before = adapter.timings();

    const Labelled data = read_user_data([&] { return read_data(in); });
    std::vector<std::string> labels;
    for (const auto& item : data.items) labels.push_back(item.label);
    const auto fold = read_user_data([&] { return stratified_folds(labels, folds, seed); });
    const auto verbalizers = needs_prompt ? class_verbalizers(p, data) : std::vector<std::string>{};
    if (data.pairs && needs_prompt) prompt.require("text_pair");

    nlohmann::json params = {{"dataset", data.dataset.name}, {"dataset_sha256", data.dataset.sha256}, {"folds", folds},
                             {"seed", seed}, {"bootstrap", bootstrap}, {"limit", p.count("limit", 0)},
                             {"threads", adapter.threads()}};
    std::optional<std::vector<std::vector<float>>> features;  // shared by probe and knn
    double embed_seconds = 0.0;
    std::vector<SuiteResult> results;
    for (const auto& method : methods) {
        nlohmann::json row = params;
        row["method"] = method;
        std::optional<Outcome> outcome;
        double shared = 0.0;
        if (method == "probe" || method == "knn") {
            if (auto why = adapter.unsupported(adapters::Capability::embeddings)) {
                results.push_back(skipped_result(task_name, row, *why));
                continue;
            }
            if (!features) {
                adapters::Stopwatch watch;
                features = embeddings(adapter, data, batch_size);
                embed_seconds = watch.seconds();
            }
            shared = embed_seconds;
            if (method == "probe") {
                outcome = run_probe(data, *features, fold, folds);
            } else {
                row["k"] = k;
                outcome = run_knn(data, *features, fold, folds, k);
            }
        } else if (method == "likelihood") {
            if (adapter.unsupported(adapters::Capability::causal_lm)) {
                results.push_back(skipped_result(task_name, row,
                                                 adapter.info().id + " is not a decoder with a causal LM head: the likelihood method "
                                                                     "needs one (try probe, or cloze for a masked LM)"));
                continue;
            }
            row["template"] = template_text;
            row["shots"] = shots;
            outcome = run_likelihood(adapter, data, prompt, verbalizers, fold, shots, seed, batch_size);
        } else {  // cloze (the parameter's choices are checked)
            prompt.require("mask");
            if (adapter.unsupported(adapters::Capability::masked_lm)) {
                results.push_back(skipped_result(task_name, row,
                                                 adapter.info().id + " is not a masked LM: the cloze method needs one "
                                                                     "(try probe, or likelihood for a decoder)"));
                continue;
            }
            row["template"] = template_text;
            outcome = run_cloze(adapter, data, prompt, verbalizers);
        }
        results.push_back(result_of(method, data, *outcome, row, bootstrap, seed, shared));
    }
    const adapters::PhaseTimings timings = adapter.timings() - before;
    for (auto& r : results) {
        r.timings = timings;
        r.seconds = wall.seconds();
    }
    return results;
}

}  // namespace

const TaskEntry& classification_task() {
    static const TaskEntry entry{
        .name = task_name,
        .label = "Classification",
        .summary = "accuracy and macro-F1 on labelled data: probe or knn on embeddings, likelihood (decoders), cloze (masked LMs)",
        .default_dataset = {.bundled = "sst2/dev.tsv"},
        .params = {{"method", ParamType::texts, "how to classify; several share one pass", {"probe", "knn", "likelihood", "cloze"}},
                   {"text_column", ParamType::text, "the column with the text (default: text, sentence or sentence1)"},
                   {"text_pair_column", ParamType::text, "the column with the second text of a pair (NLI, paraphrase)"},
                   {"label_column", ParamType::text, "the column with the label (default: label or gold_label)"},
                   {"template", ParamType::text, "prompt with {text} ({text_pair}); cloze needs {mask}, likelihood scores "
                                                 "the verbalizer where {mask} is or at the end"},
                   {"verbalizers", ParamType::map, "label -> its words, e.g. '{\"0\":\" negative\",\"1\":\" positive\"}'"},
                   {"folds", ParamType::count, "stratified cross-validation folds (default 5)"},
                   {"seed", ParamType::count, "seed of the folds, the shots and the bootstrap (default 0)"},
                   {"k", ParamType::count, "neighbours of the knn method (default 10)"},
                   {"shots", ParamType::count, "likelihood: examples from the other folds in front of each prompt"},
                   {"limit", ParamType::count, "the first N items"},
                   {"batch_size", ParamType::count, "texts or items per adapter call (results do not change)"},
                   {"bootstrap", ParamType::count, "bootstrap resamples for standard errors (default 1000)"}},
        .metrics = {metric("accuracy", "accuracy", "", higher),
                    metric("macro_f1", "macro-F1", "", higher),
                    metric("accuracy_norm", "accuracy (length-normalised)", "", higher),
                    count_metric("n_items", "items"),
                    count_metric("n_classes", "classes"),
                    metric("items_per_second", "items/s", "items/s", higher, {.speed = true})},
        .primary_metric = "accuracy",
        .row_param = "method",
        .run = run_classification,
    };
    return entry;
}

}  // namespace hubbench::suites
