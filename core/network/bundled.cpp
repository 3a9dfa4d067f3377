// The stacks the network view's menu offers (bundled_stacks): the lecture's CNN, LeNet-5, AlexNet, a VGG
// block with BatchNorm, a MobileNetV2 block, a DCGAN generator.
#include "core/network/network.hpp"

namespace convscope {

const std::vector<BundledStack>& bundled_stacks() {
    // The same layer texts as tests/network/make_expectations.py's BUNDLED, which PyTorch runs.
    struct Text {
        std::string_view id;
        Shape input;
        std::vector<std::string_view> layers;
    };
    static const std::vector<BundledStack> stacks = [] {
        const Text texts[] = {
            {"lecture", {1, 1, 28, 28}, {"Conv2d(1, 5, 5)", "MaxPool2d(2)"}},
            {"lenet5",
             {1, 1, 32, 32},
             {"Conv2d(1, 6, 5)", "Tanh()", "AvgPool2d(2)", "Conv2d(6, 16, 5)", "Tanh()", "AvgPool2d(2)",
              "Flatten()", "Linear(400, 120)", "Tanh()", "Linear(120, 84)", "Tanh()", "Linear(84, 10)"}},
            {"alexnet",
             {1, 3, 224, 224},
             {"Conv2d(3, 64, 11, stride=4, padding=2)",
              "ReLU(inplace=True)",
              "MaxPool2d(3, stride=2)",
              "Conv2d(64, 192, 5, padding=2)",
              "ReLU(inplace=True)",
              "MaxPool2d(3, stride=2)",
              "Conv2d(192, 384, 3, padding=1)",
              "ReLU(inplace=True)",
              "Conv2d(384, 256, 3, padding=1)",
              "ReLU(inplace=True)",
              "Conv2d(256, 256, 3, padding=1)",
              "ReLU(inplace=True)",
              "MaxPool2d(3, stride=2)",
              "AdaptiveAvgPool2d(6)",
              "Flatten()",
              "Dropout()",
              "Linear(9216, 4096)",
              "ReLU(inplace=True)",
              "Dropout()",
              "Linear(4096, 4096)",
              "ReLU(inplace=True)",
              "Linear(4096, 1000)"}},
            {"vgg_bn",
             {1, 3, 32, 32},
             {"Conv2d(3, 64, 3, padding=1)", "BatchNorm2d(64)", "ReLU(inplace=True)",
              "Conv2d(64, 64, 3, padding=1)", "BatchNorm2d(64)", "ReLU(inplace=True)",
              "MaxPool2d(2, stride=2)"}},
            {"mobilenet",
             {1, 16, 56, 56},
             {"Conv2d(16, 96, 1, bias=False)", "BatchNorm2d(96)", "ReLU6(inplace=True)",
              "Conv2d(96, 96, 3, stride=2, padding=1, groups=96, bias=False)", "BatchNorm2d(96)",
              "ReLU6(inplace=True)", "Conv2d(96, 24, 1, bias=False)", "BatchNorm2d(24)"}},
            {"dcgan",
             {1, 100, 1, 1},
             {"ConvTranspose2d(100, 512, 4, 1, 0, bias=False)", "BatchNorm2d(512)", "ReLU(True)",
              "ConvTranspose2d(512, 256, 4, 2, 1, bias=False)", "BatchNorm2d(256)", "ReLU(True)",
              "ConvTranspose2d(256, 128, 4, 2, 1, bias=False)", "BatchNorm2d(128)", "ReLU(True)",
              "ConvTranspose2d(128, 64, 4, 2, 1, bias=False)", "BatchNorm2d(64)", "ReLU(True)",
              "ConvTranspose2d(64, 3, 4, 2, 1, bias=False)", "Tanh()"}},
        };
        std::vector<BundledStack> out;
        for (const Text& t : texts) {
            BundledStack b{t.id, {}};
            b.net.input = t.input;
            for (std::string_view text : t.layers) {
                auto L = parse_layer(text);
                assert(L && "a bundled layer must parse");
                if (L) b.net.layers.push_back(*L);
            }
            out.push_back(std::move(b));
        }
        return out;
    }();
    return stacks;
}

}  // namespace convscope
