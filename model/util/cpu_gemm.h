#pragma once
// The readout's per-pixel GEMMs on the CPU (docs/architecture.md "Performance facts"): C = A·B or
// C += A·B for fp32 matrices. The readout multiplies tall, narrow matrices (16384 points by the
// MLP's width, 32 on the small preset), where OpenBLAS's sgemm reached 45-90 GFLOP/s on this
// machine's cores and oneDNN's JIT sgemm (libdnnl, the library LibTorch's own CPU kernels link)
// about 200: so oneDNN multiplies them when the build found it, on the calling thread alone (as
// OpenBLAS is kept single-threaded under torch's threads, blas_threads.h). Anything else -- another
// device, dtype or layout, or a build without libdnnl -- goes through torch (addmm).
#include <torch/types.h>

namespace fieldscope {

// c (M x N) = a (M x K) · b (K x N) + beta · c, for beta 0 or 1; c must not overlap a or b.
void gemmInto(torch::Tensor& c, const torch::Tensor& a, const torch::Tensor& b, float beta);
// c = bias (broadcast over the rows) + a · b: at::addmm_out's contract.
void addmmInto(torch::Tensor& c, const torch::Tensor& bias, const torch::Tensor& a, const torch::Tensor& b);

// Off: every call goes through torch even where oneDNN could take it (the benchmark's same-run
// comparison of both; process-wide, default on).
void setOneDnnGemm(bool on);

// "oneDNN sgemm (libdnnl 2.6.3)" or "torch addmm (no libdnnl in this build)", for --version and benches.
const char* cpuGemmText();

}  // namespace fieldscope
