#include "model/util/cpu_gemm.h"

#include <ATen/ATen.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <optional>
#include <stdexcept>
#include <string>

#if FIELDSCOPE_DNNL
#include <dnnl.h>
#include <omp.h>
#endif

namespace fieldscope {

namespace {
std::atomic<bool> gOneDnn{true};
#if FIELDSCOPE_DNNL
// 'N' when m is row-major with unit column stride, 'T' when it is the transpose of one (a .t()
// view); its leading dimension in ld. Anything else: 0.
char layoutOf(const torch::Tensor& m, int64_t& ld) {
  if (m.stride(1) == 1 && m.stride(0) >= std::max<int64_t>(1, m.size(1))) {
    ld = m.stride(0);
    return 'N';
  }
  if (m.stride(0) == 1 && m.stride(1) >= std::max<int64_t>(1, m.size(0))) {
    ld = m.stride(1);
    return 'T';
  }
  return 0;
}

// oneDNN's threads are OpenMP's: the call runs on this thread alone, whatever its team size.
struct OneThread {
  int before = omp_get_max_threads();
  OneThread() { omp_set_num_threads(1); }
  ~OneThread() { omp_set_num_threads(before); }
};
#endif

// How oneDNN's row-major sgemm reads a and b (their transposes and leading dimensions).
struct SgemmLayout {
  char ta = 0, tb = 0;
  int64_t lda = 0, ldb = 0;
};

// The layout when oneDNN can compute c = a·b + beta·c in place; nullopt when torch must.
std::optional<SgemmLayout> oneDnnLayout(const torch::Tensor& c, const torch::Tensor& a, const torch::Tensor& b) {
#if FIELDSCOPE_DNNL
  auto plainCpu = [](const torch::Tensor& m) { return m.device().is_cpu() && m.scalar_type() == torch::kFloat32 && m.dim() == 2; };
  SgemmLayout l;
  if (gOneDnn.load(std::memory_order_relaxed) && plainCpu(c) && plainCpu(a) && plainCpu(b) && a.size(0) == c.size(0) &&
      b.size(1) == c.size(1) && a.size(1) == b.size(0) && c.is_contiguous() && c.numel() > 0 && a.size(1) > 0 &&
      (l.ta = layoutOf(a, l.lda)) && (l.tb = layoutOf(b, l.ldb)))
    return l;
#else
  (void)c, (void)a, (void)b;
#endif
  return std::nullopt;
}

void oneDnnGemm(const SgemmLayout& l, torch::Tensor& c, const torch::Tensor& a, const torch::Tensor& b, float beta) {
#if FIELDSCOPE_DNNL
  OneThread one;
  const dnnl_status_t s = dnnl_sgemm(l.ta, l.tb, c.size(0), c.size(1), a.size(1), 1.0f, a.data_ptr<float>(), l.lda,
                                     b.data_ptr<float>(), l.ldb, beta, c.data_ptr<float>(), std::max<int64_t>(1, c.size(1)));
  if (s != dnnl_success) throw std::runtime_error("oneDNN sgemm failed (status " + std::to_string(int(s)) + ")");
#else
  (void)l, (void)c, (void)a, (void)b, (void)beta;
  throw std::logic_error("oneDnnGemm: this build has no oneDNN");
#endif
}
}  // namespace

void gemmInto(torch::Tensor& c, const torch::Tensor& a, const torch::Tensor& b, float beta) {
  if (beta != 0 && beta != 1) throw std::invalid_argument("gemmInto: beta must be 0 or 1");
  if (const auto l = oneDnnLayout(c, a, b)) return oneDnnGemm(*l, c, a, b, beta);
  if (beta == 0)
    at::mm_out(c, a, b);
  else
    c.addmm_(a, b);
}

void addmmInto(torch::Tensor& c, const torch::Tensor& bias, const torch::Tensor& a, const torch::Tensor& b) {
  const auto l = oneDnnLayout(c, a, b);
  if (l && bias.numel() == c.size(1)) {
    if (bias.scalar_type() == torch::kFloat32 && bias.is_contiguous() && bias.device().is_cpu()) {
      const float* src = bias.data_ptr<float>();
      float* dst = c.data_ptr<float>();
      const int64_t rows = c.size(0), cols = c.size(1);
      for (int64_t r = 0; r < rows; ++r) std::copy(src, src + cols, dst + r * cols);  // no dispatch per call
    } else {
      c.copy_(bias.reshape({1, -1}).expand_as(c));
    }
    return oneDnnGemm(*l, c, a, b, 1);
  }
  at::addmm_out(c, bias, a, b);
}

void setOneDnnGemm(bool on) { gOneDnn.store(on); }

const char* cpuGemmText() {
#if FIELDSCOPE_DNNL
  static const std::string text = [] {
    const dnnl_version_t* v = dnnl_version();
    char buf[64];
    std::snprintf(buf, sizeof buf, "oneDNN sgemm (libdnnl %d.%d.%d)", v->major, v->minor, v->patch);
    return std::string(buf);
  }();
  return text.c_str();
#else
  return "torch addmm (no libdnnl in this build)";
#endif
}

}  // namespace fieldscope
