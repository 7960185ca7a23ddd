#pragma once
#include <memory>

#include "app/gui/field_source.h"

namespace fieldscope {
// The procedural multi-octave field (model/procedural) as a FieldSource.
std::shared_ptr<FieldSource> makeProceduralSource();
}  // namespace fieldscope
