#pragma once
// A PyTorch `torch.save` file read without Python and without torch::pickle_load (which refuses the
// DDMI authors' files: storages on 'cuda:0', argparse/omegaconf objects; ../shared/reference/
// ddmi-checkpoints.md §5): the zip records and the pickle come from model/torch_archive/ (torch-free),
// and this turns the `_rebuild_tensor_v2` calls of a top-level dict's state_dicts into CPU tensors,
// read only when asked for. Everything else in the file (optimizer state, args, ...) is never read.
#include <torch/types.h>

#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include "model/torch_archive/pickle_graph.h"
#include "model/torch_archive/zip_archive.h"

namespace fieldscope {

// "256x66x1x1" ("scalar" for none): how import messages write a shape.
std::string shapeText(c10::IntArrayRef sizes);

struct TorchTensorRef {
  std::string storageKey;        // the record <prefix>/data/<key>
  torch::ScalarType dtype;
  int64_t storageNumel = 0, offset = 0;
  std::vector<int64_t> sizes, strides;
  std::string shape() const { return shapeText(sizes); }
};

class TorchCheckpoint {
 public:
  // Opens the zip and parses its pickle. Throws std::runtime_error naming the file: not a zip, no
  // data.pkl, big-endian data, a pickle that is not a dict at the top.
  static TorchCheckpoint open(const std::filesystem::path& path);

  const std::filesystem::path& path() const { return zip_.path(); }
  std::vector<std::string> entryNames() const;  // the top-level dict's string keys, in file order
  bool hasEntry(const std::string& entry) const;
  // The tensors of top-level entry `entry` (a state_dict), in file order; "" = the top-level dict
  // itself (a file that is one state_dict). Throws naming the file and the entry when it is missing
  // or is not a dict of tensors.
  std::vector<std::pair<std::string, TorchTensorRef>> stateDict(const std::string& entry) const;
  // The tensor's values, contiguous on the CPU. Its record's CRC is checked.
  torch::Tensor load(const TorchTensorRef& ref) const;

 private:
  TorchCheckpoint(ZipArchive zip, PickleGraph graph, std::string prefix)
      : zip_(std::move(zip)), graph_(std::move(graph)), prefix_(std::move(prefix)) {}
  TorchTensorRef tensorRef(uint32_t object, const std::string& where) const;
  [[noreturn]] void fail(const std::string& why) const;

  ZipArchive zip_;
  PickleGraph graph_;
  std::string prefix_;  // "ldm-last/" (the stem at save time)
};

}  // namespace fieldscope
