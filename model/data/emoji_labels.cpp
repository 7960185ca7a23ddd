#include "model/data/emoji_labels.h"

#include <hb.h>

#include <fstream>
#include <memory>
#include <sstream>
#include <stdexcept>

namespace fieldscope {

namespace {

std::string trim(const std::string& s) {
  const auto a = s.find_first_not_of(" \t\r"), b = s.find_last_not_of(" \t\r");
  return a == std::string::npos ? "" : s.substr(a, b - a + 1);
}

// The glyph `codepoints` shape to with `font`, or -1 when they make more than one glyph (or none).
int shapeToGlyph(hb_font_t* font, const std::vector<uint32_t>& codepoints) {
  std::unique_ptr<hb_buffer_t, decltype(&hb_buffer_destroy)> buf(hb_buffer_create(), hb_buffer_destroy);
  hb_buffer_add_utf32(buf.get(), codepoints.data(), static_cast<int>(codepoints.size()), 0, -1);
  hb_buffer_set_direction(buf.get(), HB_DIRECTION_LTR);
  hb_buffer_set_script(buf.get(), HB_SCRIPT_COMMON);
  hb_buffer_set_flags(buf.get(), HB_BUFFER_FLAG_REMOVE_DEFAULT_IGNORABLES);
  hb_shape(font, buf.get(), nullptr, 0);
  unsigned n = 0;
  const hb_glyph_info_t* info = hb_buffer_get_glyph_infos(buf.get(), &n);
  if (n != 1 || info[0].codepoint == 0) return -1;
  return static_cast<int>(info[0].codepoint);
}

}  // namespace

int EmojiLabels::subgroupOfFile(const std::string& name) const {
  if (name.size() < 6 || name[0] != 'g' || name.compare(name.size() - 4, 4, ".png") != 0) return -1;
  const std::string digits = name.substr(1, name.size() - 5);
  if (digits.empty() || digits.find_first_not_of("0123456789") != std::string::npos || digits.size() > 9) return -1;
  const auto it = subgroupOfGlyph.find(std::stoi(digits));
  return it == subgroupOfGlyph.end() ? -1 : it->second;
}

EmojiLabels readEmojiLabels(const std::filesystem::path& fontPath, const std::filesystem::path& emojiTestPath) {
  std::ifstream in(emojiTestPath);
  if (!in)
    throw std::runtime_error("cannot read the emoji classes '" + emojiTestPath.string() +
                             "' (Debian package unicode-data)");
  hb_blob_t* blob = hb_blob_create_from_file_or_fail(fontPath.c_str());
  if (!blob) throw std::runtime_error("cannot read the emoji font '" + fontPath.string() + "'");
  hb_face_t* face = hb_face_create(blob, 0);
  hb_font_t* font = hb_font_create(face);
  std::unique_ptr<hb_font_t, decltype(&hb_font_destroy)> fontGuard(font, hb_font_destroy);
  std::unique_ptr<hb_face_t, decltype(&hb_face_destroy)> faceGuard(face, hb_face_destroy);
  std::unique_ptr<hb_blob_t, decltype(&hb_blob_destroy)> blobGuard(blob, hb_blob_destroy);
  if (hb_face_get_glyph_count(face) == 0) throw std::runtime_error("'" + fontPath.string() + "' is not a font with glyphs");

  EmojiLabels labels;
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("# group:", 0) == 0) {
      labels.groups.push_back(trim(line.substr(8)));
      continue;
    }
    if (line.rfind("# subgroup:", 0) == 0) {
      if (labels.groups.empty()) throw std::runtime_error("'" + emojiTestPath.string() + "': a subgroup before any group");
      labels.subgroups.push_back(trim(line.substr(11)));
      labels.groupOfSubgroup.push_back(static_cast<int>(labels.groups.size()) - 1);
      continue;
    }
    if (line.empty() || line[0] == '#') continue;
    const auto semi = line.find(';');
    if (semi == std::string::npos || line.find("fully-qualified", semi) == std::string::npos ||
        line.find("minimally-qualified", semi) != std::string::npos)
      continue;
    if (labels.subgroups.empty()) throw std::runtime_error("'" + emojiTestPath.string() + "': an emoji before any subgroup");
    std::vector<uint32_t> cps;
    std::istringstream hex(line.substr(0, semi));
    std::string cp;
    while (hex >> cp) cps.push_back(static_cast<uint32_t>(std::stoul(cp, nullptr, 16)));
    if (cps.empty()) continue;
    ++labels.sequences;
    const int glyph = shapeToGlyph(font, cps);
    if (glyph < 0) {
      ++labels.unshaped;
      continue;
    }
    labels.subgroupOfGlyph.emplace(glyph, static_cast<int>(labels.subgroups.size()) - 1);
  }
  if (labels.groups.empty()) throw std::runtime_error("'" + emojiTestPath.string() + "' holds no emoji group");
  return labels;
}

}  // namespace fieldscope
