#include "model/torch_archive/pickle_graph.h"

#include <charconv>
#include <cstdio>
#include <cstring>
#include <stdexcept>
#include <unordered_map>

namespace fieldscope {
namespace {

using Kind = PickleValue::Kind;

// The opcodes (Python's Lib/pickle.py), protocols 0-5.
// clang-format off
#define FIELDSCOPE_PICKLE_OPS(X)                                                                                     \
  X(MARK, '(') X(STOP, '.') X(POP, '0') X(POP_MARK, '1') X(DUP, '2') X(FLOAT, 'F') X(INT, 'I') X(BININT, 'J')      \
  X(BININT1, 'K') X(LONG, 'L') X(BININT2, 'M') X(NONE, 'N') X(PERSID, 'P') X(BINPERSID, 'Q') X(REDUCE, 'R')        \
  X(STRING, 'S') X(BINSTRING, 'T') X(SHORT_BINSTRING, 'U') X(UNICODE, 'V') X(BINUNICODE, 'X') X(APPEND, 'a')        \
  X(BUILD, 'b') X(GLOBAL, 'c') X(DICT, 'd') X(EMPTY_DICT, '}') X(APPENDS, 'e') X(GET, 'g') X(BINGET, 'h')           \
  X(INST, 'i') X(LONG_BINGET, 'j') X(LIST, 'l') X(EMPTY_LIST, ']') X(OBJ, 'o') X(PUT, 'p') X(BINPUT, 'q')           \
  X(LONG_BINPUT, 'r') X(SETITEM, 's') X(TUPLE, 't') X(EMPTY_TUPLE, ')') X(SETITEMS, 'u') X(BINFLOAT, 'G')           \
  X(PROTO, 0x80) X(NEWOBJ, 0x81) X(EXT1, 0x82) X(EXT2, 0x83) X(EXT4, 0x84) X(TUPLE1, 0x85) X(TUPLE2, 0x86)          \
  X(TUPLE3, 0x87) X(NEWTRUE, 0x88) X(NEWFALSE, 0x89) X(LONG1, 0x8a) X(LONG4, 0x8b) X(BINBYTES, 'B')                 \
  X(SHORT_BINBYTES, 'C') X(SHORT_BINUNICODE, 0x8c) X(BINUNICODE8, 0x8d) X(BINBYTES8, 0x8e) X(EMPTY_SET, 0x8f)       \
  X(ADDITEMS, 0x90) X(FROZENSET, 0x91) X(NEWOBJ_EX, 0x92) X(STACK_GLOBAL, 0x93) X(MEMOIZE, 0x94) X(FRAME, 0x95)     \
  X(BYTEARRAY8, 0x96) X(NEXT_BUFFER, 0x97) X(READONLY_BUFFER, 0x98)
// clang-format on
#define FIELDSCOPE_PICKLE_ENUM(name, code) name = code,
enum Op : uint8_t { FIELDSCOPE_PICKLE_OPS(FIELDSCOPE_PICKLE_ENUM) };
#undef FIELDSCOPE_PICKLE_ENUM

const char* opName(uint8_t op) {
#define FIELDSCOPE_PICKLE_NAME(name, code) \
  case name: return #name;
  switch (op) { FIELDSCOPE_PICKLE_OPS(FIELDSCOPE_PICKLE_NAME) }
#undef FIELDSCOPE_PICKLE_NAME
  return nullptr;
}

void appendUtf8(std::string& out, uint32_t c) {
  if (c < 0x80) {
    out += static_cast<char>(c);
  } else if (c < 0x800) {
    out += static_cast<char>(0xC0 | (c >> 6));
    out += static_cast<char>(0x80 | (c & 0x3F));
  } else if (c < 0x10000) {
    out += static_cast<char>(0xE0 | (c >> 12));
    out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (c & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (c >> 18));
    out += static_cast<char>(0x80 | ((c >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (c & 0x3F));
  }
}

int hexDigit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// UTF-8 text whose code points are all below 256 as those bytes (false when it is not).
bool latin1FromUtf8(const std::string& text, std::string& out) {
  out.clear();
  for (size_t k = 0; k < text.size(); ++k) {
    const auto c = static_cast<unsigned char>(text[k]);
    if (c < 0x80) {
      out += static_cast<char>(c);
    } else if ((c == 0xC2 || c == 0xC3) && k + 1 < text.size() &&
               (static_cast<unsigned char>(text[k + 1]) & 0xC0) == 0x80) {
      out += static_cast<char>(((c & 0x03) << 6) | (static_cast<unsigned char>(text[++k]) & 0x3F));
    } else {
      return false;
    }
  }
  return true;
}

}  // namespace

const char* pickleKindName(PickleValue::Kind kind) {
  switch (kind) {
    case Kind::None: return "None";
    case Kind::Bool: return "Bool";
    case Kind::Int: return "Int";
    case Kind::BigInt: return "BigInt";
    case Kind::Float: return "Float";
    case Kind::String: return "String";
    case Kind::Bytes: return "Bytes";
    case Kind::List: return "List";
    case Kind::Tuple: return "Tuple";
    case Kind::Dict: return "Dict";
    case Kind::Global: return "Global";
    case Kind::Object: return "Object";
    case Kind::PersistentId: return "PersistentId";
  }
  return "?";
}

// The pickle machine: a value stack with marks, a memo, and the arena it fills.
class PickleParser {
 public:
  PickleParser(std::string_view bytes, const std::string& what)
      : in_(bytes), what_(what), budget_(64 * static_cast<uint64_t>(bytes.size()) + 1000) {}

  PickleGraph run();

 private:
  [[noreturn]] void fail(const std::string& problem) const {
    const char* name = opName(op_);
    char code[8];
    std::snprintf(code, sizeof code, "0x%02x", op_);
    const std::string op = atEnd_ ? "at the end of the data, "
                           : name ? std::string("opcode ") + name + " " + code + " at "
                                  : "at ";
    throw std::runtime_error(what_ + ": " + problem + " (" + op + "byte " + std::to_string(opAt_) + ")");
  }

  std::string_view take(uint64_t n) {
    if (n > in_.size() - pos_)
      fail("the pickle is truncated: " + std::to_string(n) + " bytes needed, " + std::to_string(in_.size() - pos_) +
           " left");
    const std::string_view v = in_.substr(pos_, static_cast<size_t>(n));
    pos_ += static_cast<size_t>(n);
    return v;
  }
  uint64_t readLE(int n) {
    const std::string_view b = take(static_cast<uint64_t>(n));
    uint64_t v = 0;
    for (int k = n - 1; k >= 0; --k) v = v << 8 | static_cast<unsigned char>(b[static_cast<size_t>(k)]);
    return v;
  }
  // A text argument up to (not including) its newline.
  std::string_view line() {
    const size_t nl = in_.find('\n', pos_);
    if (nl == std::string_view::npos) fail("the pickle is truncated: a text argument has no end of line");
    const std::string_view v = in_.substr(pos_, nl - pos_);
    pos_ = nl + 1;
    return v;
  }

  PickleValue& val(uint32_t i) { return g_.values_[i]; }  // not to be held across add()
  uint32_t add(Kind kind) {
    if (g_.values_.size() >= budget_ || g_.values_.size() >= PickleGraph::npos - 1)
      fail("more than " + std::to_string(budget_) + " values for a " + std::to_string(in_.size()) + "-byte pickle");
    g_.values_.emplace_back().kind = kind;
    return static_cast<uint32_t>(g_.values_.size() - 1);
  }
  uint32_t addString(Kind kind, std::string text) {
    const uint32_t v = add(kind);
    val(v).s = std::move(text);
    return v;
  }
  uint32_t addContainer(Kind kind, std::vector<uint32_t> items) {
    const uint32_t v = add(kind);
    val(v).items = std::move(items);
    return v;
  }
  // Values copied rather than moved (sets and Python 2 OrderedDicts built from their arguments,
  // STACK_GLOBAL names) count against the same budget, so repeating a copy cannot blow up.
  void spend(uint64_t n) {
    if (n > copyBudget_) fail("the pickle copies more than " + std::to_string(budget_) + " values or bytes");
    copyBudget_ -= n;
  }

  size_t base() const { return marks_.empty() ? 0 : marks_.back(); }
  void push(uint32_t v) { stack_.push_back(v); }
  uint32_t top() {
    if (stack_.size() <= base()) fail("stack underflow");
    return stack_.back();
  }
  uint32_t pop() {
    const uint32_t v = top();
    stack_.pop_back();
    return v;
  }
  std::vector<uint32_t> popMark() {
    if (marks_.empty()) fail("no MARK before it");
    std::vector<uint32_t> items(stack_.begin() + static_cast<std::ptrdiff_t>(marks_.back()), stack_.end());
    stack_.resize(marks_.back());
    marks_.pop_back();
    return items;
  }

  // A shared None/True/False (they are immutable).
  uint32_t constant(uint32_t& cache, Kind kind, int64_t i) {
    if (cache == PickleGraph::npos) {
      cache = add(kind);
      val(cache).i = i;
    }
    return cache;
  }
  uint32_t makeInt(int64_t i) {
    const uint32_t v = add(Kind::Int);
    val(v).i = i;
    return v;
  }
  uint32_t makeLong(std::string_view le);
  uint32_t makeDecimal(std::string_view text);
  uint32_t makeFloatText(std::string_view text);
  std::string escapeDecode(std::string_view text);
  std::string rawUnicodeEscapeDecode(std::string_view text);
  uint32_t makeGlobal(std::string_view module, std::string_view name);
  uint32_t instantiate(uint32_t callable, uint32_t args);
  void memoPut(uint64_t id) { memo_[id] = top(); }
  void memoGet(uint64_t id) {
    const auto it = memo_.find(id);
    if (it == memo_.end()) fail("memo id " + std::to_string(id) + " was never stored");
    push(it->second);
  }
  uint64_t decimalId(std::string_view text);
  void step();

  std::string_view in_;
  std::string what_;
  size_t pos_ = 0, opAt_ = 0;
  uint8_t op_ = 0;
  bool atEnd_ = false, stopped_ = false;
  uint64_t budget_, copyBudget_ = budget_;
  PickleGraph g_;
  std::vector<uint32_t> stack_;
  std::vector<size_t> marks_;
  std::unordered_map<uint64_t, uint32_t> memo_;
  uint32_t none_ = PickleGraph::npos, true_ = PickleGraph::npos, false_ = PickleGraph::npos;
};

// Little-endian two's complement (LONG1/LONG4): an Int when it fits in 64 bits, else a BigInt.
uint32_t PickleParser::makeLong(std::string_view le) {
  const auto byte = [&](size_t k) { return static_cast<unsigned char>(le[k]); };
  bool fits = true;
  if (le.size() > 8) {
    const unsigned char fill = (byte(7) & 0x80) ? 0xFF : 0x00;
    for (size_t k = 8; k < le.size() && fits; ++k) fits = byte(k) == fill;
  }
  if (!fits) return addString(Kind::BigInt, std::string(le));
  uint64_t u = 0;
  const size_t n = std::min<size_t>(le.size(), 8);
  for (size_t k = n; k-- > 0;) u = u << 8 | byte(k);
  if (n > 0 && n < 8 && (byte(n - 1) & 0x80)) u |= ~uint64_t(0) << (8 * n);  // sign-extend
  return makeInt(static_cast<int64_t>(u));
}

// A decimal integer (INT, LONG: protocol 0) of any size, at most 1000 digits.
uint32_t PickleParser::makeDecimal(std::string_view text) {
  bool negative = false;
  if (!text.empty() && (text[0] == '-' || text[0] == '+')) {
    negative = text[0] == '-';
    text.remove_prefix(1);
  }
  if (text.empty() || text.size() > 1000) fail("bad integer literal (empty or more than 1000 digits)");
  std::string mag;  // magnitude, little-endian bytes
  for (const char c : text) {
    if (c < '0' || c > '9') fail("bad integer literal (not a decimal digit)");
    unsigned carry = static_cast<unsigned>(c - '0');
    for (char& b : mag) {
      const unsigned v = static_cast<unsigned char>(b) * 10u + carry;
      b = static_cast<char>(v & 0xFF);
      carry = v >> 8;
    }
    if (carry) mag += static_cast<char>(carry);
  }
  mag += '\0';  // room for the sign bit
  if (negative) {
    unsigned carry = 1;
    for (char& b : mag) {
      const unsigned v = (~static_cast<unsigned char>(b) & 0xFFu) + carry;
      b = static_cast<char>(v & 0xFF);
      carry = v >> 8;
    }
  }
  return makeLong(mag);
}

uint32_t PickleParser::makeFloatText(std::string_view text) {
  while (!text.empty() && (text.back() == ' ' || text.back() == '\r')) text.remove_suffix(1);
  while (!text.empty() && text.front() == ' ') text.remove_prefix(1);
  if (!text.empty() && text.front() == '+') text.remove_prefix(1);
  double f = 0;
  const auto r = std::from_chars(text.data(), text.data() + text.size(), f);
  if (text.empty() || r.ec != std::errc() || r.ptr != text.data() + text.size()) fail("bad float literal");
  const uint32_t v = add(Kind::Float);
  val(v).f = f;
  return v;
}

// STRING's argument: a quoted Python literal with backslash escapes (codecs.escape_decode).
std::string PickleParser::escapeDecode(std::string_view t) {
  if (t.size() < 2 || t.front() != t.back() || (t.front() != '\'' && t.front() != '"'))
    fail("the STRING argument is not quoted");
  t = t.substr(1, t.size() - 2);
  std::string out;
  for (size_t k = 0; k < t.size(); ++k) {
    if (t[k] != '\\') {
      out += t[k];
      continue;
    }
    if (++k == t.size()) fail("the STRING argument ends in a lone backslash");
    const char c = t[k];
    switch (c) {
      case '\n': break;
      case '\\':
      case '\'':
      case '"': out += c; break;
      case 'a': out += '\a'; break;
      case 'b': out += '\b'; break;
      case 'f': out += '\f'; break;
      case 'n': out += '\n'; break;
      case 'r': out += '\r'; break;
      case 't': out += '\t'; break;
      case 'v': out += '\v'; break;
      case 'x': {
        if (t.size() - k < 3 || hexDigit(t[k + 1]) < 0 || hexDigit(t[k + 2]) < 0) fail("bad \\x escape in STRING");
        out += static_cast<char>(hexDigit(t[k + 1]) * 16 + hexDigit(t[k + 2]));
        k += 2;
        break;
      }
      default:
        if (c >= '0' && c <= '7') {
          unsigned v = 0;
          size_t d = 0;
          for (; d < 3 && k + d < t.size() && t[k + d] >= '0' && t[k + d] <= '7'; ++d)
            v = v * 8 + unsigned(t[k + d] - '0');
          out += static_cast<char>(v & 0xFF);
          k += d - 1;
        } else {
          out += '\\';
          out += c;
        }
    }
  }
  return out;
}

// UNICODE's argument (raw-unicode-escape): bytes are Latin-1 code points, \uXXXX and \UXXXXXXXX
// escapes (after an odd number of backslashes) are code points; the result is UTF-8.
std::string PickleParser::rawUnicodeEscapeDecode(std::string_view t) {
  std::string out;
  for (size_t k = 0; k < t.size();) {
    if (t[k] != '\\') {
      appendUtf8(out, static_cast<unsigned char>(t[k++]));
      continue;
    }
    size_t run = 0;
    while (k < t.size() && t[k] == '\\') ++run, ++k;
    out.append(run, '\\');
    if (run % 2 == 0 || k == t.size() || (t[k] != 'u' && t[k] != 'U')) continue;
    out.pop_back();
    const size_t digits = t[k] == 'u' ? 4 : 8;
    ++k;
    if (t.size() - k < digits) fail("truncated \\u escape in UNICODE");
    uint32_t c = 0;
    for (size_t d = 0; d < digits; ++d) {
      const int h = hexDigit(t[k + d]);
      if (h < 0) fail("bad \\u escape in UNICODE");
      c = c << 4 | static_cast<uint32_t>(h);
    }
    if (c > 0x10FFFF) fail("\\U escape out of range in UNICODE");
    appendUtf8(out, c);
    k += digits;
  }
  return out;
}

uint32_t PickleParser::makeGlobal(std::string_view module, std::string_view name) {
  if (module == "__builtin__") module = "builtins";  // Python 2 names (as Python 3's fix_imports maps them)
  if (module == "copy_reg") module = "copyreg";
  std::string s;
  s.reserve(module.size() + 1 + name.size());
  s.append(module).append(".").append(name);
  return addString(Kind::Global, std::move(s));
}

// What REDUCE, NEWOBJ, NEWOBJ_EX, OBJ and INST make: a Dict for OrderedDict/defaultdict (SETITEMS
// fills it), a List for a set, else an opaque Object [callable, args].
uint32_t PickleParser::instantiate(uint32_t callable, uint32_t args) {
  if (val(args).kind != Kind::Tuple) fail("the arguments are " + g_.describe(args) + ", not a tuple");
  const std::string cls = val(callable).kind == Kind::Global ? val(callable).s : std::string();
  const std::vector<uint32_t>& a = val(args).items;
  const uint32_t first = a.empty() ? PickleGraph::npos : a[0];
  const bool firstIsSequence =
      first != PickleGraph::npos && (val(first).kind == Kind::List || val(first).kind == Kind::Tuple);
  if (cls == "collections.OrderedDict" || cls == "collections.defaultdict") {
    std::vector<uint32_t> pairs;
    if (cls == "collections.OrderedDict" && firstIsSequence) {  // Python 2: OrderedDict([[k, v], ...])
      spend(val(first).items.size() * 2);
      for (const uint32_t p : val(first).items) {
        const PickleValue& kv = val(p);
        if ((kv.kind == Kind::List || kv.kind == Kind::Tuple) && kv.items.size() == 2)
          pairs.insert(pairs.end(), kv.items.begin(), kv.items.end());
      }
    }
    return addContainer(Kind::Dict, std::move(pairs));
  }
  if (cls == "builtins.set" || cls == "builtins.frozenset") {
    std::vector<uint32_t> items;
    if (firstIsSequence) {
      spend(val(first).items.size());
      items = val(first).items;
    }
    return addContainer(Kind::List, std::move(items));
  }
  if (cls == "builtins.bytes" && a.empty()) return add(Kind::Bytes);  // protocol 2's b''
  if (cls == "_codecs.encode" && a.size() == 2 && val(a[0]).kind == Kind::String && val(a[1]).kind == Kind::String &&
      (val(a[1]).s == "latin1" || val(a[1]).s == "latin-1")) {  // protocol 2's other bytes: text, Latin-1 encoded
    std::string bytes;
    if (latin1FromUtf8(val(a[0]).s, bytes)) return addString(Kind::Bytes, std::move(bytes));
  }
  return addContainer(Kind::Object, {callable, args});
}

uint64_t PickleParser::decimalId(std::string_view text) {
  uint64_t id = 0;
  const auto r = std::from_chars(text.data(), text.data() + text.size(), id);
  if (text.empty() || r.ec != std::errc() || r.ptr != text.data() + text.size()) fail("bad memo id");
  return id;
}

void PickleParser::step() {
  opAt_ = pos_;
  op_ = static_cast<uint8_t>(in_[pos_++]);
  switch (op_) {
    case PROTO: {
      const uint64_t v = readLE(1);
      if (v > 5) fail("unsupported pickle protocol " + std::to_string(v));
      break;
    }
    case FRAME: {
      const uint64_t n = readLE(8);
      if (n > in_.size() - pos_) fail("the pickle is truncated: a frame of " + std::to_string(n) + " bytes");
      break;
    }
    case STOP:
      g_.root_ = pop();
      stopped_ = true;
      break;
    case MARK: marks_.push_back(stack_.size()); break;
    case POP:
      if (stack_.size() > base()) {
        stack_.pop_back();
      } else if (!marks_.empty()) {
        marks_.pop_back();
      } else {
        fail("stack underflow");
      }
      break;
    case POP_MARK: popMark(); break;
    case DUP: push(top()); break;

    case NONE: push(constant(none_, Kind::None, 0)); break;
    case NEWTRUE: push(constant(true_, Kind::Bool, 1)); break;
    case NEWFALSE: push(constant(false_, Kind::Bool, 0)); break;
    case INT: {
      const std::string_view t = line();
      if (t == "01")
        push(constant(true_, Kind::Bool, 1));
      else if (t == "00")
        push(constant(false_, Kind::Bool, 0));
      else
        push(makeDecimal(t));
      break;
    }
    case BININT: push(makeInt(static_cast<int32_t>(static_cast<uint32_t>(readLE(4))))); break;
    case BININT1: push(makeInt(static_cast<int64_t>(readLE(1)))); break;
    case BININT2: push(makeInt(static_cast<int64_t>(readLE(2)))); break;
    case LONG: {
      std::string_view t = line();
      if (!t.empty() && t.back() == 'L') t.remove_suffix(1);
      push(makeDecimal(t));
      break;
    }
    case LONG1: push(makeLong(take(readLE(1)))); break;
    case LONG4: {
      const int32_t n = static_cast<int32_t>(static_cast<uint32_t>(readLE(4)));
      if (n < 0) fail("negative byte count");
      push(makeLong(take(static_cast<uint64_t>(n))));
      break;
    }
    case FLOAT: push(makeFloatText(line())); break;
    case BINFLOAT: {
      const std::string_view b = take(8);
      uint64_t u = 0;
      for (const char c : b) u = u << 8 | static_cast<unsigned char>(c);  // big-endian
      double f;
      std::memcpy(&f, &u, sizeof f);
      const uint32_t v = add(Kind::Float);
      val(v).f = f;
      push(v);
      break;
    }

    case STRING: push(addString(Kind::String, escapeDecode(line()))); break;
    case BINSTRING: {
      const int32_t n = static_cast<int32_t>(static_cast<uint32_t>(readLE(4)));
      if (n < 0) fail("negative byte count");
      push(addString(Kind::String, std::string(take(static_cast<uint64_t>(n)))));
      break;
    }
    case SHORT_BINSTRING: push(addString(Kind::String, std::string(take(readLE(1))))); break;
    case UNICODE: push(addString(Kind::String, rawUnicodeEscapeDecode(line()))); break;
    case SHORT_BINUNICODE: push(addString(Kind::String, std::string(take(readLE(1))))); break;
    case BINUNICODE: push(addString(Kind::String, std::string(take(readLE(4))))); break;
    case BINUNICODE8: push(addString(Kind::String, std::string(take(readLE(8))))); break;
    case SHORT_BINBYTES: push(addString(Kind::Bytes, std::string(take(readLE(1))))); break;
    case BINBYTES: push(addString(Kind::Bytes, std::string(take(readLE(4))))); break;
    case BINBYTES8:
    case BYTEARRAY8: push(addString(Kind::Bytes, std::string(take(readLE(8))))); break;

    case EMPTY_LIST: push(add(Kind::List)); break;
    case EMPTY_TUPLE: push(add(Kind::Tuple)); break;
    case EMPTY_DICT: push(add(Kind::Dict)); break;
    case EMPTY_SET: push(add(Kind::List)); break;
    case LIST: push(addContainer(Kind::List, popMark())); break;
    case TUPLE: push(addContainer(Kind::Tuple, popMark())); break;
    case FROZENSET: push(addContainer(Kind::List, popMark())); break;
    case TUPLE1:
    case TUPLE2:
    case TUPLE3: {
      const size_t n = static_cast<size_t>(op_ - TUPLE1 + 1);
      if (stack_.size() < base() + n) fail("stack underflow");
      std::vector<uint32_t> items(stack_.end() - static_cast<std::ptrdiff_t>(n), stack_.end());
      stack_.resize(stack_.size() - n);
      push(addContainer(Kind::Tuple, std::move(items)));
      break;
    }
    case DICT: {
      std::vector<uint32_t> items = popMark();
      if (items.size() % 2) fail("an odd number of keys and values");
      push(addContainer(Kind::Dict, std::move(items)));
      break;
    }
    case APPEND:
    case APPENDS:
    case ADDITEMS: {
      std::vector<uint32_t> items;
      if (op_ == APPEND)
        items.push_back(pop());
      else
        items = popMark();
      const uint32_t target = top();
      const Kind k = val(target).kind;
      if (k == Kind::List) {
        std::vector<uint32_t>& dst = val(target).items;
        dst.insert(dst.end(), items.begin(), items.end());
      } else if (k != Kind::Object) {  // an opaque object's own list items are not kept
        fail("cannot append to " + g_.describe(target));
      }
      break;
    }
    case SETITEM:
    case SETITEMS: {
      std::vector<uint32_t> items;
      if (op_ == SETITEM) {
        const uint32_t value = pop();
        items = {pop(), value};
      } else {
        items = popMark();
        if (items.size() % 2) fail("an odd number of keys and values");
      }
      const uint32_t target = top();
      const Kind k = val(target).kind;
      if (k == Kind::Dict) {
        std::vector<uint32_t>& dst = val(target).items;
        dst.insert(dst.end(), items.begin(), items.end());
      } else if (k != Kind::Object) {  // an opaque object's own dict items are not kept
        fail("cannot set items on " + g_.describe(target));
      }
      break;
    }

    case GET: memoGet(decimalId(line())); break;
    case BINGET: memoGet(readLE(1)); break;
    case LONG_BINGET: memoGet(readLE(4)); break;
    case PUT: memoPut(decimalId(line())); break;
    case BINPUT: memoPut(readLE(1)); break;
    case LONG_BINPUT: memoPut(readLE(4)); break;
    case MEMOIZE: memoPut(memo_.size()); break;

    case GLOBAL: {
      const std::string_view module = line();
      push(makeGlobal(module, line()));
      break;
    }
    case STACK_GLOBAL: {
      const uint32_t name = pop(), module = pop();
      if (val(name).kind != Kind::String || val(module).kind != Kind::String)
        fail("needs two strings, got " + g_.describe(module) + " and " + g_.describe(name));
      spend(val(module).s.size() + val(name).s.size());
      push(makeGlobal(val(module).s, val(name).s));
      break;
    }
    case REDUCE:
    case NEWOBJ: {
      const uint32_t args = pop(), callable = pop();
      push(instantiate(callable, args));
      break;
    }
    case NEWOBJ_EX: {
      const uint32_t kwargs = pop(), args = pop(), cls = pop();
      if (val(kwargs).kind != Kind::Dict) fail("the keyword arguments are " + g_.describe(kwargs) + ", not a dict");
      push(instantiate(cls, args));  // the keyword arguments are not kept
      break;
    }
    case OBJ: {
      std::vector<uint32_t> items = popMark();
      if (items.empty()) fail("no class after the MARK");
      const uint32_t cls = items[0];
      items.erase(items.begin());
      push(instantiate(cls, addContainer(Kind::Tuple, std::move(items))));
      break;
    }
    case INST: {
      const std::string_view module = line();
      const uint32_t cls = makeGlobal(module, line());
      push(instantiate(cls, addContainer(Kind::Tuple, popMark())));
      break;
    }
    case BUILD: {
      const uint32_t state = pop(), target = top();
      const Kind k = val(target).kind;
      if (k == Kind::Object) {
        std::vector<uint32_t>& items = val(target).items;
        if (items.size() >= 3)
          items[2] = state;
        else
          items.push_back(state);
      } else if (k != Kind::Dict && k != Kind::List) {  // an OrderedDict's attributes, a set's: dropped
        fail("cannot set the state of " + g_.describe(target));
      }
      break;
    }
    case PERSID: {
      const uint32_t pid = addString(Kind::String, std::string(line()));
      push(addContainer(Kind::PersistentId, {pid}));
      break;
    }
    case BINPERSID: {
      const uint32_t pid = pop();
      push(addContainer(Kind::PersistentId, {pid}));
      break;
    }

    case EXT1:
    case EXT2:
    case EXT4: fail("extension registry codes are not supported");
    case NEXT_BUFFER:
    case READONLY_BUFFER: fail("out-of-band buffers are not supported");
    default: {
      char code[8];
      std::snprintf(code, sizeof code, "0x%02x", op_);
      fail(std::string("unknown opcode ") + code);
    }
  }
}

PickleGraph PickleParser::run() {
  while (!stopped_) {
    if (pos_ >= in_.size()) {
      opAt_ = pos_;
      atEnd_ = true;
      fail(in_.empty() ? "the pickle is empty" : "the pickle is truncated: no STOP opcode");
    }
    step();
  }
  return std::move(g_);
}

PickleGraph parsePickle(std::string_view bytes, const std::string& what) { return PickleParser(bytes, what).run(); }

const PickleValue& PickleGraph::at(uint32_t index) const {
  if (index >= values_.size())
    throw std::runtime_error("pickle value " + std::to_string(index) + " out of range (" +
                             std::to_string(values_.size()) + " values)");
  return values_[index];
}

uint32_t PickleGraph::dictGetIndex(uint32_t dict, const std::string& key) const {
  if (dict >= values_.size() || values_[dict].kind != Kind::Dict) return npos;
  const std::vector<uint32_t>& items = values_[dict].items;
  for (size_t k = items.size() / 2; k-- > 0;) {
    const PickleValue& candidate = values_[items[2 * k]];
    if (candidate.kind == Kind::String && candidate.s == key) return items[2 * k + 1];
  }
  return npos;
}

const PickleValue* PickleGraph::dictGet(uint32_t dict, const std::string& key) const {
  const uint32_t v = dictGetIndex(dict, key);
  return v == npos ? nullptr : &values_[v];
}

std::string PickleGraph::objectClass(uint32_t index) const {
  if (index >= values_.size() || values_[index].kind != Kind::Object || values_[index].items.empty()) return "";
  const PickleValue& callable = values_[values_[index].items[0]];
  return callable.kind == Kind::Global ? callable.s : "";
}

std::string PickleGraph::describe(uint32_t index) const {
  if (index >= values_.size()) return "(no value " + std::to_string(index) + ")";
  const PickleValue& v = values_[index];
  const auto count = [&](const char* what) { return " (" + std::to_string(v.items.size()) + " " + what + ")"; };
  switch (v.kind) {
    case Kind::None: return "None";
    case Kind::Bool: return v.i ? "True" : "False";
    case Kind::Int: return "Int " + std::to_string(v.i);
    case Kind::BigInt: return "BigInt (" + std::to_string(v.s.size()) + " bytes)";
    case Kind::Float: {
      char buf[32];
      std::snprintf(buf, sizeof buf, "Float %g", v.f);
      return buf;
    }
    case Kind::String: {
      std::string text = v.s.substr(0, 40);
      for (char& c : text)
        if (static_cast<unsigned char>(c) < 0x20) c = '?';
      return "String '" + text + (v.s.size() > 40 ? "...'" : "'");
    }
    case Kind::Bytes: return "Bytes (" + std::to_string(v.s.size()) + ")";
    case Kind::List: return "List" + count("items");
    case Kind::Tuple: return "Tuple" + count("items");
    case Kind::Dict: return "Dict (" + std::to_string(v.items.size() / 2) + " pairs)";
    case Kind::Global: return "Global " + v.s;
    case Kind::Object: {
      const std::string cls = objectClass(index);
      return cls.empty() ? std::string("Object") : "Object " + cls + "(...)";
    }
    case Kind::PersistentId: return "PersistentId";
  }
  return "?";
}

}  // namespace fieldscope
