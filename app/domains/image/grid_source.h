#pragma once
// The seed grid: a cols x rows mosaic of samples (seeds first .. first+cols*rows-1) shown as
// one zoomable field. Samples are made lazily, one grid row per batched diffusion run, so
// the grid fills in row by row as the worker gets to it.
#include <cstdint>
#include <memory>

#include "app/gui/field_source.h"
#include "app/gui/grid_layout.h"
#include "app/domains/image/model_source.h"

namespace fieldscope {

std::shared_ptr<FieldSource> makeGridSource(std::shared_ptr<LoadedModel> model, uint64_t firstSeed, int steps,
                                            float eta, GridLayout layout = {});

}  // namespace fieldscope
