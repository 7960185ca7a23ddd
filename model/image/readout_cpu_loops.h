#pragma once
// The CPU fp32 readout's elementwise steps as plain loops over the chunk's own buffers
// (region_decoder.cpp; docs/architecture.md "Performance facts"). Each torch op costs a dispatch
// and a pass over the chunk; these take none of the first and fuse the second where two steps meet
// (the activation and the block's skip; the last layer's colour and its uint8 pixels). Every loop
// computes what the torch ops it replaces compute, in the same order: the activation, skip, scaling
// and pixels bit for bit; the lerp as torch's baseline kernel rounds it (torch's AVX2 kernel fuses
// its multiply-add: within an ulp of that).
#define FIELDSCOPE_READOUT_NS readout_cpu
#include "model/image/readout_cpu_loops_decls.h"
#undef FIELDSCOPE_READOUT_NS
