#include "cli/suite_run_options.hpp"

#include "cli/models_file.hpp"
#include "cli/options.hpp"
#include "core/error.hpp"
#include "core/log.hpp"
#include "harness/shard.hpp"
#include "suites/suite_file.hpp"

namespace hubbench::cli {

harness::SuiteRunRequest suite_run_request(const boost::program_options::variables_map& vm, const std::string& command,
                                           const Args& args) {
    harness::SuiteRunRequest request;
    if (vm.count("models-file")) request.models = read_models_file(vm["models-file"].as<std::string>());
    if (vm.count("model")) {
        for (const auto& m : vm["model"].as<std::vector<std::string>>()) request.models.push_back(m);
    }
    if (request.models.empty()) throw Error(ErrorKind::usage, command + ": name the models (--model M, or --models-file FILE)");
    request.suite = suites::find_suite(vm["suite"].as<std::string>());
    request.database = vm["db"].as<std::string>();
    if (vm.count("label")) request.label = vm["label"].as<std::string>();
    request.force = vm.count("force") > 0;
    request.threads = vm["threads"].as<int>();
    request.dtype = dtype_option(vm, command, request.suite.dtype);
    if (vm.count("api-key-env")) request.api_key_env = vm["api-key-env"].as<std::string>();
    if (request.threads < 0) throw Error(ErrorKind::usage, "--threads must be >= 0");
    if (vm.count("shards") && !vm.count("shard")) throw Error(ErrorKind::usage, "--shards goes with --shard auto");
    if (vm.count("shard")) {
        const auto shards = vm.count("shards") ? std::optional(vm["shards"].as<std::size_t>()) : std::nullopt;
        const auto shard = harness::resolve_shard(vm["shard"].as<std::string>(), shards, harness::process_environment());
        request.shard_index = shard.index;
        request.shard_count = shard.count;
        log::info("{}: shard {} of {} ({})", command, shard.index + 1, shard.count, shard.source);
    }
    request.command_line = {"hubbench", command};
    request.command_line.insert(request.command_line.end(), args.begin(), args.end());
    return request;
}

}  // namespace hubbench::cli
