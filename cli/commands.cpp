#include "cli/commands.hpp"

namespace hubbench::cli {

const std::vector<Command>& commands() {
    static const std::vector<Command> table = {
        {"search", "find candidate models on the Hub (task, library, size, licence, downloads)", run_search},
        {"pull", "download a model repo into the Hugging Face cache", run_pull},
        {"mirror", "serve model repos or a local cache over the Hub's HTTP API", run_mirror},
        {"tokenize", "encode text (or decode ids) with a model's tokenizer", run_tokenize},
        {"eval", "run one task on one model (perplexity, classification, retrieval, ...)", run_eval},
        {"generate", "greedy text continuation with a causal model", run_generate},
        {"serve", "serve a model over the OpenAI-compatible API (completions, chat, embeddings)", run_serve},
        {"embed", "sentence embeddings of texts, one per line (JSON lines or safetensors)", run_embed},
        {"compare", "search, pull and evaluate candidates, then report side by side", run_compare},
        {"run", "run a suite file over a list of models, storing results", run_run},
        {"nightly", "one night of a benchmark: run (or a shard), report, exit 3 on a regression", run_nightly},
        {"report", "render stored results as Markdown, CSV, JSON or HTML", run_report},
        {"history", "show a metric over time from the results database", run_history},
        {"merge", "combine shard results databases without duplicates", run_merge},
        {"db", "check a results database (integrity, schema, references)", run_db},
    };
    return table;
}

const Command* find_command(const std::string& name) {
    for (const auto& c : commands()) {
        if (name == c.name) return &c;
    }
    return nullptr;
}

}  // namespace hubbench::cli
