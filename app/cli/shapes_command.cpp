// convscope shapes --input N,C,H,W LAYER... [--json]
// convscope shapes [--input N,C,H,W] --code FILE.py [--json]
// Each LAYER in PyTorch's constructor syntax ("Conv2d(1,5,5)", "nn.MaxPool2d(2)"), or the layers of a Python
// file (import_pytorch_code; nothing executed, lines that are not layers listed on stderr); prints a table
// like torchinfo's (output shape, parameters, mult-adds, receptive field, totals and size estimates) or,
// with --json, an array whose first element is the input. Layers count from 1 after the input: an invalid
// stack exits 2 with `error: layer K (<layer as given>): <why>`.
#include <CLI/CLI.hpp>
#include <algorithm>
#include <cstdio>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>

#include "app/cli/cli.hpp"
#include "core/io/fileio.hpp"
#include "core/network/network.hpp"

namespace convscope::cli {
namespace {

// "[1, 5, 24, 24]", the way torchinfo and torch.Size print shapes.
std::string bracketed(const Shape& s) {
    std::string r = "[";
    for (size_t k = 0; k < s.size(); ++k) r += (k ? ", " : "") + std::to_string(s[k]);
    return r + "]";
}

// Display width of UTF-8 text (continuation bytes do not count).
size_t width(const std::string& s) {
    return size_t(std::count_if(s.begin(), s.end(),
                                [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

std::string pad_right(const std::string& s, size_t w) {
    return s + std::string(w > width(s) ? w - width(s) : 0, ' ');
}
std::string pad_left(const std::string& s, size_t w) {
    return std::string(w > width(s) ? w - width(s) : 0, ' ') + s;
}

// "5" or "5×3": a receptive-field pair; "--" where it stops meaning something.
std::string pair_text(const std::optional<ReceptiveField>& rf, bool jump) {
    if (!rf) return "--";
    const Pair p = jump ? rf->jump : rf->size;
    return p.h == p.w ? std::to_string(p.h) : std::to_string(p.h) + "×" + std::to_string(p.w);
}

std::string real_text(double v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%g", v);
    return buf;
}

std::string start_text(const std::optional<ReceptiveField>& rf) {
    if (!rf) return "--";
    return rf->start_h == rf->start_w ? real_text(rf->start_h)
                                      : real_text(rf->start_h) + "×" + real_text(rf->start_w);
}

std::string megabytes(double mb) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.2f", mb);
    return buf;
}

nlohmann::ordered_json pair_json(const std::optional<ReceptiveField>& rf, bool jump) {
    if (!rf) return nullptr;
    const Pair p = jump ? rf->jump : rf->size;
    return {p.h, p.w};
}

struct ShapesCommand {
    std::string input = "1,1,28,28";
    bool input_given = false;
    std::vector<std::string> layers;
    std::string code;
    bool json = false;

    // A layer as the error quotes it: at most 80 characters (a hostile string may be megabytes long).
    static std::string quoted(const std::string& layer) {
        if (layer.size() <= 80) return layer;
        size_t cut = 77;
        while (cut > 0 && (static_cast<unsigned char>(layer[cut]) & 0xC0) == 0x80) --cut;  // whole UTF-8
        return layer.substr(0, cut) + "…";
    }

    int run() {
        std::optional<Shape> shape;
        if (input_given || code.empty()) {
            auto s = parse_input_shape(input);
            if (!s) return error_exit("--input: " + s.error());
            shape = *s;
        }
        if (!code.empty() && !layers.empty())
            return error_exit("give either --code FILE.py or LAYER arguments, not both");
        if (code.empty() && layers.empty()) return error_exit("give LAYER arguments or --code FILE.py");
        Network net;
        std::vector<std::string> labels = layers;
        std::vector<std::string> notes;
        if (!code.empty()) {
            auto bytes = read_file(code, int64_t(16) << 20);
            if (!bytes) return error_exit(code + ": " + bytes.error());
            auto imported = import_pytorch_code(std::string(bytes->begin(), bytes->end()), shape);
            if (!imported) return error_exit(code + ": " + imported.error());
            net = imported->net;
            labels.clear();
            for (const Layer& L : net.layers) labels.push_back(to_pytorch(L).substr(3));
            for (const SkippedLine& k : imported->skipped)
                notes.push_back("skipped line " + std::to_string(k.line) + ": " + k.english());
            for (const Error& n : imported->notes) notes.push_back("note: " + n.message);
        } else {
            net.input = *shape;
            // Parse in order; a layer that does not parse is reported unless an earlier layer already fails.
            std::string parse_error;
            size_t parse_failed = layers.size();
            for (size_t i = 0; i < layers.size(); ++i) {
                auto layer = parse_layer(layers[i]);
                if (!layer) {
                    parse_error = layer.error();
                    parse_failed = i;
                    break;
                }
                net.layers.push_back(*layer);
            }
            const NetworkCheck check = check_network(net);
            if (check.first_error >= 0 && size_t(check.first_error) < parse_failed) {
                const size_t k = size_t(check.first_error);
                return error_exit("layer " + std::to_string(k + 1) + " (" + quoted(layers[k]) +
                                  "): " + check.layers[k].error);
            }
            if (parse_failed < layers.size())
                return error_exit("layer " + std::to_string(parse_failed + 1) + " (" +
                                  quoted(layers[parse_failed]) + "): " + parse_error);
        }
        const NetworkCheck check = check_network(net);
        if (!check.input_error.empty()) return error_exit("input: " + check.input_error);
        if (check.first_error >= 0) {
            const size_t k = size_t(check.first_error);
            return error_exit("layer " + std::to_string(k + 1) + " (" + quoted(labels[k]) +
                              "): " + check.layers[k].error);
        }
        if (json)
            print_json(net, check, labels);
        else
            print_table(net, check, labels);
        // Lines of the code that gave no layer, and what the import assumed: listed, never dropped silently.
        for (const std::string& n : notes) std::cerr << n << "\n";
        return 0;
    }

    static void print_json(const Network& net, const NetworkCheck& check,
                           const std::vector<std::string>& labels) {
        nlohmann::ordered_json rows = nlohmann::ordered_json::array();
        std::optional<ReceptiveField> input_rf;
        if (net.input.size() == 3 || net.input.size() == 4) input_rf = ReceptiveField{};
        rows.push_back({{"layer", "input"},
                        {"shape", net.input},
                        {"params", 0},
                        {"mult_adds", 0},
                        {"receptive_field", pair_json(input_rf, false)},
                        {"jump", pair_json(input_rf, true)}});
        for (size_t i = 0; i < labels.size(); ++i) {
            const LayerCheck& c = check.layers[i];
            rows.push_back({{"layer", labels[i]},
                            {"shape", c.output},
                            {"params", c.params},
                            {"mult_adds", c.mult_adds},
                            {"receptive_field", pair_json(c.rf, false)},
                            {"jump", pair_json(c.rf, true)}});
        }
        std::cout << rows.dump() << "\n";
    }

    static void print_table(const Network& net, const NetworkCheck& check,
                            const std::vector<std::string>& labels) {
        struct Row {
            std::string cells[7];
        };
        std::optional<ReceptiveField> input_rf;
        if (net.input.size() == 3 || net.input.size() == 4) input_rf = ReceptiveField{};
        std::vector<Row> rows{
            {{"Layer (type)", "Output shape", "Params", "Mult-adds", "RF", "Jump", "Start"}},
            {{"Input", bracketed(net.input), "--", "--", pair_text(input_rf, false),
              pair_text(input_rf, true), start_text(input_rf)}}};
        for (size_t i = 0; i < labels.size(); ++i) {
            const LayerCheck& c = check.layers[i];
            rows.push_back({{labels[i], bracketed(c.output), c.params ? with_thousands(c.params) : "--",
                             c.mult_adds ? with_thousands(c.mult_adds) : "--", pair_text(c.rf, false),
                             pair_text(c.rf, true), start_text(c.rf)}});
        }
        size_t w[7] = {};
        for (const Row& r : rows)
            for (int k = 0; k < 7; ++k) w[k] = std::max(w[k], width(r.cells[k]));
        size_t total = 0;
        for (int k = 0; k < 7; ++k) total += w[k] + (k ? 4 : 0);
        const std::string rule(total, '=');
        for (size_t r = 0; r < rows.size(); ++r) {
            std::string line;
            for (int k = 0; k < 7; ++k) {
                const std::string& cell = rows[r].cells[k];
                line += (k ? "    " : "") + (k < 2 ? pad_right(cell, w[k]) : pad_left(cell, w[k]));
            }
            while (!line.empty() && line.back() == ' ') line.pop_back();
            std::cout << line << "\n";
            if (r == 0) std::cout << rule << "\n";
        }
        const SizeEstimate e = estimate_sizes(net, check);
        std::cout << rule << "\n"
                  << "Total params: " << with_thousands(check.total_params) << "\n"
                  << "Trainable params: " << with_thousands(check.trainable_params) << "\n"
                  << "Non-trainable params: " << with_thousands(check.non_trainable_params()) << "\n"
                  << "Total mult-adds: " << with_thousands(check.total_mult_adds) << "\n"
                  << rule << "\n"
                  << "Input size (MB): " << megabytes(e.input_mb) << "\n"
                  << "Forward/backward pass size (MB): " << megabytes(e.forward_backward_mb) << "\n"
                  << "Params size (MB): " << megabytes(e.params_mb) << "\n"
                  << "Estimated Total Size (MB): " << megabytes(e.total_mb) << "\n"
                  << rule << "\n";
    }
};

}  // namespace

void add_shapes_command(Registry& r) {
    auto cmd = std::make_shared<ShapesCommand>();
    CLI::App* sub = r.root.add_subcommand(
        "shapes",
        "Output shape, parameters and multiply-accumulates of a stack of PyTorch layers, e.g.\n"
        "  convscope shapes --input 1,1,28,28 \"Conv2d(1,5,5)\" \"MaxPool2d(2)\"\n"
        "  convscope shapes --code alexnet.py\n"
        "Layers: Conv2d, ConvTranspose2d, the pools (adaptive too), BatchNorm2d, Dropout, the activations,\n"
        "Softmax, the padding layers, Upsample, LocalResponseNorm, Flatten, Linear, with PyTorch's "
        "positional\n"
        "and keyword arguments. Mult-adds as torchinfo counts them; RF, Jump and Start are each layer's\n"
        "receptive field on the input. Layers count from 1 after the input: an invalid stack exits 2 with\n"
        "\"error: layer K (LAYER): why\".");
    sub->add_option("--input", cmd->input,
                    "Input shape N,C,H,W (also C,H,W or N,F); with --code it replaces the code's own")
        ->capture_default_str()
        ->each([cmd](const std::string&) { cmd->input_given = true; });
    sub->add_option("LAYER", cmd->layers,
                    "Layers in PyTorch's syntax, e.g. \"Conv2d(16,8,(3,5),padding=(1,2))\"");
    sub->add_option(
        "--code", cmd->code,
        "A Python file with the layers: an nn.Sequential, assignments (a module's __init__ and forward) "
        "or what print(model) prints; nothing is executed. Lines that are not layers are listed on "
        "stderr.");
    sub->add_flag("--json", cmd->json,
                  "Print a JSON array: the input, then each layer, as {\"layer\", \"shape\", \"params\", "
                  "\"mult_adds\", \"receptive_field\", \"jump\"}");
    r.add(sub, [cmd] { return cmd->run(); });
}

}  // namespace convscope::cli
