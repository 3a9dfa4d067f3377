// The network stack: shapes and parameter counts against PyTorch (tests/network/stacks.json, made by
// tests/network/make_expectations.py), every kind of refusal and its message, the PyTorch-syntax parser, the
// code round-trip, and running a stack on a backend.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <nlohmann/json.hpp>
#include <random>

#include "core/engine/backend.hpp"
#include "core/network/network.hpp"
#include "core/stepper/stepper.hpp"
#include "support/testing.hpp"

using namespace convscope;
using convscope::testing::mismatch;
using convscope::testing::random_tensor;

namespace convscope {
std::ostream& operator<<(std::ostream& os, const Layer& L) {
    return os << to_pytorch(L);
}
std::ostream& operator<<(std::ostream& os, const Network& n) {
    os << "Network(" << shape_to_string(n.input);
    for (const Layer& L : n.layers) os << ", " << to_pytorch(L);
    return os << ")";
}
}  // namespace convscope

namespace {

nlohmann::json load_stacks() {
    std::ifstream in(testing::source_path("tests/network/stacks.json"));
    REQUIRE(in);
    return nlohmann::json::parse(in);
}

Shape to_shape(const nlohmann::json& j) {
    Shape s;
    for (const auto& d : j) s.push_back(d.get<int64_t>());
    return s;
}

// The error check_network gives for a stack written as text ("" when it checks out).
std::string stack_error(const Shape& input, const std::vector<std::string>& layers,
                        LayerErrorKind* kind = nullptr, int* index = nullptr) {
    Network net;
    net.input = input;
    for (const std::string& text : layers) {
        auto L = parse_layer(text);
        REQUIRE(L);
        net.layers.push_back(*L);
    }
    const NetworkCheck c = check_network(net);
    if (kind) *kind = c.ok() ? LayerErrorKind::None : c.layers[size_t(c.first_error)].error_kind;
    if (index) *index = c.first_error;
    return c.ok() ? "" : c.layers[size_t(c.first_error)].error;
}

// The list of layers ConvScope names in its messages.
std::string known() {
    return "Conv2d, ConvTranspose2d, MaxPool2d, AvgPool2d, AdaptiveAvgPool2d, AdaptiveMaxPool2d, "
           "BatchNorm2d, "
           "Dropout, Dropout2d, ReLU, ReLU6, LeakyReLU, ELU, GELU, SiLU, Hardswish, Sigmoid, Tanh, Softmax, "
           "LogSoftmax, Identity, Flatten, Linear, ZeroPad2d, ConstantPad2d, ReflectionPad2d, "
           "ReplicationPad2d, "
           "Upsample and LocalResponseNorm";
}

std::string parse_error(std::string_view text, LayerErrorKind* kind = nullptr) {
    auto L = parse_layer(text);
    if (kind) *kind = L ? LayerErrorKind::None : layer_error_kind(L.err());
    return L ? "" : L.error();
}

// A random valid-or-not stack of every kind with random arguments, for the round-trip.
Network random_network(std::mt19937& rng) {
    auto pick = [&](int lo, int hi) { return int64_t(std::uniform_int_distribution<int>(lo, hi)(rng)); };
    auto pair = [&](int lo, int hi) {
        return pick(0, 1) ? Pair(pick(lo, hi)) : Pair(pick(lo, hi), pick(lo, hi));
    };
    Network net;
    net.input = {pick(1, 2), pick(1, 4), pick(5, 30), pick(5, 30)};
    const int64_t n = pick(0, 6);
    for (int64_t i = 0; i < n; ++i) {
        Layer L;
        switch (pick(0, 5)) {
            case 0:
                L = Layer::conv2d(pick(1, 8), pick(1, 8), pair(1, 5));
                if (pick(0, 1)) L.stride = pair(1, 3);
                if (pick(0, 2) == 0)
                    L.padding = pick(0, 1) ? Padding::same() : Padding::valid();
                else if (pick(0, 1))
                    L.padding = Padding(pair(0, 2));
                if (pick(0, 1)) L.dilation = pair(1, 2);
                if (pick(0, 1)) L.groups = pick(1, 4);
                L.bias = pick(0, 1);
                L.padding_mode = PaddingMode(pick(0, 3));
                break;
            case 1:
            case 2:
                L = pick(0, 1) ? Layer::max_pool2d(pair(1, 4)) : Layer::avg_pool2d(pair(1, 4));
                if (pick(0, 1)) L.stride = pair(1, 3);
                if (pick(0, 1)) L.padding = Padding(pair(0, 1));
                if (L.kind == LayerKind::MaxPool2d && pick(0, 1)) L.dilation = pair(1, 2);
                L.ceil_mode = pick(0, 1);
                if (L.kind == LayerKind::AvgPool2d) L.count_include_pad = pick(0, 1);
                break;
            case 3:
                L = Layer::relu();
                break;
            case 4:
                L = Layer::flatten();
                if (pick(0, 1)) L.start_dim = pick(-2, 2);
                if (pick(0, 1)) L.end_dim = pick(-3, 3);
                break;
            default:
                L = Layer::linear(pick(1, 50), pick(1, 50));
                L.bias = pick(0, 1);
                break;
        }
        net.layers.push_back(L);
    }
    return net;
}

}  // namespace

TEST_CASE("check_network: shapes and parameter counts match PyTorch for every stack in stacks.json") {
    const nlohmann::json doc = load_stacks();
    REQUIRE(doc["stacks"].size() >= 30);
    for (const auto& stack : doc["stacks"]) {
        DYNAMIC_SECTION(stack["name"].get<std::string>()) {
            Network net;
            net.input = to_shape(stack["input"]);
            const auto texts = stack["layers"].get<std::vector<std::string>>();
            // Parse; a layer that does not parse ends the stack there.
            int parse_failed = -1;
            LayerErrorKind parse_kind = LayerErrorKind::None;
            for (size_t i = 0; i < texts.size(); ++i) {
                auto L = parse_layer(texts[i]);
                if (!L) {
                    parse_kind = layer_error_kind(L.err());
                    parse_failed = int(i);
                    break;
                }
                net.layers.push_back(*L);
            }
            const NetworkCheck check = check_network(net);
            const auto& expect = stack["expect"];
            // The layers PyTorch ran: same shapes, same parameter counts.
            for (size_t i = 0; i < expect.size(); ++i) {
                INFO("layer " << i + 1 << ": " << texts[i]);
                REQUIRE(i < check.layers.size());
                CHECK(check.layers[i].error == "");
                CHECK(shape_to_string(check.layers[i].output) ==
                      shape_to_string(to_shape(expect[i]["shape"])));
                CHECK(check.layers[i].params == expect[i]["params"].get<int64_t>());
                CHECK(check.layers[i].params == expect[i]["trainable"].get<int64_t>());
                CHECK(check.layers[i].buffers == expect[i]["buffers"].get<int64_t>());
                CHECK(check.layers[i].mult_adds == expect[i]["mult_adds"].get<int64_t>());
            }
            if (!stack.contains("error")) {
                CHECK(parse_failed == -1);
                CHECK(check.ok());
            } else {
                const int layer = stack["error"]["layer"].get<int>() - 1;
                const std::string kind = stack["error"]["kind"];
                INFO("PyTorch: " << stack["error"]["torch"].get<std::string>());
                if (parse_failed >= 0 && (check.first_error < 0 || check.first_error > parse_failed)) {
                    CHECK(parse_failed == layer);
                    CHECK(std::string(to_string(parse_kind)) == kind);
                } else {
                    REQUIRE(check.first_error >= 0);
                    INFO("ConvScope: " << check.layers[size_t(check.first_error)].error);
                    CHECK(check.first_error == layer);
                    CHECK(std::string(to_string(check.layers[size_t(check.first_error)].error_kind)) == kind);
                    CHECK(check.layers[size_t(check.first_error)].error != "");
                }
            }
        }
    }
}

TEST_CASE("check_network: the lecture's stack, with multiply-accumulates and totals") {
    const NetworkCheck c = check_network(Network::lecture());
    REQUIRE(c.ok());
    REQUIRE(c.layers.size() == 2);
    CHECK(c.layers[0].output == Shape{1, 5, 24, 24});
    CHECK(c.layers[0].params == 5 * 1 * 5 * 5 + 5);
    CHECK(c.layers[0].macs == 5 * 24 * 24 * 25);  // 72,000
    CHECK(c.layers[1].output == Shape{1, 5, 12, 12});
    CHECK(c.layers[1].params == 0);
    CHECK(c.layers[1].macs == 0);
    CHECK(c.total_params == 130);
    CHECK(c.total_macs == 72000);

    SECTION("grouped convolution: N·O·OH·OW·(C/groups)·kH·kW") {
        Network net;
        net.input = {2, 8, 10, 10};
        Layer conv = Layer::conv2d(8, 16, 3);
        conv.groups = 4;
        net.layers = {conv, Layer::flatten(), Layer::linear(16 * 8 * 8, 10)};
        const NetworkCheck g = check_network(net);
        REQUIRE(g.ok());
        CHECK(g.layers[0].macs == 2 * 16 * 8 * 8 * (8 / 4) * 3 * 3);
        CHECK(g.layers[2].macs == 2 * 10 * 1024);
        CHECK(g.total_params == 16 * 2 * 9 + 16 + 1024 * 10 + 10);
    }
}

TEST_CASE("check_network: every kind of refusal has a plain-language message at its layer") {
    LayerErrorKind kind;
    int index;
    SECTION("channels") {
        CHECK(stack_error({1, 3, 28, 28}, {"Conv2d(1,5,5)"}, &kind, &index) ==
              "in_channels is 1, but the input 1×3×28×28 has 3 channels");
        CHECK(kind == LayerErrorKind::Channels);
        CHECK(stack_error({1, 1, 28, 28}, {"Conv2d(1,5,5)", "MaxPool2d(2)", "Conv2d(6,10,3)"}, &kind,
                          &index) == "in_channels is 6, but the input 1×5×12×12 has 5 channels");
        CHECK(index == 2);
        CHECK(stack_error({2, 8, 8}, {"Conv2d(1,5,3)"}) ==
              "in_channels is 1, but the input 2×8×8 has 2 channels");
    }
    SECTION("too_small") {
        CHECK(
            stack_error({1, 1, 28, 28}, {"Conv2d(1,5,5)", "MaxPool2d(2)", "Conv2d(5,5,13)"}, &kind, &index) ==
            "the output would be empty: kernel 13×13 (dilated 13×13) is larger than the padded input 12×12");
        CHECK(kind == LayerErrorKind::TooSmall);
        CHECK(index == 2);
        CHECK(stack_error({1, 1, 3, 3}, {"MaxPool2d(4)"}, &kind) ==
              "the output would be empty: kernel 4×4 (dilated 4×4) is larger than the padded input 3×3");
        CHECK(kind == LayerErrorKind::TooSmall);
    }
    SECTION("features") {
        CHECK(stack_error({1, 1, 28, 28}, {"Conv2d(1,5,5)", "MaxPool2d(2)", "Flatten()", "Linear(700,10)"},
                          &kind, &index) ==
              "in_features is 700, but the input 1×720 has 720 features (its last dimension)");
        CHECK(kind == LayerErrorKind::Features);
        CHECK(index == 3);
        CHECK(
            stack_error({1, 5, 12, 12}, {"Linear(720,10)"}) ==
            "in_features is 720, but the input 1×5×12×12 has 12 features (its last dimension) — a Flatten() "
            "before it makes one row per sample");
    }
    SECTION("groups") {
        CHECK(
            stack_error({1, 3, 8, 8}, {"Conv2d(3,6,3,groups=2)"}, &kind) ==
            "groups=2 does not divide in_channels=3 (each group must get the same number of input channels)");
        CHECK(kind == LayerErrorKind::Groups);
        CHECK(stack_error({1, 4, 8, 8}, {"Conv2d(4,6,3,groups=4)"}, &kind) ==
              "groups=4 does not divide out_channels=6 (each group must make the same number of output "
              "channels)");
        CHECK(kind == LayerErrorKind::Groups);
    }
    SECTION("rank") {
        CHECK(stack_error({1, 1, 28, 28}, {"Flatten()", "Conv2d(1,5,3)"}, &kind) ==
              "Conv2d needs a 3-D (C×H×W) or 4-D (N×C×H×W) input, but gets 1×784 (2-D) — put it before "
              "Flatten");
        CHECK(kind == LayerErrorKind::Rank);
        CHECK(stack_error({10}, {"Flatten()"}, &kind) ==
              "start_dim=1 is out of range for the input 10 (1-D) (dimensions run from -1 to 0)");
        CHECK(kind == LayerErrorKind::Rank);
    }
    SECTION("argument") {
        CHECK(stack_error({1, 1, 8, 8}, {"MaxPool2d(2,padding=2)"}, &kind) ==
              "padding 2 must be at most half the kernel 2×2 (PyTorch's rule)");
        CHECK(kind == LayerErrorKind::Argument);
        CHECK(stack_error({1, 1, 8, 8}, {"Conv2d(1,1,3,stride=2,padding='same')"}, &kind) ==
              "padding='same' needs stride 1 (PyTorch refuses 'same' for strided convolutions)");
        CHECK(stack_error({1, 1, 8, 8}, {"Conv2d(1,1,3,stride=0)"}) == "stride must be at least 1, got 0");
        CHECK(stack_error({1, 1, 8, 8}, {"Conv2d(1,1,0)"}) == "kernel_size must be at least 1, got 0");
        CHECK(stack_error({1, 1, 8, 8}, {"Conv2d(1,1,3,padding=-1)"}) ==
              "padding must not be negative, got -1");
        CHECK(stack_error({1, 3, 8, 8}, {"Conv2d(3,6,3,groups=0)"}) == "groups must be at least 1, got 0");
        CHECK(stack_error({1, 5, 12, 12}, {"Flatten(2,1)"}) == "start_dim cannot come after end_dim");
        CHECK(stack_error({1, 1, 4, 4}, {"Conv2d(1,1,3,padding=4,padding_mode='reflect')"}) ==
              "reflect padding 4×4 must be smaller than the input 4×4");
    }
    SECTION("a failing layer does not hide the rest of the table") {
        Network net;
        net.input = {1, 3, 28, 28};
        net.layers = {Layer::conv2d(1, 5, 5), Layer::max_pool2d(2), Layer::flatten(), Layer::linear(720, 10)};
        const NetworkCheck c = check_network(net);
        CHECK(c.first_error == 0);
        CHECK(c.layers[0].output == Shape{1, 5, 24, 24});  // as if the channels had matched
        CHECK(c.layers[3].output == Shape{1, 10});
        CHECK(c.layers[3].ok());
        CHECK(c.layers[3].after_error);
        CHECK(c.total_params == 130 + 7210);
        SECTION("past a size that drops to zero the shapes are unknown, the parameters still counted") {
            net.input = {1, 1, 4, 4};
            net.layers[0] = Layer::conv2d(1, 5, 5);
            const NetworkCheck d = check_network(net);
            CHECK(d.layers[0].error_kind == LayerErrorKind::TooSmall);
            CHECK(d.layers[1].output.empty());
            CHECK(d.layers[3].output.empty());
            CHECK(d.layers[3].params == 7210);
        }
    }
    SECTION("the input shape") {
        Network net;
        net.input = {};
        CHECK(check_network(net).input_error != "");
        net.input = {1, 0, 5, 5};
        CHECK(check_network(net).input_error != "");
        CHECK(parse_input_shape("1,1,28,28").value() == Shape{1, 1, 28, 28});
        CHECK(parse_input_shape("1x3x32x32").value() == Shape{1, 3, 32, 32});
        CHECK(parse_input_shape("(1, 720)").value() == Shape{1, 720});
        CHECK(parse_input_shape("1,1,28,28,2").error() ==
              "the input shape must have 1 to 4 dimensions (N,C,H,W), got '1,1,28,28,2'");
        CHECK(parse_input_shape("1,a,2").error() == "'1,a,2' is not a shape such as 1,1,28,28");
        CHECK(parse_input_shape("1,0,2").error() ==
              "every dimension of the input shape must be at least 1, got 1×0×2");
        CHECK(!parse_input_shape("100000,100000,100000,100000"));
    }
}

TEST_CASE("parse_layer: PyTorch's constructor syntax") {
    SECTION("positional, keyword, tuples, lists, strings, prefixes") {
        Layer expected = Layer::conv2d(16, 8, Pair(3, 5));
        expected.padding = Padding(Pair(1, 2));
        expected.bias = false;
        CHECK(parse_layer("Conv2d(16,8,(3,5),padding=(1,2),bias=False)").value() == expected);
        CHECK(parse_layer("nn.Conv2d(16, 8, [3, 5], padding=[1, 2], bias=0)").value() == expected);
        CHECK(parse_layer("torch.nn.Conv2d(in_channels=16, out_channels=8, kernel_size=(3,5), padding=(1,2), "
                          "bias=False, device=None, dtype=torch.float32)")
                  .value() == expected);
        Layer same = Layer::conv2d(3, 4, 3);
        same.padding = Padding::same();
        CHECK(parse_layer("Conv2d(3,4,3,padding='same')").value() == same);
        CHECK(parse_layer("Conv2d(3,4,3,padding=\"same\")").value() == same);
        CHECK(parse_layer("Conv2d(3,4,(3),padding='same',)").value() == same);  // (3) is 3 in Python
        Layer pool = Layer::max_pool2d(2);
        CHECK(parse_layer("MaxPool2d(2)").value() == pool);
        CHECK(parse_layer("MaxPool2d(2, stride=None)").value() == pool);
        pool.stride = Pair(2);
        CHECK(parse_layer("MaxPool2d(2, 2)").value() == pool);
        CHECK(parse_layer("MaxPool2d(kernel_size=2, stride=2, return_indices=False)").value() == pool);
        Layer flat = Layer::flatten();
        flat.start_dim = 0;
        flat.end_dim = -2;
        CHECK(parse_layer("Flatten(0, -2)").value() == flat);
        CHECK(parse_layer("ReLU(inplace=True)").value() == Layer::relu());
        CHECK(parse_layer("  nn.Linear( 720 , 10 )  ").value() == Layer::linear(720, 10));
    }
    SECTION("errors name the column and say what was expected") {
        LayerErrorKind kind;
        CHECK(parse_error("Conv2d(1,5,,5)", &kind) ==
              "column 12: expected a value (a number, a tuple, True/False, None or a quoted string), found "
              "','");
        CHECK(kind == LayerErrorKind::Syntax);
        CHECK(parse_error("Conv2d(1,5,5", &kind) ==
              "column 13: missing ')': the '(' of Conv2d is never closed");
        CHECK(parse_error("Conv2d(1,5,kernel_size=5,1)", &kind) ==
              "column 26: positional argument follows keyword argument");
        CHECK(parse_error("Conv2d(1,5,5) x") == "column 15: unexpected text after the closing ')'");
        CHECK(parse_error("Conv2d(1,5,'same)") == "column 12: the quoted string is never closed");
        CHECK(parse_error("Conv2d(1,5,5 5)") == "column 14: expected ',' or ')', found 5");
        CHECK(parse_error("Conv2d 1,5,5") == "column 8: expected '(' after Conv2d, found 1");
        CHECK(parse_error("") == "column 1: expected a layer such as Conv2d(1, 5, 5), found the end");
        CHECK(parse_error("Conv2d(1,5,5,stride=$)") == "column 21: unexpected character '$'");
        CHECK(parse_error("Conv2d(1,5,99999999999999999999)") ==
              "column 12: the number 99999999999999999999 is too large");
    }
    SECTION("signature errors, as Python's TypeError") {
        LayerErrorKind kind;
        CHECK(parse_error("Conv2d(1,5,5,strides=2)", &kind) ==
              "column 14: Conv2d() got an unexpected keyword argument 'strides' (did you mean 'stride'?)");
        CHECK(kind == LayerErrorKind::Signature);
        CHECK(parse_error("Conv2d(1,5)", &kind) ==
              "column 11: Conv2d() missing required argument 'kernel_size'");
        CHECK(parse_error("ReLU(True,1)") == "column 11: ReLU() takes at most 1 positional argument, got 2");
        CHECK(parse_error("MaxPool2d(2,kernel_size=3)") ==
              "column 13: MaxPool2d() got multiple values for argument 'kernel_size'");
        CHECK(parse_error("AvgPool2d(2,dilation=2)") ==
              "column 13: AvgPool2d() got an unexpected keyword argument 'dilation'");
        CHECK(parse_error("Conv2d(1,5,5.5)") ==
              "column 12: kernel_size must be a whole number or a pair (h, w), got 5.5");
        CHECK(parse_error("Conv2d(1,5,(3,3,3))") ==
              "column 12: kernel_size must be a whole number or a pair (h, w), got (3, 3, 3)");
        CHECK(parse_error("Conv2d(1,5,5,bias=None)") == "column 19: bias must be True or False, got None");
        CHECK(parse_error("MaxPool2d(2,padding='same')") ==
              "column 21: padding must be a whole number or a pair (h, w), got 'same'");
        CHECK(parse_error("conv2d(1,5,5)", &kind) == "column 1: conv2d is not a layer; did you mean Conv2d?");
        CHECK(kind == LayerErrorKind::Signature);
        CHECK(parse_error("nn.BatchNorm3d(5)") ==
              "column 1: BatchNorm3d is not a layer ConvScope knows (it knows " + known() + ")");
    }
    SECTION("argument values PyTorch refuses while parsing") {
        LayerErrorKind kind;
        CHECK(parse_error("Conv2d(1,1,3,padding='full')", &kind) ==
              "column 22: invalid padding string 'full', should be 'same' or 'valid'");
        CHECK(kind == LayerErrorKind::Argument);
        CHECK(parse_error("Conv2d(1,1,3,padding_mode='mirror')") ==
              "column 27: padding_mode must be 'zeros', 'reflect', 'replicate' or 'circular', got 'mirror'");
        CHECK(parse_error("MaxPool2d(2,stride=0)") ==
              "column 20: stride must be at least 1 (or None for the kernel size), got 0");
        CHECK(parse_error("MaxPool2d(2,return_indices=True)") ==
              "column 28: return_indices=True makes MaxPool2d return (output, indices); a stack needs one "
              "output");
        CHECK(parse_error("AvgPool2d(2,divisor_override=3)") ==
              "column 30: divisor_override is not supported here");
    }
}

TEST_CASE("to_pytorch and parse_pytorch_code: the code round-trip") {
    SECTION("the lecture's stack as the lecture writes it") {
        const std::string code = to_pytorch_code(Network::lecture());
        CHECK(code ==
              "import torch\n"
              "import torch.nn as nn\n"
              "\n"
              "input = torch.randn(1, 1, 28, 28)\n"
              "conv1 = nn.Conv2d(1, 5, 5)\n"
              "pool1 = nn.MaxPool2d(2)\n"
              "\n"
              "x = conv1(input)\n"
              "print(\"conv1\", list(x.shape))  # [1, 5, 24, 24]\n"
              "x = pool1(x)\n"
              "print(\"pool1\", list(x.shape))  # [1, 5, 12, 12]\n");
        CHECK(parse_pytorch_code(code).value() == Network::lecture());
    }
    SECTION("every stack of stacks.json that parses: export, then import, gives the same stack") {
        const nlohmann::json doc = load_stacks();
        int tried = 0;
        for (const auto& stack : doc["stacks"]) {
            Network net;
            net.input = to_shape(stack["input"]);
            bool parsed = true;
            for (const auto& text : stack["layers"]) {
                auto L = parse_layer(text.get<std::string>());
                if (!L) {
                    parsed = false;
                    break;
                }
                CHECK(parse_layer(to_pytorch(*L)).value() == *L);
                net.layers.push_back(*L);
            }
            if (!parsed) continue;
            ++tried;
            INFO(stack["name"].get<std::string>() << "\n" << to_pytorch_code(net));
            auto back = parse_pytorch_code(to_pytorch_code(net));
            REQUIRE(back);
            CHECK(*back == net);
        }
        CHECK(tried >= 50);
    }
    SECTION("random stacks of every kind and argument") {
        std::mt19937 rng(7);
        for (int k = 0; k < 300; ++k) {
            const Network net = random_network(rng);
            const std::string code = to_pytorch_code(net);
            INFO(code);
            auto back = parse_pytorch_code(code);
            if (net.layers.empty()) {
                CHECK(!back);
                continue;
            }
            REQUIRE(back);
            CHECK(*back == net);
        }
    }
    SECTION("non-default arguments are written, defaults left out") {
        Layer conv = Layer::conv2d(16, 8, Pair(3, 5));
        conv.stride = Pair(2, 1);
        conv.padding = Padding::same();
        conv.dilation = Pair(2);
        conv.groups = 4;
        conv.bias = false;
        conv.padding_mode = PaddingMode::Reflect;
        CHECK(to_pytorch(conv) ==
              "nn.Conv2d(16, 8, (3, 5), stride=(2, 1), padding='same', dilation=2, groups=4, bias=False, "
              "padding_mode='reflect')");
        Layer pool = Layer::avg_pool2d(Pair(2, 3));
        pool.padding = Padding(1);
        pool.ceil_mode = true;
        pool.count_include_pad = false;
        CHECK(to_pytorch(pool) == "nn.AvgPool2d((2, 3), padding=1, ceil_mode=True, count_include_pad=False)");
        CHECK(to_pytorch(Layer::flatten()) == "nn.Flatten()");
        CHECK(to_pytorch(Layer::linear(720, 10)) == "nn.Linear(720, 10)");
    }
    SECTION("an error in the stack is written as a comment on its line") {
        Network net;
        net.input = {1, 3, 28, 28};
        net.layers = {Layer::conv2d(1, 5, 5)};
        CHECK(to_pytorch_code(net).find(
                  "x = conv1(input)  # error: in_channels is 1, but the input 1×3×28×28 has 3 channels\n") !=
              std::string::npos);
    }
}

TEST_CASE("parse_pytorch_code: pasted code in the forms students write it") {
    SECTION("the lecture's lines") {
        auto net = parse_pytorch_code(
            "input = torch.Tensor(1,1,28,28)\nconv1 = nn.Conv2d(1,5,5)\npool = nn.MaxPool2d(2)\n");
        REQUIRE(net);
        CHECK(*net == Network::lecture());
    }
    SECTION("bare layer lines keep the default input") {
        auto net = parse_pytorch_code("nn.Conv2d(3,8,3)\nnn.ReLU()\n", {1, 3, 32, 32});
        REQUIRE(net);
        CHECK(net->input == Shape{1, 3, 32, 32});
        CHECK(net->layers.size() == 2);
    }
    SECTION("nn.Sequential over several lines, comments, torch.randn with a tuple") {
        auto net = parse_pytorch_code(
            "x = torch.randn((2, 1, 28, 28))  # a batch of two\n"
            "model = nn.Sequential(\n"
            "    nn.Conv2d(1, 5,\n"
            "              kernel_size=5),  # nn.Conv2d(9, 9, 9) in a comment is ignored\n"
            "    nn.MaxPool2d(2),\n"
            "    nn.Flatten(),\n"
            "    nn.Linear(720, 10),\n"
            ")\n"
            "print(model(x).shape)\n");
        REQUIRE(net);
        CHECK(net->input == Shape{2, 1, 28, 28});
        REQUIRE(net->layers.size() == 4);
        CHECK(net->layers[0] == Layer::conv2d(1, 5, 5));
        CHECK(net->layers[3] == Layer::linear(720, 10));
    }
    SECTION("a Module class: forward's calls give the order, F.relu a ReLU") {
        auto net = parse_pytorch_code(
            "class Net(nn.Module):\n"
            "    def __init__(self):\n"
            "        super(Net, self).__init__()\n"
            "        self.conv1 = nn.Conv2d(1, 6, 5)\n"
            "        self.pool = nn.MaxPool2d(2, 2)\n"
            "    def forward(self, x):\n"
            "        return self.pool(F.relu(self.conv1(x)))\n");
        REQUIRE(net);
        REQUIRE(net->layers.size() == 3);
        CHECK(net->layers[0] == Layer::conv2d(1, 6, 5));
        CHECK(net->layers[1] == Layer::relu());
        CHECK(net->layers[2].kind == LayerKind::MaxPool2d);
    }
    SECTION("errors name the line") {
        CHECK(parse_pytorch_code("conv1 = nn.Conv2d(1,5,5)\nbn = nn.BatchNorm3d(5)\n").error() ==
              "line 2: column 6: BatchNorm3d is not a layer ConvScope knows (it knows " + known() + ")");
        CHECK(parse_pytorch_code("conv1 = nn.Conv2d(1,5,5)\n\npool = nn.MaxPool2d(2,,)\n").error() ==
              "line 3: column 23: expected a value (a number, a tuple, True/False, None or a quoted string), "
              "found ','");
        CHECK(parse_pytorch_code("print('hello')\n").error() ==
              "no layers found: paste lines such as nn.Conv2d(1, 5, 5) or nn.MaxPool2d(2) (ConvScope knows " +
                  known() + ")");
        CHECK(parse_pytorch_code("input = torch.Tensor(1,0,28,28)\nnn.ReLU()").error() ==
              "line 1: every input dimension must be at least 1");
    }
}

TEST_CASE("run_network: every layer's output, on the fastest CPU backend") {
    Network net = Network::lecture();
    net.layers.push_back(Layer::relu());
    net.layers.push_back(Layer::flatten());
    net.layers.push_back(Layer::linear(720, 10));
    const auto weights = random_weights(net, 42);
    REQUIRE(weights.size() == 5);
    CHECK(weights[0].weight.shape == Shape{5, 1, 5, 5});
    CHECK(weights[0].bias.shape == Shape{5});
    CHECK(weights[4].weight.shape == Shape{10, 720});
    for (float w : weights[0].weight.data) CHECK(std::fabs(w) <= 1.0f / 5.0f);  // ±1/√fan_in, fan_in 25
    CHECK(random_weights(net, 42)[0].weight == weights[0].weight);              // replicable
    CHECK(random_weights(net, 43)[0].weight != weights[0].weight);

    const Tensor input = random_tensor({1, 1, 28, 28}, 1);
    // Run backend
    auto outputs = run_network(net, weights, input, fastest_cpu_backend());
    REQUIRE(outputs);
    REQUIRE(outputs->size() == 5);
    // Compute reference, layer by layer
    auto conv = reference_backend().conv2d(input, weights[0].weight, &weights[0].bias, {});
    REQUIRE(conv);
    // Verify
    CHECK(mismatch(*conv, (*outputs)[0], 1e-5f, 1e-5f) == "");
    Pool2dParams pool;
    pool.kernel = Pair(2);
    auto pooled = reference_backend().pool2d((*outputs)[0], pool);
    REQUIRE(pooled);
    CHECK(mismatch(*pooled, (*outputs)[1], 0, 0) == "");
    for (size_t i = 0; i < pooled->data.size(); ++i)
        REQUIRE((*outputs)[2].data[i] == std::max(0.0f, pooled->data[i]));
    CHECK((*outputs)[3].shape == Shape{1, 720});
    CHECK((*outputs)[3].data == (*outputs)[2].data);
    for (int o = 0; o < 10; ++o) {
        double sum = weights[4].bias.data[size_t(o)];
        for (int k = 0; k < 720; ++k)
            sum +=
                double((*outputs)[3].data[size_t(k)]) * double(weights[4].weight.data[size_t(o * 720 + k)]);
        CHECK((*outputs)[4].data[size_t(o)] == Approx(sum).epsilon(1e-4).margin(1e-5));
    }

    SECTION("the same on the reference backend") {
        auto ref = run_network(net, weights, input, reference_backend());
        REQUIRE(ref);
        for (size_t i = 0; i < ref->size(); ++i)
            CHECK(mismatch((*ref)[i], (*outputs)[i], 1e-5f, 1e-5f) == "");
    }
    SECTION("Linear on the last dimension of a 4-D tensor, without bias") {
        Network lin;
        lin.input = {1, 2, 3, 4};
        lin.layers = {Layer::linear(4, 2)};
        lin.layers[0].bias = false;
        auto w = random_weights(lin, 5);
        CHECK(w[0].bias.data.empty());
        const Tensor x = random_tensor({1, 2, 3, 4}, 9);
        auto y = run_network(lin, w, x, reference_backend());
        REQUIRE(y);
        CHECK((*y)[0].shape == Shape{1, 2, 3, 2});
        for (int r = 0; r < 6; ++r)
            for (int o = 0; o < 2; ++o) {
                float sum = 0.0f;
                for (int k = 0; k < 4; ++k)
                    sum += x.data[size_t(r * 4 + k)] * w[0].weight.data[size_t(o * 4 + k)];
                CHECK((*y)[0].data[size_t(r * 2 + o)] == sum);
            }
    }
    SECTION("refusals: an invalid stack, a wrong input, wrong weights") {
        Network bad = net;
        bad.input = {1, 3, 28, 28};
        CHECK(run_network(bad, weights, random_tensor({1, 3, 28, 28}, 1), reference_backend()).error() ==
              "layer 1 (Conv2d): in_channels is 1, but the input 1×3×28×28 has 3 channels");
        CHECK(run_network(net, weights, random_tensor({1, 1, 27, 28}, 1), reference_backend()).error() ==
              "the input must be 1×1×28×28, got 1×1×27×28");
        auto wrong = weights;
        wrong[0].weight = Tensor::filled({5, 1, 3, 3});
        CHECK(run_network(net, wrong, input, reference_backend()).error() ==
              "layer 1 (Conv2d): the weight must be 5×1×5×5, got 5×1×3×3");
        wrong = weights;
        wrong.pop_back();
        CHECK(run_network(net, wrong, input, reference_backend()).error() ==
              "expected weights for 5 layers, got 4");
    }
}

TEST_CASE("parse_layer and parse_pytorch_code: mangled text is an error, never a crash") {
    const std::string seeds[] = {
        "nn.Conv2d(16,8,(3,5),padding=(1,2),bias=False)",
        "MaxPool2d(2,stride=None)",
        "AvgPool2d((2,3),count_include_pad=False)",
        "Flatten(0,-1)",
        "Linear(720,10)",
        "input = torch.randn((1,1,28,28))\nnn.Sequential(nn.Conv2d(1,5,5), nn.ReLU())"};
    const std::string alphabet = "()[],='\"-+.#\n 0123456789abcnTFNx_";
    std::mt19937 rng(11);
    int errors = 0;
    for (int k = 0; k < 3000; ++k) {
        std::string text = seeds[size_t(k) % std::size(seeds)];
        const int edits = std::uniform_int_distribution<int>(1, 4)(rng);
        for (int e = 0; e < edits && !text.empty(); ++e) {
            const size_t at = std::uniform_int_distribution<size_t>(0, text.size() - 1)(rng);
            const char c = alphabet[std::uniform_int_distribution<size_t>(0, alphabet.size() - 1)(rng)];
            switch (rng() % 3) {
                case 0:
                    text[at] = c;
                    break;
                case 1:
                    text.insert(text.begin() + long(at), c);
                    break;
                default:
                    text.erase(at, 1);
                    break;
            }
        }
        auto L = parse_layer(text);
        if (!L) {
            ++errors;
            CHECK(!L.error().empty());
        } else {
            // Whatever parses checks without crashing and writes code that parses back to the same layer.
            Network net;
            net.layers = {*L};
            (void)check_network(net);
            CHECK(parse_layer(to_pytorch(*L)).value() == *L);
        }
        auto net = parse_pytorch_code(text);
        if (!net) CHECK(!net.error().empty());
    }
    CHECK(errors > 100);
}

TEST_CASE("resize_area: PyTorch's adaptive_avg_pool2d, shrinking and enlarging") {
    Tensor x = Tensor::filled({1, 1, 5, 7});
    for (size_t i = 0; i < x.data.size(); ++i) x.data[i] = float(i);
    // F.adaptive_avg_pool2d(torch.arange(35.).reshape(1,1,5,7), (3,2))
    CHECK(mismatch(Tensor({1, 1, 3, 2}, {5, 8, 15.5, 18.5, 26, 29}), resize_area(x, 3, 2), 0, 0) == "");
    // F.adaptive_avg_pool2d(torch.tensor([[[[1.,2.],[3.,4.]]]]), (3,3))
    CHECK(mismatch(Tensor({2, 2}, {1, 2, 3, 4}), resize_area(Tensor({2, 2}, {1, 2, 3, 4}), 2, 2), 0, 0) ==
          "");
    CHECK(mismatch(Tensor({1, 3, 3}, {1, 1.5, 2, 2, 2.5, 3, 3, 3.5, 4}),
                   resize_area(Tensor({1, 2, 2}, {1, 2, 3, 4}), 3, 3), 0, 0) == "");
}

TEST_CASE("layer_step: one output element of a layer as a stepper problem gives the same value") {
    // A stack with a single-channel conv, a padded two-channel conv, and a padded max pool.
    Network net;
    net.input = {1, 1, 12, 12};
    Layer conv2 = Layer::conv2d(2, 3, 3);
    conv2.padding = Padding(1);
    Layer pool = Layer::max_pool2d(3);
    pool.stride = Pair(2);
    pool.padding = Padding(1);
    Layer avg = Layer::avg_pool2d(2);
    net.layers = {Layer::conv2d(1, 2, 3), conv2, pool, avg, Layer::relu()};
    const auto weights = random_weights(net, 3);
    const Tensor input = random_tensor({1, 1, 12, 12}, 4);
    auto outputs = run_network(net, weights, input, reference_backend());
    REQUIRE(outputs);
    // The value the stepper's problem computes at its window.
    auto stepped = [&](size_t layer, int64_t c, int64_t oy, int64_t ox) -> float {
        const Tensor& x = layer == 0 ? input : (*outputs)[layer - 1];
        auto nb = layer_step(net.layers[layer], weights[layer], x, c, oy, ox, 1, 24, 7, 3);
        REQUIRE(nb);
        const StepperProblem& p = nb->problem;
        Result<Tensor> y = Tensor{};
        if (const ConvProblem* c = p.weighted())
            y = reference_backend().conv2d(p.input, c->weight, c->has_bias ? &c->bias : nullptr, c->conv);
        else
            y = reference_backend().pool2d(p.input, *p.pool());
        REQUIRE(y);
        return y->data[size_t(nb->window)];
    };
    for (int64_t oy : {0, 4, 9})
        for (int64_t ox : {0, 5, 9}) {
            CHECK(stepped(0, 1, oy, ox) == (*outputs)[0].at(0, 1, oy, ox));
            CHECK(stepped(1, 2, oy, ox) == (*outputs)[1].at(0, 2, oy, ox));
        }
    for (int64_t oy : {0, 2, 4})
        for (int64_t ox : {0, 3, 4}) CHECK(stepped(2, 1, oy, ox) == (*outputs)[2].at(0, 1, oy, ox));
    CHECK(stepped(3, 2, 1, 1) == (*outputs)[3].at(0, 2, 1, 1));

    SECTION("layers without a window, and what does not fit the stepper") {
        CHECK(layer_step(net.layers[4], weights[4], (*outputs)[3], 0, 0, 0, 1, 24, 7, 3).error() ==
              "ReLU has no sliding window to step through");
        CHECK(layer_step(net.layers[1], weights[1], (*outputs)[0], 0, 0, 0, 1, 24, 7, 1).error() ==
              "each output channel of this layer reads 2 input channels; the stepper shows at most 1");
        CHECK(!layer_step(net.layers[1], weights[1], (*outputs)[0], 3, 0, 0, 1, 24, 7, 3));
    }
}

TEST_CASE("set_channel_preset, random_layer_weights and input_from_image: the view's inputs, made in core") {
    SECTION("a preset kernel centred in a 5x5 conv, shared out over the group's input channels, bias 0") {
        const Layer L = Layer::conv2d(2, 3, 5);
        LayerWeights w = random_layer_weights(L, 9);
        CHECK(w == random_layer_weights(L, 9));
        const Tensor before = w.weight;
        REQUIRE(set_channel_preset(L, w, 1, "sobel-x"));
        const float sobel_x[3][3] = {{-1, 0, 1}, {-2, 0, 2}, {-1, 0, 1}};
        for (int c = 0; c < 2; ++c)
            for (int y = 0; y < 5; ++y)
                for (int x = 0; x < 5; ++x) {
                    const bool inside = y >= 1 && y <= 3 && x >= 1 && x <= 3;
                    const float expected = inside ? sobel_x[y - 1][x - 1] / 2.0f : 0.0f;
                    INFO("c=" << c << " y=" << y << " x=" << x);
                    CHECK(w.weight.at(1, c, y, x) == expected);
                }
        CHECK(w.bias.data[1] == 0.0f);
        // The other channels keep their random weights.
        for (int y = 0; y < 5; ++y) CHECK(w.weight.at(0, 0, y, 0) == before.at(0, 0, y, 0));
        CHECK(set_channel_preset(L, w, 3, "sobel-x").error() == "output channel 3 does not exist");
        CHECK(!set_channel_preset(L, w, 0, "no-such-kernel"));
        CHECK(set_channel_preset(Layer::linear(2, 2), w, 0, "box").error() ==
              "only Conv2d layers take preset kernels");
    }
    SECTION("a 1x1 conv takes the centre of a sized preset") {
        const Layer L = Layer::conv2d(1, 1, 1);
        LayerWeights w = random_layer_weights(L, 1);
        REQUIRE(set_channel_preset(L, w, 0, "box"));
        CHECK(w.weight.data == std::vector<float>{1.0f});
    }
    SECTION("an RGB image into 1, 3 and 2-channel inputs, and a row") {
        Tensor rgb = Tensor::filled({3, 4, 4});
        for (int c = 0; c < 3; ++c)
            for (int i = 0; i < 16; ++i) rgb.data[size_t(c * 16 + i)] = float(c * 10 + i % 4);
        const Tensor grey = input_from_image({2, 1, 2, 2}, rgb);
        CHECK(grey.shape == Shape{2, 1, 2, 2});
        CHECK(grey.at(0, 0, 0, 0) == Approx((0.5 + 10.5 + 20.5) / 3));
        CHECK(grey.at(1, 0, 1, 1) == grey.at(0, 0, 1, 1));  // the batch repeats the sample
        const Tensor colour = input_from_image({3, 2, 2}, rgb);
        CHECK(colour.data[size_t(2 * 4 + 1)] == 22.5f);  // channel 2 kept, cell (0, 1)
        const Tensor two = input_from_image({1, 2, 4, 4}, rgb);
        CHECK(two.at(0, 1, 0, 3) == Approx((3 + 13 + 23) / 3.0));
        const Tensor row = input_from_image({1, 8}, rgb);
        CHECK(row.shape == Shape{1, 8});
    }
}

TEST_CASE("parse_layer and parse_pytorch_code: deep nesting is a readable error, not a stack overflow") {
    for (const int depth : {65, 1000, 50000}) {
        INFO("depth " << depth);
        const std::string nested =
            "Conv2d(1,5," + std::string(size_t(depth), '(') + "5" + std::string(size_t(depth), ')') + ")";
        auto layer = parse_layer(nested);
        REQUIRE_FALSE(layer);
        CHECK(layer.error().ends_with("nested more than 64 deep"));
        auto code = parse_pytorch_code("nn." + nested + "\n", {1, 1, 28, 28});
        REQUIRE_FALSE(code);
        CHECK(code.error().ends_with("nested more than 64 deep"));
        auto minus = parse_layer("Conv2d(1,5," + std::string(size_t(depth), '-') + "5)");
        REQUIRE_FALSE(minus);
        CHECK(minus.error().ends_with("nested more than 64 deep"));
    }
    // 63 levels of parentheses around a number are still just that number, as in Python.
    auto ok = parse_layer("Conv2d(1,5," + std::string(63, '(') + "5" + std::string(63, ')') + ")");
    REQUIRE(ok);
    CHECK(ok->kernel == Pair{5});
}

TEST_CASE("run_network: every new layer's values match PyTorch's (stacks.json values)") {
    const nlohmann::json doc = load_stacks();
    REQUIRE(doc["values"].size() >= 20);
    for (const auto& v : doc["values"]) {
        const std::string text = v["layer"];
        DYNAMIC_SECTION(text) {
            Network net;
            net.input = to_shape(v["input"]);
            net.layers = {parse_layer(text).value()};
            // The script's tensors: x[i] = 2·sin(0.37·i), weight[i] = cos(0.11·i), bias[i] = 0.1·cos(i).
            Tensor x = Tensor::filled(net.input);
            for (size_t i = 0; i < x.data.size(); ++i) x.data[i] = float(2.0 * std::sin(0.37 * double(i)));
            auto weights = random_weights(net, 1);
            if (net.layers[0].kind != LayerKind::BatchNorm2d) {
                for (size_t i = 0; i < weights[0].weight.data.size(); ++i)
                    weights[0].weight.data[i] = float(std::cos(0.11 * double(i)));
                for (size_t i = 0; i < weights[0].bias.data.size(); ++i)
                    weights[0].bias.data[i] = float(0.1 * std::cos(double(i)));
            }
            auto out = run_network(net, weights, x, fastest_cpu_backend());
            REQUIRE(out);
            const Tensor& y = out->back();
            REQUIRE(shape_to_string(y.shape) == shape_to_string(to_shape(v["shape"])));
            const auto expect = v["values"].get<std::vector<double>>();
            REQUIRE(expect.size() == y.data.size());
            for (size_t i = 0; i < expect.size(); ++i) {
                INFO("at flat index " << i);
                REQUIRE(double(y.data[i]) == Approx(expect[i]).margin(2e-5).epsilon(1e-4));
            }
        }
    }
}

TEST_CASE("run_network: the bundled stacks and every accepted stack of stacks.json run, shapes as checked") {
    const nlohmann::json doc = load_stacks();
    int ran = 0;
    for (const auto& stack : doc["stacks"]) {
        if (stack.contains("error")) continue;
        Network net;
        net.input = to_shape(stack["input"]);
        for (const auto& t : stack["layers"]) net.layers.push_back(parse_layer(t.get<std::string>()).value());
        const NetworkCheck check = check_network(net);
        REQUIRE(check.ok());
        if (check.total_macs > 2'000'000'000) continue;
        INFO(stack["name"].get<std::string>());
        auto out =
            run_network(net, random_weights(net, 3), random_tensor(net.input, 5), fastest_cpu_backend());
        REQUIRE(out);
        for (size_t i = 0; i < out->size(); ++i) {
            CHECK((*out)[i].shape == check.layers[i].output);
            for (float f : (*out)[i].data) REQUIRE(std::isfinite(f));
        }
        ++ran;
    }
    CHECK(ran >= 55);
}

TEST_CASE("bundled_stacks: the menu's stacks as PyTorch runs them") {
    const nlohmann::json doc = load_stacks();
    const auto& stacks = bundled_stacks();
    REQUIRE(stacks.size() == 6);
    for (const BundledStack& b : stacks) {
        DYNAMIC_SECTION(b.id) {
            const nlohmann::json* entry = nullptr;
            for (const auto& s : doc["stacks"])
                if (s["name"] == "bundled: " + std::string(b.id)) entry = &s;
            REQUIRE(entry);
            CHECK(b.net.input == to_shape((*entry)["input"]));
            REQUIRE(b.net.layers.size() == (*entry)["layers"].size());
            const NetworkCheck check = check_network(b.net);
            REQUIRE(check.ok());
            for (size_t i = 0; i < b.net.layers.size(); ++i) {
                const auto& e = (*entry)["expect"][i];
                INFO("layer " << i + 1 << ": " << b.net.layers[i]);
                CHECK(b.net.layers[i] == parse_layer((*entry)["layers"][i].get<std::string>()).value());
                CHECK(check.layers[i].output == to_shape(e["shape"]));
                CHECK(check.layers[i].params == e["params"].get<int64_t>());
                CHECK(check.layers[i].buffers == e["buffers"].get<int64_t>());
                CHECK(check.layers[i].mult_adds == e["mult_adds"].get<int64_t>());
            }
            // Code out, then code in, gives the same stack.
            CHECK(parse_pytorch_code(to_pytorch_code(b.net)).value() == b.net);
        }
    }
    // AlexNet's figures as torchinfo prints them for torchvision's model.
    const NetworkCheck alexnet = check_network(stacks[2].net);
    CHECK(alexnet.total_params == 61'100'840);
    CHECK(alexnet.total_mult_adds == 714'682'664);
    const SizeEstimate e = estimate_sizes(stacks[2].net, alexnet);
    CHECK(e.input_mb == Approx(0.602112));
    CHECK(e.params_mb == Approx(244.40336));
    CHECK(e.forward_backward_mb ==
          Approx(2.0 * 4.0 * (64 * 55 * 55 + 192 * 27 * 27 + 384 * 169 + 256 * 169 * 2 + 4096 * 2 + 1000) /
                 1e6));
}

TEST_CASE("receptive fields: the formula, the path counts, and PyTorch's gradients agree") {
    const nlohmann::json doc = load_stacks();
    REQUIRE(doc["receptive_fields"].size() >= 5);
    for (const auto& f : doc["receptive_fields"]) {
        DYNAMIC_SECTION(f["name"].get<std::string>()) {
            Network net;
            net.input = to_shape(f["input"]);
            for (const auto& t : f["layers"]) net.layers.push_back(parse_layer(t.get<std::string>()).value());
            const int last = int(net.layers.size()) - 1;
            const int64_t oy = f["at"][0], ox = f["at"][1];
            auto maps = receptive_field_paths(net, last, oy, ox);
            REQUIRE(maps);
            REQUIRE(maps->size() == net.layers.size() + 1);
            const PathCounts& in = maps->front();
            const auto grad = f["paths"].get<std::vector<std::vector<int64_t>>>();
            REQUIRE(int64_t(grad.size()) == in.shape[2]);
            // PyTorch's gradient with every weight 1 counts the same paths, pixel by pixel.
            int64_t y0 = -1, y1 = -1, x0 = -1, x1 = -1;
            for (int64_t y = 0; y < in.shape[2]; ++y)
                for (int64_t x = 0; x < in.shape[3]; ++x) {
                    INFO("input pixel (" << y << ", " << x << ")");
                    REQUIRE(in.at(y, x) == double(grad[size_t(y)][size_t(x)]));
                    if (grad[size_t(y)][size_t(x)] > 0) {
                        if (y0 < 0) y0 = y;
                        y1 = y;
                        x0 = x0 < 0 ? x : std::min(x0, x);
                        x1 = std::max(x1, x);
                    }
                }
            // The formula: the field of output (oy, ox) spans start + o·jump ± (r − 1)/2, cut by the borders.
            const NetworkCheck check = check_network(net);
            const bool upsampled = std::any_of(net.layers.begin(), net.layers.end(),
                                               [](const Layer& L) { return L.kind == LayerKind::Upsample; });
            if (upsampled) {
                CHECK(!check.layers.back().rf);  // no formula after Upsample; the counts above still hold
                return;
            }
            REQUIRE(check.layers.back().rf);
            const ReceptiveField rf = *check.layers.back().rf;
            const double cy = rf.start_h + double(oy * rf.jump.h), cx = rf.start_w + double(ox * rf.jump.w);
            CHECK(double(y0) == std::max(0.0, cy - double(rf.size.h - 1) / 2));
            CHECK(double(y1) == std::min(double(in.shape[2] - 1), cy + double(rf.size.h - 1) / 2));
            CHECK(double(x0) == std::max(0.0, cx - double(rf.size.w - 1) / 2));
            CHECK(double(x1) == std::min(double(in.shape[3] - 1), cx + double(rf.size.w - 1) / 2));
        }
    }
    SECTION("the lecture's numbers, and where the field stops") {
        Network net = Network::lecture();
        net.layers.push_back(Layer::flatten());
        const NetworkCheck c = check_network(net);
        CHECK(c.layers[0].rf == ReceptiveField{Pair(5), Pair(1), 2.0, 2.0});
        CHECK(c.layers[1].rf == ReceptiveField{Pair(6), Pair(2), 2.5, 2.5});
        CHECK(!c.layers[2].rf);
        CHECK(receptive_field_paths(net, 2, 0, 0).error().find("stops at layer 3 (Flatten)") !=
              std::string::npos);
        CHECK(!receptive_field_paths(net, 1, 12, 0));  // outside the 12×12 map
        auto maps = receptive_field_paths(net, 1, 0, 0).value();
        CHECK(maps[0].max() == 4.0);  // the middle of the 6×6 corner: 2 conv outputs per axis read it
        CHECK(maps[0].at(0, 0) == 1.0);
        CHECK(maps[0].at(0, 6) == 0.0);
        CHECK(maps[1].max() == 1.0);
    }
}

TEST_CASE("import_pytorch_code: torchvision's AlexNet, print(model), skipped lines, nesting") {
    auto read = [](const std::string& name) {
        std::ifstream in(testing::source_path("tests/network/" + name));
        REQUIRE(in);
        return std::string(std::istreambuf_iterator<char>(in), {});
    };
    const Network& bundled = bundled_stacks()[2].net;
    SECTION(
        "its source: the forward gives the order, torch.flatten a Flatten, the defaults num_classes, "
        "dropout") {
        auto r = import_pytorch_code(read("alexnet_source.py"));
        REQUIRE(r);
        CHECK(r->net == bundled);
        CHECK(std::find(r->skipped.begin(), r->skipped.end(), SkippedLine{19, "class AlexNet(nn.Module):"}) !=
              r->skipped.end());
        CHECK(std::find(r->skipped.begin(), r->skipped.end(), SkippedLine{54, "return x"}) !=
              r->skipped.end());
        CHECK(std::any_of(r->notes.begin(), r->notes.end(), [](const Error& n) {
            return n.message == "line 52: torch.flatten read as Flatten()";
        }));
    }
    SECTION("what print(model) prints") {
        auto r = import_pytorch_code(read("alexnet_print.txt"));
        REQUIRE(r);
        CHECK(r->net == bundled);
        CHECK(r->skipped.empty());
    }
    SECTION("print(model) lines pasted on their own, and the older torchvision's x.view") {
        auto r = import_pytorch_code(
            "(0): Conv2d(3, 64, kernel_size=(11, 11), stride=(4, 4), padding=(2, 2))\n"
            "(1): ReLU(inplace=True)\n"
            "(2): BatchNorm2d(64, eps=1e-05, momentum=0.1, affine=True, track_running_stats=True)\n"
            "(3): Upsample(scale_factor=2.0, mode=nearest)\n",
            Shape{1, 3, 64, 64});
        REQUIRE(r);
        REQUIRE(r->net.layers.size() == 4);
        CHECK(r->net.layers[2] == parse_layer("BatchNorm2d(64)").value());
        CHECK(r->net.layers[3] == parse_layer("Upsample(scale_factor=2)").value());
        auto old = import_pytorch_code(
            "class Net(nn.Module):\n"
            "    def __init__(self):\n"
            "        self.conv = nn.Conv2d(1, 4, 3)\n"
            "        self.fc = nn.Linear(4 * 26 * 26, 10)\n"
            "    def forward(self, x):\n"
            "        x = self.conv(x)\n"
            "        x = x.view(x.size(0), -1)\n"
            "        return self.fc(x)\n");
        REQUIRE(old);
        CHECK(old->net.input == Shape{1, 1, 28, 28});
        REQUIRE(old->net.layers.size() == 3);
        CHECK(old->net.layers[1] == Layer::flatten());
        CHECK(check_network(old->net).ok());
    }
    SECTION("nn.Sequential nested, trailing commas, every line either a layer or listed") {
        auto r = import_pytorch_code(
            "import torch.nn as nn\n"
            "model = nn.Sequential(\n"
            "    nn.Sequential(nn.Conv2d(1, 2, 3), nn.Sequential(nn.ReLU(),),),  # a block\n"
            "    torch.nn.MaxPool2d(2),\n"
            ")\n"
            "print(model)\n");
        REQUIRE(r);
        CHECK(r->net.layers.size() == 3);
        CHECK(r->skipped == std::vector<SkippedLine>{{1, "import torch.nn as nn"}, {6, "print(model)"}});
    }
    SECTION("a layer called where it is made, nn.Conv2d(1, 5, 5)(x)") {
        auto r = import_pytorch_code(
            "x = torch.randn(1, 1, 28, 28)\ny = nn.MaxPool2d(2)(nn.Conv2d(1, 5, 5)(x))\n");
        REQUIRE(r);
        REQUIRE(r->net.layers.size() == 2);
        CHECK(r->net.layers[0] == Layer::conv2d(1, 5, 5));  // applied first
        CHECK(r->net.layers[1].kind == LayerKind::MaxPool2d);
    }
    SECTION("nesting is bounded: 64 deep is read, deeper is an error") {
        auto nested = [](int depth) {
            std::string s;
            for (int k = 0; k < depth; ++k) s += "nn.Sequential(";
            s += "nn.ReLU()";
            for (int k = 0; k < depth; ++k) s += ")";
            return s;
        };
        CHECK(import_pytorch_code(nested(20)));
        auto deep = import_pytorch_code(nested(200));
        REQUIRE(!deep);
        CHECK(deep.error().find("nested more than 64 deep") != std::string::npos);
        CHECK(!import_pytorch_code(std::string(50000, '(') + "nn.ReLU()"));
        // Values that would not read back: an infinite float, the one int64 whose text does not parse.
        CHECK(!parse_layer("Dropout(p=1e999)"));
        CHECK(!parse_layer("Softmax(dim=-9223372036854775807 - 1)"));
        // Many lines are read in linear time (each statement's line is counted once).
        std::string many;
        for (int k = 0; k < 20000; ++k) many += "nn.ReLU()  # " + std::to_string(k) + "\n";
        auto big = import_pytorch_code(many, Shape{1, 1, 4, 4});
        REQUIRE(big);
        CHECK(big->net.layers.size() == 20000);
        // print(model)'s "N x Module" repeats cannot multiply past the limit.
        std::string repeats = "Net(";
        for (int k = 0; k < 6; ++k) repeats += "(0): 1000 x Sequential(";
        repeats += "(0): ReLU()" + std::string(7, ')');
        CHECK(!import_pytorch_code(repeats));
        CHECK(!parse_layer("Conv2d(" + std::string(50000, '(') + "1"));
    }
}

// [SECTION] Errors in two languages: the parser's, the checks' and the run's errors are coded (Error{code,
// args}); their English is the CLI's, their Korean the UI's, and their kind, line, column and layer are read
// from the error itself.

TEST_CASE("network errors: parse_layer's refusals render in Korean, their kind and column in the error") {
    SECTION("syntax") {
        const std::string text = "Conv2d(1,5,,5)";
        auto r = parse_layer(text);
        REQUIRE_FALSE(r.ok());
        CHECK(r.error() ==
              "column 12: expected a value (a number, a tuple, True/False, None or a quoted string), found "
              "','");
        CHECK(render_error(r.err(), ErrorLang::Ko) ==
              "12열: 값 (수, 튜플, True/False, None 또는 따옴표로 감싼 문자열)이(가) 와야 하는데 ','이(가) "
              "나왔습니다");
        CHECK(layer_error_kind(r.err()) == LayerErrorKind::Syntax);
        const ErrorPlace place = error_place(r.err());
        CHECK(place.column == int64_t(text.rfind(',') + 1));
        CHECK_FALSE(place.line);
        CHECK_FALSE(place.layer);
    }
    SECTION("signature: an unknown keyword, with the nearest name") {
        const std::string text = "Conv2d(1, 5, kernal_size=5)";
        auto r = parse_layer(text);
        REQUIRE_FALSE(r.ok());
        CHECK(r.error() ==
              "column 14: Conv2d() got an unexpected keyword argument 'kernal_size' (did you mean "
              "'kernel_size'?)");
        CHECK(render_error(r.err(), ErrorLang::Ko) ==
              "14열: Conv2d()에 예상하지 못한 키워드 인수 'kernal_size'이(가) 있습니다 ('kernel_size'을(를) "
              "말씀하셨나요?)");
        CHECK(layer_error_kind(r.err()) == LayerErrorKind::Signature);
        CHECK(error_place(r.err()).column == int64_t(text.find("kernal") + 1));
    }
    SECTION("signature: a value of the wrong type names the expected type in the reader's language") {
        auto r = parse_layer("MaxPool2d(2, stride=1.5)");
        REQUIRE_FALSE(r.ok());
        CHECK(r.error() == "column 21: stride must be a whole number or a pair (h, w) or None, got 1.5");
        CHECK(render_error(r.err(), ErrorLang::Ko) ==
              "21열: stride은(는) 정수, 쌍 (h, w) 또는 None이어야 합니다 (입력: 1.5)");
        CHECK(layer_error_kind(r.err()) == LayerErrorKind::Signature);
    }
    SECTION("argument: a value PyTorch refuses") {
        const std::string text = "Conv2d(1, 5, 3, padding_mode='mirror')";
        auto r = parse_layer(text);
        REQUIRE_FALSE(r.ok());
        CHECK(r.error() ==
              "column 30: padding_mode must be 'zeros', 'reflect', 'replicate' or 'circular', got "
              "'mirror'");
        CHECK(render_error(r.err(), ErrorLang::Ko) ==
              "30열: padding_mode는 'zeros', 'reflect', 'replicate', 'circular' 중 하나여야 합니다 (입력: "
              "'mirror')");
        CHECK(layer_error_kind(r.err()) == LayerErrorKind::Argument);
        CHECK(error_place(r.err()).column == int64_t(text.find("'mirror'") + 1));
    }
    SECTION("an unknown layer lists the known ones, joined in the reader's language") {
        auto r = parse_layer("Conv3d(1, 5, 3)");
        REQUIRE_FALSE(r.ok());
        CHECK(r.error().starts_with("column 1: Conv3d is not a layer ConvScope knows (it knows Conv2d, "));
        CHECK(r.error().ends_with(", Upsample and LocalResponseNorm)"));
        const std::string ko = render_error(r.err(), ErrorLang::Ko);
        CHECK(ko.starts_with("1열: Conv3d은(는) ConvScope가 아는 레이어가 아닙니다 (아는 레이어: Conv2d, "));
        CHECK(ko.ends_with(", Upsample, LocalResponseNorm)"));
        CHECK(ko.find(" and ") == std::string::npos);
        auto cased = parse_layer("nn.conv2d(1, 5, 3)");
        REQUIRE_FALSE(cased.ok());
        CHECK(cased.error() == "column 1: nn.conv2d is not a layer; did you mean Conv2d?");
        CHECK(render_error(cased.err(), ErrorLang::Ko) ==
              "1열: nn.conv2d은(는) 레이어가 아닙니다. Conv2d을(를) 말씀하셨나요?");
    }
    SECTION("the lexer's refusals") {
        auto quote = parse_layer("Conv2d(1, 5, 3, padding='same)");
        REQUIRE_FALSE(quote.ok());
        CHECK(quote.error() == "column 25: the quoted string is never closed");
        CHECK(render_error(quote.err(), ErrorLang::Ko) == "25열: 따옴표로 연 문자열이 닫히지 않았습니다");
        auto big = parse_layer("Conv2d(1, 5, 99999999999999999999)");
        REQUIRE_FALSE(big.ok());
        CHECK(big.error() == "column 14: the number 99999999999999999999 is too large");
        CHECK(render_error(big.err(), ErrorLang::Ko) == "14열: 수 99999999999999999999이(가) 너무 큽니다");
        CHECK(layer_error_kind(big.err()) == LayerErrorKind::Syntax);
    }
}

TEST_CASE("network errors: a bad paste names its line and column, in Korean too") {
    const std::string code =
        "import torch\n"
        "model = nn.Sequential(\n"
        "    nn.Conv2d(1, 5, 5),\n"
        "    nn.MaxPool2d(2, stride=0.5),\n"
        ")\n";
    auto r = import_pytorch_code(code);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error() == "line 4: column 28: stride must be a whole number or a pair (h, w) or None, got 0.5");
    CHECK(render_error(r.err(), ErrorLang::Ko) ==
          "4행: 28열: stride은(는) 정수, 쌍 (h, w) 또는 None이어야 합니다 (입력: 0.5)");
    const ErrorPlace place = error_place(r.err());
    CHECK(place.line == 4);
    CHECK(place.column == 28);
    CHECK(layer_error_kind(r.err()) == LayerErrorKind::Signature);

    auto unknown = import_pytorch_code("x = 1\nnet = nn.Conv3d(1, 5, 3)\n");
    REQUIRE_FALSE(unknown.ok());
    CHECK(unknown.error().starts_with("line 2: column 7: Conv3d is not a layer ConvScope knows"));
    CHECK(render_error(unknown.err(), ErrorLang::Ko).starts_with("2행: 7열: Conv3d은(는) ConvScope가 아는"));

    auto none = import_pytorch_code("import torch\n");
    REQUIRE_FALSE(none.ok());
    CHECK(none.error().starts_with("no layers found: paste lines such as nn.Conv2d(1, 5, 5)"));
    CHECK(render_error(none.err(), ErrorLang::Ko).starts_with("레이어가 없습니다: nn.Conv2d(1, 5, 5)나"));
    CHECK_FALSE(error_place(none.err()).line);

    auto shape = import_pytorch_code("x = torch.randn(1, 0, 28, 28)\nnn.Conv2d(1, 5, 5)\n");
    REQUIRE_FALSE(shape.ok());
    CHECK(shape.error() == "line 1: every input dimension must be at least 1");
    CHECK(render_error(shape.err(), ErrorLang::Ko) == "1행: 입력의 모든 차원은 1 이상이어야 합니다");
}

TEST_CASE("network errors: a refused network and a run refusal render in Korean, naming the layer") {
    Network net;
    net.input = {1, 3, 28, 28};
    net.layers = {Layer::conv2d(1, 5, 5), Layer::max_pool2d(2)};
    const NetworkCheck check = check_network(net);
    REQUIRE(check.first_error == 0);
    CHECK(check.layers[0].error_kind == LayerErrorKind::Channels);
    CHECK(layer_error_kind(check.layers[0].reason) == LayerErrorKind::Channels);

    Network ok_net = Network::lecture();
    const auto weights = random_weights(ok_net, 1);
    const Tensor input = Tensor::filled(ok_net.input);
    auto run = run_network(net, weights, input, reference_backend());
    REQUIRE_FALSE(run.ok());
    CHECK(run.error() == "layer 1 (Conv2d): in_channels is 1, but the input 1×3×28×28 has 3 channels");
    CHECK(render_error(run.err(), ErrorLang::Ko) ==
          "레이어 1 (Conv2d): in_channels은(는) 1이지만 입력 1×3×28×28의 채널은 3개입니다");
    CHECK(error_place(run.err()).layer == 1);
    CHECK(layer_error_kind(run.err()) == LayerErrorKind::Channels);

    SECTION("weights of the wrong shape") {
        auto wrong = weights;
        wrong[0].weight = Tensor::filled({5, 1, 3, 3});
        auto r = run_network(ok_net, wrong, input, reference_backend());
        REQUIRE_FALSE(r.ok());
        CHECK(r.error() == "layer 1 (Conv2d): the weight must be 5×1×5×5, got 5×1×3×3");
        CHECK(render_error(r.err(), ErrorLang::Ko) ==
              "레이어 1 (Conv2d): 가중치의 모양은 5×1×5×5이어야 합니다 (받은 모양: 5×1×3×3)");
    }
    SECTION("an input of the wrong shape") {
        auto r = run_network(ok_net, weights, Tensor::filled({1, 1, 8, 8}), reference_backend());
        REQUIRE_FALSE(r.ok());
        CHECK(r.error() == "the input must be 1×1×28×28, got 1×1×8×8");
        CHECK(render_error(r.err(), ErrorLang::Ko) ==
              "입력의 모양은 1×1×28×28이어야 합니다 (받은 모양: 1×1×8×8)");
    }
    SECTION("an unusable input shape") {
        Network bad = ok_net;
        bad.input = {1, 1, 1, 28, 28};
        const NetworkCheck c = check_network(bad);
        CHECK(c.input_error == "the input must have 1 to 4 dimensions (N, C, H, W), got 1×1×1×28×28 (5-D)");
        CHECK(c.input_reason.message == c.input_error);
        CHECK(render_error(c.input_reason, ErrorLang::Ko) ==
              "입력은 1~4차원(N, C, H, W)이어야 합니다 (입력: 1×1×1×28×28 (5-D))");
        auto r = run_network(bad, weights, input, reference_backend());
        REQUIRE_FALSE(r.ok());
        CHECK(r.error() == "input: " + c.input_error);
        CHECK(render_error(r.err(), ErrorLang::Ko).starts_with("입력: 입력은 1~4차원"));
    }
    SECTION("the stepper hand-off and the receptive field") {
        auto step = layer_step(Layer::relu(), {}, input, 0, 0, 0, 1, 15, 7, 4);
        REQUIRE_FALSE(step.ok());
        CHECK(step.error() == "ReLU has no sliding window to step through");
        CHECK(render_error(step.err(), ErrorLang::Ko) == "ReLU에는 단계별로 따라갈 슬라이딩 창이 없습니다");
        auto paths = receptive_field_paths(ok_net, 1, 12, 0);
        REQUIRE_FALSE(paths.ok());
        CHECK(paths.error() == "(12, 0) is outside the 12×12 map");
        CHECK(render_error(paths.err(), ErrorLang::Ko) == "(12, 0)이(가) 12×12 맵 밖입니다");
    }
}

TEST_CASE("network errors: what an import read or assumed is a coded note, in Korean too") {
    // No input shape; a forward whose torch.flatten(x, 1) is read as Flatten() (nn.Flatten starts at 1); a
    // module never called.
    const std::string code =
        "class Net(nn.Module):\n"
        "    def __init__(self):\n"
        "        self.conv = nn.Conv2d(1, 4, 3)\n"
        "        self.unused = nn.ReLU()\n"
        "    def forward(self, x):\n"
        "        x = self.conv(x)\n"
        "        x = torch.flatten(x, 1)\n"
        "        return x\n";
    auto r = import_pytorch_code(code);
    REQUIRE(r);
    std::vector<std::string> en, ko;
    std::string all;
    for (const Error& n : r->notes) {
        en.push_back(n.message);
        ko.push_back(render_error(n, ErrorLang::Ko));
        all += n.message + " | " + ko.back() + "\n";
    }
    INFO(all);
    CHECK(std::find(en.begin(), en.end(), "line 7: torch.flatten read as Flatten()") != en.end());
    CHECK(std::find(ko.begin(), ko.end(), "7행: torch.flatten을(를) Flatten()(으)로 읽었습니다") != ko.end());
    CHECK(std::find(en.begin(), en.end(), "line 4: unused is never called, so it is left out") != en.end());
    CHECK(std::find(ko.begin(), ko.end(), "4행: unused은(는) 호출되지 않아 넣지 않았습니다") != ko.end());
    CHECK(std::find(en.begin(), en.end(), "no input shape in the code: assumed 1×1×28×28") != en.end());
    CHECK(std::find(ko.begin(), ko.end(), "코드에 입력 모양이 없어 1×1×28×28(으)로 가정했습니다") !=
          ko.end());
}

TEST_CASE("import_pytorch_code: a call left out because no module is called is a coded skipped note") {
    // forward calls only F.relu, never self.conv: the modules come in the order written, and the F.relu
    // line is listed as skipped with what it was read as, coded so the UI words it in Korean too.
    const std::string code =
        "class Net(nn.Module):\n"
        "    def __init__(self):\n"
        "        self.conv = nn.Conv2d(1, 4, 3)\n"
        "    def forward(self, x):\n"
        "        x = F.relu(x)\n"
        "        return x\n";
    auto r = import_pytorch_code(code);
    REQUIRE(r);
    CHECK(r->net.layers.size() == 1);
    const auto relu = std::find_if(r->skipped.begin(), r->skipped.end(),
                                   [](const SkippedLine& k) { return k.line == 5; });
    REQUIRE(relu != r->skipped.end());
    REQUIRE(relu->note);
    CHECK(relu->text.empty());
    CHECK(relu->note->code == ErrCode::imp_read_as);
    CHECK(relu->english() == "F.relu read as ReLU()");
    CHECK(render_error(*relu->note, ErrorLang::Ko) == "F.relu을(를) ReLU()(으)로 읽었습니다");
    // Lines of code stay as written (no note), in every language.
    const auto ret = std::find_if(r->skipped.begin(), r->skipped.end(),
                                  [](const SkippedLine& k) { return k.line == 6; });
    REQUIRE(ret != r->skipped.end());
    CHECK_FALSE(ret->note);
    CHECK(ret->english() == "return x");
    // In line order, notes and lines together.
    CHECK(std::is_sorted(r->skipped.begin(), r->skipped.end(),
                         [](const SkippedLine& a, const SkippedLine& b) { return a.line < b.line; }));
}
