// Retrieval over a BEIR folder (corpus.jsonl, queries.jsonl, qrels/test.tsv): every document and
// query embedded, each query's 100 most similar documents by cosine (exact; HNSW (hnswlib) beyond
// `exact_max_documents`), scored as BEIR reports it: nDCG@10, recall@10 and @100, MRR@10, each the
// mean over queries with its standard error. Per-query nDCG@10 is stored so that reports can
// compare models on the same queries.
#pragma once
#include "suites/task_entry.hpp"

namespace hubbench::suites {

// The registry entry: parameters limit, batch_size, query_prefix, document_prefix,
// exact_max_documents; default dataset the STS-B paraphrase retrieval set.
const TaskEntry& retrieval_task();

}  // namespace hubbench::suites
