#include "app/panels/file_browser.h"

#include <imgui.h>

#include <algorithm>
#include <cctype>

namespace fieldscope {
namespace fs = std::filesystem;

void listFolder(FileBrowserState& st, const std::vector<std::string>& extensions) {
  std::error_code ec;
  if (st.folder.empty()) st.folder = fs::current_path(ec);
  st.listed = st.folder;
  st.entries.clear();
  st.problem.clear();
  fs::directory_iterator it(st.folder, fs::directory_options::skip_permission_denied, ec);
  if (ec) {
    st.problem = "cannot list '" + st.folder.string() + "': " + ec.message();
    return;
  }
  for (const fs::directory_entry& e : it) {
    const std::string name = e.path().filename().string();
    if (name.empty() || name[0] == '.') continue;
    std::error_code typeError;
    const bool folder = e.is_directory(typeError);
    if (!folder) {
      std::string ext = e.path().extension().string();
      std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return char(std::tolower(c)); });
      if (!extensions.empty() && std::find(extensions.begin(), extensions.end(), ext) == extensions.end()) continue;
    }
    st.entries.push_back({name, folder});
    if (st.entries.size() >= 5000) break;  // a huge folder stays usable
  }
  std::sort(st.entries.begin(), st.entries.end(), [](const auto& a, const auto& b) {
    return a.isFolder != b.isFolder ? a.isFolder : a.name < b.name;
  });
}

std::string drawFileBrowser(FileBrowserState& st, const std::vector<std::string>& extensions, float height,
                            bool& doubleClicked) {
  doubleClicked = false;
  if (st.listed != st.folder || (st.folder.empty() && st.entries.empty() && st.problem.empty()))
    listFolder(st, extensions);
  std::string picked;
  ImGui::TextDisabled("%s", st.folder.string().c_str());
  ImGui::SameLine();
  if (ImGui::SmallButton("Refresh")) listFolder(st, extensions);
  if (ImGui::BeginChild("##files", ImVec2(0, height), true)) {
    if (st.folder.has_parent_path() && st.folder != st.folder.root_path() && ImGui::Selectable("../"))
      st.folder = st.folder.parent_path();
    if (!st.problem.empty()) ImGui::TextColored(ImVec4(1.0f, 0.45f, 0.4f, 1.0f), "%s", st.problem.c_str());
    for (const FileBrowserState::Entry& e : st.entries) {
      const std::string label = e.isFolder ? e.name + "/" : e.name;
      if (ImGui::Selectable(label.c_str(), false, ImGuiSelectableFlags_AllowDoubleClick)) {
        if (e.isFolder) {
          st.folder /= e.name;
          break;  // the listing changes: drawn again next frame
        }
        picked = (st.folder / e.name).string();
        doubleClicked = ImGui::IsMouseDoubleClicked(ImGuiMouseButton_Left);
      }
    }
  }
  ImGui::EndChild();
  return picked;
}

}  // namespace fieldscope
