#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "core/error.hpp"
#include "core/fs.hpp"
#include "suites/beir.hpp"
#include "tests/support/support.hpp"

using namespace hubbench;
using namespace hubbench::suites;
using hubbench::test::error_of;

namespace {

const std::string corpus_text =
    "{\"_id\": \"d1\", \"title\": \"Seoul\", \"text\": \"The capital of Korea.\"}\n"
    "\n"
    "{\"_id\": \"d2\", \"text\": \"\xEC\x84\x9C\xEC\x9A\xB8\xEC\x9D\x80 \xED\x95\x9C\xEA\xB5\xAD\xEC\x9D\x98 "
    "\xEC\x88\x98\xEB\x8F\x84\xEC\x9D\xB4\xEB\x8B\xA4.\"}\r\n"   // 서울은 한국의 수도이다. as UTF-8
    "{\"_id\": \"d3\", \"title\": \"\", \"text\": \"\\uc548\\ub155 world\"}\n"   // 안녕 as JSON escapes
    "{\"_id\": \"d4\", \"title\": null, \"text\": \"Busan.\", \"extra\": 1}";
const std::string queries_text =
    "{\"_id\": \"q0\", \"text\": \"never judged\"}\n"
    "{\"_id\": \"q1\", \"text\": \"\xED\x95\x9C\xEA\xB5\xAD\xEC\x9D\x98 \xEC\x88\x98\xEB\x8F\x84\xEB\x8A\x94?\"}\n"   // 한국의 수도는?
    "{\"_id\": \"q2\", \"text\": \"port city\"}\n";
const std::string qrels_text =
    "query-id\tcorpus-id\tscore\n"
    "q2\td4\t2\n"
    "q1\td2\t1\r\n"
    "q1\td1\t2\n"
    "q1\td3\t0\n";

BeirSet parse(const std::string& corpus, const std::string& queries, const std::string& qrels) {
    return parse_beir({corpus, "corpus.jsonl"}, {queries, "queries.jsonl"}, {qrels, "qrels/test.tsv"});
}

std::string corpus_error(const std::string& corpus) {
    return error_of([&] { parse(corpus, queries_text, qrels_text); });
}
std::string queries_error(const std::string& queries) {
    return error_of([&] { parse(corpus_text, queries, qrels_text); });
}
std::string qrels_error(const std::string& qrels) {
    return error_of([&] { parse(corpus_text, queries_text, qrels); });
}

}  // namespace

TEST_SUITE("unit") {
TEST_CASE("retrieval beir: a beir set keeps documents in file order and only the judged queries") {
    const BeirSet set = parse(corpus_text, queries_text, qrels_text);
    REQUIRE(set.corpus.size() == 4);
    CHECK(set.corpus[0].id == "d1");
    CHECK(set.corpus[0].title == "Seoul");
    CHECK(set.corpus[0].text == "The capital of Korea.");
    CHECK(set.corpus[0].line == 1);
    // Korean text comes through byte for byte, whether written as UTF-8 or as \u escapes.
    CHECK(set.corpus[1].id == "d2");
    CHECK(set.corpus[1].title.empty());
    CHECK(set.corpus[1].text ==
          "\xEC\x84\x9C\xEC\x9A\xB8\xEC\x9D\x80 \xED\x95\x9C\xEA\xB5\xAD\xEC\x9D\x98 "
          "\xEC\x88\x98\xEB\x8F\x84\xEC\x9D\xB4\xEB\x8B\xA4.");
    CHECK(set.corpus[1].line == 3);
    CHECK(set.corpus[2].text == "\xEC\x95\x88\xEB\x85\x95 world");
    CHECK(set.corpus[3].title.empty());   // null is no title
    CHECK(set.corpus[3].line == 5);

    // q0 has no judgment and is left out; q1 and q2 keep the order of queries.jsonl.
    REQUIRE(set.queries.size() == 2);
    CHECK(set.queries[0].id == "q1");
    CHECK(set.queries[0].text == "\xED\x95\x9C\xEA\xB5\xAD\xEC\x9D\x98 \xEC\x88\x98\xEB\x8F\x84\xEB\x8A\x94?");
    CHECK(set.queries[0].line == 2);
    CHECK(set.queries[1].id == "q2");

    // Scores as written, 0 included (judged non-relevant).
    CHECK(set.qrels == Qrels{{"q1", {{"d1", 2}, {"d2", 1}, {"d3", 0}}}, {"q2", {{"d4", 2}}}});
}

TEST_CASE("retrieval beir: a beir document is embedded as title space text stripped like python") {
    Document d;
    d.text = "The capital of Korea.";
    CHECK(embedding_text(d) == "The capital of Korea.");
    d.title = "Seoul";
    CHECK(embedding_text(d) == "Seoul The capital of Korea.");
    // str.strip() removes Unicode whitespace at both ends (here U+3000 and U+00A0) and keeps inner.
    d.title = "\xE3\x80\x80 Seoul";
    d.text = "text \xC2\xA0\n";
    CHECK(embedding_text(d) == "Seoul text");
    d.title = "";
    d.text = "  \xEC\x84\x9C\xEC\x9A\xB8  ";
    CHECK(embedding_text(d) == "\xEC\x84\x9C\xEC\x9A\xB8");
    // A title and an empty text: "Seoul " stripped.
    d.title = "Seoul";
    d.text = "";
    CHECK(embedding_text(d) == "Seoul");
    // Zero-width space (U+200B) is not whitespace to Python.
    d.title = "";
    d.text = "\xE2\x80\x8Bx";
    CHECK(embedding_text(d) == "\xE2\x80\x8Bx");
}

TEST_CASE("retrieval beir: beir corpus and query lines that are not documents are errors naming the line") {
    CHECK(corpus_error("{\"_id\": \"d1\", \"text\": \"a\"}\n[1, 2]\n") ==
          "corpus.jsonl line 2: not a JSON object but array");
    CHECK(corpus_error("{\"_id\": \"d1\", \"text\": \"a\"}\n{\"_id\": \"d2\", \"text\": \"b\"\n") ==
          "corpus.jsonl line 2: not JSON (column 26)");
    CHECK(corpus_error("{\"text\": \"a\"}\n") == "corpus.jsonl line 1: no field \"_id\"");
    CHECK(corpus_error("{\"_id\": \"d1\"}\n") == "corpus.jsonl line 1: no field \"text\"");
    CHECK(corpus_error("{\"_id\": 7, \"text\": \"a\"}\n") ==
          "corpus.jsonl line 1: field \"_id\" must be a string, not number");
    CHECK(corpus_error("{\"_id\": \"\", \"text\": \"a\"}\n") == "corpus.jsonl line 1: empty \"_id\"");
    CHECK(corpus_error("{\"_id\": \"d1\", \"text\": null}\n") ==
          "corpus.jsonl line 1: field \"text\" must be a string, not null");
    CHECK(corpus_error("{\"_id\": \"d1\", \"title\": 3, \"text\": \"a\"}\n") ==
          "corpus.jsonl line 1: field \"title\" must be a string, not number");
    CHECK(corpus_error("{\"_id\": \"d1\", \"text\": \"a\"}\n{\"_id\": \"d2\", \"text\": \"b\"}\n"
                       "{\"_id\": \"d1\", \"text\": \"c\"}\n") ==
          "corpus.jsonl line 3: duplicate \"_id\" 'd1' (first on line 1)");
    CHECK(corpus_error("{\"_id\": \"d1\", \"text\": \"a\"}\n{\"_id\": \"d2\", \"text\": \"caf\xE9\"}\n") ==
          "corpus.jsonl line 2: invalid UTF-8");
    CHECK(corpus_error("\n  \n") == "corpus.jsonl: no documents");
    CHECK(queries_error("{\"_id\": \"q1\", \"text\": \"a\"}\n{\"_id\": \"q1\", \"text\": \"b\"}\n") ==
          "queries.jsonl line 2: duplicate \"_id\" 'q1' (first on line 1)");
    CHECK(queries_error("{\"_id\": \"q1\"}\n") == "queries.jsonl line 1: no field \"text\"");
    CHECK(queries_error("\"q1\"\n") == "queries.jsonl line 1: not a JSON object but string");
    CHECK(queries_error("{\"_id\": \"q1\", \"text\": \"\xED\xA0\x80\"}\n") ==   // a UTF-8-encoded surrogate
          "queries.jsonl line 1: invalid UTF-8");
}

TEST_CASE("retrieval beir: beir qrels errors name the file the line and the field") {
    const std::string header = "query-id\tcorpus-id\tscore\n";
    CHECK(qrels_error("q1\td1\t1\n") ==
          "qrels/test.tsv line 1: expected the header query-id, corpus-id, score (tab-separated)");
    CHECK(qrels_error(header + "q1\td1\t1\nq1\td2\t1\nq2\td4\t1\nq2\td1\t1\n"
                      "q2\td2\t1\nq2 d3 1\n") ==
          "qrels/test.tsv line 7: expected 3 tab-separated fields (query-id, corpus-id, score), found 1");
    CHECK(qrels_error(header + "q1\td1\n") ==
          "qrels/test.tsv line 2: expected 3 tab-separated fields (query-id, corpus-id, score), found 2");
    CHECK(qrels_error(header + "q1\td1\t1\t\n") ==
          "qrels/test.tsv line 2: expected 3 tab-separated fields (query-id, corpus-id, score), found 4");
    CHECK(qrels_error(header + "q1\td1\t1.0\n") == "qrels/test.tsv line 2: score '1.0' is not an integer");
    CHECK(qrels_error(header + "q1\td1\t\n") == "qrels/test.tsv line 2: score '' is not an integer");
    CHECK(qrels_error(header + "q1\td1\t99999999999\n") ==
          "qrels/test.tsv line 2: score '99999999999' is not an integer");
    CHECK(qrels_error(header + "\td1\t1\n") == "qrels/test.tsv line 2: empty query-id");
    CHECK(qrels_error(header + "q1\t\t1\n") == "qrels/test.tsv line 2: empty corpus-id");
    CHECK(qrels_error(header + "q1\td1\t1\nq9\td1\t1\n") ==
          "qrels/test.tsv line 3: query-id 'q9' is not in queries.jsonl");
    CHECK(qrels_error(header + "q1\td9\t1\n") == "qrels/test.tsv line 2: corpus-id 'd9' is not in corpus.jsonl");
    CHECK(qrels_error(header + "q1\td1\t1\nq1\td2\t1\nq1\td1\t2\n") ==
          "qrels/test.tsv line 4: query 'q1' and document 'd1' judged again (first on line 2)");
    CHECK(qrels_error(header + "q1\td1\t\xFF\n") == "qrels/test.tsv line 2: invalid UTF-8");
    CHECK(qrels_error(header) == "qrels/test.tsv: no judgments");
    CHECK(qrels_error("") == "qrels/test.tsv: empty file, expected the header query-id, corpus-id, score");
    // Negative grades are integers: judged, not relevant.
    CHECK(parse(corpus_text, queries_text, header + "q1\td1\t-1\n").qrels.at("q1").at("d1") == -1);
    // A byte order mark is skipped.
    CHECK(parse(corpus_text, queries_text, "\xEF\xBB\xBF" + header + "q1\td1\t1\n").queries.size() == 1);
}

TEST_CASE("retrieval beir: a beir folder is read from disk and missing files are named") {
    TempDir dir;
    write_file_atomic(dir.path() / "corpus.jsonl", corpus_text);
    write_file_atomic(dir.path() / "queries.jsonl", queries_text);
    CHECK(error_of([&] { read_beir(dir.path()); }) == (dir.path() / "qrels" / "test.tsv").string() + ": no such file");
    std::filesystem::create_directories(dir.path() / "qrels");
    write_file_atomic(dir.path() / "qrels" / "test.tsv", "query-id\tcorpus-id\tscore\nq1\td1\tx\n");
    CHECK(error_of([&] { read_beir(dir.path()); }) ==
          (dir.path() / "qrels" / "test.tsv").string() + " line 2: score 'x' is not an integer");
    write_file_atomic(dir.path() / "qrels" / "test.tsv", qrels_text);
    CHECK(read_beir(dir.path()).queries.size() == 2);

    // As a folder dataset: files named after the dataset.
    Dataset d;
    d.name = "retrieval/x";
    d.files = {{"corpus.jsonl", corpus_text}, {"queries.jsonl", queries_text}};
    CHECK(error_of([&] { read_beir(d); }) ==
          "dataset retrieval/x has no qrels/test.tsv (a BEIR folder has corpus.jsonl, queries.jsonl and qrels/test.tsv)");
    d.files["qrels/test.tsv"] = "query-id\tcorpus-id\tscore\nq1\td7\t1\n";
    CHECK(error_of([&] { read_beir(d); }) ==
          "retrieval/x/qrels/test.tsv line 2: corpus-id 'd7' is not in retrieval/x/corpus.jsonl");
    d.files["qrels/test.tsv"] = qrels_text;
    CHECK(read_beir(d).corpus.size() == 4);
}

TEST_CASE("retrieval beir: the bundled paraphrase retrieval sets parse with the counts their readme gives") {
    // assets/datasets/README.md: documents, queries and judgments of each derived set.
    const BeirSet stsb = read_beir(load_dataset({"retrieval/stsb-paraphrase", {}, ""}));
    CHECK(stsb.corpus.size() == 1337);
    CHECK(stsb.queries.size() == 309);
    std::size_t judgments = 0;
    for (const auto& [query, docs] : stsb.qrels) judgments += docs.size();
    CHECK(judgments == 338);
    CHECK(stsb.corpus[0].id == "d0");
    CHECK(stsb.queries[0].id == "q0");
    const BeirSet korsts = read_beir(load_dataset({"retrieval/korsts-paraphrase", {}, ""}));
    CHECK(korsts.corpus.size() == 1327);
    CHECK(korsts.queries.size() == 309);
    // The first KorSTS test pair's second sentence, byte for byte: 한 소녀가 머리를 빗고 있다.
    CHECK(korsts.corpus[0].text ==
          "\xED\x95\x9C \xEC\x86\x8C\xEB\x85\x80\xEA\xB0\x80 \xEB\xA8\xB8\xEB\xA6\xAC\xEB\xA5\xBC "
          "\xEB\xB9\x97\xEA\xB3\xA0 \xEC\x9E\x88\xEB\x8B\xA4.");
}

TEST_CASE("retrieval beir: a missing beir file is a not found error") {
    TempDir dir;
    try {
        read_beir(dir.path());
        FAIL("no error");
    } catch (const Error& e) {
        CHECK(e.kind() == ErrorKind::not_found);
    }
    try {
        parse("{\"_id\": \"d1\"}\n", queries_text, qrels_text);
        FAIL("no error");
    } catch (const Error& e) {
        CHECK(e.kind() == ErrorKind::invalid_input);
    }
}
}
