// FIELDSCOPE_READOUT_BASELINE_TEST: a test build of this file (tests/model/CMakeLists.txt) with the
// baseline loops alone, in their own namespace, so that a test compares them with the clone the
// loader picks on the machine (the AVX2 one here); the baseline clone never runs on an AVX2 CPU.
#ifdef FIELDSCOPE_READOUT_BASELINE_TEST
#define FIELDSCOPE_READOUT_NS readout_cpu_baseline
#include "model/image/readout_cpu_loops_decls.h"
#else
#include "model/image/readout_cpu_loops.h"
#define FIELDSCOPE_READOUT_NS readout_cpu
#endif

#include <algorithm>
#include <cmath>

namespace fieldscope::FIELDSCOPE_READOUT_NS {

// The vector helpers below take and return vectors wider than the baseline's registers; GCC warns
// that such a function's ABI changes with AVX. They are always inlined into each clone (also at -O0),
// so no call crosses it. (GCC reports it after the whole file is parsed, so the warning is off for
// the file: its own translation unit, model/CMakeLists.txt.)
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wpsabi"
#endif

namespace {
// Eight floats at a time in the compiler's generic vectors, at any alignment: one AVX2 register, or
// two SSE ones in the baseline build. Plain loops over floats do not vectorize here: the compiler
// keeps a branch per value for selects such as the leaky ReLU's, which mispredict on mixed signs.
typedef float V8 __attribute__((vector_size(32), aligned(4), may_alias));
constexpr int64_t kLanes = 8;
#define FIELDSCOPE_VECTOR_HELPER inline __attribute__((always_inline))
FIELDSCOPE_VECTOR_HELPER V8 load(const float* p) { return *reinterpret_cast<const V8*>(p); }
FIELDSCOPE_VECTOR_HELPER void store(float* p, V8 v) { *reinterpret_cast<V8*>(p) = v; }

// leaky_relu(v, 0.2) as torch computes it: v where v > 0, else v * 0.2 (-0 stays -0). A vector
// select evaluates both sides, so there is no branch.
FIELDSCOPE_VECTOR_HELPER V8 leaky(V8 v) {
  const V8 zero = {};
  return v > zero ? v : v * 0.2f;
}
inline float leaky(float v) { return v > 0.0f ? v : v * 0.2f; }

// Round half to even of 0 <= v <= 255, what nearbyint gives in the default rounding mode, without a
// library call per value: after adding 2^23 a float keeps no fraction bits.
constexpr float kShift = 8388608.0f;
inline float roundSmall(float v) { return (v + kShift) - kShift; }

// Each loop is compiled for AVX2 and for the baseline, picked at load time (target_clones: an
// ifunc). Neither uses FMA (this file is built with -ffp-contract=off, model/CMakeLists.txt), so
// the lerp rounds twice as torch's baseline kernel does; torch's AVX2 kernel fuses it, so the two
// can differ by an ulp there (a pixel may then round the other way at an 8-bit step).
#if defined(__x86_64__) && defined(__GNUC__) && !defined(FIELDSCOPE_READOUT_BASELINE_TEST)
#define FIELDSCOPE_CLONES __attribute__((target_clones("avx2", "default")))
#else
#define FIELDSCOPE_CLONES
#endif
}  // namespace

namespace {
// d[0, n) = the lerp from a to b by t, as torch's lerp (ATen/native/Lerp.h): from the nearer end, so
// t = 0 and t = 1 give the ends exactly.
FIELDSCOPE_VECTOR_HELPER void lerpSpan(float* d, const float* a, const float* b, float t, int64_t n) {
  int64_t k = 0;
  if (std::abs(t) < 0.5f) {
    for (; k + kLanes <= n; k += kLanes) {
      const V8 va = load(a + k);
      store(d + k, va + t * (load(b + k) - va));
    }
    for (; k < n; ++k) d[k] = a[k] + t * (b[k] - a[k]);
  } else {
    const float u = 1.0f - t;
    for (; k + kLanes <= n; k += kLanes) {
      const V8 vb = load(b + k);
      store(d + k, vb - (vb - load(a + k)) * u);
    }
    for (; k < n; ++k) d[k] = b[k] - (b[k] - a[k]) * u;
  }
}
}  // namespace

FIELDSCOPE_CLONES void lerpRows(float* dst, const float* field, int64_t cols, int64_t out, const int64_t* i0,
                                const int64_t* i1, const float* w, int64_t rows) {
  const int64_t rowLen = cols * out;
  for (int64_t r = 0; r < rows; ++r) lerpSpan(dst + r * rowLen, field + i0[r] * rowLen, field + i1[r] * rowLen, w[r], rowLen);
}

FIELDSCOPE_CLONES void lerpColumns(float* dst, const float* field, int64_t fieldRows, int64_t fieldCols, int64_t out,
                                   const int64_t* i0, const int64_t* i1, const float* w, int64_t cols) {
  for (int64_t r = 0; r < fieldRows; ++r) {
    const float* row = field + r * fieldCols * out;
    float* d = dst + r * cols * out;
    for (int64_t c = 0; c < cols; ++c) lerpSpan(d + c * out, row + i0[c] * out, row + i1[c] * out, w[c], out);
  }
}

FIELDSCOPE_CLONES void activate(float* x, int64_t count, bool act, const float* skip) {
  int64_t k = 0;
  if (act && skip) {
    for (; k + kLanes <= count; k += kLanes) store(x + k, leaky(load(x + k)) + load(skip + k));
    for (; k < count; ++k) x[k] = leaky(x[k]) + skip[k];
  } else if (act) {
    for (; k + kLanes <= count; k += kLanes) store(x + k, leaky(load(x + k)));
    for (; k < count; ++k) x[k] = leaky(x[k]);
  } else if (skip) {
    for (; k + kLanes <= count; k += kLanes) store(x + k, load(x + k) + load(skip + k));
    for (; k < count; ++k) x[k] += skip[k];
  }
}

FIELDSCOPE_CLONES void scaledCopy(float* dst, const float* src, int64_t count, float s) {
  int64_t k = 0;
  for (; k + kLanes <= count; k += kLanes) store(dst + k, load(src + k) * s);
  for (; k < count; ++k) dst[k] = src[k] * s;
}

FIELDSCOPE_CLONES void toRgba8(uint8_t* out, int64_t rowStride, const float* rgb, int64_t rows, int64_t cols) {
  for (int64_t r = 0; r < rows; ++r) {
    uint8_t* o = out + r * rowStride;
    const float* v = rgb + r * cols * 3;
    for (int64_t c = 0; c < cols; ++c) {
      for (int k = 0; k < 3; ++k) {
        // (v + 1) * 127.5, clamped, rounded: decodeRegionRgba8's torch steps, in their order. NaN -> 0.
        const float x = (v[3 * c + k] + 1.0f) * 127.5f;
        const float y = x > 0.0f ? (x < 255.0f ? x : 255.0f) : 0.0f;
        o[4 * c + k] = static_cast<uint8_t>(roundSmall(y));
      }
      o[4 * c + 3] = 255;
    }
  }
}

}  // namespace fieldscope::FIELDSCOPE_READOUT_NS

#undef FIELDSCOPE_CLONES
#undef FIELDSCOPE_READOUT_NS
#undef FIELDSCOPE_VECTOR_HELPER
