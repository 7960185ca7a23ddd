#include "app/gui/model_source.h"

#include <fstream>
#include <stdexcept>

namespace fieldscope {

std::shared_ptr<FieldSource> openModelSource(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot open '" + path.string() + "': no such file or no permission");
  throw std::runtime_error("'" + path.string() + "' cannot be opened: image models arrive with the image-model issue");
}

}  // namespace fieldscope
