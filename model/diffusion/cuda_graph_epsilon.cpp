#include "model/diffusion/cuda_graph_epsilon.h"

#include <torch/torch.h>
#include <torch/version.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>

#if FIELDSCOPE_TORCH_CUDA
#include <ATen/cuda/CUDAGraph.h>
#include <c10/cuda/CUDAGuard.h>
#include <c10/cuda/CUDAStream.h>
#include <torch/cuda.h>
#endif

namespace fieldscope {
namespace {

std::atomic<int>& enabledFlag() {  // -1: not decided yet (read the environment)
  static std::atomic<int> flag{-1};
  return flag;
}

std::atomic<bool> captureFailed{false};  // once a capture failed, this process stays eager
std::atomic<int64_t> replays{0};

}  // namespace

bool cudaGraphsCompiled() { return FIELDSCOPE_TORCH_CUDA != 0; }

int64_t cudaGraphReplays() { return replays.load(); }

void setCudaGraphsEnabled(bool enabled) { enabledFlag() = enabled ? 1 : 0; }

bool cudaGraphsEnabled() {
  int f = enabledFlag();
  if (f < 0) {
    const char* env = std::getenv("FIELDSCOPE_CUDA_GRAPHS");
    f = env && std::strcmp(env, "0") == 0 ? 0 : 1;
    enabledFlag() = f;
  }
  return f == 1 && cudaGraphsCompiled() && !captureFailed.load();
}

#if FIELDSCOPE_TORCH_CUDA

namespace {

struct GraphedCall {
  EpsilonFn eps;
  torch::Tensor x, t, s, out;  // the graph's own inputs and output (declared before the graph: freed after it)
  std::unique_ptr<at::cuda::CUDAGraph> graph;

  bool fits(const torch::Tensor& x2, const torch::Tensor& t2, const torch::Tensor& s2) const {
    return x2.sizes() == x.sizes() && x2.scalar_type() == x.scalar_type() && x2.device() == x.device() &&
           t2.sizes() == t.sizes() && t2.scalar_type() == t.scalar_type() && s2.sizes() == s.sizes() &&
           s2.scalar_type() == s.scalar_type();
  }

  void capture() {
    const c10::DeviceIndex index = x.device().index();
    c10::cuda::CUDAGuard device(index);
    torch::cuda::synchronize(index);  // the inputs are written; the side stream starts after them
    c10::cuda::CUDAStream side = c10::cuda::getStreamFromPool(false, index);
    {
      c10::cuda::CUDAStreamGuard onSide(side);
      out = eps(x, t, s);  // warm-up: cuDNN/cuBLAS choices and workspaces, outside the capture
      side.synchronize();
      auto g = std::make_unique<at::cuda::CUDAGraph>();
#if TORCH_VERSION_MAJOR > 2 || (TORCH_VERSION_MAJOR == 2 && TORCH_VERSION_MINOR >= 1)
      g->capture_begin({0, 0}, cudaStreamCaptureModeThreadLocal);  // other threads' CUDA calls stay legal
#else
      g->capture_begin();
#endif
      try {
        out = eps(x, t, s);
      } catch (...) {
        // A call that cannot be captured (a host read inside): end the capture, run eagerly, and
        // never capture again in this process. Known limit: LibTorch's capture_end() throws on an
        // invalidated capture before it returns the graph's memory pool to the caching
        // allocator, which then stays in its capture bookkeeping (memory of that pool is not
        // reused). The project's own networks capture cleanly (GPU test
        // ShippedOnCuda.GraphedSampleEqualsTheEagerSample); FIELDSCOPE_CUDA_GRAPHS=0 avoids it.
        captureFailed = true;
        try {
          g->capture_end();
        } catch (...) {
        }
        throw;
      }
      g->capture_end();
      graph = std::move(g);
    }
    torch::cuda::synchronize(index);
  }
};

}  // namespace

EpsilonFn cudaGraphEpsilon(EpsilonFn eps, const torch::Tensor& like) {
  if (!like.defined() || !like.is_cuda() || !cudaGraphsEnabled()) return eps;
  auto call = std::make_shared<GraphedCall>();
  call->eps = std::move(eps);
  return [call](const torch::Tensor& x, const torch::Tensor& t, const torch::Tensor& s) -> torch::Tensor {
    if (captureFailed || !x.is_cuda()) return call->eps(x, t, s);
    if (!call->graph) {
      call->x = x.clone();
      call->t = t.clone();
      call->s = s.clone();
      try {
        call->capture();
      } catch (const std::exception& e) {
        captureFailed = true;
        std::fprintf(stderr, "fieldscope: the diffusion step could not be captured in a CUDA graph; running it eagerly (%s)\n",
                     e.what());
        torch::cuda::synchronize(x.device().index());
        return call->eps(x, t, s);
      }
    } else if (!call->fits(x, t, s)) {
      return call->eps(x, t, s);
    }
    call->x.copy_(x);
    call->t.copy_(t);
    call->s.copy_(s);
    call->graph->replay();
    ++replays;
    return call->out.clone();  // the next replay overwrites out
  };
}

#else

EpsilonFn cudaGraphEpsilon(EpsilonFn eps, const torch::Tensor&) {
  (void)captureFailed;
  return eps;
}

#endif

}  // namespace fieldscope
