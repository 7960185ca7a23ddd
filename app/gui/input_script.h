#pragma once
// Scripted input for benchmarks and tests (--script NAME): per frame, a zoom about the
// viewport centre and a pan, like a user's wheel and drag, until the script ends; or GUI
// actions: "export:W:PATH" opens File > Export PNG..., types width W and PATH into the
// dialog and presses its Export button (the run ends when the export has finished); when the
// file exists, the "Replace file?" question is answered Replace ("export-keep:W:PATH": Cancel, and
// the run ends with the file kept).
#include <memory>
#include <string>

namespace fieldscope {

struct ScriptStep {
  double zoomFactor = 1.0;
  double panX = 0.0, panY = 0.0;
  int windowWidth = 0, windowHeight = 0;  // resize the window (0 = leave it)
  bool iconify = false, restore = false;  // minimise / restore the window
  bool openExport = false;      // File > Export PNG...
  int exportWidth = 0;          // > 0: type this width into the open dialog
  std::string exportPath;       // non-empty: type this file name into the open dialog
  bool pressExport = false;     // press the dialog's Export button
  int answerReplace = 0;        // the "Replace file?" question, if open: 1 Replace, 2 Cancel
  bool done = false;
};

class InputScript {
 public:
  // "zoom-pan": x18 in, a pan, back out (issue 3 bench); "zoom-1000": x1 -> x1000 -> x1;
  // "resize": window resizes (down to tiny), minimise and restore, while zooming.
  // "orbit": a steady scripted drag (a 3D view orbits; a 2D view pans).
  // "export:W:PATH": the export dialog, see above.
  // Throws std::runtime_error for an unknown name.
  static std::unique_ptr<InputScript> make(const std::string& name);
  ScriptStep step(int frame) const;
  const std::string& name() const { return name_; }
  int exportWidth() const { return exportWidth_; }  // 0: not an export script
  // The script starts once the view has converged (a 3D view's first grid is on screen).
  bool startsConverged() const { return name_ == "orbit"; }

 private:
  explicit InputScript(std::string name) : name_(std::move(name)) {}
  std::string name_;
  int exportWidth_ = 0;
  std::string exportPath_;
  int replaceAnswer_ = 0;
};

}  // namespace fieldscope
