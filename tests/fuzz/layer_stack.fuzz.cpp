// Fuzz target: the layer-stack parser (PyTorch lines such as `nn.Conv2d(16,8,(3,5),padding=(1,2))`) and the
// shape check over whatever it builds. Never a crash; a parsed stack exports to code that parses back to
// itself.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "core/network/network.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    (void)convscope::parse_layer(text);
    (void)convscope::parse_input_shape(text);
    auto net = convscope::parse_pytorch_code(text);
    if (!net) {
        if (net.error().empty()) std::abort();
        return 0;
    }
    (void)convscope::check_network(*net);
    auto again = convscope::parse_pytorch_code(convscope::to_pytorch_code(*net));
    if (!again || again->layers.size() != net->layers.size()) std::abort();
    return 0;
}
