#include "model/util/allocator_tuning.h"

#if defined(__GLIBC__)
#include <malloc.h>
#endif

namespace fieldscope {

void tuneAllocatorForTensors() {
#if defined(__GLIBC__)
  mallopt(M_MMAP_THRESHOLD, 32 << 20);  // the largest glibc accepts on 64-bit
  mallopt(M_TOP_PAD, 256 << 20);
  mallopt(M_TRIM_THRESHOLD, 512 << 20);
#endif
}

}  // namespace fieldscope
