// What the viewer reads at start (app/gui/session.h, app/gui/startup_plan.h): the session file
// (session.json, v1 and v2), a view placement in it, and the command line's --view and --blend
// that override it. Input: line 1 is --blend, line 2 is --view, the rest is session.json.
// A round trip of a session that parsed must parse again to the same session.
#include <nlohmann/json.hpp>
#include <optional>
#include <stdexcept>
#include <string>

#include "app/gui/session.h"
#include "app/gui/startup_plan.h"
#include "app/views/view_placement.h"

namespace {
std::string takeLine(std::string& text) {
  const size_t nl = text.find('\n');
  std::string line = text.substr(0, nl);
  text = nl == std::string::npos ? "" : text.substr(nl + 1);
  return line;
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace fieldscope;
  std::string text(reinterpret_cast<const char*>(data), size);
  GuiOptions options;
  options.blend = takeLine(text);
  options.initialView = takeLine(text);
  std::optional<Session> session;
  const nlohmann::json j = nlohmann::json::parse(text, nullptr, false);
  if (!j.is_discarded()) {
    try {
      session = sessionFromJson(j);
      if (sessionFromJson(sessionToJson(*session)) != *session) std::abort();
      if (session->state.is_object() && session->state.contains("view"))
        (void)viewPlacementFromJson(session->state.at("view"));
    } catch (const std::exception&) {
    }
  }
  for (const char* model : {"", "/models/a.fsm"}) {
    options.modelPath = model;
    try {
      const StartupPlan plan = planStartup(options, session);
      if (plan.state.contains("view")) (void)viewPlacementFromJson(plan.state.at("view"));
    } catch (const std::runtime_error&) {
    }
  }
  return 0;
}
