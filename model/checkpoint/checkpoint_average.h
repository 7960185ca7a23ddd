#pragma once
// Weight averaging of model files (docs/architecture.md "Checkpoints", "Averaging model files"):
// several files of one model -- the same domain, kind, structure and tensors, e.g. fine-tunes of one
// file with different seeds -- become one whose floating-point tensors are the weighted mean of
// theirs (a "model soup", Wortsman et al. 2022). What the files learned about the structure must
// agree: every config entry but the training records ("training*", "metrics", "data", "imported",
// "averaged") is equal (numbers to a relative 1e-5: a latent scale measured again over the same
// pictures differs in its last digits), and every non-floating tensor (class ids, counters) is equal. The result's
// config is the first file's, with an "averaged" record naming each source, its SHA-256, its weight
// and its own training records. The files are read one at a time: the sums (in double) and one
// file are in memory, about 3x the largest file's tensors.
#include <filesystem>
#include <string>
#include <vector>

#include "model/checkpoint/checkpoint.h"

namespace fieldscope {

struct AverageSource {
  std::filesystem::path file;
  double weight = 1.0;  // relative; the weights are normalised to sum 1
};

// Throws std::runtime_error naming the file and the tensor or config entry that does not agree,
// or a weight that is not positive. Needs at least two sources.
Checkpoint averageCheckpoints(const std::vector<AverageSource>& sources);

}  // namespace fieldscope
