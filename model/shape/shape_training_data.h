#pragma once
// A shape dataset (`fieldscope data shapes`, model/shape_data/) as training tensors: every shape's
// surface points and labelled query points, split into train/ and test/ as the folder says
// (docs/architecture.md "Data").
#include <torch/types.h>

#include <filesystem>
#include <string>
#include <vector>

namespace fieldscope {

struct ShapeSet {
  torch::Tensor surface;  // N x S x 3 float
  torch::Tensor queries;  // N x Q x 3 float
  torch::Tensor labels;   // N x Q float (1 inside)
  std::vector<std::string> names;
  int64_t size() const { return surface.defined() ? surface.size(0) : 0; }
};

struct ShapeData {
  ShapeSet train, heldOut;
};

// Reads DIR/train/*.shape and DIR/test/*.shape (sorted by name). Shapes are cut to the smallest
// surface and query counts in the folder. Throws std::runtime_error naming the folder or the file:
// no such folder, no shapes in train/, an unreadable record.
ShapeData loadShapeData(const std::filesystem::path& dir);

// A batch drawn with `gen`: `points` surface points and `queries` labelled points of each of the
// shapes `index` (B).
struct ShapeBatch {
  torch::Tensor surface, queries, labels;  // B x points x 3, B x queries x 3, B x queries
};
ShapeBatch drawShapeBatch(const ShapeSet& set, const torch::Tensor& index, int64_t points, int64_t queries,
                          const torch::Generator& gen);

}  // namespace fieldscope
