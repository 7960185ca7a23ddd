#pragma once
// Decoding a region of a bounded field (a sample living on the picture [0, 1]^2: image and video
// samples): the pixels outside the picture get the "outside" colour, the block inside is handed to
// the field's decoder as its exact sub-region and pixel count.
#include <torch/types.h>

#include <functional>

#include "app/gui/field_source.h"

namespace fieldscope {

// The inside block: [x0, x1] x [y0, y1] of the picture, as w x h pixels written into `pixels`
// (h x w x 4 uint8, a view into the target).
using InsideDecode = std::function<void(double x0, double y0, double x1, double y1, int w, int h, torch::Tensor pixels)>;

void decodeBoundedRegion(const Region& region, int W, int H, const PixelTarget& out, const InsideDecode& decode);

// The same for a picture that covers `picture` of the field (a photo that is not square).
void decodeInsidePicture(const Region& picture, const Region& region, int W, int H, const PixelTarget& out,
                         const InsideDecode& decode);

// Only the pixels inside `picture` (the others are left as they are): several pictures in one field.
void decodeInsidePictureOnly(const Region& picture, const Region& region, int W, int H, const PixelTarget& out,
                             const InsideDecode& decode);
// Every pixel of the target to the "outside" colour.
void fillOutside(const PixelTarget& out, int W, int H);

}  // namespace fieldscope
