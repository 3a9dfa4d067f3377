// NetworkModel (core/network/model.hpp): every edit the network view makes, undo/redo through them, the
// cached check and code, the weights the feature maps run with (random_weights by index, then the presets),
// the cost limits, and the feature maps computed on the worker.
#include <catch2/catch.hpp>

#include <algorithm>
#include <chrono>
#include <thread>

#include "core/network/model.hpp"
#include "support/paths.hpp"

using namespace convscope;
namespace ne = network_edit;

namespace {

std::vector<std::string> labels(const NetworkModel& m) {
    std::vector<std::string> out;
    for (const StackLayer& s : m.stack().layers) out.push_back(to_pytorch(s.layer));
    return out;
}

// Runs the model's job to the end, as the view's frames do.
void run_maps(NetworkModel& m) {
    m.submit_if_needed();
    for (int i = 0; i < 2000 && m.busy(); ++i) {
        m.poll();
        if (m.busy()) std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    m.poll();
}

}  // namespace

TEST_CASE("NetworkModel: starts on the lecture's stack with its preset kernels") {
    NetworkModel m;
    CHECK(labels(m) == std::vector<std::string>{"nn.Conv2d(1, 5, 5)", "nn.MaxPool2d(2)"});
    CHECK(m.stack().input == Shape{1, 1, 28, 28});
    CHECK(m.stack().layers[0].presets[1] == "sobel-x");
    CHECK(m.check().ok());
    CHECK(m.check().layers[1].output == Shape{1, 5, 12, 12});
    CHECK(m.code() == to_pytorch_code(Network::lecture()));
    CHECK(!m.can_undo());
    CHECK(!m.can_redo());
    CHECK(m.edit_count() == 0);
}

TEST_CASE("NetworkModel: apply adds a layer fitted to the shape where it goes") {
    NetworkModel m;
    SECTION("Conv2d after the pool reads its 5 channels") {
        REQUIRE(m.apply(ne::AddLayer{LayerKind::Conv2d, 2}));
        CHECK(m.stack().layers[2].layer == Layer::conv2d(5, 5, 3));
        CHECK(m.check().layers[2].output == Shape{1, 5, 10, 10});
    }
    SECTION("Linear after a Flatten reads its features") {
        REQUIRE(m.apply(ne::AddLayer{LayerKind::Flatten, 2}));
        REQUIRE(m.apply(ne::AddLayer{LayerKind::Linear, 3}));
        CHECK(m.stack().layers[3].layer == Layer::linear(720, 10));
        CHECK(m.check().ok());
    }
    SECTION("at the front, a BatchNorm2d takes the input's channels") {
        REQUIRE(m.apply(ne::SetInput{{1, 3, 28, 28}}));
        REQUIRE(m.apply(ne::AddLayer{LayerKind::BatchNorm2d, 0}));
        CHECK(m.stack().layers[0].layer.in == 3);
    }
    SECTION("an index out of range adds at the end") {
        REQUIRE(m.apply(ne::AddLayer{LayerKind::ReLU, 99}));
        CHECK(m.stack().layers.back().layer.kind == LayerKind::ReLU);
    }
    CHECK(m.edit_count() >= 1);
    CHECK(m.can_undo());
}

TEST_CASE("suggested_layer: shapes for a new layer") {
    CHECK(suggested_layer(LayerKind::Conv2d, {1, 16, 8, 8}) == Layer::conv2d(16, 16, 3));
    CHECK(suggested_layer(LayerKind::Conv2d, {1, 1, 8, 8}) == Layer::conv2d(1, 4, 3));
    CHECK(suggested_layer(LayerKind::Linear, {1, 84}) == Layer::linear(84, 10));
    const Layer t = suggested_layer(LayerKind::ConvTranspose2d, {1, 8, 4, 4});
    CHECK(t.in == 8);
    CHECK(t.out == 8);
    CHECK(t.stride == Pair(2));
    CHECK(suggested_layer(LayerKind::ZeroPad2d, {1, 1, 4, 4}).pad_top == 1);
    CHECK(suggested_layer(LayerKind::Softmax, {1, 10}).dim == 1);
}

TEST_CASE("NetworkModel: remove, move, set a layer, set a preset, set the input") {
    NetworkModel m;
    REQUIRE(m.apply(ne::AddLayer{LayerKind::ReLU, 1}));  // Conv2d, ReLU, MaxPool2d
    REQUIRE(m.apply(ne::MoveLayer{1, 1}));               // Conv2d, MaxPool2d, ReLU
    CHECK(labels(m) == std::vector<std::string>{"nn.Conv2d(1, 5, 5)", "nn.MaxPool2d(2)", "nn.ReLU()"});
    CHECK(!m.apply(ne::MoveLayer{2, 1}));  // the last cannot go further down
    CHECK(!m.apply(ne::RemoveLayer{3}));
    REQUIRE(m.apply(ne::RemoveLayer{2}));
    Layer wide = Layer::conv2d(1, 8, 3);
    REQUIRE(m.apply(ne::SetLayer{0, wide}));
    CHECK(m.check().layers[0].output == Shape{1, 8, 26, 26});
    CHECK(m.stack().layers[0].presets[1] == "sobel-x");  // same kind: its kernels stay
    REQUIRE(m.apply(ne::SetPreset{0, 7, "box"}));
    CHECK(m.stack().layers[0].presets[7] == "box");
    CHECK(!m.apply(ne::SetPreset{0, 8, "box"}));  // no channel 8
    CHECK(!m.apply(ne::SetPreset{1, 0, "box"}));  // a pool has no kernels
    REQUIRE(m.apply(ne::SetLayer{0, Layer::avg_pool2d(2)}));
    CHECK(m.stack().layers[0].presets.empty());  // another kind: the kernels go
    REQUIRE(m.apply(ne::SetInput{{1, 1, 0, 99999}}));
    CHECK(m.stack().input == Shape{1, 1, 1, kMaxEditValue});  // clamped
    CHECK(!m.apply(ne::SetInput{{}}));
}

TEST_CASE("NetworkModel: check and code are cached until the stack changes") {
    NetworkModel m;
    const std::string* code = &m.code();
    const std::string before = *code;
    CHECK(&m.code() == code);
    CHECK(m.code() == before);
    REQUIRE(m.apply(ne::AddLayer{LayerKind::ReLU, 2}));
    CHECK(m.code() != before);
    CHECK(m.code() == to_pytorch_code(m.network()));
    CHECK(m.check().layers.size() == 3);
    const SizeEstimate e = estimate_sizes(m.network(), m.check());
    CHECK(m.sizes().total_mb == e.total_mb);
    CHECK(m.sizes().params_mb > 0);
}

TEST_CASE("NetworkModel: undo and redo every edit") {
    NetworkModel m;
    const NetworkStack lecture = m.stack();
    REQUIRE(m.apply(ne::AddLayer{LayerKind::ReLU, 2}));
    const NetworkStack with_relu = m.stack();
    REQUIRE(m.apply(ne::MoveLayer{2, -1}));
    const NetworkStack moved = m.stack();
    REQUIRE(m.apply(ne::SetPreset{0, 0, "emboss"}));
    const NetworkStack preset = m.stack();
    REQUIRE(m.apply(ne::RemoveLayer{1}));
    REQUIRE(m.undo());
    CHECK(m.stack() == preset);
    REQUIRE(m.undo());
    CHECK(m.stack() == moved);
    REQUIRE(m.undo());
    CHECK(m.stack() == with_relu);
    REQUIRE(m.undo());
    CHECK(m.stack() == lecture);
    CHECK(!m.undo());
    REQUIRE(m.redo());
    CHECK(m.stack() == with_relu);
    CHECK(m.check().layers.size() == 3);  // the check follows undo and redo
    SECTION("a new edit clears redo") {
        REQUIRE(m.apply(ne::AddLayer{LayerKind::Flatten, 3}));
        CHECK(!m.can_redo());
        CHECK(!m.redo());
    }
    SECTION("an edit that changes nothing is no step") {
        REQUIRE(m.apply(ne::SetLayer{0, m.stack().layers[0].layer}));
        REQUIRE(m.undo());
        CHECK(m.stack() == lecture);
    }
}

TEST_CASE("NetworkModel: typing in a field is one undo step once it settles") {
    NetworkModel m;
    Layer L = m.stack().layers[0].layer;
    L.out = 1;
    REQUIRE(m.apply(ne::SetLayer{0, L}, false));  // "1"
    L.out = 16;
    REQUIRE(m.apply(ne::SetLayer{0, L}, false));                // "16"
    CHECK(m.check().layers[0].output == Shape{1, 16, 24, 24});  // the check follows at once
    CHECK(m.can_undo());
    m.settle();
    REQUIRE(m.undo());
    CHECK(m.stack().layers[0].layer.out == 5);
    REQUIRE(m.redo());
    CHECK(m.stack().layers[0].layer.out == 16);
    SECTION("undo while typing undoes the typing") {
        L.out = 3;
        REQUIRE(m.apply(ne::SetLayer{0, L}, false));
        REQUIRE(m.undo());
        CHECK(m.stack().layers[0].layer.out == 16);
    }
}

TEST_CASE("NetworkModel: the lecture stack replacing a hand-built network is undoable") {
    NetworkModel m;
    REQUIRE(m.apply(ne::LoadBundled{"lenet5"}));
    for (int i = 0; i < 4; ++i) REQUIRE(m.apply(ne::AddLayer{LayerKind::ReLU, 0}));
    const NetworkStack hand_built = m.stack();
    REQUIRE(hand_built.layers.size() > 12);
    REQUIRE(m.apply(ne::LoadBundled{"lecture"}));
    CHECK(m.stack() == NetworkStack::lecture());
    REQUIRE(m.undo());
    CHECK(m.stack() == hand_built);
    REQUIRE(m.redo());
    CHECK(m.stack() == NetworkStack::lecture());
    CHECK(!m.apply(ne::LoadBundled{"no-such-stack"}));
    CHECK(m.stack() == NetworkStack::lecture());
}

TEST_CASE("NetworkModel: pasted code builds a stack, undoably; bad code leaves it") {
    NetworkModel m;
    REQUIRE(m.apply(
        ne::PasteCode{"import torch\ninput = torch.randn(1, 3, 32, 32)\nconv = nn.Conv2d(3, 6, 5)\n"}));
    CHECK(m.stack().input == Shape{1, 3, 32, 32});
    CHECK(labels(m) == std::vector<std::string>{"nn.Conv2d(3, 6, 5)"});
    REQUIRE(m.skipped().size() == 1);
    CHECK(m.skipped()[0].text == "import torch");
    const NetworkStack pasted = m.stack();
    const auto bad = m.apply(ne::PasteCode{"nn.Conv2d(1,,5)"});
    CHECK(!bad);
    CHECK(m.stack() == pasted);
    // The model keeps the error (structured, for the view to word in the UI's language) until a paste builds.
    REQUIRE(m.paste_error());
    CHECK(m.paste_error()->message == bad.error());
    REQUIRE(m.apply(ne::PasteCode{"conv = nn.Conv2d(3, 6, 5)\n"}));
    CHECK(!m.paste_error());
    REQUIRE(m.undo());
    CHECK(m.stack() == pasted);
    REQUIRE(m.undo());
    CHECK(m.stack() == NetworkStack::lecture());
}

TEST_CASE("NetworkModel: reset shows a stack without an undo step") {
    NetworkModel m;
    REQUIRE(m.apply(ne::AddLayer{LayerKind::ReLU, 2}));
    NetworkStack s;
    s.input = {1, 1, 8, 8};
    s.layers = {{Layer::max_pool2d(2), {}}};
    m.reset(s);
    CHECK(m.stack() == s);
    CHECK(!m.can_undo());
    CHECK(!m.undo());
}

TEST_CASE("stack_weights: random_weights by index, then the preset kernels") {
    NetworkStack s = NetworkStack::lecture();
    const auto w = stack_weights(s, 7);
    const auto random = random_weights(s.network(), 7);
    REQUIRE(w.size() == 2);
    // Channel 0 keeps its random weights; channel 1 is Sobel x.
    for (int64_t i = 0; i < 25; ++i) CHECK(w[0].weight.data[size_t(i)] == random[0].weight.data[size_t(i)]);
    LayerWeights presets = random[0];
    const char* names[] = {"sobel-x", "sobel-y", "gaussian", "laplacian"};
    for (int64_t o = 1; o <= 4; ++o) REQUIRE(set_channel_preset(s.layers[0].layer, presets, o, names[o - 1]));
    CHECK(w[0].weight == presets.weight);
    CHECK(w[0].weight.data[25 + 12] == 0.0f);  // Sobel x's centre
    CHECK(w[0].bias.data[1] == 0.0f);
    CHECK(w[0].bias.data[0] == random[0].bias.data[0]);
}

TEST_CASE("NetworkModel: feature maps of the drawing run on the worker") {
    NetworkModel m;
    run_maps(m);
    REQUIRE(m.maps());
    REQUIRE(m.maps()->ok());
    const MapsRun& run = m.maps()->value();
    REQUIRE(run.maps.size() == 3);
    CHECK(run.maps[0].name.empty());
    CHECK(run.maps[1].name == "1 Conv2d(1, 5, 5)");
    CHECK(run.maps[1].tiles.size() == 5);
    CHECK(run.maps[1].presets[1] == "sobel-x");
    CHECK(run.tensors[2].shape == Shape{1, 5, 12, 12});
    CHECK(run.weights == stack_weights(m.stack(), uint32_t(m.seed())));
    // The tiles are the outputs' channels and their ranges.
    const FeatureTile& t = run.maps[2].tiles[3];
    CHECK(t.h == 12);
    CHECK(t.cells.size() == 144);
    const float* plane = run.tensors[2].data.data() + 3 * 144;
    CHECK(t.cells[17] == plane[17]);
    CHECK(t.hi == *std::max_element(plane, plane + 144));
    auto map = m.channel_map(2, 3);
    REQUIRE(map);
    CHECK(map->shape == Shape{1, 12, 12});
    CHECK(map->data[17] == plane[17]);
    CHECK(!m.channel_map(2, 5));
    CHECK(!m.busy());
    SECTION("the receptive field of a picked element") {
        m.pick_field(2, 0, 0);
        REQUIRE(m.field());
        CHECK(m.field_row() == 2);
        CHECK(m.field()->front().shape == Shape{1, 1, 28, 28});
        CHECK(m.field()->front().at(5, 5) > 0);
        CHECK(m.field()->front().at(6, 6) == 0);
        const TileField f = tile_field(run.maps[0].tiles[0], m.field()->front());
        CHECK(f.rows.size() == 28);
        CHECK(f.top == m.field()->front().max());
    }
    SECTION("an edit reruns it") {
        REQUIRE(m.apply(ne::AddLayer{LayerKind::ReLU, 2}));
        run_maps(m);
        REQUIRE(m.maps()->ok());
        CHECK(m.maps()->value().maps.size() == 4);
    }
    SECTION("the drawing cleared gives zeros through the pool of Sobel channels") {
        m.clear_canvas();
        run_maps(m);
        REQUIRE(m.maps()->ok());
        const FeatureTile& z = m.maps()->value().maps[0].tiles[0];
        CHECK(z.lo == 0.0f);
        CHECK(z.hi == 0.0f);
    }
}

TEST_CASE("NetworkModel: a stack that does not check out or is too large does not run") {
    NetworkModel m;
    REQUIRE(m.apply(ne::SetLayer{0, Layer::conv2d(3, 5, 5)}));  // the input has 1 channel
    m.submit_if_needed();
    CHECK(m.blocked() == NetworkModel::Blocked::Invalid);
    REQUIRE(m.undo());
    REQUIRE(m.apply(ne::SetInput{{1, 1, 2048, 2048}}));  // 30 million values
    m.submit_if_needed();
    CHECK(m.blocked() == NetworkModel::Blocked::TooLarge);
    CHECK(m.blocked_values() > NetworkModel::kMaxValues);
}

TEST_CASE("NetworkModel: the drawing's brush") {
    NetworkModel m;
    m.clear_canvas();
    CHECK(m.paint(14.0f, 14.0f, false));
    CHECK(m.canvas()[size_t(14 * kCanvasSide + 14)] > 0.5f);
    CHECK(m.canvas()[0] == 0.0f);
    CHECK(!m.paint(14.0f, 14.0f, false));  // already painted
    CHECK(m.paint(14.0f, 14.0f, true));
    CHECK(m.canvas()[size_t(14 * kCanvasSide + 14)] == 0.0f);
    m.reset_digit();
    CHECK(m.canvas() == sample_digit());
}

TEST_CASE("NetworkModel: a photo is decoded on the worker") {
    NetworkModel m;
    m.load_photo(convscope::testing::source_dir() + "/assets/camera.png", true);
    for (int i = 0; i < 2000 && m.photo_loading(); ++i) {
        m.poll();
        if (m.photo_loading()) std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    REQUIRE(m.photo());
    CHECK(m.photo()->name == "camera.png");
    CHECK(m.use_photo());
    CHECK(m.photo()->preview.h <= 96);
    CHECK(m.photo()->picture->dim(0) >= 1);
    NetworkModel bad;
    bad.load_photo("/nonexistent/photo.png", true);
    for (int i = 0; i < 2000 && bad.photo_loading(); ++i) {
        bad.poll();
        if (bad.photo_loading()) std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    CHECK(!bad.photo());
    REQUIRE(bad.photo_error());
    CHECK(!bad.photo_error()->message.empty());
    CHECK(!bad.use_photo());
}

TEST_CASE(
    "import_pytorch_code: print(model)'s Linear after a map gets a Flatten before its ReLU/Dropout run") {
    // Conv2d(1, 2, 3) on 1×1×28×28 gives 1×2×26×26 = 1,352 features; the Flatten goes before ReLU and
    // Dropout (they keep the shape), and the layers after the Linear are checked on its [1, 10].
    const std::string code =
        "(0): Conv2d(1, 2, kernel_size=(3, 3))\n(1): ReLU()\n(2): Dropout(p=0.5)\n"
        "(3): Linear(in_features=1352, out_features=10)\n(4): ReLU()\n(5): Linear(10, 5)\n";
    auto r = import_pytorch_code(code, Shape{1, 1, 28, 28});
    REQUIRE(r);
    std::vector<std::string> got;
    for (const Layer& L : r->net.layers) got.push_back(to_pytorch(L));
    CHECK(got == std::vector<std::string>{"nn.Conv2d(1, 2, 3)", "nn.Flatten()", "nn.ReLU()", "nn.Dropout()",
                                          "nn.Linear(1352, 10)", "nn.ReLU()", "nn.Linear(10, 5)"});
    CHECK(check_network(r->net).ok());
    REQUIRE(r->notes.size() == 1);
    CHECK(r->notes[0].message.find("Flatten() put in as layer 2, for layer 5 (Linear(1352, 10))") == 0);
    SECTION("a Linear that does not read the whole map is left for the check to refuse") {
        auto bad = import_pytorch_code("nn.Conv2d(1, 2, 3)\nnn.Linear(1000, 10)\n", Shape{1, 1, 28, 28});
        REQUIRE(bad);
        CHECK(bad->net.layers.size() == 2);
        CHECK(check_network(bad->net).first_error == 1);
    }
}
