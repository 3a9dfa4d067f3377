// Fuzz target: the kernel text-file parser. Any text gives a kernel or a readable error; a parsed kernel
// survives a write/parse round trip with the same size.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "core/image_lab/kernels.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    auto k = convscope::parse_kernel_text(text);
    if (!k) {
        if (k.error().empty()) std::abort();
        return 0;
    }
    auto again = convscope::parse_kernel_text(convscope::format_kernel_text(*k));
    if (!again || again->rows != k->rows || again->cols != k->cols) std::abort();
    return 0;
}
