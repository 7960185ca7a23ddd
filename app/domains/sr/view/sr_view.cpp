#include "app/domains/sr/view/sr_view.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <stdexcept>

#include "app/domains/sr/sr_source.h"
#include "app/gui/export_job.h"
#include "model/sr/sr_field.h"
#include "model/sr/upscale_job.h"
#include "model/util/memory_budget.h"

namespace fieldscope {
namespace {

const char* compareName(SrCompare c) {
  switch (c) {
    case SrCompare::Bicubic: return "bicubic";
    case SrCompare::Nearest: return "input pixels";
    case SrCompare::Off: break;
  }
  return "off";
}

std::string scaleText(double s) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "x%.4g", s);
  return buf;
}

}  // namespace

SrView::SrView(std::shared_ptr<LoadedSrModel> model, std::shared_ptr<SrPicture> picture, const ViewServices& services)
    : Tile2DDomainView(services), services_(services), model_(std::move(model)), picture_(std::move(picture)) {
  if (picture_) apply(panel_.scale);
}

SrView::~SrView() {
  if (exportProgress_) exportProgress_->cancel = true;
  if (exportThread_.joinable()) exportThread_.join();
}

std::string SrView::title() const {
  if (!picture_) return model_->describe() + " - open a picture";
  return picture_->describe() + " " + scaleText(shownScale_) + " - " + model_->describe();
}

void SrView::apply(double scale) {
  if (!picture_) return;
  scale = std::clamp(scale, kSrMinScale, kSrMaxScale);
  const int64_t w = picture_->pixels.width, h = picture_->pixels.height;
  const int64_t outW = std::max<int64_t>(1, std::llround(double(w) * scale));
  const int64_t outH = std::max<int64_t>(1, std::llround(double(h) * scale));
  const uint64_t oldSuper = tile_.source() ? tile_.source()->uid() : 0;
  field_ = std::make_shared<SrField>(model_->ae, picture_->planes.rgb, outW, outH);
  shownScale_ = scale;
  outW_ = outW;
  outH_ = outH;
  tile_.setSource(makeSrSource(field_, SrLook::Super, picture_->describe() + " " + scaleText(scale)));
  if (oldSuper) tile_.forgetSource(oldSuper);
  showCompare(SrCompare(panel_.compare), /*force=*/true);  // the compare side read the old field
}

void SrView::showCompare(SrCompare compare, bool force) {
  if (compare == compareShown_ && !force) return;
  compareShown_ = compare;
  if (compare == SrCompare::Off || !field_) {
    compare_.reset();
    return;
  }
  if (!compare_) compare_ = std::make_unique<Tile2DView>(services_);
  const uint64_t old = compare_->source() ? compare_->source()->uid() : 0;
  compare_->setSource(makeSrSource(field_, compare == SrCompare::Bicubic ? SrLook::Bicubic : SrLook::Nearest,
                                   std::string(compareName(compare))));
  if (old) compare_->forgetSource(old);
}

int SrView::dividerPixels() const { return std::clamp(int(std::lround(panel_.divider * width_)), 0, width_); }

double SrView::outputPixelsPerViewPixel() const {
  if (!outW_) return 0;
  return tile_.view().unitsPerPixel() * double(std::max(outW_, outH_));
}

void SrView::drawPanels(std::string& openFile) {
  (void)openFile;  // pictures come through File > Open and drops
  drawSrPanel(panel_, *model_, picture_.get(), shownScale_, outW_, outH_, outputPixelsPerViewPixel());
  if (compare_ && field_) {
    const std::string left = "super-resolved " + scaleText(shownScale_);
    drawSrDivider(originX_, originY_, width_, height_, dividerPixels(), left, compareName(compareShown_));
  }
}

void SrView::input(const ViewportInput& in) {
  originX_ = in.originX;
  originY_ = in.originY;
  ViewportInput rest = in;
  if (compare_) {
    // A press on the divider's handle drags the divider instead of the picture.
    if (!in.leftHeld) draggingDivider_ = false;
    else if (!draggingDivider_ && in.hovered && std::abs(in.mouseX - dividerPixels()) <= 8) draggingDivider_ = true;
    if (draggingDivider_) {
      panel_.divider = float(std::clamp(in.mouseX / std::max(1, in.width), 0.0, 1.0));
      rest.dragX = rest.dragY = 0;
      rest.clicked = rest.doubleClicked = false;
    }
  }
  tile_.input(rest);
}

void SrView::update(int width, int height, double now) {
  width_ = std::max(1, width);
  height_ = std::max(1, height);
  if (panel_.applyRequested) {
    panel_.applyRequested = false;
    apply(panel_.scale);
  }
  showCompare(SrCompare(panel_.compare));
  tile_.update(width, height, now);
  if (compare_) {
    compare_->pinView(tile_.view());  // the same place on both sides
    compare_->update(width, height, now);
  }
}

void SrView::record(const FrameContext& frame) {
  if (!compare_) {
    tile_.setColumns(0, -1);
    tile_.record(frame);
    return;
  }
  const int d = dividerPixels();
  tile_.setColumns(0, d);
  tile_.record(frame);
  compare_->setColumns(d, -1);
  compare_->record(frame);
}

std::vector<VulkanWait> SrView::waits() const {
  std::vector<VulkanWait> w = tile_.waits();
  if (compare_) {
    const auto more = compare_->waits();
    w.insert(w.end(), more.begin(), more.end());
  }
  return w;
}

ViewProgress SrView::progress() const {
  ViewProgress p = tile_.progress();
  if (!picture_) {
    p.converged = true;  // nothing to decode until a picture comes
    return p;
  }
  if (compare_) {
    const ViewProgress c = compare_->progress();
    p.detailComplete = p.detailComplete && c.detailComplete;
    p.converged = p.converged && c.converged;
  }
  return p;
}

std::string SrView::status() const {
  if (!picture_) return "open a PNG or JPEG picture (File > Open, or drop it on the window) to super-resolve it";
  char buf[200];
  const double opv = outputPixelsPerViewPixel();
  std::snprintf(buf, sizeof buf, "%s -> %lldx%lld  |  %s", scaleText(shownScale_).c_str(), (long long)outW_,
                (long long)outH_,
                opv < 1 ? (scaleText(1 / opv) + " past the chosen scale, still decoded").c_str()
                        : ("1 view pixel = " + scaleText(opv).substr(1) + " output pixels").c_str());
  std::string line = buf;
  if (field_) {
    std::snprintf(buf, sizeof buf, "  |  features: %lld blocks, %.0f MB", (long long)field_->blocksComputed(),
                  double(field_->cachedBytes()) / 1048576.0);
    line += buf;
  }
  return line + "  |  " + Tile2DDomainView::status();
}

nlohmann::json SrView::saveState() const {
  return {{"scale", shownScale_ > 0 ? shownScale_ : double(panel_.scale)},
          {"compare", panel_.compare},
          {"divider", panel_.divider},
          {"view", tile_.saveView()}};
}

void SrView::restoreState(const nlohmann::json& state) {
  if (!state.is_object()) throw std::runtime_error("the super-resolution state is not an object");
  // Validate everything before changing anything.
  double scale = panel_.scale;
  int compare = panel_.compare;
  float divider = panel_.divider;
  if (state.contains("scale")) {
    if (!state.at("scale").is_number()) throw std::runtime_error("scale is not a number");
    scale = state.at("scale").get<double>();
    if (!std::isfinite(scale) || scale < kSrMinScale || scale > kSrMaxScale)
      throw std::runtime_error("scale must be between 1 and 16");
  }
  if (state.contains("compare")) {
    if (!state.at("compare").is_number_integer()) throw std::runtime_error("compare is not 0, 1 or 2");
    compare = state.at("compare").get<int>();
    if (compare < 0 || compare > 2) throw std::runtime_error("compare is not 0, 1 or 2");
  }
  if (state.contains("divider")) {
    if (!state.at("divider").is_number()) throw std::runtime_error("divider is not a number");
    const double d = state.at("divider").get<double>();
    if (!(d >= 0 && d <= 1)) throw std::runtime_error("divider must be between 0 and 1");
    divider = float(d);
  }
  if (state.contains("view")) tile_.restoreView(state.at("view"));
  panel_.scale = float(scale);
  panel_.compare = compare;
  panel_.divider = divider;
  if (!field_ || scale != shownScale_) apply(scale);  // the same scale keeps its decoded blocks
}

std::vector<ExportKind> SrView::exports() const {
  std::vector<ExportKind> kinds{{"png", "PNG of the view", ".png"}};
  if (picture_) {
    char label[160];
    std::snprintf(label, sizeof label, "the whole picture at %s: %lldx%lld PNG", scaleText(shownScale_).c_str(),
                  (long long)outW_, (long long)outH_);
    kinds.push_back({"sr-png", label, ".png", /*fixedSize=*/true});
  }
  return kinds;
}

std::shared_ptr<ExportProgress> SrView::startExport(const ExportRequest& r) {
  if (!picture_) throw std::runtime_error("nothing to export: open a picture first");
  if (r.kind == "png") {
    const nlohmann::json sidecar = {{"model", model_->path.string()},
                                    {"picture", picture_->path.string()},
                                    {"scale", shownScale_},
                                    {"region", {tile_.view().region().x0, tile_.view().region().y0,
                                                tile_.view().region().x1, tile_.view().region().y1}}};
    return tile_.exportPng(r.path, r.width, r.height, sidecar.dump(2) + "\n");
  }
  if (r.kind != "sr-png") throw std::runtime_error("the super-resolution view exports png or sr-png, not '" + r.kind + "'");
  if (exportProgress_ && !exportProgress_->finished)
    throw std::runtime_error("an export of the whole picture is still running: wait for it or cancel it first");
  if (exportThread_.joinable()) exportThread_.join();
  const SrAeConfig& config = model_->ae->config();
  UpscaleRequest request;
  request.width = outW_;
  request.height = outH_;
  request.tiles = {512, std::max<int64_t>(96, receptiveMargin(config))};
  const PhotoPixels& px = picture_->pixels;
  const UpscalePlan plan = planUpscale(config, px.width, px.height, px.channels, px.bitDepth, request);
  refuseBeyondMemory(plan.peakBytes, "upscaling '" + picture_->path.string() + "' to " + std::to_string(plan.outW) + "x" +
                                         std::to_string(plan.outH));
  auto progress = std::make_shared<ExportProgress>();
  progress->totalRows = int(std::max<int64_t>(1, plan.tileCount));
  // On a thread of its own: the view keeps decoding on the worker meanwhile.
  exportThread_ = startExportThread(progress, [model = model_, picture = picture_, plan, tiles = request.tiles, path = r.path,
                                               progress]() -> ExportOutcome {
    UpscaleCallbacks cb;
    cb.cancel = &progress->cancel;
    cb.progress = [&](int64_t done, int64_t) { progress->rowsDone = int(done); };
    if (!upscaleToPng(model->ae, picture->pixels, plan, tiles, path, cb))
      return {false, "export cancelled; " + path + " was not written"};
    return {true, "wrote " + path + " (" + std::to_string(plan.outW) + "x" + std::to_string(plan.outH) + ", " +
                      std::to_string(plan.bitDepth) + "-bit" + (plan.channels == 4 ? ", alpha" : "") + ")"};
  });
  exportProgress_ = progress;
  return progress;
}

}  // namespace fieldscope
