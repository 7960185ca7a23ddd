#pragma once
// The one training loop (docs/architecture.md "Data flow of one decode".1: the training loop lives once, every trainer plugs into it).
// A trainer brings its step function and its state; the loop brings everything around them:
// resume from <out>.train, Ctrl-C / SIGTERM (finish the step, save, return), periodic atomic
// checkpoints, --stop-at, the progress line and the CSV log, and data-parallel training over
// several processes (docs/training.md): every rank runs the same steps on its shard of the
// batch, gradients are averaged over the ranks, and rank 0 alone logs and writes files.
//
// Determinism: the loop hands step k the generator stepGenerator(seed, k). A trainer that draws
// all its randomness (batch choice, noise, crops) from it has no RNG or data-position state to
// save: a run resumed at step k continues exactly as the uninterrupted run would.
#include <torch/types.h>
#include <c10/core/Device.h>

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include "model/train/distributed_options.h"

namespace fieldscope {

struct Checkpoint;
class GradientAllReduce;

// What every training run is told, whatever it trains (the CLI's shared flags).
struct TrainingRunOptions {
  std::filesystem::path out;  // the model file; its training state is <out>.train
  std::filesystem::path log;  // the CSV log; default <out>.loss.csv
  int64_t steps = 1000;
  int64_t checkpointEvery = 200;  // steps between saves of the state and the model
  int64_t logEvery = 10;          // steps between CSV rows
  int64_t stopAt = -1;            // stop (saving, as if interrupted) when this step is reached
  uint64_t seed = 0;
  bool resume = false;  // continue from <out>.train
  bool quiet = false;   // no progress line or messages (tests)
  // Set from another thread to stop as on Ctrl-C (e.g. a GUI's Stop button); may be null.
  const std::atomic<bool>* stopFlag = nullptr;
  std::string commandLine;  // recorded in the model by the trainer
  DistributedOptions dist;  // world > 1: this process is one rank of a data-parallel job
  // Where the trainer's modules and steps run (trainers that support a GPU: image-vae, sr-ae and
  // the latent diffusion trainer; the CLI gives the others no --device). Random numbers are drawn
  // on the CPU and moved, so a seed trains the same on any device up to float rounding.
  torch::Device device{torch::kCPU};
};

std::filesystem::path trainingStatePath(const TrainingRunOptions& o);
std::filesystem::path trainingLogPath(const TrainingRunOptions& o);
// Checks the options, that the model and log can be written and, when resuming, that the state
// exists: trainers call it before loading data, so that a typo does not wait for that.
void checkTrainingRun(const TrainingRunOptions& o);

// One step as the loop hands it to a trainer.
struct TrainStep {
  int64_t index;          // 0-based step number
  torch::Generator gen;   // the step's only source of randomness (in a job: this rank's own)
  double learningRate;    // from the trainer's learningRate(index), to apply to its optimizer
  // The data-parallel side (alone: rank 0 of 1, `shared` is `gen`). Batch items come from
  // batchIndices(step, n, batch) (model/train/batch_sampler.h): this rank's shard.
  int rank = 0, world = 1;
  uint64_t seed = 0;        // the run's
  torch::Generator shared;  // the same stream on every rank: draw for the global batch, keep your slice
  GradientAllReduce* gradients = nullptr;  // set in a job; see syncGradients()
};

// Every trainer calls this between its backward and its optimizer step (gradient clipping
// included): in a job, it waits for the gradients' all-reduce and leaves their mean over the
// ranks in .grad; alone it does nothing. The loop fails a step of a job that did not call it.
void syncGradients(const TrainStep& s);
// This rank's slice [rank·batch, (rank+1)·batch) of a tensor drawn for the global batch
// (batch × world rows): how per-item randomness stays the same as in a run alone.
torch::Tensor rankSlice(const TrainStep& s, const torch::Tensor& global, int64_t batch);

// Named values of one step, in the order of Trainable::logColumns(); the first is the loss
// shown on the progress line.
using StepValues = std::vector<std::pair<std::string, double>>;

// Where a save happens: the step reached, the training seconds of all sessions so far, and
// whether this is the run's last save (after evaluate()).
struct TrainingProgress {
  int64_t step;
  double seconds;
  bool final;
};

class Trainable {
 public:
  virtual ~Trainable() = default;
  virtual std::string domain() const = 0;     // the checkpoint domain of its files ("image", ...)
  virtual std::string stateKind() const = 0;  // names its training state ("vae-train-state", ...)
  virtual std::vector<std::string> logColumns() const = 0;
  virtual double learningRate(int64_t step) const = 0;
  virtual StepValues step(const TrainStep& s) = 0;
  // The parameters its optimizer trains: in a job, their gradients are averaged over the ranks
  // and rank 0's values are given to every rank before the first step.
  virtual std::vector<torch::Tensor> trainedParameters() = 0;
  // Adds the trainer's tensors (modules, optimizer, EMA) and config to a state the loop has
  // filled with domain, kind, step, seed and seconds.
  virtual void storeState(Checkpoint& state) = 0;  // not const: saving an optimizer is not
  // Restores from a state of this domain and kind; throws naming state.file when it does not fit.
  virtual void restoreState(const Checkpoint& state) = 0;
  // Called once after the last step, before the final save (held-out metrics, say).
  virtual void evaluate() {}
  // Writes the user-facing model file.
  virtual void saveModel(const TrainingProgress& p) = 0;
};

struct TrainingRunResult {
  int64_t stepsDone = 0;
  bool interrupted = false;  // stopped by a signal, the stop flag or stopAt; resumable
  double seconds = 0;        // training time of all sessions
};

// Runs `t` from step 0 (or the saved step when resuming) to o.steps. Throws std::runtime_error
// naming the file when the state cannot be resumed or a file cannot be written.
TrainingRunResult runTrainingLoop(Trainable& t, const TrainingRunOptions& o);

}  // namespace fieldscope
