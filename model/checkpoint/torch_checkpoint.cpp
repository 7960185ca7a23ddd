#include "model/checkpoint/torch_checkpoint.h"

#include <torch/torch.h>

#include <map>
#include <stdexcept>

namespace fieldscope {

namespace {
const std::map<std::string, torch::ScalarType>& storageTypes() {
  static const std::map<std::string, torch::ScalarType> types = {
      {"torch.FloatStorage", torch::kFloat32},  {"torch.DoubleStorage", torch::kFloat64},
      {"torch.HalfStorage", torch::kFloat16},   {"torch.BFloat16Storage", torch::kBFloat16},
      {"torch.LongStorage", torch::kInt64},     {"torch.IntStorage", torch::kInt32},
      {"torch.ShortStorage", torch::kInt16},    {"torch.CharStorage", torch::kInt8},
      {"torch.ByteStorage", torch::kUInt8},     {"torch.BoolStorage", torch::kBool}};
  return types;
}

// LibTorch's writer (torch::pickle_save) wraps typed containers as
// torch.jit._pickle.restore_type_tag(value, "Dict[str, Tensor]"), which torch.load unwraps: so do we.
uint32_t untagged(const PickleGraph& g, uint32_t index) {
  for (int depth = 0; depth < 8 && index != PickleGraph::npos; ++depth) {
    if (g.at(index).kind != PickleValue::Kind::Object || g.objectClass(index) != "torch.jit._pickle.restore_type_tag")
      return index;
    const auto& obj = g.at(index);
    if (obj.items.size() < 2) return index;
    const auto& args = g.at(obj.items[1]);
    if (args.kind != PickleValue::Kind::Tuple || args.items.empty()) return index;
    index = args.items[0];
  }
  return index;
}
}  // namespace

std::string shapeText(c10::IntArrayRef sizes) {
  if (sizes.empty()) return "scalar";
  std::string s;
  for (size_t i = 0; i < sizes.size(); ++i) s += (i ? "x" : "") + std::to_string(sizes[i]);
  return s;
}

void TorchCheckpoint::fail(const std::string& why) const {
  throw std::runtime_error("'" + path().string() + "': " + why);
}

TorchCheckpoint TorchCheckpoint::open(const std::filesystem::path& path) {
  ZipArchive zip = ZipArchive::open(path);
  const ZipEntry* pkl = nullptr;
  for (const auto& e : zip.entries()) {
    const std::string suffix = "/data.pkl";
    if (e.name.size() > suffix.size() && e.name.compare(e.name.size() - suffix.size(), suffix.size(), suffix) == 0 &&
        e.name.find('/') == e.name.size() - suffix.size()) {
      pkl = &e;
      break;
    }
  }
  if (!pkl) throw std::runtime_error("'" + path.string() + "' is a zip archive but not a PyTorch checkpoint (no <name>/data.pkl)");
  const std::string prefix = pkl->name.substr(0, pkl->name.size() - std::string("data.pkl").size());
  if (const ZipEntry* order = zip.find(prefix + "byteorder")) {
    const std::string bo = zip.read(*order);
    if (bo != "little") throw std::runtime_error("'" + path.string() + "' holds " + bo + "-endian tensors (only little-endian files are read)");
  }
  PickleGraph graph = parsePickle(zip.read(*pkl), path.filename().string() + ":" + pkl->name);
  if (graph.at(untagged(graph, graph.root())).kind != PickleValue::Kind::Dict)
    throw std::runtime_error("'" + path.string() + "' does not hold a dictionary at the top (it holds " +
                             graph.describe(graph.root()) + ")");
  return TorchCheckpoint(std::move(zip), std::move(graph), prefix);
}

std::vector<std::string> TorchCheckpoint::entryNames() const {
  std::vector<std::string> names;
  const auto& items = graph_.at(untagged(graph_, graph_.root())).items;
  for (size_t k = 0; k + 1 < items.size(); k += 2)
    if (graph_.at(items[k]).kind == PickleValue::Kind::String) names.push_back(graph_.at(items[k]).s);
  return names;
}

bool TorchCheckpoint::hasEntry(const std::string& entry) const {
  return graph_.dictGetIndex(untagged(graph_, graph_.root()), entry) != PickleGraph::npos;
}

TorchTensorRef TorchCheckpoint::tensorRef(uint32_t object, const std::string& where) const {
  std::string cls = graph_.objectClass(object);
  if (cls == "torch._utils._rebuild_parameter") {  // (data, requires_grad, hooks): the data is the tensor
    const auto& args = graph_.at(graph_.at(object).items.at(1));
    if (args.kind != PickleValue::Kind::Tuple || args.items.empty()) fail(where + " is a malformed parameter");
    object = args.items[0];
    cls = graph_.objectClass(object);
  }
  if (cls != "torch._utils._rebuild_tensor_v2") fail(where + " is not a tensor (" + graph_.describe(object) + ")");
  const auto& obj = graph_.at(object);
  if (obj.items.size() < 2) fail(where + " is a malformed tensor");
  const auto& args = graph_.at(obj.items[1]);
  if (args.kind != PickleValue::Kind::Tuple || args.items.size() < 4) fail(where + ": malformed tensor arguments");
  const auto& pid = graph_.at(args.items[0]);
  if (pid.kind != PickleValue::Kind::PersistentId || pid.items.empty()) fail(where + ": the tensor has no storage");
  const auto& t = graph_.at(pid.items[0]);
  if (t.kind != PickleValue::Kind::Tuple || t.items.size() < 5 || graph_.at(t.items[0]).s != "storage")
    fail(where + ": unknown storage reference " + graph_.describe(pid.items[0]));
  TorchTensorRef ref;
  const auto& type = graph_.at(t.items[1]);
  auto it = storageTypes().find(type.s);
  if (type.kind != PickleValue::Kind::Global || it == storageTypes().end())
    fail(where + ": unsupported storage type " + graph_.describe(t.items[1]));
  ref.dtype = it->second;
  const auto& key = graph_.at(t.items[2]);
  const auto& numel = graph_.at(t.items[4]);
  if (key.kind != PickleValue::Kind::String || numel.kind != PickleValue::Kind::Int || numel.i < 0)
    fail(where + ": malformed storage reference");
  ref.storageKey = key.s;  // the location (t.items[3], e.g. 'cuda:0') is ignored: everything is read to the CPU
  ref.storageNumel = numel.i;
  const auto& offset = graph_.at(args.items[1]);
  if (offset.kind != PickleValue::Kind::Int || offset.i < 0) fail(where + ": malformed storage offset");
  ref.offset = offset.i;
  auto ints = [&](uint32_t idx, std::vector<int64_t>& out, const char* what) {
    const auto& tup = graph_.at(idx);
    if (tup.kind != PickleValue::Kind::Tuple || tup.items.size() > 16) fail(where + ": malformed tensor " + what);
    for (uint32_t e : tup.items) {
      const auto& v = graph_.at(e);
      if (v.kind != PickleValue::Kind::Int || v.i < 0 || v.i > (int64_t{1} << 40)) fail(where + ": malformed tensor " + what);
      out.push_back(v.i);
    }
  };
  ints(args.items[2], ref.sizes, "size");
  ints(args.items[3], ref.strides, "stride");
  if (ref.sizes.size() != ref.strides.size()) fail(where + ": the tensor's size and stride differ in length");
  int64_t extent = 1;  // the last element's index + 1
  bool empty = false;
  for (size_t d = 0; d < ref.sizes.size(); ++d) {
    if (ref.sizes[d] == 0) empty = true;
    else extent += (ref.sizes[d] - 1) * ref.strides[d];
  }
  if (!empty && ref.offset + extent > ref.storageNumel) fail(where + ": the tensor reaches past its storage");
  return ref;
}

std::vector<std::pair<std::string, TorchTensorRef>> TorchCheckpoint::stateDict(const std::string& entry) const {
  const uint32_t top = untagged(graph_, graph_.root());
  const uint32_t d = untagged(graph_, entry.empty() ? top : graph_.dictGetIndex(top, entry));
  if (d == PickleGraph::npos) fail("has no entry '" + entry + "'");
  const auto& dict = graph_.at(d);
  const std::string what = entry.empty() ? std::string("the top-level dict") : "entry '" + entry + "'";
  if (dict.kind != PickleValue::Kind::Dict) fail(what + " is not a state_dict (" + graph_.describe(d) + ")");
  std::vector<std::pair<std::string, TorchTensorRef>> out;
  std::map<std::string, size_t> seen;
  for (size_t k = 0; k + 1 < dict.items.size(); k += 2) {
    const auto& key = graph_.at(dict.items[k]);
    if (key.kind != PickleValue::Kind::String) fail(what + " has a non-text key " + graph_.describe(dict.items[k]));
    auto ref = tensorRef(dict.items[k + 1], what + " key '" + key.s + "'");
    auto [it, fresh] = seen.emplace(key.s, out.size());
    if (fresh) out.emplace_back(key.s, std::move(ref));
    else out[it->second].second = std::move(ref);  // a key set twice: the later wins, as in Python
  }
  return out;
}

torch::Tensor TorchCheckpoint::load(const TorchTensorRef& ref) const {
  const std::string name = prefix_ + "data/" + ref.storageKey;
  const ZipEntry* e = zip_.find(name);
  if (!e) fail("the record '" + name + "' is missing");
  const int64_t elem = int64_t(c10::elementSize(ref.dtype));
  if (e->size != uint64_t(ref.storageNumel * elem))
    fail("the record '" + name + "' has " + std::to_string(e->size) + " bytes, its storage needs " +
         std::to_string(ref.storageNumel * elem));
  auto storage = torch::empty({ref.storageNumel}, torch::dtype(ref.dtype));
  zip_.readRange(*e, 0, e->size, storage.data_ptr());
  if (zipCrc32(storage.data_ptr(), e->size) != e->crc32) fail("the record '" + name + "' is corrupt (CRC mismatch)");
  return storage.as_strided(ref.sizes, ref.strides, ref.offset).clone(at::MemoryFormat::Contiguous);
}

}  // namespace fieldscope
