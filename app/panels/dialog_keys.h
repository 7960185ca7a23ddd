#pragma once
// Every dialog closes from the keyboard (issue 15, item 4): Esc cancels, Enter confirms (the
// default button). Dear ImGui 1.86 maps keys through io.KeyMap (GetKeyIndex).
#include <imgui.h>

namespace fieldscope {

inline bool dialogEscPressed() { return ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Escape), false); }
inline bool dialogEnterPressed() {
  return ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Enter), false) ||
         ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_KeyPadEnter), false);
}

}  // namespace fieldscope
