#pragma once
// The shape VAE (docs/architecture.md "Models"): surface points -> PointEncoder -> TriplaneEncoder ->
// latent; latent -> TriplaneDecoder -> basis fields -> OccupancyDecoder -> occupancy logits.
#include <torch/nn.h>

#include "model/nn/posterior.h"
#include "model/shape/occupancy_decoder.h"
#include "model/shape/point_encoder.h"
#include "model/shape/shape_vae_config.h"
#include "model/shape/triplane_vae.h"

namespace fieldscope {

class ShapeVaeImpl : public torch::nn::Module {
 public:
  explicit ShapeVaeImpl(const ShapeVaeConfig& c);
  const ShapeVaeConfig& config() const { return config_; }

  // points: N x T x 3 surface points in the shape box -> posterior over N x 3 x Cz x r x r.
  Posterior encode(const torch::Tensor& points) { return planes->forward(pointNet->forward(points)); }
  TriplaneFields decodeFields(const torch::Tensor& latent) { return fieldDecoder->forward(latent); }
  // fields from decodeFields (batched), queries N x Q x 3 -> N x Q logits.
  torch::Tensor occupancy(const TriplaneFields& fields, const torch::Tensor& queries) {
    return readout->forward(fields, queries);
  }

  PointEncoder pointNet{nullptr};
  TriplaneEncoder planes{nullptr};
  TriplaneDecoder fieldDecoder{nullptr};
  OccupancyDecoder readout{nullptr};

 private:
  ShapeVaeConfig config_;
};
TORCH_MODULE(ShapeVae);

// One shape's fields out of a batch (levels 3 x C x r x r, what bakeOccupancy reads).
TriplaneFields fieldsOf(const TriplaneFields& batch, int64_t index);

}  // namespace fieldscope
