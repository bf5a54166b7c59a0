// BEIR's retrieval-set layout (https://github.com/beir-cellar/beir, datasets/data_loader.py): a
// folder with
//   corpus.jsonl     one JSON object a line: {"_id": "...", "title": "...", "text": "..."}
//                    ("title" may be missing, null or empty)
//   queries.jsonl    one JSON object a line: {"_id": "...", "text": "..."}
//   qrels/test.tsv   header "query-id<TAB>corpus-id<TAB>score", then one judgment a line with an
//                    integer score; score > 0 is relevant and is the gain nDCG counts
// Parsing only; no model code. The metrics are suites/retrieval_metrics.hpp, the search
// suites/nearest.hpp.
#pragma once
#include <cstddef>
#include <filesystem>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "suites/dataset.hpp"
#include "suites/retrieval_metrics.hpp"

namespace hubbench::suites {

struct Document {
    std::string id;
    std::string title;   // empty when the line has none
    std::string text;
    std::size_t line = 0;   // 1-based line in corpus.jsonl
};

struct Query {
    std::string id;
    std::string text;
    std::size_t line = 0;   // 1-based line in queries.jsonl
};

struct BeirSet {
    std::vector<Document> corpus;   // in file order
    std::vector<Query> queries;     // only the queries that have at least one qrel, in file order
    Qrels qrels;                    // query id -> corpus id -> score, as the file gives them
};

// One of the three files: its bytes and the name messages give it ("qrels/test.tsv").
struct BeirFile {
    std::string_view contents;
    std::string name;
};

// The three files of a BEIR set. Blank lines are skipped, a UTF-8 byte order mark at the start
// of a file and a CR before a line's LF are ignored. Queries that no qrel names are left out, as
// BEIR's loader leaves them out. Every problem is Error(invalid_input) with one line naming the
// file and, where there is one, the line and the field:
//   invalid UTF-8; a line that is not JSON or not a JSON object; a missing, non-string or empty
//   "_id"; a missing or non-string "text"; a "title" that is not a string (null is no title); a
//   duplicate "_id"; a qrels header other than query-id, corpus-id, score; a qrels line without
//   exactly 3 tab-separated fields; an empty id or a score that is not an integer; a judgment
//   naming a query or document the other files lack; the same query and document judged twice;
//   an empty corpus or no qrels.
BeirSet parse_beir(const BeirFile& corpus, const BeirFile& queries, const BeirFile& qrels);

// The folder `dir`: <dir>/corpus.jsonl, <dir>/queries.jsonl and <dir>/qrels/test.tsv, named in
// messages by their paths. A missing file is Error(not_found) naming it.
BeirSet read_beir(const std::filesystem::path& dir);

// A folder dataset (suites/dataset.hpp load_dataset), its files named "<name>/corpus.jsonl" and
// so on in messages. A missing file is Error(not_found) naming the dataset and the file.
BeirSet read_beir(const Dataset& dataset);

// The text a document is embedded as, the way BEIR's SentenceBERT wrapper builds it
// (beir/retrieval/models/sentence_bert.py, encode_corpus):
//     (doc["title"] + self.sep + doc["text"]).strip()      with sep = " "
// i.e. title + " " + text when there is a title, else the text, with leading and trailing
// whitespace removed as Python's str.strip() removes it (every code point str.isspace() accepts:
// ASCII whitespace, U+001C..U+001F, U+0085, U+00A0, U+1680, U+2000..U+200A, U+2028, U+2029,
// U+202F, U+205F, U+3000). An empty title gives (" " + text).strip(), the same as no title.
std::string embedding_text(const Document& document);

}  // namespace hubbench::suites
