#include "app/domains/nerf/cli/nerf_picture.h"

#include <torch/torch.h>

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "app/domains/nerf/cli/nerf_camera.h"
#include "model/nerf/volume_render.h"
#include "render/raymarch_settings.h"
#include "render/volume_march_cpu.h"

namespace fieldscope {

NerfRenderMode parseNerfRenderMode(const std::string& text) {
  if (text.empty() || text == "colour" || text == "color") return NerfRenderMode::Colour;
  if (text == "depth") return NerfRenderMode::Depth;
  if (text == "opacity") return NerfRenderMode::Opacity;
  throw std::runtime_error("--mode '" + text + "': a NeRF view shows colour, depth or opacity");
}

namespace {

// Rays of rows [row0, row0 + rows) of the whole picture.
Rays bandRays(const Rays& all, int width, int row0, int rows) {
  return {all.origins.narrow(0, int64_t(row0) * width, int64_t(rows) * width),
          all.directions.narrow(0, int64_t(row0) * width, int64_t(rows) * width)};
}

torch::Tensor shade(const RenderedRays& r, NerfRenderMode mode, const RayCamera& camera, double bound,
                    const std::array<float, 3>& background) {
  if (mode == NerfRenderMode::Colour) return r.rgb;
  const torch::Tensor bg = torch::tensor({background[0], background[1], background[2]}).view({1, 3});
  if (mode == NerfRenderMode::Opacity) return r.opacity.clamp(0, 1).unsqueeze(1).expand({-1, 3});
  // Depth: the expected distance over the box's nearest and farthest reach from the camera,
  // near = light; where less than half the ray is absorbed, the background.
  const double dist = std::sqrt(double(camera.origin[0]) * camera.origin[0] + double(camera.origin[1]) * camera.origin[1] +
                                double(camera.origin[2]) * camera.origin[2]);
  const double nearD = std::max(0.0, dist - std::sqrt(3.0) * bound), farD = dist + std::sqrt(3.0) * bound;
  const torch::Tensor d = r.depth / r.opacity.clamp_min(1e-6);
  const torch::Tensor grey = (1.0 - (d - nearD) / (farD - nearD)).clamp(0, 1).unsqueeze(1).expand({-1, 3});
  return torch::where((r.opacity >= 0.5).unsqueeze(1), grey, bg.expand({r.opacity.size(0), 3}));
}

}  // namespace

torch::Tensor bakeForPictures(const NerfField& field, int n, const std::function<bool()>& cancelled,
                              const WorkProgress& progress) {
  torch::Tensor grid = torch::empty({n, n, n, 4});
  if (!bakeVolume(field.asQuery(), n, field.config.bound, nerfWorldFromView({0, 0, -1}), grid, true, cancelled, progress))
    return {};
  return grid;
}

namespace {

std::optional<Rgba8Image> marchBaked(const NerfPictureSource& s, const CameraFrame& camera, int width, int height,
                                     NerfRenderMode mode, const std::array<float, 3>& background,
                                     const std::function<bool()>& cancelled, const WorkProgress& progress) {
  const torch::Tensor grid = s.grid.contiguous();
  const int n = int(grid.size(0));
  const float* values = grid.data_ptr<float>();
  const VolumeSkipGrid skip = volumeSkipGrid(values, n);
  RaymarchSettings settings;
  settings.stepVoxels = float(s.stepVoxels);
  settings.background = {background[0], background[1], background[2], 1.0f};
  settings.renderMode = int(mode);  // VOLUME_MODE_COLOUR, _DEPTH, _OPACITY
  const RaymarchGridGeometry geometry{n, float(s.field->config.bound)};
  Rgba8Image img{width, height, std::vector<uint8_t>(size_t(width) * height * 4)};
  const int rowsPerBand = std::max(1, 65536 / std::max(1, width));
  const int threads = std::max(1, torch::get_num_threads());
  for (int row = 0; row < height; row += rowsPerBand) {
    if (cancelled && cancelled()) return std::nullopt;
    const int rows = std::min(rowsPerBand, height - row);
    const auto u = raymarchUniformsForRows(camera, settings, geometry, width, height, row, rows);
    const std::vector<uint8_t> band = volumeMarchOnCpu(u, values, skip, threads);
    std::copy(band.begin(), band.end(), img.pixels.begin() + std::ptrdiff_t(size_t(row) * width * 4));
    reportProgress(progress, row + rows, height);
  }
  for (size_t i = 3; i < img.pixels.size(); i += 4) img.pixels[i] = 255;
  return img;
}

}  // namespace

struct NerfExactRows::State {
  const NerfField& field;
  RayCamera camera;
  Rays all;
  VolumeRenderOptions options;
  NerfRenderMode mode;
  std::array<float, 3> background;
};

NerfExactRows::NerfExactRows(const NerfField& field, const CameraFrame& view, int width, int height, NerfRenderMode mode,
                             const std::array<float, 3>& background)
    : width_(width) {
  const RayCamera camera = nerfRayCamera(view);
  torch::NoGradGuard noGrad;
  VolumeRenderOptions o = field.renderOptions();
  o.background = background;
  s_ = std::make_unique<State>(State{field, camera, pixelRays(camera, width, height), o, mode, background});
}

NerfExactRows::~NerfExactRows() = default;

void NerfExactRows::render(int row0, int rows, uint8_t* dst) const {
  torch::NoGradGuard noGrad;
  const Rays band = bandRays(s_->all, width_, row0, rows);
  const RenderedRays r = renderRays(s_->field.asQuery(), band, s_->options);
  const torch::Tensor rgb8 = (shade(r, s_->mode, s_->camera, s_->field.config.bound, s_->background).clamp(0, 1) * 255.0 + 0.5)
                                 .to(torch::kUInt8)
                                 .cpu()  // a field on CUDA: the rows go to host memory
                                 .contiguous();
  const uint8_t* p = rgb8.data_ptr<uint8_t>();
  for (int64_t i = 0; i < int64_t(rows) * width_; ++i) {
    dst[4 * i + 0] = p[3 * i + 0];
    dst[4 * i + 1] = p[3 * i + 1];
    dst[4 * i + 2] = p[3 * i + 2];
    dst[4 * i + 3] = 255;
  }
}

std::optional<Rgba8Image> renderNerfPicture(const NerfPictureSource& s, const CameraFrame& view, int width, int height,
                                            NerfRenderMode mode, const std::array<float, 3>& background,
                                            const std::function<bool()>& cancelled, const WorkProgress& progress) {
  if (!s.field) throw std::invalid_argument("renderNerfPicture: no field");
  if (s.grid.defined()) return marchBaked(s, view, width, height, mode, background, cancelled, progress);
  const NerfExactRows exact(*s.field, view, width, height, mode, background);
  const int rowsPerBand = exact.rowsPerBand(8192);
  Rgba8Image img;
  img.width = width;
  img.height = height;
  img.pixels.resize(size_t(width) * height * 4);
  for (int row = 0; row < height; row += rowsPerBand) {
    if (cancelled && cancelled()) return std::nullopt;
    const int rows = std::min(rowsPerBand, height - row);
    exact.render(row, rows, img.pixels.data() + size_t(row) * width * 4);
    reportProgress(progress, row + rows, height);
  }
  return img;
}

}  // namespace fieldscope
