// The CLI as real processes: `hubbench mirror serve` in the background, `hubbench pull` and
// `hubbench search` against it, Ctrl-C on both.
#include <doctest/doctest.h>

#include <future>
#include <thread>

#include "core/fs.hpp"
#include "hub_test_util.hpp"

using namespace hubbench;
using namespace hubbench::hubtest;

namespace {

std::map<std::string, std::string> hub_env(const std::string& url, const fs::path& cache) {
    return {{"HF_ENDPOINT", url},     {"HF_HUB_CACHE", cache.string()}, {"HF_TOKEN", ""},
            {"HF_HUB_OFFLINE", "0"},  {"HUBBENCH_PROGRESS", "plain"},   {"HUBBENCH_RETRY_BASE_MS", "10"},
            {"HF_HOME", (cache / "home").string()}};
}

std::vector<std::string> lines(const std::string& text) {
    std::vector<std::string> out;
    std::size_t start = 0;
    while (start < text.size()) {
        auto nl = text.find('\n', start);
        if (nl == std::string::npos) nl = text.size();
        out.push_back(text.substr(start, nl - start));
        start = nl + 1;
    }
    return out;
}

}  // namespace

TEST_SUITE("integration") {
TEST_CASE("hubbench mirror serve then pull and search as processes") {
    Child mirror({test::hubbench_binary().string(), "mirror", "serve", "--root", (test::assets() / "models").string()});
    std::string url = mirror.read_line();
    REQUIRE(url.rfind("http://127.0.0.1:", 0) == 0);
    TempDir cache;
    auto env = hub_env(url, cache.path());

    auto pull = test::run_hubbench({"pull", "fixtures/tiny-gpt2"}, "", env);
    CHECK(pull.exit_code == 0);
    auto out = lines(pull.out);
    REQUIRE(out.size() == 1);  // stdout carries only the snapshot path
    fs::path snapshot = out[0];
    CHECK(snapshot.parent_path() == cache.path() / "models--fixtures--tiny-gpt2" / "snapshots");
    CHECK(sha256sum(snapshot / "model.safetensors") == sha256sum(test::fixture("tiny-gpt2") / "model.safetensors"));
    CHECK(pull.err.find("pull fixtures/tiny-gpt2") != std::string::npos);  // the progress bar, on stderr

    auto again = test::run_hubbench({"pull", "fixtures/tiny-gpt2@main", "--include", "*.json", "-q"}, "", env);
    CHECK(again.exit_code == 0);
    CHECK(again.out == pull.out);
    CHECK(again.err.empty());

    auto offline_env = env;
    offline_env["HF_HUB_OFFLINE"] = "1";
    offline_env["HF_ENDPOINT"] = "http://127.0.0.1:1";
    auto offline = test::run_hubbench({"pull", "fixtures/tiny-gpt2", "--revision", "main"}, "", offline_env);
    CHECK(offline.exit_code == 0);
    CHECK(offline.out == pull.out);

    auto search = test::run_hubbench({"search", "--task", "fill-mask", "--format", "json"}, "", env);
    CHECK(search.exit_code == 0);
    auto j = nlohmann::json::parse(search.out);
    // As many as the fixture cards that say so (tiny-bert, tiny-roberta, tiny-xlm-roberta, ...).
    std::size_t fill_mask_cards = 0;
    for (const auto& entry : fs::directory_iterator(test::fixture("")))
        fill_mask_cards += read_file(entry.path() / "README.md").find("\npipeline_tag: fill-mask\n") != std::string::npos;
    REQUIRE(fill_mask_cards >= 3);
    REQUIRE(j.size() == fill_mask_cards);
    for (auto& m : j) {
        CHECK(m["pipeline_tag"] == "fill-mask");
        CHECK(m["params"] == fixture_params(m["id"].get<std::string>().substr(9)));
        for (const char* key : {"id", "sha", "pipeline_tag", "library_name", "downloads", "likes", "params", "license", "tags"}) {
            CHECK(m.contains(key));
        }
    }
    auto table = test::run_hubbench({"search", "--query", "llama", "--max-params", "2M"}, "", env);
    CHECK(table.exit_code == 0);
    auto rows = lines(table.out);
    REQUIRE(rows.size() == 2);
    CHECK(rows[0].rfind("ID", 0) == 0);
    CHECK(rows[1].rfind("fixtures/tiny-llama", 0) == 0);
    CHECK(rows[1].find("1.77M") != std::string::npos);

    CHECK(mirror.stop(SIGINT) == 0);  // Ctrl-C stops the server cleanly
    CHECK(mirror.stderr_text().find("stopped") != std::string::npos);
}

TEST_CASE("four processes pulling one repo into one cache at once leave it whole") {
    // A throttled mirror, so the four downloads of each blob overlap (the shared cache of a
    // cluster's nightly shards).
    Child mirror({test::hubbench_binary().string(), "mirror", "serve", "--root", (test::assets() / "models").string(),
                  "--throttle", "2000000"});
    std::string url = mirror.read_line();
    REQUIRE(url.rfind("http://127.0.0.1:", 0) == 0);
    TempDir cache;
    auto env = hub_env(url, cache.path());
    std::vector<std::future<test::ProcessResult>> pulls;
    for (int i = 0; i < 4; ++i)
        pulls.push_back(std::async(std::launch::async, [&env] { return test::run_hubbench({"pull", "fixtures/tiny-llama", "-q"}, "", env); }));
    std::vector<std::string> snapshots;
    for (auto& p : pulls) {
        auto r = p.get();
        INFO(r.err);
        CHECK(r.exit_code == 0);
        snapshots.push_back(r.out);
    }
    REQUIRE(snapshots.size() == 4);
    for (const auto& s : snapshots) CHECK(s == snapshots[0]);
    const fs::path snapshot = trim(snapshots[0]);
    const fs::path source = test::fixture("tiny-llama");
    std::size_t files = 0;
    for (const auto& entry : fs::directory_iterator(source)) {
        const auto name = entry.path().filename();
        if (!fs::exists(snapshot / name)) continue;  // pull's default patterns
        CHECK(sha256sum(snapshot / name) == sha256sum(entry.path()));
        ++files;
    }
    CHECK(files >= 10);  // card, config, tokenizer files, index and six shards
    // One blob per file, nothing half-written beside them, and the locks where huggingface_hub keeps them.
    std::size_t blobs = 0;
    for (const auto& entry : fs::directory_iterator(cache.path() / "models--fixtures--tiny-llama" / "blobs")) {
        CHECK(entry.path().extension() != ".incomplete");
        ++blobs;
    }
    CHECK(blobs == files);
    CHECK(fs::is_directory(cache.path() / ".locks" / "models--fixtures--tiny-llama"));
}

TEST_CASE("search says which models hubbench can run and --runnable keeps only those") {
    // A mirror of one runnable fixture and two repos compare would skip: an architecture the
    // native adapter lacks, and weights only as a pickle.
    TempDir root;
    fs::create_directories(root.path() / "fixtures");
    fs::copy(test::fixture("tiny-gpt2"), root.path() / "fixtures/tiny-gpt2", fs::copy_options::recursive);
    const std::string card = "---\nlicense: apache-2.0\nlibrary_name: transformers\npipeline_tag: text-generation\n---\n";
    fs::create_directories(root.path() / "other/tiny-t5");
    write_file_atomic(root.path() / "other/tiny-t5/README.md", card);
    write_file_atomic(root.path() / "other/tiny-t5/config.json", R"({"model_type":"t5","architectures":["T5ForConditionalGeneration"]})");
    fs::copy_file(test::fixture("tiny-gpt2") / "model.safetensors", root.path() / "other/tiny-t5/model.safetensors");
    fs::create_directories(root.path() / "other/tiny-pickle");
    write_file_atomic(root.path() / "other/tiny-pickle/README.md", card);
    write_file_atomic(root.path() / "other/tiny-pickle/config.json", R"({"model_type":"gpt2","architectures":["GPT2LMHeadModel"]})");
    write_file_atomic(root.path() / "other/tiny-pickle/pytorch_model.bin", "not a real pickle");

    Child mirror({test::hubbench_binary().string(), "mirror", "serve", "--root", root.path().string()});
    const std::string url = mirror.read_line();
    REQUIRE(url.rfind("http://127.0.0.1:", 0) == 0);
    TempDir cache;
    const auto env = hub_env(url, cache.path());

    auto all = test::run_hubbench({"search", "--query", "tiny", "--format", "json"}, "", env);
    INFO(all.err);
    REQUIRE(all.exit_code == 0);
    std::map<std::string, nlohmann::json> by_id;
    for (auto& m : nlohmann::json::parse(all.out)) by_id[m["id"]] = m;
    REQUIRE(by_id.size() == 3);
    CHECK(by_id["fixtures/tiny-gpt2"]["runnable"] == true);
    CHECK(by_id["fixtures/tiny-gpt2"]["not_runnable_reason"].is_null());
    CHECK(by_id["other/tiny-t5"]["runnable"] == false);
    CHECK(by_id["other/tiny-t5"]["not_runnable_reason"].get<std::string>().find("model_type 't5' is not supported") != std::string::npos);
    CHECK(by_id["other/tiny-pickle"]["runnable"] == false);
    CHECK(by_id["other/tiny-pickle"]["not_runnable_reason"].get<std::string>().find("no safetensors weights") != std::string::npos);

    auto table = test::run_hubbench({"search", "--query", "tiny"}, "", env);
    CHECK(table.out.find("RUNNABLE") != std::string::npos);
    CHECK(table.err.find("hubbench can run 1 of 3 models listed") != std::string::npos);
    auto runnable = test::run_hubbench({"search", "--query", "tiny", "--runnable", "--format", "json"}, "", env);
    REQUIRE(runnable.exit_code == 0);
    auto only = nlohmann::json::parse(runnable.out);
    REQUIRE(only.size() == 1);
    CHECK(only[0]["id"] == "fixtures/tiny-gpt2");
    CHECK(mirror.stop(SIGINT) == 0);
}

TEST_CASE("hubbench pull errors are one line with the documented exit codes") {
    Child mirror({test::hubbench_binary().string(), "mirror", "serve", "--root", (test::assets() / "models").string()});
    std::string url = mirror.read_line();
    REQUIRE_FALSE(url.empty());
    TempDir cache;
    auto env = hub_env(url, cache.path());
    auto missing = test::run_hubbench({"pull", "fixtures/nope"}, "", env);
    CHECK(missing.exit_code == 1);
    CHECK(lines(missing.err).size() == 1);
    CHECK(missing.err.rfind("hubbench: error: fixtures/nope not found on http://127.0.0.1:", 0) == 0);
    auto revision = test::run_hubbench({"pull", "fixtures/tiny-gpt2@v3"}, "", env);
    CHECK(revision.exit_code == 1);
    CHECK(revision.err == "hubbench: error: revision 'v3' not found in fixtures/tiny-gpt2\n");
    auto traversal = test::run_hubbench({"pull", "../../etc"}, "", env);
    CHECK(traversal.exit_code == 2);
    CHECK(lines(traversal.err).size() == 1);
    auto twice = test::run_hubbench({"pull", "fixtures/tiny-gpt2@main", "--revision", "dev"}, "", env);
    CHECK(twice.exit_code == 2);
    auto offline_env = env;
    offline_env["HF_HUB_OFFLINE"] = "1";
    auto offline = test::run_hubbench({"pull", "fixtures/tiny-bert"}, "", offline_env);
    CHECK(offline.exit_code == 1);
    CHECK(offline.err.find("is not in the cache") != std::string::npos);
    CHECK(mirror.stop(SIGINT) == 0);

    auto no_root = test::run_hubbench({"mirror", "serve"});
    CHECK(no_root.exit_code == 2);
    auto bad_sort = test::run_hubbench({"search", "--sort", "size"}, "", env);
    CHECK(bad_sort.exit_code == 2);
}

TEST_CASE("hubbench pull gets through the fault flags of hubbench mirror serve") {
    Child mirror({test::hubbench_binary().string(), "mirror", "serve", "--root", (test::assets() / "models").string(),
                  "--drop-after-bytes", "1000000", "--fail-rate", "0.5", "--rate-limit", "50"});
    std::string url = mirror.read_line();
    REQUIRE_FALSE(url.empty());
    TempDir cache;
    auto pull = test::run_hubbench({"pull", "fixtures/tiny-llama", "--parallel", "1"}, "", hub_env(url, cache.path()));
    CHECK(pull.exit_code == 0);
    fs::path snapshot = lines(pull.out).at(0);
    for (const auto& f : files_under(test::fixture("tiny-llama"))) {
        if (f.find(".safetensors") != std::string::npos) CHECK(sha256sum(snapshot / f) == sha256sum(test::fixture("tiny-llama") / f));
    }
    CHECK(mirror.stop(SIGINT) == 0);
}

TEST_CASE("ctrl-c during hubbench pull leaves no snapshot entry and a later pull completes") {
    Child mirror({test::hubbench_binary().string(), "mirror", "serve", "--root", (test::assets() / "models").string(),
                  "--throttle", "1000000"});
    std::string url = mirror.read_line();
    REQUIRE_FALSE(url.empty());
    TempDir cache;
    auto env = hub_env(url, cache.path());
    const fs::path repo = cache.path() / "models--fixtures--tiny-gpt2";
    const std::string etag = sha256sum(test::fixture("tiny-gpt2") / "model.safetensors");
    const fs::path partial = repo / "blobs" / (etag + ".incomplete");
    {
        Child pull({test::hubbench_binary().string(), "pull", "fixtures/tiny-gpt2", "--include", "model.safetensors"}, env);
        // Wait until bytes are arriving (5.4 MB at 1 MB/s takes seconds), then interrupt.
        for (int i = 0; i < 600; ++i) {
            std::error_code ec;
            if (fs::exists(partial, ec) && fs::file_size(partial, ec) > 0) break;
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
        }
        CHECK(pull.stop(SIGINT) == 130);
        CHECK(pull.stderr_text().find("hubbench: interrupted") != std::string::npos);
    }
    CHECK(files_under(repo / "snapshots").empty());
    CHECK_FALSE(fs::exists(repo / "blobs" / etag));
    CHECK_FALSE(fs::exists(repo / "refs" / "main"));
    CHECK(mirror.stop(SIGINT) == 0);

    Mirror fast;
    auto resumed = test::run_hubbench({"pull", "fixtures/tiny-gpt2", "--include", "model.safetensors"}, "",
                                      hub_env(fast.url(), cache.path()));
    CHECK(resumed.exit_code == 0);
    fs::path snapshot = lines(resumed.out).at(0);
    CHECK(sha256sum(snapshot / "model.safetensors") == etag);
    auto cdn = fast.requests("/cdn/");
    REQUIRE(cdn.size() == 1);
    CHECK(cdn[0].range.rfind("bytes=", 0) == 0);  // it picked up where the interrupted pull stopped
}
}
