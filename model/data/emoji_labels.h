#pragma once
// Class labels of the emoji set (docs/architecture.md "Data"; the sample-quality metric of
// model/eval/): the Unicode emoji groups and subgroups of `emoji-test.txt` (Debian package
// unicode-data), attached to the font's glyphs by shaping every fully-qualified sequence of that
// file with HarfBuzz on the same font: a sequence that shapes to one glyph labels that glyph
// (skin-tone variants, ZWJ families and flags included). The set's files are named by glyph
// (g<index>.png, model/data/emoji_font.h), so a file's label is its glyph's.
#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace fieldscope {

inline constexpr const char* kDefaultEmojiTestFile = "/usr/share/unicode/emoji/emoji-test.txt";

struct EmojiLabels {
  std::vector<std::string> groups;     // in file order ("Smileys & Emotion", ...)
  std::vector<std::string> subgroups;  // in file order ("face-smiling", ...)
  std::vector<int> groupOfSubgroup;    // subgroups[i] lies in groups[groupOfSubgroup[i]]
  std::map<int, int> subgroupOfGlyph;  // glyph index -> subgroup index (the first sequence wins)
  int sequences = 0;                   // fully-qualified sequences read
  int unshaped = 0;                    // of which did not shape to a single glyph of the font

  // The subgroup of an emoji set file name (g<index>.png), or -1 when its glyph has no label.
  int subgroupOfFile(const std::string& fileName) const;
};

// Throws std::runtime_error naming the file when emoji-test.txt or the font cannot be read, or
// when the file holds no group.
EmojiLabels readEmojiLabels(const std::filesystem::path& fontPath,
                            const std::filesystem::path& emojiTestPath = kDefaultEmojiTestFile);

}  // namespace fieldscope
