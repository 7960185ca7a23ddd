#pragma once
// The super-resolution models and pictures the SR domain opens (docs/architecture.md "The
// super-resolution domain"): the shipped photo-sr.fsm (the default of `upscale` and of a photo
// opened in the viewer), an SR model loaded once and shared by every view and export of it, and
// a user's picture read upright (EXIF applied) with its planes as the model reads them.
#include <filesystem>
#include <memory>
#include <string>

#include "model/photo_data/photo_pixels.h"
#include "model/sr/photo_tensors.h"
#include "model/sr/sr_autoencoder.h"
#include "model/sr/sr_diffusion.h"

namespace fieldscope {

inline constexpr const char* kDefaultSrModel = "photo-sr.fsm";

// $FIELDSCOPE_SR_MODEL when set, else the shipped photo-sr.fsm. Throws naming where it looked when
// it is not there.
std::filesystem::path defaultSrModel();

struct LoadedSrModel {
  std::filesystem::path path;
  SrAutoencoder ae{nullptr};
  bool hasDiffusion = false;  // a conditioned diffusion stage ("ldm") is in the file
  std::shared_ptr<SrDiffusion> diffusion;  // it, loaded (null when the file has none)
  std::string describe() const { return path.filename().string(); }
};

// Throws std::runtime_error naming the file: missing, corrupt, not an SR model (the message
// names the domain it is), tensors that do not fit.
std::shared_ptr<LoadedSrModel> loadSrModel(const std::filesystem::path& path);

struct SrPicture {
  std::filesystem::path path;
  PhotoPixels pixels;
  PhotoPlanes planes;
  std::string describe() const;  // "beach.jpg 1024x768"
};

// Throws std::runtime_error naming the file (readPhotoPixels' messages).
std::shared_ptr<SrPicture> loadSrPicture(const std::filesystem::path& path);

}  // namespace fieldscope
