// The model card's YAML front matter (README.md between two "---" lines), which the Hub exposes
// as `cardData` and mines for pipeline_tag, library_name, tags, license and base_model.
#pragma once
#include <nlohmann/json.hpp>
#include <string_view>

namespace hubbench::hub {

// The front matter as JSON (plain YAML scalars typed as YAML 1.2 core: true/false, null, ints,
// floats; quoted scalars stay strings). Null when there is none; throws Error(invalid_input)
// naming `source` when the YAML is malformed.
nlohmann::json parse_model_card(std::string_view readme, std::string_view source);

}  // namespace hubbench::hub
