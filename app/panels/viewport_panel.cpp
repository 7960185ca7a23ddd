// The viewport: the area between the menu bar and the status bar where the active view is
// shown (its image is blitted underneath this transparent window). The panel only gathers
// this frame's input -- wheel, left drag, pan drag (right or middle button, or shift + left),
// click, double-click, + - 0 F and the arrows -- into s.input; the view decides what they do
// (2D: every drag pans; 3D: left drag orbits, a pan drag pans).
#include <GLFW/glfw3.h>
#include <imgui.h>

#include <cmath>
#include <cstdio>

#include "app/panels/ui_state.h"

namespace fieldscope {

ViewportRect drawViewportPanel(UiState& s, float top, float bottom, float right) {
  const ImGuiViewport* vp = ImGui::GetMainViewport();
  ImGui::SetNextWindowPos(ImVec2(vp->Pos.x, vp->Pos.y + top));
  ImGui::SetNextWindowSize(ImVec2(std::max(1.0f, vp->Size.x - right), std::max(1.0f, vp->Size.y - top - bottom)));
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
    ImGui::InvisibleButton("##field", size,
                           ImGuiButtonFlags_MouseButtonLeft | ImGuiButtonFlags_MouseButtonRight |
                               ImGuiButtonFlags_MouseButtonMiddle);
    r.x = int(pos.x);
    r.y = int(pos.y);
    r.width = int(size.x);
    r.height = int(size.y);
    r.hovered = ImGui::IsItemHovered();
    const ImGuiIO& io = ImGui::GetIO();
    r.mouseX = io.MousePos.x - pos.x;
    r.mouseY = io.MousePos.y - pos.y;
    ViewportInput& in = s.input;  // GuiApp reset it for this frame
    in.width = r.width;
    in.height = r.height;
    in.hovered = r.hovered;
    in.mouseX = r.mouseX;
    in.mouseY = r.mouseY;
    in.originX = pos.x;
    in.originY = pos.y;
    in.now = s.now;
    if (r.hovered) in.wheel = io.MouseWheel;
    if (ImGui::IsItemActive()) {
      in.leftHeld = io.MouseDown[ImGuiMouseButton_Left] && !io.KeyShift;
      const bool pan = io.MouseDown[ImGuiMouseButton_Right] || io.MouseDown[ImGuiMouseButton_Middle] ||
                       (io.MouseDown[ImGuiMouseButton_Left] && io.KeyShift);
      (pan ? in.panDragX : in.dragX) = io.MouseDelta.x;
      (pan ? in.panDragY : in.dragY) = io.MouseDelta.y;
    }
    if (ImGui::IsItemDeactivated() && r.hovered && ImGui::IsMouseReleased(ImGuiMouseButton_Left)) {
      const ImVec2 drag = ImGui::GetMouseDragDelta(ImGuiMouseButton_Left, 0.0f);
      in.clicked = drag.x * drag.x + drag.y * drag.y < 9.0f;
    }
    in.doubleClicked = r.hovered && ImGui::IsMouseDoubleClicked(ImGuiMouseButton_Left);
    if (!io.WantTextInput && !ImGui::IsPopupOpen(nullptr, ImGuiPopupFlags_AnyPopupId)) {
      in.zoomInKey = ImGui::IsKeyPressed(GLFW_KEY_EQUAL) || ImGui::IsKeyPressed(GLFW_KEY_KP_ADD);
      in.zoomOutKey = ImGui::IsKeyPressed(GLFW_KEY_MINUS) || ImGui::IsKeyPressed(GLFW_KEY_KP_SUBTRACT);
      in.resetKey = in.resetKey || ImGui::IsKeyPressed(GLFW_KEY_0);
      in.frameKey = ImGui::IsKeyPressed(GLFW_KEY_F);
      in.panKeyX = ImGui::IsKeyPressed(GLFW_KEY_RIGHT) - ImGui::IsKeyPressed(GLFW_KEY_LEFT);
      in.panKeyY = ImGui::IsKeyPressed(GLFW_KEY_DOWN) - ImGui::IsKeyPressed(GLFW_KEY_UP);
      if (ImGui::IsKeyPressed(GLFW_KEY_F2)) s.showPerf = !s.showPerf;
      if (ImGui::IsKeyPressed(GLFW_KEY_F1)) s.showControls = true;
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
