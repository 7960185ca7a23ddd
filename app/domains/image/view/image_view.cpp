#include "app/domains/image/view/image_view.h"

#include <imgui.h>

#include <algorithm>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>

#include "app/domains/image/reproduce_command.h"
#include "app/domains/image/sample_spec_json.h"
#include "app/domains/image/seed_plane.h"
#include "app/cli/shipped_models.h"
#include "model/image/image_model.h"

namespace fieldscope {

ImageView::ImageView(std::shared_ptr<LoadedModel> model, const ViewServices& services) : Tile2DDomainView(services) {
  sample_.model = std::move(model);
  for (const auto& m : findShippedModels()) sample_.shippedModels.push_back(m.string());
  sample_.featuredSeeds = featuredSeeds(sample_.model->path);
  showSample(sample_.edit);
}

ImageView::~ImageView() = default;

std::string ImageView::title() const {
  return tile_.source() ? tile_.source()->name() : sample_.model->describe();
}

std::shared_ptr<FieldSource> ImageView::sourceFor(const SampleSpec& spec) {
  auto it = std::find_if(recent_.begin(), recent_.end(), [&](const auto& r) { return r.first == spec; });
  std::shared_ptr<FieldSource> source;
  if (it != recent_.end()) {
    source = it->second;
    recent_.erase(it);
  } else {
    source = makeSampleSource(sample_.model, spec);
  }
  recent_.emplace_front(spec, source);
  while (recent_.size() > kRecentSources) {
    tile_.forgetSource(recent_.back().second->uid());
    recent_.pop_back();
  }
  return source;
}

void ImageView::showSample(const SampleSpec& spec) {
  SampleState& st = sample_;
  st.gridMode = false;
  tile_.setSource(sourceFor(spec));
  if (st.historyIndex < 0 || !(st.history[size_t(st.historyIndex)] == spec)) {
    st.history.resize(size_t(st.historyIndex + 1));  // a new branch drops the forward history
    st.history.push_back(spec);
    st.historyIndex = int(st.history.size()) - 1;
  }
}

void ImageView::showGrid(uint64_t firstSeed) {
  sample_.gridMode = true;
  gridFirstSeed_ = firstSeed;
  gridSpec_ = sample_.edit;
  tile_.setSource(makeGridSource(sample_.model, firstSeed, gridSpec_, gridLayout_));
  tile_.resetView();
}

// Each cell of the seed grid says its seed (issue 15, item 9) and, for a class-conditional model,
// the class it was guided towards (issue 16): a label at the cell's top-left corner, over the
// viewport picture and under the panels.
void ImageView::drawGridLabels() const {
  if (!sample_.gridMode || viewWidth_ <= 0 || viewHeight_ <= 0) return;
  const Region r = tile_.view().region();
  const double sx = viewWidth_ / (r.x1 - r.x0), sy = viewHeight_ / (r.y1 - r.y0);
  ImDrawList* dl = ImGui::GetBackgroundDrawList();
  const int cols = gridLayout_.cols, rows = gridLayout_.rows;
  const DiffusionClasses& classes = sample_.model->model->classes();
  const ClassGuidance guide = classGuidanceOf(*sample_.model->model, gridSpec_);
  for (int j = 0; j < rows; ++j)
    for (int i = 0; i < cols; ++i) {
      const double fx = (i + gridLayout_.gap) / cols, fy = (j + gridLayout_.gap) / rows;
      const float x = float(viewOriginX_ + (fx - r.x0) * sx), y = float(viewOriginY_ + (fy - r.y0) * sy);
      if (x < viewOriginX_ || y < viewOriginY_ || x > viewOriginX_ + viewWidth_ - 20 || y > viewOriginY_ + viewHeight_ - 14)
        continue;
      const uint64_t seed = gridFirstSeed_ + uint64_t(j * cols + i);
      std::string text = std::to_string(seed);
      if (guide.active()) {
        const std::string name = className(classes, classForSeed(classes, guide, seed));
        text += " " + name.substr(0, name.find(' '));  // "Smileys & Emotion" -> "Smileys"
      }
      const ImVec2 size = ImGui::CalcTextSize(text.c_str());
      dl->AddRectFilled(ImVec2(x + 2, y + 2), ImVec2(x + size.x + 8, y + size.y + 4), IM_COL32(0, 0, 0, 150), 3.f);
      dl->AddText(ImVec2(x + 5, y + 3), IM_COL32(255, 255, 255, 235), text.c_str());
    }
}

void ImageView::drawPanels(std::string& openFile) {
  drawGridLabels();
  drawSamplePanel(sample_);
  if (std::exchange(sample_.copyCommandRequested, false)) {
    ReproduceRequest r;
    r.model = sample_.model->path.string();
    r.spec = sample_.historyIndex >= 0 ? sample_.history[size_t(sample_.historyIndex)] : sample_.edit;
    r.gridMode = sample_.gridMode;
    if (r.gridMode) r.spec.seed = gridFirstSeed_;
    r.gridCols = gridLayout_.cols;
    r.gridRows = gridLayout_.rows;
    r.region = tile_.view().region();
    r.width = viewWidth_;
    r.height = viewHeight_;
    if (!sample_.model->model->classes().empty()) {
      const ClassGuidance g = classGuidanceOf(*sample_.model->model, r.gridMode ? gridSpec_ : r.spec);
      r.group = className(sample_.model->model->classes(), g.classIndex);
      r.guidance = g.scale;
    }
    sample_.copiedText = reproduceCommand(r);
    ImGui::SetClipboardText(sample_.copiedText.c_str());
    std::fprintf(stderr, "fieldscope: copied to the clipboard: %s\n", sample_.copiedText.c_str());
  }
  if (std::exchange(sample_.copySeedRequested, false)) {
    sample_.copiedText = std::to_string(sample_.gridMode ? gridFirstSeed_ : sample_.edit.seed);
    ImGui::SetClipboardText(sample_.copiedText.c_str());
  }
  if (!sample_.openModelPath.empty()) openFile = std::exchange(sample_.openModelPath, std::string());
}

void ImageView::input(const ViewportInput& in) {
  viewOriginX_ = in.originX;
  viewOriginY_ = in.originY;
  tile_.input(in);
  if (auto click = tile_.takeClick(); click && sample_.gridMode) {
    if (auto cell = gridLayout_.cellAt(click->first, click->second)) {
      sample_.edit.seed = gridFirstSeed_ + uint64_t(*cell);
      sample_.edit.blend = sample_.edit.plane = false;
      sample_.applyRequested = true;
      tile_.resetView();
    }
  }
}

void ImageView::update(int width, int height, double now) {
  SampleState& st = sample_;
  if (st.gridRequested) {
    st.gridRequested = false;
    showGrid(st.edit.seed);
  }
  if (st.animate && !st.gridMode && tile_.progress().converged) {
    // The next step of the walk once the current one has landed.
    const double dt = lastAnimateTime_ > 0 ? now - lastAnimateTime_ : 0.0;
    st.edit.blend = true;
    st.edit.plane = false;
    st.edit.t += float(std::min(dt, 1.0) * st.animateSpeed);
    if (st.edit.t >= 1.0f) {
      st.edit.t -= 1.0f;
      st.edit.seed = st.edit.seedB;
      st.edit.seedB += 1;
    }
    st.applyRequested = true;
    lastAnimateTime_ = now;
  }
  if (!st.animate) lastAnimateTime_ = 0;
  if (st.applyRequested) {
    st.applyRequested = false;
    showSample(st.edit);
  }
  viewWidth_ = width;
  viewHeight_ = height;
  tile_.update(width, height, now);
}

nlohmann::json ImageView::saveState() const {
  nlohmann::json j;
  const SampleState& st = sample_;
  if (st.gridMode) {
    SampleSpec g = st.edit;
    g.seed = gridFirstSeed_;
    g.blend = false;
    j["sample"] = sampleSpecToJson(g);
    j["grid"] = true;
  } else {
    j["sample"] = sampleSpecToJson(st.historyIndex >= 0 ? st.history[size_t(st.historyIndex)] : st.edit);
    j["grid"] = false;
  }
  j["view"] = tile_.saveView();
  return j;
}

void ImageView::restoreState(const nlohmann::json& state) {
  if (!state.is_object()) throw std::runtime_error("the image state is not an object");
  // Validate everything before changing anything.
  const SampleSpec spec = state.contains("sample") ? sampleSpecFromJson(state.at("sample")) : SampleSpec{};
  if (state.contains("grid") && !state.at("grid").is_boolean()) throw std::runtime_error("grid is not true/false");
  const bool grid = state.value("grid", false);
  if (state.contains("view")) tile_.restoreView(state.at("view"));
  sample_.edit = spec;
  sample_.history.clear();
  sample_.historyIndex = -1;
  if (grid) {
    sample_.gridMode = true;
    gridFirstSeed_ = spec.seed;
    gridSpec_ = spec;
    tile_.setSource(makeGridSource(sample_.model, spec.seed, spec, gridLayout_));
  } else {
    showSample(spec);
  }
}

std::shared_ptr<ExportProgress> ImageView::startExport(const ExportRequest& request) {
  if (request.kind != "png") throw std::runtime_error("an image view exports PNG, not '" + request.kind + "'");
  const Region r = request.wholePicture ? Region{0, 0, 1, 1} : tile_.view().region();
  nlohmann::json side;
  side["region"] = {r.x0, r.y0, r.x1, r.y1};
  side["size"] = {request.width, request.height};
  side["field"] = title();
  side["model"] = sample_.model->path.string();
  if (!sample_.gridMode && sample_.historyIndex >= 0) {
    const SampleSpec& sp = sample_.history[size_t(sample_.historyIndex)];
    side["seed"] = sp.seed;
    side["steps"] = sp.steps;
    side["eta"] = sp.eta;
    if (sp.blend) side["blend"] = {{"seed_b", sp.seedB}, {"t", sp.t}};
    if (sp.plane) {
      const SeedMix mix = seedPlaneMix(sp.planeX, sp.planeY);
      side["seed_plane"] = {{"x", sp.planeX}, {"y", sp.planeY}, {"seeds", mix.seeds}, {"weights", mix.weights}};
    }
  }
  return tile_.exportPng(request.path, request.width, request.height, side.dump(2) + "\n", r);
}

}  // namespace fieldscope
