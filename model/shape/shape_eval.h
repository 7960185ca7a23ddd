#pragma once
// How well the shape VAE reconstructs shapes from their point clouds (docs/architecture.md "Models"): the
// volumetric IoU of the predicted occupancy (logit > 0) against the labels, per shape, on the
// dataset's labelled query points (uniform and near-surface ones: stricter than uniform alone).
#include <torch/types.h>

#include <vector>

#include "model/shape/shape_training_data.h"
#include "model/shape/shape_vae.h"

namespace fieldscope {

// IoU of logits > 0 vs labels > 0.5 along the last dimension: one value per row.
torch::Tensor occupancyIoU(const torch::Tensor& logits, const torch::Tensor& labels);

struct ShapeReconstruction {
  double meanIoU = 0;
  std::vector<double> perShape;
};
// Encodes each shape's first config().pointCount surface points (posterior mean), decodes and
// compares at every query point.
ShapeReconstruction evaluateReconstruction(ShapeVae& vae, const ShapeSet& set);

}  // namespace fieldscope
