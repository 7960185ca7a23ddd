#pragma once
// The image view's Sample panel state: the model, what is shown, the history, blending, the
// seed plane. Owned by ImageView; the panel (sample_panel.cpp) edits it and sets requests.
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "app/domains/image/model_source.h"

namespace fieldscope {

struct SampleState {
  std::shared_ptr<LoadedModel> model;
  SampleSpec edit;                     // the panel's widgets
  bool gridMode = false;               // the viewport shows the seed grid
  std::vector<SampleSpec> history;
  int historyIndex = -1;
  bool applyRequested = false;         // show `edit`
  bool gridRequested = false;          // show the grid starting at edit.seed
  bool animate = false;                // walk t from A to B, then on to the next seed
  float animateSpeed = 0.25f;          // t per second
  bool planeDragging = false;          // the seed plane's point is being dragged
  double planeOriginX = 0, planeOriginY = 0;  // the seed plane window's top-left lattice point
  std::vector<std::string> shippedModels;      // for the model picker
  std::vector<uint64_t> featuredSeeds;         // the model card's (shipped_models.h featuredSeeds)
  std::string openModelPath;           // the panel asks the app to open this file
  bool copySeedRequested = false;      // Copy seed / Copy command: the view puts it on the clipboard
  bool copyCommandRequested = false;
  std::string copiedText;              // what was copied last (shown under the buttons)
};

void drawSamplePanel(SampleState& st);
void drawSeedPlane(SampleState& st);  // inside the Sample panel

}  // namespace fieldscope
