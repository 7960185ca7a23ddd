// The torch-free reader of torch.save files (model/torch_archive/): pickles written by hand
// (containers, memo, OrderedDict, opaque objects, big ints), malformed pickles refused with the
// byte offset and opcode, and zip archives built here byte by byte (stored records, a comment,
// ZIP64) read and CRC-checked; corrupt and truncated archives refused with a message naming the
// file and the record. Cross-checked against real torch.save files while writing (see the
// fuzz corpus tests/fuzz/corpus/torch_archive/).
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <functional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "model/torch_archive/pickle_graph.h"
#include "model/torch_archive/zip_archive.h"

namespace fieldscope {
namespace {

using namespace std::string_literals;
using Kind = PickleValue::Kind;

struct TaTempDir {
  std::filesystem::path path;
  explicit TaTempDir(const std::string& tag)
      : path(std::filesystem::temp_directory_path() / ("fieldscope-" + tag + "-" + std::to_string(getpid()))) {
    std::filesystem::remove_all(path);
    std::filesystem::create_directories(path);
  }
  ~TaTempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path, ec);
  }
};

void taWrite(const std::filesystem::path& p, const std::string& bytes) {
  std::ofstream(p, std::ios::binary).write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

std::string taMessage(const std::function<void()>& f) {
  try {
    f();
  } catch (const std::runtime_error& e) {
    return e.what();
  }
  return "(no error)";
}

// Little-endian fields.
void taPut(std::string& out, uint64_t v, int bytes) {
  for (int k = 0; k < bytes; ++k) out += static_cast<char>(k < 8 ? (v >> (8 * k)) & 0xFF : 0);
}

// A zip archive of stored records, as torch.save's writer lays it out (optionally all ZIP64:
// saturated sizes and offsets with 0x0001 extra fields, a ZIP64 end record and locator).
std::string taZip(const std::vector<std::pair<std::string, std::string>>& records, bool zip64 = false,
                  const std::string& comment = "") {
  std::string out, cd;
  for (const auto& [name, data] : records) {
    const uint64_t offset = out.size();
    const uint32_t crc = zipCrc32(data.data(), data.size());
    taPut(out, 0x04034b50, 4);
    taPut(out, zip64 ? 45 : 20, 2);
    taPut(out, 0, 2 + 2 + 2 + 2);  // flags, method 0, time, date
    taPut(out, crc, 4);
    taPut(out, zip64 ? 0xFFFFFFFF : data.size(), 4);
    taPut(out, zip64 ? 0xFFFFFFFF : data.size(), 4);
    taPut(out, name.size(), 2);
    taPut(out, zip64 ? 20 : 0, 2);
    out += name;
    if (zip64) {
      taPut(out, 0x0001, 2);
      taPut(out, 16, 2);
      taPut(out, data.size(), 8);
      taPut(out, data.size(), 8);
    }
    out += data;
    taPut(cd, 0x02014b50, 4);
    taPut(cd, zip64 ? 45 : 20, 2);
    taPut(cd, zip64 ? 45 : 20, 2);
    taPut(cd, 0, 2 + 2 + 2 + 2);
    taPut(cd, crc, 4);
    taPut(cd, zip64 ? 0xFFFFFFFF : data.size(), 4);
    taPut(cd, zip64 ? 0xFFFFFFFF : data.size(), 4);
    taPut(cd, name.size(), 2);
    taPut(cd, zip64 ? 28 : 0, 2);
    taPut(cd, 0, 2 + 2 + 2 + 4);  // comment length, disk, internal and external attributes
    taPut(cd, zip64 ? 0xFFFFFFFF : offset, 4);
    cd += name;
    if (zip64) {
      taPut(cd, 0x0001, 2);
      taPut(cd, 24, 2);
      taPut(cd, data.size(), 8);
      taPut(cd, data.size(), 8);
      taPut(cd, offset, 8);
    }
  }
  const uint64_t cdOffset = out.size();
  out += cd;
  if (zip64) {
    const uint64_t endOffset = out.size();
    taPut(out, 0x06064b50, 4);
    taPut(out, 44, 8);
    taPut(out, 45, 2);
    taPut(out, 45, 2);
    taPut(out, 0, 4 + 4);
    taPut(out, records.size(), 8);
    taPut(out, records.size(), 8);
    taPut(out, cd.size(), 8);
    taPut(out, cdOffset, 8);
    taPut(out, 0x07064b50, 4);
    taPut(out, 0, 4);
    taPut(out, endOffset, 8);
    taPut(out, 1, 4);
  }
  taPut(out, 0x06054b50, 4);
  taPut(out, 0, 2 + 2);
  taPut(out, zip64 ? 0xFFFF : records.size(), 2);
  taPut(out, zip64 ? 0xFFFF : records.size(), 2);
  taPut(out, zip64 ? 0xFFFFFFFF : cd.size(), 4);
  taPut(out, zip64 ? 0xFFFFFFFF : cdOffset, 4);
  taPut(out, comment.size(), 2);
  return out + comment;
}

// {'a': [1, 2], 'b': (1, 2), 'c': OrderedDict(d=<b again>), 'e': <a again>, 'f': -1.5, 'g': None}
// at protocol 2, with BINPUT/BINGET for the shared values.
const std::string kTaPickle =
    "\x80\x02}q\x00("s  // PROTO 2, EMPTY_DICT, BINPUT 0, MARK
    "X\x01\x00\x00\x00"
    "a]q\x01(K\x01K\x02"
    "e"s  // 'a': [1, 2] (BINPUT 1, APPENDS)
    "X\x01\x00\x00\x00"
    "bK\x01K\x02\x86q\x02"s  // 'b': TUPLE2 (BINPUT 2)
    "X\x01\x00\x00\x00"
    "cccollections\nOrderedDict\nq\x03)Rq\x04"s  // 'c': OrderedDict() by REDUCE
    "X\x01\x00\x00\x00"
    "dh\x02s"s  // ... SETITEM 'd' = BINGET 2
    "X\x01\x00\x00\x00"
    "eh\x01"s  // 'e': BINGET 1
    "X\x01\x00\x00\x00"
    "fG\xbf\xf8\x00\x00\x00\x00\x00\x00"s  // 'f': BINFLOAT -1.5
    "X\x01\x00\x00\x00"
    "gNu."s;  // 'g': None, SETITEMS, STOP

TEST(TorchArchive, PickleDictWithNestedContainersAndMemo) {
  const PickleGraph g = parsePickle(kTaPickle, "test.pkl");
  const uint32_t root = g.root();
  ASSERT_EQ(g.at(root).kind, Kind::Dict);
  EXPECT_EQ(g.at(root).items.size(), 12u);
  const uint32_t a = g.dictGetIndex(root, "a");
  ASSERT_NE(a, PickleGraph::npos);
  ASSERT_EQ(g.at(a).kind, Kind::List);
  ASSERT_EQ(g.at(a).items.size(), 2u);
  EXPECT_EQ(g.at(g.at(a).items[0]).kind, Kind::Int);
  EXPECT_EQ(g.at(g.at(a).items[0]).i, 1);
  EXPECT_EQ(g.at(g.at(a).items[1]).i, 2);
  const uint32_t b = g.dictGetIndex(root, "b");
  ASSERT_EQ(g.at(b).kind, Kind::Tuple);
  EXPECT_EQ(g.at(b).items.size(), 2u);
  const PickleValue* c = g.dictGet(root, "c");
  ASSERT_NE(c, nullptr);
  EXPECT_EQ(c->kind, Kind::Dict);                                // an OrderedDict is a Dict
  EXPECT_EQ(g.dictGetIndex(g.dictGetIndex(root, "c"), "d"), b);  // memo: the same value, not a copy
  EXPECT_EQ(g.dictGetIndex(root, "e"), a);
  EXPECT_EQ(g.dictGet(root, "f")->f, -1.5);
  EXPECT_EQ(g.dictGet(root, "g")->kind, Kind::None);
  EXPECT_EQ(g.dictGet(root, "nope"), nullptr);
  EXPECT_EQ(g.dictGet(a, "a"), nullptr);  // not a dict
  EXPECT_EQ(g.describe(root), "Dict (6 pairs)");
  EXPECT_EQ(g.describe(g.dictGetIndex(g.dictGetIndex(root, "c"), "d")), "Tuple (2 items)");
  EXPECT_THROW(g.at(static_cast<uint32_t>(g.size())), std::runtime_error);
}

TEST(TorchArchive, PickleOpaqueObjectsIntsAndSets) {
  // [Namespace() with SETITEM and BUILD (kept as state), LONG1 2**70, LONG1 -2, EMPTY_SET + ADDITEMS,
  //  defaultdict(list) + SETITEM, STACK_GLOBAL torch.Size((2, 3),), PERSID, MEMOIZE/GET]
  const std::string bytes =
      "\x80\x04]("s
      "cargparse\nNamespace\n)\x81"s  // NEWOBJ Namespace()
      "X\x01\x00\x00\x00"
      "aK\x01s"s  // SETITEM on an Object: ignored
      "}X\x01\x00\x00\x00"
      "bK\x02sb"s                                                         // BUILD {'b': 2}
      "\x8a\x09\x00\x00\x00\x00\x00\x00\x00\x00\x40"s                     // LONG1 2**70
      "\x8a\x01\xfe"s                                                     // LONG1 -2
      "\x8f(K\x07K\x08\x90"s                                              // EMPTY_SET, ADDITEMS 7 8
      "ccollections\ndefaultdict\nc__builtin__\nlist\n\x85RK\x01K\x02s"s  // defaultdict(list) {1: 2}
      "\x8c\x05torch\x94\x8c\x04Size\x93K\x02K\x03\x86\x85R"s             // torch.Size((2, 3))
      "Pcuda:0\n"s                                                        // PERSID
      "g0\n"s                                                             // GET 0 (the MEMOIZE'd 'torch')
      "e."s;
  const PickleGraph g = parsePickle(bytes, "objects.pkl");
  const PickleValue& list = g.at(g.root());
  ASSERT_EQ(list.kind, Kind::List);
  ASSERT_EQ(list.items.size(), 8u);
  const PickleValue& ns = g.at(list.items[0]);
  ASSERT_EQ(ns.kind, Kind::Object);
  EXPECT_EQ(g.objectClass(list.items[0]), "argparse.Namespace");
  ASSERT_EQ(ns.items.size(), 3u);  // class, args, state
  EXPECT_EQ(g.at(ns.items[1]).kind, Kind::Tuple);
  EXPECT_EQ(g.dictGet(ns.items[2], "b")->i, 2);
  EXPECT_EQ(g.at(list.items[1]).kind, Kind::BigInt);
  EXPECT_EQ(g.at(list.items[1]).s, "\x00\x00\x00\x00\x00\x00\x00\x00\x40"s);
  EXPECT_EQ(g.at(list.items[2]).kind, Kind::Int);
  EXPECT_EQ(g.at(list.items[2]).i, -2);
  EXPECT_EQ(g.at(list.items[3]).kind, Kind::List);
  EXPECT_EQ(g.at(list.items[3]).items.size(), 2u);
  ASSERT_EQ(g.at(list.items[4]).kind, Kind::Dict);
  EXPECT_EQ(g.at(list.items[4]).items.size(), 2u);
  EXPECT_EQ(g.objectClass(list.items[5]), "torch.Size");
  EXPECT_EQ(g.describe(list.items[5]), "Object torch.Size(...)");
  ASSERT_EQ(g.at(list.items[6]).kind, Kind::PersistentId);
  EXPECT_EQ(g.at(g.at(list.items[6]).items[0]).s, "cuda:0");
  EXPECT_EQ(g.at(list.items[7]).s, "torch");
}

TEST(TorchArchive, PickleProtocolZeroText) {
  const std::string bytes = "(lp0\nI7\naI-12345678901234567890\naL5L\naF2.5\naS'a\\'b\\n'\naVh\\u00e9\naI01\na."s;
  const PickleGraph g = parsePickle(bytes, "p0.pkl");
  const PickleValue& list = g.at(g.root());
  ASSERT_EQ(list.items.size(), 7u);
  EXPECT_EQ(g.at(list.items[0]).i, 7);
  EXPECT_EQ(g.at(list.items[1]).kind, Kind::BigInt);
  EXPECT_EQ(g.at(list.items[2]).i, 5);
  EXPECT_EQ(g.at(list.items[3]).f, 2.5);
  EXPECT_EQ(g.at(list.items[4]).s, "a'b\n");
  EXPECT_EQ(g.at(list.items[5]).s, "h\xc3\xa9");
  EXPECT_EQ(g.at(list.items[6]).kind, Kind::Bool);
}

TEST(TorchArchive, TruncatedPickleNamesTheOffset) {
  // Cut inside the second key's BINUNICODE argument (the opcode is at byte 21).
  const std::string cut = kTaPickle.substr(0, 26);
  const std::string m = taMessage([&] { parsePickle(cut, "ldm-last.pt:ldm-last/data.pkl"); });
  EXPECT_NE(m.find("ldm-last.pt:ldm-last/data.pkl: "), std::string::npos) << m;
  EXPECT_NE(m.find("truncated"), std::string::npos) << m;
  EXPECT_NE(m.find("BINUNICODE"), std::string::npos) << m;
  EXPECT_NE(m.find("byte 21"), std::string::npos) << m;
  for (size_t n = 0; n < kTaPickle.size(); ++n)  // every shorter prefix is refused
    EXPECT_THROW(parsePickle(kTaPickle.substr(0, n), "prefix.pkl"), std::runtime_error) << n;
}

TEST(TorchArchive, MalformedPicklesAreRefusedWithOpcodeAndOffset) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"\x80\x02\xff."s, "unknown opcode 0xff (at byte 2)"},
      {"\x80\x02N"s, "no STOP opcode (at the end of the data, byte 3)"},
      {""s, "the pickle is empty"},
      {"\x80\x02."s, "stack underflow (opcode STOP 0x2e at byte 2)"},
      {"\x80\x02(."s, "stack underflow (opcode STOP 0x2e at byte 3)"},
      {"\x80\x02K\x01l."s, "no MARK before it (opcode LIST 0x6c at byte 4)"},
      {"\x80\x02h\x05."s, "memo id 5 was never stored (opcode BINGET 0x68 at byte 2)"},
      {"\x80\x02K\x01K\x02K\x03s."s, "cannot set items on Int 1 (opcode SETITEM 0x73 at byte 8)"},
      {"\x80\x02K\x01K\x02"
       "a."s,
       "cannot append to Int 1 (opcode APPEND 0x61 at byte 6)"},
      {"\x80\x02(K\x01K\x02K\x03"
       "d."s,
       "an odd number of keys and values (opcode DICT 0x64 at byte 9)"},
      {"\x80\x02\x82\x01."s, "not supported (opcode EXT1 0x82 at byte 2)"},
      {"\x80\x09."s, "unsupported pickle protocol 9 (opcode PROTO 0x80 at byte 0)"},
      {"\x80\x02X\xff\xff\xff\xff."s, "1 left (opcode BINUNICODE 0x58 at byte 2)"},
      {"\x80\x02K\x01K\x02R."s, "the arguments are Int 2, not a tuple (opcode REDUCE 0x52 at byte 6)"},
      {"\x80\x02K\x01"
       "b."s,
       "stack underflow (opcode BUILD 0x62 at byte 4)"},
      {"I12x\n."s, "bad integer literal (not a decimal digit) (opcode INT 0x49 at byte 0)"},
  };
  for (const auto& [input, expected] : cases) {
    const std::string& bytes = input;  // (a lambda cannot capture a structured binding in C++17)
    const std::string m = taMessage([&] { parsePickle(bytes, "bad.pkl"); });
    EXPECT_EQ(m.rfind("bad.pkl: ", 0), 0u) << m;
    EXPECT_NE(m.find(expected), std::string::npos) << m << "\n  expected: " << expected;
  }
}

TEST(TorchArchive, Crc32) {
  EXPECT_EQ(zipCrc32("123456789", 9), 0xCBF43926u);
  EXPECT_EQ(zipCrc32("", 0), 0u);
  const std::string long_text(1000, 'x');
  EXPECT_EQ(zipCrc32(long_text.data() + 500, 500, zipCrc32(long_text.data(), 500)), zipCrc32(long_text.data(), 1000));
}

TEST(TorchArchive, ZipRecordsAreListedReadAndVerified) {
  TaTempDir dir("torch-archive");
  const std::string payload = std::string("\x00\x01\x02\xff", 4) + std::string(3000, 'w');
  for (const bool zip64 : {false, true}) {
    const auto path = dir.path / (zip64 ? "zip64.pt" : "model-last.pt");
    taWrite(path,
            taZip({{"model-last/data.pkl", kTaPickle}, {"model-last/data/0", payload}, {"model-last/version", "3\n"}},
                  zip64, zip64 ? "" : "a comment"));
    const ZipArchive zip = ZipArchive::open(path);
    EXPECT_EQ(zip.path(), path);
    ASSERT_EQ(zip.entries().size(), 3u);
    EXPECT_EQ(zip.entries()[1].name, "model-last/data/0");
    EXPECT_EQ(zip.entries()[1].size, payload.size());
    EXPECT_EQ(zip.find("nope"), nullptr);
    const ZipEntry* pkl = zip.find("model-last/data.pkl");
    ASSERT_NE(pkl, nullptr);
    EXPECT_EQ(zip.read(*pkl), kTaPickle);
    EXPECT_EQ(parsePickle(zip.read(*pkl), "model-last.pt:model-last/data.pkl").at(0).kind, Kind::Dict);
    const ZipEntry& data = *zip.find("model-last/data/0");
    EXPECT_EQ(zip.read(data), payload);
    zip.verify(data);
    char part[4];
    zip.readRange(data, 2, 4, part);
    EXPECT_EQ(std::string(part, 4), payload.substr(2, 4));
    const std::string m = taMessage([&] { zip.readRange(data, payload.size() - 2, 4, part); });
    EXPECT_NE(m.find("lie outside its 3004 bytes"), std::string::npos) << m;
    EXPECT_EQ(zip.read(*zip.find("model-last/version")), "3\n");
  }
}

TEST(TorchArchive, ZipWithAFlippedDataByteFailsItsCrc) {
  TaTempDir dir("torch-archive");
  std::string bytes = taZip({{"a/data.pkl", kTaPickle}, {"a/data/0", std::string(100, 'q')}});
  const size_t at = bytes.find(std::string(100, 'q'));
  bytes[at + 50] = 'r';
  const auto path = dir.path / "flipped.pt";
  taWrite(path, bytes);
  const ZipArchive zip = ZipArchive::open(path);
  EXPECT_EQ(zip.read(*zip.find("a/data.pkl")), kTaPickle);  // the other record is fine
  for (const bool stream : {false, true}) {
    const std::string m = taMessage([&] {
      if (stream)
        zip.verify(*zip.find("a/data/0"));
      else
        zip.read(*zip.find("a/data/0"));
    });
    EXPECT_NE(m.find("flipped.pt"), std::string::npos) << m;
    EXPECT_NE(m.find("record 'a/data/0': CRC mismatch"), std::string::npos) << m;
  }
}

TEST(TorchArchive, TruncatedOrCorruptZipIsRefusedClearly) {
  TaTempDir dir("torch-archive");
  const std::string whole = taZip({{"a/data.pkl", kTaPickle}, {"a/data/0", std::string(100, 'q')}});
  const auto path = dir.path / "cut.pt";
  for (size_t n = 0; n < whole.size(); n += 7) {  // every cut is refused with the file's name
    taWrite(path, whole.substr(0, n));
    const std::string m = taMessage([&] { ZipArchive::open(path); });
    EXPECT_NE(m.find("cut.pt"), std::string::npos) << n << ": " << m;
  }
  taWrite(path, whole.substr(0, whole.size() / 2));
  EXPECT_NE(taMessage([&] { ZipArchive::open(path); }).find("without its end-of-central-directory record: truncated?"),
            std::string::npos);
  taWrite(path, "");
  EXPECT_NE(taMessage([&] { ZipArchive::open(path); }).find("the file is empty"), std::string::npos);
  taWrite(path, "\x80\x02}q\x00."s);
  EXPECT_NE(taMessage([&] { ZipArchive::open(path); }).find("legacy torch.save"), std::string::npos);
  EXPECT_NE(taMessage([&] { ZipArchive::open(dir.path / "missing.pt"); }).find("cannot open"), std::string::npos);
  EXPECT_NE(taMessage([&] { ZipArchive::open(dir.path); }).find("is a folder"), std::string::npos);

  // The records' data cut off but the directory kept: the archive's end moved onto the data.
  std::string cut = whole;
  cut.erase(cut.find(std::string(100, 'q')), 60);
  taWrite(path, cut);
  EXPECT_NE(taMessage([&] { ZipArchive::open(path); }).find("outside the file"), std::string::npos);

  // A compressed record is named.
  std::string deflated = whole;
  const size_t cdAt = deflated.find("PK\x01\x02"s);
  deflated[cdAt + 10] = 8;
  taWrite(path, deflated);
  const std::string m = taMessage([&] { ZipArchive::open(path); });
  EXPECT_NE(m.find("record 'a/data.pkl': compressed (method 8)"), std::string::npos) << m;
}

#ifdef FIELDSCOPE_SOURCE_DIR
// A real torch.save file (torch 1.13, storages tagged 'cuda:0' as in the DDMI authors' files): the
// fuzz seed tests/fuzz/corpus/torch_archive/ldm-last-small.pt = {'args': Namespace(a=1, b=[1, 2]),
// 'step': 7, 'model': OrderedDict(w=randn(2, 2), b=zeros(2)), 'sn': {'sr_v': {Size([2, 2]): ones(1, 2)}}, ...}.
TEST(TorchArchive, ReadsARealTorchSaveFile) {
  const ZipArchive zip = ZipArchive::open(std::filesystem::path(FIELDSCOPE_SOURCE_DIR) /
                                          "tests/fuzz/corpus/torch_archive/ldm-last-small.pt");
  const ZipEntry* pkl = zip.find("ldm-last/data.pkl");
  ASSERT_NE(pkl, nullptr);
  for (const ZipEntry& e : zip.entries()) zip.verify(e);
  const PickleGraph g = parsePickle(zip.read(*pkl), "ldm-last-small.pt:ldm-last/data.pkl");
  const uint32_t root = g.root();
  EXPECT_EQ(g.dictGet(root, "step")->i, 7);
  EXPECT_EQ(g.objectClass(g.dictGetIndex(root, "args")), "argparse.Namespace");
  const uint32_t model = g.dictGetIndex(root, "model");
  ASSERT_EQ(g.at(model).kind, Kind::Dict);
  const uint32_t b = g.dictGetIndex(model, "b");
  ASSERT_EQ(g.objectClass(b), "torch._utils._rebuild_tensor_v2");
  const PickleValue& args = g.at(g.at(b).items[1]);  // (storage, offset, size, stride, requires_grad, hooks)
  ASSERT_EQ(args.items.size(), 6u);
  const PickleValue& pid = g.at(g.at(args.items[0]).items[0]);  // ('storage', FloatStorage, key, location, numel)
  ASSERT_EQ(pid.items.size(), 5u);
  EXPECT_EQ(g.at(pid.items[0]).s, "storage");
  EXPECT_EQ(g.at(pid.items[1]).s, "torch.FloatStorage");
  EXPECT_EQ(g.at(pid.items[3]).s, "cuda:0");
  EXPECT_EQ(g.at(pid.items[4]).i, 2);
  EXPECT_EQ(g.at(g.at(args.items[2]).items[0]).i, 2);
  const ZipEntry* data = zip.find("ldm-last/data/" + g.at(pid.items[2]).s);
  ASSERT_NE(data, nullptr);
  EXPECT_EQ(zip.read(*data), std::string(8, '\0'));  // zeros(2)
  const uint32_t sn = g.dictGetIndex(g.dictGetIndex(root, "sn"), "sr_v");
  ASSERT_EQ(g.at(sn).items.size(), 2u);
  EXPECT_EQ(g.objectClass(g.at(sn).items[0]), "torch.Size");
}
#endif

}  // namespace
}  // namespace fieldscope
