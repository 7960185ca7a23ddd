#include "app/domains/sr/cli/sr_model_file.h"

#include <cstdlib>
#include <stdexcept>

#include "app/cli/shipped_models.h"
#include "model/checkpoint/checkpoint.h"
#include "model/sr/sr_ae_io.h"

namespace fieldscope {

std::filesystem::path defaultSrModel() {
  if (const char* env = std::getenv("FIELDSCOPE_SR_MODEL"); env && *env) return env;  // checked when it is loaded
  for (const std::filesystem::path& m : findShippedModels())
    if (m.filename() == kDefaultSrModel) return m;
  throw std::runtime_error(std::string("no super-resolution model: the shipped ") + kDefaultSrModel +
                           " was not found (looked in assets/models and $FIELDSCOPE_DATA_DIR/models)");
}

std::shared_ptr<LoadedSrModel> loadSrModel(const std::filesystem::path& path) {
  const Checkpoint ckpt = loadCheckpoint(path, "sr");
  auto m = std::make_shared<LoadedSrModel>();
  m->path = path;
  m->ae = restoreSrAutoencoder(ckpt);
  m->ae->eval();
  m->hasDiffusion = hasSrDiffusion(ckpt);
  if (m->hasDiffusion) m->diffusion = std::make_shared<SrDiffusion>(restoreSrDiffusion(ckpt));
  return m;
}

std::string SrPicture::describe() const {
  return path.filename().string() + " " + std::to_string(pixels.width) + "x" + std::to_string(pixels.height);
}

std::shared_ptr<SrPicture> loadSrPicture(const std::filesystem::path& path) {
  auto p = std::make_shared<SrPicture>();
  p->path = path;
  p->pixels = readPhotoPixels(path);
  p->planes = photoPlanes(p->pixels);
  return p;
}

}  // namespace fieldscope
