// Plain-text tables for the terminal: columns padded to the widest cell (counted in code points,
// so "±" and Korean text line up), numbers right-aligned, no trailing spaces.
#pragma once
#include <ostream>
#include <string>
#include <vector>

namespace hubbench::cli {

class TextTable {
public:
    explicit TextTable(std::vector<std::string> header, std::vector<bool> right_aligned = {});
    void add_row(std::vector<std::string> cells);
    void print(std::ostream& out) const;
    bool empty() const { return rows_.size() <= 1; }

private:
    std::vector<std::vector<std::string>> rows_;  // rows_[0] is the header
    std::vector<bool> right_;
};

std::size_t display_width(const std::string& text);

}  // namespace hubbench::cli
