#include "suites/linear_probe.hpp"

#include <linear.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <memory>
#include <mutex>
#include <string>

#include "core/error.hpp"

namespace hubbench::suites {
namespace {

struct ModelDeleter {
    void operator()(model* m) const { free_and_destroy_model(&m); }
};

// LIBLINEAR reports its iterations on stdout through a process-wide hook; stdout carries only a
// command's result, so the hook is set once to print nothing.
void silence_liblinear() {
    static std::once_flag once;
    std::call_once(once, [] { set_print_string_function([](const char*) {}); });
}

}  // namespace

LinearProbe LinearProbe::fit(const std::vector<std::vector<float>>& x, std::span<const std::size_t> y,
                             std::size_t classes, const ProbeOptions& options) {
    if (!(options.c > 0.0)) throw Error(ErrorKind::usage, "the probe's C must be > 0, not " + std::to_string(options.c));
    if (!(options.tolerance > 0.0))
        throw Error(ErrorKind::usage, "the probe's tolerance must be > 0, not " + std::to_string(options.tolerance));
    if (x.empty() || x.size() != y.size())
        throw Error(ErrorKind::invalid_input, "probe: " + std::to_string(x.size()) + " feature rows for " +
                                                  std::to_string(y.size()) + " labels");
    const std::size_t n = x.size(), d = x[0].size();
    if (d == 0 || n > static_cast<std::size_t>(std::numeric_limits<int>::max() / 2) ||
        d >= static_cast<std::size_t>(std::numeric_limits<int>::max()))
        throw Error(ErrorKind::invalid_input, "probe: " + std::to_string(d) + "-dimensional features");
    std::vector<bool> present(classes, false);
    for (std::size_t i = 0; i < n; ++i) {
        if (x[i].size() != d)
            throw Error(ErrorKind::invalid_input, "probe: row " + std::to_string(i) + " has " +
                                                      std::to_string(x[i].size()) + " features, not " + std::to_string(d));
        if (y[i] >= classes)
            throw Error(ErrorKind::invalid_input, "probe: class " + std::to_string(y[i]) + " of row " +
                                                      std::to_string(i) + " is not below " + std::to_string(classes));
        present[y[i]] = true;
    }
    if (std::count(present.begin(), present.end(), true) < 2)
        throw Error(ErrorKind::invalid_input, "probe: the training rows hold fewer than two classes");

    // LIBLINEAR's sparse rows: 1-based (index, value) pairs, then the bias feature at index d+1
    // (value prob.bias, as its train.c appends it), then the terminator index −1.
    std::vector<feature_node> nodes(n * (d + 2));   // (n, d + 2)
    std::vector<feature_node*> rows(n);
    std::vector<double> labels(n);
    for (std::size_t i = 0; i < n; ++i) {
        feature_node* row = rows[i] = &nodes[i * (d + 2)];
        for (std::size_t j = 0; j < d; ++j) row[j] = {static_cast<int>(j + 1), static_cast<double>(x[i][j])};
        row[d] = {static_cast<int>(d + 1), 1.0};
        row[d + 1] = {-1, 0.0};
        labels[i] = static_cast<double>(y[i]);
    }
    problem prob{};
    prob.l = static_cast<int>(n);
    prob.n = static_cast<int>(d + 1);
    prob.y = labels.data();
    prob.x = rows.data();
    prob.bias = 1.0;   // sklearn: intercept_scaling = 1
    parameter param{};
    param.solver_type = L2R_LR;   // sklearn: penalty="l2", dual=False, loss="logistic_regression"
    param.C = options.c;
    param.eps = options.tolerance;
    if (const char* why = check_parameter(&prob, &param)) throw Error(ErrorKind::usage, std::string("probe: ") + why);

    silence_liblinear();
    const std::unique_ptr<model, ModelDeleter> m(train(&prob, &param));
    if (!m) throw Error(ErrorKind::internal, "probe: LIBLINEAR returned no model");

    LinearProbe probe;
    probe.classes_ = classes;
    probe.dimension_ = d;
    probe.weights_.assign(classes * d, 0.0);
    probe.intercepts_.assign(classes, -std::numeric_limits<double>::infinity());
    // model->label[k] is the class of LIBLINEAR's k-th weight vector (classes in order of first
    // appearance). get_decfun_coef/bias already give the second class of a binary model −w.
    for (int k = 0; k < m->nr_class; ++k) {
        const auto c = static_cast<std::size_t>(m->label[k]);
        for (std::size_t j = 0; j < d; ++j) probe.weights_[c * d + j] = get_decfun_coef(m.get(), static_cast<int>(j + 1), k);
        probe.intercepts_[c] = get_decfun_bias(m.get(), k);
    }
    return probe;
}

std::vector<double> LinearProbe::decision(std::span<const float> x) const {
    if (x.size() != dimension_)
        throw Error(ErrorKind::invalid_input, "probe: " + std::to_string(x.size()) + " features, the probe has " +
                                                  std::to_string(dimension_));
    std::vector<double> scores(classes_);
    for (std::size_t c = 0; c < classes_; ++c) {
        double s = intercepts_[c];
        for (std::size_t j = 0; j < dimension_; ++j) s += weights_[c * dimension_ + j] * static_cast<double>(x[j]);
        scores[c] = s;
    }
    return scores;
}

std::size_t LinearProbe::predict(std::span<const float> x) const {
    const auto scores = decision(x);
    std::size_t best = 0;
    for (std::size_t c = 1; c < scores.size(); ++c) {
        if (scores[c] > scores[best]) best = c;
    }
    return best;
}

std::vector<float> pair_features(std::span<const float> u, std::span<const float> v) {
    if (u.size() != v.size())
        throw Error(ErrorKind::internal, "pair features of " + std::to_string(u.size()) + " and " +
                                             std::to_string(v.size()) + " dimensions");
    const std::size_t d = u.size();
    std::vector<float> f(4 * d);
    for (std::size_t j = 0; j < d; ++j) {
        f[j] = u[j];
        f[d + j] = v[j];
        f[2 * d + j] = std::fabs(u[j] - v[j]);
        f[3 * d + j] = u[j] * v[j];
    }
    return f;
}

}  // namespace hubbench::suites
