// hubbench embed --model M [--input FILE] [--output FILE.jsonl|FILE.safetensors]: the sentence
// embeddings the sts, probe, knn and retrieval tasks use, for one text per line, so they can be
// compared with sentence-transformers' encode() (scripts/validate does) or used elsewhere.
#include <fmt/format.h>

#include <iostream>
#include <iterator>
#include <nlohmann/json.hpp>

#include "adapters/open.hpp"
#include "cli/commands.hpp"
#include "cli/options.hpp"
#include "core/error.hpp"
#include "core/fs.hpp"
#include "engine/safetensors_writer.hpp"
#include "suites/text.hpp"

namespace hubbench::cli {

namespace {

// One text per line, without its line end (LF or CRLF); invalid UTF-8 or an empty line is an
// error naming the line, before any model is loaded.
std::vector<std::string> read_lines(std::string_view text, const std::string& source) {
    if (const std::size_t bad = suites::invalid_utf8_at(text); bad != std::string_view::npos)
        throw Error(ErrorKind::usage, fmt::format("embed: {} line {}: invalid UTF-8", source, suites::line_of(text, bad)));
    std::vector<std::string> lines;
    suites::for_each_line(text, [&](std::string_view line, std::size_t number) {
        if (line.empty()) throw Error(ErrorKind::usage, fmt::format("embed: {} line {}: an empty text", source, number));
        lines.emplace_back(line);
    });
    return lines;
}

bool ends_with(const std::string& s, const std::string& suffix) {
    return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

}  // namespace

int run_embed(const Args& args, std::ostream& out) {
    po::options_description options("Embed");
    options.add_options()
        ("model,m", po::value<std::string>()->value_name("DIR|REPO"), "model folder or Hub repo id (org/name[@revision])")
        ("input,i", po::value<std::string>()->value_name("FILE"), "texts, one per line (default: stdin)")
        ("output,o", po::value<std::string>()->value_name("FILE"),
         "FILE.safetensors: one float32 tensor \"embeddings\" (texts, dim); anything else: JSON lines. "
         "Default: JSON lines on stdout")
        ("batch-size", po::value<std::size_t>()->default_value(64)->value_name("N"), "texts per forward pass")
        ("threads", po::value<int>()->default_value(0)->value_name("T"), "compute threads (0 = all cores)")
        ("dtype", po::value<std::string>()->value_name("D"), dtype_help);
    auto vm = parse_command("embed", args, options);
    if (vm.count("help")) {
        print_command_help(out, "embed", "--model DIR|REPO [--input FILE] [--output FILE] [--batch-size N]",
                           "Embed texts (one per line) as the sts, classification and retrieval tasks do: the model's\n"
                           "sentence-transformers modules (modules.json: Pooling, Dense, Normalize) when it has them, else the mean over\n"
                           "every token, L2-normalised. Writes {\"text\":…,\"embedding\":[…]} per line, or a safetensors file.",
                           options);
        return 0;
    }
    if (!vm.count("model")) throw Error(ErrorKind::usage, "embed: missing --model (see 'hubbench embed --help')");
    const std::size_t batch_size = vm["batch-size"].as<std::size_t>();
    if (batch_size == 0) throw Error(ErrorKind::usage, "embed: --batch-size must be at least 1");

    std::string source = "stdin", text;
    if (vm.count("input")) {
        source = vm["input"].as<std::string>();
        text = read_file(source);
    } else {
        text.assign(std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>());
    }
    const std::vector<std::string> texts = read_lines(text, source);
    if (texts.empty()) throw Error(ErrorKind::usage, fmt::format("embed: {} has no texts", source));

    adapters::OpenOptions open;
    open.threads = vm["threads"].as<int>();
    open.dtype = dtype_option(vm, "embed");
    auto adapter = adapters::open_model(vm["model"].as<std::string>(), open);
    adapter->require(adapters::Capability::embeddings);
    std::vector<std::vector<float>> vectors;
    vectors.reserve(texts.size());
    for (std::size_t i = 0; i < texts.size(); i += batch_size) {
        const std::size_t n = std::min(batch_size, texts.size() - i);
        for (auto& v : adapter->embed(std::span(texts).subspan(i, n))) vectors.push_back(std::move(v));
    }

    const std::string output = vm.count("output") ? vm["output"].as<std::string>() : "";
    if (ends_with(output, ".safetensors")) {
        const std::size_t dim = vectors.front().size();
        std::vector<float> flat;
        flat.reserve(vectors.size() * dim);
        for (const auto& v : vectors) flat.insert(flat.end(), v.begin(), v.end());
        const engine::TensorToWrite tensor{"embeddings", Dtype::f32, {vectors.size(), dim},
                                           {reinterpret_cast<const char*>(flat.data()), flat.size() * sizeof(float)}};
        engine::write_safetensors(output, std::span(&tensor, 1),
                                  {{"format", "pt"}, {"model", adapter->info().id}, {"texts", std::to_string(texts.size())}});
        return 0;
    }
    std::string lines;
    for (std::size_t i = 0; i < texts.size(); ++i) {
        nlohmann::ordered_json j = {{"text", texts[i]}, {"embedding", vectors[i]}};
        lines += j.dump() + "\n";
    }
    if (output.empty())
        out << lines;
    else
        write_file_atomic(output, lines);
    return 0;
}

}  // namespace hubbench::cli
