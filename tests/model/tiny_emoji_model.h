#pragma once
// A tiny unconditional image model made by the real commands, for tests of what trains on top of
// one (class-conditional fine-tunes, a grown UNet): `data emoji` (200 glyphs at 16²), then two steps
// each of `train image-vae` and `train image-ldm` at the tiny preset.
#include <filesystem>
#include <string>

#include "tests/model/cli_runner.h"

namespace fieldscope::test {

struct TinyEmojiModel {
  std::string data;   // the emoji set's folder
  std::string vae;    // the VAE alone (no diffusion model)
  std::string model;  // VAE + unconditional 1-block LDM
};

// Writes dir/emoji, dir/vae.fsm and dir/plain.fsm through `cli` (an image-domain CLI).
TinyEmojiModel trainTinyEmojiModel(const CliRunner& cli, const std::filesystem::path& dir);

}  // namespace fieldscope::test
