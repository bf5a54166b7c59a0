// The tensor operations the architectures are built from, one per file in engine/ops/. All take
// row-major float32 buffers (weight matrices as an ops::Matrix, float32 or bfloat16); `n` is a
// row count, a shape comment gives each buffer's layout.
// Matrix products go through the engine's AVX-512 kernels on OpenMP threads, or OpenBLAS where the
// CPU has no AVX-512 (and for float32 products over fewer than 256 inputs); so does attention over
// several queries (attention_avx512.cpp) for heads of 32 and wider. Row-wise ops and attention's
// heads are split over OpenMP threads when the products are (engine/ops/parallel.hpp).
#pragma once
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "engine/config.hpp"

namespace hubbench::engine::ops {

// A weight matrix as it is held in memory: float32; bfloat16 kept as the checkpoint stores it
// (--dtype bfloat16); or 8-bit integers with a float32 scale per block of q8_block consecutive
// elements (--dtype int8, quantize.hpp). linear() multiplies each with float32 activations and
// float32 accumulation. Like CTranslate2's StorageView, the view carries its type, so a model file
// builds its layers the same way whatever the compute dtype.
enum class WeightType : std::uint8_t { f32, bf16, q8 };
inline constexpr std::size_t q8_block = 32;  // elements per scale of an int8 matrix (llama.cpp QK8_0)
class Matrix {
public:
    Matrix() = default;
    Matrix(const float* data) : data_(data) {}  // NOLINT: a float32 pointer is a float32 matrix
    static Matrix bf16(const std::uint16_t* data) {
        Matrix m;
        m.data_ = data;
        m.type_ = WeightType::bf16;
        return m;
    }
    // Element i is values[i] * scales[i / q8_block]; rows (of either layout) hold a multiple of
    // q8_block elements, so no block spans two rows.
    static Matrix q8(const std::int8_t* values, const float* scales) {
        Matrix m;
        m.data_ = values;
        m.scales_ = scales;
        m.type_ = WeightType::q8;
        return m;
    }
    WeightType type() const { return type_; }
    explicit operator bool() const { return data_ != nullptr; }
    const void* data() const { return data_; }
    const float* scales() const { return scales_; }  // int8 matrices only
    // The float32 data; throws Error(internal) for another type (an op without a kernel for it).
    const float* f32() const;
    const std::uint16_t* bf16_data() const { return static_cast<const std::uint16_t*>(data_); }
    // The matrix from element `elements` on (a fused projection's second half; for int8 a multiple
    // of q8_block).
    Matrix offset(std::size_t elements) const;

private:
    const void* data_ = nullptr;
    const float* scales_ = nullptr;
    WeightType type_ = WeightType::f32;
};

// Whether linear() uses its own AVX-512 kernels (gemm_avx512.cpp, gemv_avx512.cpp; float32 and
// bfloat16 weights, their work on OpenMP threads): where the CPU has AVX-512F/BW/VL, unless
// HUBBENCH_NO_AVX512=1 forces the portable path (OpenBLAS's threads for float32, widened blocks
// through sgemm for bfloat16). The setter (tests, benchmarks) compares the two in one process;
// asking for AVX-512 on a CPU without it keeps the portable path.
bool avx512_enabled();
void set_avx512_enabled(bool enabled);
// Whether bfloat16 products of (out, in) weights with an even `in` use the CPU's AVX512-BF16
// dot product (vdpbf16ps: pairs of bfloat16 products summed into float32): where the CPU has it
// and avx512_enabled(), unless HUBBENCH_NO_AVX512_BF16=1. The instruction takes both operands in
// bfloat16, so there the activations entering the product are rounded to bfloat16 (to nearest
// even) as well, as PyTorch's and llama.cpp's bf16 products do; elsewhere they stay float32 and
// the weights are widened. Both are held to docs/references.md's bfloat16 bounds.
bool avx512_bf16_enabled();
void set_avx512_bf16_enabled(bool enabled);

// y = x W^T + b for nn.Linear (weight (out, in)), or y = x W + b for GPT-2's Conv1D (weight
// (in, out), in_major = true).
struct Linear {
    Matrix weight;
    const float* bias = nullptr;  // (out) or nullptr
    std::size_t in = 0;
    std::size_t out = 0;
    bool in_major = false;
};
// x (n, in) with row stride ldx -> y (n, out) with row stride ldy.
void linear(const Linear& layer, const float* x, std::size_t n, float* y);
void linear(const Linear& layer, const float* x, std::size_t ldx, std::size_t n, float* y, std::size_t ldy);
// y (n, out) += linear(x) (a residual connection: y + (x W^T + b), rounded as the two steps are).
// Without a bias, on the AVX-512 kernels, the product is added as each block is stored; otherwise
// it goes through `scratch` (n, out) and add_in_place.
void linear_add(const Linear& layer, const float* x, std::size_t n, float* y, float* scratch);

// x (n, c) <- LayerNorm(x) * gamma + beta (torch.nn.LayerNorm, biased variance).
void layer_norm(float* x, std::size_t n, std::size_t c, const float* gamma, const float* beta, double eps);
// out (n, c) = LayerNorm(x + residual) (BERT's post-LN "add & norm"); out may alias x.
void add_layer_norm(const float* x, const float* residual, float* out, std::size_t n, std::size_t c, const float* gamma,
                    const float* beta, double eps);
// out (n, c) = x * rsqrt(mean(x^2) + eps) * weight (LlamaRMSNorm); out may alias x.
void rms_norm(const float* x, float* out, std::size_t n, std::size_t c, const float* weight, double eps);

// x (count) <- act(x).
void activate(Activation act, float* x, std::size_t count);
// gate (n, c) <- act(gate) * up (LlamaMLP: down_proj(act_fn(gate_proj(x)) * up_proj(x))).
void activate_and_multiply(Activation act, float* gate, const float* up, std::size_t count);

// y (count) += x (count): residual connections.
void add_in_place(float* y, const float* x, std::size_t count);

// out (n, c) = table[ids[i]] rows; throws Error(invalid_input) for an id outside [0, rows).
void embedding(const float* table, std::size_t rows, std::size_t c, std::span<const std::int32_t> ids, float* out);
// The same from a table in the compute dtype (a decoder's input embeddings, tied to its LM head):
// bfloat16 rows are widened as they are read.
void embedding(const Matrix& table, std::size_t rows, std::size_t c, std::span<const std::int32_t> ids, float* out);
// out (n, c) += table[index[i]] rows (position and token type embeddings); index checked as above.
void add_embedding(const float* table, std::size_t rows, std::size_t c, std::span<const std::int32_t> index, float* out,
                   const char* what);

// Rotary position embeddings in the rotate_half layout (modeling_llama.py apply_rotary_pos_emb).
// Holds cos/sin tables, grown on demand for the positions seen.
class Rope {
public:
    // Rotates the first int(head_dim * config.partial_rotary_factor) dimensions of each head.
    // Throws Error(invalid_input) when longrope's factor lists do not hold rotary_dim / 2 values.
    Rope(const RopeConfig& config, std::size_t head_dim);
    // x (n, heads * head_dim) with row stride ld; row i at position positions[i]. longrope: the
    // long frequencies when the call's largest position reaches original_max_positions (what
    // transformers' longrope_frequency_update does per forward call), else the short ones.
    void apply(float* x, std::size_t n, std::size_t ld, std::size_t heads, std::span<const std::int32_t> positions);
    const std::vector<double>& inv_freq() const { return short_.inv_freq; }
    const std::vector<double>& long_inv_freq() const { return long_.inv_freq; }
    std::size_t rotary_dim() const { return rotary_dim_; }

private:
    struct Table {
        std::vector<double> inv_freq;   // (rotary_dim / 2)
        std::vector<float> cos, sin;    // (positions, rotary_dim / 2), times attention_factor
        std::size_t cached = 0;
        void grow(std::size_t positions, double scale);
    };
    std::size_t head_dim_;
    std::size_t rotary_dim_;
    double attention_factor_ = 1.0;
    std::size_t switch_at_ = 0;  // longrope: original_max_positions; 0: one table
    Table short_, long_;
};

// Scaled dot-product attention over one sequence, all heads, with grouped-query heads.
struct AttentionParams {
    std::size_t num_heads = 0;
    std::size_t num_kv_heads = 0;
    std::size_t head_dim = 0;
    float scale = 1.0f;
    bool causal = true;
    // Sliding window (0: none): a causal query at p sees keys j > p - window; a bidirectional one
    // (ModernBERT's local layers) keys with |j - p| < window.
    std::size_t window = 0;
    float softcap = 0.0f;    // > 0: scores = softcap * tanh(scores / softcap) before softmax (Gemma 2)
    // Relative position bias (MPNet), added to the scaled scores: head h, query at absolute
    // position i, key at j gets position_bias[h * (2 * bias_length - 1) + (j - i + bias_length - 1)];
    // |j - i| < bias_length. nullptr: none.
    const float* position_bias = nullptr;
    std::size_t bias_length = 0;
    // A bias per head, query and key (DeBERTa's disentangled attention, which depends on the
    // queries and keys themselves), added to the scaled scores: (heads, n, m) row-major for the
    // n queries and m keys of the call. nullptr: none.
    const float* score_bias = nullptr;
};
// q (n, heads * d) row stride ldq; k, v (m, kv_heads * d) strides ldk, ldv; out (n, heads * d) stride
// ldo. The n queries are the last n of the m positions (m - n cached before them).
void attention(const AttentionParams& p, const float* q, std::size_t ldq, const float* k, std::size_t ldk, const float* v,
               std::size_t ldv, std::size_t n, std::size_t m, float* out, std::size_t ldo);

// Each row (n, c) <- softmax(row) in place; entries equal to -inf get probability 0.
void softmax_rows(float* x, std::size_t n, std::size_t c, std::size_t ld);

// Index of the largest value (the first one on ties, like torch.argmax).
std::size_t argmax(const float* x, std::size_t count);

}  // namespace hubbench::engine::ops
