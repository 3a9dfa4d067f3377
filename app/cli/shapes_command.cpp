// convscope shapes --input N,C,H,W LAYER... [--json]
// Each LAYER in PyTorch's constructor syntax ("Conv2d(1,5,5)", "nn.MaxPool2d(2)"); prints a table like
// torchinfo's (output shape, parameters, multiply-accumulates, totals) or, with --json, an array whose first
// element is the input. Layers count from 1 after the input: an invalid stack exits 2 with
// `error: layer K (<layer as given>): <why>`.
#include <CLI/CLI.hpp>
#include <algorithm>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>

#include "app/cli/cli.hpp"
#include "core/network.hpp"

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

struct ShapesCommand {
    std::string input = "1,1,28,28";
    std::vector<std::string> layers;
    bool json = false;

    // A layer as the error quotes it: at most 80 characters (a hostile string may be megabytes long).
    static std::string quoted(const std::string& layer) {
        if (layer.size() <= 80) return layer;
        size_t cut = 77;
        while (cut > 0 && (static_cast<unsigned char>(layer[cut]) & 0xC0) == 0x80) --cut;  // whole UTF-8
        return layer.substr(0, cut) + "…";
    }

    int run() const {
        auto shape = parse_input_shape(input);
        if (!shape) return error_exit("--input: " + shape.error());
        Network net;
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
        if (check.first_error >= 0) {
            const size_t k = size_t(check.first_error);
            return error_exit("layer " + std::to_string(k + 1) + " (" + quoted(layers[k]) +
                              "): " + check.layers[k].error);
        }
        if (parse_failed < layers.size())
            return error_exit("layer " + std::to_string(parse_failed + 1) + " (" +
                              quoted(layers[parse_failed]) + "): " + parse_error);
        if (json)
            print_json(net, check);
        else
            print_table(net, check);
        return 0;
    }

    void print_json(const Network& net, const NetworkCheck& check) const {
        nlohmann::ordered_json rows = nlohmann::ordered_json::array();
        rows.push_back({{"layer", "input"}, {"shape", net.input}, {"params", 0}});
        for (size_t i = 0; i < layers.size(); ++i)
            rows.push_back({{"layer", layers[i]},
                            {"shape", check.layers[i].output},
                            {"params", check.layers[i].params}});
        std::cout << rows.dump() << "\n";
    }

    void print_table(const Network& net, const NetworkCheck& check) const {
        struct Row {
            std::string layer, shape, params, macs;
        };
        std::vector<Row> rows{{"Layer (type)", "Output shape", "Params", "Mult-adds"},
                              {"Input", bracketed(net.input), "--", "--"}};
        for (size_t i = 0; i < layers.size(); ++i) {
            const LayerCheck& c = check.layers[i];
            const bool learns =
                net.layers[i].kind == LayerKind::Conv2d || net.layers[i].kind == LayerKind::Linear;
            rows.push_back({layers[i], bracketed(c.output), learns ? with_thousands(c.params) : "--",
                            learns ? with_thousands(c.macs) : "--"});
        }
        size_t w[4] = {};
        for (const Row& r : rows) {
            w[0] = std::max(w[0], width(r.layer));
            w[1] = std::max(w[1], width(r.shape));
            w[2] = std::max(w[2], width(r.params));
            w[3] = std::max(w[3], width(r.macs));
        }
        const std::string rule(w[0] + w[1] + w[2] + w[3] + 12, '=');
        for (size_t k = 0; k < rows.size(); ++k) {
            const Row& r = rows[k];
            std::cout << pad_right(r.layer, w[0]) << "    " << pad_right(r.shape, w[1]) << "    "
                      << pad_left(r.params, w[2]) << "    " << pad_left(r.macs, w[3]) << "\n";
            if (k == 0) std::cout << rule << "\n";
        }
        std::cout << rule << "\n"
                  << "Total params: " << with_thousands(check.total_params) << "\n"
                  << "Total mult-adds: " << with_thousands(check.total_macs) << "\n";
    }
};

}  // namespace

void add_shapes_command(Registry& r) {
    auto cmd = std::make_shared<ShapesCommand>();
    CLI::App* sub = r.root.add_subcommand(
        "shapes",
        "Output shape, parameters and multiply-accumulates of a stack of PyTorch layers, e.g.\n"
        "  convscope shapes --input 1,1,28,28 \"Conv2d(1,5,5)\" \"MaxPool2d(2)\"\n"
        "Layers: Conv2d, MaxPool2d, AvgPool2d, ReLU, Flatten, Linear, with PyTorch's positional and keyword\n"
        "arguments. Layers count from 1 after the input: an invalid stack exits 2 with\n"
        "\"error: layer K (LAYER): why\".");
    sub->add_option("--input", cmd->input, "Input shape N,C,H,W (also C,H,W or N,F)")->capture_default_str();
    sub->add_option("LAYER", cmd->layers,
                    "Layers in PyTorch's syntax, e.g. \"Conv2d(16,8,(3,5),padding=(1,2))\"")
        ->required();
    sub->add_flag("--json", cmd->json,
                  "Print a JSON array: the input, then each layer, as {\"layer\", \"shape\", \"params\"}");
    r.add(sub, [cmd] { return cmd->run(); });
}

}  // namespace convscope::cli
