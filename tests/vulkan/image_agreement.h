#pragma once
// How far two RGBA8 pictures of one 3D scene agree (the ray-march tests: GPU against the CPU
// reference, moving against resting): the silhouettes' IoU and, of the pixels both cover, the
// share with every channel within 4/255.
#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <vector>

namespace fieldscope::testing {

struct ImageAgreement {
  double iou = 0;           // silhouettes: |A and B| / |A or B|
  double shadedWithin = 0;  // of the pixels both cover, the share with every channel within 4/255
  int coveredA = 0, coveredB = 0;
};

// covered(img, i): whether the pixel at byte offset i is covered.
template <class Covered>
ImageAgreement imageAgreement(const std::vector<uint8_t>& a, const std::vector<uint8_t>& b, Covered covered) {
  ImageAgreement r;
  int both = 0, either = 0, close = 0;
  for (size_t i = 0; i + 3 < std::min(a.size(), b.size()); i += 4) {
    const bool ca = covered(a, i), cb = covered(b, i);
    r.coveredA += ca;
    r.coveredB += cb;
    either += ca || cb;
    if (ca && cb) {
      ++both;
      bool ok = true;
      for (int k = 0; k < 3; ++k) ok &= std::abs(int(a[i + k]) - int(b[i + k])) <= 4;
      close += ok;
    }
  }
  r.iou = either ? double(both) / either : 1.0;
  r.shadedWithin = both ? double(close) / both : 0.0;
  return r;
}

// The marcher's own output: the background has alpha 0, hits alpha 1.
inline ImageAgreement agreementByAlpha(const std::vector<uint8_t>& a, const std::vector<uint8_t>& b) {
  return imageAgreement(a, b, [](const std::vector<uint8_t>& img, size_t i) { return img[i + 3] == 255; });
}

// A composited picture: covered is any pixel that is not the background colour.
inline ImageAgreement agreementOverBackground(const std::vector<uint8_t>& a, const std::vector<uint8_t>& b,
                                              const uint8_t bg[3]) {
  return imageAgreement(a, b, [bg](const std::vector<uint8_t>& img, size_t i) {
    return img[i] != bg[0] || img[i + 1] != bg[1] || img[i + 2] != bg[2];
  });
}

}  // namespace fieldscope::testing
