// Classification on the user's own labelled data (CSV, TSV or JSONL), where encoders and decoders
// compete on equal terms. Methods (the row parameter `method`; several share one pass over the
// data):
//   probe       pooled embeddings -> L2-regularised logistic regression (LIBLINEAR), stratified
//               k-fold cross-validation, predictions pooled over folds; pairs as [u, v, |u-v|, u*v]
//   knn         cosine k-nearest neighbours within the same folds
//   likelihood  decoders: the label whose verbalizer is likeliest after the prompt (lm-eval's
//               convention), `accuracy` by the summed log-likelihood and `accuracy_norm` per
//               character; --shots K examples from the other folds in front
//   cloze       masked LMs: the verbalizer likeliest at {mask} (PET); a multi-token verbalizer by
//               its mean log-probability over as many masks as it has tokens
// Every method reports accuracy and macro-F1 with bootstrap standard errors, and stores each item's
// correctness so that reports can compare models on the same items.
#pragma once
#include "suites/task_entry.hpp"

namespace hubbench::suites {

// The registry entry: parameters method, text_column, text_pair_column, label_column, template,
// verbalizers, folds, seed, k, shots, limit, batch_size, bootstrap; default dataset SST-2 dev.
const TaskEntry& classification_task();

}  // namespace hubbench::suites
