#include "tests/model/tiny_emoji_model.h"

namespace fieldscope::test {

TinyEmojiModel trainTinyEmojiModel(const CliRunner& cli, const std::filesystem::path& dir) {
  TinyEmojiModel m{(dir / "emoji").string(), (dir / "vae.fsm").string(), (dir / "plain.fsm").string()};
  cli.run({"data", "emoji", "-o", m.data, "--size", "16", "--count", "200"});
  cli.run({"train", "image-vae", "--data", m.data, "--preset", "tiny", "-o", m.vae, "--steps", "2", "--batch", "2"});
  cli.run({"train", "image-ldm", "--vae", m.vae, "--data", m.data, "--preset", "tiny", "-o", m.model, "--steps", "2", "--batch", "4"});
  return m;
}

}  // namespace fieldscope::test
