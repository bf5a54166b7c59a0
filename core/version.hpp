#pragma once

namespace hubbench {
const char* version();     // "0.1.0", from project(VERSION) in CMakeLists.txt
const char* git_commit();  // the commit built, "-dirty" when tracked files differed, or "unknown"
}  // namespace hubbench
