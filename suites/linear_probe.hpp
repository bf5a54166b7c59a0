// A linear probe: L2-regularised logistic regression on frozen features, through LIBLINEAR with
// the settings of scikit-learn's LogisticRegression(solver="liblinear") defaults, and the
// Sentence-BERT features of a text pair.
#pragma once
#include <cstddef>
#include <span>
#include <vector>

namespace hubbench::suites {

// scikit-learn's defaults: C = 1.0 (inverse regularisation strength), tol = 1e-4.
struct ProbeOptions {
    double c = 1.0;
    double tolerance = 1e-4;
};

// The fitted weights, copied out of LIBLINEAR's model (which is freed before fit returns), one
// weight vector and intercept per class.
class LinearProbe {
public:
    // x: (n, d) features; y: class index (0 .. classes-1) of each row. Solves, as sklearn's
    // liblinear solver does, min_w ½‖w‖² + C Σ log(1 + exp(−y_i w·[x_i, 1])) with LIBLINEAR's
    // L2R_LR (primal, trust-region Newton), bias 1.0 (intercept_scaling = 1, the intercept is
    // regularised like the weights), no class weights; more than two classes are one-vs-rest.
    // Error(usage) for C or tolerance not > 0; Error(invalid_input) for empty or ragged x, a class
    // index out of range, or fewer than two classes present in y.
    static LinearProbe fit(const std::vector<std::vector<float>>& x, std::span<const std::size_t> y,
                           std::size_t classes, const ProbeOptions& options = {});

    // One score per class 0..classes-1: w_c·x + b_c (one-vs-rest margins). With two classes
    // LIBLINEAR has one weight vector; the scores are {−s, s}, s being scikit-learn's
    // decision_function (positive: class 1). A class absent from the training labels scores −inf.
    std::vector<double> decision(std::span<const float> x) const;
    // The first class with the highest score (numpy.argmax); with two classes class 1 exactly
    // when s > 0, as scikit-learn predicts.
    std::size_t predict(std::span<const float> x) const;

    std::size_t classes() const { return classes_; }
    std::size_t dimension() const { return dimension_; }

private:
    std::size_t classes_ = 0, dimension_ = 0;
    std::vector<double> weights_;     // (classes, dimension) row-major
    std::vector<double> intercepts_;  // (classes); −inf for a class absent from training
};

// Sentence-BERT's classification features of a pair (Reimers & Gurevych 2019, §3):
// [u, v, |u − v|, u ∗ v], of size 4·d. Error(internal) when u and v differ in size.
std::vector<float> pair_features(std::span<const float> u, std::span<const float> v);

}  // namespace hubbench::suites
