// --dtype through the real binary: bfloat16 and int8 compute keep a decoder's perplexity within 1%
// of float32 (docs/references.md), the portable kernels (HUBBENCH_NO_AVX512=1) agree with the
// AVX-512 ones, a bfloat16 result is its own row next to a float32 one, and bad values are one-line
// errors.
#include <doctest/doctest.h>

#include <cmath>
#include <nlohmann/json.hpp>

#include "core/fs.hpp"
#include "tests/support/support.hpp"

using namespace hubbench;
namespace fs = std::filesystem;

namespace {

double eval_ppl(const std::string& dtype, const std::map<std::string, std::string>& env = {}) {
    auto r = test::run_hubbench({"eval", "--model", test::fixture("tiny-llama").string(), "--task", "perplexity", "--limit", "2000",
                                 "--dtype", dtype, "--format", "json", "-q"},
                                "", env);
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    const auto j = nlohmann::json::parse(r.out);
    CHECK(j.at("compute_dtype") == (dtype == "bf16" ? "bfloat16" : dtype == "q8_0" ? "int8" : dtype));
    return j.at("metrics").at("token_ppl").get<double>();
}

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

// `dtype` (and its other spelling) within 1 % of float32 and the portable kernels within 1e-4 of the
// AVX-512 ones. For bfloat16 on a CPU with AVX512-BF16, the AVX-512 kernels multiply activations
// rounded to bfloat16 (vdpbf16ps); HUBBENCH_NO_AVX512_BF16=1 keeps them float32, as the portable
// kernels do, and those two agree within 1e-4 of each other and within 1e-3 of the vdpbf16ps path.
void check_eval_dtype(const std::string& dtype, const std::string& alias) {
    const double f32 = eval_ppl("float32");
    const double reduced = eval_ppl(alias);
    const double portable = eval_ppl(dtype, {{"HUBBENCH_NO_AVX512", "1"}});
    const double widened = eval_ppl(dtype, {{"HUBBENCH_NO_AVX512_BF16", "1"}});
    MESSAGE("tiny-llama token ppl: float32 " << f32 << ", " << dtype << " " << reduced << ", " << dtype << " portable " << portable
                                             << ", without AVX512-BF16 " << widened);
    CHECK(std::fabs(reduced - f32) / f32 <= 0.01);
    CHECK(reduced != f32);                                  // the weights were rounded
    CHECK(std::fabs(portable - widened) / widened <= 1e-4);  // the same products, summed in another order
    CHECK(std::fabs(portable - reduced) / reduced <= 1e-3);  // the activations too, where vdpbf16ps ran
}

}  // namespace

TEST_SUITE("integration") {
TEST_CASE("eval in bfloat16 keeps perplexity within 1 percent of float32 on both kernel paths") {
    check_eval_dtype("bfloat16", "bf16");
}

TEST_CASE("eval in int8 keeps perplexity within 1 percent of float32 on both kernel paths") { check_eval_dtype("int8", "q8_0"); }

TEST_CASE("a bfloat16 or int8 result is a row of its own and says its dtype in the parameters") {
    TempDir dir;
    const fs::path db = dir.path() / "h.db";
    const fs::path suite = dir.path() / "suite.yaml";
    write_file_atomic(suite, "name: dtype-test\ntasks:\n  - task: perplexity\n    params: {max_length: 64, stride: 64, limit: 300}\n");
    const std::vector<std::string> run{"run", "--suite", suite.string(), "--db", db.string(), "--model",
                                       test::fixture("tiny-gpt2").string(), "--threads", "1"};
    auto first = test::run_hubbench(run);
    INFO(first.err);
    REQUIRE(first.exit_code == 0);
    auto again = run;
    again.insert(again.end(), {"--dtype", "bfloat16"});
    auto second = test::run_hubbench(again);
    INFO(second.err);
    REQUIRE(second.exit_code == 0);
    CHECK(contains(second.out, "1 measured, 0 reused"));
    auto third = test::run_hubbench(again);
    CHECK(contains(third.out, "0 measured, 1 reused"));
    auto report = test::run_hubbench({"report", "--db", db.string(), "--format", "json"});
    REQUIRE(report.exit_code == 0);
    CHECK(contains(report.out, "\"dtype\": \"bfloat16\""));  // the bf16 row's parameters (tiny-gpt2 is stored in float32)
    // int8 is a third row, beside both.
    auto quantized = run;
    quantized.insert(quantized.end(), {"--dtype", "int8"});
    auto fourth = test::run_hubbench(quantized);
    INFO(fourth.err);
    REQUIRE(fourth.exit_code == 0);
    CHECK(contains(fourth.out, "1 measured, 0 reused"));
    CHECK(contains(test::run_hubbench(quantized).out, "0 measured, 1 reused"));
    auto report3 = test::run_hubbench({"report", "--db", db.string(), "--format", "json"});
    CHECK(contains(report3.out, "\"dtype\": \"int8\""));

    // The suite file's `dtype:` is read; a bad one is refused with its line.
    write_file_atomic(suite, "name: dtype-test\ndtype: float16\ntasks:\n  - task: perplexity\n");
    auto bad = test::run_hubbench(run);
    CHECK(bad.exit_code == 1);
    CHECK(contains(bad.err, suite.string() + " line 2: dtype must be auto, float32, bfloat16 or int8"));
    auto bad_option = test::run_hubbench({"eval", "--model", test::fixture("tiny-gpt2").string(), "--task", "perplexity", "--dtype", "int4"});
    CHECK(bad_option.exit_code == 2);
    CHECK(contains(bad_option.err, "eval: --dtype must be auto, float32, bfloat16 or int8, not 'int4'"));
    CHECK(std::count(bad_option.err.begin(), bad_option.err.end(), '\n') == 1);
}
}
