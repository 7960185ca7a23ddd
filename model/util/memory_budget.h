#pragma once
// Will a job fit in memory? Estimated before the work starts, refused with the numbers when it
// will not (docs/architecture.md "The shape domain": a 1024^3 grid is 4 GiB of floats).
#include <cstdint>
#include <string>

namespace fieldscope {

// The least of: MemAvailable (/proc/meminfo); what a cgroup v2 memory.max still allows (a
// container); what an address-space limit (ulimit -v, prlimit --as) leaves this process; and
// FIELDSCOPE_MEMORY_LIMIT (bytes, tests set it). 0 when none can be read.
uint64_t availableMemoryBytes();

// Bytes of an n^3 float32 grid (the viewer's bake, `sample -o view.png`).
inline uint64_t denseGridBytes(int64_t n) { return 4ull * uint64_t(n) * uint64_t(n) * uint64_t(n); }
// A marching-cubes mesh of an n^3 field, built plane by plane: a few planes, the edge-vertex maps
// and the mesh itself, for a busy surface of ~12 n^2 triangles (a sphere filling the box has ~5 n^2).
inline uint64_t planeMeshBytes(int64_t n) { return uint64_t(n) * uint64_t(n) * (16 * 4 + 12 * 40); }

// "1.5 GiB" / "640 MiB".
std::string formatBytes(uint64_t bytes);

// Throws std::runtime_error "WHAT needs about X, but only Y of memory is available" when
// `needed` exceeds 80% of what is available (nothing when that is unknown).
void refuseBeyondMemory(uint64_t needed, const std::string& what);

}  // namespace fieldscope
