#include "harness/plan.hpp"

#include <boost/graph/topological_sort.hpp>
#include <chrono>
#include <iterator>
#include <set>

#include "core/error.hpp"
#include "core/interrupt.hpp"

namespace hubbench::harness {

const char* job_status_name(JobStatus status) {
    switch (status) {
        case JobStatus::pending: return "pending";
        case JobStatus::ok: return "ok";
        case JobStatus::failed: return "failed";
        case JobStatus::skipped: return "skipped";
    }
    return "unknown";
}

JobId Plan::add(std::string name, std::string group, std::function<void()> run) {
    Job job;
    job.name = std::move(name);
    job.group = std::move(group);
    job.run = std::move(run);
    return boost::add_vertex(std::move(job), graph_);
}

void Plan::depends(JobId job, JobId prerequisite) {
    if (job >= size() || prerequisite >= size()) throw Error(ErrorKind::internal, "plan: dependency on an unknown job");
    boost::add_edge(prerequisite, job, graph_);
}

std::vector<JobId> Plan::order() const {
    // Boost's DFS topological sort detects cycles; Kahn's algorithm below then picks, among the
    // ready jobs, one of the group that ran last (fewest model reloads), else the oldest.
    try {
        std::vector<JobId> reverse_order;
        boost::topological_sort(graph_, std::back_inserter(reverse_order));
    } catch (const boost::not_a_dag&) {
        throw Error(ErrorKind::internal, "plan: the job graph has a cycle");
    }
    std::vector<std::size_t> waiting(size());
    std::set<JobId> ready;
    for (JobId v = 0; v < size(); ++v) {
        waiting[v] = boost::in_degree(v, graph_);
        if (waiting[v] == 0) ready.insert(v);
    }
    std::vector<JobId> result;
    std::string last_group;
    while (!ready.empty()) {
        auto pick = ready.begin();
        if (!last_group.empty()) {
            for (auto it = ready.begin(); it != ready.end(); ++it) {
                if (graph_[*it].group == last_group) {
                    pick = it;
                    break;
                }
            }
        }
        JobId v = *pick;
        ready.erase(pick);
        result.push_back(v);
        if (!graph_[v].group.empty()) last_group = graph_[v].group;
        for (auto [e, end] = boost::out_edges(v, graph_); e != end; ++e) {
            JobId next = boost::target(*e, graph_);
            if (--waiting[next] == 0) ready.insert(next);
        }
    }
    return result;
}

void Plan::execute(const Observer& observer) {
    for (JobId v : order()) {
        Job& job = graph_[v];
        if (job.status != JobStatus::pending) continue;
        for (auto [e, end] = boost::in_edges(v, graph_); e != end; ++e) {
            const Job& prerequisite = graph_[boost::source(*e, graph_)];
            if (prerequisite.status != JobStatus::ok) {
                job.status = JobStatus::skipped;
                job.reason = prerequisite.name + " " + job_status_name(prerequisite.status) +
                             (prerequisite.reason.empty() ? "" : ": " + prerequisite.reason);
                break;
            }
        }
        if (job.status == JobStatus::skipped) {
            if (observer.on_finish) observer.on_finish(job);
            continue;
        }
        if (observer.on_start) observer.on_start(job);
        auto start = std::chrono::steady_clock::now();
        bool stop = false;
        try {
            throw_if_interrupted();
            if (job.run) job.run();
            job.status = JobStatus::ok;
        } catch (const Error& e) {
            job.status = JobStatus::failed;
            job.reason = e.what();
            stop = e.kind() == ErrorKind::interrupted;
        } catch (const std::exception& e) {
            job.status = JobStatus::failed;
            job.reason = e.what();
        }
        job.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        if (observer.on_finish) observer.on_finish(job);
        if (stop) throw Error(ErrorKind::interrupted, "interrupted during " + job.name);
    }
}

std::size_t Plan::count(JobStatus status) const {
    std::size_t n = 0;
    for (JobId v = 0; v < size(); ++v) n += graph_[v].status == status ? 1 : 0;
    return n;
}

}  // namespace hubbench::harness
