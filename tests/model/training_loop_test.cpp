// The shared training loop (model/train/training_loop.h) around a tiny fake trainer, a linear
// regression: resume after --stop-at or a signal gives the uninterrupted run's weights, the CSV has
// one row per logged step, periodic checkpoints land on disk, and bad states are refused by name.
#include <gtest/gtest.h>
#include <signal.h>
#include <torch/torch.h>

#include <unistd.h>

#include <algorithm>
#include <csignal>
#include <fstream>
#include <functional>
#include <set>
#include <sstream>
#include <thread>

#include "model/checkpoint/checkpoint.h"
#include "model/checkpoint/module_state.h"
#include "model/train/train_support.h"
#include "model/train/training_loop.h"
#include "tests/model/test_support.h"

namespace fieldscope {
namespace {

// y = x·w + b fitted by Adam on batches drawn from the step's generator; a hook runs inside a
// chosen step (to send a signal or to look at the files mid-run).
class LinearRegression final : public Trainable {
 public:
  explicit LinearRegression(const TrainingRunOptions& o) : o_(o) {
    torch::manual_seed(o.seed);
    model_ = torch::nn::Linear(4, 1);
    adam_ = std::make_unique<torch::optim::Adam>(model_->parameters(), torch::optim::AdamOptions(0.05));
  }
  std::string domain() const override { return "test"; }
  std::string stateKind() const override { return "linear-train-state"; }
  std::vector<std::string> logColumns() const override { return {"loss", "bias"}; }
  double learningRate(int64_t step) const override { return 0.05 / (1 + 0.01 * step); }
  std::vector<torch::Tensor> trainedParameters() override { return optimizerParameters(*adam_); }
  StepValues step(const TrainStep& s) override {
    if (onStep && s.index == hookStep) onStep(s.index);
    stepsRun.push_back(s.index);
    // drawn for the global batch and sliced: a job of W ranks sees what one process with W x 16 does
    auto x = rankSlice(s, torch::randn({16 * s.world, 4}, s.shared, torch::kFloat32), 16);
    auto y = x.matmul(torch::tensor({1.0f, -2.0f, 0.5f, 3.0f})).unsqueeze(1) + 0.7;
    for (auto& g : adam_->param_groups()) static_cast<torch::optim::AdamOptions&>(g.options()).lr(s.learningRate);
    auto loss = (model_->forward(x) - y).pow(2).mean();
    adam_->zero_grad();
    loss.backward();
    syncGradients(s);
    adam_->step();
    return {{"loss", loss.item<double>()}, {"bias", model_->bias.item<double>()}};
  }
  void storeState(Checkpoint& s) override {
    storeModule(s, "linear.", *model_);
    s.tensors["optimizer"] = optimizerToBytes(*adam_);
  }
  void restoreState(const Checkpoint& s) override {
    restoreModule(s, "linear.", *model_);
    optimizerFromBytes(*adam_, s.at("optimizer"));
  }
  void evaluate() override { ++evaluations; }
  void saveModel(const TrainingProgress& p) override {
    saves.push_back(p.step);
    finalSaves += p.final;
    Checkpoint m;
    m.config = {{"domain", "test"}, {"kind", "linear"}, {"steps", p.step}};
    storeModule(m, "linear.", *model_);
    saveCheckpoint(o_.out, m);
  }

  torch::Tensor weights() const { return torch::cat({model_->weight.flatten(), model_->bias}).detach().clone(); }

  std::function<void(int64_t)> onStep;
  int64_t hookStep = -1;
  std::vector<int64_t> stepsRun, saves;
  int evaluations = 0, finalSaves = 0;

 private:
  const TrainingRunOptions& o_;
  torch::nn::Linear model_{nullptr};
  std::unique_ptr<torch::optim::Adam> adam_;
};

std::vector<std::string> lines(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string l; std::getline(in, l);) out.push_back(l);
  return out;
}

TrainingRunOptions options(const test::TempDir& dir, const std::string& name) {
  TrainingRunOptions o;
  o.out = dir.path / (name + ".fsm");
  o.steps = 20;
  o.checkpointEvery = 5;
  o.logEvery = 3;
  o.seed = 7;
  o.quiet = true;
  return o;
}

// The uninterrupted run every split run is compared with.
torch::Tensor straightRun(const test::TempDir& dir) {
  auto o = options(dir, "straight");
  LinearRegression t(o);
  const auto r = runTrainingLoop(t, o);
  EXPECT_FALSE(r.interrupted);
  EXPECT_EQ(r.stepsDone, 20);
  return t.weights();
}

// Resumes `o` in a fresh trainer (as a new process would) and returns the final weights.
torch::Tensor resumeToTheEnd(TrainingRunOptions o, int64_t expectFirstStep) {
  o.resume = true;
  o.stopAt = -1;
  LinearRegression t(o);
  const auto r = runTrainingLoop(t, o);
  EXPECT_FALSE(r.interrupted);
  EXPECT_EQ(r.stepsDone, 20);
  EXPECT_FALSE(t.stepsRun.empty());
  if (!t.stepsRun.empty()) EXPECT_EQ(t.stepsRun.front(), expectFirstStep);
  return t.weights();
}

int64_t savedStep(const TrainingRunOptions& o) {
  return loadCheckpoint(trainingStatePath(o), "test").config.at("step").get<int64_t>();
}

TEST(TrainingLoop, StopAtThenResumeEqualsTheUninterruptedRun) {
  torch::set_num_threads(1);
  test::TempDir dir("loop");
  const auto straight = straightRun(dir);
  auto o = options(dir, "split");
  o.stopAt = 7;
  LinearRegression first(o);
  const auto r = runTrainingLoop(first, o);
  EXPECT_TRUE(r.interrupted);
  EXPECT_EQ(r.stepsDone, 7);
  EXPECT_EQ(first.stepsRun.size(), 7u);
  EXPECT_EQ(savedStep(o), 7);
  EXPECT_EQ(loadCheckpoint(o.out, "test").config.at("steps"), 7);  // the model is saved on a stop too
  EXPECT_TRUE(torch::equal(resumeToTheEnd(o, 7), straight));
  EXPECT_EQ(savedStep(o), 20);
}

TEST(TrainingLoop, CsvHasOneRowPerLoggedStepAcrossSessions) {
  torch::set_num_threads(1);
  test::TempDir dir("loop");
  auto o = options(dir, "csv");
  o.stopAt = 10;  // steps 0..9 ran and 0,3,6,9 were logged; the resumed run starts at 10
  {
    LinearRegression t(o);
    runTrainingLoop(t, o);
  }
  resumeToTheEnd(o, 10);
  const auto rows = lines(test::readAll(trainingLogPath(o)));
  ASSERT_EQ(rows.size(), 1u + 7u) << test::readAll(trainingLogPath(o));  // header + steps 0,3,...,18
  EXPECT_EQ(rows[0], "step,loss,bias,lr,seconds");
  for (size_t i = 1; i < rows.size(); ++i) {
    EXPECT_EQ(rows[i].substr(0, rows[i].find(',')), std::to_string(3 * (i - 1))) << rows[i];
    EXPECT_EQ(std::count(rows[i].begin(), rows[i].end(), ','), 4) << rows[i];
  }
}

TEST(TrainingLoop, ResumingAfterALaterStopDropsTheRepeatedRows) {
  // A state saved at step 5 with a log that already has rows past it (a crash after a flush):
  // the resumed run's rows replace them rather than repeating steps.
  torch::set_num_threads(1);
  test::TempDir dir("loop");
  auto o = options(dir, "rows");
  o.stopAt = 5;
  {
    LinearRegression t(o);
    runTrainingLoop(t, o);
  }
  std::ofstream(trainingLogPath(o), std::ios::app) << "6,1,1,1e-3,0.0\n9,1,1,1e-3,0.0\n";
  resumeToTheEnd(o, 5);
  std::set<std::string> steps;
  const auto rows = lines(test::readAll(trainingLogPath(o)));
  for (size_t i = 1; i < rows.size(); ++i) EXPECT_TRUE(steps.insert(rows[i].substr(0, rows[i].find(','))).second) << rows[i];
  EXPECT_EQ(steps.size(), 7u);
}

TEST(TrainingLoop, PeriodicCheckpointsLandOnDiskDuringTheRun) {
  torch::set_num_threads(1);
  test::TempDir dir("loop");
  auto o = options(dir, "periodic");
  LinearRegression t(o);
  int64_t seenAtStep11 = -1;
  t.hookStep = 11;  // after the save at step 10, before the one at 15
  t.onStep = [&](int64_t) { seenAtStep11 = savedStep(o); };
  runTrainingLoop(t, o);
  EXPECT_EQ(seenAtStep11, 10);
  EXPECT_EQ(t.saves, (std::vector<int64_t>{5, 10, 15, 20}));
  EXPECT_EQ(t.finalSaves, 1);
  EXPECT_EQ(t.evaluations, 1);
  // atomic writes leave nothing but the model, its state and its log behind
  std::set<std::string> files;
  for (const auto& e : std::filesystem::directory_iterator(dir.path)) files.insert(e.path().filename().string());
  EXPECT_EQ(files, (std::set<std::string>{"periodic.fsm", "periodic.fsm.train", "periodic.fsm.loss.csv"}));
}

// A signal during step 4 lets step 4 finish; the loop saves at 5 and returns; the state resumes to
// the uninterrupted result. `send` delivers the signal from another thread.
void expectSignalStopsAndResumes(const std::function<void()>& send) {
  test::TempDir dir("loop");
  const auto straight = straightRun(dir);
  auto o = options(dir, "signal");
  LinearRegression t(o);
  t.hookStep = 4;
  t.onStep = [&](int64_t) { std::thread(send).join(); };
  const auto r = runTrainingLoop(t, o);
  EXPECT_TRUE(r.interrupted);
  EXPECT_EQ(r.stepsDone, 5);
  EXPECT_EQ(t.stepsRun.back(), 4);
  EXPECT_EQ(savedStep(o), 5);
  EXPECT_TRUE(torch::equal(resumeToTheEnd(o, 5), straight));
}

TEST(TrainingLoop, SigintFromAnotherThreadFinishesTheStepAndSaves) {
  torch::set_num_threads(1);
  expectSignalStopsAndResumes([] { std::raise(SIGINT); });
}

TEST(TrainingLoop, SigtermToTheProcessFinishesTheStepAndSaves) {
  torch::set_num_threads(1);
  // kill() may deliver to any thread; the handler only sets the flag, so any thread will do, but
  // delivery may lag the call: wait for it before the step ends.
  expectSignalStopsAndResumes([] {
    ::kill(::getpid(), SIGTERM);
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  });
}

TEST(TrainingLoop, StopFlagStopsLikeASignal) {
  torch::set_num_threads(1);
  test::TempDir dir("loop");
  auto o = options(dir, "flag");
  std::atomic<bool> stop{false};
  o.stopFlag = &stop;
  LinearRegression t(o);
  t.hookStep = 12;
  t.onStep = [&](int64_t) { stop = true; };
  const auto r = runTrainingLoop(t, o);
  EXPECT_TRUE(r.interrupted);
  EXPECT_EQ(r.stepsDone, 13);
  EXPECT_EQ(savedStep(o), 13);
}

TEST(TrainingLoop, SignalHandlersAreRestoredAfterTheRun) {
  struct sigaction mine {}, seen{};
  mine.sa_handler = SIG_IGN;
  sigemptyset(&mine.sa_mask);
  struct sigaction before {};
  sigaction(SIGTERM, &mine, &before);
  {
    test::TempDir dir("loop");
    auto o = options(dir, "handlers");
    o.steps = 2;
    LinearRegression t(o);
    runTrainingLoop(t, o);
  }
  sigaction(SIGTERM, &before, &seen);
  EXPECT_EQ(seen.sa_handler, SIG_IGN);
}

TEST(TrainingLoop, ProgressLineShowsRateAndEta) {
  test::TempDir dir("loop");
  auto o = options(dir, "progress");
  o.quiet = false;
  o.steps = 3;
  LinearRegression t(o);
  ::testing::internal::CaptureStderr();
  runTrainingLoop(t, o);
  const std::string err = ::testing::internal::GetCapturedStderr();
  EXPECT_NE(err.find("3/3"), std::string::npos) << err;
  EXPECT_NE(err.find("it/s"), std::string::npos) << err;
  EXPECT_NE(err.find("ETA"), std::string::npos) << err;
  EXPECT_NE(err.find("loss "), std::string::npos) << err;
}

TEST(TrainingLoop, BadStatesAreRefusedNamingTheFile) {
  test::TempDir dir("loop");
  auto o = options(dir, "bad");
  o.resume = true;
  try {
    LinearRegression t(o);
    runTrainingLoop(t, o);
    FAIL() << "resumed without a state";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("bad.fsm.train"), std::string::npos) << e.what();
  }
  Checkpoint other;
  other.config = {{"domain", "test"}, {"kind", "another-train-state"}, {"step", 3}};
  saveCheckpoint(trainingStatePath(o), other);
  try {
    LinearRegression t(o);
    runTrainingLoop(t, o);
    FAIL() << "resumed from a state of another kind";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("bad.fsm.train"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("linear-train-state"), std::string::npos) << e.what();
  }
  o.resume = false;
  o.out = dir.path / "no-such-folder" / "m.fsm";
  LinearRegression t(o);
  EXPECT_THROW(runTrainingLoop(t, o), std::runtime_error);
  EXPECT_TRUE(t.stepsRun.empty());  // refused before any step
}

}  // namespace
}  // namespace fieldscope
