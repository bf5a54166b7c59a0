// HubClient::search against the mirror: the Hub's filters and sorts, Link pagination, and the
// client-side parameter and licence filters.
#include <doctest/doctest.h>

#include <set>

#include "core/fs.hpp"
#include "hub/client.hpp"
#include "hub_test_util.hpp"

using namespace hubbench;
using namespace hubbench::hub;
using namespace hubbench::hubtest;

namespace {

const std::vector<std::string> k_all = {"tiny-bert", "tiny-bert-sentence", "tiny-gpt2", "tiny-llama", "tiny-qwen2", "tiny-roberta"};

// A temp root with every fixture and popularity metadata chosen so that each sort has a known order.
struct SearchMirror {
    SearchMirror() {
        copy_fixtures(root.path(), k_all);
        meta("tiny-gpt2", R"({"downloads": 500, "likes": 3, "lastModified": "2024-01-01T00:00:00.000Z", "trendingScore": 4})");
        meta("tiny-llama", R"({"downloads": 900, "likes": 1, "lastModified": "2025-06-01T00:00:00.000Z", "trendingScore": 1})");
        meta("tiny-qwen2", R"({"downloads": 100, "likes": 7, "lastModified": "2023-03-03T00:00:00.000Z", "trendingScore": 9})");
        meta("tiny-bert", R"({"downloads": 300, "likes": 2, "lastModified": "2022-01-01T00:00:00.000Z", "trendingScore": 2})");
        meta("tiny-bert-sentence", R"({"downloads": 700, "likes": 5, "lastModified": "2021-01-01T00:00:00.000Z", "trendingScore": 3})");
        meta("tiny-roberta", R"({"downloads": 50, "likes": 0, "lastModified": "2020-01-01T00:00:00.000Z", "trendingScore": 0})");
        MirrorOptions o;
        o.root = root.path();
        mirror = std::make_unique<Mirror>(o);
    }
    void meta(const std::string& name, const std::string& json) { write_text(root.path() / "fixtures" / name / ".hubbench.json", json); }
    HubClient client() { return HubClient(client_options(mirror->url(), cache.path())); }
    TempDir root;
    TempDir cache;
    std::unique_ptr<Mirror> mirror;
};

std::vector<std::string> ids(const std::vector<ModelSummary>& models) {
    std::vector<std::string> out;
    for (const auto& m : models) out.push_back(m.id.substr(std::string("fixtures/").size()));
    return out;
}

std::vector<std::string> search_ids(HubClient& client, SearchQuery q) { return ids(client.search(q)); }

}  // namespace

TEST_SUITE("integration") {
TEST_CASE("search filters by task and sorts by downloads") {
    SearchMirror s;
    auto client = s.client();
    SearchQuery q;
    q.pipeline_tag = "text-generation";
    q.sort = SearchSort::downloads;
    auto models = client.search(q);
    CHECK(ids(models) == std::vector<std::string>{"tiny-llama", "tiny-gpt2", "tiny-qwen2"});
    for (const auto& m : models) {
        CHECK(m.pipeline_tag == "text-generation");
        CHECK(m.library_name == "transformers");
        CHECK(m.license == "cc-by-sa-3.0");
        CHECK(m.sha.size() == 40);
        CHECK(std::find(m.tags.begin(), m.tags.end(), "safetensors") != m.tags.end());
    }
    CHECK(models[0].downloads == 900);
    CHECK(models[0].params == fixture_params("tiny-llama"));
    q.pipeline_tag = "fill-mask";
    CHECK(search_ids(client, q) == std::vector<std::string>{"tiny-bert", "tiny-roberta"});
}

TEST_CASE("search sorts by likes and lastModified and trending") {
    SearchMirror s;
    auto client = s.client();
    SearchQuery q;
    q.sort = SearchSort::likes;
    CHECK(search_ids(client, q) ==
          std::vector<std::string>{"tiny-qwen2", "tiny-bert-sentence", "tiny-gpt2", "tiny-bert", "tiny-llama", "tiny-roberta"});
    q.sort = SearchSort::last_modified;
    CHECK(search_ids(client, q) ==
          std::vector<std::string>{"tiny-llama", "tiny-gpt2", "tiny-qwen2", "tiny-bert", "tiny-bert-sentence", "tiny-roberta"});
    q.sort = SearchSort::trending;
    CHECK(search_ids(client, q) ==
          std::vector<std::string>{"tiny-qwen2", "tiny-gpt2", "tiny-bert-sentence", "tiny-bert", "tiny-llama", "tiny-roberta"});
}

TEST_CASE("search follows link pagination") {
    SearchMirror s;
    auto client = s.client();
    SearchQuery one_page;
    one_page.sort = SearchSort::downloads;
    one_page.limit = 5;
    auto expected = search_ids(client, one_page);
    CHECK(expected.size() == 5);
    s.mirror->server.clear_requests();
    SearchQuery paged = one_page;
    paged.page_size = 2;
    CHECK(search_ids(client, paged) == expected);
    auto requests = s.mirror->requests("/api/models?");
    REQUIRE(requests.size() == 3);  // pages of 2, 2 and 1 (the client stops at its limit)
    CHECK(requests[1].target.find("cursor=2") != std::string::npos);
    CHECK(requests[2].target.find("cursor=4") != std::string::npos);
    CHECK(requests[2].target.find("sort=downloads") != std::string::npos);  // the Link keeps every parameter
    // All pages when the limit exceeds the results.
    paged.limit = 100;
    CHECK(search_ids(client, paged).size() == 6);
}

TEST_CASE("search filters by parameter count") {
    SearchMirror s;
    auto client = s.client();
    std::map<std::string, std::uint64_t> params;
    for (const auto& n : k_all) params[n] = fixture_params(n);
    std::uint64_t lo = params["tiny-qwen2"];   // bounds taken from the fixtures themselves
    std::uint64_t hi = params["tiny-gpt2"];
    std::set<std::string> expected;
    for (const auto& [n, p] : params) {
        if (p >= lo && p <= hi) expected.insert(n);
    }
    REQUIRE(expected.size() >= 2);
    REQUIRE(expected.size() < k_all.size());
    SearchQuery q;
    q.min_params = lo;
    q.max_params = hi;
    auto got = client.search(q);
    std::set<std::string> got_ids;
    for (const auto& m : got) {
        got_ids.insert(m.id.substr(9));
        CHECK(m.params == params[m.id.substr(9)]);
    }
    CHECK(got_ids == expected);
}

TEST_CASE("search reads safetensors headers when the server gives no parameter counts") {
    SearchMirror s;
    s.meta("tiny-llama", R"({"downloads": 900, "safetensors": false})");
    s.meta("tiny-gpt2", R"({"downloads": 500, "safetensors": false})");
    auto client = s.client();
    SearchQuery q;
    q.pipeline_tag = "text-generation";
    q.max_params = 1'000'000'000;
    auto models = client.search(q);
    REQUIRE(models.size() == 3);
    for (const auto& m : models) CHECK(m.params == fixture_params(m.id.substr(9)));
    // The sharded repo was counted from its six shards' headers, fetched with Range requests.
    auto ranged = s.mirror->requests("/cdn/fixtures%2Ftiny-llama/");
    CHECK(ranged.size() == 6);
    for (const auto& r : ranged) CHECK(r.range == "bytes=0-100000");
    auto index = test::read_json(test::fixture("tiny-llama") / "model.safetensors.index.json");
    CHECK(client.count_parameters("fixtures/tiny-llama", "main").value().at("F32") == index["metadata"]["total_parameters"]);
}

TEST_CASE("search by library tag author and query") {
    SearchMirror s;
    auto client = s.client();
    SearchQuery q;
    q.library = "sentence-transformers";
    CHECK(search_ids(client, q) == std::vector<std::string>{"tiny-bert-sentence"});
    q = {};
    q.tags = {"sharded"};
    CHECK(search_ids(client, q) == std::vector<std::string>{"tiny-llama"});
    q.tags = {"base_model:fixtures/tiny-bert"};
    CHECK(search_ids(client, q) == std::vector<std::string>{"tiny-bert-sentence"});
    q.tags = {"causal-lm", "llama"};
    CHECK(search_ids(client, q) == std::vector<std::string>{"tiny-llama"});
    q = {};
    q.search = "BERT";
    CHECK(search_ids(client, q) == std::vector<std::string>{"tiny-bert", "tiny-bert-sentence", "tiny-roberta"});
    q = {};
    q.author = "fixtures";
    CHECK(search_ids(client, q).size() == 6);
    q.author = "someone-else";
    CHECK(search_ids(client, q).empty());
}

TEST_CASE("search by license is case insensitive") {
    SearchMirror s;
    auto readme = slurp(s.root.path() / "fixtures" / "tiny-roberta" / "README.md");
    readme.replace(readme.find("license: cc-by-sa-3.0"), 21, "license: mit");
    write_text(s.root.path() / "fixtures" / "tiny-roberta" / "README.md", readme);
    auto client = s.client();
    SearchQuery q;
    q.license = "MIT";
    auto models = client.search(q);
    CHECK(ids(models) == std::vector<std::string>{"tiny-roberta"});
    CHECK(models[0].license == "mit");
    q.license = "CC-BY-SA-3.0";
    CHECK(client.search(q).size() == 5);
}

TEST_CASE("search results serialise to the documented json keys") {
    SearchMirror s;
    auto client = s.client();
    SearchQuery q;
    q.search = "tiny-gpt2";
    auto models = client.search(q);
    REQUIRE(models.size() == 1);
    auto j = summary_to_json(models[0]);
    std::set<std::string> keys;
    for (auto& [k, v] : j.items()) keys.insert(k);
    CHECK(keys == std::set<std::string>{"id", "sha", "pipeline_tag", "library_name", "downloads", "likes", "params", "license", "tags"});
    CHECK(j["params"] == fixture_params("tiny-gpt2"));
    CHECK(j["downloads"] == 500);
}
}
