// The mirror serving a Hugging Face cache (`--cache`), and resolve_model_dir.
#include <doctest/doctest.h>

#include <cstdlib>

#include "core/error.hpp"
#include "core/fs.hpp"
#include "hub/cache.hpp"
#include "hub/client.hpp"
#include "hub_test_util.hpp"

using namespace hubbench;
using namespace hubbench::hub;
using namespace hubbench::hubtest;

TEST_SUITE("integration") {
TEST_CASE("a mirror over a pulled cache serves it to another machine identically") {
    TempDir first_cache, second_cache;
    fs::path first;
    {
        Mirror origin;
        HubClient client(client_options(origin.url(), first_cache.path()));
        first = client.pull("fixtures/tiny-bert-sentence", "main", quiet_pull());
    }
    const std::string commit = first.filename().string();
    // A second ref, as for a pull request, to exercise %2F in revisions.
    HubCache(first_cache.path()).write_ref("fixtures/tiny-bert-sentence", "refs/pr/1", commit);

    MirrorOptions o;
    o.cache = first_cache.path();
    Mirror team(o);
    HubClient client(client_options(team.url(), second_cache.path()));
    auto info = client.model_info("fixtures/tiny-bert-sentence", "main", true);
    CHECK(info.sha == commit);
    CHECK(info.pipeline_tag == "sentence-similarity");
    CHECK(info.params == fixture_params("tiny-bert-sentence"));
    auto second = client.pull("fixtures/tiny-bert-sentence", "main", quiet_pull());
    CHECK(second.filename() == commit);
    CHECK(files_under(second) == files_under(first));
    for (const auto& f : files_under(first)) {
        CHECK(fs::read_symlink(second / f) == fs::read_symlink(first / f));  // same blob names
        CHECK(slurp(second / f) == slurp(first / f));
    }
    auto pr = client.pull("fixtures/tiny-bert-sentence", "refs/pr/1", quiet_pull());
    CHECK(pr == second);
    CHECK(slurp(second_cache.path() / "models--fixtures--tiny-bert-sentence" / "refs" / "refs" / "pr" / "1") == commit);
    SearchQuery q;
    auto all = client.search(q);
    REQUIRE(all.size() == 1);
    CHECK(all[0].id == "fixtures/tiny-bert-sentence");
}

TEST_CASE("resolve_model_dir takes a directory or a repo id") {
    Mirror m;
    TempDir cache;
    struct Env {
        Env(const std::string& url, const fs::path& cache) {
            for (const char* k : {"HF_ENDPOINT", "HF_HUB_CACHE", "HF_HUB_OFFLINE", "HF_TOKEN", "HUBBENCH_PROGRESS"}) {
                const char* v = std::getenv(k);
                saved.emplace_back(k, v ? std::optional<std::string>(v) : std::nullopt);
            }
            setenv("HF_ENDPOINT", url.c_str(), 1);
            setenv("HF_HUB_CACHE", cache.c_str(), 1);
            unsetenv("HF_HUB_OFFLINE");
            unsetenv("HF_TOKEN");
        }
        ~Env() {
            for (auto& [k, v] : saved) {
                if (v) setenv(k.c_str(), v->c_str(), 1);
                else unsetenv(k.c_str());
            }
        }
        std::vector<std::pair<std::string, std::optional<std::string>>> saved;
    } env(m.url(), cache.path());

    CHECK(resolve_model_dir(test::fixture("tiny-gpt2").string()) == test::fixture("tiny-gpt2"));
    auto dir = resolve_model_dir("fixtures/tiny-roberta");
    CHECK(fs::is_regular_file(dir / "config.json"));
    CHECK(fs::is_regular_file(dir / "model.safetensors"));
    CHECK(dir.parent_path() == cache.path() / "models--fixtures--tiny-roberta" / "snapshots");
    // Already cached: no request at all.
    m.server.clear_requests();
    CHECK(resolve_model_dir("fixtures/tiny-roberta@main") == dir);
    CHECK(m.requests().empty());
    setenv("HF_HUB_OFFLINE", "1", 1);
    CHECK(resolve_model_dir("fixtures/tiny-roberta") == dir);
    CHECK_THROWS_AS(resolve_model_dir("fixtures/tiny-bert"), HubError);
    CHECK_THROWS_AS(resolve_model_dir("./no/such/dir"), Error);
}
}
