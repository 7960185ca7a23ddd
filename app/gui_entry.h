#pragma once
// Entry points of the viewer and the self-test (torch-free header).
#include <cstdint>
#include <string>

#include "app/domain/domain_list.h"

namespace fieldscope {

struct GuiOptions {
  std::string screenshotPath;   // --screenshot
  int frames = 5;               // --frames
  int gpuIndex = -1;            // --gpu
  std::string windowSize = "1280x720";
  std::string inputScript;      // --script (bench): built-in "zoom-pan"
  std::string benchOut;         // --bench-out JSON
  bool waitForDetail = false;   // --wait-detail: take the screenshot once the view is at full detail
  bool patternTest = false;     // self-test in a real window
  std::string modelPath;        // --model
  uint64_t seed = 0;             // --seed (with --model)
  bool seedGiven = false;       // --seed was on the command line (it overrides the session's)
  bool startWithGrid = false;   // --grid: open the seed grid
  std::string blend;            // --blend B,t: show the blend of --seed and B at t
  bool showPerf = false;        // --perf: open the performance panel
  bool naiveDecode = false;     // --naive: bench baseline without the tile pyramid
  std::string initialView;      // --view cx,cy,zoom (image coordinates; zoom relative to fit)
  std::string device = "cpu";   // --device cpu|cuda|cuda:N: where torch decodes (CUDA: shared GPU memory)
  std::string precision = "auto";  // --precision auto|fp32|fp16 (auto: fp16 on CUDA)
  bool noSession = false;       // --no-session: neither restore nor save the session (tests, benches)
  bool testPattern = false;     // --test-pattern: start on the procedural test field, not a model
};

struct SelftestOptions {
  bool window = false;
  int gpuIndex = -1;
  std::string device = "cpu";
};

// The viewer over the build's domains (docs/architecture.md "The app loop").
int runGui(const GuiOptions& options, const DomainList& domains);
int runSelftest(const SelftestOptions& options);

}  // namespace fieldscope
