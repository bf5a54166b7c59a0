// Multiple choice: which of an item's choices a model prefers. Decoders score each choice by its
// log-likelihood after the context (lm-evaluation-harness's convention, suites/choice_scoring.hpp):
// `accuracy` by the summed log-likelihood, `accuracy_norm` by it divided by the choice's length in
// characters. Masked LMs score each filled-in text by its pseudo-log-likelihood: `accuracy_pseudo`,
// marked pseudo in reports.
#pragma once
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "suites/task_entry.hpp"

namespace hubbench::suites {

struct ChoiceQuestion {
    std::string context;               // the question (CommonsenseQA: question.stem)
    std::vector<std::string> choices;
    std::size_t label = 0;             // index of the right choice
    std::size_t line = 0;              // 1-based line in the file
};

// JSONL, one item per line (blank lines skipped), in either layout:
//   {"context": "...", "choices": ["...", ...], "label": 2}
//   CommonsenseQA / ARC: {"question": {"stem": "...", "choices": [{"label": "A", "text": "..."}, ...]},
//                         "answerKey": "A"}
// Error(invalid_input) names `source`, the line and the field at fault (a line that is not a JSON
// object, invalid UTF-8, fewer than two choices, a label out of range, an answerKey no choice has).
std::vector<ChoiceQuestion> parse_choice_questions(std::string_view text, const std::string& source);

// The registry entry: parameters template ("{context}" by default), limit, batch_size; default
// dataset CommonsenseQA dev.
const TaskEntry& multiple_choice_task();

}  // namespace hubbench::suites
