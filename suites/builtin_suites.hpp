// The suite files of suites/*.yaml, compiled in by suites/CMakeLists.txt (builtin_suites.cpp is
// generated from them at build time).
#pragma once
#include <string_view>
#include <vector>

namespace hubbench::suites {

struct BuiltinSuite {
    std::string_view name;  // the file's stem: "default"
    std::string_view yaml;
};

const std::vector<BuiltinSuite>& builtin_suites();

}  // namespace hubbench::suites
