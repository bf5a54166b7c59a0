#include <doctest/doctest.h>

#include "core/error.hpp"
#include "harness/plan.hpp"

using namespace hubbench;
using namespace hubbench::harness;

TEST_SUITE("unit") {
TEST_CASE("plan order respects dependencies and keeps a model's jobs together") {
    Plan plan;
    std::vector<std::string> ran;
    auto job = [&](const std::string& name) { return [&ran, name] { ran.push_back(name); }; };
    JobId pull_a = plan.add("pull a", "a", job("pull a"));
    JobId pull_b = plan.add("pull b", "b", job("pull b"));
    JobId eval_b1 = plan.add("eval b ppl", "b", job("eval b ppl"));
    JobId eval_a1 = plan.add("eval a ppl", "a", job("eval a ppl"));
    JobId eval_b2 = plan.add("eval b sts", "b", job("eval b sts"));
    JobId eval_a2 = plan.add("eval a sts", "a", job("eval a sts"));
    JobId report = plan.add("report", "", job("report"));
    plan.depends(eval_a1, pull_a);
    plan.depends(eval_a2, pull_a);
    plan.depends(eval_b1, pull_b);
    plan.depends(eval_b2, pull_b);
    for (JobId e : {eval_a1, eval_a2, eval_b1, eval_b2}) plan.depends(report, e);
    plan.execute();
    CHECK(ran == std::vector<std::string>{"pull a", "eval a ppl", "eval a sts", "pull b", "eval b ppl", "eval b sts", "report"});
    CHECK(plan.count(JobStatus::ok) == 7);
}

TEST_CASE("a prerequisite added late still runs first and a chain runs in dependency order") {
    Plan plan;
    JobId report = plan.add("report", "", [] {});
    JobId eval = plan.add("eval a", "a", [] {});
    JobId load = plan.add("load a", "a", [] {});
    JobId search = plan.add("search", "", [] {});
    JobId pull = plan.add("pull a", "a", [] {});
    plan.depends(report, eval);
    plan.depends(eval, load);
    plan.depends(load, pull);
    plan.depends(pull, search);
    CHECK(plan.order() == std::vector<JobId>{search, pull, load, eval, report});
    Plan loop;
    JobId x = loop.add("x", "", [] {}), y = loop.add("y", "", [] {}), z = loop.add("z", "", [] {});
    loop.depends(y, x);
    loop.depends(z, y);
    loop.depends(x, z);
    CHECK_THROWS_WITH_AS(loop.order(), doctest::Contains("cycle"), Error);
}

TEST_CASE("a failed job skips everything downstream with the reason and the rest still runs") {
    Plan plan;
    int other_runs = 0;
    JobId pull = plan.add("pull bad", "bad", [] { throw Error(ErrorKind::not_found, "fixtures/x: repository not found"); });
    JobId eval = plan.add("eval bad ppl", "bad", [] {});
    JobId after = plan.add("report bad", "", [] {});
    JobId other = plan.add("eval good", "good", [&] { ++other_runs; });
    plan.depends(eval, pull);
    plan.depends(after, eval);
    plan.execute();
    CHECK(plan.job(pull).status == JobStatus::failed);
    CHECK(plan.job(pull).reason == "fixtures/x: repository not found");
    CHECK(plan.job(eval).status == JobStatus::skipped);
    CHECK(plan.job(eval).reason == "pull bad failed: fixtures/x: repository not found");
    CHECK(plan.job(after).status == JobStatus::skipped);
    CHECK(plan.job(after).reason.rfind("eval bad ppl skipped: ", 0) == 0);
    CHECK(plan.job(other).status == JobStatus::ok);
    CHECK(other_runs == 1);
}

TEST_CASE("a cycle in the plan is reported instead of looping") {
    Plan plan;
    JobId a = plan.add("a", "", [] {});
    JobId b = plan.add("b", "", [] {});
    plan.depends(a, b);
    plan.depends(b, a);
    CHECK_THROWS_AS(plan.order(), Error);
}

TEST_CASE("an interruption marks the job failed and stops the plan") {
    Plan plan;
    bool second_ran = false;
    plan.add("first", "", [] { throw Error(ErrorKind::interrupted, "interrupted"); });
    plan.add("second", "", [&] { second_ran = true; });
    CHECK_THROWS_AS(plan.execute(), Error);
    CHECK(plan.job(0).status == JobStatus::failed);
    CHECK_FALSE(second_ran);
}
}
