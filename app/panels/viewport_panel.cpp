// The viewport: the area between the menu bar and the status bar where the composed field
// is shown (the image itself is blitted underneath this transparent window). Mouse wheel
// zooms smoothly about the cursor (ZoomAnimator), drag pans, double-click resets; + - 0 and
// the arrow keys too.
#include <GLFW/glfw3.h>
#include <imgui.h>

#include <cmath>
#include <cstdio>

#include "app/panels/ui_state.h"

namespace fieldscope {

namespace {
// Sets the animation's target; GuiApp moves the view toward it every frame.
void zoomAt(UiState& s, double px, double py, double factor) {
  if (!s.zoomAnimator.addStep(s.view, px, py, factor, s.now)) {
    const double limit = factor > 1 ? View2D::kMaxZoom : View2D::kMinZoom;
    char note[64];
    std::snprintf(note, sizeof(note), "zoom limit reached (x%g)", limit);
    s.statusNote = note;
  } else {
    s.statusNote.clear();
  }
  s.viewChanged = true;
}

void resetView(UiState& s) {
  s.zoomAnimator.cancel();
  s.view.reset();
  s.statusNote.clear();
  s.viewChanged = true;
}
}  // namespace

ViewportRect drawViewportPanel(UiState& s, float top, float bottom) {
  const ImGuiViewport* vp = ImGui::GetMainViewport();
  ImGui::SetNextWindowPos(ImVec2(vp->Pos.x, vp->Pos.y + top));
  ImGui::SetNextWindowSize(ImVec2(vp->Size.x, std::max(1.0f, vp->Size.y - top - bottom)));
  ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, ImVec2(0, 0));
  ImGui::PushStyleVar(ImGuiStyleVar_WindowBorderSize, 0.0f);
  ImGui::PushStyleVar(ImGuiStyleVar_WindowRounding, 0.0f);
  const ImGuiWindowFlags flags = ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove |
                                 ImGuiWindowFlags_NoBackground | ImGuiWindowFlags_NoSavedSettings |
                                 ImGuiWindowFlags_NoBringToFrontOnFocus | ImGuiWindowFlags_NoScrollWithMouse;
  ViewportRect r;
  if (ImGui::Begin("##viewport", nullptr, flags)) {
    const ImVec2 pos = ImGui::GetCursorScreenPos();
    ImVec2 size = ImGui::GetContentRegionAvail();
    size.x = std::max(size.x, 1.0f);
    size.y = std::max(size.y, 1.0f);
    ImGui::InvisibleButton("##field", size, ImGuiButtonFlags_MouseButtonLeft);
    r.x = int(pos.x);
    r.y = int(pos.y);
    r.width = int(size.x);
    r.height = int(size.y);
    r.hovered = ImGui::IsItemHovered();
    const ImGuiIO& io = ImGui::GetIO();
    r.mouseX = io.MousePos.x - pos.x;
    r.mouseY = io.MousePos.y - pos.y;
    if (r.hovered && io.MouseWheel != 0.0f) zoomAt(s, r.mouseX, r.mouseY, std::pow(1.2, io.MouseWheel));
    if (ImGui::IsItemActive() && (io.MouseDelta.x != 0.0f || io.MouseDelta.y != 0.0f)) {
      s.view.pan(io.MouseDelta.x, io.MouseDelta.y);
      s.viewChanged = true;
    }
    if (ImGui::IsItemDeactivated() && r.hovered) {
      const ImVec2 drag = ImGui::GetMouseDragDelta(ImGuiMouseButton_Left, 0.0f);
      if (drag.x * drag.x + drag.y * drag.y < 9.0f) {
        s.clicked = true;
        s.clickX = s.view.toFieldX(r.mouseX);
        s.clickY = s.view.toFieldY(r.mouseY);
      }
    }
    if (r.hovered && ImGui::IsMouseDoubleClicked(ImGuiMouseButton_Left)) resetView(s);
    if (!io.WantTextInput && !ImGui::IsPopupOpen(nullptr, ImGuiPopupFlags_AnyPopupId)) {
      const double cx = r.width * 0.5, cy = r.height * 0.5;
      if (ImGui::IsKeyPressed(GLFW_KEY_EQUAL) || ImGui::IsKeyPressed(GLFW_KEY_KP_ADD)) zoomAt(s, cx, cy, 1.5);
      if (ImGui::IsKeyPressed(GLFW_KEY_MINUS) || ImGui::IsKeyPressed(GLFW_KEY_KP_SUBTRACT)) zoomAt(s, cx, cy, 1 / 1.5);
      if (ImGui::IsKeyPressed(GLFW_KEY_0)) resetView(s);
      const float step = 40.0f;
      if (ImGui::IsKeyPressed(GLFW_KEY_LEFT)) s.view.pan(step, 0), s.viewChanged = true;
      if (ImGui::IsKeyPressed(GLFW_KEY_RIGHT)) s.view.pan(-step, 0), s.viewChanged = true;
      if (ImGui::IsKeyPressed(GLFW_KEY_UP)) s.view.pan(0, step), s.viewChanged = true;
      if (ImGui::IsKeyPressed(GLFW_KEY_DOWN)) s.view.pan(0, -step), s.viewChanged = true;
      if (ImGui::IsKeyPressed(GLFW_KEY_F2)) s.showPerf = !s.showPerf;
      if (io.KeyCtrl && ImGui::IsKeyPressed(GLFW_KEY_O)) s.openModelRequested = true;
      if (io.KeyCtrl && ImGui::IsKeyPressed(GLFW_KEY_Q)) s.quitRequested = true;
      if (io.KeyCtrl && ImGui::IsKeyPressed(GLFW_KEY_E) && !s.exporting.running) s.exporting.dialogRequested = true;
    }
  }
  ImGui::End();
  ImGui::PopStyleVar(3);
  return r;
}

}  // namespace fieldscope
