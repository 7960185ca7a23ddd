// fieldscope: the viewer (no subcommand) and the headless commands.
#include <CLI/CLI.hpp>

#include <csignal>
#include <cstdio>
#include <exception>
#include <string>

#include "app/cli/command_registry.h"
#include "app/cli/model_commands.h"
#include "app/cli/seed_flag.h"
#include "app/domain/domain_list.h"
#include "app/version.h"
#include "model/util/error_text.h"
#include "model/util/allocator_tuning.h"
#include "model/util/blas_threads.h"
#ifndef FIELDSCOPE_NO_GUI
#include "app/gui/device_choice.h"
#include "app/gui_entry.h"
#include "app/gui/viewer_region_render.h"
#endif

int main(int argc, char** argv) {
  fieldscope::tuneAllocatorForTensors();  // before any tensor: see allocator_tuning.h
  fieldscope::keepBlasSingleThreaded();   // see blas_threads.h
  // A file-size limit (ulimit -f) makes a write fail with EFBIG, reported like a full disk,
  // instead of killing the process with SIGXFSZ mid-export (docs/architecture.md "Writing files").
  std::signal(SIGXFSZ, SIG_IGN);
  CLI::App app{"Fieldscope: explore, zoom into and export generative neural fields"};
#ifndef FIELDSCOPE_NO_GUI
  app.set_version_flag("--version", [] { return fieldscope::versionText() + "\n" + fieldscope::interopVersionText(); });
#else
  app.set_version_flag("--version", [] { return fieldscope::versionText(); });
#endif
  app.require_subcommand(0, 1);
  app.footer(
      "Environment:\n"
      "  XDG_CONFIG_HOME            where session.json and imgui.ini live (default ~/.config/fieldscope)\n"
      "  FIELDSCOPE_DATA_DIR        a folder whose models/ holds more shipped models (.fsm)\n"
      "  FIELDSCOPE_SR_MODEL=FILE   the SR model pictures open with, and `upscale`'s default (default: the\n"
      "                             shipped photo-sr.fsm; photo-sr-ldm.fsm adds the diffusion stage)\n"
      "  FIELDSCOPE_THREADS=N       torch threads of the viewer's worker (default 1 for tiles, every core\n"
      "                             for the exact view of a resting view)\n"
      "  FIELDSCOPE_VALIDATION=1    Vulkan validation layers on; errors are counted and fail the run\n"
      "  FIELDSCOPE_MEMORY_LIMIT=B  memory the commands may plan for, in bytes (default: what is available)\n"
      "  OPENBLAS_NUM_THREADS=N     OpenBLAS threads (default 1 under torch's own threads)\n"
      "  CUDA_VISIBLE_DEVICES       the GPUs --device cuda may use\n"
      "Viewer keys: F1 (Help > Controls) lists the mouse and keys. Each command has its own --help.");

#ifndef FIELDSCOPE_NO_GUI
  fieldscope::GuiOptions gui;
  app.add_option("--screenshot", gui.screenshotPath, "render --frames frames of the real window, save it as PNG, exit");
  app.add_option("--frames", gui.frames, "frames to render before --screenshot is taken")->check(CLI::Range(1, 1000000));
  app.add_option("--gpu", gui.gpuIndex, "use the Vulkan physical device with this index");
  app.add_option("--size", gui.windowSize, "window size WxH")->default_str("1280x720");
  app.add_option("--script", gui.inputScript, "automation: zoom-pan, zoom-1000, resize, orbit (benchmarks), export:W:PATH (the Export dialog; an existing file is replaced after its question), export-keep:W:PATH (the same, answering Cancel), open:PATH (File > Open), steps:FILE.json (scripted steps)");
  app.add_option("--bench-out", gui.benchOut, "write frame-time statistics of the run as JSON");
  app.add_flag("--wait-detail", gui.waitForDetail, "take the --screenshot once the view is at full detail");
  app.add_option("--model", gui.modelPath, "open this model file");
  CLI::Option* seedOption =
      app.add_option("--seed", gui.seed, "with --model: the sample to show")->check(fieldscope::seedValidator());
  app.add_flag("--grid", gui.startWithGrid, "with --model: start with the seed grid");
  app.add_option("--blend", gui.blend, "with --model: show the blend of --seed and seed B at t (B,t)");
  app.add_flag("--perf", gui.showPerf, "open the performance panel");
  app.add_flag("--naive", gui.naiveDecode, "bench baseline: no tiles, decode the whole view after every change");
  app.add_flag("--test-pattern", gui.testPattern,
               "start on the procedural test field instead of the session's or the shipped model (also View > Test pattern)");
  app.add_option("--view", gui.initialView, "start at cx,cy,zoom (image coordinates, zoom relative to fit)");
  app.add_option("--device", gui.device, "cpu, or cuda[:N]: decode on the GPU into memory shared with Vulkan")
      ->default_str("cpu");
  app.add_option("--precision", gui.precision, "auto, fp32 or fp16 (auto: fp16 on CUDA, fp32 on the CPU)")
      ->default_str("auto");
  app.add_flag("--no-session", gui.noSession, "do not reopen the last model/sample/view, nor save them on exit");

  fieldscope::SelftestOptions selftest;
  CLI::App* st = app.add_subcommand("selftest", "headless round trip: torch -> shared memory -> Vulkan -> read-back");
  st->add_flag("--window", selftest.window, "do the round trip through a real window (needs a display)");
  st->add_option("--gpu", selftest.gpuIndex, "use the Vulkan physical device with this index");
  st->add_option("--device", selftest.device, "cpu, or cuda[:N]: the round trip through CUDA shared memory")
      ->default_str("cpu");
#endif
  // Every domain's verbs, from the one list of domains (app/domains.cpp).
  const fieldscope::DomainList domains = fieldscope::domainList();
#ifndef FIELDSCOPE_NO_GUI
  const auto registry = fieldscope::registerModelCommands(
      app, domains, {fieldscope::renderRegionInViewer, fieldscope::viewerRegionMaxSize});
#else
  const auto registry = fieldscope::registerModelCommands(app, domains);
#endif

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "fieldscope: error: %s\n", fieldscope::plainErrorText(e.what()).c_str());
    return 1;
  }
#ifndef FIELDSCOPE_NO_GUI
  try {
    if (st->parsed()) return fieldscope::runSelftest(selftest);
    gui.seedGiven = seedOption->count() > 0;
    if (app.get_subcommands().empty()) return fieldscope::runGui(gui, domains);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "fieldscope: error: %s\n", fieldscope::plainErrorText(e.what()).c_str());
    return 1;
  }
#else
  if (app.get_subcommands().empty()) {
    std::fprintf(stderr, "fieldscope: this build has no viewer (FIELDSCOPE_GUI=OFF); see --help\n");
    return 2;
  }
#endif
  return 0;
}
