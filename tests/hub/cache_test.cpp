#include <doctest/doctest.h>

#include <cstdlib>
#include <optional>

#include "core/error.hpp"
#include "core/fs.hpp"
#include "hub/cache.hpp"
#include "hub_test_util.hpp"

using namespace hubbench;
using namespace hubbench::hub;

namespace {
// Sets or unsets environment variables for one scope, restoring them afterwards.
struct EnvScope {
    explicit EnvScope(std::vector<std::pair<std::string, std::optional<std::string>>> vars) {
        for (auto& [k, v] : vars) {
            const char* old = std::getenv(k.c_str());
            saved.emplace_back(k, old ? std::optional<std::string>(old) : std::nullopt);
            if (v) setenv(k.c_str(), v->c_str(), 1);
            else unsetenv(k.c_str());
        }
    }
    ~EnvScope() {
        for (auto& [k, v] : saved) {
            if (v) setenv(k.c_str(), v->c_str(), 1);
            else unsetenv(k.c_str());
        }
    }
    std::vector<std::pair<std::string, std::optional<std::string>>> saved;
};
}  // namespace

TEST_SUITE("unit") {
TEST_CASE("cache dir resolution follows HF_HUB_CACHE then HUGGINGFACE_HUB_CACHE then HF_HOME then XDG_CACHE_HOME") {
    {
        EnvScope env({{"HF_HUB_CACHE", "/a"}, {"HUGGINGFACE_HUB_CACHE", "/b"}, {"HF_HOME", "/c"}, {"XDG_CACHE_HOME", "/d"}});
        CHECK(default_cache_dir() == "/a");
    }
    {
        EnvScope env({{"HF_HUB_CACHE", std::nullopt}, {"HUGGINGFACE_HUB_CACHE", "/b"}, {"HF_HOME", "/c"}});
        CHECK(default_cache_dir() == "/b");
    }
    {
        EnvScope env({{"HF_HUB_CACHE", std::nullopt}, {"HUGGINGFACE_HUB_CACHE", std::nullopt}, {"HF_HOME", "/c"}});
        CHECK(default_cache_dir() == "/c/hub");
    }
    {
        EnvScope env({{"HF_HUB_CACHE", std::nullopt}, {"HUGGINGFACE_HUB_CACHE", std::nullopt}, {"HF_HOME", std::nullopt},
                      {"XDG_CACHE_HOME", "/d"}});
        CHECK(default_cache_dir() == "/d/huggingface/hub");
    }
    {
        EnvScope env({{"HF_HUB_CACHE", std::nullopt}, {"HUGGINGFACE_HUB_CACHE", std::nullopt}, {"HF_HOME", std::nullopt},
                      {"XDG_CACHE_HOME", std::nullopt}, {"HOME", "/home/u"}});
        CHECK(default_cache_dir() == "/home/u/.cache/huggingface/hub");
    }
}

TEST_CASE("repo folder names use double dashes") {
    CHECK(repo_folder_name("fixtures/tiny-gpt2") == "models--fixtures--tiny-gpt2");
    CHECK(repo_folder_name("gpt2") == "models--gpt2");
    CHECK(repo_id_from_folder("models--julien-c--EsperBERTo-small") == std::optional<std::string>("julien-c/EsperBERTo-small"));
    CHECK_FALSE(repo_id_from_folder("datasets--x--y"));
    CHECK_FALSE(repo_id_from_folder(".locks"));
    CHECK_THROWS_AS(repo_folder_name("../x"), Error);
}

TEST_CASE("refs are written without a newline and read exactly") {
    TempDir dir;
    HubCache cache(dir.path());
    const std::string commit = "0123456789abcdef0123456789abcdef01234567";
    cache.prepare_repo("org/name");
    cache.write_ref("org/name", "main", commit);
    cache.write_ref("org/name", "refs/pr/1", commit);
    cache.write_ref("org/name", commit, commit);  // a commit needs no ref
    CHECK(hubtest::slurp(dir.path() / "models--org--name" / "refs" / "main") == commit);
    CHECK(fs::is_regular_file(dir.path() / "models--org--name" / "refs" / "refs" / "pr" / "1"));
    CHECK_FALSE(fs::exists(dir.path() / "models--org--name" / "refs" / commit));
    CHECK(cache.resolve_commit("org/name", "main") == commit);
    CHECK(cache.resolve_commit("org/name", commit) == commit);
    CHECK_FALSE(cache.resolve_commit("org/name", "dev"));
    // A ref with a trailing newline is not a commit to huggingface_hub (it compares exactly).
    hubtest::write_text(dir.path() / "models--org--name" / "refs" / "dev", commit + "\n");
    CHECK_FALSE(cache.resolve_commit("org/name", "dev"));
    CHECK(fs::exists(dir.path() / "CACHEDIR.TAG"));
    CHECK(hubtest::slurp(dir.path() / "CACHEDIR.TAG").rfind("Signature: 8a477f597d28d172789f06886806bc55\n", 0) == 0);
}

TEST_CASE("snapshot links are relative and one level deeper per subfolder") {
    TempDir dir;
    HubCache cache(dir.path());
    const std::string commit(40, 'c');
    const std::string etag(64, 'e');
    cache.prepare_repo("org/name");
    hubtest::write_text(cache.blob_path("org/name", etag), "bytes");
    cache.link_snapshot_file("org/name", commit, "model.safetensors", etag);
    cache.link_snapshot_file("org/name", commit, "1_Pooling/config.json", etag);
    auto top = cache.snapshot_file("org/name", commit, "model.safetensors");
    auto sub = cache.snapshot_file("org/name", commit, "1_Pooling/config.json");
    CHECK(fs::is_symlink(top));
    CHECK(fs::read_symlink(top) == "../../blobs/" + etag);
    CHECK(fs::read_symlink(sub) == "../../../blobs/" + etag);
    CHECK(hubtest::slurp(sub) == "bytes");
    CHECK(cache.has_file("org/name", commit, "1_Pooling/config.json"));
    CHECK(cache.snapshot_files("org/name", commit) == std::vector<std::string>{"1_Pooling/config.json", "model.safetensors"});
    CHECK_THROWS_AS(cache.link_snapshot_file("org/name", commit, "../escape", etag), Error);
    CHECK_THROWS_AS(cache.blob_path("org/name", "../../x"), Error);
}

TEST_CASE("tree cache round trips in the upstream format") {
    TempDir dir;
    HubCache cache(dir.path());
    const std::string commit(40, 'a');
    RepoFile small{"config.json", 10, std::string(40, '1'), std::nullopt};
    RepoFile big{"model.safetensors", 99, std::string(40, '2'), LfsInfo{std::string(64, '3'), 99, 134}};
    cache.write_tree("org/name", commit, {small, big});
    auto j = test::read_json(dir.path() / "models--org--name" / "trees" / (commit + ".json"));
    CHECK(j["format_version"] == 1);
    CHECK(j["files"]["config.json"] == nlohmann::json{{"size", 10}, {"blob_id", std::string(40, '1')}});
    CHECK(j["files"]["model.safetensors"]["lfs_sha256"] == std::string(64, '3'));
    auto back = cache.read_tree("org/name", commit);
    REQUIRE(back);
    REQUIRE(back->size() == 2);
    CHECK((*back)[1].etag() == std::string(64, '3'));
    CHECK((*back)[0].etag() == std::string(40, '1'));
}

TEST_CASE("no_exist markers record missing files per commit") {
    TempDir dir;
    HubCache cache(dir.path());
    const std::string commit(40, 'b');
    CHECK_FALSE(cache.is_no_exist("org/name", commit, "sub/missing.json"));
    cache.mark_no_exist("org/name", commit, "sub/missing.json");
    CHECK(cache.is_no_exist("org/name", commit, "sub/missing.json"));
    CHECK(fs::file_size(dir.path() / "models--org--name" / ".no_exist" / commit / "sub" / "missing.json") == 0);
}
}
