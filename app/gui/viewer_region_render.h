#pragma once
#include "app/cli/model_commands.h"

namespace fieldscope {
// `sample --renderer viewer`: the headless viewer (tile pyramid + worker + compositor) renders
// the still view of the region until it has converged, and reads it back.
void renderRegionInViewer(const ComputeOptions& compute, const std::string& model, uint64_t seed, int steps, float eta, const double region[4], int W,
                          int H, uint8_t* rgba);
// The largest W x H it renders (the viewer's largest viewport), checked before anything is allocated.
std::pair<int, int> viewerRegionMaxSize();
}  // namespace fieldscope
