#pragma once
// The viewer's exact decode: the pixel-centre grid of a region of the image, written as RGBA8
// into a caller's buffer, in tiles of bounded size (docs/architecture.md "Data flow of one decode", "Performance facts").
#include <torch/types.h>

#include "model/image/image_fields.h"
#include "model/image/image_vae.h"

namespace fieldscope {

// out: H x W x 4 uint8, any strides (e.g. a from_blob view of mapped memory with a row pitch), on
// the CPU or on the fields' device (then written there, with no host round trip).
// Output pixel (i, j) is the field at (x0 + (j + 0.5)(x1 - x0)/W, y0 + (i + 0.5)(y1 - y0)/H);
// alpha is 255. The readout runs on the fields' device in their dtype (fp16 fields: fp16 MLP).
// Memory stays bounded: at most ~chunkPoints points and 2048 columns at a time; chunkPoints <= 0
// picks defaultChunkPoints.
void decodeRegionRgba8(ImageVae& vae, const ImageFields& fields, double x0, double y0, double x1, double y1, int64_t W,
                       int64_t H, torch::Tensor out, int64_t chunkPoints = 0);

// Same grid, float RGB in [-1,1] (N x 3 x H x W, on the fields' device), chunked; for exports and tests.
torch::Tensor decodeRegionFloat(ImageVae& vae, const ImageFields& fields, double x0, double y0, double x1, double y1,
                                int64_t W, int64_t H, int64_t chunkPoints = 0);

// 16384 on the CPU (cache-sized); on CUDA as many points as keep one MLP-width activation near
// 128 MB (1<<20 for the small preset, 1<<18 for paper in fp16).
int64_t defaultChunkPoints(const ImageVaeConfig& config, torch::Device device, torch::ScalarType dtype);

}  // namespace fieldscope
