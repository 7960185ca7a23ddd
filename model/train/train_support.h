#pragma once
// Pieces the trainers share inside their steps and saves: per-step random generators (so a run is
// deterministic for a seed, resumed or not), the optimizer state as checkpoint bytes, and what a
// model card records. The loop itself is model/train/training_loop.h.
#include <torch/optim/adam.h>
#include <torch/types.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace fieldscope {

struct TrainingRunOptions;
struct TrainingProgress;

// A generator for training step `step` of a run seeded with `seed`.
torch::Generator stepGenerator(uint64_t seed, int64_t step);
// A uniform integer in [0, n) and a uniform double in [0,1) from `gen`.
int64_t randomIndex(const torch::Generator& gen, int64_t n);
double randomUniform(const torch::Generator& gen);

torch::Tensor optimizerToBytes(torch::optim::Optimizer& opt);
// Every parameter of every group of `opt`: what a trainer's trainedParameters() returns.
std::vector<torch::Tensor> optimizerParameters(torch::optim::Optimizer& opt);
void optimizerFromBytes(torch::optim::Optimizer& opt, const torch::Tensor& bytes);

// The "training" record of a model card: command, steps, batch, lr, seed, seconds, hardware and
// when it finished, with the trainer's own entries (its loss, ...) added.
nlohmann::json trainingRecord(const TrainingRunOptions& run, const TrainingProgress& p, int64_t batch, double lr,
                              const nlohmann::json& own);

// "2 x Intel(R) ... (2 threads)" for model cards.
std::string hardwareDescription();
std::string utcTimestamp();

// Checks, before hours of training, that `path` can be written (creates and removes a probe).
void checkWritable(const std::filesystem::path& path);

}  // namespace fieldscope
