// The torch-free reader of PyTorch torch.save files (model/torch_archive/): the bytes as a pickle
// (pickle_graph.h), and as a zip archive (zip_archive.h) whose every record is read, verified and
// read in part, and whose data.pkl records are parsed. Both may refuse the input with a
// std::runtime_error; what they return must be consistent (indices inside the arena, records
// inside the file, a partial read equal to the whole one).
#include <cstdlib>
#include <cstring>
#include <stdexcept>

#include "model/torch_archive/pickle_graph.h"
#include "model/torch_archive/zip_archive.h"
#include "tests/fuzz/fuzz_input.h"

namespace {

void checkGraph(const fieldscope::PickleGraph& g) {
  if (g.root() >= g.size()) std::abort();
  for (uint32_t i = 0; i < g.size(); ++i) {
    for (const uint32_t item : g.at(i).items)
      if (item >= g.size()) std::abort();
    (void)g.describe(i);
    (void)g.objectClass(i);
    (void)g.dictGet(i, "state_dict");
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace fieldscope;
  try {
    checkGraph(parsePickle(std::string_view(reinterpret_cast<const char*>(data), size), "fuzz.pkl"));
  } catch (const std::runtime_error&) {
  }
  const std::filesystem::path path = fuzz::asFile(data, size, ".pt");
  try {
    const ZipArchive zip = ZipArchive::open(path);
    for (const ZipEntry& e : zip.entries()) {
      if (e.dataOffset > size || e.size > size - e.dataOffset || zip.find(e.name) != &e) std::abort();
      char head[16];
      const uint64_t n = std::min<uint64_t>(e.size, sizeof head);
      zip.readRange(e, 0, n, head);
      try {
        zip.verify(e);
        const std::string bytes = zip.read(e);
        if (bytes.size() != e.size || std::memcmp(bytes.data(), head, n) != 0) std::abort();
        if (e.name.size() >= 8 && e.name.compare(e.name.size() - 8, 8, "data.pkl") == 0)
          checkGraph(parsePickle(bytes, e.name));
      } catch (const std::runtime_error&) {  // a CRC mismatch or a bad pickle: the next record
      }
    }
  } catch (const std::runtime_error&) {
  }
  return 0;
}
