// hubbench tokenize --model DIR|FILE [--text T | stdin] [--no-special] [--json] | --decode [--keep-special]:
// the model's tokenizer on its own. Encoding prints the ids (or JSON with tokens and character
// offsets, as transformers reports them); --decode reads ids and prints the text.
#include <iostream>
#include <iterator>
#include <nlohmann/json.hpp>

#include "cli/commands.hpp"
#include "cli/options.hpp"
#include "core/error.hpp"
#include "tokenizer/tokenizer.hpp"

namespace hubbench::cli {

namespace {

// Where the tokenizer files of --model are. Today: a local model directory, tokenizer.json or
// tokenizer.model; this is the one place that turns the argument into a path.
std::filesystem::path resolve_tokenizer_source(const std::string& model) {
    std::error_code ec;
    if (!std::filesystem::exists(model, ec)) {
        throw Error(ErrorKind::not_found, "tokenize: '" + model + "' is not a local model directory or tokenizer file");
    }
    return model;
}

std::string read_stdin() {
    std::string text((std::istreambuf_iterator<char>(std::cin)), std::istreambuf_iterator<char>());
    return text;
}

// Ids separated by spaces, newlines or commas; a JSON array ("[1, 2]") works too.
std::vector<std::int32_t> parse_ids(const std::string& text) {
    std::vector<std::int32_t> ids;
    std::string current;
    auto flush = [&] {
        if (current.empty()) return;
        std::size_t used = 0;
        long long value = 0;
        try {
            value = std::stoll(current, &used);
        } catch (const std::exception&) {
            used = 0;
        }
        if (used != current.size() || value < 0 || value > INT32_MAX) {
            throw Error(ErrorKind::usage, "tokenize --decode: '" + current + "' is not a token id");
        }
        ids.push_back(static_cast<std::int32_t>(value));
        current.clear();
    };
    for (char c : text) {
        if (c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == ',' || c == '[' || c == ']') {
            flush();
        } else {
            current.push_back(c);
        }
    }
    flush();
    return ids;
}

// Keys in the order the command documents; invalid UTF-8 (never produced by a tokenizer) replaced.
std::string dump(const nlohmann::ordered_json& j) {
    return j.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
}

}  // namespace

int run_tokenize(const Args& args, std::ostream& out) {
    po::options_description options("Tokenize");
    options.add_options()
        ("model,m", po::value<std::string>()->value_name("DIR|FILE"), "model folder, tokenizer.json or tokenizer.model")
        ("text,t", po::value<std::string>()->value_name("TEXT"), "text to encode (ids to decode); default: all of stdin, as is")
        ("no-special", "leave out the special tokens the tokenizer adds (e.g. <s>, [CLS] ... [SEP])")
        ("json", "print {\"ids\":[…],\"tokens\":[…],\"offsets\":[[start,end],…]} with character offsets")
        ("decode", "read token ids (spaces, commas or a JSON array) and print the text")
        ("keep-special", "with --decode: keep special tokens in the text");
    auto vm = parse_command("tokenize", args, options);
    if (vm.count("help")) {
        print_command_help(out, "tokenize", "--model DIR|FILE [--text TEXT] [--no-special] [--json] [--decode [--keep-special]]",
                           "Encode text with a model's tokenizer (tokenizer.json, else SentencePiece tokenizer.model) and\n"
                           "print the ids, or decode ids back to text. Without --text, stdin is read as is.",
                           options);
        return 0;
    }
    if (!vm.count("model")) throw Error(ErrorKind::usage, "tokenize: missing --model (see 'hubbench tokenize --help')");
    if (vm.count("keep-special") && !vm.count("decode")) throw Error(ErrorKind::usage, "tokenize: --keep-special needs --decode");
    if (vm.count("no-special") && vm.count("decode")) throw Error(ErrorKind::usage, "tokenize: --no-special is for encoding; use --keep-special with --decode");

    auto tok = tokenizer::Tokenizer::load(resolve_tokenizer_source(vm["model"].as<std::string>()));
    std::string input = vm.count("text") ? vm["text"].as<std::string>() : read_stdin();

    if (vm.count("decode")) {
        std::string text = tok.decode(parse_ids(input), !vm.count("keep-special"));
        if (vm.count("json")) out << dump({{"text", text}}) << "\n";
        else out << text << "\n";
        return 0;
    }

    auto encoding = tok.encode(input, !vm.count("no-special"));
    if (vm.count("json")) {
        nlohmann::ordered_json offsets = nlohmann::ordered_json::array();
        for (const auto& [s, e] : tokenizer::char_offsets(input, encoding.offsets)) offsets.push_back({s, e});
        out << dump({{"ids", encoding.ids}, {"tokens", encoding.tokens}, {"offsets", offsets}}) << "\n";
        return 0;
    }
    for (std::size_t i = 0; i < encoding.ids.size(); ++i) {
        if (i > 0) out << ' ';
        out << encoding.ids[i];
    }
    out << "\n";
    return 0;
}

}  // namespace hubbench::cli
