#include "model/image/region_decoder.h"

#include <torch/torch.h>

#include <algorithm>
#include <cmath>
#include <functional>
#include <optional>
#include <stdexcept>

#include "model/image/field_sampling.h"
#include "model/image/readout_cpu_loops.h"
#include "model/util/cpu_gemm.h"
#include "model/util/parallel_chunks.h"

namespace fieldscope {

namespace {

constexpr int64_t kMaxColumns = 2048;

AxisLerp sliceLerp(const AxisLerp& a, int64_t start, int64_t len) {
  return {a.i0.narrow(0, start, len), a.i1.narrow(0, start, len), a.w.narrow(0, start, len)};
}

// The field rows [first, first + count) that the rows of a render read: ys's indices, monotonic in
// the output row. On the CPU from the indices themselves; on a device (no read-back) from the same
// arithmetic on the host, one row wider each way.
struct FieldRows {
  int64_t first, count;
};
FieldRows fieldRowsRead(const AxisLerp& ys, double y0, double y1, int64_t H, int64_t fieldRows) {
  if (ys.i0.device().is_cpu()) {
    const auto i0 = ys.i0.accessor<int64_t, 1>(), i1 = ys.i1.accessor<int64_t, 1>();
    const int64_t lo = std::min(i0[0], i0[H - 1]), hi = std::max(i1[0], i1[H - 1]);
    return {lo, hi - lo + 1};
  }
  auto texel = [&](double pos) { return std::clamp(pos * double(fieldRows) - 0.5, 0.0, double(fieldRows - 1)); };
  const double a = texel(y0 + 0.5 * (y1 - y0) / double(H)), b = texel(y0 + (double(H) - 0.5) * (y1 - y0) / double(H));
  const int64_t lo = std::max<int64_t>(0, int64_t(std::floor(std::min(a, b))) - 1);
  const int64_t hi = std::min<int64_t>(fieldRows - 1, int64_t(std::floor(std::max(a, b))) + 2);
  return {lo, hi - lo + 1};
}

// The x-interpolated projection of columns [c0, c0 + cols) (1 x rows x cols x out, contiguous) of a
// projected field (1 x rows x w x out). On the CPU (fp32) one plain loop (readout_cpu_loops.h: no
// gathered copies); elsewhere the gather-and-lerp form.
torch::Tensor columnsOf(const torch::Tensor& proj, const AxisLerp& xs, int64_t c0, int64_t cols) {
  if (proj.device().is_cpu() && proj.scalar_type() == torch::kFloat32) {
    TORCH_CHECK(proj.dim() == 4 && proj.is_contiguous() && xs.i0.scalar_type() == torch::kInt64 &&
                    xs.i1.scalar_type() == torch::kInt64 && xs.w.scalar_type() == torch::kFloat32 &&
                    xs.i0.is_contiguous() && xs.i1.is_contiguous() && xs.w.is_contiguous() && cols > 0 && c0 >= 0 &&
                    c0 + cols <= xs.w.numel(),
                "decode region: the CPU column lerp got buffers of another layout");
    const int64_t rows = proj.size(1), fieldCols = proj.size(2), out = proj.size(3);
    const int64_t *i0 = xs.i0.data_ptr<int64_t>() + c0, *i1 = xs.i1.data_ptr<int64_t>() + c0;
    // The indices are monotonic in the column: the first and the last bound them all.
    TORCH_CHECK(std::min(i0[0], i0[cols - 1]) >= 0 && std::max(i1[0], i1[cols - 1]) < fieldCols,
                "decode region: a column reads outside the field");
    torch::Tensor dst = torch::empty({1, rows, cols, out}, proj.options());
    readout_cpu::lerpColumns(dst.data_ptr<float>(), proj.data_ptr<float>(), rows, fieldCols, out, i0, i1,
                             xs.w.data_ptr<float>() + c0, cols);
    return dst;
  }
  return lerpColumns(proj, sliceLerp(xs, c0, cols)).contiguous();
}

// One piece of the output: `rows` whole rows of a block of at most kMaxColumns columns.
struct Chunk {
  size_t block;
  int64_t r0, rows;
};

// A field layer's input for output rows [r0, r0 + rows): the lerp between the two field rows of
// the x-interpolated projection (`columns`, 1 x h x cols x out) that each output row falls
// between, written into acc (rows*cols x out). On the CPU (fp32) one pass per row straight into acc
// (readout_cpu_loops.h: no gathered copies); elsewhere the gather-and-lerp form (one kernel each).
void lerpRowsInto(torch::Tensor& acc, const torch::Tensor& columns, const AxisLerp& ys, int64_t r0, int64_t rows,
                  torch::Tensor& scratch) {
  const int64_t cols = columns.size(2), out = columns.size(3);
  if (columns.device().is_cpu() && columns.scalar_type() == torch::kFloat32) {
    TORCH_CHECK(acc.is_contiguous() && columns.is_contiguous() && acc.numel() == rows * cols * out &&
                    ys.i0.scalar_type() == torch::kInt64 && ys.i1.scalar_type() == torch::kInt64 &&
                    ys.w.scalar_type() == torch::kFloat32 && ys.i0.is_contiguous() && ys.i1.is_contiguous() &&
                    ys.w.is_contiguous() && rows > 0 && r0 + rows <= ys.w.numel(),
                "decode region: the CPU row lerp got buffers of another layout");
    const int64_t *i0 = ys.i0.data_ptr<int64_t>() + r0, *i1 = ys.i1.data_ptr<int64_t>() + r0;
    // The indices are monotonic in the row: the first and the last bound them all.
    TORCH_CHECK(std::min(i0[0], i0[rows - 1]) >= 0 && std::max(i1[0], i1[rows - 1]) < columns.size(1),
                "decode region: a row reads a field row that was not interpolated");
    readout_cpu::lerpRows(acc.data_ptr<float>(), columns.data_ptr<float>(), cols, out, i0, i1,
                          ys.w.data_ptr<float>() + r0, rows);
    return;
  }
  const AxisLerp s = sliceLerp(ys, r0, rows);
  torch::Tensor top = acc.view({1, rows, cols, out});
  torch::Tensor bottom = scratch.narrow(0, 0, rows * cols * out).view({1, rows, cols, out});
  at::index_select_out(top, columns, 1, s.i0);
  at::index_select_out(bottom, columns, 1, s.i1);
  top.lerp_(bottom, s.w.to(columns.scalar_type()).view({1, -1, 1, 1}));
}

// Calls emit(rowStart, colStart, rows, cols, rgb (rows*cols x 3)) for every chunk of one sample;
// rgb is scratch of the calling thread, which emit may change in place.
//
// Speed (docs/architecture.md "Performance facts"): a linear map commutes with bilinear interpolation (its weights sum to 1),
// so each layer's field weights and bias are applied to the small field once per render; per pixel
// the interpolated projection becomes the layer's accumulator and only the h-part is a GEMM. The
// chunks are independent: on the CPU they are shared among chunkThreads() threads (parallelChunks:
// torch's thread count of the caller, or the viewer's ScopedChunkThreads; each thread's BLAS stays single-threaded, blas_threads.h), and
// each thread reuses two activation buffers for all its chunks (no allocation per chunk).
void forEachTile(ImageVae& vae, const ImageFields& fields, int64_t sample, double x0, double y0, double x1, double y1,
                 int64_t W, int64_t H, int64_t chunkPoints,
                 const std::function<void(int64_t, int64_t, int64_t, int64_t, const torch::Tensor&)>& emit) {
  if (W <= 0 || H <= 0) throw std::runtime_error("decode region: output size must be positive");
  if (!std::isfinite(x0) || !std::isfinite(x1) || !std::isfinite(y0) || !std::isfinite(y1) || x0 == x1 || y0 == y1)
    throw std::runtime_error("decode region: the region must be finite and non-empty");
  const auto [sx, sy] = renderScale(vae->config(), x0, y0, x1, y1, W, H);
  // On the CPU the set-up's small torch ops run on this thread alone; the chunks below still use
  // chunkThreads() threads (parallel_chunks.h).
  std::optional<ScopedSerialTorchOps> serialSetUp;
  if (fields.levels[0].device().is_cpu()) serialSetUp.emplace();
  // The fields' dtype is the readout's: fp32 (CPU, CUDA fp32) or fp16 (CUDA fp16). The folded weights
  // and the per-render field projections are made in fp32 and then converted.
  const auto dtype = fields.levels[0].scalar_type();
  const auto device = fields.levels[0].device();
  const FoldedCfc folded32 = vae->foldScale(sx, sy);
  const FoldedCfc folded = folded32.to(dtype);
  const int64_t C = vae->config().fieldChannels;
  const size_t nLayers = folded.layers.size();
  std::vector<torch::Tensor> hWeight(nLayers), proj(nLayers);  // proj: 1 x h x w x out, per field layer
  std::vector<torch::Tensor> skipHWeight(nLayers), skipProj(nLayers);  // the same for a block's skip (folded_cfc.h)
  std::vector<AxisLerp> xs(nLayers), ys(nLayers);  // ys: relative to the first field row read
  const auto xsPos = pixelCentres(x0, x1, W, device), ysPos = pixelCentres(y0, y1, H, device);
  // The axis lerps of each field size (the layers of one level share theirs).
  std::vector<std::pair<int64_t, AxisLerp>> xLerps, yLerps;
  auto lerpOf = [](std::vector<std::pair<int64_t, AxisLerp>>& known, const torch::Tensor& pos, int64_t size) {
    for (const auto& [s, l] : known)
      if (s == size) return l;
    known.emplace_back(size, axisLerp(pos, size));
    return known.back().second;
  };
  int64_t maxOut = 0;
  for (size_t i = 0; i < nLayers; ++i) {
    const auto& L = folded32.layers[i];
    maxOut = std::max(maxOut, L.weightT.size(1));
    if (L.fieldIndex < 0) continue;
    const int64_t hIn = L.weightT.size(0) - C;
    const torch::Tensor& level = fields.levels[L.fieldIndex];
    auto hwc = fields.hwc[L.fieldIndex].defined() ? fields.hwc[L.fieldIndex].narrow(0, sample, 1)
                                                  : level.narrow(0, sample, 1).permute({0, 2, 3, 1});
    xs[i] = lerpOf(xLerps, xsPos, hwc.size(2));
    ys[i] = lerpOf(yLerps, ysPos, hwc.size(1));
    // The whole field is projected (the GEMM's rounding must not depend on the render's rows: a
    // band's pixels equal the whole view's), then only the field rows this render reads are
    // interpolated along x below: a tile or a band of rows reads a few of them (a 68-row band of
    // a 676-row view at fit: about 9 of a 64-row field's).
    const FieldRows fr = fieldRowsRead(ys[i], y0, y1, H, hwc.size(1));
    ys[i].i0 = ys[i].i0 - fr.first;
    ys[i].i1 = ys[i].i1 - fr.first;
    const auto samples = hwc.reshape({-1, C}).to(torch::kFloat32);
    auto project = [&](const torch::Tensor& bias, const torch::Tensor& weightT) {
      return torch::addmm(bias, samples, weightT.narrow(0, hIn, C))
          .view({1, hwc.size(1), hwc.size(2), -1})
          .narrow(1, fr.first, fr.count)
          .contiguous()
          .to(dtype);
    };
    proj[i] = project(L.bias, L.weightT);
    if (hIn > 0) hWeight[i] = L.weightT.narrow(0, 0, hIn).contiguous().to(dtype);
    if (L.opensBlock) {
      if (!L.skipWeightT.defined()) throw std::logic_error("decode region: an identity skip cannot take a field");
      skipProj[i] = project(L.skipBias, L.skipWeightT);
      if (hIn > 0) skipHWeight[i] = L.skipWeightT.narrow(0, 0, hIn).contiguous().to(dtype);
    }
  }
  // Column blocks (their x-interpolated projections) and the chunks of rows within them.
  std::vector<int64_t> blockStart;
  std::vector<std::vector<torch::Tensor>> blockColumns, blockSkipColumns;
  std::vector<Chunk> chunks;
  int64_t maxPoints = 0;
  const int64_t threads = device.is_cpu() ? std::max(1, chunkThreads()) : 1;
  for (int64_t c0 = 0; c0 < W; c0 += kMaxColumns) {
    const int64_t cols = std::min(kMaxColumns, W - c0);
    std::vector<torch::Tensor> columns(nLayers), skipColumns(nLayers);
    for (size_t i = 0; i < nLayers; ++i) {
      if (proj[i].defined()) columns[i] = columnsOf(proj[i], xs[i], c0, cols);
      if (skipProj[i].defined()) skipColumns[i] = columnsOf(skipProj[i], xs[i], c0, cols);
    }
    blockStart.push_back(c0);
    blockColumns.push_back(std::move(columns));
    blockSkipColumns.push_back(std::move(skipColumns));
    // At most chunkPoints points a chunk; on the CPU a multiple of the threads' count of chunks of
    // rows split evenly, so that each thread gets the same share (a band of 26 rows in chunks of 12
    // rows had given one thread 24 rows and the other 2).
    const int64_t maxRows = std::max<int64_t>(1, chunkPoints / cols);
    int64_t count = (H + maxRows - 1) / maxRows;
    count = std::min(H, (count + threads - 1) / threads * threads);
    for (int64_t k = 0; k < count; ++k) {
      const int64_t r0 = k * H / count, r1 = (k + 1) * H / count;
      chunks.push_back({blockStart.size() - 1, r0, r1 - r0});
      maxPoints = std::max(maxPoints, (r1 - r0) * cols);
    }
  }
  // CPU fp32: the elementwise steps as plain loops (readout_cpu_loops.h).
  const bool rawLoops = device.is_cpu() && dtype == torch::kFloat32;
  auto run = [&](int64_t begin, int64_t end) {
    c10::InferenceMode guard;  // thread-local: intra-op threads need their own
    const auto opts = torch::dtype(dtype).device(device);
    torch::Tensor bufs[2] = {torch::empty({maxPoints * maxOut}, opts), torch::empty({maxPoints * maxOut}, opts)};
    torch::Tensor skipBuf = torch::empty({maxPoints * maxOut}, opts), skip;
    torch::Tensor scratch = rawLoops ? torch::Tensor() : torch::empty({maxPoints * maxOut}, opts);
    for (int64_t k = begin; k < end; ++k) {
      const Chunk& ch = chunks[size_t(k)];
      const int64_t cols = std::min(kMaxColumns, W - blockStart[ch.block]), n = ch.rows * cols;
      torch::Tensor h;
      for (size_t i = 0; i < nLayers; ++i) {
        const auto& L = folded.layers[i];
        torch::Tensor acc = bufs[i % 2].narrow(0, 0, n * L.weightT.size(1)).view({n, L.weightT.size(1)});
        if (L.opensBlock) {  // the block's skip from this layer's input (h, and the field when it reads one)
          const int64_t w = L.skipWeightT.defined() ? L.skipWeightT.size(1) : h.size(1);
          skip = skipBuf.narrow(0, 0, n * w).view({n, w});
          if (!L.skipWeightT.defined()) {
            if (rawLoops)
              readout_cpu::scaledCopy(skip.data_ptr<float>(), h.data_ptr<float>(), n * w, float(L.skipScale));
            else
              skip.copy_(h).mul_(L.skipScale);
          } else if (L.fieldIndex >= 0) {
            lerpRowsInto(skip, blockSkipColumns[ch.block][i], ys[i], ch.r0, ch.rows, scratch);
            if (h.defined()) gemmInto(skip, h, skipHWeight[i], 1);
          } else {
            addmmInto(skip, L.skipBias, h, L.skipWeightT);
          }
        }
        if (L.fieldIndex >= 0) {
          lerpRowsInto(acc, blockColumns[ch.block][i], ys[i], ch.r0, ch.rows, scratch);
          if (h.defined()) gemmInto(acc, h, hWeight[i], 1);
        } else {
          addmmInto(acc, L.bias, h, L.weightT);
        }
        if (rawLoops) {
          TORCH_CHECK(!L.closesBlock || skip.numel() == acc.numel(), "decode region: a block's skip has another size");
          readout_cpu::activate(acc.data_ptr<float>(), acc.numel(), i + 1 < nLayers,
                                L.closesBlock ? skip.data_ptr<float>() : nullptr);
        } else {
          if (i + 1 < nLayers) torch::leaky_relu_(acc, 0.2);
          if (L.closesBlock) acc.add_(skip);
        }
        h = acc;
      }
      emit(ch.r0, blockStart[ch.block], ch.rows, cols, h);
    }
  };
  const int64_t n = int64_t(chunks.size());
  if (device.is_cpu())
    parallelChunks(n, run);
  else
    run(0, n);
}

}  // namespace

int64_t defaultChunkPoints(const ImageVaeConfig& c, torch::Device device, torch::ScalarType dtype) {
  if (!device.is_cuda()) return 16384;  // CPU: cache-sized chunks (docs/architecture.md "Performance facts")
  // GPU: big chunks keep the device busy; ~128 MB per width-sized activation bounds the memory
  // (a few such temporaries live at once).
  const int64_t bytesPerPoint = std::max<int64_t>(1, c.mlpWidth) * (dtype == torch::kHalf ? 2 : 4);
  return std::clamp<int64_t>((int64_t{128} << 20) / bytesPerPoint, 16384, int64_t{1} << 20);
}

void decodeRegionRgba8(ImageVae& vae, const ImageFields& fields, double x0, double y0, double x1, double y1, int64_t W,
                       int64_t H, torch::Tensor out, int64_t chunkPoints) {
  if (out.dim() != 3 || out.size(0) != H || out.size(1) != W || out.size(2) != 4 || out.scalar_type() != torch::kUInt8)
    throw std::runtime_error("decode region: output must be an H x W x 4 uint8 tensor");
  const auto device = fields.levels[0].device();
  if (!out.device().is_cpu() && out.device() != device)
    throw std::runtime_error("decode region: output is on " + out.device().str() + ", the model on " + device.str() +
                             " (expected the CPU or the model's device)");
  if (chunkPoints <= 0) chunkPoints = defaultChunkPoints(vae->config(), device, fields.levels[0].scalar_type());
  c10::InferenceMode guard;
  // CPU fp32 into a CPU image: the colours go straight into the pixels (readout_cpu_loops.h).
  const bool rawPixels = out.device().is_cpu() && out.is_contiguous() && device.is_cpu() &&
                         fields.levels[0].scalar_type() == torch::kFloat32;
  if (rawPixels) {
    uint8_t* pixels = out.data_ptr<uint8_t>();
    forEachTile(vae, fields, 0, x0, y0, x1, y1, W, H, chunkPoints,
                [&](int64_t r0, int64_t c0, int64_t rows, int64_t cols, const torch::Tensor& rgb) {
                  readout_cpu::toRgba8(pixels + (r0 * W + c0) * 4, W * 4, rgb.data_ptr<float>(), rows, cols);
                });
    return;
  }
  forEachTile(vae, fields, 0, x0, y0, x1, y1, W, H, chunkPoints,
              [&](int64_t r0, int64_t c0, int64_t rows, int64_t cols, const torch::Tensor& rgb) {
                // fp32 rounding whatever the readout's dtype (fp32: in place on the thread's scratch);
                // out on the device: a device-side strided copy. The values are whole numbers in
                // [0, 255] when they are cast to uint8 by the copy.
                torch::Tensor v = rgb.scalar_type() == torch::kFloat32 ? rgb : rgb.to(torch::kFloat32);
                v.add_(1.0).mul_(127.5).clamp_(0, 255).round_();
                out.narrow(0, r0, rows).narrow(1, c0, cols).narrow(2, 0, 3).copy_(v.view({rows, cols, 3}));
              });
  out.select(2, 3).fill_(255);
}

torch::Tensor decodeRegionFloat(ImageVae& vae, const ImageFields& fields, double x0, double y0, double x1, double y1,
                                int64_t W, int64_t H, int64_t chunkPoints) {
  c10::InferenceMode guard;
  const int64_t n = fields.batch();
  const auto device = fields.levels[0].device();
  if (chunkPoints <= 0) chunkPoints = defaultChunkPoints(vae->config(), device, fields.levels[0].scalar_type());
  auto out = torch::empty({n, H, W, 3}, torch::dtype(torch::kFloat32).device(device));
  for (int64_t s = 0; s < n; ++s)
    forEachTile(vae, fields, s, x0, y0, x1, y1, W, H, chunkPoints,
                [&](int64_t r0, int64_t c0, int64_t rows, int64_t cols, const torch::Tensor& rgb) {
                  out[s].narrow(0, r0, rows).narrow(1, c0, cols).copy_(rgb.view({rows, cols, 3}));
                });
  return out.permute({0, 3, 1, 2});
}

}  // namespace fieldscope
