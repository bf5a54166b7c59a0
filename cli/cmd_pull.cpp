// hubbench pull REPO[@REVISION]: download a repo into the Hugging Face cache and print the
// snapshot directory (the path transformers' from_pretrained would use).
#include "cli/commands.hpp"
#include "cli/options.hpp"
#include "core/error.hpp"
#include "hub/client.hpp"
#include "hub/names.hpp"

namespace hubbench::cli {

int run_pull(const Args& args, std::ostream& out) {
    po::options_description options("Pull");
    options.add_options()
        ("repo", po::value<std::string>()->value_name("REPO[@REVISION]"), "repo id, e.g. fixtures/tiny-gpt2@main")
        ("revision", po::value<std::string>()->value_name("REV"), "branch, tag or commit (default main)")
        ("include", po::value<std::vector<std::string>>()->composing()->value_name("GLOB"),
         "only files matching (repeatable; default: config, tokenizer, safetensors, sentence-transformers files, model card)")
        ("exclude", po::value<std::vector<std::string>>()->composing()->value_name("GLOB"), "skip files matching (repeatable)")
        ("parallel", po::value<int>()->default_value(8)->value_name("N"), "files downloaded at once");
    po::positional_options_description positional;
    positional.add("repo", 1);
    auto vm = parse_command("pull", args, options, &positional);
    if (vm.count("help")) {
        print_command_help(out, "pull", "REPO[@REVISION] [options]",
                           "Download a model repo into the Hugging Face cache (HF_HUB_CACHE / HF_HOME) and print the\n"
                           "snapshot directory. Files already cached are not downloaded again; HF_HUB_OFFLINE=1 uses\n"
                           "the cache only.",
                           options);
        return 0;
    }
    if (!vm.count("repo")) throw Error(ErrorKind::usage, "pull: missing REPO (see 'hubbench pull --help')");
    hub::RepoSpec spec;
    try {
        spec = hub::parse_repo_spec(vm["repo"].as<std::string>());
    } catch (const Error& e) {
        throw Error(ErrorKind::usage, std::string("pull: ") + e.what());
    }
    if (vm.count("revision")) {
        const auto& r = vm["revision"].as<std::string>();
        if (!spec.revision.empty() && spec.revision != r) {
            throw Error(ErrorKind::usage, "pull: revision given twice ('@" + spec.revision + "' and --revision " + r + ")");
        }
        spec.revision = r;
    }
    hub::PullOptions pull;
    if (vm.count("include")) pull.include = vm["include"].as<std::vector<std::string>>();
    if (vm.count("exclude")) pull.exclude = vm["exclude"].as<std::vector<std::string>>();
    pull.parallel = vm["parallel"].as<int>();
    if (pull.parallel < 1) throw Error(ErrorKind::usage, "pull: --parallel must be at least 1");

    hub::HubClient client;
    auto dir = client.pull(spec.repo_id, spec.revision.empty() ? "main" : spec.revision, pull);
    out << dir.string() << "\n";
    return 0;
}

}  // namespace hubbench::cli
