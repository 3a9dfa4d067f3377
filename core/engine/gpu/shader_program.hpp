// Compute shaders: their source (embedded at build time, or read from a folder while developing), compiled
// with a few #defines per variant, linked, and cached. Compile and link logs come back as readable errors.
// Call on the GL thread.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/support/result.hpp"

namespace convscope::gpu {

using Defines = std::vector<std::pair<std::string, long long>>;

// The text of shaders/<file_name>: from `dir` when non-empty, else from the source tree when built with
// CONVSCOPE_SHADERS_FROM_DISK, else the copy embedded in the binary.
Result<std::string> shader_source(const std::string& dir, std::string_view file_name);

// Compiles and links one compute shader; `#define NAME VALUE` lines go right after `#version`, and `#line 2`
// keeps the compiler's line numbers those of the file. The error reads
// "shader conv2d.comp (TILED=1, OC_PER_ITEM=4) does not compile: 0:57(12): error: …" on one line.
Result<unsigned> compile_compute_program(std::string_view file_name, std::string_view source,
                                         const Defines& defines);

// Programs by file and defines, compiled on first use and kept until the cache is destroyed.
class ProgramCache {
public:
    explicit ProgramCache(std::string shader_dir) : m_dir(std::move(shader_dir)) {}
    // Deletes every program; the GL context must be current.
    ~ProgramCache();
    ProgramCache(const ProgramCache&) = delete;
    ProgramCache& operator=(const ProgramCache&) = delete;

    // The program for `file_name` with `defines`, compiling it the first time.
    Result<unsigned> get(std::string_view file_name, const Defines& defines);

private:
    std::string m_dir;
    std::map<std::string, unsigned> m_programs;
};

}  // namespace convscope::gpu
