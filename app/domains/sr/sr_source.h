#pragma once
// A super-resolved picture as viewer field sources (docs/architecture.md "The SR view"): the
// picture is placed in the field's image square with its longer side across it, centred; the
// super-resolution side reads the SrField (model/sr/sr_field.h) -- the implicit decoder at the
// chosen size and past it -- and the compare sides read the same picture by bicubic resampling or
// as its nearest pixels. Torch-free header.
#include <memory>
#include <string>
#include <vector>

#include "app/gui/field_source.h"

namespace fieldscope {

class SrField;

enum class SrLook { Super, Bicubic, Nearest };

// Where a picture of outW x outH sits in the field's [0, 1]^2: the longer side spans [0, 1].
Region pictureRect(int64_t outW, int64_t outH);

std::shared_ptr<FieldSource> makeSrSource(std::shared_ptr<SrField> field, SrLook look, std::string name);

// The sample strip: `count` cells side by side across the field's [0, 1]^2, each holding the
// picture (outW x outH) fitted in it, centred; cell k shows fields[k] (the diffusion samples of
// the same picture). stripCell: where cell k's picture is; stripCellAt: the cell under a field
// point, or -1.
Region stripCell(int count, int64_t outW, int64_t outH, int k);
int stripCellAt(int count, int64_t outW, int64_t outH, double x, double y);
std::shared_ptr<FieldSource> makeSrStripSource(std::vector<std::shared_ptr<SrField>> fields, std::string name);

}  // namespace fieldscope
