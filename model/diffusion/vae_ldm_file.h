#pragma once
// Opening a domain model file that holds a VAE alone (kind "vae": encode and reconstruct only) or a
// VAE and its latent diffusion model (kind "vae+ldm"): what the image, shape and video models load
// (docs/architecture.md "Checkpoints"). The domain reads its own VAE from `ckpt`.
#include <nlohmann/json.hpp>

#include <cstdint>
#include <filesystem>
#include <string>

#include "model/checkpoint/checkpoint.h"
#include "model/diffusion/latent_diffusion.h"

namespace fieldscope {

struct VaeLdmFile {
  Checkpoint ckpt;
  bool hasDiffusion = false;  // kind "vae+ldm"
  nlohmann::json card;        // the file's config, with "file" set to its path

  // The file's diffusion model (no UNet for a "vae" file); read after the VAE, so a file broken in
  // both is reported by its VAE first. `allowDdmi`: see restoreLatentDiffusion.
  LatentDiffusion diffusion(bool allowDdmi = false) const;
};

// Throws naming the file when it is not a `domain` model of either kind; `noun` names the domain's
// model in that message ("an image model").
VaeLdmFile openVaeLdmFile(const std::filesystem::path& path, const std::string& domain, const std::string& noun);

// The card of a model made untrained from `preset` with weights drawn from `seed` (tests, benches).
nlohmann::json untrainedModelCard(const std::string& domain, const std::string& preset, uint64_t seed);

}  // namespace fieldscope
