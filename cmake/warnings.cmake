# Warnings and sanitizers for our own targets only (third-party headers are system headers).
add_library(hubbench_flags INTERFACE)
target_compile_options(hubbench_flags INTERFACE -Wall -Wextra -Wpedantic)
# g++ 12 warns inside libstdc++ on correct code once it inlines deeply: -Wrestrict on
# `"literal" + std::string` (GCC bug 105329, fixed in 13), and -Wmaybe-uninitialized inside
# std::regex's std::function states under the sanitizers' instrumentation. Both only ever fire in
# system headers here; everything else stays on.
if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU" AND CMAKE_CXX_COMPILER_VERSION VERSION_LESS 13)
  target_compile_options(hubbench_flags INTERFACE -Wno-restrict)
  if(HUBBENCH_SANITIZE)
    target_compile_options(hubbench_flags INTERFACE -Wno-maybe-uninitialized)
  endif()
endif()
if(HUBBENCH_SANITIZE)
  target_compile_options(hubbench_flags INTERFACE -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined)
  target_link_options(hubbench_flags INTERFACE -fsanitize=address,undefined)
  # Under the sanitizers, -O2 doubles the compile time of a json-heavy file (reports/json.cpp:
  # 49 s at -O2 -g, 25 s at -O1 -g1 on the 2-core machine) and buys the tests nothing outside
  # the code that computes. Libraries marked HUBBENCH_COMPUTE keep -O2: engine, tokenizer and
  # adapters (log_softmax), which the whole WikiText-2 test text goes through in the suites'
  # tests. -g1 keeps the line tables the sanitizers' stack traces need, not the locals' info.
  target_compile_options(hubbench_flags INTERFACE
    $<IF:$<BOOL:$<TARGET_PROPERTY:HUBBENCH_COMPUTE>>,-O2,-O1> -g1)
endif()

# hubbench_add_library(name DIR dir [DEPS ...]): a static library from every .cpp under dir.
function(hubbench_add_library name)
  cmake_parse_arguments(ARG "" "DIR" "DEPS" ${ARGN})
  file(GLOB_RECURSE _sources CONFIGURE_DEPENDS "${ARG_DIR}/*.cpp")
  if(NOT _sources)
    set(_sources "${PROJECT_SOURCE_DIR}/cmake/empty.cpp")
  endif()
  add_library(${name} STATIC ${_sources})
  target_include_directories(${name} PUBLIC ${PROJECT_SOURCE_DIR})
  target_link_libraries(${name} PUBLIC hubbench_flags ${ARG_DEPS})
endfunction()

# libFuzzer builds: instrument our libraries for coverage and sanitizers too, so the fuzz targets
# (fuzz/CMakeLists.txt) are guided by the code they exercise, not only by their own file.
if(HUBBENCH_BUILD_FUZZ)
  target_compile_options(hubbench_flags INTERFACE -fsanitize=fuzzer-no-link,address,undefined)
  target_link_options(hubbench_flags INTERFACE -fsanitize=address,undefined)
endif()
