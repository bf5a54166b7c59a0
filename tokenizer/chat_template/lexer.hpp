// The chat-template lexer: jinja2/lexer.py's rules with transformers' settings, trim_blocks=True
// (the first newline after a block or comment tag is dropped) and lstrip_blocks=True (spaces and
// tabs before a block or comment tag that starts its line are dropped), plus whitespace control
// ({%- -%} {{- -}} {#- -#} {%+ +%}), comments and {% raw %}.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace hubbench::tokenizer::jinja {

// A syntax error at a byte offset of the (normalised) source.
struct SyntaxError {
    std::string message;
    std::size_t offset;
};

// Token types: template text, the tag delimiters, and inside tags names, literals and operators.
enum class Tok { data, var_begin, var_end, block_begin, block_end, name, string, integer, floating, op, eof };

struct Token {
    Tok type;
    std::string text;  // data, name, the decoded string, operator
    std::size_t offset = 0;
    std::int64_t int_value = 0;
    double float_value = 0;
};

// The token as an error message names it: "'%}'", "a string", "the end of the template".
std::string describe(const Token& t);

// The tokens of a template (newlines already normalised), ending with Tok::eof. Throws SyntaxError.
std::vector<Token> lex(const std::string& source);

}  // namespace hubbench::tokenizer::jinja
