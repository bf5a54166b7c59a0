// The mirror over real HTTP, checked with the curl command-line tool (an independent client).
#include <doctest/doctest.h>

#include <regex>

#include "core/fs.hpp"
#include "hub/mirror.hpp"
#include "hub_test_util.hpp"

using namespace hubbench;
using namespace hubbench::hubtest;

namespace {

struct Curl {
    int exit_code = 0;
    std::string headers;
    std::string body;
    int status() const {
        // The last status line (after redirects, if followed).
        std::smatch m;
        std::string h = headers;
        int s = 0;
        std::regex re(R"(HTTP/1\.[01] (\d{3}))");
        for (auto it = std::sregex_iterator(h.begin(), h.end(), re); it != std::sregex_iterator(); ++it) s = std::stoi((*it)[1]);
        return s;
    }
    std::string header(const std::string& name) const {
        std::regex re("(^|\n)" + name + ": ([^\r\n]*)", std::regex::icase);
        std::smatch m;
        return std::regex_search(headers, m, re) ? m[2].str() : "";
    }
};

Curl curl(std::vector<std::string> args) {
    TempDir tmp("hubbench-curl");
    std::vector<std::string> argv = {"/usr/bin/curl", "-sS", "-D", (tmp.path() / "h").string(), "-o", (tmp.path() / "b").string()};
    argv.insert(argv.end(), args.begin(), args.end());
    auto r = test::run_process(argv);
    Curl c;
    c.exit_code = r.exit_code;
    c.headers = slurp(tmp.path() / "h");
    c.body = slurp(tmp.path() / "b");
    return c;
}

}  // namespace

TEST_SUITE("integration") {
TEST_CASE("mirror model info lists siblings with blob ids and safetensors counts") {
    Mirror m;
    auto r = curl({m.url() + "/api/models/fixtures/tiny-gpt2?blobs=true"});
    REQUIRE(r.status() == 200);
    auto j = nlohmann::json::parse(r.body);
    CHECK(j["id"] == "fixtures/tiny-gpt2");
    CHECK(j["pipeline_tag"] == "text-generation");
    CHECK(j["library_name"] == "transformers");
    CHECK(j["sha"].get<std::string>().size() == 40);
    auto dir = test::fixture("tiny-gpt2");
    std::map<std::string, nlohmann::json> siblings;
    for (auto& s : j["siblings"]) siblings[s["rfilename"]] = s;
    CHECK(siblings.size() == 6);
    CHECK(siblings["config.json"]["blobId"] == git_blob_id(dir / "config.json"));
    CHECK(siblings["config.json"]["size"] == fs::file_size(dir / "config.json"));
    CHECK_FALSE(siblings["config.json"].contains("lfs"));
    auto& lfs = siblings["model.safetensors"]["lfs"];
    CHECK(lfs["sha256"] == sha256sum(dir / "model.safetensors"));
    CHECK(lfs["size"] == fs::file_size(dir / "model.safetensors"));
    CHECK(j["safetensors"]["total"] == count_params(dir / "model.safetensors"));
    CHECK(j["safetensors"]["parameters"]["F32"] == count_params(dir / "model.safetensors"));

    // Sharded: the index's own metadata gives the total.
    auto llama = nlohmann::json::parse(curl({m.url() + "/api/models/fixtures/tiny-llama/revision/main"}).body);
    auto index = test::read_json(test::fixture("tiny-llama") / "model.safetensors.index.json");
    CHECK(llama["safetensors"]["total"] == index["metadata"]["total_parameters"]);
    // bfloat16 weights are counted under their dtype.
    auto qwen = nlohmann::json::parse(curl({m.url() + "/api/models/fixtures/tiny-qwen2"}).body);
    CHECK(qwen["safetensors"]["parameters"].contains("BF16"));
    CHECK(qwen["safetensors"]["total"] == count_params(test::fixture("tiny-qwen2") / "model.safetensors"));
}

TEST_CASE("mirror commits are stable and revisions resolve") {
    Mirror m;
    auto a = nlohmann::json::parse(curl({m.url() + "/api/models/fixtures/tiny-bert"}).body);
    auto b = nlohmann::json::parse(curl({m.url() + "/api/models/fixtures/tiny-bert/revision/main"}).body);
    CHECK(a["sha"] == b["sha"]);
    std::string sha = a["sha"];
    auto c = nlohmann::json::parse(curl({m.url() + "/api/models/fixtures/tiny-bert/revision/" + sha}).body);
    CHECK(c["sha"] == sha);
    auto missing = curl({m.url() + "/api/models/fixtures/tiny-bert/revision/v9"});
    CHECK(missing.status() == 404);
    CHECK(missing.header("X-Error-Code") == "RevisionNotFound");
}

TEST_CASE("mirror resolve redirects small files relatively and large files to the cdn host") {
    Mirror m;
    auto dir = test::fixture("tiny-gpt2");
    auto small = curl({"-I", m.url() + "/fixtures/tiny-gpt2/resolve/main/config.json"});
    CHECK(small.status() == 307);
    CHECK(small.header("Location").rfind("/api/resolve-cache/", 0) == 0);
    CHECK(small.header("X-Linked-Etag") == "\"" + git_blob_id(dir / "config.json") + "\"");
    CHECK(small.header("ETag") == "\"" + git_blob_id(dir / "config.json") + "\"");
    CHECK(small.header("X-Repo-Commit").size() == 40);

    auto large = curl({"-I", m.url() + "/fixtures/tiny-gpt2/resolve/main/model.safetensors"});
    CHECK(large.status() == 302);
    std::string location = large.header("Location");
    CHECK(location.rfind("http://localhost:" + std::to_string(m.server.port()) + "/cdn/", 0) == 0);
    CHECK(large.header("X-Linked-Etag") == "\"" + sha256sum(dir / "model.safetensors") + "\"");
    CHECK(large.header("X-Linked-Size") == std::to_string(fs::file_size(dir / "model.safetensors")));

    // Following the redirects gives the bytes themselves.
    TempDir tmp;
    auto got = test::run_process({"/usr/bin/curl", "-sSfL", "-o", (tmp.path() / "m").string(),
                                  m.url() + "/fixtures/tiny-gpt2/resolve/main/model.safetensors"});
    CHECK(got.exit_code == 0);
    CHECK(sha256sum(tmp.path() / "m") == sha256sum(dir / "model.safetensors"));

    auto none = curl({"-I", m.url() + "/fixtures/tiny-gpt2/resolve/main/nope.json"});
    CHECK(none.status() == 404);
    CHECK(none.header("X-Error-Code") == "EntryNotFound");
    CHECK(none.header("X-Repo-Commit") == small.header("X-Repo-Commit"));
}

TEST_CASE("mirror serves byte ranges with 206 and 416") {
    Mirror m;
    auto file = test::fixture("tiny-gpt2") / "tokenizer.json";
    std::string bytes = slurp(file);
    std::string url = m.url() + "/fixtures/tiny-gpt2/resolve/main/tokenizer.json";
    auto part = curl({"-L", "-r", "10-19", url});
    CHECK(part.status() == 206);
    CHECK(part.body == bytes.substr(10, 10));
    CHECK(part.header("Content-Range") == "bytes 10-19/" + std::to_string(bytes.size()));
    auto tail = curl({"-L", "-H", "Range: bytes=100-", url});
    CHECK(tail.status() == 206);
    CHECK(tail.body == bytes.substr(100));
    auto suffix = curl({"-L", "-H", "Range: bytes=-5", url});
    CHECK(suffix.body == bytes.substr(bytes.size() - 5));
    auto beyond = curl({"-L", "-H", "Range: bytes=" + std::to_string(bytes.size()) + "-", url});
    CHECK(beyond.status() == 416);
    CHECK(beyond.header("Content-Range") == "bytes */" + std::to_string(bytes.size()));
}

TEST_CASE("mirror rejects traversal paths") {
    Mirror m;
    for (const std::string path : {"/fixtures/tiny-gpt2/resolve/main/../../../../etc/passwd",
                                   "/fixtures/tiny-gpt2/resolve/main/%2e%2e/%2e%2e/README.md",
                                   "/fixtures/tiny-gpt2/resolve/main/..%2F..%2Ftiny-bert%2Fconfig.json",
                                   "/api/models/fixtures/..%2F..%2Fetc",
                                   "/api/resolve-cache/models/..%2F..%2Fetc/x/passwd",
                                   "/fixtures/tiny-gpt2/resolve/..%2F..%2F/config.json"}) {
        auto r = curl({"--path-as-is", m.url() + path});
        CHECK_MESSAGE((r.status() == 400 || r.status() == 404), path);
        CHECK_MESSAGE(r.body.find("root:") == std::string::npos, path);
        CHECK_MESSAGE(r.body.find("model_type") == std::string::npos, path);
    }
}

TEST_CASE("mirror cdn refuses an authorization header and unsigned urls") {
    Mirror m;
    auto large = curl({"-I", m.url() + "/fixtures/tiny-gpt2/resolve/main/model.safetensors"});
    std::string cdn = large.header("Location");
    auto with_token = curl({"-H", "Authorization: Bearer secret", cdn});
    CHECK(with_token.status() == 400);
    auto without = curl({cdn});
    CHECK(without.status() == 200);
    CHECK(without.body.size() == fs::file_size(test::fixture("tiny-gpt2") / "model.safetensors"));
    auto forged = curl({std::regex_replace(cdn, std::regex("Signature=[0-9a-f]+"), "Signature=00")});
    CHECK(forged.status() == 403);
}

TEST_CASE("mirror tree listing paginates with absolute link urls") {
    hub::MirrorOptions o;
    o.tree_page_size = 3;
    Mirror m(o);
    std::vector<std::string> paths;
    std::string url = m.url() + "/api/models/fixtures/tiny-bert-sentence/tree/main?recursive=true&expand=false";
    int pages = 0;
    while (!url.empty() && pages < 20) {
        auto r = curl({url});
        REQUIRE(r.status() == 200);
        for (auto& e : nlohmann::json::parse(r.body)) paths.push_back(e["type"].get<std::string>() + ":" + e["path"].get<std::string>());
        std::smatch mm;
        std::string link = r.header("Link");
        url = std::regex_search(link, mm, std::regex("<([^>]+)>; rel=\"next\"")) ? mm[1].str() : "";
        if (!url.empty()) CHECK(url.rfind(m.url(), 0) == 0);
        ++pages;
    }
    CHECK(pages == 3);  // 8 files + 1 directory, 3 per page
    CHECK(paths.size() == 9);
    CHECK(std::count(paths.begin(), paths.end(), "directory:1_Pooling") == 1);
    CHECK(std::count(paths.begin(), paths.end(), "file:1_Pooling/config.json") == 1);
    auto sub = nlohmann::json::parse(curl({m.url() + "/api/models/fixtures/tiny-bert-sentence/tree/main/1_Pooling"}).body);
    REQUIRE(sub.size() == 1);
    CHECK(sub[0]["path"] == "1_Pooling/config.json");
    auto missing = curl({m.url() + "/api/models/fixtures/tiny-bert-sentence/tree/main/nope"});
    CHECK(missing.status() == 404);
    CHECK(missing.header("X-Error-Code") == "EntryNotFound");
}

TEST_CASE("mirror answers unknown repos with RepoNotFound") {
    Mirror m;
    auto anon = curl({m.url() + "/api/models/fixtures/nope"});
    CHECK(anon.status() == 401);
    CHECK(anon.header("X-Error-Code") == "RepoNotFound");
    auto authed = curl({"-H", "Authorization: Bearer t", m.url() + "/api/models/fixtures/nope"});
    CHECK(authed.status() == 404);
    CHECK(authed.header("X-Error-Code") == "RepoNotFound");
}

TEST_CASE("mirror paths-info answers form and json bodies as the official clients send them") {
    Mirror m;
    const std::string url = m.url() + "/api/models/fixtures/tiny-bert-sentence/paths-info/main";
    // huggingface_hub's get_paths_info: a form, paths repeated; absent paths are left out.
    auto form = curl({"-X", "POST", "--data", "paths=config.json&paths=1_Pooling&paths=nope.txt&paths=model.safetensors&expand=false",
                      url});
    REQUIRE(form.status() == 200);
    auto entries = nlohmann::json::parse(form.body);
    REQUIRE(entries.size() == 3);
    CHECK(entries[0]["path"] == "config.json");
    CHECK(entries[0]["type"] == "file");
    CHECK(entries[0]["oid"] == git_blob_id(test::fixture("tiny-bert-sentence") / "config.json"));
    CHECK(entries[1]["path"] == "1_Pooling");
    CHECK(entries[1]["type"] == "directory");
    CHECK(entries[2]["lfs"]["oid"] == sha256sum(test::fixture("tiny-bert-sentence") / "model.safetensors"));
    CHECK_FALSE(entries[0].contains("lastCommit"));
    // @huggingface/hub's pathsInfo: JSON, expand true adds the last commit (the repo's only one).
    auto json = curl({"-X", "POST", "-H", "Content-Type: application/json", "--data",
                      R"({"paths": ["1_Pooling/config.json"], "expand": true})", url});
    REQUIRE(json.status() == 200);
    auto expanded = nlohmann::json::parse(json.body);
    REQUIRE(expanded.size() == 1);
    CHECK(expanded[0]["lastCommit"]["id"] == json.header("X-Repo-Commit"));
    CHECK(expanded[0]["securityFileStatus"]["status"] == "unscanned");
    auto bad = curl({"-X", "POST", "-H", "Content-Type: application/json", "--data", "{nope", url});
    CHECK(bad.status() == 400);
    CHECK(curl({"-X", "POST", "--data", "paths=config.json", m.url() + "/api/models/fixtures/nope/paths-info/main"}).status() == 401);
}

TEST_CASE("a POST the mirror does not serve is refused without spoiling the keep-alive connection") {
    Mirror m;
    TempDir tmp("hubbench-curl");
    // One curl, one connection: the 405's request body must have been read for the GET after it
    // to parse (it used to be taken for the next request line: 400).
    auto r = test::run_process({"/usr/bin/curl", "-sS", "-o", "/dev/null", "-w", "%{http_code} %{num_connects}\n", "-X", "POST",
                                "--data", std::string(2000, 'x'), m.url() + "/api/models/fixtures/tiny-bert-sentence", "--next",
                                "-sS", "-o", "/dev/null", "-w", "%{http_code} %{num_connects}\n",
                                m.url() + "/api/models/fixtures/tiny-bert-sentence"});
    REQUIRE(r.exit_code == 0);
    CHECK(r.out == "405 1\n200 0\n");  // the second request reused the first one's connection
}
}
