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

// spec: steps, eta, group and guidance (its seed is not read: firstSeed is).
std::shared_ptr<FieldSource> makeGridSource(std::shared_ptr<LoadedModel> model, uint64_t firstSeed, const SampleSpec& spec,
                                            GridLayout layout = {});

}  // namespace fieldscope
