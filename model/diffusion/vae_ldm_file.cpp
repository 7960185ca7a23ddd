#include "model/diffusion/vae_ldm_file.h"

#include <stdexcept>

namespace fieldscope {

VaeLdmFile openVaeLdmFile(const std::filesystem::path& path, const std::string& domain, const std::string& noun,
                          bool allowDdmi) {
  VaeLdmFile f{loadCheckpoint(path, domain), {}, {}};
  const std::string kind = f.ckpt.config.value("kind", "");
  if (kind != "vae+ldm" && kind != "vae")
    throw std::runtime_error("checkpoint '" + path.string() + "' is a '" + kind + "' file, not " + noun +
                             " (expected a VAE or VAE + LDM)");
  if (kind == "vae+ldm") f.ldm = restoreLatentDiffusion(f.ckpt, allowDdmi);
  f.card = f.ckpt.config;
  f.card["file"] = path.string();
  return f;
}

nlohmann::json untrainedModelCard(const std::string& domain, const std::string& preset, uint64_t seed) {
  return {{"domain", domain}, {"kind", "vae+ldm"}, {"preset", preset}, {"untrained", true}, {"init_seed", seed}};
}

}  // namespace fieldscope
