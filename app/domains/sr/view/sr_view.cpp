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
    case SrCompare::Sample: return "sample B";
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
  if (picture_ && model_->diffusion) sampler_ = std::make_unique<SrSampler>(model_, picture_);
  if (picture_) apply(panel_.scale);
}

SrView::~SrView() {
  sampler_.reset();  // stops a running sample
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
  if (field_ && outW == outW_ && outH == outH_) {
    shownScale_ = scale;
    retarget();
    return;  // the same output size: its decoded blocks and samples stay
  }
  field_ = std::make_shared<SrField>(model_->ae, picture_->planes.rgb, outW, outH);
  shownScale_ = scale;
  outW_ = outW;
  outH_ = outH;
  // A new size forgets the samples of the old one; sampling starts only when asked (Upscale, More
  // samples): on a CPU a sample of a large picture takes minutes.
  retarget();
  shownSource_ = -2;
  showPicture();
  showCompare(SrCompare(panel_.compare), /*force=*/true);  // the compare side read the old field
}

void SrView::retarget() {
  if (!sampler_ || (outW_ == targetW_ && outH_ == targetH_ && panel_.steps == targetSteps_)) return;
  targetW_ = outW_;
  targetH_ = outH_;
  targetSteps_ = panel_.steps;
  sampler_->setTarget(outW_, outH_, panel_.steps);
  samples_.clear();
  panel_.shown = panel_.compareSample = -1;
  panel_.strip = false;
  if (compareShown_ == SrCompare::Sample && field_) showCompare(SrCompare::Sample, /*force=*/true);
}

void SrView::showPicture() {
  if (!field_) return;
  const int want = panel_.strip && !samples_.empty() ? -3 : (panel_.shown >= 0 && panel_.shown < int(samples_.size()) ? panel_.shown : -1);
  if (want == shownSource_ && (want != -3 || stripSize_ == samples_.size())) return;
  const uint64_t old = tile_.source() ? tile_.source()->uid() : 0;
  const std::string base = picture_->describe() + " " + scaleText(shownScale_);
  if (want == -3) {
    std::vector<std::shared_ptr<SrField>> fields;
    for (const SrSample& s : samples_) fields.push_back(s.field);
    tile_.setSource(makeSrStripSource(fields, base + " samples"));
    stripSize_ = samples_.size();
  } else if (want >= 0) {
    tile_.setSource(makeSrSource(samples_[size_t(want)].field, SrLook::Super,
                                 base + " seed " + std::to_string(samples_[size_t(want)].seed)));
  } else {
    tile_.setSource(makeSrSource(field_, SrLook::Super, base));
  }
  if (old) tile_.forgetSource(old);
  shownSource_ = want;
}

void SrView::collectSamples() {
  if (!sampler_) return;
  bool changed = false;
  for (SrSample& s : sampler_->takeFinished()) {
    samples_.push_back(std::move(s));
    changed = true;
    // The chosen seed's sample replaces the decoder-only picture as soon as it is there.
    if (panel_.shown < 0 && samples_.back().seed == uint64_t(panel_.seed)) panel_.shown = int(samples_.size()) - 1;
    if (pendingCompareSeed_ >= 0 ? samples_.back().seed == uint64_t(pendingCompareSeed_)
                                 : (panel_.compareSample < 0 && samples_.back().seed != uint64_t(panel_.seed))) {
      panel_.compareSample = int(samples_.size()) - 1;
      pendingCompareSeed_ = -1;
    }
  }
  if (changed && compareShown_ == SrCompare::Sample) showCompare(SrCompare::Sample, /*force=*/true);
}

SrSamplesInfo SrView::samplesInfo() const {
  SrSamplesInfo info;
  for (const SrSample& s : samples_) {
    info.seeds.push_back(s.seed);
    info.seconds.push_back(s.seconds);
  }
  if (sampler_) {
    info.note = sampler_->note();
    info.busy = sampler_->busy();
  }
  return info;
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
  if (compare == SrCompare::Sample) {
    const int b = panel_.compareSample;
    if (b >= 0 && b < int(samples_.size()))
      compare_->setSource(makeSrSource(samples_[size_t(b)].field, SrLook::Super, "seed " + std::to_string(samples_[size_t(b)].seed)));
    else
      compare_->setSource(makeSrSource(field_, SrLook::Super, "decoder alone"));
  } else {
    compare_->setSource(makeSrSource(field_, compare == SrCompare::Bicubic ? SrLook::Bicubic : SrLook::Nearest,
                                     std::string(compareName(compare))));
  }
  if (old) compare_->forgetSource(old);
}

int SrView::dividerPixels() const { return std::clamp(int(std::lround(panel_.divider * width_)), 0, width_); }

double SrView::outputPixelsPerViewPixel() const {
  if (!outW_) return 0;
  return tile_.view().unitsPerPixel() * double(std::max(outW_, outH_));
}

void SrView::drawPanels(std::string& openFile) {
  (void)openFile;  // pictures come through File > Open and drops
  const int compareBefore = panel_.compareSample;
  drawSrPanel(panel_, *model_, picture_.get(), shownScale_, outW_, outH_, outputPixelsPerViewPixel(), samplesInfo());
  if (panel_.compareSample != compareBefore && compareShown_ == SrCompare::Sample) showCompare(SrCompare::Sample, true);
  if (compare_ && field_ && !panel_.strip) {
    const bool sample = panel_.shown >= 0 && panel_.shown < int(samples_.size());
    const std::string left = sample ? "seed " + std::to_string(samples_[size_t(panel_.shown)].seed) + " " + scaleText(shownScale_)
                                    : (model_->diffusion ? "decoder alone " : "super-resolved ") + scaleText(shownScale_);
    std::string right = compareName(compareShown_);
    if (compareShown_ == SrCompare::Sample)
      right = panel_.compareSample >= 0 && panel_.compareSample < int(samples_.size())
                  ? "seed " + std::to_string(samples_[size_t(panel_.compareSample)].seed)
                  : "decoder alone";
    drawSrDivider(originX_, originY_, width_, height_, dividerPixels(), left, right);
  }
}

void SrView::input(const ViewportInput& in) {
  originX_ = in.originX;
  originY_ = in.originY;
  ViewportInput rest = in;
  if (panel_.strip && in.clicked && in.hovered && !samples_.empty()) {
    // A click on a sample of the strip shows that sample.
    const Region r = tile_.view().region();
    const double fx = r.x0 + (in.mouseX / std::max(1, in.width)) * (r.x1 - r.x0);
    const double fy = r.y0 + (in.mouseY / std::max(1, in.height)) * (r.y1 - r.y0);
    const int k = stripCellAt(int(samples_.size()), outW_, outH_, fx, fy);
    if (k >= 0) {
      panel_.shown = k;
      panel_.strip = false;
      rest.clicked = rest.doubleClicked = false;
    }
  }
  if (compare_ && !panel_.strip) {
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
  if (sampler_) {
    if (panel_.cancelRequested) sampler_->cancel();
    if (panel_.sampleRequested || panel_.moreRequested) retarget();
    if (panel_.sampleRequested) {
      // The diffusion sample of the chosen seed comes on its own thread; the view shows what it has meanwhile.
      sampler_->request(uint64_t(panel_.seed));
      panel_.strip = false;
      for (size_t k = 0; k < samples_.size(); ++k)
        if (samples_[k].seed == uint64_t(panel_.seed)) panel_.shown = int(k);
    }
    if (panel_.moreRequested) {
      for (int k = 0; k < panel_.moreCount; ++k) sampler_->request(uint64_t(panel_.seed) + uint64_t(k));
      panel_.strip = true;
    }
    collectSamples();
  }
  panel_.cancelRequested = panel_.moreRequested = panel_.sampleRequested = false;
  showPicture();
  showCompare(panel_.strip ? SrCompare::Off : SrCompare(panel_.compare));
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
  if (sampler_ && sampler_->busy()) p.converged = false;  // a diffusion sample is on its way
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
  if (sampler_) {
    const std::string note = sampler_->note();
    if (!note.empty()) line += "  |  " + note;
  }
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
          {"steps", panel_.steps},
          {"seed", panel_.seed},
          {"samples", [&] {
             std::vector<uint64_t> seeds;
             for (const SrSample& x : samples_) seeds.push_back(x.seed);
             return seeds;
           }()},
          {"compare_seed", panel_.compareSample >= 0 && panel_.compareSample < int(samples_.size())
                               ? int64_t(samples_[size_t(panel_.compareSample)].seed)
                               : int64_t(-1)},
          {"strip", panel_.strip},
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
    if (!state.at("compare").is_number_integer()) throw std::runtime_error("compare is not 0, 1, 2 or 3");
    compare = state.at("compare").get<int>();
    if (compare < 0 || compare > 3) throw std::runtime_error("compare is not 0, 1, 2 or 3");
  }
  int steps = panel_.steps, seed = panel_.seed;
  if (state.contains("steps")) {
    if (!state.at("steps").is_number_integer()) throw std::runtime_error("steps is not a whole number");
    const int64_t v = state.at("steps").get<int64_t>();
    if (v < 1 || v > 1000) throw std::runtime_error("steps must be between 1 and 1000");
    steps = int(v);
  }
  if (state.contains("seed")) {
    if (!state.at("seed").is_number_integer()) throw std::runtime_error("seed is not a whole number");
    const int64_t v = state.at("seed").get<int64_t>();
    if (v < 0 || v > 2147483647) throw std::runtime_error("seed must be between 0 and 2147483647");
    seed = int(v);
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
  std::vector<uint64_t> seeds;
  if (state.contains("samples")) {
    const auto& list = state.at("samples");
    if (!list.is_array() || list.size() > 64) throw std::runtime_error("samples is not a list of at most 64 seeds");
    for (const auto& v : list) {
      if (!v.is_number_integer() || v.get<int64_t>() < 0 || v.get<int64_t>() > 2147483647)
        throw std::runtime_error("samples holds something that is not a seed");
      seeds.push_back(v.get<uint64_t>());
    }
  }
  int64_t compareSeed = -1;
  if (state.contains("compare_seed")) {
    if (!state.at("compare_seed").is_number_integer()) throw std::runtime_error("compare_seed is not a whole number");
    compareSeed = std::max<int64_t>(-1, std::min<int64_t>(state.at("compare_seed").get<int64_t>(), 2147483647));
  }
  bool strip = false;
  if (state.contains("strip")) {
    if (!state.at("strip").is_boolean()) throw std::runtime_error("strip is not true or false");
    strip = state.at("strip").get<bool>();
  }
  panel_.steps = steps;
  panel_.seed = seed;
  if (!field_ || scale != shownScale_) apply(scale);
  retarget();  // other steps: the samples start over
  if (sampler_) {
    // The samples the session had are made again (the same seeds give the same pictures).
    for (uint64_t s : seeds) sampler_->request(s);
    pendingCompareSeed_ = compareSeed;
    panel_.strip = strip && seeds.size() > 1;
    for (size_t k = 0; k < samples_.size(); ++k) {
      if (samples_[k].seed == uint64_t(seed)) panel_.shown = int(k);
      if (compareSeed >= 0 && samples_[k].seed == uint64_t(compareSeed)) panel_.compareSample = int(k);
    }
  }  // the same scale keeps its decoded blocks
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
  request.tiles = upscaleTiles(config);
  const PhotoPixels& px = picture_->pixels;
  const UpscalePlan plan = planUpscale(config, px.width, px.height, px.channels, px.bitDepth, request);
  refuseBeyondMemory(plan.peakBytes, "upscaling '" + picture_->path.string() + "' to " + std::to_string(plan.outW) + "x" +
                                         std::to_string(plan.outH));
  auto progress = std::make_shared<ExportProgress>();
  progress->totalRows = int(std::max<int64_t>(1, plan.tileCount));
  // On a thread of its own: the view keeps decoding on the worker meanwhile.
  UpscaleDiffusion sample;  // the sample shown, decoded as it is (no sampling again)
  if (panel_.shown >= 0 && panel_.shown < int(samples_.size())) sample.latent = samples_[size_t(panel_.shown)].field->latent();
  exportThread_ = startExportThread(progress, [model = model_, picture = picture_, plan, tiles = request.tiles, path = r.path,
                                               progress, sample]() -> ExportOutcome {
    UpscaleCallbacks cb;
    cb.cancel = &progress->cancel;
    cb.progress = [&](int64_t done, int64_t) { progress->rowsDone = int(done); };
    if (!upscaleToPng(model->ae, picture->pixels, plan, tiles, path, cb, sample))
      return {false, "export cancelled; " + path + " was not written"};
    return {true, "wrote " + path + " (" + std::to_string(plan.outW) + "x" + std::to_string(plan.outH) + ", " +
                      std::to_string(plan.bitDepth) + "-bit" + (plan.channels == 4 ? ", alpha" : "") + ")"};
  });
  exportProgress_ = progress;
  return progress;
}

}  // namespace fieldscope
