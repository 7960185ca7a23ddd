#pragma once
// The models shipped with Fieldscope (assets/models/*.fsm): the Sample panel's picker and the
// commands' default models (`upscale` without --model).
// Searched, in order: $FIELDSCOPE_DATA_DIR/models, assets/models beside the build folder of
// the running binary (build/fieldscope -> assets/models), <prefix>/share/fieldscope/models
// for an installed binary, and the source tree the binary was built from.
#include <cstdint>
#include <filesystem>
#include <vector>

namespace fieldscope {

std::vector<std::filesystem::path> modelSearchDirs();
// The *.fsm files in `dirs` (not recursive), each once (by canonical path), sorted by file name
// within a folder, earlier folders first. Missing or unreadable folders are skipped.
std::vector<std::filesystem::path> listModels(const std::vector<std::filesystem::path>& dirs);
inline std::vector<std::filesystem::path> findShippedModels() { return listModels(modelSearchDirs()); }

// The model a first start opens (no --model, no session): the shipped image model
// (emoji-image.fsm), or "" when none is found.
std::filesystem::path firstStartModel();
// The seeds a model's card features (samples that show what it can do), read from
// "<folder>/<stem>/featured_seeds.json" beside the model ({"seeds": [35, 60, ...]}); empty when
// there is no such file or it cannot be read.
std::vector<std::uint64_t> featuredSeeds(const std::filesystem::path& model);

}  // namespace fieldscope
