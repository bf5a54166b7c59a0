#include "suites/tabular.hpp"

#include <algorithm>
#include <cctype>
#include <nlohmann/json.hpp>

#include "core/error.hpp"
#include "suites/text.hpp"

namespace hubbench::suites {
namespace {

// Keys in the order the file has them, so that a "no field" message lists them as the user wrote.
using ordered_json = nlohmann::ordered_json;

// A record of a CSV or TSV file: its fields and the line it starts on.
struct Row {
    std::vector<std::string> fields;
    std::size_t line = 0;
};

// Messages quote column names and keys from the file, which may hold line breaks: one_line keeps
// them to one line.
Error bad_file(const std::string& message) { return Error(ErrorKind::invalid_input, one_line(message)); }

// "<source> line N: what", or "<source> line N column C: what" (C counting bytes from 1).
Error bad_line(const std::string& source, std::size_t line, const std::string& what, std::size_t column = 0) {
    const std::string at = column == 0 ? "" : " column " + std::to_string(column);
    return bad_file(source + " line " + std::to_string(line) + at + ": " + what);
}

std::string join(const std::vector<std::string>& names) {
    std::string out;
    for (const auto& n : names) out += (out.empty() ? "" : ", ") + n;
    return out.empty() ? "none" : out;
}


// RFC 4180 records. Unquoted fields run to the next comma or line end (a CR before LF is dropped);
// a quoted field ends at a lone quote, which must be followed by a comma or the line end.
std::vector<Row> split_csv(std::string_view s, const std::string& source) {
    std::vector<Row> rows;
    std::size_t i = 0, line = 1, line_start = 0;
    auto at_record_end = [&](std::size_t j) {
        return j == s.size() || s[j] == '\n' || (s[j] == '\r' && (j + 1 == s.size() || s[j + 1] == '\n'));
    };
    while (i < s.size()) {
        Row row{{}, line};
        bool quoted = false;
        for (;;) {
            std::string field;
            quoted = i < s.size() && s[i] == '"';
            if (quoted) {
                const std::size_t open_line = line;
                for (++i;; ++i) {
                    if (i == s.size()) throw bad_line(source, open_line, "unterminated quoted field");
                    if (s[i] == '"') {
                        if (i + 1 < s.size() && s[i + 1] == '"') {
                            field += '"';
                            ++i;
                            continue;
                        }
                        ++i;
                        break;
                    }
                    if (s[i] == '\n') ++line, line_start = i + 1;
                    field += s[i];
                }
                if (!at_record_end(i) && s[i] != ',')
                    throw bad_line(source, line, "text after a closing quote", i - line_start + 1);
            } else {
                while (i < s.size() && s[i] != ',' && s[i] != '\n') field += s[i++];
                if (!field.empty() && field.back() == '\r' && at_record_end(i)) field.pop_back();
            }
            row.fields.push_back(std::move(field));
            if (i < s.size() && s[i] == ',') {
                ++i;
                continue;
            }
            if (i < s.size() && s[i] == '\r') ++i;
            if (i < s.size() && s[i] == '\n') ++i, ++line, line_start = i;
            break;
        }
        const bool blank = row.fields.size() == 1 && row.fields[0].empty() && !quoted;
        if (!blank) rows.push_back(std::move(row));
    }
    return rows;
}


std::vector<Row> split_tsv(std::string_view s) {
    std::vector<Row> rows;
    for_each_line(s, [&](std::string_view line, std::size_t number) {
        if (line.empty()) return;
        Row row{{}, number};
        for (std::size_t start = 0;;) {
            const std::size_t tab = line.find('\t', start);
            row.fields.emplace_back(line.substr(start, tab - start));
            if (tab == std::string_view::npos) break;
            start = tab + 1;
        }
        rows.push_back(std::move(row));
    });
    return rows;
}

// The items of a CSV or TSV file, the first row being the header.
std::vector<LabelledItem> items_of_rows(const std::vector<Row>& rows, const Columns& columns, const std::string& source) {
    const auto& header = rows.at(0).fields;
    if (rows.size() == 1) throw bad_file(source + ": no data rows");
    auto index_of = [&](const std::string& name) {
        const auto it = std::find(header.begin(), header.end(), name);
        if (it == header.end())
            throw bad_file(source + ": no column '" + name + "' (columns: " + join(header) + ")");
        return static_cast<std::size_t>(it - header.begin());
    };
    const std::size_t text = index_of(columns.text), label = index_of(columns.label);
    const bool has_pair = !columns.text_pair.empty();
    const std::size_t pair = has_pair ? index_of(columns.text_pair) : 0;
    std::vector<LabelledItem> items;
    for (std::size_t r = 1; r < rows.size(); ++r) {
        const Row& row = rows[r];
        if (row.fields.size() != header.size())
            throw bad_line(source, row.line, std::to_string(row.fields.size()) +
                                                 (row.fields.size() == 1 ? " field" : " fields") +
                                                 ", the header has " + std::to_string(header.size()));
        if (row.fields[label].empty()) throw bad_line(source, row.line, "empty label");
        items.push_back({row.fields[text], has_pair ? std::optional(row.fields[pair]) : std::nullopt, row.fields[label],
                         row.line});
    }
    return items;
}

// The JSON value of `name` in `object`, or an error naming the line and listing the keys there are.
const ordered_json& field(const ordered_json& object, const std::string& name, const std::string& source,
                          std::size_t line) {
    const auto it = object.find(name);
    if (it != object.end()) return *it;
    std::vector<std::string> keys;
    for (const auto& [key, value] : object.items()) keys.push_back(key);
    throw bad_line(source, line, "no field '" + name + "' (keys: " + join(keys) + ")");
}

std::string text_field(const ordered_json& object, const std::string& name, const std::string& source, std::size_t line) {
    const auto& v = field(object, name, source, line);
    if (!v.is_string()) throw bad_line(source, line, "field '" + name + "' must be a string, not " + v.type_name());
    return v.get<std::string>();
}

std::vector<LabelledItem> read_jsonl(std::string_view s, const Columns& columns, const std::string& source) {
    std::vector<LabelledItem> items;
    for_each_line(s, [&](std::string_view line, std::size_t number) {
        if (is_blank(line)) return;
        ordered_json object;
        try {
            object = ordered_json::parse(line);
        } catch (const ordered_json::parse_error& e) {
            // e.byte: the 1-based byte offset in the line where the parser stopped.
            throw bad_line(source, number, "invalid JSON", e.byte);
        }
        if (!object.is_object()) throw bad_line(source, number, "not a JSON object");
        LabelledItem item;
        item.line = number;
        item.text = text_field(object, columns.text, source, number);
        if (!columns.text_pair.empty()) item.text_pair = text_field(object, columns.text_pair, source, number);
        const auto& label = field(object, columns.label, source, number);
        if (label.is_string()) item.label = label.get<std::string>();
        else if (label.is_number_integer() || label.is_boolean()) item.label = label.dump();   // 1, -2, true
        else
            throw bad_line(source, number, "field '" + columns.label + "' must be a string, an integer or a boolean, not " +
                                               label.type_name());
        if (item.label.empty()) throw bad_line(source, number, "empty label");
        items.push_back(std::move(item));
    });
    if (items.empty()) throw bad_file(source + ": empty file");
    return items;
}

}  // namespace

std::optional<TableFormat> table_format_for(const std::filesystem::path& path) {
    std::string ext = path.extension().string();
    std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return std::tolower(c); });
    if (ext == ".csv") return TableFormat::csv;
    if (ext == ".tsv") return TableFormat::tsv;
    if (ext == ".jsonl" || ext == ".json") return TableFormat::jsonl;
    return std::nullopt;
}

std::vector<LabelledItem> read_labelled(std::string_view contents, TableFormat format, const Columns& columns,
                                        const std::string& source) {
    if (contents.starts_with("\xEF\xBB\xBF")) contents.remove_prefix(3);
    if (const std::size_t at = invalid_utf8_at(contents); at != std::string_view::npos) {
        throw bad_line(source, line_of(contents, at), "invalid UTF-8");
    }
    if (contents.find_first_not_of(" \t\r\n") == std::string_view::npos)
        throw bad_file(source + ": empty file");
    if (columns.text.empty() || columns.label.empty())
        throw Error(ErrorKind::usage, "the text and label columns must be named");
    switch (format) {
        case TableFormat::csv: return items_of_rows(split_csv(contents, source), columns, source);
        case TableFormat::tsv: return items_of_rows(split_tsv(contents), columns, source);
        case TableFormat::jsonl: return read_jsonl(contents, columns, source);
    }
    throw Error(ErrorKind::internal, "unknown table format");
}

std::vector<std::string> table_columns(std::string_view contents, TableFormat format, const std::string& source) {
    if (contents.starts_with("\xEF\xBB\xBF")) contents.remove_prefix(3);
    if (contents.find_first_not_of(" \t\r\n") == std::string_view::npos) throw bad_file(source + ": empty file");
    if (format == TableFormat::jsonl) {
        std::vector<std::string> keys;
        bool done = false;
        for_each_line(contents, [&](std::string_view line, std::size_t number) {
            if (done || is_blank(line)) return;
            done = true;
            const auto object = ordered_json::parse(line, nullptr, false);
            if (object.is_discarded() || !object.is_object()) throw bad_line(source, number, "not a JSON object");
            for (const auto& [key, value] : object.items()) keys.push_back(key);
        });
        return keys;
    }
    // The header: the first row (the whole file is split; files are small next to a model run).
    const auto rows = format == TableFormat::csv ? split_csv(contents, source) : split_tsv(contents);
    if (rows.empty()) throw bad_file(source + ": empty file");
    return rows.front().fields;
}

}  // namespace hubbench::suites
