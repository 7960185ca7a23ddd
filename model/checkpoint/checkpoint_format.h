#pragma once
// The constants of the checkpoint file layout (checkpoint.h describes it). Torch-free.
#include <cstdint>

namespace fieldscope {
inline constexpr char kCheckpointMagic[8] = {'F', 'S', 'C', 'K', 'P', 'T', '\r', '\n'};
inline constexpr uint32_t kCheckpointFormatVersion = 1;
}  // namespace fieldscope
