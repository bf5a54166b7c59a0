#include "harness/plan.hpp"

#include <boost/graph/depth_first_search.hpp>
#include <boost/graph/exception.hpp>
#include <boost/graph/reverse_graph.hpp>
#include <boost/property_map/property_map.hpp>
#include <algorithm>
#include <chrono>
#include <map>
#include <numeric>

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

namespace {

// Collects vertices as the depth-first search finishes them; a back edge is a cycle.
struct FinishOrder : boost::default_dfs_visitor {
    std::vector<JobId>* finished;
    template <class Edge, class Graph>
    void back_edge(Edge, const Graph&) const {
        throw boost::not_a_dag();
    }
    template <class Vertex, class Graph>
    void finish_vertex(Vertex v, const Graph&) const {
        finished->push_back(v);
    }
};

}  // namespace

std::vector<JobId> Plan::order() const {
    // Boost's depth-first search over the reversed graph (edges from a job to its prerequisites):
    // a job finishes after all of its prerequisites, so the finishing order is a topological order
    // of the plan (what boost::topological_sort computes, read the other way round). The searches
    // start from the jobs group by group (groups in order of their first job, a job without a
    // group on its own), so a model's jobs run together and its prerequisites just before them.
    std::vector<JobId> roots(size());
    std::iota(roots.begin(), roots.end(), JobId{0});
    std::map<std::string, JobId> first_of_group;
    for (JobId v = 0; v < size(); ++v) first_of_group.emplace(graph_[v].group, v);
    auto rank = [&](JobId v) { return graph_[v].group.empty() ? v : first_of_group.at(graph_[v].group); };
    std::stable_sort(roots.begin(), roots.end(), [&](JobId a, JobId b) { return rank(a) < rank(b); });

    const auto prerequisites = boost::make_reverse_graph(graph_);
    std::vector<boost::default_color_type> colors(size(), boost::white_color);
    auto color = boost::make_iterator_property_map(colors.begin(), boost::get(boost::vertex_index, prerequisites));
    std::vector<JobId> result;
    try {
        for (JobId v : roots)
            if (colors[v] == boost::white_color) boost::depth_first_visit(prerequisites, v, FinishOrder{{}, &result}, color);
    } catch (const boost::not_a_dag&) {
        throw Error(ErrorKind::internal, "plan: the job graph has a cycle");
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
