// NumPy .npy arrays: float32/float64/int32/int64 read (C or Fortran order, either endianness), little-endian
// float32 written, C order. A malformed, truncated or absurdly sized file is an error, never a crash.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "core/support/result.hpp"
#include "core/engine/tensor.hpp"

namespace convscope {

// Parses .npy bytes into a float32 tensor (rank 0–8; rank 0 becomes shape {}).
Result<Tensor> parse_npy(std::span<const uint8_t> bytes);

// The shape of a .npy file from its header alone (the file's size checked against it, the data not read), so
// that a problem can be validated before gigabytes are read.
Result<Shape> read_npy_shape(const std::string& path);

// Reads a .npy file.
Result<Tensor> read_npy(const std::string& path);

// Encodes a tensor as .npy version 1.0, '<f4', C order.
std::vector<uint8_t> encode_npy(const Tensor& t);

// Writes a .npy file atomically.
Status write_npy(const std::string& path, const Tensor& t);

}  // namespace convscope
