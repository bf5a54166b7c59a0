// HubClient::pull / download_file against the mirror on a loopback port: layout, no-op re-pull,
// offline, resume, retries, integrity, token confinement, error mapping, traversal.
#include <doctest/doctest.h>
#include <httplib.h>
#include <sys/stat.h>

#include <thread>

#include "core/error.hpp"
#include "core/fs.hpp"
#include "hub/client.hpp"
#include "hub/names.hpp"
#include "hub_test_util.hpp"

using namespace hubbench;
using namespace hubbench::hub;
using namespace hubbench::hubtest;

namespace {

std::size_t count_if_target(const std::vector<MirrorRequest>& requests, const std::string& fragment,
                            const std::string& method = "") {
    return static_cast<std::size_t>(std::count_if(requests.begin(), requests.end(), [&](const MirrorRequest& r) {
        return r.target.find(fragment) != std::string::npos && (method.empty() || r.method == method);
    }));
}

HubErrorCode pull_error(HubClient& client, const std::string& repo, const std::string& revision, std::string* message = nullptr) {
    try {
        client.pull(repo, revision, quiet_pull());
    } catch (const HubError& e) {
        if (message) *message = e.what();
        return e.code();
    }
    FAIL("pull of " << repo << "@" << revision << " did not fail");
    return HubErrorCode::http_error;
}

}  // namespace

TEST_SUITE("integration") {
TEST_CASE("pull writes the huggingface_hub cache layout") {
    Mirror m;
    TempDir cache;
    HubClient client(client_options(m.url(), cache.path()));
    auto snapshot = client.pull("fixtures/tiny-bert-sentence", "main", quiet_pull());

    const fs::path repo = cache.path() / "models--fixtures--tiny-bert-sentence";
    std::string commit = slurp(repo / "refs" / "main");
    CHECK(is_commit_sha(commit));  // 40 hex, no newline
    CHECK(snapshot == repo / "snapshots" / commit);
    // Only what huggingface_hub puts in a cache root.
    std::vector<std::string> root;
    for (auto& e : fs::directory_iterator(cache.path())) root.push_back(e.path().filename().string());
    std::sort(root.begin(), root.end());
    CHECK(root == std::vector<std::string>{".locks", "CACHEDIR.TAG", "models--fixtures--tiny-bert-sentence"});

    auto src = test::fixture("tiny-bert-sentence");
    std::vector<std::string> expected;
    for (auto& e : fs::recursive_directory_iterator(src)) {
        if (e.is_regular_file()) expected.push_back(e.path().lexically_relative(src).generic_string());
    }
    std::sort(expected.begin(), expected.end());
    CHECK(files_under(snapshot) == expected);
    for (const auto& rel : expected) {
        fs::path link = snapshot / rel;
        REQUIRE(fs::is_symlink(link));
        // Blob names: sha256 for LFS files (safetensors), git blob sha1 for the rest.
        bool lfs = rel.size() > 12 && rel.substr(rel.size() - 12) == ".safetensors";
        std::string etag = lfs ? sha256sum(src / rel) : git_blob_id(src / rel);
        std::string depth;
        for (char c : rel) depth += c == '/' ? "../" : "";
        CHECK(fs::read_symlink(link) == "../../" + depth + "blobs/" + etag);
        CHECK(slurp(link) == slurp(src / rel));
    }
    // Nothing half-written remains.
    for (auto& e : fs::directory_iterator(repo / "blobs")) CHECK(e.path().extension() != ".incomplete");
    // The full listing was downloaded, so the tree cache is written.
    CHECK(fs::exists(repo / "trees" / (commit + ".json")));
}

TEST_CASE("re-pull downloads nothing") {
    Mirror m;
    TempDir cache;
    HubClient client(client_options(m.url(), cache.path()));
    auto first = client.pull("fixtures/tiny-gpt2", "main", quiet_pull());
    struct stat before {};
    REQUIRE(::stat((first / "model.safetensors").c_str(), &before) == 0);
    m.server.clear_requests();
    auto second = client.pull("fixtures/tiny-gpt2", "main", quiet_pull());
    CHECK(second == first);
    auto requests = m.requests();
    CHECK(count_if_target(requests, "/resolve") == 0);
    CHECK(count_if_target(requests, "/cdn/") == 0);
    CHECK(requests.size() == 1);  // only the revision lookup
    struct stat after {};
    REQUIRE(::stat((second / "model.safetensors").c_str(), &after) == 0);
    CHECK(after.st_ino == before.st_ino);
    CHECK(after.st_mtim.tv_nsec == before.st_mtim.tv_nsec);
}

TEST_CASE("a blob cut short in the cache is fetched again") {
    Mirror m;
    TempDir cache;
    HubClient client(client_options(m.url(), cache.path()));
    auto snapshot = client.pull("fixtures/tiny-gpt2", "main", quiet_pull());
    auto blob = fs::canonical(snapshot / "model.safetensors");
    fs::resize_file(blob, 0);  // what a power cut before writeback can leave behind
    m.server.clear_requests();
    CHECK(client.pull("fixtures/tiny-gpt2", "main", quiet_pull()) == snapshot);
    CHECK(sha256sum(snapshot / "model.safetensors") == sha256sum(test::fixture("tiny-gpt2") / "model.safetensors"));
    CHECK(m.requests("/cdn/").size() == 1);
    CHECK(m.requests("/fixtures/tiny-gpt2/resolve/").size() == 1);  // only that file
}

TEST_CASE("offline pull works from the cache and never connects") {
    TempDir cache;
    fs::path snapshot;
    {
        Mirror m;
        HubClient client(client_options(m.url(), cache.path()));
        snapshot = client.pull("fixtures/tiny-qwen2", "main", quiet_pull());
    }  // the mirror is gone
    auto options = client_options("http://127.0.0.1:1", cache.path());
    options.offline = true;
    HubClient offline(options);
    CHECK(offline.pull("fixtures/tiny-qwen2", "main", quiet_pull()) == snapshot);
    std::string commit = snapshot.filename().string();
    CHECK(offline.pull("fixtures/tiny-qwen2", commit, quiet_pull()) == snapshot);
    CHECK(offline.download_file("fixtures/tiny-qwen2", "config.json", "main") == snapshot / "config.json");
    CHECK(pull_error(offline, "fixtures/tiny-gpt2", "main") == HubErrorCode::offline_miss);
    CHECK(pull_error(offline, "fixtures/tiny-qwen2", "dev") == HubErrorCode::offline_miss);

    // Online but unreachable: the cached snapshot is used, like snapshot_download.
    HubClient unreachable(client_options("http://127.0.0.1:1", cache.path()));
    CHECK(unreachable.pull("fixtures/tiny-qwen2", "main", quiet_pull()) == snapshot);
}

TEST_CASE("pull resumes after dropped connections") {
    MirrorOptions o;
    o.drop_after_bytes = 1 << 20;  // every file response is cut after 1 MiB
    Mirror m(o);
    TempDir cache;
    HubClient client(client_options(m.url(), cache.path()));
    PullOptions p = quiet_pull();
    p.include = {"model.safetensors", "config.json"};
    auto snapshot = client.pull("fixtures/tiny-gpt2", "main", p);
    auto src = test::fixture("tiny-gpt2");
    CHECK(sha256sum(snapshot / "model.safetensors") == sha256sum(src / "model.safetensors"));
    // 5.2 MB in 1 MiB pieces: the first request plus five resumes, each asking for the rest.
    auto cdn = m.requests("/cdn/");
    CHECK(cdn.size() == 6);
    std::vector<std::string> ranges;
    for (auto& r : cdn) ranges.push_back(r.range);
    CHECK(ranges.front().empty());
    CHECK(ranges[1] == "bytes=1048576-");
    CHECK(ranges.back() == "bytes=5242880-");
}

TEST_CASE("an interrupted pull leaves no snapshot entry and the next pull resumes") {
    MirrorOptions o;
    o.drop_after_bytes = 2 << 20;
    TempDir cache;
    {
        Mirror m(o);
        auto options = client_options(m.url(), cache.path());
        options.retry.max_retries = 0;  // the first drop is fatal
        HubClient client(options);
        PullOptions p = quiet_pull();
        p.include = {"model.safetensors"};
        CHECK(pull_error(client, "fixtures/tiny-gpt2", "main") == HubErrorCode::network);
    }
    const fs::path repo = cache.path() / "models--fixtures--tiny-gpt2";
    CHECK(files_under(repo / "snapshots").empty());
    CHECK_FALSE(fs::exists(repo / "refs" / "main"));
    std::string etag = sha256sum(test::fixture("tiny-gpt2") / "model.safetensors");
    REQUIRE(fs::exists(repo / "blobs" / (etag + ".incomplete")));
    CHECK(fs::file_size(repo / "blobs" / (etag + ".incomplete")) == (2u << 20));

    Mirror healthy;
    HubClient client(client_options(healthy.url(), cache.path()));
    PullOptions p = quiet_pull();
    p.include = {"model.safetensors"};
    auto snapshot = client.pull("fixtures/tiny-gpt2", "main", p);
    CHECK(sha256sum(snapshot / "model.safetensors") == etag);
    auto cdn = healthy.requests("/cdn/");
    REQUIRE(cdn.size() == 1);
    CHECK(cdn[0].range == "bytes=2097152-");
    CHECK_FALSE(fs::exists(repo / "blobs" / (etag + ".incomplete")));
}

TEST_CASE("pull starts over when the server ignores Range") {
    // A partial download of wrong bytes, longer than a hash chunk so the background hasher is
    // busy with it when the 200 arrives: it must be forgotten, file and hash alike.
    TempDir cache;
    const fs::path repo = cache.path() / "models--fixtures--tiny-gpt2";
    const std::string etag = sha256sum(test::fixture("tiny-gpt2") / "model.safetensors");
    const fs::path partial = repo / "blobs" / (etag + ".incomplete");
    write_text(partial, std::string(3u << 19, 'x'));
    MirrorOptions o;
    o.ignore_range = true;
    Mirror m(o);
    HubClient client(client_options(m.url(), cache.path()));
    PullOptions p = quiet_pull();
    p.include = {"model.safetensors"};
    auto snapshot = client.pull("fixtures/tiny-gpt2", "main", p);
    CHECK(sha256sum(snapshot / "model.safetensors") == etag);
    auto cdn = m.requests("/cdn/");
    REQUIRE(cdn.size() == 1);
    CHECK(cdn[0].range == "bytes=1572864-");
    CHECK(cdn[0].status == 200);
    CHECK_FALSE(fs::exists(partial));
}

TEST_CASE("pull retries after 429 with Retry-After") {
    MirrorOptions o;
    o.fail_rate = 0.5;  // every second request
    o.fail_status = 429;
    o.retry_after_s = 0;
    Mirror m(o);
    TempDir cache;
    HubClient client(client_options(m.url(), cache.path()));
    PullOptions p = quiet_pull();
    p.parallel = 1;  // one request at a time, so every second one is refused
    auto snapshot = client.pull("fixtures/tiny-gpt2", "main", p);
    CHECK(sha256sum(snapshot / "model.safetensors") == sha256sum(test::fixture("tiny-gpt2") / "model.safetensors"));
    auto requests = m.requests();
    auto limited = std::count_if(requests.begin(), requests.end(), [](auto& r) { return r.status == 429; });
    CHECK(limited >= 5);
}

TEST_CASE("pull gets through the mirror's rate limit") {
    MirrorOptions o;
    o.rate_limit = 1;  // one Hub request per second; the rest get 429 + Retry-After
    o.retry_after_s = 0;
    Mirror m(o);
    TempDir cache;
    HubClient client(client_options(m.url(), cache.path()));
    PullOptions p = quiet_pull();
    p.include = {"config.json", "tokenizer_config.json"};
    auto snapshot = client.pull("fixtures/tiny-qwen2", "main", p);
    CHECK(files_under(snapshot) == std::vector<std::string>{"config.json", "tokenizer_config.json"});
    auto requests = m.requests();
    auto limited = std::count_if(requests.begin(), requests.end(), [](auto& r) { return r.status == 429; });
    CHECK(limited >= 1);
}

TEST_CASE("pull retries after 503 and gives up when it persists") {
    {
        MirrorOptions o;
        o.fail_rate = 0.5;
        Mirror m(o);
        TempDir cache;
        HubClient client(client_options(m.url(), cache.path()));
        PullOptions p = quiet_pull();
        p.parallel = 1;
        auto snapshot = client.pull("fixtures/tiny-bert", "main", p);
        CHECK(git_blob_id(snapshot / "config.json") == git_blob_id(test::fixture("tiny-bert") / "config.json"));
        auto requests = m.requests();
        CHECK(std::count_if(requests.begin(), requests.end(), [](auto& r) { return r.status == 503; }) >= 5);
    }
    {
        MirrorOptions o;
        o.fail_rate = 1.0;
        Mirror m(o);
        TempDir cache;
        HubClient client(client_options(m.url(), cache.path()));
        std::string message;
        CHECK(pull_error(client, "fixtures/tiny-bert", "main", &message) == HubErrorCode::server_error);
        CHECK(message.find("503") != std::string::npos);
        CHECK(message.find("after 5 retries") != std::string::npos);
        CHECK(m.requests().size() == 6);  // one try and five retries
    }
}

TEST_CASE("sha mismatch is rejected with nothing left in snapshots") {
    MirrorOptions o;
    o.corrupt = true;
    Mirror m(o);
    TempDir cache;
    HubClient client(client_options(m.url(), cache.path()));
    const fs::path repo = cache.path() / "models--fixtures--tiny-gpt2";
    PullOptions one = quiet_pull();
    one.include = {"model.safetensors"};
    try {
        client.pull("fixtures/tiny-gpt2", "main", one);
        FAIL("expected a sha256 mismatch");
    } catch (const HubError& e) {
        CHECK(e.code() == HubErrorCode::integrity);
        std::string message = e.what();
        CHECK(message.find("fixtures/tiny-gpt2/model.safetensors: sha256 mismatch") == 0);
        CHECK(message.find(sha256sum(test::fixture("tiny-gpt2") / "model.safetensors")) != std::string::npos);
        CHECK(message.find('\n') == std::string::npos);
    }
    CHECK(files_under(repo / "snapshots").empty());
    CHECK(files_under(repo / "blobs").empty());  // the bad download is deleted, not kept for resume
    CHECK_FALSE(fs::exists(repo / "refs" / "main"));
    // The whole repo, in parallel: the first mismatch stops the pull and no snapshot entry appears.
    std::string message;
    CHECK(pull_error(client, "fixtures/tiny-gpt2", "main", &message) == HubErrorCode::integrity);
    CHECK(message.find("mismatch") != std::string::npos);
    CHECK(files_under(repo / "snapshots").empty());
    CHECK_FALSE(fs::exists(repo / "refs" / "main"));
}

TEST_CASE("the token reaches the hub but never the cdn host") {
    Mirror m;
    TempDir cache;
    auto options = client_options(m.url(), cache.path());
    options.token = "hf_secret_token";
    HubClient client(options);
    client.pull("fixtures/tiny-llama", "main", quiet_pull());
    auto cdn = m.requests("/cdn/");
    CHECK(cdn.size() == 6);  // six LFS shards through the CDN host name
    for (auto& r : cdn) {
        CHECK(r.host.rfind("localhost:", 0) == 0);
        CHECK_FALSE(r.authorization);
    }
    auto api = m.requests("/api/models/");
    REQUIRE_FALSE(api.empty());
    for (auto& r : api) CHECK(r.authorization);
    auto resolves = m.requests("/fixtures/tiny-llama/resolve/");
    REQUIRE_FALSE(resolves.empty());
    for (auto& r : resolves) CHECK(r.authorization);
}

TEST_CASE("every hub error code maps to a one line message") {
    TempDir root;
    copy_fixtures(root.path(), {"tiny-gpt2", "tiny-bert", "tiny-roberta"});
    write_text(root.path() / "fixtures" / "tiny-bert" / ".hubbench.json", R"({"gated": "manual", "authorized_tokens": ["good"]})");
    write_text(root.path() / "fixtures" / "tiny-roberta" / ".hubbench.json", R"({"private": true, "authorized_tokens": ["good"]})");
    MirrorOptions o;
    o.root = root.path();
    o.tokens = {"good", "other"};
    Mirror m(o);
    TempDir cache;
    auto with = [&](std::optional<std::string> token) {
        auto options = client_options(m.url(), cache.path());
        options.token = std::move(token);
        return options;
    };
    HubClient anon(with(std::nullopt)), good(with("good")), other(with("other")), bad(with("forged"));
    std::string msg;

    CHECK(pull_error(anon, "fixtures/nope", "main", &msg) == HubErrorCode::repo_not_found);
    CHECK(msg.find("fixtures/nope not found") != std::string::npos);
    CHECK(pull_error(other, "fixtures/nope", "main") == HubErrorCode::repo_not_found);
    CHECK(pull_error(anon, "fixtures/tiny-roberta", "main") == HubErrorCode::repo_not_found);  // private looks missing
    CHECK(good.pull("fixtures/tiny-roberta", "main", quiet_pull()) != fs::path());

    CHECK(pull_error(anon, "fixtures/tiny-bert", "main", &msg) == HubErrorCode::gated_repo);
    CHECK(msg == "fixtures/tiny-bert is gated: accept its licence on the Hub and set HF_TOKEN");
    CHECK(pull_error(other, "fixtures/tiny-bert", "main", &msg) == HubErrorCode::gated_repo);
    CHECK(msg.find("has not been granted access") != std::string::npos);
    CHECK(good.pull("fixtures/tiny-bert", "main", quiet_pull()) != fs::path());

    CHECK(pull_error(anon, "fixtures/tiny-gpt2", "v2", &msg) == HubErrorCode::revision_not_found);
    CHECK(msg == "revision 'v2' not found in fixtures/tiny-gpt2");

    try {
        anon.download_file("fixtures/tiny-gpt2", "missing.json", "main");
        FAIL("expected EntryNotFound");
    } catch (const HubError& e) {
        CHECK(e.code() == HubErrorCode::entry_not_found);
        CHECK(std::string(e.what()) == "file 'missing.json' not found in fixtures/tiny-gpt2 at revision main");
        CHECK(e.kind() == ErrorKind::not_found);
    }
    // The 404 is remembered in .no_exist, as hf_hub_download does.
    std::string commit = slurp(cache.path() / "models--fixtures--tiny-gpt2" / "refs" / "main");
    CHECK(fs::exists(cache.path() / "models--fixtures--tiny-gpt2" / ".no_exist" / commit / "missing.json"));

    CHECK(pull_error(bad, "fixtures/tiny-gpt2", "main", &msg) == HubErrorCode::unauthorized);
    CHECK(msg.find("401") != std::string::npos);
    CHECK(msg.find("HF_TOKEN") != std::string::npos);

    write_text(root.path() / "fixtures" / "tiny-gpt2" / ".hubbench.json", R"({"disabled": true})");
    CHECK(pull_error(anon, "fixtures/tiny-gpt2", "main", &msg) == HubErrorCode::forbidden);
    CHECK(msg.find("403") != std::string::npos);
    CHECK(msg.find("disabled") != std::string::npos);
}

TEST_CASE("traversal names are rejected by the client") {
    Mirror m;
    TempDir cache;
    HubClient client(client_options(m.url(), cache.path()));
    CHECK_THROWS_AS(client.pull("../../etc", "main", quiet_pull()), Error);
    CHECK_THROWS_AS(client.pull("fixtures/tiny-gpt2", "../../x", quiet_pull()), Error);
    CHECK_THROWS_AS(client.download_file("fixtures/tiny-gpt2", "../../../etc/passwd", "main"), Error);
    CHECK_THROWS_AS(client.download_file("fixtures/tiny-gpt2", "/etc/passwd", "main"), Error);
    CHECK(m.requests().empty());  // refused before any request

    // A hostile server listing names that would escape the cache.
    httplib::Server evil;
    const std::string commit(40, 'a');
    evil.Get(R"(/api/models/evil/repo/revision/main)", [&](const httplib::Request&, httplib::Response& res) {
        res.set_content(nlohmann::json{{"id", "evil/repo"}, {"sha", commit}}.dump(), "application/json");
    });
    evil.Get(R"(/api/models/evil/repo/tree/.*)", [&](const httplib::Request&, httplib::Response& res) {
        nlohmann::json tree = nlohmann::json::array(
            {{{"type", "file"}, {"path", "../../../../escaped.json"}, {"size", 2}, {"oid", std::string(40, 'b')}}});
        res.set_content(tree.dump(), "application/json");
    });
    int port = evil.bind_to_any_port("127.0.0.1");
    std::thread thread([&] { evil.listen_after_bind(); });
    HubClient victim(client_options("http://127.0.0.1:" + std::to_string(port), cache.path()));
    std::string message;
    PullOptions p = quiet_pull();
    p.include = {"*"};
    try {
        victim.pull("evil/repo", "main", p);
        FAIL("expected a rejection");
    } catch (const HubError& e) {
        CHECK(e.code() == HubErrorCode::bad_response);
        message = e.what();
    }
    evil.stop();
    thread.join();
    CHECK(message.find("unsafe file name") != std::string::npos);
    CHECK_FALSE(fs::exists(cache.path().parent_path() / "escaped.json"));
    CHECK(files_under(cache.path() / "models--evil--repo" / "snapshots").empty());
}

TEST_CASE("include and exclude globs select files") {
    Mirror m;
    TempDir cache;
    HubClient client(client_options(m.url(), cache.path()));
    PullOptions p = quiet_pull();
    p.include = {"*.json"};
    p.exclude = {"tokenizer*"};
    auto snapshot = client.pull("fixtures/tiny-llama", "main", p);
    CHECK(files_under(snapshot) ==
          std::vector<std::string>{"config.json", "generation_config.json", "model.safetensors.index.json"});
    // Partial selection: no tree cache (it would make Python think files are missing).
    std::string commit = snapshot.filename().string();
    CHECK_FALSE(fs::exists(cache.path() / "models--fixtures--tiny-llama" / "trees" / (commit + ".json")));
    // The defaults take what the adapters need and add the rest to the same snapshot.
    auto full = client.pull("fixtures/tiny-llama", "main", quiet_pull());
    CHECK(full == snapshot);
    CHECK(files_under(full).size() == 12);
}

TEST_CASE("download_file fetches one file through the metadata HEAD") {
    Mirror m;
    TempDir cache;
    HubClient client(client_options(m.url(), cache.path()));
    auto meta = client.file_metadata("fixtures/tiny-gpt2", "model.safetensors", "main");
    CHECK(meta.etag == sha256sum(test::fixture("tiny-gpt2") / "model.safetensors"));
    CHECK(meta.size == fs::file_size(test::fixture("tiny-gpt2") / "model.safetensors"));
    CHECK(meta.location.find("/cdn/") != std::string::npos);
    auto path = client.download_file("fixtures/tiny-gpt2", "tokenizer.json", "main");
    CHECK(slurp(path) == slurp(test::fixture("tiny-gpt2") / "tokenizer.json"));
    CHECK(fs::read_symlink(path) == "../../blobs/" + git_blob_id(test::fixture("tiny-gpt2") / "tokenizer.json"));
    // By commit, with the file cached: no request at all.
    m.server.clear_requests();
    CHECK(client.download_file("fixtures/tiny-gpt2", "tokenizer.json", meta.commit) == path);
    CHECK(m.requests().empty());
}

TEST_CASE("pull by commit writes no ref and refs name branches") {
    Mirror m;
    TempDir cache;
    HubClient client(client_options(m.url(), cache.path()));
    auto info = client.model_info("fixtures/tiny-roberta");
    auto snapshot = client.pull("fixtures/tiny-roberta", info.sha, quiet_pull());
    CHECK(snapshot.filename() == info.sha);
    CHECK_FALSE(fs::exists(cache.path() / "models--fixtures--tiny-roberta" / "refs" / "main"));
    CHECK_FALSE(fs::exists(cache.path() / "models--fixtures--tiny-roberta" / "refs" / info.sha));
}
}
