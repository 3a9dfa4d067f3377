// Fuzz target: the .npy parser. Any bytes must give a tensor or a readable error, never a crash, a hang or a
// huge allocation; a parsed tensor must round-trip through encode_npy.
#include <cstdint>
#include <cstdlib>
#include <span>

#include "core/io/npy.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    auto t = convscope::parse_npy(std::span<const uint8_t>(data, size));
    if (t) {
        const auto bytes = convscope::encode_npy(*t);
        auto again = convscope::parse_npy(bytes);
        if (!again || again->shape != t->shape || again->data.size() != t->data.size()) std::abort();
    } else if (t.error().empty()) {
        std::abort();
    }
    return 0;
}
