#pragma once
// The DDIM loop's network call replayed from a CUDA graph (docs/gpu.md "DDIM in a CUDA graph"). At
// batch 1 a UNet step is bound by kernel launches, not arithmetic (the paper preset: 8.4 ms a step
// on an H200, fp32 and fp16 alike); one graph launch replaces its few hundred launches. The same
// kernels run on the same inputs, so the sample does not change.
#include <torch/types.h>

#include <cstdint>

#include "model/diffusion/ddim.h"

namespace fieldscope {

// Whether this LibTorch can capture CUDA graphs (built with CUDA).
bool cudaGraphsCompiled();
// On by default; FIELDSCOPE_CUDA_GRAPHS=0 in the environment, or this, turns them off (A/B runs).
// A capture that fails turns them off for the rest of the process.
void setCudaGraphsEnabled(bool enabled);
bool cudaGraphsEnabled();
// Graph replays so far in this process (tests: that the graphed path really ran).
int64_t cudaGraphReplays();

// `eps` for inputs shaped like `like` on its CUDA device: the first call warms the network up and
// captures one call into a graph (on a side stream, thread-local capture), every call copies its
// inputs into the graph's own and replays it. Calls with other shapes run `eps` directly. `eps`
// must be capturable: no host synchronisation and no host-to-device copies inside. Returns `eps`
// unchanged for a CPU tensor, a LibTorch without CUDA or graphs turned off.
EpsilonFn cudaGraphEpsilon(EpsilonFn eps, const torch::Tensor& like);

}  // namespace fieldscope
