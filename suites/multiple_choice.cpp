#include "suites/multiple_choice.hpp"

#include <algorithm>

#include "adapters/stopwatch.hpp"
#include "core/error.hpp"
#include "core/interrupt.hpp"
#include "core/progress.hpp"
#include "suites/choice_scoring.hpp"
#include "suites/math.hpp"
#include "suites/template_text.hpp"
#include "suites/text.hpp"

namespace hubbench::suites {
namespace {

using nlohmann::json;

std::string text_field(const json& object, const char* key, const std::string& where) {
    auto it = object.find(key);
    if (it == object.end()) throw Error(ErrorKind::invalid_input, where + ": no field '" + key + "'");
    if (!it->is_string()) throw Error(ErrorKind::invalid_input, where + ": field '" + key + "' must be text, got " + it->dump());
    return it->get<std::string>();
}

ChoiceQuestion read_question(const json& item, const std::string& where) {
    ChoiceQuestion q;
    if (item.contains("question") && item["question"].is_object()) {
        // CommonsenseQA / ARC: the right choice is named by its letter.
        const json& question = item["question"];
        q.context = text_field(question, "stem", where + " question");
        const std::string answer = text_field(item, "answerKey", where);
        auto choices = question.find("choices");
        if (choices == question.end() || !choices->is_array()) {
            throw Error(ErrorKind::invalid_input, where + ": question.choices must be a list of {label, text}");
        }
        bool found = false;
        for (const auto& c : *choices) {
            if (!c.is_object()) throw Error(ErrorKind::invalid_input, where + ": question.choices must be a list of {label, text}");
            if (text_field(c, "label", where + " choice") == answer) {
                q.label = q.choices.size();
                found = true;
            }
            q.choices.push_back(text_field(c, "text", where + " choice"));
        }
        if (!found) throw Error(ErrorKind::invalid_input, where + ": answerKey '" + answer + "' names no choice");
    } else {
        q.context = text_field(item, "context", where);
        auto choices = item.find("choices");
        if (choices == item.end() || !choices->is_array()) throw Error(ErrorKind::invalid_input, where + ": 'choices' must be a list of texts");
        for (const auto& c : *choices) {
            if (!c.is_string()) throw Error(ErrorKind::invalid_input, where + ": 'choices' must be a list of texts, got " + c.dump());
            q.choices.push_back(c.get<std::string>());
        }
        auto label = item.find("label");
        if (label == item.end() || !(label->is_number_unsigned() || (label->is_number_integer() && label->get<long long>() >= 0))) {
            throw Error(ErrorKind::invalid_input, where + ": 'label' must be the index of the right choice (0, 1, ...)");
        }
        q.label = label->get<std::size_t>();
        if (q.label >= q.choices.size()) {
            throw Error(ErrorKind::invalid_input, where + ": label " + std::to_string(q.label) + " is out of range for " +
                                                      std::to_string(q.choices.size()) + " choices");
        }
    }
    if (q.choices.size() < 2) throw Error(ErrorKind::invalid_input, where + ": an item needs at least two choices");
    return q;
}

struct Scored {
    std::vector<double> scores;        // per choice: what the prediction is made from
    std::vector<double> norm_scores;   // decoders: per character of the choice
};

std::vector<SuiteResult> run_multiple_choice(adapters::Adapter& adapter, const TaskInput& in) {
    adapters::Stopwatch wall;
    const Params& p = in.params;
    const auto& info = adapter.info();
    const bool decoder = !adapter.unsupported(adapters::Capability::causal_lm);
    const bool masked = !adapter.unsupported(adapters::Capability::masked_lm);
    if (!decoder && !masked) {
        throw Error(ErrorKind::unsupported, info.id + " has neither a causal nor a masked LM head (" + info.architecture +
                                                "): multiple choice scores choices with one");
    }
    const std::string template_text = p.text("template", "{context}");
    const Template prompt = Template::parse(template_text, {"context"}, "multiple-choice: template");
    const std::size_t batch_size = std::max<std::size_t>(1, p.count("batch_size", decoder ? 8 : 64));
    const adapters::PhaseTimings before = adapter.timings();

    const Dataset dataset = read_user_data([&] { return load_dataset(in.dataset); });
    auto items = read_user_data([&] { return parse_choice_questions(dataset.text, dataset.name); });
    const std::size_t limit = p.count("limit", 0);
    if (limit != 0 && limit < items.size()) items.resize(limit);

    std::vector<Scored> scored(items.size());
    Progress progress("multiple-choice", items.size(), "items");
    if (decoder) {
        // Items go to the adapter batch_size at a time; each item's choices share its context's pass.
        for (std::size_t start = 0; start < items.size(); start += batch_size) {
            throw_if_interrupted();
            const std::size_t stop = std::min(items.size(), start + batch_size);
            std::vector<ChoiceItem> batch;
            for (std::size_t i = start; i < stop; ++i) {
                ChoiceItem c{prompt.fill({{"context", items[i].context}}), {}};
                for (const auto& choice : items[i].choices) c.continuations.push_back(" " + choice);  // target delimiter
                batch.push_back(std::move(c));
            }
            const auto scores = continuation_scores(adapter, batch);
            for (std::size_t i = start; i < stop; ++i) {
                for (std::size_t c = 0; c < items[i].choices.size(); ++c) {
                    const double ll = scores[i - start][c].logprob;
                    scored[i].scores.push_back(ll);
                    // acc_norm: by the choice's length in characters (lm-eval's completion_len).
                    scored[i].norm_scores.push_back(ll / static_cast<double>(std::max<std::size_t>(1, count_code_points(items[i].choices[c]))));
                }
            }
            progress.advance(stop - start);
        }
    } else {
        for (std::size_t i = 0; i < items.size(); ++i) {
            throw_if_interrupted();
            std::vector<std::string> filled;
            const std::string context = prompt.fill({{"context", items[i].context}});
            for (const auto& choice : items[i].choices) filled.push_back(context + " " + choice);
            for (const auto& s : pseudo_log_likelihoods(adapter, filled, batch_size)) scored[i].scores.push_back(s.logprob);
            progress.advance();
        }
    }
    progress.finish();

    adapters::Stopwatch score_watch;
    std::vector<double> correct, correct_norm;
    SuiteResult r;
    r.task = "multiple-choice";
    const std::string accuracy = decoder ? "accuracy" : "accuracy_pseudo";
    for (std::size_t i = 0; i < items.size(); ++i) {
        const std::size_t prediction = first_argmax(scored[i].scores);
        correct.push_back(prediction == items[i].label ? 1.0 : 0.0);
        r.samples.push_back({accuracy, static_cast<std::int64_t>(i), correct.back()});
        if (decoder) {
            correct_norm.push_back(first_argmax(scored[i].norm_scores) == items[i].label ? 1.0 : 0.0);
            r.samples.push_back({"accuracy_norm", static_cast<std::int64_t>(i), correct_norm.back()});
        }
        nlohmann::ordered_json line;
        line["index"] = i;
        line["gold"] = items[i].label;
        line["prediction"] = prediction;
        line["scores"] = scored[i].scores;
        r.predictions.push_back(std::move(line));
    }
    r.add(accuracy, mean(correct), stderr_of_mean(correct));
    if (decoder) r.add("accuracy_norm", mean(correct_norm), stderr_of_mean(correct_norm));
    r.add("n_items", static_cast<double>(items.size()));
    const double seconds = wall.seconds();
    r.add("items_per_second", seconds > 0 ? static_cast<double>(items.size()) / seconds : 0.0);
    r.params = {{"dataset", dataset.name}, {"dataset_sha256", dataset.sha256}, {"template", template_text},
                {"scoring", decoder ? "log-likelihood" : "pseudo-log-likelihood"}, {"limit", limit},
                {"batch_size", batch_size}, {"threads", adapter.threads()}};
    r.n = items.size();
    r.timings = adapter.timings() - before;
    r.timings.score += score_watch.seconds();
    r.seconds = seconds;
    return {r};
}

}  // namespace

std::vector<ChoiceQuestion> parse_choice_questions(std::string_view text, const std::string& source) {
    if (const std::size_t at = invalid_utf8_at(text); at != std::string_view::npos) {
        throw Error(ErrorKind::invalid_input, source + " line " + std::to_string(line_of(text, at)) + ": invalid UTF-8");
    }
    std::vector<ChoiceQuestion> items;
    for_each_line(text, [&](std::string_view line, std::size_t number) {
        if (is_blank(line)) return;
        const std::string where = source + " line " + std::to_string(number);
        json item;
        try {
            item = json::parse(line);
        } catch (const json::parse_error& e) {
            throw Error(ErrorKind::invalid_input, where + ": not JSON (column " + std::to_string(e.byte) + ")");
        }
        if (!item.is_object()) throw Error(ErrorKind::invalid_input, where + ": expected a JSON object");
        ChoiceQuestion q = read_question(item, where);
        q.line = number;
        items.push_back(std::move(q));
    });
    if (items.empty()) throw Error(ErrorKind::invalid_input, source + ": no items (an empty file?)");
    return items;
}

const TaskEntry& multiple_choice_task() {
    static const TaskEntry entry{
        .name = "multiple-choice",
        .label = "Multiple choice",
        .summary = "which choice a model prefers: log-likelihood (decoders) or pseudo-log-likelihood (masked LMs)",
        .default_dataset = {.bundled = "commonsenseqa/dev.jsonl"},
        .params = {{"template", ParamType::text, "the context as the model sees it, with {context} (default: {context})"},
                   {"limit", ParamType::count, "the first N items"},
                   {"batch_size", ParamType::count, "items per adapter call (results do not change)"}},
        .metrics = {metric("accuracy", "accuracy", "", higher),
                    metric("accuracy_norm", "accuracy (length-normalised)", "", higher),
                    metric("accuracy_pseudo", "accuracy (PLL)", "", higher, {.pseudo = true}),
                    count_metric("n_items", "items"),
                    metric("items_per_second", "items/s", "items/s", higher, {.speed = true})},
        .primary_metric = "accuracy",
        .run = run_multiple_choice,
    };
    return entry;
}

}  // namespace hubbench::suites
