// The first look at a model file (model/checkpoint/checkpoint_peek.h): magic, header and JSON
// config of a .fsm, read before LibTorch sees the file (File > Open, `info`, the domain choice).
#include <stdexcept>

#include "model/checkpoint/checkpoint_peek.h"
#include "tests/fuzz/fuzz_input.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace fieldscope;
  const std::filesystem::path path = fuzz::asFile(data, size, ".fsm");
  (void)looksLikeCheckpoint(std::string(reinterpret_cast<const char*>(data), size));
  try {
    (void)peekCheckpointConfig(path);
  } catch (const std::exception&) {
  }
  try {
    (void)checkpointDomain(path);
  } catch (const std::exception&) {
  }
  return 0;
}
