// fieldscope data emoji -o DIR: the emoji training set (docs/architecture.md "Data").
#include <CLI/CLI.hpp>

#include <cstdio>
#include <memory>

#include "app/cli/command_registry.h"
#include "app/cli/long_run.h"
#include "app/domains/image/cli/image_commands.h"
#include "model/data/emoji_font.h"

namespace fieldscope {

void registerEmojiDataCommand(CommandRegistry& registry) {
  CLI::App* data = registry.verb("data", "make a training data set");
  struct Opts {
    std::string out, font = kDefaultEmojiFont;
    EmojiDataOptions options;
  };
  auto o = std::make_shared<Opts>();
  CLI::App* emoji = data->add_subcommand("emoji", "every glyph of Noto Color Emoji as an RGB PNG (10% held out by name)");
  emoji->add_option("-o,--out", o->out, "output folder")->required();
  emoji->add_option("--size", o->options.size, "image side in pixels")->default_val(64)->check(CLI::Range(4, 1024));
  emoji->add_option("--count", o->options.maxImages, "at most this many images (default: every glyph of the font)")
      ->check(CLI::Range(1, 1000000));
  emoji->add_option("--font", o->font, "colour emoji font")->default_val(std::string(kDefaultEmojiFont));
  emoji->add_flag("--force", o->options.force, "write into a non-empty folder that holds other files too");
  emoji->callback([o] {
    EmojiDataOptions options = o->options;
    LongRun run(options.maxImages > 0 ? "images" : "glyphs");  // Ctrl-C: stop, keep the folder as it was
    options.progress = run.progress();
    options.cancelled = run.cancelled();
    const EmojiDataStats s = makeEmojiDataset(o->font, o->out, options);
    run.finish(s.cancelled, o->out);
    std::printf("wrote %d emoji images (%d held out) of %d glyphs to %s\n", s.written, s.heldOut, s.glyphs, o->out.c_str());
  });
}

}  // namespace fieldscope
