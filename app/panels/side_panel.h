#pragma once
// The domain's panel (Sample, Video, Shape, Super-resolution) docked as a column on the right of
// the window, beside the viewport instead of over the picture (issue 15, item 4). GuiApp sets the
// column each frame (setSidePanelArea); a view's drawPanels opens its panel with beginSidePanel.
// UI thread only.
#include <imgui.h>

namespace fieldscope {

// The column's width for a window `windowWidth` wide: 320 px on wide windows, 30% (at least 240)
// on narrow ones.
float sidePanelWidth(float windowWidth);
// Where the column is this frame (screen pixels).
void setSidePanelArea(float x, float y, float width, float height);
// ImGui::Begin of a window filling the column (no move, no resize; it scrolls when taller).
// Always pair with ImGui::End(), as with ImGui::Begin.
bool beginSidePanel(const char* title);

}  // namespace fieldscope
