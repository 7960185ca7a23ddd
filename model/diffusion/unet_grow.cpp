#include "model/diffusion/unet_grow.h"

#include <torch/torch.h>

#include <regex>
#include <stdexcept>

namespace fieldscope {
namespace {

// "down1_0_res.conv2.weight" -> side "down", level 1, block 0, part "res", rest "conv2.weight".
struct BlockKey {
  std::string side;
  int level = 0, block = 0;
  std::string part, rest;
};

std::optional<BlockKey> parseBlockKey(const std::string& key) {
  static const std::regex re(R"(^(down|up)(\d+)_(\d+)_(res|attn)\.(.+)$)");
  std::smatch m;
  if (!std::regex_match(key, m, re)) return std::nullopt;
  return BlockKey{m[1], std::stoi(m[2]), std::stoi(m[3]), m[4], m[5]};
}

std::string blockName(const BlockKey& k, int block) {
  return k.side + std::to_string(k.level) + "_" + std::to_string(block) + "_" + k.part + "." + k.rest;
}

}  // namespace

UNetGrowth::UNetGrowth(const UNetConfig& from, const UNetConfig& to) : from_(from), to_(to) {
  UNetConfig same = from;
  same.numResBlocks = to.numResBlocks;
  same.numClasses = to.numClasses;
  same.preset = to.preset;
  if (same.toJson() != to.toJson())
    throw std::runtime_error("the UNet to start from has other sizes than the one being trained (" + from.toJson().dump() + " vs " +
                             to.toJson().dump() + "); only its residual blocks a level may grow");
  if (to.numResBlocks < from.numResBlocks)
    throw std::runtime_error("the UNet to start from has " + std::to_string(from.numResBlocks) +
                             " residual blocks a level; the one being trained has fewer (" + std::to_string(to.numResBlocks) + ")");
}

std::optional<std::string> UNetGrowth::sourceOf(const std::string& key) const {
  const auto k = parseBlockKey(key);
  if (!k) return key;
  const int added = to_.numResBlocks - from_.numResBlocks;
  if (k->side == "down") return k->block < from_.numResBlocks ? std::optional<std::string>(key) : std::nullopt;
  // decoder: block 0 is the trained block 0, blocks 1..added are new, the rest shift by `added`
  if (k->block == 0) return key;
  if (k->block <= added) return std::nullopt;
  return blockName(*k, k->block - added);
}

void UNetGrowth::startAddedBlocksAsIdentity(torch::nn::Module& net) const {
  torch::NoGradGuard g;
  for (auto& p : net.named_parameters(true)) {
    if (sourceOf(p.key())) continue;
    const auto k = parseBlockKey(p.key());
    if (k->part == "attn" && k->rest.rfind("proj.", 0) == 0) p.value().zero_();
    if (k->part == "res" && k->rest.rfind("conv2.", 0) == 0) p.value().zero_();
    if (k->part == "res" && k->rest == "skip.bias") p.value().zero_();
    if (k->part == "res" && k->rest == "skip.weight") {  // out x (out + skip) x 1 x 1: keep the input, drop the skip
      auto& w = p.value();
      w.zero_();
      const int64_t out = w.size(0);
      w.narrow(1, 0, out).squeeze(-1).squeeze(-1).copy_(torch::eye(out, w.options()));
    }
  }
}

void growUNet(UNet& to, const UNet& from) {
  if (to->config().numClasses != from->config().numClasses) throw std::runtime_error("growUNet: the UNets have other classes");
  const UNetGrowth growth(from->config(), to->config());
  const auto src = from->named_parameters(true);
  torch::NoGradGuard g;
  for (auto& p : to->named_parameters(true)) {
    const auto name = growth.sourceOf(p.key());
    if (!name) continue;
    const torch::Tensor* s = src.find(*name);
    if (!s || !s->sizes().equals(p.value().sizes()))
      throw std::runtime_error("cannot start from that UNet: its tensor '" + *name + "' has no place in the deeper one");
    p.value().copy_(*s);
  }
  growth.startAddedBlocksAsIdentity(*to);
}

}  // namespace fieldscope
