#pragma once
// A `--script steps:` run of the real app for the window tests: the steps go into a script file
// in `dir`, the app runs on `model` in a window of `size` (validation on, a private config
// folder), and the script's log comes back parsed (null when the app wrote none).
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

#include "process.h"
#include "window_support.h"

namespace fieldscope::testing {

struct StepsRun {
  int status = -1;
  std::string output;
  nlohmann::json log;
};

inline StepsRun runSteps(const std::filesystem::path& model, const std::filesystem::path& dir, const nlohmann::json& steps,
                         const std::string& size = "1280x720") {
  const std::filesystem::path script = dir / "steps.json", log = dir / "log.json";
  std::ofstream(script) << nlohmann::json{{"log", log.string()}, {"steps", steps}}.dump(1);
  const ProcessResult r = runFieldscope("--model '" + model.string() + "' --no-session --size " + size +
                                            " --script 'steps:" + script.string() + "'",
                                        envWithConfig(dir / "config"));
  StepsRun run{r.status, r.output, nullptr};
  std::ifstream in(log);
  if (in) run.log = nlohmann::json::parse(in, nullptr, false);
  return run;
}

}  // namespace fieldscope::testing
