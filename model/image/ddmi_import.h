#pragma once
// `fieldscope import ddmi` for images (docs/architecture.md "The faithful DDMI architecture"): the
// authors' released checkpoints — stage 1 (model-last.pt: the Autoencoder under `model` and the
// readout under `mlp`), stage 2 (ldm-last.pt: the same under `vaemodel`/`mlp`, the diffusion model's
// EMA copy under `ema`) — and their YAML config become a Fieldscope image model file of the faithful
// architecture (ImageVaeConfig::architecture "ddmi", ddmi_unet.h; it samples when stage 2 is given). Every key
// is mapped onto a module and its shape checked; a key with no place, a missing key or a wrong
// shape is an error naming the key and the file. Optimizer state, `args`, `sn`... are never read.
#include <filesystem>
#include <functional>
#include <nlohmann/json.hpp>
#include <string>

#include "model/checkpoint/checkpoint.h"
#include "model/diffusion/ddmi_unet.h"
#include "model/image/image_vae_config.h"

namespace fieldscope {

struct DdmiImageImport {
  std::filesystem::path vae;     // model-last.pt (`model`/`vaemodel` and `mlp`); may be empty when ldm is given
  std::filesystem::path config;  // the authors' configs/d2c-vae/<name>.yaml, or configs/ldm/<name>.yaml with ldm
  std::filesystem::path ldm;     // ldm-last.pt (`ema` -> the UNet; `vaemodel`, `mlp` when vae is empty); optional
};

// The faithful-architecture config for the authors' YAML (already parsed). Throws naming `file` and
// the key that is missing or unsupported (attention inside the levels, other field taps...).
ImageVaeConfig ddmiImageConfig(const nlohmann::json& yaml, const std::string& file);

// The diffusion UNet's config from the authors' ldm YAML (model.params.unetconfig), checked against
// the VAE's latent. Throws naming `file` and the key.
DdmiUNetConfig ddmiUNetConfig(const nlohmann::json& yaml, const ImageVaeConfig& vae, const std::string& file);

// The Fieldscope name ("encoder.quant_conv.weight", "readout.net_res1.skip.0.weight") of an
// authors' key in entry `entry` ("model"/"vaemodel" or "mlp"); "" when it has none.
std::string ddmiImageName(const std::string& entry, const std::string& key);

// Reads, maps, checks. The returned checkpoint (config with its model card, tensors) is ready for
// saveCheckpoint. progress(unit, done, total) is called along the way when set ("tensors", then
// "MB checksummed").
Checkpoint importDdmiImage(const DdmiImageImport& in,
                           const std::function<void(const std::string&, int64_t, int64_t)>& progress = {});

}  // namespace fieldscope
