#pragma once
// The video seed grid (docs/architecture.md "The video domain"): cols x rows clips (seeds
// first .. first + cols*rows - 1) as one zoomable field with a time index, so every thumbnail
// plays with the timeline. Clips are sampled lazily, one grid row per batched diffusion run on
// the worker, and their basis fields kept; each tile decodes every clip it meets at its time.
#include <cstdint>
#include <memory>

#include "app/domains/video/video_source.h"
#include "app/gui/grid_layout.h"

namespace fieldscope {

std::shared_ptr<FieldSource> makeVideoGridSource(std::shared_ptr<LoadedVideoModel> model, uint64_t firstSeed, int steps,
                                                 GridLayout layout);

}  // namespace fieldscope
