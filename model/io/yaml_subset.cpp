#include "model/io/yaml_subset.h"

#include <cctype>
#include <cerrno>
#include <cstdlib>
#include <sstream>
#include <stdexcept>
#include <vector>

namespace fieldscope {

namespace {

struct Line {
  int number;       // 1-based
  size_t indent;    // leading spaces
  std::string text; // without indentation, comment and trailing blanks
};

std::string stripComment(const std::string& s) {
  char quote = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    if (quote) {
      if (c == quote) quote = 0;
    } else if (c == '"' || c == '\'') {
      quote = c;
    } else if (c == '#' && (i == 0 || s[i - 1] == ' ' || s[i - 1] == '\t')) {
      return s.substr(0, i);
    }
  }
  return s;
}

std::string trim(const std::string& s) {
  size_t a = 0, b = s.size();
  while (a < b && (s[a] == ' ' || s[a] == '\t' || s[a] == '\r')) ++a;
  while (b > a && (s[b - 1] == ' ' || s[b - 1] == '\t' || s[b - 1] == '\r')) --b;
  return s.substr(a, b - a);
}

class Parser {
 public:
  Parser(const std::string& text, std::string what) : what_(std::move(what)) {
    std::istringstream in(text);
    std::string raw;
    int number = 0;
    while (std::getline(in, raw)) {
      ++number;
      if (number == 1 && raw.rfind("%YAML", 0) == 0) continue;
      if (trim(raw) == "---") continue;
      size_t indent = 0;
      while (indent < raw.size() && raw[indent] == ' ') ++indent;
      if (indent < raw.size() && raw[indent] == '\t') fail(number, "a tab in the indentation");
      const std::string body = trim(stripComment(raw.substr(indent)));
      if (!body.empty()) lines_.push_back({number, indent, body});
    }
  }

  nlohmann::json document() {
    if (lines_.empty()) return nlohmann::json::object();
    nlohmann::json v = block(lines_[0].indent, 0);
    if (pos_ < lines_.size()) fail(lines_[pos_].number, "unexpected indentation");
    return v;
  }

 private:
  [[noreturn]] void fail(int line, const std::string& why) const {
    throw std::runtime_error(what_ + ": line " + std::to_string(line) + ": " + why);
  }

  nlohmann::json block(size_t indent, int depth) {
    if (depth > 64) fail(lines_[pos_].number, "nested too deeply");
    const bool sequence = lines_[pos_].text == "-" || lines_[pos_].text.rfind("- ", 0) == 0;
    nlohmann::json out = sequence ? nlohmann::json::array() : nlohmann::json::object();
    while (pos_ < lines_.size() && lines_[pos_].indent == indent) {
      const Line& line = lines_[pos_];
      const bool item = line.text == "-" || line.text.rfind("- ", 0) == 0;
      if (sequence && !item) break;  // "key:\n- a\nnext: b": the sequence under `key` ends here
      if (item && !sequence) fail(line.number, "a sequence item inside a mapping");
      ++pos_;
      if (sequence) {
        const std::string rest = trim(line.text.substr(1));
        if (!rest.empty()) {
          if (rest.find(": ") != std::string::npos || rest.back() == ':') fail(line.number, "mappings inside sequences are not supported");
          out.push_back(value(rest, line.number));
        } else {
          out.push_back(nested(indent, depth, /*fromItem=*/true));
        }
        continue;
      }
      const size_t colon = keyColon(line);
      const std::string key = unquote(trim(line.text.substr(0, colon)), line.number);
      if (out.contains(key)) fail(line.number, "the key '" + key + "' appears twice");
      const std::string rest = trim(line.text.substr(colon + 1));
      out[key] = rest.empty() ? nested(indent, depth, /*fromItem=*/false) : value(rest, line.number);
    }
    if (pos_ < lines_.size() && lines_[pos_].indent > indent) fail(lines_[pos_].number, "unexpected indentation");
    return out;
  }

  // The block under a "key:" or "-" line: more indented lines, or a sequence at the same indent
  // under a key (YAML allows "key:\n- a"); nothing: null.
  // fromItem: the line was a "-" item itself, whose siblings at its indent are not its contents.
  nlohmann::json nested(size_t indent, int depth, bool fromItem) {
    if (pos_ < lines_.size()) {
      const Line& next = lines_[pos_];
      const bool item = next.text == "-" || next.text.rfind("- ", 0) == 0;
      if (next.indent > indent || (next.indent == indent && item && !fromItem)) return block(next.indent, depth + 1);
    }
    return nullptr;
  }

  size_t keyColon(const Line& line) const {
    char quote = 0;
    for (size_t i = 0; i < line.text.size(); ++i) {
      const char c = line.text[i];
      if (quote) {
        if (c == quote) quote = 0;
      } else if (c == '"' || c == '\'') {
        quote = c;
      } else if (c == ':' && (i + 1 == line.text.size() || line.text[i + 1] == ' ')) {
        return i;
      }
    }
    fail(line.number, "expected 'key: value'");
  }

  std::string unquote(const std::string& s, int number) const {
    if (s.size() >= 2 && (s.front() == '"' || s.front() == '\'')) {
      if (s.back() != s.front()) fail(number, "an unterminated quoted string");
      return s.substr(1, s.size() - 2);
    }
    if (!s.empty() && (s.front() == '"' || s.front() == '\'')) fail(number, "an unterminated quoted string");
    return s;
  }

  nlohmann::json value(const std::string& s, int number) const {
    if (s.front() == '[') {
      if (s.back() != ']') fail(number, "a flow sequence must end on its line");
      nlohmann::json out = nlohmann::json::array();
      const std::string inner = trim(s.substr(1, s.size() - 2));
      if (inner.empty()) return out;
      std::string item;
      std::istringstream parts(inner);
      while (std::getline(parts, item, ',')) {
        item = trim(item);
        if (item.empty() || item.front() == '[' || item.front() == '{') fail(number, "only scalars in flow sequences");
        out.push_back(scalar(item, number));
      }
      return out;
    }
    if (s.front() == '{') {
      if (s == "{}") return nlohmann::json::object();
      fail(number, "flow mappings are not supported");
    }
    if (s.front() == '&' || s.front() == '*' || s.front() == '!' || s.front() == '|' || s.front() == '>')
      fail(number, "anchors, aliases, tags and block scalars are not supported");
    return scalar(s, number);
  }

  nlohmann::json scalar(const std::string& s, int number) const {
    if (s.front() == '"' || s.front() == '\'') return unquote(s, number);
    if (s == "~" || s == "null" || s == "Null" || s == "NULL") return nullptr;
    if (s == "true" || s == "True" || s == "TRUE") return true;
    if (s == "false" || s == "False" || s == "FALSE") return false;
    const char* begin = s.c_str();
    char* end = nullptr;
    errno = 0;
    const long long i = std::strtoll(begin, &end, 10);
    if (end && *end == 0 && errno == 0 && (std::isdigit(static_cast<unsigned char>(s.back())))) return i;
    end = nullptr;
    const double d = std::strtod(begin, &end);
    if (end && *end == 0 && s.find_first_of("0123456789") != std::string::npos && s.find_first_of("xXpP") == std::string::npos)
      return d;
    return s;
  }

  std::string what_;
  std::vector<Line> lines_;
  size_t pos_ = 0;
};

}  // namespace

nlohmann::json parseYamlSubset(const std::string& text, const std::string& what) {
  return Parser(text, what).document();
}

}  // namespace fieldscope
