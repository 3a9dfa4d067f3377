// [SECTION] Lexer        — tokens of PyTorch's constructor syntax
// [SECTION] Values       — ints, tuples, True/False/None, strings, names
// [SECTION] Signatures   — binding positional and keyword arguments as Python does
// [SECTION] parse_layer
// [SECTION] Code export  — to_pytorch, to_pytorch_code
// [SECTION] Code import  — parse_pytorch_code
#include <algorithm>
#include <cctype>
#include <charconv>
#include <optional>

#include "core/network.hpp"

namespace convscope {
namespace {

constexpr size_t kNoPos = std::string_view::npos;

// An error with the offset (into the parsed text) it points at, or kNoPos.
struct ParseFailure {
    LayerErrorKind kind = LayerErrorKind::Syntax;
    size_t pos = kNoPos;
    std::string message;
};

// [SECTION] Lexer

enum class Tok {
    Name,
    Int,
    Float,
    String,
    LParen,
    RParen,
    LBracket,
    RBracket,
    Comma,
    Equals,
    Minus,
    End,
    Bad
};

struct Token {
    Tok type = Tok::End;
    size_t pos = 0;
    std::string text;   // names and strings (without quotes); the offending text for Bad and Float
    int64_t value = 0;  // Int
};

bool is_name_start(char c) {
    return std::isalpha(static_cast<unsigned char>(c)) || c == '_';
}
bool is_name_char(char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
}

class Lexer {
public:
    Lexer(std::string_view text, size_t pos = 0) : m_text(text), m_pos(pos) {}

    // The next token; Bad carries a message in `text`.
    Token next() {
        while (m_pos < m_text.size() && std::isspace(static_cast<unsigned char>(m_text[m_pos]))) ++m_pos;
        Token t;
        t.pos = m_pos;
        if (m_pos >= m_text.size()) return t;
        const char c = m_text[m_pos];
        switch (c) {
            case '(':
                ++m_pos;
                t.type = Tok::LParen;
                return t;
            case ')':
                ++m_pos;
                t.type = Tok::RParen;
                return t;
            case '[':
                ++m_pos;
                t.type = Tok::LBracket;
                return t;
            case ']':
                ++m_pos;
                t.type = Tok::RBracket;
                return t;
            case ',':
                ++m_pos;
                t.type = Tok::Comma;
                return t;
            case '=':
                ++m_pos;
                t.type = Tok::Equals;
                return t;
            case '-':
                ++m_pos;
                t.type = Tok::Minus;
                return t;
            case '+':
                ++m_pos;
                return next();  // unary plus changes nothing
            default:
                break;
        }
        if (c == '\'' || c == '"') {
            const size_t close = m_text.find(c, m_pos + 1);
            if (close == kNoPos) {
                t.type = Tok::Bad;
                t.text = "the quoted string is never closed";
                m_pos = m_text.size();
                return t;
            }
            t.type = Tok::String;
            t.text = std::string(m_text.substr(m_pos + 1, close - m_pos - 1));
            m_pos = close + 1;
            return t;
        }
        if (std::isdigit(static_cast<unsigned char>(c)) ||
            (c == '.' && m_pos + 1 < m_text.size() &&
             std::isdigit(static_cast<unsigned char>(m_text[m_pos + 1])))) {
            size_t end = m_pos;
            bool is_float = false;
            while (end < m_text.size()) {
                const char d = m_text[end];
                if (std::isdigit(static_cast<unsigned char>(d)) || d == '_') {
                    ++end;
                } else if (d == '.' || d == 'e' || d == 'E') {
                    is_float = true;
                    ++end;
                    if ((d == 'e' || d == 'E') && end < m_text.size() &&
                        (m_text[end] == '-' || m_text[end] == '+'))
                        ++end;
                } else {
                    break;
                }
            }
            std::string digits;
            for (size_t i = m_pos; i < end; ++i)
                if (m_text[i] != '_') digits += m_text[i];
            t.text = std::string(m_text.substr(m_pos, end - m_pos));
            m_pos = end;
            if (is_float) {
                t.type = Tok::Float;
                return t;
            }
            const auto [p, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), t.value);
            if (ec != std::errc() || p != digits.data() + digits.size()) {
                t.type = Tok::Bad;
                t.text = "the number " + t.text + " is too large";
                return t;
            }
            t.type = Tok::Int;
            return t;
        }
        if (is_name_start(c)) {
            size_t end = m_pos;
            // A dotted name: nn.Conv2d, torch.nn.Conv2d, torch.float32.
            while (end < m_text.size()) {
                while (end < m_text.size() && is_name_char(m_text[end])) ++end;
                if (end + 1 < m_text.size() && m_text[end] == '.' && is_name_start(m_text[end + 1])) {
                    ++end;
                    continue;
                }
                break;
            }
            t.type = Tok::Name;
            t.text = std::string(m_text.substr(m_pos, end - m_pos));
            m_pos = end;
            return t;
        }
        t.type = Tok::Bad;
        t.text = "unexpected character '" + std::string(1, c) + "'";
        ++m_pos;
        return t;
    }

    size_t pos() const { return m_pos; }

private:
    std::string_view m_text;
    size_t m_pos = 0;
};

// [SECTION] Values

struct Value {
    enum class Type { Int, Bool, None, String, Name, Tuple, Float } type = Type::None;
    int64_t i = 0;
    bool b = false;
    std::string s;  // String, Name, Float (its text)
    std::vector<Value> items;
    size_t pos = 0;
};

// How a value reads in an error message: 'same', (3, 5), True.
std::string describe(const Value& v) {
    switch (v.type) {
        case Value::Type::Int:
            return std::to_string(v.i);
        case Value::Type::Bool:
            return v.b ? "True" : "False";
        case Value::Type::None:
            return "None";
        case Value::Type::String:
            return "'" + v.s + "'";
        case Value::Type::Name:
        case Value::Type::Float:
            return v.s;
        case Value::Type::Tuple: {
            std::string s = "(";
            for (size_t k = 0; k < v.items.size(); ++k) s += (k ? ", " : "") + describe(v.items[k]);
            return s + (v.items.size() == 1 ? ",)" : ")");
        }
    }
    return "?";
}

struct Argument {
    std::string keyword;  // empty for a positional argument
    size_t keyword_pos = 0;
    Value value;
};

struct Call {
    std::string name;  // as written, e.g. "nn.Conv2d"
    size_t name_pos = 0;
    std::vector<Argument> args;
    size_t close_pos = 0;  // the closing ')'
    size_t end = 0;        // just after it
};

// A recursive-descent parser over the lexer, one token of look-ahead.
class Parser {
public:
    Parser(std::string_view text, size_t pos = 0) : m_lexer(text, pos) { advance(); }

    // NAME '(' [arg {',' arg} [',']] ')'
    std::optional<Call> call(ParseFailure& err) {
        Call c;
        if (m_tok.type != Tok::Name) return expected("a layer such as Conv2d(1, 5, 5)", err);
        c.name = m_tok.text;
        c.name_pos = m_tok.pos;
        advance();
        if (m_tok.type != Tok::LParen) return expected("'(' after " + c.name, err);
        advance();
        bool seen_keyword = false;
        while (m_tok.type != Tok::RParen) {
            if (m_tok.type == Tok::End) {
                err = {LayerErrorKind::Syntax, m_tok.pos,
                       "missing ')': the '(' of " + c.name + " is never closed"};
                return std::nullopt;
            }
            Argument a;
            if (m_tok.type == Tok::Name && peek_is_equals()) {
                a.keyword = m_tok.text;
                a.keyword_pos = m_tok.pos;
                advance();  // name
                advance();  // '='
                seen_keyword = true;
            } else if (seen_keyword) {
                err = {LayerErrorKind::Syntax, m_tok.pos, "positional argument follows keyword argument"};
                return std::nullopt;
            }
            auto v = value(err);
            if (!v) return std::nullopt;
            a.value = std::move(*v);
            c.args.push_back(std::move(a));
            if (m_tok.type == Tok::Comma) {
                advance();
                continue;
            }
            if (m_tok.type != Tok::RParen && m_tok.type != Tok::End) return expected("',' or ')'", err);
        }
        c.close_pos = m_tok.pos;
        c.end = m_tok.pos + 1;
        advance();
        return c;
    }

    // The current token must be the end of the text.
    bool at_end(ParseFailure& err) {
        if (m_tok.type == Tok::End) return true;
        if (m_tok.type == Tok::Bad) {
            err = {LayerErrorKind::Syntax, m_tok.pos, m_tok.text};
        } else {
            err = {LayerErrorKind::Syntax, m_tok.pos, "unexpected text after the closing ')'"};
        }
        return false;
    }

private:
    void advance() { m_tok = m_lexer.next(); }

    bool peek_is_equals() {
        Lexer copy = m_lexer;
        return copy.next().type == Tok::Equals;
    }

    std::nullopt_t expected(const std::string& what, ParseFailure& err) {
        std::string got;
        switch (m_tok.type) {
            case Tok::End:
                got = "the end";
                break;
            case Tok::Bad:
                err = {LayerErrorKind::Syntax, m_tok.pos, m_tok.text};
                return std::nullopt;
            case Tok::Name:
                got = "'" + m_tok.text + "'";
                break;
            case Tok::Int:
                got = std::to_string(m_tok.value);
                break;
            case Tok::Float:
                got = m_tok.text;
                break;
            case Tok::String:
                got = "the string '" + m_tok.text + "'";
                break;
            case Tok::LParen:
                got = "'('";
                break;
            case Tok::RParen:
                got = "')'";
                break;
            case Tok::LBracket:
                got = "'['";
                break;
            case Tok::RBracket:
                got = "']'";
                break;
            case Tok::Comma:
                got = "','";
                break;
            case Tok::Equals:
                got = "'='";
                break;
            case Tok::Minus:
                got = "'-'";
                break;
        }
        err = {LayerErrorKind::Syntax, m_tok.pos, "expected " + what + ", found " + got};
        return std::nullopt;
    }

    // INT | '-' INT | FLOAT | STRING | NAME | '(' values ')' | '[' values ']'
    std::optional<Value> value(ParseFailure& err) {
        // Nesting is bounded so that a hostile string cannot overflow the stack.
        if (m_depth >= kMaxNesting) {
            err = {LayerErrorKind::Syntax, m_tok.pos,
                   "values are nested more than " + std::to_string(kMaxNesting) + " deep"};
            return std::nullopt;
        }
        ++m_depth;
        auto v = value_inner(err);
        --m_depth;
        return v;
    }

    std::optional<Value> value_inner(ParseFailure& err) {
        Value v;
        v.pos = m_tok.pos;
        switch (m_tok.type) {
            case Tok::Int:
                v.type = Value::Type::Int;
                v.i = m_tok.value;
                advance();
                return v;
            case Tok::Float:
                v.type = Value::Type::Float;
                v.s = m_tok.text;
                advance();
                return v;
            case Tok::Minus: {
                advance();
                auto inner = value(err);
                if (!inner) return std::nullopt;
                if (inner->type == Value::Type::Float) {
                    inner->s = "-" + inner->s;
                } else if (inner->type == Value::Type::Int) {
                    inner->i = -inner->i;
                } else {
                    err = {LayerErrorKind::Syntax, inner->pos, "'-' must be followed by a number"};
                    return std::nullopt;
                }
                inner->pos = v.pos;
                return inner;
            }
            case Tok::String:
                v.type = Value::Type::String;
                v.s = m_tok.text;
                advance();
                return v;
            case Tok::Name:
                if (m_tok.text == "True" || m_tok.text == "False") {
                    v.type = Value::Type::Bool;
                    v.b = m_tok.text == "True";
                } else if (m_tok.text == "None") {
                    v.type = Value::Type::None;
                } else {
                    v.type = Value::Type::Name;
                    v.s = m_tok.text;
                }
                advance();
                return v;
            case Tok::LParen:
            case Tok::LBracket: {
                const Tok close = m_tok.type == Tok::LParen ? Tok::RParen : Tok::RBracket;
                const bool paren = m_tok.type == Tok::LParen;
                advance();
                v.type = Value::Type::Tuple;
                bool comma = false;
                while (m_tok.type != close) {
                    auto item = value(err);
                    if (!item) return std::nullopt;
                    v.items.push_back(std::move(*item));
                    if (m_tok.type == Tok::Comma) {
                        comma = true;
                        advance();
                        continue;
                    }
                    if (m_tok.type != close) return expected(paren ? "',' or ')'" : "',' or ']'", err);
                }
                advance();
                // Python: (3) is just 3; (3,) is a tuple of one.
                if (paren && v.items.size() == 1 && !comma) {
                    Value inner = std::move(v.items[0]);
                    inner.pos = v.pos;
                    return inner;
                }
                return v;
            }
            default:
                return expected("a value (a number, a tuple, True/False, None or a quoted string)", err);
        }
    }

    static constexpr int kMaxNesting = 64;
    Lexer m_lexer;
    Token m_tok;
    int m_depth = 0;
};

// [SECTION] Signatures

struct Signature {
    LayerKind kind;
    std::vector<std::string_view> params;
    size_t required;
};

const Signature& signature(LayerKind kind) {
    static const Signature sigs[] = {
        {LayerKind::Conv2d,
         {"in_channels", "out_channels", "kernel_size", "stride", "padding", "dilation", "groups", "bias",
          "padding_mode", "device", "dtype"},
         3},
        {LayerKind::MaxPool2d,
         {"kernel_size", "stride", "padding", "dilation", "return_indices", "ceil_mode"},
         1},
        {LayerKind::AvgPool2d,
         {"kernel_size", "stride", "padding", "ceil_mode", "count_include_pad", "divisor_override"},
         1},
        {LayerKind::ReLU, {"inplace"}, 0},
        {LayerKind::Flatten, {"start_dim", "end_dim"}, 0},
        {LayerKind::Linear, {"in_features", "out_features", "bias", "device", "dtype"}, 2},
    };
    for (const Signature& s : sigs)
        if (s.kind == kind) return s;
    return sigs[0];
}

size_t edit_distance(std::string_view a, std::string_view b) {
    std::vector<size_t> row(b.size() + 1);
    for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
    for (size_t i = 1; i <= a.size(); ++i) {
        size_t diag = row[0];
        row[0] = i;
        for (size_t j = 1; j <= b.size(); ++j) {
            const size_t up = row[j];
            row[j] = std::min({row[j] + 1, row[j - 1] + 1, diag + (a[i - 1] == b[j - 1] ? 0 : 1)});
            diag = up;
        }
    }
    return row[b.size()];
}

std::string lower(std::string_view s) {
    std::string r(s);
    for (char& c : r) c = char(std::tolower(static_cast<unsigned char>(c)));
    return r;
}

// "Conv2d" for "nn.Conv2d" and "torch.nn.Conv2d"; nullopt for a name without a known layer.
std::optional<LayerKind> layer_kind(std::string_view name) {
    for (std::string_view prefix : {"torch.nn.", "nn."})
        if (name.starts_with(prefix)) name.remove_prefix(prefix.size());
    for (LayerKind k : kAllLayerKinds)
        if (name == to_string(k)) return k;
    return std::nullopt;
}

std::string known_layers() {
    return "Conv2d, MaxPool2d, AvgPool2d, ReLU, Flatten and Linear";
}

std::string unknown_layer_message(std::string_view name) {
    std::string_view bare = name.substr(name.rfind('.') == kNoPos ? 0 : name.rfind('.') + 1);
    for (LayerKind k : kAllLayerKinds)
        if (lower(bare) == lower(to_string(k)))
            return std::string(name) + " is not a layer; did you mean " + std::string(to_string(k)) + "?";
    return std::string(bare) + " is not a layer ConvScope knows (it knows " + known_layers() + ")";
}

// The values bound to each parameter of the signature (nullptr where not given).
using Bound = std::vector<const Value*>;

std::optional<Bound> bind(const Call& call, const Signature& sig, ParseFailure& err) {
    const std::string fn = std::string(to_string(sig.kind)) + "()";
    Bound bound(sig.params.size(), nullptr);
    size_t positional = 0;
    for (const Argument& a : call.args) {
        if (a.keyword.empty()) {
            if (positional >= sig.params.size()) {
                err = {
                    LayerErrorKind::Signature, a.value.pos,
                    fn + " takes at most " + std::to_string(sig.params.size()) +
                        (sig.params.size() == 1 ? " positional argument, got "
                                                : " positional arguments, got ") +
                        std::to_string(std::count_if(call.args.begin(), call.args.end(),
                                                     [](const Argument& x) { return x.keyword.empty(); }))};
                return std::nullopt;
            }
            bound[positional++] = &a.value;
            continue;
        }
        const auto it = std::find(sig.params.begin(), sig.params.end(), a.keyword);
        if (it == sig.params.end()) {
            std::string hint;
            size_t best = 3;
            for (std::string_view p : sig.params)
                if (size_t d = edit_distance(a.keyword, p); d < best) {
                    best = d;
                    hint = " (did you mean '" + std::string(p) + "'?)";
                }
            err = {LayerErrorKind::Signature, a.keyword_pos,
                   fn + " got an unexpected keyword argument '" + a.keyword + "'" + hint};
            return std::nullopt;
        }
        const size_t k = size_t(it - sig.params.begin());
        if (bound[k]) {
            err = {LayerErrorKind::Signature, a.keyword_pos,
                   fn + " got multiple values for argument '" + a.keyword + "'"};
            return std::nullopt;
        }
        bound[k] = &a.value;
    }
    for (size_t k = 0; k < sig.required; ++k)
        if (!bound[k]) {
            err = {LayerErrorKind::Signature, call.close_pos,
                   fn + " missing required argument '" + std::string(sig.params[k]) + "'"};
            return std::nullopt;
        }
    return bound;
}

// Reads bound values into a Layer, checking each value's type as PyTorch would.
class Binder {
public:
    Binder(const Signature& sig, const Bound& bound, ParseFailure& err)
        : m_sig(sig), m_bound(bound), m_err(err) {}

    const Value* get(std::string_view name) const {
        const auto it = std::find(m_sig.params.begin(), m_sig.params.end(), name);
        return it == m_sig.params.end() ? nullptr : m_bound[size_t(it - m_sig.params.begin())];
    }

    bool integer(std::string_view name, int64_t& out) {
        const Value* v = get(name);
        if (!v) return true;
        if (v->type != Value::Type::Int) return type_error(*v, name, "a whole number");
        out = v->i;
        return true;
    }

    bool pair(std::string_view name, Pair& out) {
        const Value* v = get(name);
        if (!v) return true;
        return to_pair(*v, name, out);
    }

    bool boolean(std::string_view name, bool& out) {
        const Value* v = get(name);
        if (!v) return true;
        if (v->type == Value::Type::Bool)
            out = v->b;
        else if (v->type == Value::Type::Int)
            out = v->i != 0;  // Python's truth of 0 and 1
        else
            return type_error(*v, name, "True or False");
        return true;
    }

    // padding= of Conv2d: a number, a pair, 'same' or 'valid'.
    bool conv_padding(Padding& out) {
        const Value* v = get("padding");
        if (!v) return true;
        if (v->type == Value::Type::String) {
            if (v->s == "same")
                out = Padding::same();
            else if (v->s == "valid")
                out = Padding::valid();
            else
                return value_error(*v, "invalid padding string '" + v->s + "', should be 'same' or 'valid'");
            return true;
        }
        Pair p;
        if (!to_pair(*v, "padding", p, " or 'same'/'valid'")) return false;
        out = Padding(p);
        return true;
    }

    // padding_mode= of Conv2d.
    bool padding_mode(PaddingMode& out) {
        const Value* v = get("padding_mode");
        if (!v) return true;
        if (v->type != Value::Type::String) return type_error(*v, "padding_mode", "a string such as 'zeros'");
        auto m = parse_padding_mode(v->s);
        if (!m)
            return value_error(
                *v, "padding_mode must be 'zeros', 'reflect', 'replicate' or 'circular', got '" + v->s + "'");
        out = *m;
        return true;
    }

    // stride= of the pools: None (the kernel size), a number or a pair, at least 1.
    bool pool_stride(Pair& out) {
        const Value* v = get("stride");
        if (!v || v->type == Value::Type::None) return true;
        if (!to_pair(*v, "stride", out, " or None")) return false;
        if (out.h < 1 || out.w < 1)
            return value_error(
                *v, "stride must be at least 1 (or None for the kernel size), got " + describe(*v));
        return true;
    }

    // An argument ConvScope supports only at its default False (return_indices=).
    bool must_be_false(std::string_view name, const std::string& why) {
        const Value* v = get(name);
        if (!v || (v->type == Value::Type::Bool && !v->b) || (v->type == Value::Type::Int && v->i == 0))
            return true;
        if (v->type != Value::Type::Bool && v->type != Value::Type::Int)
            return type_error(*v, name, "True or False");
        return value_error(*v, why);
    }

    // An argument ConvScope supports only at its default None (divisor_override=).
    bool must_be_none(std::string_view name, const std::string& why) {
        const Value* v = get(name);
        return !v || v->type == Value::Type::None || value_error(*v, why);
    }

    bool value_error(const Value& v, std::string message) {
        m_err = {LayerErrorKind::Argument, v.pos, std::move(message)};
        return false;
    }

private:
    bool to_pair(const Value& v, std::string_view name, Pair& out, const std::string& alternatives = "") {
        if (v.type == Value::Type::Int) {
            out = Pair(v.i);
            return true;
        }
        if (v.type == Value::Type::Tuple && v.items.size() == 2 && v.items[0].type == Value::Type::Int &&
            v.items[1].type == Value::Type::Int) {
            out = Pair(v.items[0].i, v.items[1].i);
            return true;
        }
        return type_error(v, name, "a whole number or a pair (h, w)" + alternatives);
    }

    bool type_error(const Value& v, std::string_view name, const std::string& expected) {
        m_err = {LayerErrorKind::Signature, v.pos,
                 std::string(name) + " must be " + expected + ", got " + describe(v)};
        return false;
    }

    const Signature& m_sig;
    const Bound& m_bound;
    ParseFailure& m_err;
};

// A Layer from a parsed call, or the failure.
std::optional<Layer> to_layer(const Call& call, ParseFailure& err) {
    const auto kind = layer_kind(call.name);
    if (!kind) {
        err = {LayerErrorKind::Signature, call.name_pos, unknown_layer_message(call.name)};
        return std::nullopt;
    }
    const Signature& sig = signature(*kind);
    auto bound = bind(call, sig, err);
    if (!bound) return std::nullopt;
    Binder b(sig, *bound, err);
    Layer L;
    L.kind = *kind;
    bool ok = true;
    switch (*kind) {
        case LayerKind::Conv2d:
            ok = b.integer("in_channels", L.in) && b.integer("out_channels", L.out) &&
                 b.pair("kernel_size", L.kernel) && b.pair("stride", L.stride) && b.conv_padding(L.padding) &&
                 b.pair("dilation", L.dilation) && b.integer("groups", L.groups) &&
                 b.boolean("bias", L.bias) && b.padding_mode(L.padding_mode);
            break;
        case LayerKind::MaxPool2d: {
            L.stride = Pair(0);
            Pair padding{0};
            ok =
                b.pair("kernel_size", L.kernel) && b.pool_stride(L.stride) && b.pair("padding", padding) &&
                b.pair("dilation", L.dilation) && b.boolean("ceil_mode", L.ceil_mode) &&
                b.must_be_false(
                    "return_indices",
                    "return_indices=True makes MaxPool2d return (output, indices); a stack needs one output");
            L.padding = Padding(padding);
            break;
        }
        case LayerKind::AvgPool2d: {
            L.stride = Pair(0);
            Pair padding{0};
            ok = b.pair("kernel_size", L.kernel) && b.pool_stride(L.stride) && b.pair("padding", padding) &&
                 b.boolean("ceil_mode", L.ceil_mode) && b.boolean("count_include_pad", L.count_include_pad) &&
                 b.must_be_none("divisor_override", "divisor_override is not supported here");
            L.padding = Padding(padding);
            break;
        }
        case LayerKind::ReLU: {
            bool inplace = false;
            ok = b.boolean("inplace", inplace);
            break;
        }
        case LayerKind::Flatten:
            ok = b.integer("start_dim", L.start_dim) && b.integer("end_dim", L.end_dim);
            break;
        case LayerKind::Linear:
            ok = b.integer("in_features", L.in) && b.integer("out_features", L.out) &&
                 b.boolean("bias", L.bias);
            break;
    }
    if (!ok) return std::nullopt;
    return L;
}

// Parses text that must be exactly one call.
std::optional<Layer> parse_layer_at(std::string_view text, ParseFailure& err) {
    Parser p(text);
    auto call = p.call(err);
    if (!call) return std::nullopt;
    if (!p.at_end(err)) return std::nullopt;
    return to_layer(*call, err);
}

// [SECTION] Code export

std::string pair_code(Pair p) {
    return p.h == p.w ? std::to_string(p.h) : "(" + std::to_string(p.h) + ", " + std::to_string(p.w) + ")";
}

std::string padding_code(const Padding& p) {
    switch (p.kind) {
        case PaddingKind::Same:
            return "'same'";
        case PaddingKind::Valid:
            return "'valid'";
        case PaddingKind::Explicit:
            break;
    }
    return pair_code(p.amount);
}

std::string shape_code(const Shape& s) {
    std::string r = "[";
    for (size_t k = 0; k < s.size(); ++k) r += (k ? ", " : "") + std::to_string(s[k]);
    return r + "]";
}

// "conv", "pool", "relu", "flatten", "fc": the lecture's variable names, numbered per kind.
std::string_view variable_stem(LayerKind k) {
    switch (k) {
        case LayerKind::Conv2d:
            return "conv";
        case LayerKind::MaxPool2d:
        case LayerKind::AvgPool2d:
            return "pool";
        case LayerKind::ReLU:
            return "relu";
        case LayerKind::Flatten:
            return "flatten";
        case LayerKind::Linear:
            return "fc";
    }
    return "layer";
}

// [SECTION] Code import

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

}  // namespace

std::string_view to_string(LayerErrorKind kind) {
    switch (kind) {
        case LayerErrorKind::None:
            return "none";
        case LayerErrorKind::Syntax:
            return "syntax";
        case LayerErrorKind::Signature:
            return "signature";
        case LayerErrorKind::Argument:
            return "argument";
        case LayerErrorKind::Groups:
            return "groups";
        case LayerErrorKind::Rank:
            return "rank";
        case LayerErrorKind::Channels:
            return "channels";
        case LayerErrorKind::TooSmall:
            return "too_small";
        case LayerErrorKind::Features:
            return "features";
    }
    return "none";
}

// [SECTION] parse_layer

Result<Layer> parse_layer(std::string_view text, LayerErrorKind* kind) {
    ParseFailure err;
    auto layer = parse_layer_at(text, err);
    if (layer) {
        if (kind) *kind = LayerErrorKind::None;
        return *layer;
    }
    if (kind) *kind = err.kind;
    if (err.pos == kNoPos) return fail(err.message);
    return fail("column " + std::to_string(err.pos + 1) + ": " + err.message);
}

Result<Shape> parse_input_shape(std::string_view text) {
    std::string cleaned;
    for (char c : text)
        cleaned += (c == 'x' || c == 'X' || c == '(' || c == ')' || c == '[' || c == ']') ? ' ' : c;
    // "×" is two bytes in UTF-8; replace it too.
    for (size_t at; (at = cleaned.find("×")) != std::string::npos;)
        cleaned.replace(at, std::string("×").size(), ",");
    Shape shape;
    size_t start = 0;
    for (size_t i = 0; i <= cleaned.size(); ++i) {
        if (i < cleaned.size() && cleaned[i] != ',') continue;
        std::string_view part = std::string_view(cleaned).substr(start, i - start);
        start = i + 1;
        while (!part.empty() && std::isspace(static_cast<unsigned char>(part.front()))) part.remove_prefix(1);
        while (!part.empty() && std::isspace(static_cast<unsigned char>(part.back()))) part.remove_suffix(1);
        if (part.empty() && i == cleaned.size() && !shape.empty()) break;  // "1,1,28,28,"
        // Dimensions may also be separated by spaces ("1 1 28 28" after removing the x's).
        size_t p = 0;
        bool any = false;
        while (p < part.size()) {
            while (p < part.size() && std::isspace(static_cast<unsigned char>(part[p]))) ++p;
            size_t q = p;
            while (q < part.size() && !std::isspace(static_cast<unsigned char>(part[q]))) ++q;
            if (q == p) break;
            int64_t v = 0;
            const auto [end, ec] = std::from_chars(part.data() + p, part.data() + q, v);
            if (ec != std::errc() || end != part.data() + q)
                return fail("'" + std::string(text) + "' is not a shape such as 1,1,28,28");
            shape.push_back(v);
            any = true;
            p = q;
        }
        if (!any) return fail("'" + std::string(text) + "' is not a shape such as 1,1,28,28");
    }
    if (shape.empty() || shape.size() > 4)
        return fail("the input shape must have 1 to 4 dimensions (N,C,H,W), got '" + std::string(text) + "'");
    for (int64_t d : shape)
        if (d < 1)
            return fail("every dimension of the input shape must be at least 1, got " +
                        shape_to_string(shape));
    if (shape_numel(shape) < 0)
        return fail("the input " + shape_to_string(shape) + " is larger than the limits");
    return shape;
}

std::string to_pytorch(const Layer& L) {
    std::string s = "nn." + std::string(to_string(L.kind)) + "(";
    auto arg = [&s](const std::string& text) { s += (s.back() == '(' ? "" : ", ") + text; };
    switch (L.kind) {
        case LayerKind::Conv2d:
            arg(std::to_string(L.in));
            arg(std::to_string(L.out));
            arg(pair_code(L.kernel));
            if (L.stride != Pair(1)) arg("stride=" + pair_code(L.stride));
            if (L.padding != Padding()) arg("padding=" + padding_code(L.padding));
            if (L.dilation != Pair(1)) arg("dilation=" + pair_code(L.dilation));
            if (L.groups != 1) arg("groups=" + std::to_string(L.groups));
            if (!L.bias) arg("bias=False");
            if (L.padding_mode != PaddingMode::Zeros)
                arg("padding_mode='" + std::string(to_string(L.padding_mode)) + "'");
            break;
        case LayerKind::MaxPool2d:
        case LayerKind::AvgPool2d:
            arg(pair_code(L.kernel));
            if (L.stride != Pair(0)) arg("stride=" + pair_code(L.stride));
            if (L.padding != Padding()) arg("padding=" + padding_code(L.padding));
            if (L.kind == LayerKind::MaxPool2d && L.dilation != Pair(1))
                arg("dilation=" + pair_code(L.dilation));
            if (L.ceil_mode) arg("ceil_mode=True");
            if (L.kind == LayerKind::AvgPool2d && !L.count_include_pad) arg("count_include_pad=False");
            break;
        case LayerKind::ReLU:
            break;
        case LayerKind::Flatten:
            if (L.start_dim != 1) arg("start_dim=" + std::to_string(L.start_dim));
            if (L.end_dim != -1) arg("end_dim=" + std::to_string(L.end_dim));
            break;
        case LayerKind::Linear:
            arg(std::to_string(L.in));
            arg(std::to_string(L.out));
            if (!L.bias) arg("bias=False");
            break;
    }
    return s + ")";
}

std::string to_pytorch_code(const Network& net) {
    const NetworkCheck check = check_network(net);
    std::string code = "import torch\nimport torch.nn as nn\n\ninput = torch.Tensor(";
    for (size_t k = 0; k < net.input.size(); ++k) code += (k ? ", " : "") + std::to_string(net.input[k]);
    code += ")\n";
    std::vector<std::string> names;
    std::vector<std::pair<std::string_view, int>> counts;  // per variable stem
    for (const Layer& L : net.layers) {
        const std::string_view stem = variable_stem(L.kind);
        auto it = std::find_if(counts.begin(), counts.end(), [&](const auto& e) { return e.first == stem; });
        if (it == counts.end()) it = counts.insert(counts.end(), {stem, 0});
        std::string name = std::string(stem) + std::to_string(++it->second);
        code += name + " = " + to_pytorch(L) + "\n";
        names.push_back(std::move(name));
    }
    if (net.layers.empty()) return code + "print(input.shape)\n";
    code += "\n";
    std::vector<std::string> calls;
    size_t width = 0;
    for (size_t i = 0; i < names.size(); ++i) {
        calls.push_back("x = " + names[i] + "(" + (i == 0 ? "input" : "x") + ")");
        width = std::max(width, calls.back().size());
    }
    for (size_t i = 0; i < calls.size(); ++i) {
        const LayerCheck& c = check.layers[i];
        std::string note;
        if (!c.ok())
            note = "error: " + c.error;
        else if (!c.output.empty())
            note = shape_code(c.output);
        code += calls[i];
        if (!note.empty()) code += std::string(width - calls[i].size(), ' ') + "  # " + note;
        code += "\n";
    }
    return code + "print(x.shape)\n";
}

Result<Network> parse_pytorch_code(std::string_view original, const Shape& default_input) {
    const std::string code = strip_comments(original);
    Network net;
    net.input = default_input;
    bool have_input = false;
    auto where = [&](size_t pos) { return "line " + std::to_string(line_of(code, pos)) + ": "; };
    size_t i = 0;
    while (i < code.size()) {
        const char c = code[i];
        if (c == '\'' || c == '"') {  // skip strings outside calls
            const size_t close = code.find(c, i + 1);
            i = close == std::string::npos ? code.size() : close + 1;
            continue;
        }
        if (!is_name_start(c) || (i > 0 && (is_name_char(code[i - 1]) || code[i - 1] == '.'))) {
            ++i;
            continue;
        }
        Lexer lex(code, i);
        const Token name = lex.next();
        const Token open = lex.next();
        const size_t after_name = name.pos + name.text.size();
        if (open.type != Tok::LParen) {
            i = after_name;
            continue;
        }
        const std::string& n = name.text;
        const auto kind = layer_kind(n);
        const bool nn_name = n.starts_with("nn.") || n.starts_with("torch.nn.");
        if (kind) {
            ParseFailure err;
            Parser p(code, i);
            auto call = p.call(err);
            std::optional<Layer> layer;
            if (call) layer = to_layer(*call, err);
            if (!layer) {
                const std::string at =
                    err.pos == kNoPos
                        ? where(i)
                        : where(err.pos) + "column " + std::to_string(column_of(code, err.pos)) + ": ";
                return fail(at + err.message);
            }
            net.layers.push_back(*layer);
            i = call->end;
            continue;
        }
        if (nn_name && !is_container(n)) return fail(where(i) + unknown_layer_message(n));
        if (!have_input && is_input_constructor(n)) {
            ParseFailure err;
            Parser p(code, i);
            auto call = p.call(err);
            if (!call) return fail(where(err.pos == kNoPos ? i : err.pos) + err.message);
            // torch.randn(1, 1, 28, 28) or torch.randn((1, 1, 28, 28)); keywords (dtype=…) are ignored.
            std::vector<const Value*> dims;
            for (const Argument& a : call->args) {
                if (!a.keyword.empty()) continue;
                if (a.value.type == Value::Type::Tuple)
                    for (const Value& v : a.value.items) dims.push_back(&v);
                else
                    dims.push_back(&a.value);
            }
            Shape shape;
            for (const Value* v : dims) {
                if (v->type != Value::Type::Int)
                    return fail(where(v->pos) + "the input shape must be whole numbers, got " + describe(*v));
                shape.push_back(v->i);
            }
            if (shape.empty() || shape.size() > 4)
                return fail(where(i) + "the input must have 1 to 4 dimensions (N, C, H, W)");
            for (int64_t d : shape)
                if (d < 1) return fail(where(i) + "every input dimension must be at least 1");
            if (shape_numel(shape) < 0) return fail(where(i) + "the input is larger than the limits");
            net.input = shape;
            have_input = true;
            i = call->end;
            continue;
        }
        i = after_name;
    }
    if (net.layers.empty())
        return fail(
            "no layers found: paste lines such as nn.Conv2d(1, 5, 5) or nn.MaxPool2d(2) (ConvScope knows " +
            known_layers() + ")");
    return net;
}

}  // namespace convscope
