#pragma once
// View2D: which part of the 2D field the viewport shows. Pure math in double precision
// (no Vulkan), so zoom about the cursor is exact and testable.
// Image coordinates: the field's image is [0,1]x[0,1], x to the right, y down.
#include <cstdint>

namespace fieldscope {

struct Region {
  double x0 = 0, y0 = 0, x1 = 1, y1 = 1;
  bool operator==(const Region&) const = default;
};

class View2D {
 public:
  // Zoom is relative to "fit": ×1 shows the whole image fitted into the viewport.
  static constexpr double kMinZoom = 0.25;
  static constexpr double kMaxZoom = 1.0e6;  // beyond this float32 fields run out of precision

  void setViewport(int width, int height);
  int width() const { return width_; }
  int height() const { return height_; }

  void reset();  // fit the whole image, centred
  // Zooms by `factor` (>1 = in) keeping the field point under pixel position (px, py) fixed.
  // Returns false (and applies the clamped factor) when the zoom limit was hit.
  bool zoomAbout(double px, double py, double factor);
  // Sets the scale to `unitsPerPixel` (clamped to the zoom limits), keeping the field point
  // under pixel position (px, py) fixed. Returns false when the limit clamped it.
  bool zoomAboutTo(double px, double py, double unitsPerPixel);
  // `unitsPerPixel` clamped to this viewport's zoom limits (x kMinZoom .. x kMaxZoom of fit).
  double clampUnitsPerPixel(double unitsPerPixel) const;
  void pan(double dxPixels, double dyPixels);  // drag: the field moves with the mouse

  double zoom() const;                     // relative to fit
  double unitsPerPixel() const { return unitsPerPixel_; }
  double centerX() const { return cx_; }
  double centerY() const { return cy_; }
  void set(double cx, double cy, double unitsPerPixel);
  // Field position of a continuous pixel position (pixel centres are at i + 0.5).
  double toFieldX(double px) const { return cx_ + (px - 0.5 * width_) * unitsPerPixel_; }
  double toFieldY(double py) const { return cy_ + (py - 0.5 * height_) * unitsPerPixel_; }
  Region region() const { return {toFieldX(0), toFieldY(0), toFieldX(width_), toFieldY(height_)}; }
  bool atZoomLimit() const { return atLimit_; }
  bool operator==(const View2D& o) const {
    return cx_ == o.cx_ && cy_ == o.cy_ && unitsPerPixel_ == o.unitsPerPixel_ && width_ == o.width_ && height_ == o.height_;
  }

 private:
  double fitUnitsPerPixel() const;
  int width_ = 1, height_ = 1;
  double cx_ = 0.5, cy_ = 0.5, unitsPerPixel_ = 1.0;
  bool atLimit_ = false;
};

}  // namespace fieldscope
