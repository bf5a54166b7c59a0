// A model's identity for the results store. A snapshot from the HF cache is named by its commit;
// a plain folder has none, so it gets a content fingerprint ("local-<40 hex>") over its config,
// tokenizer files and the safetensors headers + sizes of its weights: the same folder gives the
// same id (so runs resume), an edited config or retrained weights give a new one.
#pragma once
#include <filesystem>
#include <string>

namespace hubbench::harness {

std::string local_model_revision(const std::filesystem::path& dir);

}  // namespace hubbench::harness
