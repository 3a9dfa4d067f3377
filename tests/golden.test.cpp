// Golden data made by PyTorch (tests/golden/make_golden.py writes tests/golden/cases.json and data/): every
// case runs on every backend in backend_names(), each backend as its own test case ("golden: backend simd"),
// so a backend registered in core/engine/backend.cpp is picked up here without editing this file. A backend that is
// compiled in but unavailable here (no GL context) prints why and exits with 4, which CTest reports as
// skipped. Each backend must also return plan_conv2d's/plan_pool2d's error for invalid problems.
#include <catch2/catch.hpp>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "core/engine/backend.hpp"
#include "core/engine/geometry.hpp"
#include "core/io/npy.hpp"
#include "support/operator_testers.hpp"
#include "core/engine/transpose.hpp"
#include "support/testing.hpp"

using namespace convscope;
using convscope::testing::source_path;
using nlohmann::json;

namespace {

// The tolerance: |a − e| ≤ 1e-5 + 1e-4·|e|.
constexpr float kAtol = 1e-5f;
constexpr float kRtol = 1e-4f;

json load_manifest() {
    std::ifstream in(source_path("tests/golden/cases.json"));
    REQUIRE(in.good());
    return json::parse(in);
}

Tensor load(const std::string& case_name, const std::string& file) {
    const std::string path = source_path("tests/golden/data/" + case_name + "/" + file);
    auto t = read_npy(path);
    INFO(path);
    REQUIRE(t.ok());
    return std::move(*t);
}

// The manifest's strings turned into parameters by core's own parsers.
Conv2dParams conv_params(const json& c) {
    Conv2dParams p;
    auto stride = parse_pair(c.at("stride").get<std::string>());
    auto padding = parse_padding(c.at("padding").get<std::string>());
    auto dilation = parse_pair(c.at("dilation").get<std::string>());
    auto mode = parse_padding_mode(c.at("padding_mode").get<std::string>());
    REQUIRE(stride.ok());
    REQUIRE(padding.ok());
    REQUIRE(dilation.ok());
    REQUIRE(mode.ok());
    p.stride = *stride;
    p.padding = *padding;
    p.dilation = *dilation;
    p.groups = c.at("groups").get<int64_t>();
    p.padding_mode = *mode;
    p.flip = c.value("flip", false);
    return p;
}

ConvTranspose2dParams conv_transpose_params(const json& c) {
    ConvTranspose2dParams p;
    auto stride = parse_pair(c.at("stride").get<std::string>());
    auto padding = parse_pair(c.at("padding").get<std::string>());
    auto output_padding = parse_pair(c.at("output_padding").get<std::string>());
    auto dilation = parse_pair(c.at("dilation").get<std::string>());
    REQUIRE(stride.ok());
    REQUIRE(padding.ok());
    REQUIRE(output_padding.ok());
    REQUIRE(dilation.ok());
    p.stride = *stride;
    p.padding = *padding;
    p.output_padding = *output_padding;
    p.dilation = *dilation;
    p.groups = c.at("groups").get<int64_t>();
    return p;
}

Pool2dParams pool_params(const json& c) {
    Pool2dParams p;
    const std::string op = c.at("pool").get<std::string>();
    REQUIRE((op == "max" || op == "avg"));
    p.op = op == "max" ? Op::MaxPool : Op::AvgPool;
    auto kernel = parse_pair(c.at("kernel").get<std::string>());
    auto padding = parse_pair(c.at("padding").get<std::string>());
    auto dilation = parse_pair(c.at("dilation").get<std::string>());
    REQUIRE(kernel.ok());
    REQUIRE(padding.ok());
    REQUIRE(dilation.ok());
    p.kernel = *kernel;
    p.padding = *padding;
    p.dilation = *dilation;
    if (!c.at("stride").is_null()) {  // null: PyTorch's default, the kernel (our 0)
        auto stride = parse_pair(c.at("stride").get<std::string>());
        REQUIRE(stride.ok());
        p.stride = *stride;
    }
    p.ceil_mode = c.at("ceil_mode").get<bool>();
    p.count_include_pad = c.at("count_include_pad").get<bool>();
    return p;
}

// Runs one case on `backend`; the empty string when it matches PyTorch, else what went wrong and where.
std::string run_case(Backend& backend, const json& c) {
    const std::string name = c.at("name").get<std::string>();
    const Tensor x = load(name, "x.npy");
    const Tensor expected = load(name, "y.npy");
    Result<Tensor> y = fail_text("unknown op");
    if (c.at("op") == "conv") {
        const Tensor w = load(name, "w.npy");
        Tensor b;
        if (c.at("bias").get<bool>()) b = load(name, "b.npy");
        y = backend.conv2d(x, w, c.at("bias").get<bool>() ? &b : nullptr, conv_params(c));
    } else if (c.at("op") == "conv_transpose") {
        const Tensor w = load(name, "w.npy");
        Tensor b;
        if (c.at("bias").get<bool>()) b = load(name, "b.npy");
        y = backend.conv_transpose2d(x, w, c.at("bias").get<bool>() ? &b : nullptr, conv_transpose_params(c));
    } else if (c.at("op") == "pool") {
        y = backend.pool2d(x, pool_params(c));
    } else if (c.at("op") == "unfold") {
        // Not a backend operation: checked once per backend run all the same (it is cheap).
        auto pair = [&](const char* key) {
            auto v = parse_pair(c.at(key).get<std::string>());
            REQUIRE(v.ok());
            return *v;
        };
        y = unfold(x, pair("kernel"), pair("stride"), pair("padding"), pair("dilation"));
    }
    if (!y) return "error: " + y.error();
    return testing::verify(expected, *y, testing::Tolerance::of_value(kRtol, kAtol));
}

// Invalid problems: the backend returns plan_conv2d's / plan_pool2d's readable error (never crashes, never
// returns a tensor).
void check_validation(Backend& backend) {
    const Tensor x = testing::random_tensor({1, 2, 5, 5}, 1);
    const Tensor w = testing::random_tensor({4, 2, 3, 3}, 2);
    struct BadConv {
        const char* what;
        Shape x, w;
        std::optional<Shape> b;
        Conv2dParams p;
    };
    auto params = [](auto edit) {
        Conv2dParams p;
        edit(p);
        return p;
    };
    const BadConv convs[] = {
        {"stride 0", x.shape, w.shape, {}, params([](Conv2dParams& p) {
             p.stride = Pair{0, 1};
         })},
        {"dilation 0", x.shape, w.shape, {}, params([](Conv2dParams& p) { p.dilation = Pair{0}; })},
        {"negative padding", x.shape, w.shape, {}, params([](Conv2dParams& p) { p.padding = Padding(-1); })},
        {"kernel larger than the input", x.shape, {4, 2, 6, 6}, {}, {}},
        {"dilated kernel larger than the input", x.shape, w.shape, {}, params([](Conv2dParams& p) {
             p.dilation = Pair{3};
         })},
        {"channel mismatch", x.shape, {4, 3, 3, 3}, {}, {}},
        {"groups not dividing the input", {1, 3, 5, 5}, {4, 1, 3, 3}, {}, params([](Conv2dParams& p) {
             p.groups = 2;
         })},
        {"groups not dividing the output", x.shape, {3, 1, 3, 3}, {}, params([](Conv2dParams& p) {
             p.groups = 2;
         })},
        {"groups 0", x.shape, w.shape, {}, params([](Conv2dParams& p) { p.groups = 0; })},
        {"bias of the wrong shape", x.shape, w.shape, Shape{3}, {}},
        {"same with stride 2", x.shape, w.shape, {}, params([](Conv2dParams& p) {
             p.padding = Padding::same(), p.stride = Pair{2};
         })},
        {"reflect padding as large as the input", x.shape, w.shape, {}, params([](Conv2dParams& p) {
             p.padding = Padding(5), p.padding_mode = PaddingMode::Reflect;
         })},
        {"circular padding beyond the input", x.shape, w.shape, {}, params([](Conv2dParams& p) {
             p.padding = Padding(6), p.padding_mode = PaddingMode::Circular;
         })},
        {"input of rank 2", {5, 5}, w.shape, {}, {}},
        {"weight of rank 3", x.shape, {4, 2, 3}, {}, {}},
    };
    for (const BadConv& c : convs) {
        INFO("conv with " << c.what << " on backend " << backend.name());
        const Tensor xi = Tensor::filled(c.x, 1.0f), wi = Tensor::filled(c.w, 1.0f);
        const Tensor bi = c.b ? Tensor::filled(*c.b, 1.0f) : Tensor();
        auto plan = plan_conv2d(c.x, c.w, c.b ? &*c.b : nullptr, c.p);
        REQUIRE(!plan.ok());
        auto y = backend.conv2d(xi, wi, c.b ? &bi : nullptr, c.p);
        REQUIRE(!y.ok());
        CHECK_THAT(y.error(), Catch::Contains(plan.error()));
    }
    struct BadPool {
        const char* what;
        Shape x;
        Pool2dParams p;
    };
    auto pool = [](auto edit) {
        Pool2dParams p;
        edit(p);
        return p;
    };
    const BadPool pools[] = {
        {"kernel 0", x.shape, pool([](Pool2dParams& p) { p.kernel = Pair{0}; })},
        {"negative stride", x.shape, pool([](Pool2dParams& p) { p.stride = Pair{-1}; })},
        {"dilation 0", x.shape, pool([](Pool2dParams& p) { p.dilation = Pair{0}; })},
        {"padding over half the kernel", x.shape, pool([](Pool2dParams& p) { p.padding = Pair{2}; })},
        {"negative padding", x.shape, pool([](Pool2dParams& p) { p.padding = Pair{-1}; })},
        {"avg with dilation", x.shape,
         pool([](Pool2dParams& p) { p.op = Op::AvgPool, p.dilation = Pair{2}; })},
        {"kernel larger than the input", x.shape, pool([](Pool2dParams& p) { p.kernel = Pair{6}; })},
        {"input of rank 5", {1, 1, 2, 5, 5}, {}},
    };
    for (const BadPool& c : pools) {
        INFO("pool with " << c.what << " on backend " << backend.name());
        auto plan = plan_pool2d(c.x, c.p);
        REQUIRE(!plan.ok());
        auto y = backend.pool2d(Tensor::filled(c.x, 1.0f), c.p);
        REQUIRE(!y.ok());
        CHECK_THAT(y.error(), Catch::Contains(plan.error()));
    }
    struct BadTranspose {
        const char* what;
        Shape x, w;
        std::optional<Shape> b;
        ConvTranspose2dParams p;
    };
    auto tparams = [](auto edit) {
        ConvTranspose2dParams p;
        edit(p);
        return p;
    };
    const BadTranspose transposes[] = {
        {"output_padding not below stride or dilation",
         x.shape,
         {2, 3, 3, 3},
         {},
         tparams([](ConvTranspose2dParams& p) { p.output_padding = Pair{1}; })},
        {"output too small", x.shape, {2, 3, 3, 3}, {}, tparams([](ConvTranspose2dParams& p) {
             p.padding = Pair{4};
         })},
        {"channel mismatch", x.shape, {3, 3, 3, 3}, {}, {}},
        {"groups not dividing the input",
         {1, 3, 5, 5},
         {3, 1, 3, 3},
         {},
         tparams([](ConvTranspose2dParams& p) { p.groups = 2; })},
        {"stride 0", x.shape, {2, 3, 3, 3}, {}, tparams([](ConvTranspose2dParams& p) {
             p.stride = Pair{0};
         })},
        {"bias of the wrong shape", x.shape, {2, 3, 3, 3}, Shape{2}, {}},
        {"weight of rank 3", x.shape, {2, 3, 3}, {}, {}},
    };
    for (const BadTranspose& c : transposes) {
        INFO("conv_transpose with " << c.what << " on backend " << backend.name());
        const Tensor xi = Tensor::filled(c.x, 1.0f), wi = Tensor::filled(c.w, 1.0f);
        const Tensor bi = c.b ? Tensor::filled(*c.b, 1.0f) : Tensor();
        auto plan = plan_conv_transpose2d(c.x, c.w, c.b ? &*c.b : nullptr, c.p);
        REQUIRE(!plan.ok());
        auto y = backend.conv_transpose2d(xi, wi, c.b ? &bi : nullptr, c.p);
        REQUIRE(!y.ok());
        CHECK_THAT(y.error(), Catch::Contains(plan.error()));
    }
}

void check_backend(std::string_view backend_name) {
    Backend* backend = nullptr;
    for (std::string_view n : backend_names())
        if (n == backend_name) {
            auto found = find_backend(n);
            if (!found) {
                // Compiled in but not usable on this machine: a skip, never a pass.
                std::cout << "skipped: " << found.error() << std::endl;
                std::cerr << "skipped: " << found.error() << std::endl;
                std::exit(4);
            }
            backend = *found;
        }
    REQUIRE(backend != nullptr);
    const json manifest = load_manifest();
    int checked = 0;
    std::set<std::string> matched;
    for (const json& c : manifest.at("cases")) {
        const std::string name = c.at("name").get<std::string>();
        INFO("case " << name << " (" << c.dump() << ") on backend " << backend_name);
        const std::string m = run_case(*backend, c);
        CHECK(m == "");
        if (m.empty()) matched.insert(name);
        ++checked;
    }
    // Every case PyTorch wrote (a folder of tests/golden/data with its y.npy) is in the manifest and matched
    // on this backend.
    std::set<std::string> on_disk;
    for (const auto& e : std::filesystem::directory_iterator(source_path("tests/golden/data")))
        if (std::filesystem::exists(e.path() / "y.npy")) on_disk.insert(e.path().filename().string());
    CHECK(matched == on_disk);
    CHECK(checked >= 120);
    check_validation(*backend);
}

// Registers "golden: backend <name>" for every backend compiled in, before Catch lists or runs tests.
class BackendGolden final : public Catch::ITestInvoker {
public:
    explicit BackendGolden(std::string name) : m_name(std::move(name)) {}
    void invoke() const override { check_backend(m_name); }

private:
    std::string m_name;
};

struct RegisterBackends {
    RegisterBackends() {
        for (std::string_view n : backend_names()) {
            const std::string name(n);
            const std::string tags = name == "gpu" ? "[golden][gpu]" : "[golden]";
            // Catch copies the name and tags into its registry.
            Catch::AutoReg(new BackendGolden(name), CATCH_INTERNAL_LINEINFO, Catch::StringRef(),
                           Catch::NameAndTags{"golden: backend " + name, tags});
        }
    }
};
const RegisterBackends register_backends;

}  // namespace

TEST_CASE("golden: the manifest covers every parameter, and its files exist") {
    const json manifest = load_manifest();
    const json& cases = manifest.at("cases");
    REQUIRE(cases.size() >= 120);
    std::set<std::string> seen, names;
    for (const json& c : cases) {
        const std::string name = c.at("name").get<std::string>();
        INFO("case " << name);
        CHECK(names.insert(name).second);
        const Tensor x = load(name, "x.npy");
        const Tensor y = load(name, "y.npy");
        CHECK(x.shape == c.at("x_shape").get<Shape>());
        CHECK(y.shape == c.at("y_shape").get<Shape>());
        if (x.rank() == 3) seen.insert("unbatched");
        if (name.rfind("lecture_", 0) == 0) seen.insert(name);
        if (c.at("op") == "conv_transpose") {
            const ConvTranspose2dParams p = conv_transpose_params(c);
            CHECK(load(name, "w.npy").shape == c.at("w_shape").get<Shape>());
            seen.insert("conv_transpose");
            if (p.stride.h > 1 || p.stride.w > 1) seen.insert("conv_transpose stride");
            if (p.padding.h > 0 || p.padding.w > 0) seen.insert("conv_transpose padding");
            if (p.output_padding.h > 0 || p.output_padding.w > 0)
                seen.insert("conv_transpose output_padding");
            if (p.dilation.h > 1 || p.dilation.w > 1) seen.insert("conv_transpose dilation");
            if (p.groups > 1) seen.insert("conv_transpose groups");
            seen.insert(c.at("bias").get<bool>() ? "conv_transpose bias" : "conv_transpose no bias");
            if (x.rank() == 3) seen.insert("conv_transpose unbatched");
            if (x.rank() == 4) seen.insert("conv_transpose batched");
            if (p.stride.h != p.stride.w && p.dilation.h != p.dilation.w && p.groups > 1 &&
                p.output_padding.h != p.output_padding.w)
                seen.insert("conv_transpose rectangular everything");
        } else if (c.at("op") == "unfold") {
            seen.insert(x.rank() == 3 ? "unfold unbatched" : "unfold batched");
        } else if (c.at("op") == "conv") {
            const Conv2dParams p = conv_params(c);
            if (p.flip) seen.insert("flip");
            const Tensor w = load(name, "w.npy");
            CHECK(w.shape == c.at("w_shape").get<Shape>());
            seen.insert("conv");
            seen.insert("mode " + std::string(to_string(p.padding_mode)));
            if (p.stride.h > 1 || p.stride.w > 1) seen.insert("conv stride");
            if (p.stride.h != p.stride.w) seen.insert("conv stride pair");
            if (p.padding.kind == PaddingKind::Same) seen.insert("padding same");
            if (p.padding.kind == PaddingKind::Valid) seen.insert("padding valid");
            if (p.padding.kind == PaddingKind::Explicit && p.padding.amount.h > 0) seen.insert("padding int");
            if (p.padding.amount.h != p.padding.amount.w) seen.insert("padding pair");
            if (p.dilation.h > 1 || p.dilation.w > 1) seen.insert("conv dilation");
            if (p.groups > 1) seen.insert("groups");
            if (p.groups > 1 && p.groups == x.shape[size_t(x.rank() - 3)]) seen.insert("depthwise");
            seen.insert(c.at("bias").get<bool>() ? "bias" : "no bias");
            if (w.shape[2] != w.shape[3]) seen.insert("rectangular kernel");
            if (x.shape[size_t(x.rank() - 2)] != x.shape[size_t(x.rank() - 1)])
                seen.insert("rectangular input");
            if (p.padding_mode != PaddingMode::Zeros && p.groups > 1 && p.dilation.h > 1 && p.stride.h > 1)
                seen.insert("conv everything at once");
        } else {
            const Pool2dParams p = pool_params(c);
            seen.insert("pool " + std::string(to_string(p.op)));
            if (p.stride == Pair{0}) seen.insert("pool default stride");
            if (p.ceil_mode) seen.insert("ceil_mode " + std::string(to_string(p.op)));
            if (p.padding.h > 0 || p.padding.w > 0)
                seen.insert("pool padding " + std::string(to_string(p.op)));
            if (p.op == Op::AvgPool && !p.count_include_pad) seen.insert("count_include_pad false");
            if (p.dilation.h > 1 || p.dilation.w > 1) seen.insert("max pool dilation");
            if (p.kernel.h != p.kernel.w) seen.insert("pool rectangular kernel");
            for (float v : x.data) {
                if (std::isnan(v)) seen.insert("pool nan");
                if (std::isinf(v)) seen.insert("pool inf");
            }
        }
    }
    for (const char* want : {"conv",
                             "mode zeros",
                             "mode reflect",
                             "mode replicate",
                             "mode circular",
                             "conv stride",
                             "conv stride pair",
                             "padding same",
                             "padding valid",
                             "padding int",
                             "padding pair",
                             "conv dilation",
                             "groups",
                             "depthwise",
                             "bias",
                             "no bias",
                             "rectangular kernel",
                             "rectangular input",
                             "unbatched",
                             "conv everything at once",
                             "pool max",
                             "pool avg",
                             "pool default stride",
                             "ceil_mode max",
                             "ceil_mode avg",
                             "pool padding max",
                             "pool padding avg",
                             "count_include_pad false",
                             "max pool dilation",
                             "pool rectangular kernel",
                             "pool nan",
                             "pool inf",
                             "conv_transpose",
                             "conv_transpose stride",
                             "conv_transpose padding",
                             "conv_transpose output_padding",
                             "conv_transpose dilation",
                             "conv_transpose groups",
                             "conv_transpose bias",
                             "conv_transpose no bias",
                             "conv_transpose unbatched",
                             "conv_transpose batched",
                             "conv_transpose rectangular everything",
                             "unfold batched",
                             "unfold unbatched",
                             "flip",
                             "lecture_5x5",
                             "lecture_5x5_padding_1",
                             "lecture_cnn_conv",
                             "lecture_cnn_pool"}) {
        INFO("golden coverage of: " << want);
        CHECK(seen.count(want) == 1);
    }
}

TEST_CASE("golden: the lecture's worked example is exact") {
    const Tensor y = load("lecture_5x5", "y.npy");
    CHECK(y.data == std::vector<float>{8, 9, 8, 8, 5, 9, 6, 5, 5});
    CHECK(load("lecture_cnn_conv", "y.npy").shape == Shape{1, 5, 24, 24});
    CHECK(load("lecture_cnn_pool", "y.npy").shape == Shape{1, 5, 12, 12});
}

TEST_CASE("golden: every backend in backend_names() has a golden test") {
    // The backend test cases are registered from backend_names() at start-up; check that each one exists, and
    // that the reference backend, the one every other backend is compared with, is first.
    const auto names = backend_names();
    REQUIRE(!names.empty());
    CHECK(names.front() == "reference");
    std::set<std::string> registered;
    for (const Catch::TestCase& t : Catch::getRegistryHub().getTestCaseRegistry().getAllTests())
        registered.insert(t.name);
    for (std::string_view n : names) {
        INFO("backend " << n);
        CHECK(registered.count("golden: backend " + std::string(n)) == 1);
    }
}
