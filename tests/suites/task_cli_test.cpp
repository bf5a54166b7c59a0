// The task suites as a user runs them: `hubbench eval --task classification | multiple-choice |
// retrieval` on the fixtures, predictions files, Korean data through every method, and every bad
// input answered with one line and exit 2 before or instead of a wrong number.
#include <doctest/doctest.h>

#include <fstream>
#include <sstream>

#include "core/fs.hpp"
#include "tests/support/support.hpp"

using namespace hubbench;
using nlohmann::json;

namespace {

test::ProcessResult eval(const std::vector<std::string>& args) {
    std::vector<std::string> all{"eval", "-q", "--threads", "1"};
    all.insert(all.end(), args.begin(), args.end());
    return test::run_hubbench(all);
}

json eval_json(const std::vector<std::string>& args) {
    std::vector<std::string> all = args;
    all.insert(all.end(), {"--format", "json"});
    auto r = eval(all);
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    auto j = json::parse(r.out);
    return j.is_array() ? j : json::array({j});
}

std::vector<json> read_lines(const fs::path& file) {
    std::vector<json> lines;
    std::ifstream in(file);
    std::string line;
    while (std::getline(in, line)) lines.push_back(json::parse(line));
    return lines;
}

// The reference's SST-2 items as a TSV a user would have: header, sentence, label.
fs::path sst2_file(const fs::path& dir, const json& texts, const json& labels) {
    std::string tsv = "sentence\tlabel\n";
    for (std::size_t i = 0; i < texts.size(); ++i) tsv += texts[i].get<std::string>() + "\t" + labels[i].get<std::string>() + "\n";
    write_file_atomic(dir / "sst2.tsv", tsv);
    return dir / "sst2.tsv";
}

}  // namespace

TEST_SUITE("integration") {
TEST_CASE("classification probe and knn through eval give scikit-learn's predictions") {
    TempDir dir;
    const auto ref = test::read_json(test::reference("tasks/tiny-bert-sentence.json"))["sst2"];
    const auto data = sst2_file(dir.path(), ref["texts"], ref["labels"]);
    const auto predictions = dir.path() / "p.jsonl";
    auto out = eval_json({"--model", test::fixture("tiny-bert-sentence").string(), "--task", "classification", "--dataset",
                          data.string(), "--method", "probe,knn", "--predictions", predictions.string()});
    REQUIRE(out.size() == 2);
    CHECK(out[0]["params"]["method"] == "probe");
    CHECK(out[1]["params"]["method"] == "knn");
    for (const auto& r : out) {
        CHECK(r["metrics"]["n_items"] == 200);
        CHECK(r["metrics"]["accuracy_stderr"].get<double>() > 0.0);
        CHECK(r["metrics"]["macro_f1"].get<double>() > 0.0);
    }
    const auto lines = read_lines(predictions);
    REQUIRE(lines.size() == 400);  // probe's 200 lines, then knn's
    // The contract's keys, in order, then the method.
    std::vector<std::string> keys;
    for (const auto& [k, v] : lines[0].items()) keys.push_back(k);
    CHECK(keys == std::vector<std::string>{"gold", "index", "method", "prediction", "scores"});  // json sorts on parse
    CHECK(lines[0]["scores"].contains("0"));
    std::size_t compared = 0, agree = 0;
    for (std::size_t i = 0; i < 200; ++i) {
        CHECK(lines[i]["index"] == i);
        CHECK(lines[i]["gold"] == ref["labels"][i]);
        if (std::abs(ref["probe"]["decision"][i].get<double>()) < 1e-3) continue;  // on the boundary
        ++compared;
        agree += lines[i]["prediction"] == ref["probe"]["predictions"][i];
    }
    CHECK(compared >= 180);
    CHECK(agree == compared);
    // knn: the reference's predictions where its vote was not decided by a near-tie of cosines.
    std::size_t knn_compared = 0, knn_agree = 0;
    for (std::size_t i = 0; i < 200; ++i) {
        if (ref["knn"]["boundary_gap"][i].get<double>() < 1e-4) continue;
        ++knn_compared;
        knn_agree += lines[200 + i]["prediction"] == ref["knn"]["predictions"][i];
    }
    CHECK(knn_compared >= 150);
    CHECK(knn_agree == knn_compared);
}

TEST_CASE("classification by likelihood through eval gives the reference predictions") {
    TempDir dir;
    const auto ref = test::read_json(test::reference("tasks/tiny-gpt2.json"))["likelihood"];
    json texts = json::array(), labels = json::array();
    for (const auto& item : ref["items"]) {
        texts.push_back(item["text"]);
        labels.push_back(item["gold"]);
    }
    const auto data = sst2_file(dir.path(), texts, labels);
    const auto predictions = dir.path() / "p.jsonl";
    auto out = eval_json({"--model", test::fixture("tiny-gpt2").string(), "--task", "classification", "--dataset", data.string(),
                          "--method", "likelihood", "--template", ref["template"], "--verbalizers", ref["verbalizers"].dump(),
                          "--predictions", predictions.string()});
    REQUIRE(out.size() == 1);
    CHECK(out[0]["metrics"]["accuracy"].get<double>() == doctest::Approx(ref["accuracy"].get<double>()));
    CHECK(out[0]["metrics"].contains("accuracy_norm"));
    const auto lines = read_lines(predictions);
    REQUIRE(lines.size() == ref["items"].size());
    for (std::size_t i = 0; i < lines.size(); ++i) {
        const auto& item = ref["items"][i];
        CHECK(lines[i]["prediction"] == item["prediction"]);
        for (const auto& s : item["scores"]) {
            CHECK(lines[i]["scores"][s["label"].get<std::string>()].get<double>() == doctest::Approx(s["loglik"].get<double>()).epsilon(1e-5));
        }
    }
}

TEST_CASE("multiple choice through eval scores the CommonsenseQA layout as the references do") {
    TempDir dir;
    const auto ref = test::read_json(test::reference("tasks/tiny-llama.json"))["multiple_choice_stem"];
    // The same items in the plain layout {"context", "choices", "label"}.
    std::string jsonl;
    for (const auto& item : ref["items"]) jsonl += json{{"context", item["context"]}, {"choices", item["choices"]}, {"label", item["gold"]}}.dump() + "\n";
    write_file_atomic(dir.path() / "mc.jsonl", jsonl);
    const auto predictions = dir.path() / "p.jsonl";
    auto out = eval_json({"--model", test::fixture("tiny-llama").string(), "--task", "multiple-choice", "--dataset",
                          (dir.path() / "mc.jsonl").string(), "--predictions", predictions.string()});
    CHECK(out[0]["metrics"]["accuracy"].get<double>() == doctest::Approx(ref["accuracy"].get<double>()));
    CHECK(out[0]["metrics"]["accuracy_norm"].get<double>() == doctest::Approx(ref["accuracy_norm"].get<double>()));
    CHECK(out[0]["metrics"]["accuracy_stderr"].get<double>() > 0.0);
    const auto lines = read_lines(predictions);
    REQUIRE(lines.size() == ref["items"].size());
    CHECK(lines[3]["index"] == 3);
    CHECK(lines[3]["gold"] == ref["items"][3]["gold"]);
    REQUIRE(lines[3]["scores"].size() == 5);
    CHECK(lines[3]["scores"][1].get<double>() == doctest::Approx(ref["items"][3]["scores"][1]["loglik"].get<double>()).epsilon(1e-5));
}

TEST_CASE("Korean labelled data round-trips through every classification method") {
    TempDir dir;
    const auto data = test::source_dir() / "tests/suites/data/ko_sentiment.jsonl";
    const std::vector<std::string> common{"--task", "classification", "--dataset", data.string(), "--text-column", "문장",
                                          "--label-column", "감정", "--folds", "3", "--template", "{text} 한마디로 {mask}.",
                                          "--verbalizers", R"({"긍정":" 좋다","부정":" 싫다"})"};
    struct Case {
        const char* model;
        const char* method;
    };
    for (const Case c : {Case{"tiny-bert-sentence", "probe"}, Case{"tiny-bert-sentence", "knn"}, Case{"tiny-gpt2", "likelihood"},
                         Case{"tiny-roberta", "cloze"}}) {
        CAPTURE(c.method);
        const auto predictions = dir.path() / (std::string(c.method) + ".jsonl");
        std::vector<std::string> args{"--model", test::fixture(c.model).string(), "--method", c.method, "--predictions", predictions.string()};
        args.insert(args.end(), common.begin(), common.end());
        auto out = eval_json(args);
        CHECK(out[0]["metrics"]["n_items"] == 12);
        const auto lines = read_lines(predictions);
        REQUIRE(lines.size() == 12);
        CHECK(lines[0]["gold"] == "긍정");
        CHECK(lines[11]["gold"] == "부정");
        CHECK((lines[5]["prediction"] == "긍정" || lines[5]["prediction"] == "부정"));
        CHECK(lines[5]["scores"].contains("부정"));
    }
}

TEST_CASE("retrieval through eval scores a BEIR folder") {
    TempDir dir;
    fs::create_directories(dir.path() / "set/qrels");
    // Three documents, two queries; each query's paraphrase is relevant.
    write_file_atomic(dir.path() / "set/corpus.jsonl", R"({"_id":"d1","title":"","text":"a man is playing a guitar"}
{"_id":"d2","title":"","text":"a woman is slicing an onion"}
{"_id":"d3","title":"","text":"the cat sleeps on the sofa"}
)");
    write_file_atomic(dir.path() / "set/queries.jsonl", R"({"_id":"q1","text":"a man plays the guitar"}
{"_id":"q2","text":"a woman cuts an onion"}
)");
    write_file_atomic(dir.path() / "set/qrels/test.tsv", "query-id\tcorpus-id\tscore\nq1\td1\t1\nq2\td2\t1\n");
    auto out = eval_json({"--model", test::fixture("tiny-bert-sentence").string(), "--task", "retrieval", "--dataset",
                          (dir.path() / "set").string()});
    const auto& m = out[0]["metrics"];
    CHECK(m["n_queries"] == 2);
    CHECK(m["n_documents"] == 3);
    CHECK(m["recall_at_100"] == 1.0);  // every document is retrieved from a corpus of three
    CHECK(m["ndcg_at_10"].get<double>() > 0.5);
    CHECK(m["mrr_at_10"].get<double>() >= 0.5);
    CHECK(out[0]["params"]["search"] == "exact");
}

TEST_CASE("bad task input is one line naming what to fix and exit 2") {
    TempDir dir;
    const auto gpt2 = test::fixture("tiny-gpt2").string();
    const auto bert = test::fixture("tiny-bert-sentence").string();
    auto file = [&](const std::string& name, const std::string& contents) {
        write_file_atomic(dir.path() / name, contents);
        return (dir.path() / name).string();
    };
    auto expect = [&](const std::vector<std::string>& args, const std::string& message) {
        auto r = eval(args);
        CAPTURE(message);
        CHECK(r.exit_code == 2);
        CHECK(r.err.find(message) != std::string::npos);
        CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);  // one line
        CHECK(r.out.empty());
    };
    const auto two_labels = file("two.tsv", "text\tlabel\na\t0\nb\t1\nc\t0\nd\t1\ne\t0\nf\t1\n");
    expect({"--model", bert, "--task", "classification", "--dataset", two_labels, "--label-column", "gold"},
           "two.tsv: no column 'gold' (columns: text, label)");
    expect({"--model", bert, "--task", "classification", "--dataset", two_labels},
           "label '0' has 3 examples, fewer than --folds 5");
    expect({"--model", gpt2, "--task", "classification", "--dataset", two_labels, "--folds", "3", "--method", "likelihood",
            "--template", "Review: {text}", "--verbalizers", R"({"0":" bad","1":" good","2":" meh"})"},
           "a verbalizer for label '2', which two.tsv does not have (labels: 0, 1)");
    expect({"--model", gpt2, "--task", "classification", "--dataset", two_labels, "--folds", "3", "--method", "likelihood",
            "--template", "Review:", "--verbalizers", R"({"0":" bad","1":" good"})"},
           "classification: template needs {text}");
    expect({"--model", bert, "--task", "classification", "--dataset", file("empty.csv", "")}, "empty.csv: empty file");
    expect({"--model", bert, "--task", "classification", "--dataset", file("bad.tsv", "text\tlabel\nok\t0\nbad \xff\t1\n")},
           "bad.tsv line 3: invalid UTF-8");
    fs::create_directories(dir.path() / "beir/qrels");
    file("beir/corpus.jsonl", "{\"_id\":\"d1\",\"text\":\"x\"}\n");
    file("beir/queries.jsonl", "{\"_id\":\"q1\",\"text\":\"y\"}\n");
    file("beir/qrels/test.tsv", "query-id\tcorpus-id\tscore\nq1\td1\n");
    expect({"--model", bert, "--task", "retrieval", "--dataset", (dir.path() / "beir").string()},
           "qrels/test.tsv line 2: expected 3 tab-separated fields");
    expect({"--model", gpt2, "--task", "multiple-choice", "--dataset", file("mc.jsonl", "{\"context\":\"q\",\"choices\":[\"a\"],\"label\":0}\n")},
           "mc.jsonl line 1: an item needs at least two choices");
    expect({"--model", gpt2, "--task", "classification", "--method", "probe,svm"}, "classification: method must be one of probe, knn, likelihood, cloze");
    expect({"--model", gpt2, "--task", "classification", "--verbalizers", "[1,2]"}, "--verbalizers takes a JSON object");
}

TEST_CASE("a model that can run no asked method is an error for eval") {
    auto r = eval({"--model", test::fixture("tiny-gpt2").string(), "--task", "classification", "--method", "cloze", "--template",
                   "{text} {mask}", "--verbalizers", R"({"0":" bad","1":" good"})", "--limit", "20"});
    CHECK(r.exit_code == 1);
    CHECK(r.err.find("the cloze method needs one") != std::string::npos);
}
}
