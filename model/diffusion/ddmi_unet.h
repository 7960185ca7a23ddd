#pragma once
// The DDMI authors' diffusion UNet (guided-diffusion's UNetModel as their configs set it: legacy
// attention of num_head_channels per head, no scale-shift norm, conv resampling; DESIGN.md §5.1,
// docs/architecture.md "The faithful DDMI architecture") under their parameter names, with their
// mixed prediction eps = (1 - sigmoid(m)) sqrt(1 - abar_t) x_t + sigmoid(m) eps_theta. Imported
// models (model/image/ddmi_import.h) sample with it; this project's own UNet is unet.h.
#include <torch/nn.h>

#include <nlohmann/json.hpp>
#include <vector>

namespace fieldscope {

struct DdmiUNetConfig {
  int inChannels = 4;  // = out channels
  int imageSize = 8;   // the latent's side
  int modelChannels = 32;
  std::vector<int> channelMult{1, 2};
  int numResBlocks = 1;
  std::vector<int> attentionResolutions{2};  // downsample factors with attention
  int numHeadChannels = 32;
  // guided-diffusion's `num_classes` (the UNet the authors build on): an embedding added to the time
  // embedding, `label_emb`, here with one more row for "no class" (classifier-free guidance). 0: none,
  // as in every released DDMI model; stored only when set.
  int numClasses = 0;

  nlohmann::json toJson() const;
  static DdmiUNetConfig fromJson(const nlohmann::json& j);  // throws on missing/invalid fields
  // "paper": the authors' AFHQ UNet (configs/ldm/afhq.yaml: 224 x (1, 2, 4, 6), two blocks, attention at
  // ds 8, 4, 2); "small" and "tiny": the same structure, smaller (32 channels a head throughout).
  static DdmiUNetConfig preset_(const std::string& name, int inChannels, int imageSize);
};

class DdmiUNetImpl : public torch::nn::Module {
 public:
  explicit DdmiUNetImpl(const DdmiUNetConfig& c);
  const DdmiUNetConfig& config() const { return config_; }
  // The mixed eps for x_t (N x C x s x s), integer timesteps t (N) and sqrt(1 - abar_t) (N).
  // labels: N class indices in [0, numClasses) or numClasses / -1 for "no class"; undefined: no class.
  torch::Tensor forward(const torch::Tensor& x, const torch::Tensor& t, const torch::Tensor& sqrtOneMinusAbar,
                        const torch::Tensor& labels = {});

 private:
  // One entry of input_blocks / middle_block / output_blocks: its layers in order.
  struct Layer {
    enum class Kind { Conv, Res, Attn, Down, Up } kind;
    std::shared_ptr<torch::nn::Module> module;
  };
  using Block = std::vector<Layer>;
  torch::Tensor runBlock(const Block& b, torch::Tensor h, const torch::Tensor& emb);

  DdmiUNetConfig config_;
  torch::nn::Linear time1{nullptr}, time2{nullptr};
  std::vector<Block> input_, output_;
  Block middle_;
  torch::nn::GroupNorm outNorm{nullptr};
  torch::nn::Conv2d outConv{nullptr};
  torch::Tensor mixingLogit_;
  torch::nn::Embedding labelEmb{nullptr};
};
TORCH_MODULE(DdmiUNet);


}  // namespace fieldscope
