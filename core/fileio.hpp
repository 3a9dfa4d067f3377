// Whole-file reads with a size cap and atomic writes (temporary file, then rename): a failed write leaves the
// old file intact.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "core/result.hpp"

namespace convscope {

// Reads a whole file; an error when it cannot be opened or is larger than max_bytes.
Result<std::vector<uint8_t>> read_file(const std::string& path, int64_t max_bytes);

// Writes `bytes` to `path` through a temporary file in the same folder and a rename.
Status write_file_atomic(const std::string& path, std::span<const uint8_t> bytes);

}  // namespace convscope
