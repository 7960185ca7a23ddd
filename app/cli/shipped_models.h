#pragma once
// The models shipped with Fieldscope (assets/models/*.fsm): the Sample panel's picker and the
// commands' default models (`upscale` without --model).
// Searched, in order: $FIELDSCOPE_DATA_DIR/models, assets/models beside the build folder of
// the running binary (build/fieldscope -> assets/models), <prefix>/share/fieldscope/models
// for an installed binary, and the source tree the binary was built from.
#include <filesystem>
#include <vector>

namespace fieldscope {

std::vector<std::filesystem::path> modelSearchDirs();
// The *.fsm files in `dirs` (not recursive), each once (by canonical path), sorted by file name
// within a folder, earlier folders first. Missing or unreadable folders are skipped.
std::vector<std::filesystem::path> listModels(const std::vector<std::filesystem::path>& dirs);
inline std::vector<std::filesystem::path> findShippedModels() { return listModels(modelSearchDirs()); }

}  // namespace fieldscope
