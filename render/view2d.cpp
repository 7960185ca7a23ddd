#include "render/view2d.h"

#include <algorithm>

namespace fieldscope {

void View2D::setViewport(int width, int height) {
  // Keep the field point at the viewport centre and the zoom when the viewport resizes.
  const double z = (width_ > 1 && height_ > 1) ? zoom() : 1.0;
  width_ = std::max(1, width);
  height_ = std::max(1, height);
  unitsPerPixel_ = fitUnitsPerPixel() / z;
}

double View2D::fitUnitsPerPixel() const { return 1.0 / std::min(width_, height_); }

void View2D::reset() {
  cx_ = cy_ = 0.5;
  unitsPerPixel_ = fitUnitsPerPixel();
  atLimit_ = false;
}

double View2D::zoom() const { return fitUnitsPerPixel() / unitsPerPixel_; }

void View2D::set(double cx, double cy, double upp) {
  cx_ = cx;
  cy_ = cy;
  unitsPerPixel_ = clampUnitsPerPixel(upp);
}

double View2D::clampUnitsPerPixel(double upp) const {
  return std::clamp(upp, fitUnitsPerPixel() / kMaxZoom, fitUnitsPerPixel() / kMinZoom);
}

bool View2D::zoomAbout(double px, double py, double factor) { return zoomAboutTo(px, py, unitsPerPixel_ / factor); }

bool View2D::zoomAboutTo(double px, double py, double wanted) {
  const double fx = toFieldX(px), fy = toFieldY(py);
  unitsPerPixel_ = clampUnitsPerPixel(wanted);
  atLimit_ = unitsPerPixel_ != wanted;
  // Place the remembered field point back under the cursor.
  cx_ = fx - (px - 0.5 * width_) * unitsPerPixel_;
  cy_ = fy - (py - 0.5 * height_) * unitsPerPixel_;
  return !atLimit_;
}

void View2D::pan(double dxPixels, double dyPixels) {
  cx_ -= dxPixels * unitsPerPixel_;
  cy_ -= dyPixels * unitsPerPixel_;
}

}  // namespace fieldscope
