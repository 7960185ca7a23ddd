#pragma once
// How many frames the CPU may record ahead of the GPU. Every per-frame resource (the
// presenter's command buffers, fences and semaphores; the compositor's and ray-marcher's
// uniforms, descriptor sets and outputs) is an array of this size indexed by the frame slot,
// so they must all agree: one constant.
namespace fieldscope {
inline constexpr int kFramesInFlight = 2;
}  // namespace fieldscope
