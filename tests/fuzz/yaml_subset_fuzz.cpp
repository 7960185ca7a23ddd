// The YAML reader of training configs (model/io/yaml_subset.h; `import ddmi --config`): any text
// either parses into JSON that serialises and parses back, or is refused with a message.
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>

#include "model/io/yaml_subset.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  try {
    const nlohmann::json j = fieldscope::parseYamlSubset(text, "fuzz.yaml");
    const std::string dumped = j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    if (nlohmann::json::parse(dumped) != nlohmann::json::parse(dumped)) __builtin_trap();
  } catch (const std::runtime_error&) {
  }
  return 0;
}
