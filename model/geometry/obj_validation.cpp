#include "model/geometry/obj_validation.h"

#include <charconv>
#include <climits>
#include <cmath>
#include <stdexcept>
#include <system_error>

namespace fieldscope {
namespace {

constexpr std::size_t kMaxWarnings = 10;

[[noreturn]] void failAt(std::size_t line, const std::string& message) {
  throw std::runtime_error("line " + std::to_string(line) + ": " + message);
}

// Quoted for a message, cut short so a garbage line cannot flood the log.
std::string quoted(std::string_view token) {
  std::string s(token.substr(0, 32));
  for (char& c : s)
    if (static_cast<unsigned char>(c) < 32 || static_cast<unsigned char>(c) > 126) c = '?';
  return "'" + s + (token.size() > 32 ? "...'" : "'");
}

bool isSeparator(char c) { return c == ' ' || c == '\t' || c == '\r'; }

std::vector<std::string_view> tokens(std::string_view rest) {
  std::vector<std::string_view> out;
  std::size_t i = 0;
  while (i < rest.size()) {
    while (i < rest.size() && isSeparator(rest[i])) ++i;
    const std::size_t start = i;
    while (i < rest.size() && !isSeparator(rest[i])) ++i;
    if (i > start) out.push_back(rest.substr(start, i - start));
  }
  return out;
}

std::string_view withoutPlus(std::string_view s) { return s.size() > 1 && s[0] == '+' ? s.substr(1) : s; }

class Scanner {
 public:
  explicit Scanner(double maxAbs) : maxAbs_(maxAbs) {}

  void line(std::string_view content, std::size_t number) {
    const std::size_t nul = content.find('\0');
    if (nul != std::string_view::npos) content = content.substr(0, nul);  // as tinyobjloader (c_str)
    std::size_t start = 0;
    while (start < content.size() && (content[start] == ' ' || content[start] == '\t')) ++start;
    content = content.substr(start);
    if (content.size() < 2 || (content[1] != ' ' && content[1] != '\t')) {
      if (content.starts_with("mtllib") || content.starts_with("usemtl")) materials_ = true;
      return;
    }
    if (content[0] == 'v') vertex(tokens(content.substr(2)), number);
    if (content[0] == 'f') face(tokens(content.substr(2)), number);
  }

  ObjScan finish() {
    if (maxIndex_ > 0 && static_cast<std::size_t>(maxIndex_) > scan_.vertices)
      failAt(maxIndexLine_, "face uses vertex " + std::to_string(maxIndex_) + " but the file has " +
                                std::to_string(scan_.vertices) + " vertices");
    if (suppressed_ > 0) scan_.warnings.push_back("... and " + std::to_string(suppressed_) + " more such warnings");
    if (materials_) scan_.warnings.push_back("materials (mtllib/usemtl) are ignored");
    return std::move(scan_);
  }

 private:
  void vertex(const std::vector<std::string_view>& t, std::size_t number) {
    if (t.size() < 3) failAt(number, "a vertex needs 3 coordinates, found " + std::to_string(t.size()));
    for (int i = 0; i < 3; ++i) {
      const std::string_view s = withoutPlus(t[i]);
      double value = 0;
      const auto [end, error] = std::from_chars(s.data(), s.data() + s.size(), value);
      if (error == std::errc::result_out_of_range)
        failAt(number, "coordinate " + quoted(t[i]) + " is out of range");
      if (error != std::errc() || end != s.data() + s.size())
        failAt(number, "coordinate " + quoted(t[i]) + " is not a number");
      if (!std::isfinite(value)) failAt(number, "coordinate " + quoted(t[i]) + " is not finite");
      if (std::abs(value) > maxAbs_)
        failAt(number, "coordinate " + quoted(t[i]) + " is beyond ±" + std::to_string(maxAbs_) +
                           " (a broken file or a unit mix-up)");
    }
    ++scan_.vertices;
  }

  void face(const std::vector<std::string_view>& t, std::size_t number) {
    if (t.size() < 3) {
      warn("line " + std::to_string(number) + ": a face with fewer than 3 vertices is ignored");
      return;
    }
    for (std::string_view token : t) {
      const std::string_view first = withoutPlus(token.substr(0, token.find('/')));
      long long index = 0;
      const auto [end, error] = std::from_chars(first.data(), first.data() + first.size(), index);
      if (error != std::errc() || end != first.data() + first.size() || first.empty())
        failAt(number, "face vertex " + quoted(token) + " is not an index");
      if (index == 0) failAt(number, "face index 0 is not allowed (OBJ indices start at 1)");
      if (index > INT_MAX || index < INT_MIN) failAt(number, "face index " + quoted(token) + " is too large");
      if (index < 0 && static_cast<long long>(scan_.vertices) + index < 0)
        failAt(number, "relative face index " + std::to_string(index) + " refers before the first vertex (only " +
                           std::to_string(scan_.vertices) + " so far)");
      if (index > maxIndex_) {
        maxIndex_ = index;
        maxIndexLine_ = number;
      }
    }
    ++scan_.faces;
  }

  void warn(std::string message) {
    if (scan_.warnings.size() < kMaxWarnings) scan_.warnings.push_back(std::move(message));
    else ++suppressed_;
  }

  double maxAbs_;
  ObjScan scan_;
  long long maxIndex_ = 0;
  std::size_t maxIndexLine_ = 0;
  std::size_t suppressed_ = 0;
  bool materials_ = false;
};

}  // namespace

ObjScan scanObjText(std::string_view text, double maxAbsCoordinate) {
  Scanner scanner(maxAbsCoordinate);
  std::size_t number = 0, i = 0;
  while (i < text.size()) {
    // One line as tinyobjloader's safeGetline sees it: ended by "\n", "\r\n" or "\r".
    const std::size_t start = i;
    while (i < text.size() && text[i] != '\n' && text[i] != '\r') ++i;
    const std::string_view content = text.substr(start, i - start);
    if (i < text.size()) {
      if (text[i] == '\r' && i + 1 < text.size() && text[i + 1] == '\n') ++i;
      ++i;
    }
    scanner.line(content, ++number);
  }
  return scanner.finish();
}

}  // namespace fieldscope
