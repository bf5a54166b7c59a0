#include "suites/beir.hpp"

#include <algorithm>
#include <charconv>
#include <nlohmann/json.hpp>
#include <unordered_map>
#include <utility>

#include "core/error.hpp"
#include "core/fs.hpp"
#include "suites/text.hpp"

namespace hubbench::suites {
namespace {

using nlohmann::json;

// Messages quote ids from the files, which may hold anything: one_line keeps them to one line.
Error bad_file(const std::string& message) { return Error(ErrorKind::invalid_input, one_line(message)); }

Error bad_line(const std::string& file, std::size_t line, const std::string& what) {
    return bad_file(file + " line " + std::to_string(line) + ": " + what);
}

// The contents without a leading byte order mark, after checking they are UTF-8.
std::string_view checked_utf8(const BeirFile& file) {
    std::string_view s = file.contents;
    if (s.starts_with("\xEF\xBB\xBF")) s.remove_prefix(3);
    if (const std::size_t at = invalid_utf8_at(s); at != std::string_view::npos) {
        throw bad_line(file.name, line_of(s, at), "invalid UTF-8");
    }
    return s;
}

json parse_object(std::string_view line, const std::string& file, std::size_t number) {
    json object;
    try {
        object = json::parse(line);
    } catch (const json::parse_error& e) {
        // e.byte: the 1-based byte offset in the line where the parser stopped.
        throw bad_line(file, number, "not JSON (column " + std::to_string(e.byte) + ")");
    }
    if (!object.is_object()) throw bad_line(file, number, std::string("not a JSON object but ") + object.type_name());
    return object;
}

// A string field; `required` false lets it be missing or null (returned empty).
std::string string_field(const json& object, const char* name, bool required, const std::string& file,
                         std::size_t number) {
    const auto it = object.find(name);
    if (it == object.end() || (!required && it->is_null())) {
        if (required) throw bad_line(file, number, std::string("no field \"") + name + "\"");
        return {};
    }
    if (!it->is_string())
        throw bad_line(file, number, std::string("field \"") + name + "\" must be a string, not " + it->type_name());
    return it->get<std::string>();
}

// The "_id" of a line, which must be new: `first_line` maps the ids seen so far to their lines.
std::string new_id(const json& object, std::unordered_map<std::string, std::size_t>& first_line, const std::string& file,
                   std::size_t number) {
    std::string id = string_field(object, "_id", true, file, number);
    if (id.empty()) throw bad_line(file, number, "empty \"_id\"");
    const auto [it, inserted] = first_line.emplace(id, number);
    if (!inserted)
        throw bad_line(file, number, "duplicate \"_id\" '" + id + "' (first on line " + std::to_string(it->second) + ")");
    return id;
}

std::vector<std::string_view> split_tabs(std::string_view line) {
    std::vector<std::string_view> fields;
    std::size_t start = 0;
    for (;;) {
        const std::size_t tab = line.find('\t', start);
        fields.push_back(line.substr(start, tab == std::string_view::npos ? std::string_view::npos : tab - start));
        if (tab == std::string_view::npos) return fields;
        start = tab + 1;
    }
}

BeirFile file_of(const Dataset& dataset, const std::string& relative) {
    const auto it = dataset.files.find(relative);
    if (it == dataset.files.end())
        throw Error(ErrorKind::not_found, one_line("dataset " + dataset.name + " has no " + relative +
                                                   " (a BEIR folder has corpus.jsonl, queries.jsonl and qrels/test.tsv)"));
    return {it->second, dataset.name + "/" + relative};
}

}  // namespace

BeirSet parse_beir(const BeirFile& corpus_file, const BeirFile& queries_file, const BeirFile& qrels_file) {
    BeirSet set;

    std::unordered_map<std::string, std::size_t> doc_line;
    for_each_line(checked_utf8(corpus_file), [&](std::string_view line, std::size_t number) {
        if (is_blank(line)) return;
        const json object = parse_object(line, corpus_file.name, number);
        Document d;
        d.id = new_id(object, doc_line, corpus_file.name, number);
        d.title = string_field(object, "title", false, corpus_file.name, number);
        d.text = string_field(object, "text", true, corpus_file.name, number);
        d.line = number;
        set.corpus.push_back(std::move(d));
    });
    if (set.corpus.empty()) throw bad_file(corpus_file.name + ": no documents");

    std::vector<Query> all_queries;
    std::unordered_map<std::string, std::size_t> query_line;
    for_each_line(checked_utf8(queries_file), [&](std::string_view line, std::size_t number) {
        if (is_blank(line)) return;
        const json object = parse_object(line, queries_file.name, number);
        Query q;
        q.id = new_id(object, query_line, queries_file.name, number);
        q.text = string_field(object, "text", true, queries_file.name, number);
        q.line = number;
        all_queries.push_back(std::move(q));
    });

    // qrels: the header, then query-id, corpus-id, integer score.
    std::map<std::pair<std::string, std::string>, std::size_t> judged_on;   // (query, document) -> line
    bool header = true;
    const std::string& qname = qrels_file.name;
    for_each_line(checked_utf8(qrels_file), [&](std::string_view line, std::size_t number) {
        if (is_blank(line)) return;
        const auto fields = split_tabs(line);
        if (header) {
            header = false;
            if (fields.size() != 3 || fields[0] != "query-id" || fields[1] != "corpus-id" || fields[2] != "score")
                throw bad_line(qname, number, "expected the header query-id, corpus-id, score (tab-separated)");
            return;
        }
        if (fields.size() != 3)
            throw bad_line(qname, number, "expected 3 tab-separated fields (query-id, corpus-id, score), found " +
                                              std::to_string(fields.size()));
        const std::string query_id(fields[0]), doc_id(fields[1]);
        if (query_id.empty()) throw bad_line(qname, number, "empty query-id");
        if (doc_id.empty()) throw bad_line(qname, number, "empty corpus-id");
        int score = 0;
        const std::string_view s = fields[2];
        const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), score);
        if (s.empty() || ec != std::errc() || end != s.data() + s.size())
            throw bad_line(qname, number, "score '" + std::string(s) + "' is not an integer");
        if (!query_line.contains(query_id))
            throw bad_line(qname, number, "query-id '" + query_id + "' is not in " + queries_file.name);
        if (!doc_line.contains(doc_id))
            throw bad_line(qname, number, "corpus-id '" + doc_id + "' is not in " + corpus_file.name);
        const auto [it, inserted] = judged_on.emplace(std::make_pair(query_id, doc_id), number);
        if (!inserted)
            throw bad_line(qname, number, "query '" + query_id + "' and document '" + doc_id + "' judged again (first on line " +
                                              std::to_string(it->second) + ")");
        set.qrels[query_id][doc_id] = score;
    });
    if (header) throw bad_file(qname + ": empty file, expected the header query-id, corpus-id, score");
    if (set.qrels.empty()) throw bad_file(qname + ": no judgments");

    for (auto& q : all_queries) {
        if (set.qrels.contains(q.id)) set.queries.push_back(std::move(q));
    }
    return set;
}

BeirSet read_beir(const std::filesystem::path& dir) {
    const auto corpus = dir / "corpus.jsonl", queries = dir / "queries.jsonl", qrels = dir / "qrels" / "test.tsv";
    const std::string c = read_file(corpus), q = read_file(queries), r = read_file(qrels);
    return parse_beir({c, corpus.string()}, {q, queries.string()}, {r, qrels.string()});
}

BeirSet read_beir(const Dataset& dataset) {
    return parse_beir(file_of(dataset, "corpus.jsonl"), file_of(dataset, "queries.jsonl"),
                      file_of(dataset, "qrels/test.tsv"));
}

std::string embedding_text(const Document& document) {
    if (document.title.empty()) return std::string(python_strip(document.text));
    return std::string(python_strip(document.title + " " + document.text));
}

}  // namespace hubbench::suites
