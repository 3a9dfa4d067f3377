// Whole-file reads with a size cap and atomic writes (temporary file, then rename): a failed write leaves the
// old file intact. Only regular files are read: a FIFO, a device or a folder is refused before anything can
// block on it.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "core/support/result.hpp"

namespace convscope {

// Reads a whole file; an error when it cannot be opened, is not a regular file, or is larger than max_bytes.
Result<std::vector<uint8_t>> read_file(const std::string& path, int64_t max_bytes);

// The first bytes of a regular file and its size, so that a format's limits can be checked from its header
// before the payload is read.
struct FileHead {
    std::vector<uint8_t> bytes;  // at most the `max_bytes` asked for
    int64_t size = 0;            // the whole file's size
};
Result<FileHead> read_file_head(const std::string& path, int64_t max_bytes);

// Writes `bytes` to `path` through a temporary file in the same folder and a rename. A symlink is written
// through to its target; an existing file keeps its permission bits (a new one gets 0666 less the umask); a
// path that is a folder, FIFO or device is refused, never replaced. The temporary file is removed on every
// failure, and on SIGINT/SIGTERM once install_interrupt_cleanup() has run.
Status write_file_atomic(const std::string& path, std::span<const uint8_t> bytes);

// The OS's reason for `err` (an errno value), in the catalogue's words where it has them; otherwise
// strerror's text (English only, from the C library).
Error os_reason(int err);

// Installs SIGINT/SIGTERM handlers that remove a temporary file being written, then end the process by the
// same signal (the command line calls this; a long run stops on Ctrl+C with no output and no debris).
void install_interrupt_cleanup();

}  // namespace convscope
