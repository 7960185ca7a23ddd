#pragma once
// FieldView: a field that belongs to no model -- the procedural test field shown when nothing
// is open, or the self-test's pattern -- in the 2D tile view, with a small panel pointing at
// the shipped models. A DomainView like the others, so the app treats it the same way.
#include <memory>
#include <string>
#include <vector>

#include "app/views/tile2d_domain_view.h"

namespace fieldscope {

class FieldView final : public Tile2DDomainView {
 public:
  // hint: the panel's text ("" for no panel: the self-test).
  FieldView(std::shared_ptr<FieldSource> source, const ViewServices& services, std::string hint);

  std::string title() const override { return tile_.source()->name(); }
  void drawPanels(std::string& openFile) override;
  nlohmann::json saveState() const override;
  void restoreState(const nlohmann::json& state) override;
  std::shared_ptr<ExportProgress> startExport(const ExportRequest& request) override;

 private:
  std::string hint_;
  std::vector<std::string> shippedModels_;
};

}  // namespace fieldscope
