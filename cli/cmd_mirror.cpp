// hubbench mirror serve: a Hub-compatible HTTP server over folders of repos and/or an HF cache,
// for air-gapped teams and for tests (with fault injection). Runs until Ctrl-C.
#include <chrono>
#include <iostream>
#include <thread>

#include "cli/commands.hpp"
#include "cli/options.hpp"
#include "core/error.hpp"
#include "core/interrupt.hpp"
#include "core/log.hpp"
#include "hub/mirror.hpp"

namespace hubbench::cli {

int run_mirror(const Args& args, std::ostream& out) {
    po::options_description options("Mirror");
    options.add_options()
        ("action", po::value<std::string>()->value_name("serve"), "what to do (serve)")
        ("root", po::value<std::string>()->value_name("DIR"), "serve DIR/<org>/<name>/ as repo ids org/name")
        ("cache", po::value<std::string>()->value_name("DIR"), "also serve the repos of this Hugging Face cache")
        ("host", po::value<std::string>()->default_value("127.0.0.1")->value_name("ADDR"), "address to bind")
        ("port", po::value<int>()->default_value(0)->value_name("N"), "port (0: any free port)")
        ("cdn-host", po::value<std::string>()->value_name("NAME"),
         "host name of large-file redirects (default: localhost <-> 127.0.0.1, as the Hub's CDN is another host)")
        ("token", po::value<std::vector<std::string>>()->composing()->value_name("T"),
         "accepted bearer token (repeatable; default: any)")
        ("fail-rate", po::value<double>()->default_value(0)->value_name("X"), "fault: this share of requests fails (0..1)")
        ("fail-status", po::value<int>()->default_value(503)->value_name("CODE"), "fault: status of --fail-rate failures")
        ("drop-after-bytes", po::value<std::uint64_t>()->default_value(0)->value_name("N"),
         "fault: close the connection after N body bytes of each file response")
        ("rate-limit", po::value<int>()->default_value(0)->value_name("N"), "fault: at most N requests per second (429)")
        ("retry-after", po::value<int>()->default_value(1)->value_name("S"), "Retry-After seconds sent with 429")
        ("corrupt", "fault: serve files with their last byte altered")
        ("throttle", po::value<std::uint64_t>()->default_value(0)->value_name("BYTES_PER_S"),
         "fault: send file bodies at most this fast");
    po::positional_options_description positional;
    positional.add("action", 1);
    auto vm = parse_command("mirror", args, options, &positional);
    if (vm.count("help")) {
        print_command_help(out, "mirror", "serve --root DIR [--cache DIR] [--host 127.0.0.1] [--port N] [faults]",
                           "Serve model repos over the Hugging Face Hub HTTP API. Prints the URL to use as\n"
                           "HF_ENDPOINT, then runs until Ctrl-C.",
                           options);
        return 0;
    }
    if (!vm.count("action") || vm["action"].as<std::string>() != "serve") {
        throw Error(ErrorKind::usage, "mirror: expected 'serve' (see 'hubbench mirror --help')");
    }
    hub::MirrorOptions o;
    if (vm.count("root")) o.root = vm["root"].as<std::string>();
    if (vm.count("cache")) o.cache = vm["cache"].as<std::string>();
    if (o.root.empty() && o.cache.empty()) throw Error(ErrorKind::usage, "mirror serve: give --root DIR and/or --cache DIR");
    o.host = vm["host"].as<std::string>();
    o.port = vm["port"].as<int>();
    if (o.port < 0 || o.port > 65535) throw Error(ErrorKind::usage, "mirror serve: --port must be 0..65535");
    if (vm.count("cdn-host")) o.cdn_host = vm["cdn-host"].as<std::string>();
    if (vm.count("token")) o.tokens = vm["token"].as<std::vector<std::string>>();
    o.fail_rate = vm["fail-rate"].as<double>();
    if (!(o.fail_rate >= 0 && o.fail_rate <= 1)) throw Error(ErrorKind::usage, "mirror serve: --fail-rate must be in [0, 1]");
    o.fail_status = vm["fail-status"].as<int>();
    if (o.fail_status < 400 || o.fail_status > 599) throw Error(ErrorKind::usage, "mirror serve: --fail-status must be 4xx or 5xx");
    o.drop_after_bytes = vm["drop-after-bytes"].as<std::uint64_t>();
    o.rate_limit = vm["rate-limit"].as<int>();
    if (o.rate_limit < 0) throw Error(ErrorKind::usage, "mirror serve: --rate-limit must be >= 0");
    o.retry_after_s = vm["retry-after"].as<int>();
    o.corrupt = vm.count("corrupt") != 0;
    o.throttle_bytes_per_s = vm["throttle"].as<std::uint64_t>();

    hub::MirrorServer server(o);
    server.start();
    out << server.url() << std::endl;  // flushed: scripts and tests wait for this line
    log::info("mirror: serving {}{}{} on {} (Ctrl-C stops)", o.root.string(), o.root.empty() || o.cache.empty() ? "" : " and ",
              o.cache.string(), server.url());
    while (!interrupted()) std::this_thread::sleep_for(std::chrono::milliseconds(50));
    server.stop();
    log::info("mirror: stopped");
    return 0;
}

}  // namespace hubbench::cli
