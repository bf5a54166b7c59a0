// hubbench generate --model M --prompt P --max-new-tokens N --greedy [--json]: greedy
// continuation with the KV cache. The prompt is tokenized with the tokenizer's default special
// tokens (<s> first for LLaMA), as transformers' tokenizer(prompt) does.
#include <nlohmann/json.hpp>

#include "adapters/open.hpp"
#include "cli/commands.hpp"
#include "cli/options.hpp"
#include "core/error.hpp"

namespace hubbench::cli {

int run_generate(const Args& args, std::ostream& out) {
    po::options_description options("Generate");
    options.add_options()
        ("model,m", po::value<std::string>()->value_name("DIR|REPO"), "model folder or Hub repo id (org/name[@revision])")
        ("prompt,p", po::value<std::string>()->value_name("TEXT"), "text to continue")
        ("max-new-tokens,n", po::value<std::size_t>()->default_value(32)->value_name("N"), "tokens to generate")
        ("greedy", "argmax decoding (the only decoding there is; accepted for clarity)")
        ("no-stop", "keep going after the end-of-sequence token")
        ("threads", po::value<int>()->default_value(0)->value_name("T"), "compute threads (0 = all cores)")
        ("dtype", po::value<std::string>()->value_name("D"), dtype_help)
        ("json", "print {\"prompt_ids\":[…],\"new_ids\":[…],\"text\":\"…\"}");
    auto vm = parse_command("generate", args, options);
    if (vm.count("help")) {
        print_command_help(out, "generate", "--model DIR|REPO --prompt TEXT [--max-new-tokens N] [--greedy] [--json]",
                           "Continue a prompt with a causal LM, one argmax token at a time with the KV cache, stopping\n"
                           "after the end-of-sequence token. Prints the new text (or JSON with the ids).",
                           options);
        return 0;
    }
    if (!vm.count("model")) throw Error(ErrorKind::usage, "generate: missing --model (see 'hubbench generate --help')");
    if (!vm.count("prompt")) throw Error(ErrorKind::usage, "generate: missing --prompt");

    adapters::OpenOptions open;
    open.threads = vm["threads"].as<int>();
    open.dtype = dtype_option(vm, "generate");
    auto adapter = adapters::open_model(vm["model"].as<std::string>(), open);
    adapter->require(adapters::Capability::generation);
    const auto prompt = adapter->encode(vm["prompt"].as<std::string>(), true);
    const auto result = adapter->generate(prompt.ids, vm["max-new-tokens"].as<std::size_t>(), !vm.count("no-stop"));
    const std::string text = adapter->decode(result.new_ids, true);
    if (vm.count("json")) {
        nlohmann::ordered_json j = {{"prompt_ids", prompt.ids}, {"new_ids", result.new_ids}, {"text", text}};  // documented key order
        out << j.dump() << "\n";
    } else {
        out << text << "\n";
    }
    return 0;
}

}  // namespace hubbench::cli
