#pragma once
// Pieces every trainer shares: a terminal progress bar, Ctrl-C handling, the CSV loss log,
// per-step random generators (so a run is deterministic for a seed, resumed or not), and the
// optimizer state as checkpoint bytes.
#include <torch/optim/adam.h>
#include <torch/types.h>

#include <chrono>
#include <filesystem>
#include <string>
#include <vector>

namespace fieldscope {

class ProgressBar {
 public:
  ProgressBar(int64_t total, int64_t start);
  // Redraws (at most ~5 times a second, and always on the last step) on stderr.
  void update(int64_t step, const std::string& extra);
  void finish();
  double elapsedSeconds() const;

 private:
  int64_t total_, start_;
  std::chrono::steady_clock::time_point t0_, lastDraw_;
};

// Installs a SIGINT handler that only sets a flag (a second Ctrl-C exits at once).
void installInterruptHandler();
bool interruptRequested();
void clearInterrupt();

// A generator for training step `step` of a run seeded with `seed`.
torch::Generator stepGenerator(uint64_t seed, int64_t step);
// A uniform integer in [0, n) and a uniform double in [0,1) from `gen`.
int64_t randomIndex(const torch::Generator& gen, int64_t n);
double randomUniform(const torch::Generator& gen);

// The loss log: a header and rows kept in memory; rewritten atomically on flush().
class CsvLog {
 public:
  CsvLog(std::filesystem::path path, std::string header);
  void load();  // when resuming: keeps the rows of the earlier run up to (not including) `fromStep`
  void truncateFrom(int64_t fromStep);
  void add(int64_t step, const std::string& row);
  void flush() const;

 private:
  std::filesystem::path path_;
  std::string header_;
  std::vector<std::pair<int64_t, std::string>> rows_;
};

torch::Tensor optimizerToBytes(torch::optim::Optimizer& opt);
void optimizerFromBytes(torch::optim::Optimizer& opt, const torch::Tensor& bytes);

// "2 x Intel(R) ... (2 threads)" for model cards.
std::string hardwareDescription();
std::string utcTimestamp();

// Checks, before hours of training, that `path` can be written (creates and removes a probe).
void checkWritable(const std::filesystem::path& path);

}  // namespace fieldscope
