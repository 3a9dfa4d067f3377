// core/image_lab: the banded filter against the whole-tensor one, the edits (presets parsed strictly, custom
// cells, refusals that leave the state alone), undo and redo, and the jobs (a preview first on a large
// photo, then the full result equal to the command line's; a newer edit supersedes the run in flight).
#include <algorithm>
#include <atomic>
#include <catch2/catch.hpp>
#include <chrono>
#include <thread>

#include "core/image_lab/image_lab.hpp"
#include "core/stepper/stepper.hpp"
#include "tests/support/testing.hpp"

using namespace convscope;

namespace {

Image photo(int64_t w, int64_t h, int channels, uint32_t seed) {
    Tensor t = testing::random_int_tensor({w * h * channels}, seed, 0, 255);
    Image img{w, h, channels, {}};
    for (float v : t.data) img.pixels.push_back(uint8_t(v));
    return img;
}

std::shared_ptr<const LabPhoto> lab_photo(Image img) {
    auto p = std::make_shared<LabPhoto>();
    p->path = "test.png";
    p->image = std::move(img);
    return p;
}

// Runs update() until the full result of the current state is shown (at most ~20 s); true when a preview
// was taken on the way.
bool settle(ImageLab& lab) {
    bool previewed = false;
    for (int i = 0; i < 4000; ++i) {
        previewed |= lab.update().previewed;
        if (lab.shown() && !lab.shown()->preview && !lab.stale() && !lab.busy()) break;
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    return previewed;
}

// A backend as `inner` computes it, but one that says it must run on one thread at a time (as gpu does), so
// that apply_filter_banded takes its bands one after another; after `fail_after` operations it fails.
class OneAtATime final : public Backend {
public:
    explicit OneAtATime(Backend& inner, bool concurrent = false, int fail_after = -1)
        : m_inner(inner), m_concurrent(concurrent), m_fail_after(fail_after) {}
    std::string_view name() const override { return "one-at-a-time"; }
    Status available() override { return {}; }
    bool concurrent() const override { return m_concurrent; }
    Result<Tensor> conv2d(const Tensor& input, const Tensor& weight, const Tensor* bias,
                          const Conv2dParams& params) override {
        if (m_fail_after >= 0 && m_calls.fetch_add(1) >= m_fail_after) return fail<ErrCode::lab_no_backend>();
        return m_inner.conv2d(input, weight, bias, params);
    }
    Result<Tensor> pool2d(const Tensor& input, const Pool2dParams& params) override {
        return m_inner.pool2d(input, params);
    }
    Result<Tensor> conv_transpose2d(const Tensor& input, const Tensor& weight, const Tensor* bias,
                                    const ConvTranspose2dParams& params) override {
        return m_inner.conv_transpose2d(input, weight, bias, params);
    }

private:
    Backend& m_inner;
    bool m_concurrent;
    int m_fail_after;
    std::atomic<int> m_calls{0};
};

// RGBA of an image written out pixel by pixel: grey spread over R, G and B, alpha 255.
std::vector<uint8_t> naive_rgba(const Image& img) {
    std::vector<uint8_t> out;
    for (int64_t i = 0; i < img.width * img.height; ++i) {
        for (int k = 0; k < 3; ++k)
            out.push_back(img.pixels[size_t(i * img.channels + (img.channels == 3 ? k : 0))]);
        out.push_back(255);
    }
    return out;
}

}  // namespace

TEST_CASE("rgba_of: colour and grey photos in pieces on every thread") {
    for (int channels : {1, 3}) {
        const Image img = photo(301, 299, channels, 17);  // 90 K pixels: two pieces and a short one
        CHECK(rgba_of(img) == naive_rgba(img));
    }
}

TEST_CASE("apply_filter_banded: equals apply_filter on the whole tensor, every padding mode and band size") {
    const int channels = GENERATE(1, 3);
    const auto mode = GENERATE(ColorMode::Color, ColorMode::Grey);
    const Image img = photo(13, 11, channels, 7);
    const Tensor x = *image_to_tensor(img, mode);
    struct Setting {
        int64_t stride, pad, dilation;
        PaddingMode pm;
        bool same;
    };
    const Setting setting = GENERATE(
        Setting{1, 0, 1, PaddingMode::Zeros, false}, Setting{1, 1, 1, PaddingMode::Zeros, false},
        Setting{2, 2, 1, PaddingMode::Reflect, false}, Setting{3, 1, 2, PaddingMode::Replicate, false},
        Setting{1, 2, 1, PaddingMode::Circular, false}, Setting{1, 0, 2, PaddingMode::Reflect, true});
    const int64_t band = GENERATE(1, 2, 5, 128);
    ConvFilter spec;
    spec.kernel = *kernel_from_name(setting.same ? "box4" : "sobel-x");
    spec.kernel.offset = 3.5;
    spec.conv.stride = Pair{setting.stride};
    spec.conv.padding = setting.same ? Padding::same() : Padding(setting.pad);
    spec.conv.dilation = Pair{setting.dilation};
    spec.conv.padding_mode = setting.pm;
    CAPTURE(channels, int(mode), setting.stride, setting.pad, setting.dilation, int(setting.pm), band);
    // Compute reference
    const Tensor expected = *apply_filter(x, spec, reference_backend());
    // Run backend
    auto y = apply_filter_banded(img, mode, spec, reference_backend(), {}, band);
    // Verify
    REQUIRE(y);
    REQUIRE(y->shape == expected.shape);
    CHECK(testing::mismatch(expected, *y, 0.0f, 0.0f).empty());
    // Bands one after another (a backend that runs on one thread, as gpu) give the same values.
    OneAtATime sequential(reference_backend());
    auto one = apply_filter_banded(img, mode, spec, sequential, {}, band);
    REQUIRE(one);
    CHECK(testing::mismatch(expected, *one, 0.0f, 0.0f).empty());
    // The fastest CPU backend agrees too (within float rounding).
    auto fast = apply_filter_banded(img, mode, spec, fastest_cpu_backend(), {}, band);
    REQUIRE(fast);
    CHECK(testing::mismatch(expected, *fast, 1e-5f, 1e-3f).empty());
}

TEST_CASE("apply_filter_banded: bands on every thread fill a large colour photo as one run does") {
    // Tall enough for many bands of a cache's worth each; a 5-wide kernel with reflect padding, so that
    // every band reads rows of its neighbours and reflected columns.
    const Image img = photo(700, 301, 3, 5);
    ConvFilter spec;
    spec.kernel = *kernel_from_name("gaussian5");
    spec.conv.padding = Padding(2);
    spec.conv.padding_mode = PaddingMode::Reflect;
    for (const ColorMode mode : {ColorMode::Color, ColorMode::Grey}) {
        const Tensor expected = *apply_filter(*image_to_tensor(img, mode), spec, fastest_cpu_backend());
        auto y = apply_filter_banded(img, mode, spec, fastest_cpu_backend());
        REQUIRE(y);
        CHECK(testing::mismatch(expected, *y, 1e-5f, 1e-3f).empty());
        // The command line's fused path: the same pixels as mapping the whole result.
        auto shown = filter_image(img, mode, FilterSpec{spec}, DisplayMap::Clamp, fastest_cpu_backend());
        REQUIRE(shown);
        CHECK(shown->pixels == to_display(expected, DisplayMap::Clamp)->pixels);
    }
    // A band that fails (here the third operation) fails the run with its error, on any thread.
    OneAtATime failing(reference_backend(), true, 2);
    auto failed = apply_filter_banded(img, ColorMode::Color, spec, failing);
    REQUIRE_FALSE(failed);
    CHECK(failed.err().code == ErrCode::lab_no_backend);
}

TEST_CASE("apply_filter_banded: pooling, invalid geometry, and a cancelled run") {
    const Image img = photo(20, 17, 3, 3);
    PoolFilter spec;
    spec.pool.op = Op::MaxPool;
    spec.pool.kernel = Pair{3};
    auto y = apply_filter_banded(img, ColorMode::Color, spec, reference_backend());
    REQUIRE(y);
    CHECK(testing::mismatch(*apply_filter(*image_to_tensor(img, ColorMode::Color), spec, reference_backend()),
                            *y)
              .empty());

    ConvFilter conv;
    conv.kernel = *kernel_from_name("box15");
    conv.conv.dilation = Pair{5};  // 71 wide: larger than the 20×17 photo
    CHECK_FALSE(apply_filter_banded(img, ColorMode::Color, conv, reference_backend()));

    ConvFilter box;
    box.kernel = *kernel_from_name("box3");
    std::atomic<int> asked{0};
    OneAtATime sequential(reference_backend());
    auto stopped = apply_filter_banded(
        img, ColorMode::Color, box, sequential, [&] { return ++asked > 2; }, 4);
    REQUIRE_FALSE(stopped);
    CHECK(stopped.error() == kFilterCancelled);
    CHECK(is_filter_cancelled(stopped.err()));
    CHECK(asked == 3);  // asked before each band, stopped before the third
    // Bands on every thread: each asks before it starts; once one is told to stop, the rest do not start.
    asked = 0;
    auto stopped_all = apply_filter_banded(
        img, ColorMode::Color, box, reference_backend(), [&] { return ++asked > 2; }, 4);
    REQUIRE_FALSE(stopped_all);
    CHECK(is_filter_cancelled(stopped_all.err()));
    CHECK(asked >= 3);
    CHECK(asked <= 15);  // once per band at most: 15 output rows
}

TEST_CASE("apply_edit: presets, strict preset names, custom cells and refusals") {
    ImageLabState s;
    SECTION("a preset at its default size, then a size and σ; an edge detector suggests |value| scaled") {
        REQUIRE(apply_edit(s, lab_edit::ChoosePreset{"gaussian"}));
        CHECK(s.preset == "gaussian");
        CHECK(s.spec.kernel == *make_preset("gaussian"));  // its default size and σ
        CHECK(s.map == DisplayMap::Clamp);
        REQUIRE(apply_edit(s, lab_edit::SetPresetSize{7}));
        CHECK(s.spec.kernel.rows == 7);
        CHECK(s.sigma == Approx(default_sigma(7)));
        REQUIRE(apply_edit(s, lab_edit::SetSigma{2.5}));
        CHECK(s.spec.kernel == *kernel_from_name("gaussian7:2.5"));
        REQUIRE(apply_edit(s, lab_edit::ChoosePreset{"laplacian"}));
        CHECK(s.map == DisplayMap::AbsScaled);
        CHECK_FALSE(apply_edit(s, lab_edit::SetSigma{1.0}));  // the Laplacian takes no σ
        CHECK_FALSE(apply_edit(s, lab_edit::ChoosePreset{"nonesuch"}));
        CHECK(s.preset == "laplacian");
    }
    SECTION("a kernel by name is recognized with the strict parser (no atof)") {
        REQUIRE(apply_edit(s, lab_edit::SetKernel{*kernel_from_name("gaussian5:1.4")}));
        CHECK(s.preset == "gaussian");
        CHECK(s.preset_size == 5);
        CHECK(s.sigma == 1.4);
        Kernel odd = *kernel_from_name("gaussian5:1.4");
        odd.name = "gaussian5:1.4x";  // atof would have read 1.4
        REQUIRE(apply_edit(s, lab_edit::SetKernel{odd}));
        CHECK(s.preset.empty());
        Kernel box = *kernel_from_name("box");
        REQUIRE(apply_edit(s, lab_edit::SetKernel{box}));
        CHECK(s.preset == "box");
        CHECK(s.preset_size == 3);
    }
    SECTION("editing a cell makes the kernel custom; bad edits leave the state as it was") {
        REQUIRE(apply_edit(s, lab_edit::ChoosePreset{"sobel-x"}));
        REQUIRE(apply_edit(s, lab_edit::SetCell{1, 1, 4.0}));
        CHECK(s.preset.empty());
        CHECK(s.spec.kernel.name == "custom");
        CHECK(s.spec.kernel.cells[4] == 4.0);
        const ImageLabState before = s;
        CHECK_FALSE(apply_edit(s, lab_edit::SetCell{3, 0, 1.0}));
        CHECK_FALSE(apply_edit(s, lab_edit::SetCell{0, 0, std::nan("")}));
        CHECK_FALSE(apply_edit(s, lab_edit::SetDivisor{0.0}));
        CHECK_FALSE(apply_edit(s, lab_edit::SetStride{Pair{0, 1}}));
        CHECK_FALSE(apply_edit(s, lab_edit::SetBackend{"cuda"}));
        CHECK(s == before);
        // Refusals are coded errors: the English as before, and a Korean rendering for the UI.
        const auto stride = apply_edit(s, lab_edit::SetStride{Pair{0, 1}});
        CHECK(stride.err().code == ErrCode::lab_at_least);
        CHECK(stride.error() == "stride must be at least 1");
        CHECK(render_error(stride.err(), ErrorLang::Ko) == "스트라이드 값은 1 이상이어야 합니다");
        const auto cell = apply_edit(s, lab_edit::SetCell{3, 0, 1.0});
        CHECK(cell.error() == "cell (3, 0) is outside the kernel");
        CHECK(render_error(cell.err(), ErrorLang::Ko) == "칸 (3, 0)이(가) 커널 밖입니다");
        CHECK(apply_edit(s, lab_edit::SetBackend{"cuda"}).error() == "unknown backend 'cuda'");
        CHECK(apply_edit(s, lab_edit::SetPadding{Pair{-1}}).error() == "padding must be at least 0");
        REQUIRE(apply_edit(s, lab_edit::SetCell{1, 1, 0.0}));  // the cells sum to 0 again
        const auto refused = apply_edit(s, lab_edit::NormalizeKernel{});
        CHECK_FALSE(refused);
        REQUIRE(apply_edit(s, lab_edit::ResizeKernel{5, 5}));
        CHECK(s.spec.kernel.rows == 5);
        CHECK(s.spec.kernel.cells[12] == 0.0);  // kept, centred
        CHECK(s.spec.kernel.cells[6] == -1.0);
    }
    SECTION("same and valid padding, and a pooling stride that follows the window") {
        REQUIRE(apply_edit(s, lab_edit::SetPaddingChoice{PaddingChoice::Same}));
        CHECK(effective_spec(s).conv()->conv.padding == Padding::same());
        const Kernel kernel_before = s.spec.kernel;
        REQUIRE(apply_edit(s, lab_edit::SetOp{Op::AvgPool}));
        REQUIRE(apply_edit(s, lab_edit::SetPoolWindow{Pair{4}}));
        CHECK(effective_spec(s).pool()->pool.stride == Pair{0});
        CHECK(effective_spec(s).op() == Op::AvgPool);  // the pooling alone runs
        CHECK_FALSE(effective_spec(s).conv());
        CHECK(effective_padding(s) == Padding::same());  // what a scene saved while pooling keeps
        CHECK(s.spec.kernel == kernel_before);           // the convolution's kernel is kept for the way back
        REQUIRE(apply_edit(s, lab_edit::SetPoolStrideIsWindow{false}));
        CHECK(effective_spec(s).pool()->pool.stride == Pair{4});
        REQUIRE(apply_edit(s, lab_edit::SetStride{Pair{2}}));
        CHECK(effective_spec(s).pool()->pool.stride == Pair{2});
        REQUIRE(apply_edit(s, lab_edit::SetOp{Op::Conv}));
        CHECK(effective_spec(s).conv()->conv.padding == Padding::same());  // back: the convolution as it was
    }
}

TEST_CASE("ImageLab: undo and redo in the kernel editor, one step per settled edit") {
    ImageLab lab;
    REQUIRE(lab.apply(lab_edit::ChoosePreset{"sobel-x"}));
    lab.reset_history();
    const ImageLabState start = lab.state();
    CHECK_FALSE(lab.can_undo());

    // A drag through three values is one edit once it settles.
    for (double v : {1.0, 2.0, 3.0}) REQUIRE(lab.apply(lab_edit::SetCell{0, 0, v}));
    CHECK(lab.commit());
    CHECK_FALSE(lab.commit());  // nothing new
    const ImageLabState cell = lab.state();
    REQUIRE(lab.apply(lab_edit::ChoosePreset{"gaussian"}));
    lab.commit();
    REQUIRE(lab.apply(lab_edit::SetPresetSize{9}));
    lab.commit();
    REQUIRE(lab.apply(lab_edit::NormalizeKernel{}));  // a Gaussian sums to 1 already: the same weights
    lab.commit();
    REQUIRE(lab.apply(lab_edit::ResizeKernel{4, 6}));
    lab.commit();
    CHECK(lab.state().spec.kernel.rows == 4);

    REQUIRE(lab.undo());  // the resize
    CHECK(lab.state().spec.kernel.rows == 9);
    REQUIRE(lab.undo());  // the normalize
    REQUIRE(lab.undo());  // the size
    CHECK(lab.state().spec.kernel == *make_preset("gaussian"));
    CHECK(lab.state().preset == "gaussian");
    REQUIRE(lab.undo());  // the preset choice
    CHECK(lab.state() == cell);
    REQUIRE(lab.undo());  // the cell
    CHECK(lab.state() == start);
    CHECK_FALSE(lab.undo());

    REQUIRE(lab.redo());
    CHECK(lab.state() == cell);
    REQUIRE(lab.redo());
    CHECK(lab.state().preset == "gaussian");
    // A new edit ends the redo line.
    REQUIRE(lab.apply(lab_edit::SetOffset{10.0}));
    CHECK_FALSE(lab.redo());
    lab.commit();
    CHECK_FALSE(lab.can_redo());
    // An edit not yet settled is undone first.
    REQUIRE(lab.apply(lab_edit::SetDivisor{2.0}));
    REQUIRE(lab.undo());
    CHECK(lab.state().spec.kernel.divisor == 1.0);
    CHECK(lab.state().spec.kernel.offset == 10.0);
    CHECK(lab.edit_count() > 0);
}

TEST_CASE("ImageLab: the full result equals the command line's, and explains a pixel") {
    ImageLab lab(8192, 0);
    const Image img = photo(40, 30, 3, 11);
    lab.set_photo(lab_photo(img));
    REQUIRE(lab.apply(lab_edit::ChoosePreset{"sharpen"}));
    REQUIRE(lab.apply(lab_edit::SetStride{Pair{2, 1}}));
    settle(lab);
    REQUIRE(lab.full());
    const LabFrame& f = *lab.full();
    CHECK_FALSE(f.preview);
    // Not told the app's probe: "fastest" is the fastest CPU backend (the model never probes the gpu).
    CHECK(lab.auto_backend() == fastest_cpu_backend().name());
    const Tensor expected =
        *apply_filter(*image_to_tensor(img, ColorMode::Color), f.spec, reference_backend());
    CHECK(testing::mismatch(expected, *f.output, 1e-5f, 1e-3f).empty());
    REQUIRE(expected.shape == Shape{3, 14, 38});  // 3×3, stride 2 down, no padding
    CHECK(f.output_w == 38);
    CHECK(f.output_h == 14);
    CHECK(f.output_rgba.size() == size_t(38 * 14 * 4));
    REQUIRE(f.input_rgba);
    CHECK(f.input_rgba->size() == size_t(40 * 30 * 4));
    // The textures hold the pixels: the output as the command line maps it, the photo as loaded; opaque.
    CHECK(f.output_rgba == naive_rgba(*to_display(*f.output, f.map)));
    CHECK(*f.input_rgba == naive_rgba(img));

    lab.explain(3, 5, 2);
    REQUIRE(lab.trace());
    CHECK(lab.trace()->o == 2);
    CHECK(lab.trace()->result == Approx(expected.data[size_t((2 * 14 + 3) * 38 + 5)]).margin(1e-3));
    lab.explain(99, 5, 0);  // outside the output
    CHECK_FALSE(lab.trace());

    // An invalid geometry says why and keeps the last picture (dimmed).
    REQUIRE(lab.apply(lab_edit::SetDilation{Pair{5}}));
    REQUIRE(lab.apply(lab_edit::ChoosePreset{"box"}));
    REQUIRE(lab.apply(lab_edit::SetPresetSize{15}));
    lab.update();
    REQUIRE(lab.geometry_error().has_value());
    CHECK(lab.geometry_error()->code == ErrCode::kernel_larger_than_padded);  // drawn in the UI's language
    CHECK(lab.shown());
    CHECK(lab.stale());
}

TEST_CASE("ImageLab: a large photo shows a preview first, then the full result; a new edit supersedes") {
    ImageLab lab(8192, 64);
    const Image img = photo(300, 200, 3, 5);
    lab.set_photo(lab_photo(img));
    REQUIRE(lab.apply(lab_edit::ChoosePreset{"box"}));
    CHECK(settle(lab));  // a preview came first
    REQUIRE(lab.shown());
    CHECK_FALSE(lab.shown()->preview);
    CHECK(lab.shown()->output_w == 298);  // box3, no padding

    // Edits in a row: each supersedes the one before; what ends up shown is the last one's full result.
    for (int64_t n = 3; n <= 15; n += 2) {
        REQUIRE(lab.apply(lab_edit::SetPresetSize{n}));
        lab.update();
    }
    settle(lab);
    REQUIRE(lab.full());
    REQUIRE(lab.full()->spec.conv());
    CHECK(lab.full()->spec.conv()->kernel.rows == 15);
    CHECK(lab.shown() == lab.full());
    CHECK_FALSE(lab.run_error().has_value());
    const Tensor expected =
        *apply_filter(*image_to_tensor(img, ColorMode::Color), lab.full()->spec, reference_backend());
    CHECK(testing::mismatch(expected, *lab.full()->output, 1e-5f, 1e-3f).empty());
}

TEST_CASE("ImageLab: the flip toggle computes true convolution, and the stepper hand-off agrees") {
    ImageLab lab(8192, 0);
    const Image img = photo(24, 18, 1, 21);
    lab.set_photo(lab_photo(img));
    REQUIRE(lab.apply(lab_edit::ChoosePreset{"sobel-x"}));
    REQUIRE(lab.apply(lab_edit::SetCell{0, 0, 3.0}));  // no longer symmetric under the rotation
    REQUIRE(lab.apply(lab_edit::SetFlip{true}));
    settle(lab);
    REQUIRE(lab.full());
    REQUIRE(lab.full()->spec.conv());
    CHECK(lab.full()->spec.conv()->conv.flip);
    // Compute reference: cross-correlation with the kernel rotated 180° (scipy.signal.convolve2d's 'valid').
    ConvFilter rotated = *lab.full()->spec.conv();
    rotated.conv.flip = false;
    Kernel& k = rotated.kernel;
    std::reverse(k.cells.begin(), k.cells.end());  // a row-major grid reversed is the grid rotated 180°
    const Tensor x = *image_to_tensor(img, ColorMode::Grey);
    const Tensor expected = *apply_filter(x, rotated, reference_backend());
    // Verify
    CHECK(testing::mismatch(expected, *lab.full()->output, 1e-5f, 1e-3f).empty());
    const Tensor plain = *apply_filter(x, effective_spec([&] {
                                           ImageLabState s = lab.state();
                                           s.spec.conv.flip = false;
                                           return s;
                                       }()),
                                       reference_backend());
    CHECK_FALSE(testing::mismatch(plain, *lab.full()->output, 1e-5f, 1e-3f).empty());
    // Explain: the trace is of the rotated kernel and replays to the pixel; the stepper's neighbourhood
    // gives the same value.
    lab.explain(4, 6, 0);
    REQUIRE(lab.trace());
    CHECK(lab.trace()->result == Approx(expected.data[size_t(4 * expected.dim(2) + 6)]).margin(1e-3));
    auto nb = lab.neighbourhood();
    REQUIRE(nb);
    auto solved = solve_stepper(nb->problem);
    REQUIRE(solved);
    const int64_t w = nb->window;
    CHECK(solved->traces[size_t(w)].result == Approx(lab.trace()->result).margin(1e-3));
}
