#pragma once
// What the viewer opens at start (docs/architecture.md "The app loop"): --model starts fresh
// with the command line's --seed/--blend/--grid and --view; without it the session's file and
// view state come back, each overridden by --seed/--blend/--grid and --view when given; with
// neither (a first start, or --no-session), `firstStart` -- the shipped image model on its first
// featured seed -- unless --test-pattern asks for the procedural field, which is also what shows
// when there is no first-start model. Pure, no window.
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "app/gui/session.h"
#include "app/gui_entry.h"

namespace fieldscope {

struct StartupPlan {
  std::string file;           // empty: the procedural field
  nlohmann::json state;       // for the view of `file` (or of the procedural field)
  bool fromUser = true;       // --model (errors in a dialog) or the session (a status line)
  bool stateFromSession = false;  // a state the view refuses sends the session aside
};

// Throws std::runtime_error for a malformed --blend or --view (they name themselves).
struct FirstStart {
  std::string model;  // "" when no shipped image model is found
  std::optional<uint64_t> seed;  // its first featured seed
};
StartupPlan planStartup(const GuiOptions& options, const std::optional<Session>& session,
                        const FirstStart& firstStart = {});

}  // namespace fieldscope
