// hubbench serve --model M [--host --port --max-concurrency N]: the model behind the
// OpenAI-compatible API (serve/server.hpp). Prints the API's base URL, then runs until Ctrl-C.
#include <chrono>
#include <iostream>
#include <thread>

#include "adapters/open.hpp"
#include "cli/commands.hpp"
#include "cli/options.hpp"
#include "core/error.hpp"
#include "core/interrupt.hpp"
#include "core/log.hpp"
#include "serve/server.hpp"

namespace hubbench::cli {

int run_serve(const Args& args, std::ostream& out) {
    po::options_description options("Serve");
    options.add_options()
        ("model,m", po::value<std::string>()->value_name("DIR|REPO"), "model folder or Hub repo id (org/name[@revision])")
        ("host", po::value<std::string>()->default_value("127.0.0.1")->value_name("ADDR"), "address to bind")
        ("port", po::value<int>()->default_value(8000)->value_name("N"), "port (0: any free port)")
        ("served-model-name", po::value<std::string>()->value_name("NAME"), "the model's name in the API (default: its id)")
        ("max-concurrency", po::value<std::size_t>()->default_value(4)->value_name("N"),
         "requests generating at once; more wait in a queue, in arrival order")
        ("threads", po::value<int>()->default_value(0)->value_name("T"), "compute threads (0 = all cores)")
        ("dtype", po::value<std::string>()->value_name("D"), dtype_help);
    auto vm = parse_command("serve", args, options);
    if (vm.count("help")) {
        print_command_help(out, "serve", "--model DIR|REPO [--host 127.0.0.1] [--port 8000] [--max-concurrency 4]",
                           "Serve a model with hubbench's engine over the OpenAI-compatible API: /v1/completions\n"
                           "(echo, logprobs, stream), /v1/chat/completions (the model's chat template),\n"
                           "/v1/embeddings, /v1/models and /health. Greedy decoding. Prints the base URL\n"
                           "(http://HOST:PORT/v1), then runs until Ctrl-C.",
                           options);
        return 0;
    }
    if (!vm.count("model")) throw Error(ErrorKind::usage, "serve: missing --model (see 'hubbench serve --help')");
    const int port = vm["port"].as<int>();
    if (port < 0 || port > 65535) throw Error(ErrorKind::usage, "serve: --port must be 0..65535");
    if (vm["max-concurrency"].as<std::size_t>() == 0) throw Error(ErrorKind::usage, "serve: --max-concurrency must be at least 1");

    adapters::OpenOptions open;
    open.threads = vm["threads"].as<int>();
    open.dtype = dtype_option(vm, "serve");
    auto model = adapters::open_model(vm["model"].as<std::string>(), open);
    serve::ServeOptions o;
    if (vm.count("served-model-name")) o.served_name = vm["served-model-name"].as<std::string>();
    o.host = vm["host"].as<std::string>();
    o.port = port;
    o.max_concurrency = vm["max-concurrency"].as<std::size_t>();
    serve::OpenAiServer server(*model, model->info().dir, o);
    server.start();
    out << server.url() << "/v1" << std::endl;  // flushed: scripts and tests wait for this line
    log::info("serve: {} as '{}' on {}/v1, {} at once (Ctrl-C stops)", model->info().id, server.served_name(), server.url(),
              o.max_concurrency);
    while (!interrupted()) std::this_thread::sleep_for(std::chrono::milliseconds(50));
    server.stop();
    log::info("serve: stopped");
    return 0;
}

}  // namespace hubbench::cli
