#pragma once
// Image-model samples as viewer field sources. Loading the checkpoint happens at once (so a
// bad file is reported where the user opened it); diffusion sampling and the VAE decoder run
// on the worker thread at the first decode, and the basis fields are kept for every later
// tile and exact-view decode.
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>

#include "app/gui/field_source.h"
#include "model/diffusion/class_guidance.h"

namespace fieldscope {

class ImageModel;
struct ComputeOptions;

// What to sample: one seed, the blend of two seeds' initial noises, or a point of the seed
// plane (the bilinear blend of its four neighbouring seeds, see seed_plane.h).
struct SampleSpec {
  uint64_t seed = 0;
  int steps = 50;
  float eta = 0.f;
  bool blend = false;
  uint64_t seedB = 1;
  float t = 0.f;
  bool plane = false;  // (planeX, planeY) on the seed plane, instead of seed / blend
  double planeX = 0, planeY = 0;
  // A class-conditional model's class (kAnyClass: each seed its own; kNoClass: unguided) and
  // guidance scale (< 0: the model's default). A model without classes ignores both.
  int group = -2;  // kAnyClass
  float guidance = -1.f;
  bool operator==(const SampleSpec&) const = default;
};

// A loaded model shared by all its samples (the worker thread uses it; the UI only holds it).
struct LoadedModel {
  std::filesystem::path path;
  std::shared_ptr<ImageModel> model;
  std::string describe() const;
};

// Throws std::runtime_error naming the file and the problem (missing, not a model, corrupt,
// wrong version or domain, a model that cannot sample); nothing else changes.
// Loaded on `compute` (--device, --precision: passed down, never global).
std::shared_ptr<LoadedModel> loadImageModel(const std::filesystem::path& path, const ComputeOptions& compute);
// The guidance `spec` asks of `model` (inactive for a model without classes).
ClassGuidance classGuidanceOf(const ImageModel& model, const SampleSpec& spec);
// " - Flags, guidance 2.0" (or " - any group, ...", " - unguided"); empty for a model without classes.
std::string guidanceNote(const ImageModel& model, const SampleSpec& spec);
std::shared_ptr<FieldSource> makeSampleSource(std::shared_ptr<LoadedModel> model, const SampleSpec& spec);

}  // namespace fieldscope
