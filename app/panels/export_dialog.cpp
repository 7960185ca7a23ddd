// File > Export <kind>: path and size -- of the whole picture by default when the view has one
// (its own aspect, no dark margins), else of the current view (the viewport's size) -- or,
// for a mesh (OBJ/PLY), the grid resolution it is extracted at -- then, when the file exists, the
// question "Replace file?", then a progress window with ETA and Cancel while the torch thread works.
#include <imgui.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <utility>

#include "app/panels/dialog_keys.h"
#include "app/panels/ui_state.h"
#include "model/io/atomic_file.h"

namespace fieldscope {
namespace {

constexpr const char* kReplaceTitle = "Replace file?";

// The question over the Export dialog when its file exists: true when the answer is Replace.
// Enter replaces, Esc keeps the file (as a file manager's replace question does).
bool drawReplaceQuestion(ExportState& e) {
  if (!ImGui::BeginPopupModal(kReplaceTitle, nullptr, ImGuiWindowFlags_AlwaysAutoResize)) {
    e.confirmingReplace = false;
    return false;
  }
  std::error_code ec;
  const std::filesystem::path p = std::filesystem::absolute(std::filesystem::path(e.path), ec);
  ImGui::Text("\"%s\" already exists in", p.filename().string().c_str());
  ImGui::Text("%s", p.parent_path().string().c_str());
  ImGui::TextUnformatted("Replacing it overwrites its contents (and its .json sidecar).");
  ImGui::Spacing();
  const bool keys = e.confirmFrames++ > 0;  // not the Enter that pressed Export
  const int scripted = std::exchange(e.answerReplace, 0);
  const bool replace = ImGui::Button("Replace", ImVec2(120, 0)) || (keys && dialogEnterPressed()) || scripted == 1;
  ImGui::SameLine();
  const bool keep = ImGui::Button("Cancel", ImVec2(120, 0)) || (keys && dialogEscPressed()) || scripted == 2;
  if (replace || keep) {
    e.confirmingReplace = false;
    if (keep) ++e.replaceDeclined;
    ImGui::CloseCurrentPopup();
  }
  ImGui::EndPopup();
  return replace;
}

}  // namespace

void drawExportDialog(UiState& s) {
  ExportState& e = s.exporting;
  static constexpr const char* kTitle = "Export";
  if (e.dialogRequested && !e.available.empty()) {  // the kind as the view describes it now
    const auto it = std::find_if(e.available.begin(), e.available.end(), [&](const ExportKind& k) { return k.id == e.kind.id; });
    e.kind = it != e.available.end() ? *it : e.available.front();
  }
  const bool mesh = e.kind.extension == ".obj" || e.kind.extension == ".ply";
  const bool picture = e.kind.pictureAspect > 0 && !mesh && !e.kind.fixedSize;
  auto defaultSize = [&] {
    if (picture && e.wholePicture) {
      e.width = 1024;
      e.height = std::clamp(int(std::lround(1024 * e.kind.pictureAspect)), 1, kMaxExportSide);
    } else {
      e.width = mesh ? 256 : s.input.width;
      e.height = mesh ? 0 : s.input.height;
    }
  };
  if (e.dialogRequested) {
    e.dialogRequested = false;
    e.wholePicture = true;
    defaultSize();
    // The file name keeps its stem and takes the kind's extension.
    std::filesystem::path p(e.path);
    if (!e.kind.extension.empty() && p.extension() != e.kind.extension)
      std::snprintf(e.path, sizeof(e.path), "%s", p.replace_extension(e.kind.extension).string().c_str());
    ImGui::OpenPopup(kTitle);
  }
  if (ImGui::BeginPopupModal(kTitle, nullptr, ImGuiWindowFlags_AlwaysAutoResize)) {
    if (mesh)
      ImGui::Text("%s of the shown sample, cut at the iso-level shown.", e.kind.label.c_str());
    else if (e.kind.fixedSize)
      ImGui::Text("Export %s.", e.kind.label.c_str());
    else
      ImGui::Text("%s of %s, decoded exactly at the chosen size.", e.kind.label.c_str(),
                  picture && e.wholePicture ? "the whole picture" : "the current view");
    // Scripted input (tests) types into the fields of the open dialog.
    if (!e.typedPath.empty()) {
      std::snprintf(e.path, sizeof(e.path), "%s", e.typedPath.c_str());
      e.typedPath.clear();
    }
    ImGui::SetNextItemWidth(420);
    ImGui::InputText("File", e.path, sizeof(e.path));
    {  // a folder to save in (clicking a file takes its name too); the file name stays
      std::error_code ec;
      const std::filesystem::path target = std::filesystem::absolute(std::filesystem::path(e.path), ec);
      if (!ec && target.parent_path().string() != e.browserSynced) {  // typed or picked: the browser follows
        s.exportBrowser.folder = target.parent_path();
        e.browserSynced = target.parent_path().string();
      } else if (!ec && s.exportBrowser.folder.string() != e.browserSynced) {  // browsed: the path follows
        std::snprintf(e.path, sizeof(e.path), "%s", (s.exportBrowser.folder / target.filename()).string().c_str());
        e.browserSynced = s.exportBrowser.folder.string();
      }
      bool twice = false;
      const std::string picked = drawFileBrowser(s.exportBrowser, {e.kind.extension}, 120.0f, twice);
      if (!picked.empty()) std::snprintf(e.path, sizeof(e.path), "%s", picked.c_str());
    }
    if (!s.recentFolders.empty()) {  // the folders exported to before: the file name stays
      ImGui::SetNextItemWidth(420);
      if (ImGui::BeginCombo("Recent folders", "choose a folder...")) {
        for (const std::string& folder : s.recentFolders)
          if (ImGui::Selectable(folder.c_str())) {
            const std::string name = std::filesystem::path(e.path).filename().string();
            std::snprintf(e.path, sizeof(e.path), "%s", (std::filesystem::path(folder) / name).string().c_str());
          }
        ImGui::EndCombo();
      }
    }
    // Said before Export is pressed: where it cannot write, and what it would replace.
    if (e.checkedPath != e.path) {
      e.checkedPath = e.path;
      e.pathProblem = whyNotWritable(e.checkedPath);
      std::error_code ec;
      e.pathExists = e.pathProblem.empty() && std::filesystem::exists(e.checkedPath, ec);
    }
    if (!e.pathProblem.empty())
      ImGui::TextColored(ImVec4(1.0f, 0.45f, 0.4f, 1.0f), "Cannot write here: %s", e.pathProblem.c_str());
    else if (e.pathExists)
      ImGui::TextColored(ImVec4(1.0f, 0.8f, 0.3f, 1.0f), "The file exists: Replace asks before overwriting it.");
    if (picture) {  // what is exported: the whole picture, or what the viewport shows
      int area = e.wholePicture ? 0 : 1;
      const bool a = ImGui::RadioButton("Whole picture", &area, 0);
      ImGui::SameLine();
      const bool b = ImGui::RadioButton("Current view", &area, 1);
      if (a || b) {
        e.wholePicture = area == 0;
        defaultSize();
      }
    }
    const double aspect = picture && e.wholePicture ? e.kind.pictureAspect : e.aspect;
    ImGui::SetNextItemWidth(140);
    if (mesh) {
      if (ImGui::InputInt("Grid resolution", &e.width, 32, 128)) e.width = std::clamp(e.width, 8, 1024);
      if (e.typedWidth > 0) e.width = std::clamp(std::exchange(e.typedWidth, 0), 8, 1024);
      ImGui::Text("%d^3 samples of the field", e.width);
    }
    bool widthEdited = false;
    if (e.kind.fixedSize) e.typedWidth = 0;
    else if (!mesh) widthEdited = ImGui::InputInt("Width", &e.width, 64, 512);
    if (e.typedWidth > 0) {
      e.width = std::exchange(e.typedWidth, 0);
      widthEdited = true;
    }
    if (widthEdited) {
      e.width = std::clamp(e.width, 1, kMaxExportSide);
      e.height = std::clamp(int(std::lround(e.width * aspect)), 1, kMaxExportSide);
    }
    if (!mesh && !e.kind.fixedSize) ImGui::Text("Height %d  (%.1f megapixels)", e.height, e.width * double(e.height) / 1e6);
    const bool asking = e.confirmingReplace;  // the keys belong to the question while it is open
    ImGui::BeginDisabled(!e.pathProblem.empty());
    const bool pressed = ImGui::Button(e.pathExists ? "Replace..." : "Export", ImVec2(120, 0)) ||
                         (!asking && dialogEnterPressed() && !ImGui::IsAnyItemActive() && e.pathProblem.empty());
    ImGui::EndDisabled();
    if ((pressed || std::exchange(e.pressExport, false)) && !asking) {
      std::error_code ec;  // looked at again now: the file may have appeared since it was typed
      if (std::filesystem::exists(e.path, ec)) {
        e.confirmingReplace = true;
        e.confirmFrames = 0;
        ImGui::OpenPopup(kReplaceTitle);
      } else {
        e.startRequested = true;
        ImGui::CloseCurrentPopup();
      }
    }
    ImGui::SameLine();
    if (ImGui::Button("Cancel", ImVec2(120, 0)) || (!asking && dialogEscPressed())) ImGui::CloseCurrentPopup();
    if (drawReplaceQuestion(e)) {
      e.startRequested = true;
      ImGui::CloseCurrentPopup();
    }
    ImGui::EndPopup();
  }
  if (e.running && !e.running->finished) {
    const ImGuiViewport* vp = ImGui::GetMainViewport();
    ImGui::SetNextWindowPos(ImVec2(vp->Pos.x + vp->Size.x * 0.5f, vp->Pos.y + vp->Size.y * 0.5f), ImGuiCond_Always,
                            ImVec2(0.5f, 0.5f));
    ImGui::Begin("Exporting", nullptr, ImGuiWindowFlags_AlwaysAutoResize | ImGuiWindowFlags_NoCollapse);
    ImGui::Text("%s", e.path);
    ImGui::ProgressBar(float(e.running->fraction()), ImVec2(360, 0));
    const double eta = e.running->etaSeconds();
    if (eta >= 0)
      ImGui::Text("about %.0f s left", eta);
    else
      ImGui::TextUnformatted("starting...");
    if (ImGui::Button("Cancel", ImVec2(120, 0))) e.running->cancel = true;
    ImGui::End();
  }
}

}  // namespace fieldscope
