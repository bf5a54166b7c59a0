// The Hub search options shared by `hubbench search` and `hubbench compare`, and their
// translation into a hub::SearchQuery.
#pragma once
#include <cstdint>
#include <string>

#include "cli/options.hpp"
#include "hub/client.hpp"

namespace hubbench::cli {

// --query --author --task --library --filter --sort --limit --max-params --min-params --license.
// `task_repeatable`: compare accepts several --task values (one search each).
po::options_description search_options(std::size_t default_limit, bool task_repeatable);

// The query the options describe (the first --task only; compare makes one per task).
hub::SearchQuery search_query_from(const po::variables_map& vm, const std::string& command);

// "1234", "1.5M", "7B", "350k" -> a count; Error(usage) naming the option otherwise.
std::uint64_t parse_count(const std::string& command, const std::string& option, const std::string& text);

// 1234567 -> "1.23M"; nullopt -> "-".
std::string human_count(std::optional<std::uint64_t> n);

}  // namespace hubbench::cli
