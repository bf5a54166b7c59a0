// Stable log-softmax of one row of float32 logits, evaluated in double. Scoring keeps only the
// target token's log-probability, so a window costs O(T) memory, not O(T·V).
#pragma once
#include <cstddef>
#include <cstdint>

namespace hubbench::adapters {

// log sum_i exp(logits[i]), computed as max + log(sum exp(x - max)) in double (the max shift
// keeps every exp() in [0, 1], so nothing overflows however large the logits are).
double log_sum_exp(const float* logits, std::size_t n);

// log softmax(logits)[target] = logits[target] - log_sum_exp(logits).
inline double log_softmax_at(const float* logits, std::size_t n, std::int32_t target) {
    return static_cast<double>(logits[target]) - log_sum_exp(logits, n);
}

}  // namespace hubbench::adapters
