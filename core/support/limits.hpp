// Hard limits on what ConvScope will allocate, checked before allocating. Hostile files and absurd parameters
// get a readable error instead of a huge allocation.
#pragma once

#include <cstdint>

namespace convscope::limits {

// Largest tensor, in elements (float32: 1 GiB).
inline constexpr int64_t kMaxTensorElements = int64_t(1) << 28;
// Largest single dimension of a tensor.
inline constexpr int64_t kMaxDim = int64_t(1) << 24;
// Largest image the loaders accept, in pixels, and per side.
inline constexpr int64_t kMaxImagePixels = 100'000'000;
inline constexpr int64_t kMaxImageSide = 65'536;
// Largest kernel side (conv and pool).
inline constexpr int64_t kMaxKernelSide = 1024;
// Most terms kept in one trace; longer traces are truncated with a note.
inline constexpr int64_t kMaxTraceTerms = 100'000;
// Most multiply-adds (or window reads, for pooling) one operation may take: 10¹² is hours on the reference
// backend. Refused up front with the count; Conv2dParams/Pool2dParams::max_mult_adds (--max-mult-adds) lifts
// it.
inline constexpr int64_t kMaxMultAdds = 1'000'000'000'000;
// Most times --repeat runs an operation.
inline constexpr int64_t kMaxRepeat = 10'000;
// Largest .npy header, in bytes.
inline constexpr int64_t kMaxNpyHeader = 1 << 16;

}  // namespace convscope::limits
