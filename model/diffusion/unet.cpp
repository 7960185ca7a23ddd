#include "model/diffusion/unet.h"

#include <torch/torch.h>

#include <algorithm>
#include <cmath>

#include "model/diffusion/class_rows.h"
#include "model/io/json_integer.h"

namespace fieldscope {
namespace F = torch::nn::functional;

UNetConfig UNetConfig::preset_(const std::string& name, int inChannels, int resolution) {
  UNetConfig c;
  c.preset = name;
  c.inChannels = inChannels;
  c.resolution = resolution;
  if (name == "small") return c;
  if (name == "paper") {
    c.baseChannels = 224;
    c.channelMult = {1, 2, 4, 6};
    c.numResBlocks = 2;
    c.attentionDownsample = {2, 4, 8};
    return c;
  }
  if (name == "tiny") {
    c.baseChannels = 16;
    c.channelMult = {1, 2};
    c.attentionDownsample = {2};
    c.heads = 1;
    return c;
  }
  throw std::runtime_error("unknown preset '" + name + "' (expected small or paper)");
}

nlohmann::json UNetConfig::toJson() const {
  nlohmann::json j{{"preset", preset},           {"in_channels", inChannels},     {"resolution", resolution},
          {"base_channels", baseChannels}, {"channel_mult", channelMult}, {"num_res_blocks", numResBlocks},
          {"attention_downsample", attentionDownsample}, {"heads", heads}, {"mix_init", mixInit}};
  if (condChannels > 0) j["cond_channels"] = condChannels;  // absent in unconditional models' files
  if (numClasses > 0) j["num_classes"] = numClasses;
  return j;
}

UNetConfig UNetConfig::fromJson(const nlohmann::json& j) {
  UNetConfig c;
  try {
    c.preset = j.at("preset").get<std::string>();
    c.inChannels = jsonInteger<int>(j.at("in_channels"), "in_channels");
    c.resolution = jsonInteger<int>(j.at("resolution"), "resolution");
    c.baseChannels = jsonInteger<int>(j.at("base_channels"), "base_channels");
    c.channelMult = jsonIntegerList<int>(j.at("channel_mult"), "channel_mult");
    c.numResBlocks = jsonInteger<int>(j.at("num_res_blocks"), "num_res_blocks");
    c.attentionDownsample = jsonIntegerList<int>(j.at("attention_downsample"), "attention_downsample");
    c.heads = jsonInteger<int>(j.at("heads"), "heads");
    c.mixInit = j.at("mix_init").get<double>();
    if (j.contains("cond_channels")) c.condChannels = jsonInteger<int>(j.at("cond_channels"), "cond_channels");
    if (j.contains("num_classes")) c.numClasses = jsonInteger<int>(j.at("num_classes"), "num_classes");
  } catch (const std::exception& e) {
    throw std::runtime_error(std::string("UNet config is incomplete: ") + e.what());
  }
  if (c.channelMult.empty() || c.channelMult.size() > 5 || c.inChannels < 1 || c.condChannels < 0 || c.condChannels > 4096 || c.numClasses < 0 || c.numClasses > 100000 || c.baseChannels < 1 || c.heads < 1 ||
      c.numResBlocks < 1 || c.resolution % (1 << (c.channelMult.size() - 1)) != 0)
    throw std::runtime_error("UNet config has an out-of-range size");
  return c;
}

torch::Tensor timestepEmbedding(const torch::Tensor& t, int64_t dim) {
  const int64_t half = dim / 2;
  auto freqs = torch::exp(-std::log(10000.0) * torch::arange(half, torch::dtype(torch::kFloat32).device(t.device())) / half);
  auto args = t.to(torch::kFloat32).unsqueeze(1) * freqs.unsqueeze(0);
  return torch::cat({torch::cos(args), torch::sin(args)}, 1);
}

UNetImpl::UNetImpl(const UNetConfig& c) : config_(c) {
  const int64_t ch0 = c.baseChannels, tdim = 4 * ch0;
  const int64_t levels = c.channelMult.size();
  time1 = register_module("time1", torch::nn::Linear(ch0, tdim));
  time2 = register_module("time2", torch::nn::Linear(tdim, tdim));
  if (c.numClasses > 0) {
    classEmb = register_module("class_emb", torch::nn::Embedding(c.numClasses + 1, tdim));
    torch::NoGradGuard g;
    classEmb->weight.zero_();
  }
  convIn = register_module("conv_in", conv3x3(c.inChannels + c.condChannels, ch0));
  auto hasAttn = [&](int64_t ds) {
    return std::find(c.attentionDownsample.begin(), c.attentionDownsample.end(), ds) != c.attentionDownsample.end();
  };
  std::vector<int64_t> skipCh{ch0};
  int64_t ch = ch0, ds = 1;
  for (int64_t l = 0; l < levels; ++l) {
    Level lv;
    for (int r = 0; r < c.numResBlocks; ++r) {
      const int64_t out = ch0 * c.channelMult[l];
      const std::string n = "down" + std::to_string(l) + "_" + std::to_string(r);
      lv.res.push_back(register_module(n + "_res", ResBlock(ch, out, tdim)));
      lv.attn.push_back(hasAttn(ds) ? register_module(n + "_attn", AttentionBlock(out, c.heads)) : AttentionBlock(nullptr));
      ch = out;
      skipCh.push_back(ch);
    }
    down_.push_back(lv);
    if (l + 1 < levels) {
      downsample_.push_back(register_module("downsample" + std::to_string(l), Downsample(ch)));
      skipCh.push_back(ch);
      ds *= 2;
    }
  }
  mid1 = register_module("mid1", ResBlock(ch, ch, tdim));
  midAttn = register_module("mid_attn", AttentionBlock(ch, c.heads));
  mid2 = register_module("mid2", ResBlock(ch, ch, tdim));
  for (int64_t l = levels - 1; l >= 0; --l) {
    Level lv;
    for (int r = 0; r <= c.numResBlocks; ++r) {
      const int64_t out = ch0 * c.channelMult[l];
      const std::string n = "up" + std::to_string(l) + "_" + std::to_string(r);
      const int64_t skip = skipCh.back();
      skipCh.pop_back();
      lv.res.push_back(register_module(n + "_res", ResBlock(ch + skip, out, tdim)));
      lv.attn.push_back(hasAttn(ds) ? register_module(n + "_attn", AttentionBlock(out, c.heads)) : AttentionBlock(nullptr));
      ch = out;
    }
    up_.push_back(lv);
    if (l > 0) {
      upsample_.push_back(register_module("upsample" + std::to_string(l), Upsample(ch)));
      ds /= 2;
    }
  }
  normOut = register_module("norm_out", groupNorm(ch));
  convOut = register_module("conv_out", conv3x3(ch, c.inChannels));
  {
    torch::NoGradGuard g;
    convOut->weight.zero_();
    convOut->bias.zero_();
  }
  mixLogit_ = register_parameter("mix_logit", torch::full({c.inChannels}, c.mixInit));
}

torch::Tensor UNetImpl::forward(const torch::Tensor& x, const torch::Tensor& t, const torch::Tensor& sqrtOneMinusAbar,
                                const torch::Tensor& cond, const torch::Tensor& labels) {
  if (cond.defined() != (config_.condChannels > 0) || (cond.defined() && (cond.size(1) != config_.condChannels ||
                                                                          cond.size(2) != x.size(2) || cond.size(3) != x.size(3))))
    throw std::invalid_argument("UNet: the condition does not match the model (" + std::to_string(config_.condChannels) +
                                " condition channels at the latent's size)");
  // The network runs in its weights' dtype (fp16 after convertToHalfKeepingNorms); the gate below
  // mixes in x's dtype (fp32), so the sampler's arithmetic never sees fp16 except the network's ε.
  const auto netType = convIn->weight.scalar_type();
  auto temb = time2(F::silu(time1(timestepEmbedding(t, config_.baseChannels).to(netType))));
  if (labels.defined() && !classEmb) throw std::invalid_argument("UNet: class labels given to a model without classes");
  if (classEmb) temb = temb + classEmb(classEmbeddingRows(labels, config_.numClasses, x, "UNet")).to(netType);
  std::vector<torch::Tensor> skips;
  auto h = convIn((cond.defined() ? torch::cat({x, cond.to(x.scalar_type())}, 1) : x).to(netType));
  skips.push_back(h);
  for (size_t l = 0; l < down_.size(); ++l) {
    for (size_t r = 0; r < down_[l].res.size(); ++r) {
      h = down_[l].res[r]->forward(h, temb);
      if (down_[l].attn[r]) h = down_[l].attn[r]->forward(h);
      skips.push_back(h);
    }
    if (l < downsample_.size()) {
      h = downsample_[l]->forward(h);
      skips.push_back(h);
    }
  }
  h = mid2->forward(midAttn->forward(mid1->forward(h, temb)), temb);
  for (size_t l = 0; l < up_.size(); ++l) {
    for (size_t r = 0; r < up_[l].res.size(); ++r) {
      h = up_[l].res[r]->forward(torch::cat({h, skips.back()}, 1), temb);
      skips.pop_back();
      if (up_[l].attn[r]) h = up_[l].attn[r]->forward(h);
    }
    if (l < upsample_.size()) h = upsample_[l]->forward(h);
  }
  auto net = convOut(F::silu(normIn(normOut, h))).to(x.scalar_type());
  // LSGM-style mixed prediction: a learnable per-channel gate towards the ε of a standard
  // normal latent, sqrt(1 - abar) x_t (gate starts almost closed: sigmoid(-6)).
  auto m = torch::sigmoid(mixLogit_).view({1, -1, 1, 1});
  return (1 - m) * net + m * sqrtOneMinusAbar.view({-1, 1, 1, 1}) * x;
}

}  // namespace fieldscope
