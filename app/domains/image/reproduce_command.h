#pragma once
// The command line that reproduces what the image view shows (issue 15, item 9: "copy command
// line"): `fieldscope sample` of the same model, seed, steps, eta, region and size for a plain
// sample or a seed grid; the viewer's own command (`--blend`, `--view`) for a blend, which
// `sample` has no flag for. Pure: the Sample panel copies it to the clipboard.
#include <cstdint>
#include <string>

#include "app/domains/image/model_source.h"
#include "render/view2d.h"

namespace fieldscope {

struct ReproduceRequest {
  std::string model;       // the model file
  SampleSpec spec;         // what is shown (gridMode: its first seed)
  bool gridMode = false;
  int gridCols = 4, gridRows = 4;
  Region region;           // the view's region in image coordinates
  int width = 0, height = 0;  // the viewport's pixels
  // A class-conditional model's group ("any", "none" or a name) and guidance; empty group: the
  // model has no classes (no flags).
  std::string group;
  double guidance = 0;
};

std::string reproduceCommand(const ReproduceRequest& r);

// A shell word: quoted with '...' when it holds anything but [A-Za-z0-9_./,:=+-].
std::string shellWord(const std::string& text);

}  // namespace fieldscope
