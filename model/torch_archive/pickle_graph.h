#pragma once
// A torch-free reader for Python pickles, protocols 0-5 (the data.pkl record of a torch.save zip
// file, ../shared/reference/ddmi-checkpoints.md sections 0 and 5). It builds a graph in one arena
// of values that refer to each other by index -- no recursion in parsing or destruction, shared
// and even cyclic references are fine -- and never runs anything: classes are only named.
// OrderedDict/defaultdict become Dicts, sets Lists, protocol 2's bytes (_codecs.encode(text,
// 'latin1')) Bytes, and every other instance (argparse.Namespace, omegaconf nodes, torch.Size,
// _rebuild_tensor_v2 calls, storages...) an opaque Object that keeps its class, arguments and state.
// Malformed input is a std::runtime_error naming the pickle, the byte offset and the opcode;
// memory is bounded by a small multiple of the input size.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace fieldscope {

struct PickleValue {
  enum class Kind { None, Bool, Int, BigInt, Float, String, Bytes, List, Tuple, Dict, Global, Object, PersistentId };
  Kind kind = Kind::None;
  int64_t i = 0;  // Bool (0/1), Int
  double f = 0;   // Float
  std::string s;  // String (UTF-8 as pickled), Bytes, BigInt (little-endian two's complement), Global ("module.name")
  // List/Tuple: the elements; Dict: key, value, key, value... in insertion order (a key set twice
  // appears twice; the later wins); Object: the class or callable (usually a Global), the REDUCE/
  // NEWOBJ/OBJ/INST arguments (a Tuple), then the BUILD state if any; PersistentId: the pid.
  std::vector<uint32_t> items;
};

// "None", "Bool", ... "PersistentId".
const char* pickleKindName(PickleValue::Kind kind);

class PickleGraph {
 public:
  static constexpr uint32_t npos = UINT32_MAX;

  // Throws std::runtime_error for an index outside the arena.
  const PickleValue& at(uint32_t index) const;
  // The value STOP returned.
  uint32_t root() const { return root_; }
  size_t size() const { return values_.size(); }

  // The value of string key `key` in Dict `dict` (the last one set), or nullptr / npos when
  // `dict` is not a Dict or has no such key.
  const PickleValue* dictGet(uint32_t dict, const std::string& key) const;
  uint32_t dictGetIndex(uint32_t dict, const std::string& key) const;
  // The class name of an Object ("torch._utils._rebuild_tensor_v2"), "" when it is not an
  // Object or its callable is not a Global.
  std::string objectClass(uint32_t index) const;
  // Short text for messages: "Int 7", "String 'step'", "Dict (3 pairs)", "Object torch.Size(...)".
  std::string describe(uint32_t index) const;

 private:
  friend class PickleParser;
  std::vector<PickleValue> values_;
  uint32_t root_ = 0;
};

// Parses a whole pickle. `what` names it in messages, e.g. "ldm-last.pt:ldm-last/data.pkl".
PickleGraph parsePickle(std::string_view bytes, const std::string& what);

}  // namespace fieldscope
