// A run plan: a DAG of jobs (search, pull a model, evaluate a task, render a report) held in a
// Boost.Graph adjacency list. Edges point from a job to the jobs that need its result. Execution
// follows a topological order from Boost's depth-first search that keeps jobs of the same group (a
// model) together, the way llama-bench orders its instances to "minimize the number of times each
// model needs to be reloaded". A failed job does not stop the plan: every job that depends on it, directly or not,
// is marked skipped with the reason, and the rest runs.
#pragma once
#include <boost/graph/adjacency_list.hpp>
#include <cstddef>
#include <functional>
#include <string>
#include <vector>

namespace hubbench::harness {

enum class JobStatus { pending, ok, failed, skipped };
const char* job_status_name(JobStatus status);

struct Job {
    std::string name;   // "pull fixtures/tiny-gpt2", "eval fixtures/tiny-gpt2 perplexity"
    std::string group;  // jobs with the same group run consecutively when the DAG allows it
    std::function<void()> run;
    JobStatus status = JobStatus::pending;
    std::string reason;   // why it failed or was skipped
    double seconds = 0.0;
};

using JobId = std::size_t;

class Plan {
public:
    JobId add(std::string name, std::string group, std::function<void()> run);
    // `job` needs `prerequisite` to have succeeded.
    void depends(JobId job, JobId prerequisite);

    std::size_t size() const { return boost::num_vertices(graph_); }
    const Job& job(JobId id) const { return graph_[id]; }

    // Topological order, groups kept together (in order of their first job), then insertion order.
    // Throws Error(internal) naming a job on a cycle.
    std::vector<JobId> order() const;

    struct Observer {
        std::function<void(const Job&)> on_start;
        std::function<void(const Job&)> on_finish;  // after ok, failed or skipped
    };
    // Runs every job once. A job that throws hubbench::Error (or std::exception) is failed with
    // its message; an interruption (Ctrl-C) is re-thrown after marking the job failed, so the
    // caller can stop cleanly.
    void execute(const Observer& observer = {});

    std::size_t count(JobStatus status) const;

private:
    using Graph = boost::adjacency_list<boost::vecS, boost::vecS, boost::bidirectionalS, Job>;
    Graph graph_;
};

}  // namespace hubbench::harness
