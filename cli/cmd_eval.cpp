// hubbench eval --model M --task T: one task on one model, printed as a table or as JSON
// ({"model","model_revision","task","params","metrics","n","seconds"}; an array of such objects
// when several strides are asked for at once).
#include <fmt/format.h>

#include <cmath>
#include <sstream>

#include "adapters/open.hpp"
#include "cli/commands.hpp"
#include "cli/options.hpp"
#include "core/error.hpp"
#include "suites/task.hpp"

namespace hubbench::cli {
namespace {

// "128,256" or "128" → [128, 256]; a bad number is a usage error naming the option.
nlohmann::json size_list(const std::string& option, const std::string& text) {
    nlohmann::json list = nlohmann::json::array();
    std::stringstream in(text);
    std::string item;
    while (std::getline(in, item, ',')) {
        std::size_t used = 0;
        unsigned long long v = 0;
        try {
            v = std::stoull(item, &used);
        } catch (const std::exception&) {
            used = 0;
        }
        if (item.empty() || used != item.size() || item[0] == '-') {
            throw Error(ErrorKind::usage, "eval: --" + option + " takes whole numbers separated by commas, got '" + text + "'");
        }
        list.push_back(v);
    }
    if (list.empty()) throw Error(ErrorKind::usage, "eval: --" + option + " needs a value");
    return list;
}

std::string format_value(double v) {
    // Counts print as integers, everything else with six significant digits.
    if (std::abs(v) < 1e15 && v == std::floor(v)) return fmt::format("{}", static_cast<long long>(v));
    return fmt::format("{:.6g}", v);
}

void print_table(std::ostream& out, const suites::SuiteResult& r, const adapters::ModelInfo& model) {
    out << "model     " << model.id;
    if (!model.revision.empty()) out << " @ " << model.revision.substr(0, 12);
    out << " (" << model.model_type << ", " << adapters::model_kind_name(model.kind) << ")\n";
    out << "task      " << r.task << "\n";
    std::string params;
    for (const auto& [key, value] : r.params.items()) {
        if (key == "dataset_sha256") continue;
        params += (params.empty() ? "" : ", ") + key + "=" + (value.is_string() ? value.get<std::string>() : value.dump());
    }
    out << "params    " << params << "\n";
    if (r.skipped) {
        out << "skipped   " << *r.skipped << "\n";
        return;
    }
    std::size_t width = 6;
    for (const auto& m : r.metrics) width = std::max(width, m.name.size());
    out << "\n";
    for (const auto& m : r.metrics) {
        out << fmt::format("  {:<{}}  {:>14}", m.name, width, format_value(m.value));
        if (m.std_error) out << fmt::format("  ± {}", format_value(*m.std_error));
        out << "\n";
    }
    out << fmt::format("\nn {}  ·  {:.2f} s (tokenize {:.2f} s, forward {:.2f} s, score {:.2f} s)\n", r.n, r.seconds,
                       r.timings.tokenize, r.timings.forward, r.timings.score);
}

}  // namespace

int run_eval(const Args& args, std::ostream& out) {
    po::options_description options("Eval");
    options.add_options()
        ("model,m", po::value<std::string>()->value_name("DIR|REPO"), "model folder or Hub repo id (org/name[@revision])")
        ("task,t", po::value<std::string>()->value_name("TASK"), "perplexity | pppl | sts | speed")
        ("dataset", po::value<std::string>()->value_name("FILE"),
         "text (perplexity, pppl) or STS-B file (sts); default: the bundled WikiText-2 / STS-B test sets")
        ("max-length", po::value<std::size_t>()->value_name("L"), "tokens per window / line (default: the model's limit)")
        ("stride", po::value<std::string>()->value_name("S[,S...]"), "perplexity window stride(s) (default: L/2)")
        ("limit", po::value<std::size_t>()->value_name("N"),
         "perplexity: first N tokens; pppl: first N lines; sts: first N pairs")
        ("batch-size", po::value<std::size_t>()->value_name("B"), "sequences per forward pass (results do not change)")
        ("threads", po::value<int>()->default_value(0)->value_name("T"), "compute threads (0 = all cores)")
        ("convention", po::value<std::string>()->value_name("hf|llama.cpp"),
         "perplexity: llama.cpp also reports llama-perplexity's figure (n_ctx = L chunks, second half)")
        ("bootstrap", po::value<std::size_t>()->value_name("N"), "sts: bootstrap resamples for standard errors")
        ("prefill-lengths", po::value<std::string>()->value_name("L[,L...]"), "speed: prompt lengths")
        ("decode-tokens", po::value<std::size_t>()->value_name("N"), "speed: new tokens per decode run")
        ("repetitions", po::value<std::size_t>()->value_name("N"), "speed: timed runs")
        ("warmup", po::value<std::size_t>()->value_name("N"), "speed: untimed runs first")
        ("format", po::value<std::string>()->default_value("table")->value_name("table|json"), "output format");
    auto vm = parse_command("eval", args, options);
    if (vm.count("help")) {
        print_command_help(out, "eval", "--model DIR|REPO --task perplexity|pppl|sts|speed [options]",
                           "Run one task on one model and print its metrics. perplexity needs a decoder, pppl a\n"
                           "masked LM; sts and speed run on both. A model that cannot run the task is an error.",
                           options);
        return 0;
    }
    if (!vm.count("model")) throw Error(ErrorKind::usage, "eval: missing --model (see 'hubbench eval --help')");
    if (!vm.count("task")) throw Error(ErrorKind::usage, "eval: missing --task (perplexity, pppl, sts or speed)");
    const std::string format = table_or_json(vm, "eval");

    suites::TaskSpec spec;
    spec.task = vm["task"].as<std::string>();
    if (vm.count("dataset")) spec.dataset.path = vm["dataset"].as<std::string>();
    auto& p = spec.params;
    if (vm.count("max-length")) p["max_length"] = vm["max-length"].as<std::size_t>();
    if (vm.count("stride")) p["stride"] = size_list("stride", vm["stride"].as<std::string>());
    if (vm.count("limit")) p["limit"] = vm["limit"].as<std::size_t>();
    if (vm.count("batch-size")) p["batch_size"] = vm["batch-size"].as<std::size_t>();
    if (vm.count("convention")) p["convention"] = vm["convention"].as<std::string>();
    if (vm.count("bootstrap")) p["bootstrap"] = vm["bootstrap"].as<std::size_t>();
    if (vm.count("prefill-lengths")) p["prefill_lengths"] = size_list("prefill-lengths", vm["prefill-lengths"].as<std::string>());
    if (vm.count("decode-tokens")) p["decode_tokens"] = vm["decode-tokens"].as<std::size_t>();
    if (vm.count("repetitions")) p["repetitions"] = vm["repetitions"].as<std::size_t>();
    if (vm.count("warmup")) p["warmup"] = vm["warmup"].as<std::size_t>();
    try {
        suites::check_task(spec);  // a wrong option fails before the model loads
    } catch (const Error& e) {
        throw Error(ErrorKind::usage, std::string("eval: ") + e.what());
    }

    adapters::OpenOptions open;
    open.threads = vm["threads"].as<int>();
    auto adapter = adapters::open_model(vm["model"].as<std::string>(), open);
    const auto results = suites::run_task(*adapter, spec);

    if (format == "json") {
        nlohmann::json j = nlohmann::json::array();
        for (const auto& r : results) j.push_back(suites::to_json(r, adapter->info()));
        out << (j.size() == 1 ? j[0] : j).dump(2) << "\n";
    } else {
        for (std::size_t i = 0; i < results.size(); ++i) {
            if (i) out << "\n";
            print_table(out, results[i], adapter->info());
        }
    }
    return 0;
}

}  // namespace hubbench::cli
