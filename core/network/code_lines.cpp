// What import_pytorch_code reads code with, below the layer calls: comments stripped, logical lines
// (statements), lines and columns of an offset, the names that make an input or hold layers, and the
// functions in forward that act as a layer (torch.flatten, x.view, F.relu, …).
#include "core/network/code_syntax.hpp"

namespace convscope::code_detail {

// Comments removed (from '#' outside quotes to the end of the line), every other character kept in place, so
// offsets still map to lines and columns.
std::string strip_comments(std::string_view code) {
    std::string out(code);
    char quote = 0;
    bool comment = false;
    for (char& c : out) {
        if (c == '\n') {
            comment = false;
            quote = 0;
            continue;
        }
        if (comment) {
            c = ' ';
        } else if (quote) {
            if (c == quote) quote = 0;
        } else if (c == '\'' || c == '"') {
            quote = c;
        } else if (c == '#') {
            comment = true;
            c = ' ';
        }
    }
    return out;
}

size_t line_of(std::string_view text, size_t pos) {
    return size_t(std::count(text.begin(), text.begin() + std::min(pos, text.size()), '\n')) + 1;
}

size_t column_of(std::string_view text, size_t pos) {
    const size_t nl = text.rfind('\n', pos == 0 ? 0 : pos - 1);
    return nl == kNoPos || pos == 0 ? pos + 1 : pos - nl;
}

bool is_input_constructor(std::string_view name) {
    for (std::string_view n : {"torch.Tensor", "torch.FloatTensor", "torch.randn", "torch.rand",
                               "torch.zeros", "torch.ones", "torch.empty"})
        if (name == n) return true;
    return false;
}

// Names that hold layers rather than being one; their arguments are scanned like the rest of the code.
bool is_container(std::string_view name) {
    for (std::string_view prefix : {"torch.nn.", "nn."})
        if (name.starts_with(prefix)) name.remove_prefix(prefix.size());
    for (std::string_view n :
         {"Sequential", "Module", "ModuleList", "ModuleDict", "functional", "init", "Parameter"})
        if (name == n || name.starts_with(std::string(n) + ".")) return true;
    return false;
}

std::vector<Statement> split_statements(const std::string& code) {
    std::vector<Statement> out;
    int depth = 0;
    char quote = 0;
    bool triple = false;
    size_t begin = 0;
    // Lines counted as the text is read (line_of from the start each time would be quadratic).
    size_t line = 1, counted = 0;
    auto flush = [&](size_t end) {
        size_t b = begin;
        while (b < end && std::isspace(static_cast<unsigned char>(code[b]))) ++b;
        if (b < end) {
            line += size_t(
                std::count(code.begin() + std::ptrdiff_t(counted), code.begin() + std::ptrdiff_t(b), '\n'));
            counted = b;
            out.push_back({b, end, line});
        }
        begin = end + 1;
    };
    for (size_t i = 0; i < code.size(); ++i) {
        const char c = code[i];
        if (quote) {
            if (c == '\\') {
                ++i;
            } else if (c == quote && (!triple || code.compare(i, 3, std::string(3, quote)) == 0)) {
                if (triple) i += 2;
                quote = 0;
            } else if (c == '\n' && !triple) {
                quote = 0;  // an unclosed string ends with its line
                if (depth == 0) flush(i);
            }
            continue;
        }
        if (c == '\'' || c == '"') {
            quote = c;
            triple = code.compare(i, 3, std::string(3, c)) == 0;
            if (triple) i += 2;
        } else if (c == '(' || c == '[' || c == '{') {
            ++depth;
        } else if (c == ')' || c == ']' || c == '}') {
            depth = std::max(0, depth - 1);
        } else if (c == '\n' && depth == 0) {
            size_t k = i;
            while (k > begin && (code[k - 1] == ' ' || code[k - 1] == '\t' || code[k - 1] == '\r')) --k;
            if (k > begin && code[k - 1] == '\\') continue;
            flush(i);
        }
    }
    flush(code.size());
    return out;
}

std::string strip_self(std::string name) {
    if (name.starts_with("self.")) name.erase(0, 5);
    return name;
}

// Functions in forward that act as a layer: torch.flatten(x, 1), x.view(x.size(0), -1), F.relu(x), …
std::optional<Layer> functional_layer(const Value& call, Error& note, Error& err) {
    const std::string& n = call.s;
    auto ends = [&](std::string_view tail) { return n.size() > tail.size() && n.ends_with(tail); };
    auto int_arg = [&](size_t index, std::string_view keyword, int64_t fallback) {
        size_t positional = 0;
        for (const Argument& a : call.args) {
            if (a.keyword.empty() && positional++ == index && a.value.type == Value::Type::Int)
                return a.value.i;
            if (!a.keyword.empty() && a.keyword == keyword && a.value.type == Value::Type::Int)
                return a.value.i;
        }
        return fallback;
    };
    if (n == "torch.flatten") {
        Layer L = Layer::flatten();
        L.start_dim = int_arg(1, "start_dim", 0);
        L.end_dim = int_arg(2, "end_dim", -1);
        note = fail<ErrCode::imp_read_as>(n, to_pytorch(L).substr(3));
        return L;
    }
    if (ends(".flatten") && !n.starts_with("nn.") && !n.starts_with("torch.")) {
        Layer L = Layer::flatten();
        L.start_dim = int_arg(0, "start_dim", 0);
        L.end_dim = int_arg(1, "end_dim", -1);
        note = fail<ErrCode::imp_read_as>(n, to_pytorch(L).substr(3));
        return L;
    }
    if ((ends(".view") || ends(".reshape")) && call.args.size() == 2) {
        note = fail<ErrCode::imp_read_as_rows>(n);
        return Layer::flatten();
    }
    for (std::string_view prefix : {"torch.nn.functional.", "nn.functional.", "F.", "torch."}) {
        if (!n.starts_with(prefix)) continue;
        const std::string f = n.substr(prefix.size());
        static const std::pair<std::string_view, LayerKind> simple[] = {
            {"relu", LayerKind::ReLU},
            {"relu6", LayerKind::ReLU6},
            {"sigmoid", LayerKind::Sigmoid},
            {"tanh", LayerKind::Tanh},
            {"silu", LayerKind::SiLU},
            {"gelu", LayerKind::GELU},
            {"hardswish", LayerKind::Hardswish},
            {"elu", LayerKind::ELU},
            {"leaky_relu", LayerKind::LeakyReLU},
        };
        for (auto [name, kind] : simple)
            if (f == name) {
                note = fail<ErrCode::imp_read_as>(n, std::string(to_string(kind)) + "()");
                return Layer::make(kind);
            }
        if (f == "max_pool2d" || f == "avg_pool2d") {
            // F.max_pool2d(x, 2, 2): the layer's arguments after the input.
            Call c;
            c.name = f == "max_pool2d" ? "MaxPool2d" : "AvgPool2d";
            c.name_pos = call.pos;
            c.close_pos = call.end ? call.end - 1 : call.pos;
            c.args.assign(call.args.begin() + (call.args.empty() ? 0 : 1), call.args.end());
            auto L = to_layer(c, err);
            if (L) note = fail<ErrCode::imp_read_as>(n, to_pytorch(*L).substr(3));
            return L;
        }
        break;
    }
    return std::nullopt;
}

}  // namespace convscope::code_detail
