// The ε loss's timestep weights (timestep_weighting.h).
#include "model/diffusion/timestep_weighting.h"

#include <torch/torch.h>

#include <cmath>
#include <cstdio>
#include <stdexcept>

namespace fieldscope {

namespace {

const char* const kAccepted = "expected uniform, min-snr:G (G > 0) or p2:K,G (K > 0, G >= 0)";

double number(const std::string& text, const std::string& whole) {
  size_t used = 0;
  double v = 0;
  try {
    v = std::stod(text, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  if (used == 0 || used != text.size() || !std::isfinite(v))
    throw std::invalid_argument("loss weighting '" + whole + "': '" + text + "' is not a number; " + kAccepted);
  return v;
}

std::string shortNumber(double v) {
  char s[32];
  std::snprintf(s, sizeof s, "%g", v);
  return s;
}

}  // namespace

TimestepWeighting TimestepWeighting::parse(const std::string& text) {
  TimestepWeighting w;
  if (text == "uniform") return w;
  const auto colon = text.find(':');
  const std::string name = text.substr(0, colon), args = colon == std::string::npos ? "" : text.substr(colon + 1);
  if (name == "min-snr" && colon != std::string::npos) {
    w.kind = Kind::MinSnr;
    w.gamma = number(args, text);
    if (!(w.gamma > 0)) throw std::invalid_argument("loss weighting '" + text + "': G must be positive; " + kAccepted);
    return w;
  }
  if (name == "p2" && colon != std::string::npos) {
    const auto comma = args.find(',');
    if (comma == std::string::npos) throw std::invalid_argument("loss weighting '" + text + "': " + kAccepted);
    w.kind = Kind::P2;
    w.k = number(args.substr(0, comma), text);
    w.gamma = number(args.substr(comma + 1), text);
    if (!(w.k > 0) || !(w.gamma >= 0))
      throw std::invalid_argument("loss weighting '" + text + "': K must be positive and G not negative; " + kAccepted);
    return w;
  }
  throw std::invalid_argument("loss weighting '" + text + "': " + kAccepted);
}

std::string TimestepWeighting::toString() const {
  switch (kind) {
    case Kind::MinSnr: return "min-snr:" + shortNumber(gamma);
    case Kind::P2: return "p2:" + shortNumber(k) + "," + shortNumber(gamma);
    case Kind::Uniform: break;
  }
  return "uniform";
}

torch::Tensor TimestepWeighting::weights(const torch::Tensor& snr) const {
  switch (kind) {
    case Kind::MinSnr: return snr.clamp_max(gamma) / snr;
    case Kind::P2: return (snr + k).pow(-gamma);
    case Kind::Uniform: break;
  }
  return torch::ones_like(snr);
}

}  // namespace fieldscope
