#include "model/diffusion/latent_diffusion.h"

#include <cmath>
#include <functional>
#include <stdexcept>

#include "model/checkpoint/module_state.h"
#include "model/io/json_integer.h"

namespace fieldscope {

namespace {
void storeClasses(Checkpoint& ckpt, const DiffusionClasses& classes, int numClasses) {
  if (int(classes.names.size()) != numClasses || classes.shares.size() != classes.names.size())
    throw std::logic_error("storing a diffusion model: the classes do not match the UNet");
  if (!classes.empty())
    ckpt.config["ldm"]["classes"] = {{"kind", classes.kind},
                                     {"names", classes.names},
                                     {"shares", classes.shares},
                                     {"default_guidance", classes.defaultGuidance}};
  if (!classes.parents.empty()) ckpt.config["ldm"]["classes"]["parents"] = classes.parents;
}
}  // namespace

void storeLatentDiffusion(Checkpoint& ckpt, const UNet& unet, double latentScale, const DiffusionClasses& classes) {
  ckpt.config["ldm"] = {{"unet", unet->config().toJson()},
                        {"latent_scale", latentScale},
                        {"schedule", {{"T", 1000}, {"beta0", 0.0015}, {"beta1", 0.0195}, {"kind", "scaled_linear"}}},
                        {"prediction", "epsilon (LSGM mixed)"}};
  storeClasses(ckpt, classes, unet->config().numClasses);
  storeModule(ckpt, "ldm.", *unet);
}

void storeDdmiDiffusion(Checkpoint& ckpt, const DdmiUNet& unet, double latentScale, const DiffusionClasses& classes) {
  ckpt.config["ldm"] = {{"architecture", "ddmi"},
                        {"unet", unet->config().toJson()},
                        {"latent_scale", latentScale},
                        {"schedule", {{"T", 1000}, {"beta0", 0.0015}, {"beta1", 0.0195}, {"kind", "scaled_linear"}, {"spacing", "ddmi"}}},
                        {"prediction", "epsilon (LSGM mixed: (1 - s) sqrt(1 - abar) x + s eps, s = sigmoid(mixing_logit))"}};
  storeClasses(ckpt, classes, unet->config().numClasses);
  storeModule(ckpt, "ldm.", *unet);
}

int LatentDiffusion::numClasses() const {
  return unet ? unet->config().numClasses : ddmiUnet ? ddmiUnet->config().numClasses : 0;
}

EpsilonFn LatentDiffusion::epsilon(const torch::Tensor& labels, double guidance) {
  const bool guided = labels.defined() && guidance != 0;
  if (guided && numClasses() == 0) throw std::invalid_argument("this diffusion model has no classes to guide towards");
  if (!unet && !ddmiUnet) throw std::logic_error("latent diffusion without a UNet");
  // either UNet as one call of (x, t, sqrt(1 - abar), labels)
  std::function<torch::Tensor(const torch::Tensor&, const torch::Tensor&, const torch::Tensor&, const torch::Tensor&)> net;
  if (ddmiUnet)
    net = [u = ddmiUnet](const torch::Tensor& x, const torch::Tensor& t, const torch::Tensor& s, const torch::Tensor& l) mutable {
      return u->forward(x, t, s, l);
    };
  else
    net = [u = unet](const torch::Tensor& x, const torch::Tensor& t, const torch::Tensor& s, const torch::Tensor& l) mutable {
      return u->forward(x, t, s, {}, l);
    };
  if (!guided) return [net](const torch::Tensor& x, const torch::Tensor& t, const torch::Tensor& s) { return net(x, t, s, {}); };
  if (guidance == 1)
    return [net, labels](const torch::Tensor& x, const torch::Tensor& t, const torch::Tensor& s) {
      return net(x, t, s, labels.to(x.device()));
    };
  return [net, labels, guidance](const torch::Tensor& x, const torch::Tensor& t, const torch::Tensor& s) {
    const int64_t n = x.size(0);
    const auto both = torch::cat({labels.to(x.device(), torch::kInt64),
                                  torch::full({n}, int64_t(kNoClass), torch::dtype(torch::kInt64).device(x.device()))});
    const auto e = net(torch::cat({x, x}), torch::cat({t, t}), torch::cat({s, s}), both);
    const auto ec = e.narrow(0, 0, n), eu = e.narrow(0, n, n);
    return eu + guidance * (ec - eu);
  };
}

LatentDiffusion restoreLatentDiffusion(const Checkpoint& ckpt, bool allowDdmi) {
  const std::string where = "checkpoint '" + ckpt.file.string() + "': ";
  if (!ckpt.config.contains("ldm")) throw std::runtime_error(where + "has no diffusion model (train one with `fieldscope train image-ldm` or `shape-ldm`)");
  LatentDiffusion ld;
  try {
    const auto& j = ckpt.config["ldm"];
    const std::string arch = j.value("architecture", std::string("fieldscope"));
    if (arch == "ddmi" && !allowDdmi) throw std::runtime_error("a DDMI diffusion model is read only as part of an image model");
    if (arch == "ddmi") ld.ddmiUnet = DdmiUNet(DdmiUNetConfig::fromJson(j.at("unet")));
    else if (arch == "fieldscope") ld.unet = UNet(UNetConfig::fromJson(j.at("unet")));
    else throw std::runtime_error("unknown architecture '" + arch + "'");
    ld.latentScale = j.at("latent_scale").get<double>();
    const auto& s = j.at("schedule");
    ld.schedule = DiffusionSchedule::scaledLinear(jsonInteger<int64_t>(s.at("T"), "T"), s.at("beta0").get<double>(), s.at("beta1").get<double>());
    ld.schedule.spacing = s.value("spacing", std::string("even"));
    if (j.contains("classes")) {
      const auto& c = j.at("classes");
      ld.classes.kind = c.at("kind").get<std::string>();
      ld.classes.names = c.at("names").get<std::vector<std::string>>();
      ld.classes.shares = c.at("shares").get<std::vector<double>>();
      ld.classes.defaultGuidance = c.at("default_guidance").get<double>();
      if (c.contains("parents")) ld.classes.parents = c.at("parents").get<std::vector<std::string>>();
      if (!ld.classes.parents.empty() && ld.classes.parents.size() != ld.classes.names.size())
        throw std::runtime_error("classes: " + std::to_string(ld.classes.parents.size()) + " parents for " +
                                 std::to_string(ld.classes.names.size()) + " names");
      const int n = ld.numClasses();
      if (int(ld.classes.names.size()) != n || ld.classes.shares.size() != ld.classes.names.size())
        throw std::runtime_error("classes: " + std::to_string(ld.classes.names.size()) + " names for a UNet of " + std::to_string(n) + " classes");
      for (double v : ld.classes.shares)
        if (!(v >= 0) || !std::isfinite(v)) throw std::runtime_error("classes: a share is not a non-negative number");
      if (!std::isfinite(ld.classes.defaultGuidance)) throw std::runtime_error("classes: default_guidance is not finite");
    } else if (ld.numClasses() > 0) {
      throw std::runtime_error("the UNet has classes but the file does not name them");
    }
    if (ld.schedule.spacing != "even" && ld.schedule.spacing != "ddmi") throw std::runtime_error("unknown timestep spacing");
  } catch (const std::exception& e) {
    throw std::runtime_error(where + "diffusion config: " + e.what());
  }
  if (!(ld.latentScale > 0) || !std::isfinite(ld.latentScale)) throw std::runtime_error(where + "bad latent_scale");
  if (ld.ddmiUnet) {
    restoreModule(ckpt, "ldm.", *ld.ddmiUnet);
    ld.ddmiUnet->eval();
  } else {
    restoreModule(ckpt, "ldm.", *ld.unet);
    ld.unet->eval();
  }
  return ld;
}

}  // namespace fieldscope
