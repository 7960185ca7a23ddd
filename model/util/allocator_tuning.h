#pragma once
// glibc's allocator hands every block over 128 KB to its own mmap() and gives it back with
// munmap() when freed, and trims the heap top as soon as 128 KB are free; torch allocates and
// frees tensors of a few MB at every step, so each one costs fresh zeroed pages (page faults,
// system time). Raising the mmap threshold to 32 MB and keeping 256 MB of heap padding makes
// them reuse heap memory instead: `train sr-ae` ran 2.0 it/s instead of 1.0 it/s on the 2-core
// machine (docs/architecture.md "Performance facts"). Called once at the start of main().
namespace fieldscope {
void tuneAllocatorForTensors();
}  // namespace fieldscope
