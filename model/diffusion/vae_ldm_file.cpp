#include "model/diffusion/vae_ldm_file.h"

#include <stdexcept>

namespace fieldscope {

VaeLdmFile openVaeLdmFile(const std::filesystem::path& path, const std::string& domain, const std::string& noun) {
  VaeLdmFile f{loadCheckpoint(path, domain), false, {}};
  const std::string kind = f.ckpt.config.value("kind", "");
  if (kind != "vae+ldm" && kind != "vae")
    throw std::runtime_error("checkpoint '" + path.string() + "' is a '" + kind + "' file, not " + noun +
                             " (expected a VAE or VAE + LDM)");
  f.hasDiffusion = kind == "vae+ldm";
  f.card = f.ckpt.config;
  f.card["file"] = path.string();
  return f;
}

LatentDiffusion VaeLdmFile::diffusion(bool allowDdmi) const {
  return hasDiffusion ? restoreLatentDiffusion(ckpt, allowDdmi) : LatentDiffusion{};
}

nlohmann::json untrainedModelCard(const std::string& domain, const std::string& preset, uint64_t seed) {
  return {{"domain", domain}, {"kind", "vae+ldm"}, {"preset", preset}, {"untrained", true}, {"init_seed", seed}};
}

}  // namespace fieldscope
