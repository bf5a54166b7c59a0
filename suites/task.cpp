#include "suites/task.hpp"

#include <algorithm>
#include <map>
#include <set>

#include "core/error.hpp"
#include "suites/perplexity.hpp"
#include "suites/pppl.hpp"
#include "suites/speed.hpp"
#include "suites/sts.hpp"

namespace hubbench::suites {
namespace {

// Typed access to the parameter map with one-line errors naming the task and the parameter.
class Params {
public:
    Params(std::string task, const nlohmann::json& j, const std::set<std::string>& known)
        : task_(std::move(task)), j_(j) {
        if (!j_.is_object() && !j_.is_null()) {
            throw Error(ErrorKind::usage, task_ + ": parameters must be a map of names to values");
        }
        for (const auto& [key, value] : j_.items()) {
            if (!known.count(key)) {
                std::string list;
                for (const auto& k : known) list += (list.empty() ? "" : ", ") + k;
                throw Error(ErrorKind::usage, task_ + ": unknown parameter '" + key + "' (known: " + list + ")");
            }
        }
    }

    std::size_t size(const std::string& key, std::size_t fallback) const {
        auto it = j_.find(key);
        if (it == j_.end() || it->is_null()) return fallback;
        return to_size(*it, key);
    }

    std::vector<std::size_t> sizes(const std::string& key, std::vector<std::size_t> fallback) const {
        auto it = j_.find(key);
        if (it == j_.end() || it->is_null()) return fallback;
        std::vector<std::size_t> out;
        if (it->is_array()) {
            for (const auto& v : *it) out.push_back(to_size(v, key));
        } else {
            out.push_back(to_size(*it, key));
        }
        return out;
    }

    std::string text(const std::string& key, std::string fallback) const {
        auto it = j_.find(key);
        if (it == j_.end() || it->is_null()) return fallback;
        if (!it->is_string()) throw Error(ErrorKind::usage, task_ + ": " + key + " must be text");
        return it->get<std::string>();
    }

private:
    std::size_t to_size(const nlohmann::json& v, const std::string& key) const {
        if (v.is_number_unsigned()) return v.get<std::size_t>();
        if (v.is_number_integer() && v.get<long long>() >= 0) return static_cast<std::size_t>(v.get<long long>());
        throw Error(ErrorKind::usage, task_ + ": " + key + " must be a whole number >= 0, got " + v.dump());
    }

    std::string task_;
    const nlohmann::json& j_;
};

const std::set<std::string>& known_params(const std::string& task) {
    static const std::map<std::string, std::set<std::string>> known = {
        {"perplexity", {"max_length", "stride", "limit", "batch_size", "convention"}},
        {"pppl", {"max_length", "limit", "batch_size"}},
        {"sts", {"limit", "batch_size", "bootstrap", "seed"}},
        {"speed", {"prefill_lengths", "decode_tokens", "batch_size", "repetitions", "warmup"}},
    };
    auto it = known.find(task);
    if (it == known.end()) {
        std::string list;
        for (const auto& t : task_names()) list += (list.empty() ? "" : ", ") + t;
        throw Error(ErrorKind::usage, "unknown task '" + task + "' (tasks: " + list + ")");
    }
    return it->second;
}

std::size_t fit(std::size_t requested, std::size_t limit) {
    return limit == 0 || requested == 0 ? requested : std::min(requested, limit);
}

}  // namespace

const std::vector<std::string>& task_names() {
    static const std::vector<std::string> names = {"perplexity", "pppl", "sts", "speed"};
    return names;
}

DatasetRef default_dataset(const std::string& task) {
    DatasetRef ref;
    if (task == "perplexity" || task == "pppl") ref.bundled = "wikitext-2-raw/wiki.test.raw";
    if (task == "sts") ref.bundled = "stsbenchmark/sts-test.csv";
    return ref;
}

std::vector<SuiteResult> run_task(adapters::Adapter& adapter, const TaskSpec& spec, const RunOptions& options) {
    const std::size_t model_limit = options.fit_to_model ? adapter.info().max_length : 0;
    auto dataset = [&] { return load_dataset(spec.dataset.empty() ? default_dataset(spec.task) : spec.dataset); };
    if (spec.task == "perplexity") {
        Params p(spec.task, spec.params, known_params(spec.task));
        PerplexityParams pp;
        pp.max_length = fit(p.size("max_length", 0), model_limit);
        pp.strides = p.sizes("stride", {});
        if (options.fit_to_model && pp.max_length != 0) {
            for (auto& s : pp.strides) s = std::min(s, pp.max_length);
        }
        pp.limit = p.size("limit", 0);
        pp.batch_size = p.size("batch_size", pp.batch_size);
        const std::string convention = p.text("convention", "hf");
        if (convention != "hf" && convention != "llama.cpp") {
            throw Error(ErrorKind::usage, "perplexity: convention must be hf or llama.cpp, got '" + convention + "'");
        }
        pp.llama_cpp = convention == "llama.cpp";
        adapter.require(adapters::Capability::causal_lm);  // before reading a large dataset
        return run_perplexity(adapter, dataset(), pp);
    }
    if (spec.task == "pppl") {
        Params p(spec.task, spec.params, known_params(spec.task));
        PpplParams pp;
        pp.max_length = fit(p.size("max_length", 0), model_limit);
        pp.limit = p.size("limit", 0);
        pp.batch_size = p.size("batch_size", pp.batch_size);
        adapter.require(adapters::Capability::masked_lm);
        return {run_pppl(adapter, dataset(), pp)};
    }
    if (spec.task == "sts") {
        Params p(spec.task, spec.params, known_params(spec.task));
        StsParams sp;
        sp.limit = p.size("limit", 0);
        sp.batch_size = p.size("batch_size", sp.batch_size);
        sp.bootstrap = p.size("bootstrap", sp.bootstrap);
        sp.seed = p.size("seed", 0);
        adapter.require(adapters::Capability::embeddings);
        return {run_sts(adapter, dataset(), sp)};
    }
    if (spec.task == "speed") {
        Params p(spec.task, spec.params, known_params(spec.task));
        SpeedParams sp;
        sp.prefill_lengths = p.sizes("prefill_lengths", sp.prefill_lengths);
        sp.decode_tokens = p.size("decode_tokens", sp.decode_tokens);
        sp.batch_size = p.size("batch_size", sp.batch_size);
        sp.repetitions = p.size("repetitions", sp.repetitions);
        sp.warmup = p.size("warmup", sp.warmup);
        // Inputs come from the named dataset when there is one; a plain id cycle otherwise.
        std::string text = spec.dataset.empty() ? std::string() : load_dataset(spec.dataset).text;
        return {run_speed(adapter, text, sp)};
    }
    known_params(spec.task);  // throws: not a task
    throw Error(ErrorKind::internal, "task '" + spec.task + "' has parameters but no runner");
}

void check_task(const TaskSpec& spec) {
    Params p(spec.task, spec.params, known_params(spec.task));
    // Types are checked by reading every parameter the way the runner will.
    for (const auto& key : known_params(spec.task)) {
        if (key == "convention") {
            const auto c = p.text(key, "hf");
            if (c != "hf" && c != "llama.cpp") {
                throw Error(ErrorKind::usage, spec.task + ": convention must be hf or llama.cpp, got '" + c + "'");
            }
        } else {
            p.sizes(key, {});
        }
    }
}

std::vector<SuiteResult> run_task_or_skip(adapters::Adapter& adapter, const TaskSpec& spec, const RunOptions& options) {
    try {
        return run_task(adapter, spec, options);
    } catch (const Error& e) {
        if (e.kind() != ErrorKind::unsupported) throw;
        SuiteResult r;
        r.task = spec.task;
        r.params = spec.params;
        r.skipped = e.what();
        return {r};
    }
}

}  // namespace hubbench::suites
