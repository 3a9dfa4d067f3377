// Pasted PyTorch code to a stack, nothing executed (import_pytorch_code): constructors alone or in
// nn.Sequential, assignments called in order by a forward, print(model)'s output; then the input shape, and a
// Flatten before a Linear that reads a whole map.
#include "core/network/code_syntax.hpp"

namespace convscope {
namespace {

using namespace code_detail;

struct Module {
    std::string name;  // "features" for self.features; empty for a layer not assigned to a name
    std::vector<Layer> layers;
    size_t line = 0;
    bool used = false;
};

struct Use {
    int module = -1;  // index into the modules, or −1 for `layer`
    Layer layer;
    size_t line = 0;
    Error note;  // what a function call was read as (without its line)
};

// Reads pasted code statement by statement: the names it gives values, its modules, their calls, the input.
class Importer {
public:
    explicit Importer(const std::string& code) : m_code(code) {}

    Status run(CodeImport& out) {
        for (const Statement& st : split_statements(m_code))
            if (auto s = statement(st, out); !s) return s;
        return {};
    }

    std::vector<Module> modules;
    std::vector<Use> uses;
    std::optional<Shape> input;

private:
    // `why` at offset `pos` of the code: "line 3: column 12: …".
    Error where(size_t pos, Error why) const {
        return fail<ErrCode::at_line>(line_of(m_code, pos),
                                      fail<ErrCode::net_at_column>(column_of(m_code, pos), std::move(why)));
    }
    // A reader's failure (at() an offset into the code) at its line and column, else at the line of
    // `fallback`.
    Error failure(const Error& err, size_t fallback) const {
        if (const size_t pos = offset_of(err); pos != kNoPos) return where(pos, without_offset(err));
        return fail<ErrCode::at_line>(line_of(m_code, fallback), err);
    }

    std::string first_line(const Statement& st) const {
        std::string_view t = std::string_view(m_code).substr(st.begin, st.end - st.begin);
        t = t.substr(0, t.find('\n'));
        while (!t.empty() && std::isspace(static_cast<unsigned char>(t.back()))) t.remove_suffix(1);
        return std::string(t);
    }

    void skip(const Statement& st, CodeImport& out) const {
        out.skipped.push_back({st.line, first_line(st), std::nullopt});
    }

    Status too_deep(size_t pos) const { return where(pos, fail<ErrCode::syn_nested>(kMaxCodeNesting)); }

    // Layers of a value: layer calls, and those inside nn.Sequential, lists, tuples and other calls.
    Status collect_layers(const Value& v, std::vector<Layer>& layers, int depth) const {
        if (depth > kMaxCodeNesting) return too_deep(v.pos);
        if (v.type == Value::Type::Tuple) {
            for (const Value& item : v.items)
                if (auto s = collect_layers(item, layers, depth + 1); !s) return s;
            return {};
        }
        if (v.type != Value::Type::Call) return {};
        // nn.MaxPool2d(2)(nn.Conv2d(1, 5, 5)(x)): what a layer is applied to comes before it.
        for (const Value& item : v.items)
            if (auto s = collect_layers(item, layers, depth + 1); !s) return s;
        if (layer_kind(v.s)) {
            Call c;
            c.name = v.s;
            c.name_pos = v.pos;
            c.args = v.args;
            c.close_pos = v.end ? v.end - 1 : v.pos;
            c.end = v.end;
            Error err;
            auto L = to_layer(c, err);
            if (!L) return failure(err, v.pos);
            layers.push_back(*L);
            return {};
        }
        const bool nn_name = v.s.starts_with("nn.") || v.s.starts_with("torch.nn.");
        if (nn_name && !is_container(v.s)) return where(v.pos, unknown_layer(v.s));
        for (const Argument& a : v.args)
            if (auto s = collect_layers(a.value, layers, depth + 1); !s) return s;
        return {};
    }

    int module_index(const std::string& name) const {
        const std::string n = strip_self(name);
        for (int k = int(modules.size()) - 1; k >= 0; --k)
            if (!modules[size_t(k)].name.empty() && modules[size_t(k)].name == n) return k;
        return -1;
    }

    // Calls of named modules and functional layers, in the order Python evaluates them.
    Status collect_uses(const Value& v, size_t line, std::vector<Use>& found, int depth) const {
        if (depth > kMaxCodeNesting) return too_deep(v.pos);
        if (v.type == Value::Type::Tuple) {
            for (const Value& item : v.items)
                if (auto s = collect_uses(item, line, found, depth + 1); !s) return s;
            return {};
        }
        if (v.type != Value::Type::Call) return {};
        for (const Argument& a : v.args)
            if (auto s = collect_uses(a.value, line, found, depth + 1); !s) return s;
        if (int k = module_index(v.s); k >= 0) {
            found.push_back({k, {}, line, {}});
            return {};
        }
        Error note, err;
        auto L = functional_layer(v, note, err);
        if (!L && failed(err)) return failure(err, v.pos);
        if (L) found.push_back({-1, *L, line, std::move(note)});
        return {};
    }

    // A shape from torch.randn(1, 3, 224, 224), torch.randn((1, 3, 224, 224)) or input_size=(…).
    Status read_shape(const Value& v, size_t at, bool tuple_only) {
        std::vector<const Value*> dims;
        if (v.type == Value::Type::Tuple) {
            for (const Value& d : v.items) dims.push_back(&d);
        } else if (v.type == Value::Type::Call && !tuple_only) {
            for (const Argument& a : v.args) {
                if (!a.keyword.empty()) continue;  // dtype=…, device=…
                if (a.value.type == Value::Type::Tuple)
                    for (const Value& d : a.value.items) dims.push_back(&d);
                else
                    dims.push_back(&a.value);
            }
        }
        const size_t line = line_of(m_code, at);
        Shape shape;
        for (const Value* d : dims) {
            if (d->type != Value::Type::Int)
                return fail<ErrCode::at_line>(line, fail<ErrCode::imp_input_whole>(described(*d)));
            shape.push_back(d->i);
        }
        if (shape.empty() || shape.size() > 4)
            return fail<ErrCode::at_line>(line, fail<ErrCode::imp_input_rank>());
        for (int64_t d : shape)
            if (d < 1) return fail<ErrCode::at_line>(line, fail<ErrCode::imp_input_dim_min>());
        if (shape_numel(shape) < 0) return fail<ErrCode::at_line>(line, fail<ErrCode::imp_input_limits>());
        input = shape;
        return {};
    }

    // `def f(self, num_classes: int = 1000, dropout=0.5) -> None:` gives num_classes and dropout.
    void read_defaults(const Statement& st) {
        const std::string_view text = std::string_view(m_code).substr(0, st.end);
        Lexer lex(text, st.begin);
        int depth = 0;
        Token prev;
        for (Token t = lex.next(); t.type != Tok::End && t.type != Tok::Bad; prev = t, t = lex.next()) {
            if (t.type == Tok::LParen) ++depth;
            if (t.type == Tok::RParen && --depth <= 0) return;
            if (depth != 1 || t.type != Tok::Name || (prev.type != Tok::LParen && prev.type != Tok::Comma))
                continue;
            const std::string name = t.text;
            // Skip an annotation up to '=' or ',' at this depth.
            Lexer look = lex;
            Token u = look.next();
            if (u.type == Tok::Colon) {
                int d = 0;
                for (u = look.next(); u.type != Tok::End && u.type != Tok::Bad; u = look.next()) {
                    if (u.type == Tok::LParen || u.type == Tok::LBracket) ++d;
                    if (u.type == Tok::RParen || u.type == Tok::RBracket) {
                        if (d == 0) break;
                        --d;
                    }
                    if (d == 0 && (u.type == Tok::Equals || u.type == Tok::Comma)) break;
                }
            }
            if (u.type != Tok::Equals) continue;
            Parser p(text, look.pos(), &m_vars);
            Error err;
            auto v = p.value(err);
            if (v && (v->type == Value::Type::Int || v->type == Value::Type::Float ||
                      v->type == Value::Type::Bool || v->type == Value::Type::String))
                m_vars.push_back({name, *v});
        }
    }

    // After `Name (`: the tokens `( key ) :` of an entry.
    static bool entry_follows(Lexer look) {
        if (look.next().type != Tok::LParen) return false;
        for (int k = 0; k < 8; ++k) {
            const Token t = look.next();
            if (t.type == Tok::RParen) return look.next().type == Tok::Colon;
            if (t.type != Tok::Name && t.type != Tok::Int && t.type != Tok::Minus) return false;
        }
        return false;
    }

    // What print(model) prints: `Name(` then `(key): Module` entries, or a leaf `Name(arguments)`.
    Status repr_module(Parser& p, std::vector<Layer>& layers, int depth) const {
        if (depth > kMaxCodeNesting) return too_deep(p.token().pos);
        if (p.token().type != Tok::Name) {
            Error err;
            p.expected(word<ErrCode::w_exp_module>(), err);
            return failure(err, p.token().pos);
        }
        const Token name = p.token();
        Lexer look = p.lexer();
        const Token open = look.next();
        Lexer after_open = look;
        const bool empty = look.next().type == Tok::RParen;
        if (open.type == Tok::LParen && !empty && entry_follows(after_open)) {
            p.advance();  // name
            p.advance();  // '('
            while (p.token().type == Tok::LParen)
                if (auto s = repr_entry(p, layers, depth); !s) return s;
            if (p.token().type != Tok::RParen) {
                Error err;
                p.expected(fail<ErrCode::w_exp_closing>(name.text), err);
                return failure(err, p.token().pos);
            }
            p.advance();
            return {};
        }
        Error err;
        auto call = p.call(err);
        if (!call) return failure(err, name.pos);
        if (!layer_kind(call->name)) return where(call->name_pos, unknown_layer(call->name));
        auto L = to_layer(*call, err);
        if (!L) return failure(err, name.pos);
        layers.push_back(*L);
        return {};
    }

    // `(key): [N x] Module`
    Status repr_entry(Parser& p, std::vector<Layer>& layers, int depth) const {
        p.advance();  // '('
        while (p.token().type != Tok::RParen && p.token().type != Tok::End)
            p.advance();  // the key: 0, features, 0-1
        p.advance();      // ')'
        if (p.token().type != Tok::Colon) {
            Error err;
            p.expected(word<ErrCode::w_exp_colon>(), err);
            return failure(err, p.token().pos);
        }
        p.advance();
        int64_t repeat = 1;
        if (p.token().type == Tok::Int && p.peek_is(Tok::Name)) {  // PyTorch 2 prints "(1-3): 3 x Block(…)"
            Lexer look = p.lexer();
            if (look.next().text == "x") {
                repeat = std::clamp<int64_t>(p.token().value, 1, 1024);
                p.advance();
                p.advance();
            }
        }
        std::vector<Layer> once;
        if (auto s = repr_module(p, once, depth + 1); !s) return s;
        if (layers.size() + once.size() * size_t(repeat) > 100000)
            return where(p.token().pos, fail<ErrCode::imp_stack_too_large>());
        for (int64_t r = 0; r < repeat; ++r) layers.insert(layers.end(), once.begin(), once.end());
        return {};
    }

    Status statement(const Statement& st, CodeImport& out) {
        const std::string_view text = std::string_view(m_code).substr(0, st.end);
        const std::string line = first_line(st);
        auto starts = [&](std::string_view w) {
            return line.starts_with(w) && (line.size() == w.size() || !is_name_char(line[w.size()]));
        };
        for (std::string_view w : {"import", "from", "class", "super", "for", "if", "else", "elif", "with",
                                   "pass", "while", "try", "except", "raise", "assert", "@"})
            if (starts(w) || (w == "@" && line.starts_with("@"))) {
                skip(st, out);
                return {};
            }
        if (starts("def")) {
            read_defaults(st);
            skip(st, out);
            return {};
        }
        // print(model): `(0): Conv2d(…)` lines, or a whole `AlexNet(\n  (features): Sequential(…) …)`.
        {
            Parser p(text, st.begin, &m_vars);
            Lexer here(text, st.begin);
            const bool entry = entry_follows(here);
            bool root = false;
            if (!entry && p.token().type == Tok::Name) {
                Lexer look = p.lexer();
                root = look.next().type == Tok::LParen && entry_follows(look);
            }
            if (entry || root) {
                std::vector<Layer> layers;
                do {
                    const Status s = entry ? repr_entry(p, layers, 0) : repr_module(p, layers, 0);
                    if (!s) return s;
                } while (entry && p.token().type == Tok::LParen);
                Error err;
                if (!p.at_end(err)) return failure(err, st.begin);
                modules.push_back({"", std::move(layers), st.line, false});
                return {};
            }
        }
        Parser p(text, st.begin, &m_vars);
        std::string target;
        if (p.token().type == Tok::Name && p.token().text == "return") p.advance();
        if (p.token().type == Tok::Name && p.peek_is(Tok::Equals)) {
            target = p.token().text;
            p.advance();
            p.advance();
        }
        Error err;
        auto v = p.value(err);
        if (!v || !p.at_end(err)) return unparsed(st, err, out);
        // The input.
        if (v->type == Value::Type::Call && is_input_constructor(v->s)) {
            if (input) {
                skip(st, out);
                return {};
            }
            if (auto s = read_shape(*v, v->pos, false); !s) return s;
            out.input_from_code = true;
            return {};
        }
        if (v->type == Value::Type::Call && (v->s == "summary" || v->s.ends_with(".summary")) && !input) {
            for (size_t k = 0; k < v->args.size(); ++k) {
                const Argument& a = v->args[k];
                if ((a.keyword == "input_size" || (a.keyword.empty() && k == 1)) &&
                    a.value.type == Value::Type::Tuple) {
                    if (auto s = read_shape(a.value, a.value.pos, true); !s) return s;
                    out.input_from_code = true;
                    return {};
                }
            }
        }
        std::vector<Layer> layers;
        if (auto s = collect_layers(*v, layers, 0); !s) return s;
        if (!layers.empty()) {
            modules.push_back({strip_self(target), std::move(layers), st.line, false});
            return {};
        }
        std::vector<Use> found;
        if (auto s = collect_uses(*v, st.line, found, 0); !s) return s;
        if (!found.empty()) {
            uses.insert(uses.end(), found.begin(), found.end());
            return {};
        }
        if (!target.empty() && target.find('.') == std::string::npos &&
            (v->type == Value::Type::Int || v->type == Value::Type::Float || v->type == Value::Type::Bool ||
             v->type == Value::Type::String))
            m_vars.push_back({target, *v});
        skip(st, out);
        return {};
    }

    // A statement that is not a plain expression: an error when it holds a layer call PyTorch would refuse
    // (or one ConvScope does not know), else a skipped line.
    Status unparsed(const Statement& st, const Error& statement_err, CodeImport& out) const {
        const std::string_view text = std::string_view(m_code).substr(0, st.end);
        for (size_t i = st.begin; i < st.end; ++i) {
            const char c = m_code[i];
            if (c == '\'' || c == '"') {
                // The closing quote within this statement (a search to the end of the code would be
                // quadratic).
                const size_t close = text.find(c, i + 1);
                if (close == std::string::npos) break;
                i = close;
                continue;
            }
            if (!is_name_start(c) || (i > st.begin && (is_name_char(m_code[i - 1]) || m_code[i - 1] == '.')))
                continue;
            Lexer lex(text, i);
            const Token name = lex.next();
            const size_t after = name.pos + name.text.size();
            if (lex.next().type != Tok::LParen) {
                i = after - 1;
                continue;
            }
            const bool nn_name = name.text.starts_with("nn.") || name.text.starts_with("torch.nn.");
            if (layer_kind(name.text)) {
                Error err;
                Parser p(text, i, &m_vars);
                auto call = p.call(err);
                if (!call) return failure(err, i);
                if (!to_layer(*call, err)) return failure(err, i);
                if (!failed(statement_err)) return failure(err, i);
                return failure(statement_err, i);
            }
            if (nn_name && !is_container(name.text)) return where(i, unknown_layer(name.text));
            i = after - 1;
        }
        skip(st, out);
        return {};
    }

    const std::string& m_code;
    Variables m_vars;
};

}  // namespace

Result<CodeImport> import_pytorch_code(std::string_view original, const std::optional<Shape>& forced,
                                       const std::optional<Shape>& fallback) {
    const std::string code = strip_comments(original);
    CodeImport result;
    Importer im(code);
    if (auto s = im.run(result); !s) return s.err();
    // Order: the calls when any named module is called (forward, or the lecture's `x = conv1(input)`), else
    // the modules in the order written.
    const bool called =
        std::any_of(im.uses.begin(), im.uses.end(), [](const Use& u) { return u.module >= 0; });
    Network& net = result.net;
    constexpr size_t kMaxLayers = 100000;
    if (called) {
        for (const Use& u : im.uses) {
            if (u.module >= 0) {
                Module& m = im.modules[size_t(u.module)];
                if (m.used)
                    result.notes.push_back(
                        fail<ErrCode::at_line>(u.line, fail<ErrCode::imp_called_again>(m.name)));
                m.used = true;
                net.layers.insert(net.layers.end(), m.layers.begin(), m.layers.end());
            } else {
                net.layers.push_back(u.layer);
                result.notes.push_back(fail<ErrCode::at_line>(u.line, u.note));
            }
            if (net.layers.size() > kMaxLayers) return fail<ErrCode::imp_stack_too_large>();
        }
        for (const Module& m : im.modules)
            if (!m.used)
                result.notes.push_back(fail<ErrCode::at_line>(
                    m.line, fail<ErrCode::imp_never_called>(m.name.empty() ? word<ErrCode::w_a_layer>()
                                                                           : fail_text(m.name))));
    } else {
        for (const Module& m : im.modules) {
            net.layers.insert(net.layers.end(), m.layers.begin(), m.layers.end());
            if (net.layers.size() > kMaxLayers) return fail<ErrCode::imp_stack_too_large>();
        }
        for (const Use& u : im.uses) result.skipped.push_back({u.line, {}, u.note});
        std::stable_sort(result.skipped.begin(), result.skipped.end(),
                         [](const SkippedLine& a, const SkippedLine& b) { return a.line < b.line; });
    }
    if (net.layers.empty()) return fail<ErrCode::imp_no_layers>(known_layers());
    if (forced) {
        net.input = *forced;
        result.input_from_code = false;
    } else if (im.input) {
        net.input = *im.input;
    } else if (fallback) {
        net.input = *fallback;
    } else {
        const Layer& first = net.layers.front();
        int64_t c = 1;
        for (const Layer& L : net.layers) {
            if (L.kind == LayerKind::Conv2d || L.kind == LayerKind::ConvTranspose2d ||
                L.kind == LayerKind::BatchNorm2d) {
                c = L.in;
                break;
            }
            if (L.kind == LayerKind::Linear) break;
        }
        if (first.kind == LayerKind::Linear)
            net.input = {1, first.in};
        else
            net.input = {1, c, c == 3 ? 224 : 28, c == 3 ? 224 : 28};
        result.notes.push_back(fail<ErrCode::imp_assumed_input>(shape_to_string(net.input)));
    }
    // print(model) does not show forward's torch.flatten: a Linear reading a whole C×H×W map gets a Flatten
    // (only where no forward gave the order).
    // One walk through the stack, each layer checked once on the shape before it (not the whole stack again
    // after each Flatten put in); it stops at the first layer that still fails, as check_network's
    // first_error would, and after 64 Flatten layers.
    const bool input_ok = !net.input.empty() && net.input.size() <= 4 && shape_numel(net.input) >= 1;
    Shape shape = net.input;
    int inserted = 0;
    for (size_t k = 0; !called && input_ok && k < net.layers.size(); ++k) {
        LayerCheck c = check_layer(net.layers[k], shape);
        if (!c.ok()) {
            const Layer L = net.layers[k];  // a copy: the insert below reallocates net.layers
            if (inserted >= 64 || L.kind != LayerKind::Linear || c.error_kind != LayerErrorKind::Features ||
                shape.size() < 3 || shape_numel(Shape(shape.begin() + 1, shape.end())) != L.in)
                break;
            const std::string what = to_pytorch(L).substr(3);
            // Before the Dropout/ReLU run that leads to the Linear, where forward's torch.flatten usually is
            // (they keep the shape, so the Flatten reads the same shape there).
            size_t at = k;
            while (at > 0 && is_elementwise(net.layers[at - 1].kind)) --at;
            net.layers.insert(net.layers.begin() + std::ptrdiff_t(at), Layer::flatten());
            ++inserted;
            result.notes.push_back(
                fail<ErrCode::imp_flatten_put_in>(at + 1, k + 2, what, L.in, shape_to_string(shape)));
            ++k;  // the Linear, now one further on
            const Shape flat = check_layer(Layer::flatten(), shape).output;
            // The elementwise layers between the Flatten and the Linear now read the flattened shape.
            shape = flat;
            for (size_t e = at + 1; e < k; ++e) shape = check_layer(net.layers[e], shape).output;
            c = check_layer(net.layers[k], shape);
            if (!c.ok()) break;
        }
        if (c.output.empty()) break;
        shape = c.output;
    }
    return result;
}

Result<Network> parse_pytorch_code(std::string_view code, const Shape& default_input) {
    auto r = import_pytorch_code(code, std::nullopt, default_input);
    if (!r) return r.err();
    return r->net;
}

}  // namespace convscope
