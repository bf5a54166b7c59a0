// Cosine k-nearest-neighbour classification of embeddings: the training items most similar to a
// query vote for their class. A probe without training, which shows what the embedding space
// itself separates.
#pragma once
#include <cstddef>
#include <span>
#include <vector>

namespace hubbench::suites {

struct KnnPrediction {
    std::size_t label = 0;            // the predicted class
    std::vector<double> scores;       // (classes): votes / k, the share of the neighbours in each class
    std::vector<double> similarity;   // (classes): the summed cosine of each class's neighbours
};

// For every query, its k most similar training vectors by dot product, which is the cosine
// similarity because all vectors are expected L2-normalised (the caller normalises; the vectors
// are used as given). Equal similarities rank the lower training index first. The prediction is
// the class with the most votes; a tie goes to the larger summed cosine, then to the lower class.
// k larger than the training set uses all of it. Similarities come from one cblas_sgemm per block
// of queries (float, as the embeddings are). Error(usage) for k = 0; Error(invalid_input) for an
// empty training set, vectors of different sizes or a label not below `classes`.
std::vector<KnnPrediction> knn_predict(const std::vector<std::vector<float>>& train,
                                       std::span<const std::size_t> train_labels, std::size_t classes,
                                       const std::vector<std::vector<float>>& queries, std::size_t k);

}  // namespace hubbench::suites
