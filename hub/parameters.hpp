// Parameter counts from safetensors headers, the way the Hub computes the `safetensors` field of
// model info and huggingface_hub's get_safetensors_metadata reads them (hf_api.py): the header of
// model.safetensors, or of every shard named by model.safetensors.index.json. Parsing is
// core/safetensors_header's.
#pragma once
#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace hubbench::hub {

// Which files hold the weights: "model.safetensors" when present; else the shards the index names
// (`index_shards`, from model.safetensors.index.json's weight_map); else every *.safetensors file.
std::vector<std::string> safetensors_weight_files(const std::vector<std::string>& files,
                                                  const std::vector<std::string>& index_shards);

// The unique shard names of a model.safetensors.index.json text. Throws Error(invalid_input).
std::vector<std::string> index_shards(const std::string& index_json, const std::string& source);

// parameter_count_by_dtype of one local safetensors file, reading only its header.
std::map<std::string, std::uint64_t> safetensors_file_parameters(const std::filesystem::path& file);

// Sum of parameter_count_by_dtype over the weight files of a local repo folder (`files` relative
// to `dir`); nullopt when there are none. Reads only the headers. Throws Error naming the file.
std::optional<std::map<std::string, std::uint64_t>> count_parameters_in_dir(const std::filesystem::path& dir,
                                                                           const std::vector<std::string>& files);

}  // namespace hubbench::hub
