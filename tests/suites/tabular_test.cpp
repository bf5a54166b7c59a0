#include <doctest/doctest.h>

#include <string>

#include "core/error.hpp"
#include "suites/tabular.hpp"
#include "tests/support/support.hpp"

using namespace hubbench;
using namespace hubbench::suites;
using hubbench::test::error_of;

namespace {

const Columns text_label{"text", "", "label"};
const std::string korean = "\xED\x95\x9C\xEA\xB5\xAD\xEC\x96\xB4 \xEB\xAC\xB8\xEC\x9E\xA5\xEC\x9E\x85\xEB\x8B\x88\xEB\x8B\xA4";   // 한국어 문장입니다

std::string error_reading(const std::string& contents, TableFormat format, const std::string& source,
                          const Columns& columns = text_label) {
    return error_of([&] { read_labelled(contents, format, columns, source); });
}

}  // namespace

TEST_SUITE("unit") {
TEST_CASE("table formats come from the file extension") {
    CHECK(table_format_for("data/train.csv") == TableFormat::csv);
    CHECK(table_format_for("Train.CSV") == TableFormat::csv);
    CHECK(table_format_for("dev.tsv") == TableFormat::tsv);
    CHECK(table_format_for("x.jsonl") == TableFormat::jsonl);
    CHECK(table_format_for("x.json") == TableFormat::jsonl);
    CHECK_FALSE(table_format_for("x.txt").has_value());
    CHECK_FALSE(table_format_for("README").has_value());
}

TEST_CASE("csv fields may quote commas and newlines and doubled quotes") {
    // A BOM, CRLF line ends, a blank line (6), a quoted field over lines 3-4, an empty quoted text
    // and no final line break.
    const std::string csv = "\xEF\xBB\xBFid,text,label\r\n"
                            "1,\"Hello, world\",pos\r\n"
                            "2,\"She said \"\"hi\"\"\nand left\",neg\r\n"
                            "3," + korean + ",pos\r\n"
                            "\r\n"
                            "4,\"\",neg";
    const auto items = read_labelled(csv, TableFormat::csv, text_label, "d.csv");
    REQUIRE(items.size() == 4);
    CHECK(items[0].text == "Hello, world");
    CHECK(items[0].label == "pos");
    CHECK(items[0].line == 2);
    CHECK_FALSE(items[0].text_pair.has_value());
    CHECK(items[1].text == "She said \"hi\"\nand left");
    CHECK(items[1].label == "neg");
    CHECK(items[1].line == 3);
    CHECK(items[2].text == korean);
    CHECK(items[2].line == 5);
    CHECK(items[3].text.empty());
    CHECK(items[3].label == "neg");
    CHECK(items[3].line == 7);
}

TEST_CASE("csv pairs read the second text column and a quote inside an unquoted field is data") {
    const std::string csv = "premise,hypothesis,label\nA man sleeps.,\"A man, asleep.\",entailment\nit\"s,b,neutral\n";
    const auto items = read_labelled(csv, TableFormat::csv, {"premise", "hypothesis", "label"}, "p.csv");
    REQUIRE(items.size() == 2);
    CHECK(items[0].text == "A man sleeps.");
    CHECK(items[0].text_pair == "A man, asleep.");
    CHECK(items[0].label == "entailment");
    CHECK(items[1].text == "it\"s");
    CHECK(items[1].text_pair == "b");
}

TEST_CASE("tsv splits on every tab and keeps quote characters as data") {
    // As in SST-2's dev.tsv: quotes inside and at the start of a sentence are part of it.
    const std::string tsv = "sentence\tlabel\n"
                            "it 's a \"charming\" and often affecting journey . \t1\n"
                            "\"the title\" says it all\t0\r\n"
                            "\n" +
                            korean + "\t1\n";
    const auto items = read_labelled(tsv, TableFormat::tsv, {"sentence", "", "label"}, "dev.tsv");
    REQUIRE(items.size() == 3);
    CHECK(items[0].text == "it 's a \"charming\" and often affecting journey . ");
    CHECK(items[0].label == "1");
    CHECK(items[0].line == 2);
    CHECK(items[1].text == "\"the title\" says it all");
    CHECK(items[1].label == "0");
    CHECK(items[2].text == korean);
    CHECK(items[2].line == 5);
}

TEST_CASE("jsonl labels may be strings or integers or booleans") {
    const std::string jsonl = "{\"text\": \"good\", \"label\": 1}\n"
                              "\n"
                              "{\"label\": 0, \"text\": \"" + korean + "\"}\r\n"
                              "{\"text\": \"x\", \"label\": true, \"extra\": [1, 2]}\n"
                              "{\"text\": \"y\", \"label\": \"neg\"}\n"
                              "{\"text\": \"z\", \"label\": -2}";
    const auto items = read_labelled(jsonl, TableFormat::jsonl, text_label, "d.jsonl");
    REQUIRE(items.size() == 5);
    CHECK(items[0].text == "good");
    CHECK(items[0].label == "1");
    CHECK(items[0].line == 1);
    CHECK(items[1].text == korean);
    CHECK(items[1].label == "0");
    CHECK(items[1].line == 3);
    CHECK(items[2].label == "true");
    CHECK(items[3].label == "neg");
    CHECK(items[4].label == "-2");
    CHECK(items[4].line == 6);

    const auto pairs = read_labelled("{\"q\": \"a\", \"p\": \"b\", \"y\": false}", TableFormat::jsonl, {"q", "p", "y"}, "p.jsonl");
    REQUIRE(pairs.size() == 1);
    CHECK(pairs[0].text_pair == "b");
    CHECK(pairs[0].label == "false");
}

TEST_CASE("an empty file or one without data rows is an error") {
    CHECK(error_reading("", TableFormat::csv, "d.csv") == "d.csv: empty file");
    CHECK(error_reading("\xEF\xBB\xBF\r\n  \n", TableFormat::tsv, "d.tsv") == "d.tsv: empty file");
    CHECK(error_reading("\n\n", TableFormat::jsonl, "d.jsonl") == "d.jsonl: empty file");
    CHECK(error_reading("text,label\n", TableFormat::csv, "d.csv") == "d.csv: no data rows");
    CHECK(error_reading("text\tlabel\n\n", TableFormat::tsv, "d.tsv") == "d.tsv: no data rows");
}

TEST_CASE("a missing column names the columns there are") {
    CHECK(error_reading("text,label,id\na,1,2\n", TableFormat::csv, "d.csv", {"sentence", "", "label"}) ==
          "d.csv: no column 'sentence' (columns: text, label, id)");
    CHECK(error_reading("sentence\tgold\na\t1\n", TableFormat::tsv, "d.tsv", {"sentence", "", "label"}) ==
          "d.tsv: no column 'label' (columns: sentence, gold)");
    CHECK(error_reading("text,label\na,1\n", TableFormat::csv, "d.csv", {"text", "pair", "label"}) ==
          "d.csv: no column 'pair' (columns: text, label)");
    // A column name with a line break (quoted) still gives a one-line message.
    CHECK(error_reading("\"a\nb\",label\nx,1\n", TableFormat::csv, "d.csv") == "d.csv: no column 'text' (columns: a b, label)");
    // JSONL: the line whose object lacks the field, with its keys in file order.
    CHECK(error_reading("{\"text\": \"a\", \"label\": \"x\"}\n{\"text\": \"b\", \"gold\": \"y\"}\n", TableFormat::jsonl,
                        "d.jsonl") == "d.jsonl line 2: no field 'label' (keys: text, gold)");
    CHECK(error_reading("{}\n", TableFormat::jsonl, "d.jsonl") == "d.jsonl line 1: no field 'text' (keys: none)");
}

TEST_CASE("unnamed text or label columns are a usage error") {
    try {
        read_labelled("text,label\na,1\n", TableFormat::csv, {"text", "", ""}, "d.csv");
        FAIL("no error");
    } catch (const Error& e) {
        CHECK(e.kind() == ErrorKind::usage);
        CHECK(std::string(e.what()) == "the text and label columns must be named");
    }
}

TEST_CASE("invalid utf-8 names its line") {
    CHECK(error_reading("text,label\nok,1\nbad \xC3\x28,0\n", TableFormat::csv, "d.csv") == "d.csv line 3: invalid UTF-8");
    // An overlong "/" (C0 AF), a UTF-16 surrogate (ED A0 80), a code point above U+10FFFF
    // (F4 90 80 80) and a sequence cut off by the end of the file are all refused.
    CHECK(error_reading("\xC0\xAF\tlabel\n", TableFormat::tsv, "d.tsv") == "d.tsv line 1: invalid UTF-8");
    CHECK(error_reading("text\tlabel\n\n\xED\xA0\x80\t1\n", TableFormat::tsv, "d.tsv") == "d.tsv line 3: invalid UTF-8");
    CHECK(error_reading("{\"text\": \"\xF4\x90\x80\x80\", \"label\": 1}", TableFormat::jsonl, "d.jsonl") ==
          "d.jsonl line 1: invalid UTF-8");
    CHECK(error_reading("text,label\na,1\nb,\xE2\x82", TableFormat::csv, "d.csv") == "d.csv line 3: invalid UTF-8");
}

TEST_CASE("a row with the wrong number of fields names its line and the counts") {
    CHECK(error_reading("text,label\na,1\nb,2,3\n", TableFormat::csv, "d.csv") == "d.csv line 3: 3 fields, the header has 2");
    CHECK(error_reading("text\tlabel\na\n", TableFormat::tsv, "d.tsv") == "d.tsv line 2: 1 field, the header has 2");
    // The quoted field over lines 2-3 makes the record that starts on line 2 one field short.
    CHECK(error_reading("text,label\n\"a\nb\"\nc,1\n", TableFormat::csv, "d.csv") == "d.csv line 2: 1 field, the header has 2");
}

TEST_CASE("malformed quoting in csv names its line") {
    CHECK(error_reading("text,label\n\"abc,1\nd,2\n", TableFormat::csv, "d.csv") == "d.csv line 2: unterminated quoted field");
    // Line 2 is `"ab"c,1`: the c after the closing quote is byte 5.
    CHECK(error_reading("text,label\n\"ab\"c,1\n", TableFormat::csv, "d.csv") ==
          "d.csv line 2 column 5: text after a closing quote");
}

TEST_CASE("a jsonl line that is not an object names its line") {
    CHECK(error_reading("{\"text\": \"a\", \"label\": 1}\n[1, 2]\n", TableFormat::jsonl, "d.jsonl") ==
          "d.jsonl line 2: not a JSON object");
    // `{"text": "a", "label": }`: the parser stops at the "}", byte 24 of the line.
    CHECK(error_reading("\n{\"text\": \"a\", \"label\": }\n", TableFormat::jsonl, "d.jsonl") ==
          "d.jsonl line 2 column 24: invalid JSON");
    CHECK(error_reading("{\"text\": 3, \"label\": \"a\"}", TableFormat::jsonl, "d.jsonl") ==
          "d.jsonl line 1: field 'text' must be a string, not number");
    CHECK(error_reading("{\"text\": \"a\", \"label\": 1.5}", TableFormat::jsonl, "d.jsonl") ==
          "d.jsonl line 1: field 'label' must be a string, an integer or a boolean, not number");
    CHECK(error_reading("{\"text\": \"a\", \"label\": null}", TableFormat::jsonl, "d.jsonl") ==
          "d.jsonl line 1: field 'label' must be a string, an integer or a boolean, not null");
}

TEST_CASE("an empty label names its line") {
    CHECK(error_reading("text,label\na,1\nb,\n", TableFormat::csv, "d.csv") == "d.csv line 3: empty label");
    CHECK(error_reading("text\tlabel\na\t\n", TableFormat::tsv, "d.tsv") == "d.tsv line 2: empty label");
    CHECK(error_reading("{\"text\": \"a\", \"label\": \"\"}", TableFormat::jsonl, "d.jsonl") ==
          "d.jsonl line 1: empty label");
}
}
