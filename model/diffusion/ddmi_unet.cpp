#include "model/diffusion/ddmi_unet.h"

#include <torch/torch.h>

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "model/diffusion/class_rows.h"
#include "model/io/json_integer.h"

namespace fieldscope {
namespace F = torch::nn::functional;

namespace {

torch::nn::GroupNorm unetNorm(int64_t ch) {
  if (ch % 32 != 0) throw std::runtime_error("ddmi UNet: widths must be multiples of 32 (got " + std::to_string(ch) + ")");
  return torch::nn::GroupNorm(torch::nn::GroupNormOptions(32, ch));  // eps 1e-5
}
torch::nn::Conv2d conv3(int64_t in, int64_t out, int64_t stride = 1) {
  return torch::nn::Conv2d(torch::nn::Conv2dOptions(in, out, 3).stride(stride).padding(1));
}
torch::Tensor norm32(torch::nn::GroupNorm& n, const torch::Tensor& x) {  // GroupNorm32: statistics in fp32
  return n(x.to(torch::kFloat32)).to(x.scalar_type());
}

class ResImpl : public torch::nn::Module {
 public:
  ResImpl(int64_t in, int64_t out, int64_t embDim) {
    auto inLayers = register_module("in_layers", std::make_shared<torch::nn::Module>());
    norm1 = inLayers->register_module("0", unetNorm(in));
    conv1 = inLayers->register_module("2", conv3(in, out));
    auto embLayers = register_module("emb_layers", std::make_shared<torch::nn::Module>());
    emb = embLayers->register_module("1", torch::nn::Linear(embDim, out));
    auto outLayers = register_module("out_layers", std::make_shared<torch::nn::Module>());
    norm2 = outLayers->register_module("0", unetNorm(out));
    conv2 = outLayers->register_module("3", conv3(out, out));
    if (in != out) skip = register_module("skip_connection", torch::nn::Conv2d(torch::nn::Conv2dOptions(in, out, 1)));
  }
  torch::Tensor forward(const torch::Tensor& x, const torch::Tensor& e) {
    auto h = conv1(F::silu(norm32(norm1, x)));
    h = h + emb(F::silu(e)).unsqueeze(-1).unsqueeze(-1);
    h = conv2(F::silu(norm32(norm2, h)));
    return (skip ? skip(x) : x) + h;
  }
  torch::nn::GroupNorm norm1{nullptr}, norm2{nullptr};
  torch::nn::Conv2d conv1{nullptr}, conv2{nullptr}, skip{nullptr};
  torch::nn::Linear emb{nullptr};
};

class AttnImpl : public torch::nn::Module {
 public:
  AttnImpl(int64_t ch, int64_t headChannels) : heads_(ch / headChannels) {
    if (ch % headChannels != 0) throw std::runtime_error("ddmi UNet: attention width is not a multiple of num_head_channels");
    norm = register_module("norm", unetNorm(ch));
    qkv = register_module("qkv", torch::nn::Conv1d(torch::nn::Conv1dOptions(ch, 3 * ch, 1)));
    proj = register_module("proj_out", torch::nn::Conv1d(torch::nn::Conv1dOptions(ch, ch, 1)));
  }
  torch::Tensor forward(const torch::Tensor& x) {
    const int64_t b = x.size(0), c = x.size(1);
    auto flat = x.reshape({b, c, -1});
    const int64_t T = flat.size(2), d = c / heads_;
    // legacy order: each head's q, k, v are contiguous in the 3c channels
    auto parts = qkv(norm32(norm, flat)).reshape({b * heads_, 3 * d, T}).split(d, 1);
    const double scale = 1.0 / std::sqrt(std::sqrt(static_cast<double>(d)));
    auto w = torch::softmax(torch::bmm((parts[0] * scale).transpose(1, 2), parts[1] * scale).to(torch::kFloat32), -1)
                 .to(x.scalar_type());                           // b*h, T, T
    auto a = torch::bmm(parts[2], w.transpose(1, 2)).reshape({b, c, T});  // v (d x T) @ w^T
    return (flat + proj(a)).reshape(x.sizes());
  }
  int64_t heads_;
  torch::nn::GroupNorm norm{nullptr};
  torch::nn::Conv1d qkv{nullptr}, proj{nullptr};
};

class ResampleImpl : public torch::nn::Module {  // Downsample (`op`, stride 2) or Upsample (`conv` after nearest x2)
 public:
  ResampleImpl(int64_t ch, bool down) : down_(down) { conv = register_module(down ? "op" : "conv", conv3(ch, ch, down ? 2 : 1)); }
  torch::Tensor forward(const torch::Tensor& x) {
    if (down_) return conv(x);
    return conv(F::interpolate(x, F::InterpolateFuncOptions().scale_factor(std::vector<double>{2.0, 2.0}).mode(torch::kNearest)));
  }
  bool down_;
  torch::nn::Conv2d conv{nullptr};
};

}  // namespace

nlohmann::json DdmiUNetConfig::toJson() const {
  nlohmann::json j = {{"in_channels", inChannels},          {"image_size", imageSize},       {"model_channels", modelChannels},
          {"channel_mult", channelMult},        {"num_res_blocks", numResBlocks}, {"attention_resolutions", attentionResolutions},
          {"num_head_channels", numHeadChannels}};
  if (numClasses > 0) j["num_classes"] = numClasses;
  return j;
}

DdmiUNetConfig DdmiUNetConfig::fromJson(const nlohmann::json& j) {
  DdmiUNetConfig c;
  try {
    c.inChannels = jsonInteger<int>(j.at("in_channels"), "in_channels");
    c.imageSize = jsonInteger<int>(j.at("image_size"), "image_size");
    c.modelChannels = jsonInteger<int>(j.at("model_channels"), "model_channels");
    c.channelMult = jsonIntegerList<int>(j.at("channel_mult"), "channel_mult");
    c.numResBlocks = jsonInteger<int>(j.at("num_res_blocks"), "num_res_blocks");
    c.attentionResolutions = jsonIntegerList<int>(j.at("attention_resolutions"), "attention_resolutions");
    c.numHeadChannels = jsonInteger<int>(j.at("num_head_channels"), "num_head_channels");
    if (j.contains("num_classes")) c.numClasses = jsonInteger<int>(j.at("num_classes"), "num_classes");
  } catch (const std::exception& e) {
    throw std::runtime_error(std::string("ddmi UNet config is incomplete: ") + e.what());
  }
  if (c.inChannels < 1 || c.imageSize < 1 || c.modelChannels < 32 || c.channelMult.empty() || c.channelMult.size() > 8 ||
      c.numResBlocks < 1 || c.numResBlocks > 16 || c.numHeadChannels < 1 || c.numClasses < 0 || c.numClasses > 100000 ||
      std::any_of(c.channelMult.begin(), c.channelMult.end(), [](int m) { return m < 1 || m > 64; }))
    throw std::runtime_error("ddmi UNet config has an out-of-range size");
  return c;
}

DdmiUNetConfig DdmiUNetConfig::preset_(const std::string& name, int inChannels, int imageSize) {
  DdmiUNetConfig c;
  c.inChannels = inChannels;
  c.imageSize = imageSize;
  c.numHeadChannels = 32;
  if (name == "paper") {
    c.modelChannels = 224;
    c.channelMult = {1, 2, 4, 6};
    c.numResBlocks = 2;
    c.attentionResolutions = {8, 4, 2};
  } else if (name == "small") {
    c.modelChannels = 64;
    c.channelMult = {1, 2, 2};
    c.numResBlocks = 1;
    c.attentionResolutions = {4, 2};
  } else if (name == "tiny") {
    c.modelChannels = 32;
    c.channelMult = {1, 2};
    c.numResBlocks = 1;
    c.attentionResolutions = {2};
  } else {
    throw std::runtime_error("unknown preset '" + name + "' (expected small, paper or tiny)");
  }
  return c;
}

DdmiUNetImpl::DdmiUNetImpl(const DdmiUNetConfig& c) : config_(c) {
  const int64_t mc = c.modelChannels, embDim = 4 * mc;
  auto te = register_module("time_embed", std::make_shared<torch::nn::Module>());
  time1 = te->register_module("0", torch::nn::Linear(mc, embDim));
  time2 = te->register_module("2", torch::nn::Linear(embDim, embDim));
  if (c.numClasses > 0) {  // zero rows: an untrained class changes nothing (like --init-from's new rows)
    labelEmb = register_module("label_emb", torch::nn::Embedding(c.numClasses + 1, embDim));
    torch::NoGradGuard g;
    labelEmb->weight.zero_();
  }
  auto hasAttn = [&](int ds) {
    return std::find(c.attentionResolutions.begin(), c.attentionResolutions.end(), ds) != c.attentionResolutions.end();
  };
  auto inputs = register_module("input_blocks", torch::nn::ModuleList());
  auto addTo = [](torch::nn::ModuleListImpl& list, Block& block, const std::vector<std::pair<Layer::Kind, std::shared_ptr<torch::nn::Module>>>& layers) {
    auto seq = std::make_shared<torch::nn::Module>();
    for (size_t i = 0; i < layers.size(); ++i) {
      seq->register_module(std::to_string(i), layers[i].second);
      block.push_back({layers[i].first, layers[i].second});
    }
    list.push_back(seq);
  };
  input_.emplace_back();
  addTo(*inputs, input_.back(), {{Layer::Kind::Conv, conv3(c.inChannels, mc).ptr()}});
  std::vector<int64_t> skipChannels{mc};
  int64_t ch = mc;
  int ds = 1;
  for (size_t level = 0; level < c.channelMult.size(); ++level) {
    for (int r = 0; r < c.numResBlocks; ++r) {
      const int64_t out = c.channelMult[level] * mc;
      std::vector<std::pair<Layer::Kind, std::shared_ptr<torch::nn::Module>>> layers{
          {Layer::Kind::Res, std::make_shared<ResImpl>(ch, out, embDim)}};
      ch = out;
      if (hasAttn(ds)) layers.push_back({Layer::Kind::Attn, std::make_shared<AttnImpl>(ch, c.numHeadChannels)});
      input_.emplace_back();
      addTo(*inputs, input_.back(), layers);
      skipChannels.push_back(ch);
    }
    if (level + 1 < c.channelMult.size()) {
      input_.emplace_back();
      addTo(*inputs, input_.back(), {{Layer::Kind::Down, std::make_shared<ResampleImpl>(ch, true)}});
      skipChannels.push_back(ch);
      ds *= 2;
    }
  }
  auto mid = register_module("middle_block", std::make_shared<torch::nn::Module>());
  const std::vector<std::pair<Layer::Kind, std::shared_ptr<torch::nn::Module>>> midLayers{
      {Layer::Kind::Res, std::make_shared<ResImpl>(ch, ch, embDim)},
      {Layer::Kind::Attn, std::make_shared<AttnImpl>(ch, c.numHeadChannels)},
      {Layer::Kind::Res, std::make_shared<ResImpl>(ch, ch, embDim)}};
  for (size_t i = 0; i < midLayers.size(); ++i) {
    mid->register_module(std::to_string(i), midLayers[i].second);
    middle_.push_back({midLayers[i].first, midLayers[i].second});
  }
  auto outputs = register_module("output_blocks", torch::nn::ModuleList());
  for (int level = int(c.channelMult.size()) - 1; level >= 0; --level) {
    for (int i = 0; i <= c.numResBlocks; ++i) {
      const int64_t skip = skipChannels.back();
      skipChannels.pop_back();
      const int64_t out = c.channelMult[level] * mc;
      std::vector<std::pair<Layer::Kind, std::shared_ptr<torch::nn::Module>>> layers{
          {Layer::Kind::Res, std::make_shared<ResImpl>(ch + skip, out, embDim)}};
      ch = out;
      if (hasAttn(ds)) layers.push_back({Layer::Kind::Attn, std::make_shared<AttnImpl>(ch, c.numHeadChannels)});
      if (level > 0 && i == c.numResBlocks) {
        layers.push_back({Layer::Kind::Up, std::make_shared<ResampleImpl>(ch, false)});
        ds /= 2;
      }
      output_.emplace_back();
      addTo(*outputs, output_.back(), layers);
    }
  }
  auto out = register_module("out", std::make_shared<torch::nn::Module>());
  outNorm = out->register_module("0", unetNorm(ch));
  outConv = out->register_module("2", conv3(mc, c.inChannels));
  mixingLogit_ = register_parameter("mixing_logit", torch::full({1, c.inChannels, 1, 1}, -6.0));
}

torch::Tensor DdmiUNetImpl::runBlock(const Block& b, torch::Tensor h, const torch::Tensor& emb) {
  for (const Layer& l : b) {
    switch (l.kind) {
      case Layer::Kind::Conv: h = dynamic_cast<torch::nn::Conv2dImpl&>(*l.module).forward(h); break;
      case Layer::Kind::Res: h = dynamic_cast<ResImpl&>(*l.module).forward(h, emb); break;
      case Layer::Kind::Attn: h = dynamic_cast<AttnImpl&>(*l.module).forward(h); break;
      case Layer::Kind::Down:
      case Layer::Kind::Up: h = dynamic_cast<ResampleImpl&>(*l.module).forward(h); break;
    }
  }
  return h;
}

torch::Tensor DdmiUNetImpl::forward(const torch::Tensor& x, const torch::Tensor& t, const torch::Tensor& sqrtOneMinusAbar,
                                    const torch::Tensor& labels) {
  const int64_t mc = config_.modelChannels, half = mc / 2;
  const auto netType = time1->weight.scalar_type();
  auto freqs = torch::exp(torch::arange(half, torch::dtype(torch::kFloat32).device(x.device())) *
                          (-std::log(10000.0) / static_cast<double>(half)));
  auto args = t.to(torch::kFloat32).unsqueeze(1) * freqs.unsqueeze(0);
  auto emb = time2(F::silu(time1(torch::cat({args.cos(), args.sin()}, 1).to(netType))));
  if (labels.defined() && !labelEmb) throw std::invalid_argument("ddmi UNet: class labels given to a model without classes");
  if (labelEmb) emb = emb + labelEmb(classEmbeddingRows(labels, config_.numClasses, x, "ddmi UNet")).to(emb.scalar_type());
  std::vector<torch::Tensor> skips;
  auto h = x.to(netType);
  for (const auto& b : input_) skips.push_back(h = runBlock(b, h, emb));
  h = runBlock(middle_, h, emb);
  for (const auto& b : output_) {
    h = runBlock(b, torch::cat({h, skips.back()}, 1), emb);
    skips.pop_back();
  }
  auto eps = outConv(F::silu(norm32(outNorm, h))).to(x.scalar_type());
  auto m = torch::sigmoid(mixingLogit_.to(x.scalar_type()));
  return (1 - m) * sqrtOneMinusAbar.view({-1, 1, 1, 1}).to(x.scalar_type()) * x + m * eps;
}

}  // namespace fieldscope
