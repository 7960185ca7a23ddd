#include "model/train/training_loop.h"

#include <cstdio>
#include <fstream>
#include <optional>
#include <sstream>
#include <unistd.h>

#include "model/checkpoint/checkpoint.h"
#include "model/io/json_integer.h"
#include "model/train/csv_log.h"
#include "model/train/gradient_allreduce.h"
#include "model/train/interrupt_guard.h"
#include "model/train/process_group.h"
#include "model/train/progress_line.h"
#include "model/train/train_support.h"

namespace fieldscope {

std::filesystem::path trainingStatePath(const TrainingRunOptions& o) {
  auto p = o.out;
  p += ".train";
  return p;
}

std::filesystem::path trainingLogPath(const TrainingRunOptions& o) {
  return o.log.empty() ? std::filesystem::path(o.out.string() + ".loss.csv") : o.log;
}

void checkTrainingRun(const TrainingRunOptions& o) {
  if (o.steps <= 0) throw std::runtime_error("--steps must be positive");
  if (o.checkpointEvery <= 0) throw std::runtime_error("--checkpoint-every must be positive");
  if (o.logEvery <= 0) throw std::runtime_error("the log interval must be positive");
  if (o.dist.rank != 0) return;  // rank 0 alone writes files; the others read its state (runTrainingLoop)
  checkWritable(o.out);
  checkWritable(trainingLogPath(o));
  if (o.resume && !std::filesystem::exists(trainingStatePath(o)))
    throw std::runtime_error("cannot resume: training state '" + trainingStatePath(o).string() + "' does not exist");
}

namespace {

std::string csvHeader(const std::vector<std::string>& columns) {
  std::string h = "step";
  for (const auto& c : columns) h += "," + c;
  return h + ",lr,seconds";
}

std::string csvRow(const StepValues& v, double lr, double seconds) {
  std::string row;
  char num[32];
  for (const auto& [name, value] : v) {
    std::snprintf(num, sizeof num, "%.6g,", value);
    row += num;
  }
  std::snprintf(num, sizeof num, "%.3e,%.1f", lr, seconds);
  return row + num;
}

// A trainer returning other columns than it declared would shift the CSV silently.
void checkColumns(const Trainable& t, const std::vector<std::string>& columns, const StepValues& v) {
  bool same = v.size() == columns.size();
  for (size_t i = 0; same && i < v.size(); ++i) same = v[i].first == columns[i];
  if (!same)
    throw std::logic_error("trainer '" + t.stateKind() + "' returned step values that differ from its log columns");
}

}  // namespace

void syncGradients(const TrainStep& s) {
  if (s.gradients) s.gradients->finish();
}

torch::Tensor rankSlice(const TrainStep& s, const torch::Tensor& global, int64_t batch) {
  return s.world == 1 ? global : global.narrow(0, s.rank * batch, batch);
}

namespace {

// Rank `rank`'s own stream of step `step` in a job (rank 0's too: no rank is the run alone).
torch::Generator rankGenerator(uint64_t seed, int rank, int64_t step) {
  return stepGenerator(seed ^ (0xA24BAED4963EE407ull * static_cast<uint64_t>(rank + 1)), step);
}

std::string fileBytes(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  if (!in) throw std::runtime_error("cannot read the training state '" + p.string() + "'");
  return ss.str();
}

// The state to resume from: rank 0 reads it; in a job the other ranks get rank 0's bytes, so a
// job over machines needs no shared disk.
Checkpoint loadState(const std::filesystem::path& statePath, const std::string& domain, TrainingGroup* group) {
  if (!group) return loadCheckpoint(statePath, domain);
  std::string bytes;
  if (group->rank() == 0) bytes = fileBytes(statePath);
  collectiveOrExplain(*group, "sharing the training state", [&] { bytes = group->shareFromRank0("state", bytes); });
  if (group->rank() == 0) return loadCheckpoint(statePath, domain);
  const auto copy = std::filesystem::temp_directory_path() /
                    ("fieldscope-rank" + std::to_string(group->rank()) + "-" + std::to_string(::getpid()) + ".train");
  {
    std::ofstream out(copy, std::ios::binary);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    if (!out) throw std::runtime_error("cannot write a copy of rank 0's training state to '" + copy.string() + "'");
  }
  try {
    Checkpoint c = loadCheckpoint(copy, domain);
    c.file = statePath;  // messages name the user's file
    std::filesystem::remove(copy);
    return c;
  } catch (...) {
    std::filesystem::remove(copy);
    throw;
  }
}

}  // namespace

TrainingRunResult runTrainingLoop(Trainable& t, const TrainingRunOptions& o) {
  checkTrainingRun(o);
  // A job assembles first: every rank then starts from rank 0's weights (and state).
  std::unique_ptr<TrainingGroup> group;
  if (o.dist.distributed()) group = std::make_unique<TrainingGroup>(o.dist);
  const bool lead = !group || group->rank() == 0;
  const bool quiet = o.quiet || !lead;
  const auto statePath = trainingStatePath(o);
  const std::vector<std::string> columns = t.logColumns();
  std::optional<CsvLog> log;
  if (lead) log.emplace(trainingLogPath(o), csvHeader(columns));
  int64_t step = 0;
  double secondsBefore = 0;
  if (o.resume) {
    Checkpoint s = loadState(statePath, t.domain(), group.get());
    if (s.config.value("kind", "") != t.stateKind())
      throw std::runtime_error("cannot resume from '" + statePath.string() + "': it is not a training state of kind '" +
                               t.stateKind() + "'");
    step = jsonInteger<int64_t>(s.config.at("step"), "step");
    secondsBefore = s.config.value("seconds", 0.0);
    // Step k draws from stepGenerator(seed, k): another seed continues as another run would.
    if (!quiet && s.config.contains("seed") && s.config["seed"] != o.seed)
      std::fprintf(stderr, "fieldscope: warning: '%s' was trained with --seed %s, resuming with --seed %llu\n",
                   statePath.c_str(), s.config["seed"].dump().c_str(), static_cast<unsigned long long>(o.seed));
    t.restoreState(s);
    if (log) {
      log->load();
      log->truncateFrom(step);  // rows past the saved step belong to steps that will run again
    }
    if (!quiet) std::fprintf(stderr, "fieldscope: resuming from step %lld\n", static_cast<long long>(step));
  }
  std::unique_ptr<GradientAllReduce> gradients;
  if (group) {
    const std::vector<torch::Tensor> params = t.trainedParameters();
    collectiveOrExplain(*group, "the first broadcast of rank 0's weights", [&] { group->broadcastFromRank0(params); });
    gradients = std::make_unique<GradientAllReduce>(*group, params);
    if (!quiet)
      std::fprintf(stderr, "fieldscope: rank 0 of a job of %d processes (rendezvous %s:%d); %lld parameters in %lld buckets\n",
                   group->world(), o.dist.host.c_str(), o.dist.port, static_cast<long long>(gradients->parameterCount()),
                   static_cast<long long>(gradients->bucketCount()));
  }

  ProgressLine progress(o.steps, step);
  auto seconds = [&] { return secondsBefore + progress.elapsedSeconds(); };
  auto save = [&](int64_t atStep, bool final) {
    if (!lead) return;
    Checkpoint s;
    s.config = {{"domain", t.domain()}, {"kind", t.stateKind()}, {"step", atStep}, {"seed", o.seed}, {"seconds", seconds()}};
    t.storeState(s);
    saveCheckpoint(statePath, s);  // atomic: an interrupted save never leaves a half state
    log->flush();
    t.saveModel({atStep, seconds(), final});
  };

  InterruptGuard interrupts(!quiet);  // Ctrl-C and SIGTERM only set a flag while the loop runs
  TrainingRunResult result;
  double shownLoss = 0;
  const int64_t firstStep = step;
  bool jobStops = false;  // in a job: some rank was asked to stop (agreed at the end of a step)
  for (; step < o.steps; ++step) {
    // Checked between steps: a signal during a step lets that step finish. In a job the ranks
    // stop together, at the step after the one where any of them was asked to.
    const bool askedHere = interrupts.requested() || (o.stopFlag && o.stopFlag->load());
    if ((group ? jobStops : askedHere) || step == o.stopAt) {
      result.interrupted = true;
      break;
    }
    const double lr = t.learningRate(step);
    TrainStep ts{step, stepGenerator(o.seed, step), lr};
    ts.seed = o.seed;
    ts.shared = ts.gen;
    if (group) {
      ts.rank = group->rank();
      ts.world = group->world();
      ts.gen = rankGenerator(o.seed, ts.rank, step);
      ts.gradients = gradients.get();
      group->beginStep(step);
      gradients->arm();
    }
    StepValues v = t.step(ts);
    checkColumns(t, columns, v);
    if (group) {
      if (gradients->armed())
        throw std::logic_error("trainer '" + t.stateKind() + "' did not call syncGradients() in its step");
      // One small all-reduce per step: the stop request and the step's values, averaged.
      std::vector<double> sums{askedHere ? 1.0 : 0.0};
      for (const auto& [name, value] : v) sums.push_back(value);
      collectiveOrExplain(*group, "the step's all-reduce", [&] {
        group->allReduceSum(sums);
        group->endStep();
      });
      jobStops = sums[0] > 0;
      for (size_t i = 0; i < v.size(); ++i) v[i].second = sums[i + 1] / group->world();
    }
    const double loss = v.empty() ? 0.0 : v.front().second;
    shownLoss = step == firstStep ? loss : 0.98 * shownLoss + 0.02 * loss;  // smoothed: one batch is noisy
    if (log && step % o.logEvery == 0) log->add(step, csvRow(v, lr, seconds()));
    if (!quiet) {
      char shown[64];
      std::snprintf(shown, sizeof shown, "%s %.4f", v.empty() ? "" : v.front().first.c_str(), shownLoss);
      progress.update(step + 1, shown);
    }
    if ((step + 1) % o.checkpointEvery == 0 && step + 1 < o.steps) save(step + 1, false);
  }
  if (!quiet) progress.finish();
  if (lead) t.evaluate();
  save(step, true);
  if (result.interrupted && !quiet)
    std::fprintf(stderr, "fieldscope: stopped at step %lld of %lld; saved '%s' (resume with --resume)\n",
                 static_cast<long long>(step), static_cast<long long>(o.steps), statePath.c_str());
  result.stepsDone = step;
  result.seconds = seconds();
  return result;
}

}  // namespace fieldscope
