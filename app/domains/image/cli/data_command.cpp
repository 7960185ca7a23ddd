// fieldscope data emoji -o DIR: the emoji training set (docs/architecture.md "Data").
#include <CLI/CLI.hpp>

#include <cstdio>
#include <memory>

#include "app/cli/command_registry.h"
#include "app/domains/image/cli/image_commands.h"
#include "model/data/emoji_font.h"

namespace fieldscope {

void registerEmojiDataCommand(CommandRegistry& registry) {
  CLI::App* data = registry.verb("data", "make a training data set");
  struct Opts {
    std::string out, font = kDefaultEmojiFont;
    int size = 64;
    bool force = false;
  };
  auto o = std::make_shared<Opts>();
  CLI::App* emoji = data->add_subcommand("emoji", "every glyph of Noto Color Emoji as an RGB PNG (10% held out by name)");
  emoji->add_option("-o,--out", o->out, "output folder")->required();
  emoji->add_option("--size", o->size, "image side in pixels")->default_val(64);
  emoji->add_option("--font", o->font, "colour emoji font")->default_val(std::string(kDefaultEmojiFont));
  emoji->add_flag("--force", o->force, "write into a non-empty folder that holds other files too");
  emoji->callback([o] {
    const EmojiDataStats s = makeEmojiDataset(o->font, o->out, o->size, o->force);
    std::printf("wrote %d emoji images (%d held out) of %d glyphs to %s\n", s.written, s.heldOut, s.glyphs, o->out.c_str());
  });
}

}  // namespace fieldscope
