#ifndef FIELDSCOPE_SHADER_IO_H
#define FIELDSCOPE_SHADER_IO_H
// Included by GLSL (shaders/*.comp, via GL_GOOGLE_include_directive) and by C++ (render/):
// the GLSL vector types under their GLSL names in C++, so that a uniform block is declared
// once for both (docs/architecture.md "Plumbing", after vk_gaussian_splatting's shaderio.h). Use only 16-byte
// members (vec4/ivec4/uvec4, arrays of them) in std140 blocks: then the C++ layout equals the
// std140 one with no padding rules to remember; each *_io.h static_asserts it anyway.
#ifdef __cplusplus
#include <glm/vec4.hpp>

#include <cstddef>
#include <cstdint>

namespace fieldscope::shaderio {
using vec4 = glm::vec4;
using ivec4 = glm::ivec4;
using uvec4 = glm::uvec4;
static_assert(sizeof(vec4) == 16 && sizeof(ivec4) == 16 && sizeof(uvec4) == 16, "std140 vec4 size");
}  // namespace fieldscope::shaderio
#define SHADERIO_BEGIN namespace fieldscope::shaderio {
#define SHADERIO_END }
#else
#define SHADERIO_BEGIN
#define SHADERIO_END
#endif

#endif
