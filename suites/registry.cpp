// The task registry: one row per task, in the order reports show them. A task's parameters, default
// dataset, runner and metric meanings live in its own file (its *_task() entry).
#include "suites/classification.hpp"
#include "suites/multiple_choice.hpp"
#include "suites/perplexity.hpp"
#include "suites/pppl.hpp"
#include "suites/retrieval.hpp"
#include "suites/speed.hpp"
#include "suites/sts.hpp"
#include "suites/task.hpp"

namespace hubbench::suites {

const std::vector<const TaskEntry*>& task_entries() {
    static const std::vector<const TaskEntry*> entries = {
        &perplexity_task(),
        &pppl_task(),
        &sts_task(),
        &classification_task(),
        &multiple_choice_task(),
        &retrieval_task(),
        &speed_task(),
    };
    return entries;
}

}  // namespace hubbench::suites
