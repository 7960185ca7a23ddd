#pragma once
// Opening a model file as a viewer field source.
#include <filesystem>
#include <memory>

#include "app/gui/field_source.h"

namespace fieldscope {
// Throws std::runtime_error naming the file and the problem (missing, not a model, corrupt,
// wrong domain); the caller keeps its current source.
std::shared_ptr<FieldSource> openModelSource(const std::filesystem::path& path);
}  // namespace fieldscope
