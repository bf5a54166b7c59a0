// HUBBENCH_UNSANITIZED marks the engine's innermost numeric loops that AddressSanitizer leaves
// uninstrumented: OpenBLAS, which ran every product before the AVX-512 kernels, never was. With
// each of their loads and stores checked, the sanitizer build's whole-text perplexity test (nine
// processes scoring WikiText-2 at once) ran past its 1,800 s limit on 2026-12-04, where it had
// taken about 860 s. What these loops touch is bounded by the instrumented code around them
// (buffer sizes, tile and panel offsets), and tests/engine/linear_test.cpp and the reference
// tests check every value they compute. UndefinedBehaviorSanitizer still covers them.
#pragma once

#define HUBBENCH_UNSANITIZED __attribute__((no_sanitize_address))
