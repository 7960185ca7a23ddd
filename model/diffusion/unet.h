#pragma once
// ADM-style UNet for latent diffusion (docs/architecture.md "Models"): sinusoidal time embedding → MLP,
// residual blocks conditioned on it, self-attention at the listed downsample factors and in the
// middle, skip connections; ε-prediction with an LSGM-style learnable per-channel mixing gate.
#include <torch/nn.h>

#include <nlohmann/json.hpp>
#include <vector>

#include "model/nn/blocks.h"

namespace fieldscope {

struct UNetConfig {
  std::string preset = "small";
  int inChannels = 4;
  // Channels of a condition concatenated to the noisy latent at the input (the SR domain's
  // encoded low-resolution picture; DESIGN §5.2). 0: unconditional. The output has inChannels.
  int condChannels = 0;
  // Classes of a class-conditional model (classifier-free guidance, docs/architecture.md "Models"):
  // an embedding of numClasses + 1 rows (the last: "no class") added to the time embedding,
  // zero at the start so a fine-tune from an unconditional UNet begins where it was. 0: none.
  int numClasses = 0;
  int resolution = 16;
  int baseChannels = 40;
  std::vector<int> channelMult{1, 2, 2};
  int numResBlocks = 1;
  std::vector<int> attentionDownsample{2, 4};  // attention where the feature map is res/ds
  int heads = 4;
  double mixInit = -6.0;

  static UNetConfig preset_(const std::string& name, int inChannels, int resolution);
  nlohmann::json toJson() const;
  static UNetConfig fromJson(const nlohmann::json& j);
};

class UNetImpl : public torch::nn::Module {
 public:
  explicit UNetImpl(const UNetConfig& c);
  const UNetConfig& config() const { return config_; }
  // x: N x C x r x r noisy latent, t: N (int64 timesteps), sqrtOneMinusAbar: N (float) for the
  // mixing gate; cond: N x condChannels x r x r when config().condChannels > 0, else undefined.
  // labels: N int64 class indices in [0, numClasses) or -1 for "no class" (undefined: no class for
  // all); only for a class-conditional model.
  // Returns predicted ε in x's dtype. After convertToHalfKeepingNorms(*this, {"mix_logit"}) the
  // network runs in fp16 and the gate stays fp32.
  torch::Tensor forward(const torch::Tensor& x, const torch::Tensor& t, const torch::Tensor& sqrtOneMinusAbar,
                        const torch::Tensor& cond = {}, const torch::Tensor& labels = {});

 private:
  struct Level {
    std::vector<ResBlock> res;
    std::vector<AttentionBlock> attn;  // undefined entries where none
  };
  UNetConfig config_;
  torch::nn::Linear time1{nullptr}, time2{nullptr};
  torch::nn::Embedding classEmb{nullptr};
  torch::nn::Conv2d convIn{nullptr}, convOut{nullptr};
  std::vector<Level> down_, up_;
  std::vector<Downsample> downsample_;
  std::vector<Upsample> upsample_;
  ResBlock mid1{nullptr}, mid2{nullptr};
  AttentionBlock midAttn{nullptr};
  torch::nn::GroupNorm normOut{nullptr};
  torch::Tensor mixLogit_;
};
TORCH_MODULE(UNet);

torch::Tensor timestepEmbedding(const torch::Tensor& t, int64_t dim);

}  // namespace fieldscope
