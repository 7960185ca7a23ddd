#include "model/shape/shape_vae.h"

#include <torch/torch.h>

namespace fieldscope {

ShapeVaeImpl::ShapeVaeImpl(const ShapeVaeConfig& c) : config_(c) {
  pointNet = register_module("point_net", PointEncoder(c));
  planes = register_module("planes", TriplaneEncoder(c));
  fieldDecoder = register_module("field_decoder", TriplaneDecoder(c));
  readout = register_module("readout", OccupancyDecoder(c.decoder));
}

TriplaneFields fieldsOf(const TriplaneFields& batch, int64_t index) {
  TriplaneFields f;
  for (const auto& level : batch.levels) f.levels.push_back(level.dim() == 5 ? level[index] : level);
  return f;
}

}  // namespace fieldscope
