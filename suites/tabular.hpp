// Labelled examples from the user's own file (CSV, TSV or JSONL) for classification: which columns
// hold the text, the optional second text of a pair and the label. Parsing only; no model code.
#pragma once
#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace hubbench::suites {

enum class TableFormat { csv, tsv, jsonl };

// By extension, case-insensitively: .csv, .tsv, .jsonl or .json (read as JSON Lines); nullopt for
// anything else.
std::optional<TableFormat> table_format_for(const std::filesystem::path& path);

// Column (CSV/TSV header) or field (JSONL key) names.
struct Columns {
    std::string text;
    std::string text_pair;   // empty: single texts, no pairs
    std::string label;
};

struct LabelledItem {
    std::string text;
    std::optional<std::string> text_pair;   // set exactly when Columns::text_pair is
    std::string label;
    std::size_t line = 0;                   // 1-based line where the row starts in the file
};

// Every data row of `contents`, in file order. `source` names the file in messages.
//   csv    RFC 4180: header row, fields in double quotes may hold commas, newlines and doubled
//          quotes (""), records end in LF or CRLF; blank lines are skipped (as pandas does).
//   tsv    header row, fields split on every tab, no quoting: a quote character is data (SST-2's
//          dev.tsv has them inside sentences); a trailing CR is dropped; blank lines skipped.
//   jsonl  one JSON object per line, blank lines skipped. Text fields must be strings; a label
//          may be a string, an integer or a boolean, kept as its JSON text ("1", "true").
// A UTF-8 byte order mark at the start is skipped. Every problem is Error(invalid_input) with a
// one-line message naming `source` and the line: invalid UTF-8, an empty file or no data rows, a
// missing column (listing those there are), a row with the wrong number of fields, a line that is
// not a JSON object (with its column when the JSON parser reports one), an empty label.
// The column names of a CSV/TSV header, or the keys of a JSONL file's first object (in file order),
// so a caller can pick default columns and list them in messages.
std::vector<std::string> table_columns(std::string_view contents, TableFormat format, const std::string& source);

std::vector<LabelledItem> read_labelled(std::string_view contents, TableFormat format, const Columns& columns,
                                        const std::string& source);

}  // namespace hubbench::suites
