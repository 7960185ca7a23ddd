#include "model/train/training_loop.h"

#include <cstdio>

#include "model/checkpoint/checkpoint.h"
#include "model/io/json_integer.h"
#include "model/train/csv_log.h"
#include "model/train/interrupt_guard.h"
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

TrainingRunResult runTrainingLoop(Trainable& t, const TrainingRunOptions& o) {
  checkTrainingRun(o);
  const auto statePath = trainingStatePath(o);
  const std::vector<std::string> columns = t.logColumns();
  CsvLog log(trainingLogPath(o), csvHeader(columns));
  int64_t step = 0;
  double secondsBefore = 0;
  if (o.resume) {
    Checkpoint s = loadCheckpoint(statePath, t.domain());
    if (s.config.value("kind", "") != t.stateKind())
      throw std::runtime_error("cannot resume from '" + statePath.string() + "': it is not a training state of kind '" +
                               t.stateKind() + "'");
    step = jsonInteger<int64_t>(s.config.at("step"), "step");
    secondsBefore = s.config.value("seconds", 0.0);
    // Step k draws from stepGenerator(seed, k): another seed continues as another run would.
    if (!o.quiet && s.config.contains("seed") && s.config["seed"] != o.seed)
      std::fprintf(stderr, "fieldscope: warning: '%s' was trained with --seed %s, resuming with --seed %llu\n",
                   statePath.c_str(), s.config["seed"].dump().c_str(), static_cast<unsigned long long>(o.seed));
    t.restoreState(s);
    log.load();
    log.truncateFrom(step);  // rows past the saved step belong to steps that will run again
    if (!o.quiet) std::fprintf(stderr, "fieldscope: resuming from step %lld\n", static_cast<long long>(step));
  }

  ProgressLine progress(o.steps, step);
  auto seconds = [&] { return secondsBefore + progress.elapsedSeconds(); };
  auto save = [&](int64_t atStep, bool final) {
    Checkpoint s;
    s.config = {{"domain", t.domain()}, {"kind", t.stateKind()}, {"step", atStep}, {"seed", o.seed}, {"seconds", seconds()}};
    t.storeState(s);
    saveCheckpoint(statePath, s);  // atomic: an interrupted save never leaves a half state
    log.flush();
    t.saveModel({atStep, seconds(), final});
  };

  InterruptGuard interrupts(!o.quiet);  // Ctrl-C and SIGTERM only set a flag while the loop runs
  TrainingRunResult result;
  double shownLoss = 0;
  const int64_t firstStep = step;
  for (; step < o.steps; ++step) {
    // Checked between steps: a signal during a step lets that step finish.
    if (interrupts.requested() || (o.stopFlag && o.stopFlag->load()) || step == o.stopAt) {
      result.interrupted = true;
      break;
    }
    const double lr = t.learningRate(step);
    const StepValues v = t.step({step, stepGenerator(o.seed, step), lr});
    checkColumns(t, columns, v);
    const double loss = v.empty() ? 0.0 : v.front().second;
    shownLoss = step == firstStep ? loss : 0.98 * shownLoss + 0.02 * loss;  // smoothed: one batch is noisy
    if (step % o.logEvery == 0) log.add(step, csvRow(v, lr, seconds()));
    if (!o.quiet) {
      char shown[64];
      std::snprintf(shown, sizeof shown, "%s %.4f", v.empty() ? "" : v.front().first.c_str(), shownLoss);
      progress.update(step + 1, shown);
    }
    if ((step + 1) % o.checkpointEvery == 0 && step + 1 < o.steps) save(step + 1, false);
  }
  if (!o.quiet) progress.finish();
  t.evaluate();
  save(step, true);
  if (result.interrupted && !o.quiet)
    std::fprintf(stderr, "fieldscope: stopped at step %lld of %lld; saved '%s' (resume with --resume)\n",
                 static_cast<long long>(step), static_cast<long long>(o.steps), statePath.c_str());
  result.stepsDone = step;
  result.seconds = seconds();
  return result;
}

}  // namespace fieldscope
