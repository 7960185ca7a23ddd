#include <imgui.h>

#include <cstdio>
#include <string>

#include "app/panels/dialog_keys.h"
#include "app/panels/ui_state.h"

namespace fieldscope {

// File > Import DDMI checkpoint...: the authors' released files (their model-last.pt and/or
// ldm-last.pt and YAML config) into a Fieldscope model file, which then opens (docs/architecture.md
// "The faithful DDMI architecture"). The work runs in GuiApp (app/gui/import_job.h).
void drawImportDialog(UiState& s) {
  static constexpr const char* kTitle = "Import DDMI checkpoint";
  ImportState& im = s.importing;
  if (im.dialogRequested) {
    ImGui::OpenPopup(kTitle);
    im.dialogRequested = false;
  }
  ImGui::SetNextWindowSize(ImVec2(620, 0), ImGuiCond_Appearing);
  if (!ImGui::BeginPopupModal(kTitle, nullptr, ImGuiWindowFlags_AlwaysAutoResize)) return;
  const bool running = im.running && !im.running->finished;
  ImGui::TextWrapped("The DDMI authors' torch.save files (mlvlab/DDMI), read without Python. Give the stage-1 "
                     "model-last.pt, the stage-2 ldm-last.pt (to sample), or both, and their YAML config.");
  ImGui::BeginDisabled(running);
  auto field = [](const char* label, char* buf, size_t n) {
    ImGui::TextUnformatted(label);
    ImGui::SetNextItemWidth(600);
    ImGui::InputText((std::string("##") + label).c_str(), buf, n);
  };
  field("model-last.pt (VAE + readout; optional with ldm-last.pt)", im.vae, sizeof im.vae);
  field("ldm-last.pt or the Hugging Face pytorch_model.bin (diffusion model; optional)", im.ldm, sizeof im.ldm);
  field("config (configs/ldm/NAME.yaml, or configs/d2c-vae/NAME.yaml without ldm-last.pt)", im.config, sizeof im.config);
  field("write the model to (.fsm)", im.out, sizeof im.out);
  ImGui::EndDisabled();
  if (running) {
    ImGui::Text("%s", im.running->progressLine().c_str());
    const int64_t t = im.running->total, d = im.running->done;
    ImGui::ProgressBar(t > 0 ? float(d) / float(t) : 0.f, ImVec2(600, 0));
    if (ImGui::Button("Cancel", ImVec2(120, 0)) || dialogEscPressed()) im.running->cancel = true;
  } else {
    if (ImGui::Button("Import", ImVec2(120, 0))) im.startRequested = true;
    ImGui::SameLine();
    if (ImGui::Button("Close", ImVec2(120, 0)) || dialogEscPressed()) ImGui::CloseCurrentPopup();
    if (!im.lastMessage.empty()) ImGui::TextWrapped("%s", im.lastMessage.c_str());
  }
  if (im.closeRequested) {
    im.closeRequested = false;
    ImGui::CloseCurrentPopup();
  }
  ImGui::EndPopup();
}

}  // namespace fieldscope
