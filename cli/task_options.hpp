// Command-line options for task parameters, made from the task registry (suites/task_entry.hpp):
// each parameter `max_length` of any task is the option `--max-length`, typed as the entry
// declares it. eval takes them all; compare takes those its --data job uses.
#pragma once
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "cli/options.hpp"
#include "suites/task_entry.hpp"

namespace hubbench::cli {

// "max_length" -> "max-length".
std::string option_name(const std::string& param);

// One option per distinct parameter name of `entries`; a name several tasks share gets one option
// whose help says what it means for each ("perplexity: ...; pppl: ...").
po::options_description task_parameter_options(const std::vector<const suites::TaskEntry*>& entries,
                                               const std::string& caption);

// The parameters given on the command line for `entry`, typed as it declares them. An option of
// another task's parameter is Error(usage): "eval: --stride does not apply to task sts".
nlohmann::json task_parameters(const po::variables_map& vm, const suites::TaskEntry& entry,
                               const std::vector<const suites::TaskEntry*>& offered, const std::string& command);

}  // namespace hubbench::cli
