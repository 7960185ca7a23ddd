#pragma once
// The seed grid: a cols x rows mosaic of samples (seeds first .. first+cols*rows-1) shown as
// one zoomable field. Samples are made lazily, one grid row per batched diffusion run, so
// the grid fills in row by row as the worker gets to it.
#include <cstdint>
#include <memory>
#include <optional>

#include "app/gui/field_source.h"
#include "app/domains/image/model_source.h"

namespace fieldscope {

struct GridLayout {
  int cols = 4, rows = 4;
  double gap = 0.03;  // fraction of a cell left empty on each side
  // The seed offset (0 .. cols*rows-1) under field point (x, y), if on a sample.
  std::optional<int> cellAt(double x, double y) const;
};

std::shared_ptr<FieldSource> makeGridSource(std::shared_ptr<LoadedModel> model, uint64_t firstSeed, int steps,
                                            float eta, GridLayout layout = {});

}  // namespace fieldscope
