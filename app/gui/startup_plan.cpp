#include "app/gui/startup_plan.h"

#include <cstdio>
#include <stdexcept>

#include "app/views/view_placement.h"

namespace fieldscope {

namespace {
// --seed/--blend/--grid replace the sample and --view the view: keys every sampled domain's
// state shares ("sample", "grid", "view").
nlohmann::json withCommandLine(const GuiOptions& o, nlohmann::json state) {
  if (!state.is_object()) state = nlohmann::json::object();
  const bool sampleFromCli = !o.modelPath.empty() || o.seedGiven || !o.blend.empty() || o.startWithGrid;
  if (sampleFromCli) {
    nlohmann::json sample = {{"seed", o.seed}};
    if (!o.blend.empty()) {
      unsigned long long b = 0;
      float t = 0;
      char extra = 0;
      if (std::sscanf(o.blend.c_str(), "%llu,%f%c", &b, &t, &extra) != 2 || !(t >= 0 && t <= 1))
        throw std::runtime_error("--blend '" + o.blend + "': expected B,t with t in [0,1], e.g. 7,0.5");
      sample["blend"] = true;
      sample["seed_b"] = b;
      sample["t"] = t;
    }
    state["sample"] = sample;
    state["grid"] = o.startWithGrid;
  }
  if (!o.initialView.empty()) {
    double cx = 0.5, cy = 0.5, zoom = 1.0;
    char extra = 0;
    if (std::sscanf(o.initialView.c_str(), "%lf,%lf,%lf%c", &cx, &cy, &zoom, &extra) != 3 || !(zoom > 0))
      throw std::runtime_error("--view '" + o.initialView + "': expected cx,cy,zoom, e.g. 0.5,0.5,10");
    state["view"] = {{"cx", cx}, {"cy", cy}, {"zoom", zoom}};
    try {
      viewPlacementFromJson(state["view"]);  // so that only a session's own state can be refused later
    } catch (const std::exception& e) {
      throw std::runtime_error("--view '" + o.initialView + "': " + e.what());
    }
  }
  return state;
}
}  // namespace

StartupPlan planStartup(const GuiOptions& options, const std::optional<Session>& session, const FirstStart& firstStart) {
  StartupPlan plan;
  if (!options.modelPath.empty()) {
    plan.file = options.modelPath;
    plan.state = withCommandLine(options, nlohmann::json::object());
    return plan;
  }
  if (options.testPattern) {
    plan.state = withCommandLine(options, nlohmann::json::object());
    return plan;
  }
  if (!session && !firstStart.model.empty()) {
    plan.file = firstStart.model;
    nlohmann::json state = nlohmann::json::object();
    if (firstStart.seed) state["sample"] = {{"seed", *firstStart.seed}};
    plan.state = withCommandLine(options, state);
    plan.fromUser = false;  // a problem with it is a status line, not a dialog
    return plan;
  }
  plan.fromUser = false;
  plan.stateFromSession = session.has_value();
  if (session) plan.file = session->modelPath;
  plan.state = withCommandLine(options, session ? session->state : nlohmann::json::object());
  return plan;
}

}  // namespace fieldscope
