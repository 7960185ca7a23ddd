// The declarations of the CPU readout's plain loops (readout_cpu_loops.h) in the namespace
// fieldscope::FIELDSCOPE_READOUT_NS, which the includer defines: readout_cpu for the project
// (readout_cpu_loops.h), readout_cpu_baseline for the test build of the baseline loops alone
// (tests/model/CMakeLists.txt). No include guard, so that both can be declared in one file.
#include <cstdint>

#ifndef FIELDSCOPE_READOUT_NS
#error "define FIELDSCOPE_READOUT_NS first, or include model/image/readout_cpu_loops.h"
#endif

namespace fieldscope::FIELDSCOPE_READOUT_NS {


// dst (rows x cols x out, contiguous) = the lerp between rows i0[r] and i1[r] of field
// (fieldRows x cols x out, contiguous) by w[r], from the nearer end as torch's lerp.
void lerpRows(float* dst, const float* field, int64_t cols, int64_t out, const int64_t* i0, const int64_t* i1,
              const float* w, int64_t rows);

// dst (fieldRows x cols x out, contiguous) = for each field row, the lerp between its columns i0[c]
// and i1[c] of field (fieldRows x fieldCols x out, contiguous) by w[c]: the x-interpolation of a
// render's field rows (lerpColumns in field_sampling.h), rounded as lerpRows.
void lerpColumns(float* dst, const float* field, int64_t fieldRows, int64_t fieldCols, int64_t out, const int64_t* i0,
                 const int64_t* i1, const float* w, int64_t cols);

// x = leaky_relu(x, 0.2) when `activate`, then x += skip when skip is given; count values.
void activate(float* x, int64_t count, bool activate, const float* skip);

// dst = src * s; count values.
void scaledCopy(float* dst, const float* src, int64_t count, float s);

// rgb (rows x cols x 3, values in [-1, 1]) -> rgba8 pixels (alpha 255): round((v + 1) * 127.5)
// clamped to [0, 255], as decodeRegionRgba8's torch path does. out: the first pixel of the first
// row; rowStride: bytes from one row to the next.
void toRgba8(uint8_t* out, int64_t rowStride, const float* rgb, int64_t rows, int64_t cols);

}  // namespace fieldscope::FIELDSCOPE_READOUT_NS
