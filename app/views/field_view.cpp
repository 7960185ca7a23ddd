#include "app/views/field_view.h"

#include <imgui.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <stdexcept>

#include "app/cli/shipped_models.h"
#include "app/panels/side_panel.h"

namespace fieldscope {

FieldView::FieldView(std::shared_ptr<FieldSource> source, const ViewServices& services, std::string hint)
    : Tile2DDomainView(services), hint_(std::move(hint)) {
  tile_.setSource(std::move(source));
  if (!hint_.empty())
    for (const auto& m : findShippedModels()) shippedModels_.push_back(m.string());
}

void FieldView::drawPanels(std::string& openFile) {
  if (hint_.empty()) return;
  if (beginSidePanel("Sample")) {
    ImGui::TextWrapped("%s", hint_.c_str());
    if (!shippedModels_.empty()) ImGui::TextDisabled("Shipped models");
    for (const std::string& m : shippedModels_) {
      if (ImGui::Selectable(std::filesystem::path(m).filename().string().c_str())) openFile = m;
      if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", m.c_str());
    }
  }
  ImGui::End();
}

nlohmann::json FieldView::saveState() const { return {{"view", tile_.saveView()}}; }

void FieldView::restoreState(const nlohmann::json& state) {
  if (!state.is_object()) throw std::runtime_error("the field state is not an object");
  if (state.contains("view")) tile_.restoreView(state.at("view"));
}

std::shared_ptr<ExportProgress> FieldView::startExport(const ExportRequest& request) {
  if (request.kind != "png") throw std::runtime_error("this view exports PNG, not '" + request.kind + "'");
  const Region r = request.wholePicture ? Region{0, 0, 1, 1} : tile_.view().region();
  nlohmann::json side = {{"region", {r.x0, r.y0, r.x1, r.y1}}, {"size", {request.width, request.height}},
                         {"field", title()}};
  return tile_.exportPng(request.path, request.width, request.height, side.dump(2) + "\n", r);
}

}  // namespace fieldscope
