// The task registry: one entry per task, checked parameters, declared metric meanings and result
// rows, without running a model.
#include <doctest/doctest.h>

#include <set>

#include "core/error.hpp"
#include "suites/task.hpp"
#include "tests/support/support.hpp"

using namespace hubbench;
using namespace hubbench::suites;

TEST_SUITE("unit") {
TEST_CASE("every registered task has a unique name a runner and well formed declarations") {
    std::set<std::string> names;
    for (const TaskEntry* entry : task_entries()) {
        CAPTURE(entry->name);
        CHECK(names.insert(entry->name).second);
        CHECK((entry->run != nullptr));
        CHECK_FALSE(entry->label.empty());
        std::set<std::string> params;
        for (const auto& p : entry->params) CHECK(params.insert(p.name).second);
        if (!entry->row_param.empty()) CHECK(entry->param(entry->row_param) != nullptr);
        std::set<std::string> metrics;
        for (const auto& m : entry->metrics) {
            CHECK(metrics.insert(m.name).second);
            CHECK_FALSE(m.meaning.label.empty());
        }
        if (!entry->primary_metric.empty()) {
            auto primary = entry->meaning(entry->primary_metric);
            REQUIRE(primary.has_value());
            CHECK(primary->higher_is_better.has_value());
        }
    }
    CHECK(names.count("perplexity") == 1);
    CHECK(names.count("speed") == 1);
}

TEST_CASE("parameters are checked by name type and choice with one-line errors") {
    const TaskEntry& perplexity = task_entry("perplexity");
    CHECK(test::error_of([&] { Params(perplexity, {{"strides", 4}}); }) ==
          "perplexity: unknown parameter 'strides' (known: batch_size, convention, limit, max_length, stride)");
    CHECK(test::error_of([&] { Params(perplexity, {{"max_length", -3}}); }) ==
          "perplexity: max_length must be a whole number >= 0, got -3");
    CHECK(test::error_of([&] { Params(perplexity, {{"stride", nlohmann::json::array()}}); }) ==
          "perplexity: stride needs at least one value, got []");
    CHECK(test::error_of([&] { Params(perplexity, {{"convention", "vllm"}}); }) ==
          "perplexity: convention must be one of hf, llama.cpp, got 'vllm'");
    CHECK(test::error_of([&] { task_entry("bleu"); }).rfind("unknown task 'bleu' (tasks: perplexity, ", 0) == 0);
    Params p(perplexity, {{"stride", {128, 256}}, {"max_length", 512}});
    CHECK(p.counts("stride", {}) == std::vector<std::size_t>{128, 256});
    CHECK(p.count("max_length", 0) == 512);
    CHECK(p.count("limit", 7) == 7);
    CHECK(test::error_of([&] { p.count("undeclared", 0); }).find("undeclared") != std::string::npos);
}

TEST_CASE("metric meanings come from the entry and per-length families resolve their length") {
    const TaskEntry& speed = task_entry("speed");
    auto prefill = speed.meaning("prefill_tps_512");
    REQUIRE(prefill.has_value());
    CHECK(prefill->label == "prefill tok/s @512");
    CHECK(prefill->headline_rank == 512);
    CHECK(prefill->unit == "tok/s");
    CHECK(prefill->higher_is_better == true);
    CHECK(prefill->speed);
    CHECK_FALSE(speed.meaning("prefill_tps_x").has_value());
    CHECK_FALSE(speed.meaning("peak_rss_bytes").has_value());  // no legacy spellings
    auto rss = speed.meaning("peak_rss_mb");
    REQUIRE(rss.has_value());
    CHECK(rss->unit == "MiB");
    // Every task knows the phase timings the harness adds.
    auto forward = task_entry("sts").meaning("forward_seconds");
    REQUIRE(forward.has_value());
    CHECK(forward->auxiliary);
    // Declaration order is display order.
    const TaskEntry& pppl = task_entry("pppl");
    CHECK(pppl.meaning("pseudo_bits_per_byte")->position < pppl.meaning("pppl")->position);
    CHECK(pppl.meaning("pppl")->pseudo);
}

TEST_CASE("a listed row parameter splits a spec into result rows and joins back") {
    TaskSpec spec{"perplexity", {}, {{"max_length", 64}, {"stride", {32, 64}}}};
    auto rows = result_rows(spec);
    REQUIRE(rows.size() == 2);
    CHECK(rows[0].params == nlohmann::json{{"max_length", 64}, {"stride", 32}});
    CHECK(rows[1].params == nlohmann::json{{"max_length", 64}, {"stride", 64}});
    CHECK(join_rows(spec, rows).params == spec.params);
    CHECK(join_rows(spec, {rows[1]}).params == rows[1].params);
    TaskSpec scalar{"perplexity", {}, {{"stride", 32}}};
    CHECK(result_rows(scalar).size() == 1);
    TaskSpec sts{"sts", {}, {{"limit", 4}}};
    CHECK(result_rows(sts).size() == 1);
}
}
