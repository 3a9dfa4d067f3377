// [SECTION] Lexer        — tokens of PyTorch's constructor syntax
// [SECTION] Values       — ints, tuples, True/False/None, strings, names, calls, sums and products
// [SECTION] Signatures   — binding positional and keyword arguments as Python does
// [SECTION] parse_layer
// [SECTION] Code export  — to_pytorch, to_pytorch_code
// [SECTION] Code import  — parse_pytorch_code
#include <algorithm>
#include <cassert>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <limits>
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
    Plus,
    Star,
    Slash,
    Colon,
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
                t.type = Tok::Plus;
                return t;
            case '*':
                ++m_pos;
                t.type = Tok::Star;
                return t;
            case '/':
                ++m_pos;
                t.type = Tok::Slash;
                return t;
            case ':':
                ++m_pos;
                t.type = Tok::Colon;
                return t;
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

struct Argument;

struct Value {
    // Call: a call such as nn.Conv2d(1, 5, 5) or x.size(0), its name in `s`. Opaque: an expression ConvScope
    // reads no further (x.shape[0]).
    enum class Type { Int, Bool, None, String, Name, Tuple, Float, Call, Opaque } type = Type::None;
    int64_t i = 0;
    bool b = false;
    std::string s;  // String, Name, Float (its text), Call (the called name)
    std::vector<Value> items;
    std::vector<Argument> args;  // Call
    size_t pos = 0;
    size_t end = 0;  // Call: just after its ')'
};

struct Argument {
    std::string keyword;  // empty for a positional argument
    size_t keyword_pos = 0;
    Value value;
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
        case Value::Type::Call:
            return v.s + "(…)";
        case Value::Type::Opaque:
            return "an expression";
        case Value::Type::Tuple: {
            std::string s = "(";
            for (size_t k = 0; k < v.items.size(); ++k) s += (k ? ", " : "") + describe(v.items[k]);
            return s + (v.items.size() == 1 ? ",)" : ")");
        }
    }
    return "?";
}

struct Call {
    std::string name;  // as written, e.g. "nn.Conv2d"
    size_t name_pos = 0;
    std::vector<Argument> args;
    size_t close_pos = 0;  // the closing ')'
    size_t end = 0;        // just after it
};

// Names given a value earlier in the pasted code (`num_classes=1000` in a def, `n = 10`).
using Variables = std::vector<std::pair<std::string, Value>>;

// A recursive-descent parser over the lexer, one token of look-ahead. Brackets and calls nest at most
// kMaxCodeNesting deep (deeper text is refused, never followed down the stack).
class Parser {
public:
    Parser(std::string_view text, size_t pos = 0, const Variables* vars = nullptr)
        : m_lexer(text, pos), m_vars(vars) {
        advance();
    }

    // NAME '(' [arg {',' arg} [',']] ')'
    std::optional<Call> call(ParseFailure& err) {
        Call c;
        if (m_tok.type != Tok::Name) return expected("a layer such as Conv2d(1, 5, 5)", err);
        c.name = m_tok.text;
        c.name_pos = m_tok.pos;
        advance();
        if (m_tok.type != Tok::LParen) return expected("'(' after " + c.name, err);
        if (!call_args(c.name, c.args, c.close_pos, err)) return std::nullopt;
        c.end = c.close_pos + 1;
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

    // An expression: sums and products of whole numbers, calls, tuples, names, strings.
    std::optional<Value> value(ParseFailure& err) {
        if (++m_depth > kMaxCodeNesting) {
            err = {LayerErrorKind::Syntax, m_tok.pos,
                   "nested more than " + std::to_string(kMaxCodeNesting) + " deep"};
            return std::nullopt;
        }
        auto v = sum(err);
        --m_depth;
        return v;
    }

    const Token& token() const { return m_tok; }
    // A copy of the lexer, just after the current token.
    Lexer lexer() const { return m_lexer; }
    void advance() { m_tok = m_lexer.next(); }
    bool peek_is(Tok t) {
        Lexer copy = m_lexer;
        return copy.next().type == t;
    }

    // '(' … ')' after a call's name: the arguments, positional then keyword, a trailing comma allowed.
    bool call_args(const std::string& name, std::vector<Argument>& args, size_t& close_pos,
                   ParseFailure& err) {
        advance();  // '('
        bool seen_keyword = false;
        while (m_tok.type != Tok::RParen) {
            if (m_tok.type == Tok::End) {
                err = {LayerErrorKind::Syntax, m_tok.pos,
                       "missing ')': the '(' of " + name + " is never closed"};
                return false;
            }
            Argument a;
            if (m_tok.type == Tok::Name && peek_is(Tok::Equals)) {
                a.keyword = m_tok.text;
                a.keyword_pos = m_tok.pos;
                advance();  // name
                advance();  // '='
                seen_keyword = true;
            } else if (seen_keyword) {
                err = {LayerErrorKind::Syntax, m_tok.pos, "positional argument follows keyword argument"};
                return false;
            }
            auto v = value(err);
            if (!v) return false;
            a.value = std::move(*v);
            args.push_back(std::move(a));
            if (m_tok.type == Tok::Comma) {
                advance();
                continue;
            }
            if (m_tok.type != Tok::RParen && m_tok.type != Tok::End) {
                expected("',' or ')'", err);
                return false;
            }
        }
        close_pos = m_tok.pos;
        advance();
        return true;
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
            case Tok::Plus:
                got = "'+'";
                break;
            case Tok::Star:
                got = "'*'";
                break;
            case Tok::Slash:
                got = "'/'";
                break;
            case Tok::Colon:
                got = "':'";
                break;
        }
        err = {LayerErrorKind::Syntax, m_tok.pos, "expected " + what + ", found " + got};
        return std::nullopt;
    }

private:
    // a + b, a − b on whole numbers.
    std::optional<Value> sum(ParseFailure& err) {
        auto left = product(err);
        while (left && (m_tok.type == Tok::Plus || m_tok.type == Tok::Minus)) {
            const bool plus = m_tok.type == Tok::Plus;
            advance();
            auto right = product(err);
            if (!right) return std::nullopt;
            if (!arithmetic(*left, *right, err)) return std::nullopt;
            int64_t r = 0;
            if ((plus ? __builtin_add_overflow(left->i, right->i, &r)
                      : __builtin_sub_overflow(left->i, right->i, &r)) ||
                r == std::numeric_limits<int64_t>::min())
                return too_large(*left, err);
            left->i = r;
        }
        return left;
    }

    // a * b, a // b on whole numbers.
    std::optional<Value> product(ParseFailure& err) {
        auto left = unary(err);
        while (left && (m_tok.type == Tok::Star || m_tok.type == Tok::Slash)) {
            const bool times = m_tok.type == Tok::Star;
            const size_t op = m_tok.pos;
            advance();
            if (!times) {
                if (m_tok.type != Tok::Slash) {
                    err = {LayerErrorKind::Syntax, op,
                           "'/' gives a fraction here; write '//' for whole numbers"};
                    return std::nullopt;
                }
                advance();
            }
            auto right = unary(err);
            if (!right) return std::nullopt;
            if (!arithmetic(*left, *right, err)) return std::nullopt;
            int64_t r = 0;
            if (times) {
                if (__builtin_mul_overflow(left->i, right->i, &r) || r == std::numeric_limits<int64_t>::min())
                    return too_large(*left, err);
            } else {
                if (right->i == 0) {
                    err = {LayerErrorKind::Syntax, right->pos, "division by zero"};
                    return std::nullopt;
                }
                // Python's floor division.
                r = left->i / right->i;
                if ((left->i % right->i != 0) && ((left->i < 0) != (right->i < 0))) --r;
            }
            left->i = r;
        }
        return left;
    }

    bool arithmetic(const Value& a, const Value& b, ParseFailure& err) {
        if (a.type == Value::Type::Int && b.type == Value::Type::Int) return true;
        err = {LayerErrorKind::Syntax, a.type == Value::Type::Int ? b.pos : a.pos,
               "only whole numbers can be added or multiplied here, got " +
                   describe(a.type == Value::Type::Int ? b : a)};
        return false;
    }

    std::nullopt_t too_large(const Value& v, ParseFailure& err) {
        err = {LayerErrorKind::Syntax, v.pos, "the number is too large"};
        return std::nullopt;
    }

    std::optional<Value> unary(ParseFailure& err) {
        if (m_tok.type == Tok::Minus || m_tok.type == Tok::Plus) {
            const bool minus = m_tok.type == Tok::Minus;
            const size_t pos = m_tok.pos;
            advance();
            if (++m_depth > kMaxCodeNesting) {
                err = {LayerErrorKind::Syntax, pos,
                       "nested more than " + std::to_string(kMaxCodeNesting) + " deep"};
                return std::nullopt;
            }
            auto inner = unary(err);
            --m_depth;
            if (!inner) return std::nullopt;
            if (inner->type == Value::Type::Float) {
                if (minus) inner->s = inner->s.starts_with("-") ? inner->s.substr(1) : "-" + inner->s;
            } else if (inner->type == Value::Type::Int) {
                if (minus) {
                    if (inner->i == std::numeric_limits<int64_t>::min()) return too_large(*inner, err);
                    inner->i = -inner->i;
                }
            } else {
                err = {LayerErrorKind::Syntax, inner->pos,
                       std::string(minus ? "'-'" : "'+'") + " must be followed by a number"};
                return std::nullopt;
            }
            inner->pos = pos;
            return inner;
        }
        auto v = primary(err);
        // A subscript (x.shape[0]) is read no further.
        while (v && m_tok.type == Tok::LBracket) {
            auto index = primary(err);
            if (!index) return std::nullopt;
            v->type = Value::Type::Opaque;
        }
        return v;
    }

    // INT | FLOAT | STRING | NAME | NAME '(' args ')' | '(' values ')' | '[' values ']'
    std::optional<Value> primary(ParseFailure& err) {
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
            case Tok::String:
                v.type = Value::Type::String;
                v.s = m_tok.text;
                advance();
                // Python joins adjacent strings: "a" "b".
                while (m_tok.type == Tok::String) {
                    v.s += m_tok.text;
                    advance();
                }
                return v;
            case Tok::Name: {
                const std::string name = m_tok.text;
                advance();
                if (m_tok.type == Tok::LParen) {
                    if (++m_depth > kMaxCodeNesting) {
                        err = {LayerErrorKind::Syntax, v.pos,
                               "nested more than " + std::to_string(kMaxCodeNesting) + " deep"};
                        return std::nullopt;
                    }
                    v.type = Value::Type::Call;
                    v.s = name;
                    size_t close = 0;
                    const bool ok = call_args(name, v.args, close, err);
                    --m_depth;
                    if (!ok) return std::nullopt;
                    v.end = close + 1;
                    // A call of what the call gives, nn.Conv2d(1, 5, 5)(x): what it is applied to goes in
                    // `items`.
                    while (m_tok.type == Tok::LParen) {
                        std::vector<Argument> more;
                        size_t more_close = 0;
                        if (!call_args(name, more, more_close, err)) return std::nullopt;
                        for (Argument& a : more)
                            v.items.push_back(std::move(a.value));  // what it is applied to
                    }
                    return v;
                }
                if (name == "True" || name == "False") {
                    v.type = Value::Type::Bool;
                    v.b = name == "True";
                } else if (name == "None") {
                    v.type = Value::Type::None;
                } else {
                    v.type = Value::Type::Name;
                    v.s = name;
                    if (m_vars)
                        for (auto it = m_vars->rbegin(); it != m_vars->rend(); ++it)
                            if (it->first == name) {
                                const size_t pos = v.pos;
                                v = it->second;
                                v.pos = pos;
                                break;
                            }
                }
                return v;
            }
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

    Lexer m_lexer;
    Token m_tok;
    const Variables* m_vars = nullptr;
    int m_depth = 0;
};

// [SECTION] Signatures

struct Signature {
    LayerKind kind;
    std::vector<std::string_view> params;
    size_t required;
};

const Signature& signature(LayerKind kind) {
    using K = LayerKind;
    static const Signature sigs[] = {
        {K::Conv2d,
         {"in_channels", "out_channels", "kernel_size", "stride", "padding", "dilation", "groups", "bias",
          "padding_mode", "device", "dtype"},
         3},
        {K::ConvTranspose2d,
         {"in_channels", "out_channels", "kernel_size", "stride", "padding", "output_padding", "groups",
          "bias", "dilation", "padding_mode", "device", "dtype"},
         3},
        {K::MaxPool2d, {"kernel_size", "stride", "padding", "dilation", "return_indices", "ceil_mode"}, 1},
        {K::AvgPool2d,
         {"kernel_size", "stride", "padding", "ceil_mode", "count_include_pad", "divisor_override"},
         1},
        {K::AdaptiveAvgPool2d, {"output_size"}, 1},
        {K::AdaptiveMaxPool2d, {"output_size", "return_indices"}, 1},
        {K::BatchNorm2d,
         {"num_features", "eps", "momentum", "affine", "track_running_stats", "device", "dtype"},
         1},
        {K::Dropout, {"p", "inplace"}, 0},
        {K::Dropout2d, {"p", "inplace"}, 0},
        {K::ReLU, {"inplace"}, 0},
        {K::ReLU6, {"inplace"}, 0},
        {K::LeakyReLU, {"negative_slope", "inplace"}, 0},
        {K::ELU, {"alpha", "inplace"}, 0},
        {K::GELU, {"approximate"}, 0},
        {K::SiLU, {"inplace"}, 0},
        {K::Hardswish, {"inplace"}, 0},
        {K::Sigmoid, {}, 0},
        {K::Tanh, {}, 0},
        {K::Softmax, {"dim"}, 0},
        {K::LogSoftmax, {"dim"}, 0},
        {K::Identity, {}, 0},  // takes any arguments (*args, **kwargs) and ignores them
        {K::Flatten, {"start_dim", "end_dim"}, 0},
        {K::Linear, {"in_features", "out_features", "bias", "device", "dtype"}, 2},
        {K::ZeroPad2d, {"padding"}, 1},
        {K::ConstantPad2d, {"padding", "value"}, 2},
        {K::ReflectionPad2d, {"padding"}, 1},
        {K::ReplicationPad2d, {"padding"}, 1},
        {K::Upsample, {"size", "scale_factor", "mode", "align_corners", "recompute_scale_factor"}, 0},
        {K::LocalResponseNorm, {"size", "alpha", "beta", "k"}, 1},
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
    std::string r;
    const size_t n = std::size(kAllLayerKinds);
    for (size_t k = 0; k < n; ++k)
        r += (k == 0 ? "" : k + 1 == n ? " and " : ", ") + std::string(to_string(kAllLayerKinds[k]));
    return r;
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
        if (v->type == Value::Type::String ||
            (v->type == Value::Type::Name && (v->s == "same" || v->s == "valid"))) {
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
        if (v->type != Value::Type::String && v->type != Value::Type::Name)
            return type_error(*v, "padding_mode", "a string such as 'zeros'");
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

    // A number: a whole number or a float (0.5, 1e-05).
    bool real(std::string_view name, double& out) {
        const Value* v = get(name);
        if (!v) return true;
        return to_real(*v, name, out);
    }

    // A string argument; print(model) writes some unquoted (mode=nearest, padding_mode=reflect).
    bool text(std::string_view name, std::string& out, const std::string& expected) {
        const Value* v = get(name);
        if (!v) return true;
        if (v->type != Value::Type::String && v->type != Value::Type::Name)
            return type_error(*v, name, expected);
        out = v->s;
        return true;
    }

    // The padding layers' padding=: one number for all four sides or (left, right, top, bottom).
    bool pad4(Layer& L) {
        const Value* v = get("padding");
        if (!v) return true;
        if (v->type == Value::Type::Int) {
            L.pad_left = L.pad_right = L.pad_top = L.pad_bottom = v->i;
            return true;
        }
        if (v->type == Value::Type::Tuple && v->items.size() == 4 &&
            std::all_of(v->items.begin(), v->items.end(),
                        [](const Value& x) { return x.type == Value::Type::Int; })) {
            L.pad_left = v->items[0].i;
            L.pad_right = v->items[1].i;
            L.pad_top = v->items[2].i;
            L.pad_bottom = v->items[3].i;
            return true;
        }
        if (v->type == Value::Type::Tuple &&
            std::all_of(v->items.begin(), v->items.end(),
                        [](const Value& x) { return x.type == Value::Type::Int; }))
            return value_error(*v, "padding must be one number or four (left, right, top, bottom), got " +
                                       std::to_string(v->items.size()));
        return type_error(*v, "padding", "a whole number or a 4-tuple (left, right, top, bottom)");
    }

    // output_size= of the adaptive pools: a number, or a pair whose items may be None (0 here).
    bool output_size(Pair& out) {
        const Value* v = get("output_size");
        if (!v) return true;
        auto item = [](const Value& x, int64_t& o) {
            if (x.type == Value::Type::Int) return (o = x.i, true);
            if (x.type == Value::Type::None) return (o = 0, true);
            return false;
        };
        if (v->type == Value::Type::Int) {
            out = Pair(v->i);
            if (v->i < 1) return value_error(*v, "output_size must be at least 1, got " + describe(*v));
            return true;
        }
        if (v->type == Value::Type::Tuple && v->items.size() == 2 && item(v->items[0], out.h) &&
            item(v->items[1], out.w)) {
            if ((v->items[0].type == Value::Type::Int && out.h < 1) ||
                (v->items[1].type == Value::Type::Int && out.w < 1))
                return value_error(*v, "output_size must be at least 1, got " + describe(*v));
            return true;
        }
        return type_error(*v, "output_size", "a whole number or a pair (h, w) whose items may be None");
    }

    // dim= of Softmax/LogSoftmax: a whole number or None.
    bool optional_integer(std::string_view name, std::optional<int64_t>& out) {
        const Value* v = get(name);
        if (!v || v->type == Value::Type::None) return true;
        if (v->type != Value::Type::Int) return type_error(*v, name, "a whole number or None");
        out = v->i;
        return true;
    }

    // Upsample's size= (a number or a pair) and scale_factor= (a number or a pair of numbers).
    bool upsample(Layer& L) {
        L.scale_h = L.scale_w = 0.0;
        if (const Value* v = get("size"); v && v->type != Value::Type::None) {
            if (!to_pair(*v, "size", L.output_size, " or None")) return false;
        }
        if (const Value* v = get("scale_factor"); v && v->type != Value::Type::None) {
            if (v->type == Value::Type::Tuple && v->items.size() == 2) {
                if (!to_real(v->items[0], "scale_factor", L.scale_h) ||
                    !to_real(v->items[1], "scale_factor", L.scale_w))
                    return false;
            } else {
                if (!to_real(*v, "scale_factor", L.scale_h)) return false;
                L.scale_w = L.scale_h;
            }
            if (!(L.scale_h > 0 && L.scale_w > 0))
                return value_error(*v, "scale_factor must be above 0, got " + describe(*v));
        }
        std::string mode = "nearest";
        if (!text("mode", mode, "a string such as 'nearest'")) return false;
        if (mode == "nearest")
            L.mode = UpsampleMode::Nearest;
        else if (mode == "bilinear")
            L.mode = UpsampleMode::Bilinear;
        else
            return value_error(
                *get("mode"),
                "mode '" + mode + "' is not supported here (ConvScope knows 'nearest' and 'bilinear')");
        if (const Value* v = get("align_corners"); v && v->type != Value::Type::None) {
            bool a = false;
            if (!boolean("align_corners", a)) return false;
            L.align_corners = a;
        }
        if (const Value* v = get("recompute_scale_factor"); v && v->type != Value::Type::None) {
            bool r = false;
            if (!boolean("recompute_scale_factor", r)) return false;
        }
        return true;
    }

    bool value_error(const Value& v, std::string message) {
        m_err = {LayerErrorKind::Argument, v.pos, std::move(message)};
        return false;
    }

private:
    bool to_real(const Value& v, std::string_view name, double& out) {
        if (v.type == Value::Type::Int) {
            out = double(v.i);
            return true;
        }
        if (v.type == Value::Type::Float) {
            char* end = nullptr;
            out = std::strtod(v.s.c_str(), &end);
            if (end && *end == '\0' && std::isfinite(out)) return true;
            if (end && *end == '\0')
                return value_error(v, std::string(name) + " must be a finite number, got " + v.s);
        }
        return type_error(v, name, "a number");
    }

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
    Layer L = Layer::make(*kind);
    if (*kind == LayerKind::Identity) return L;  // Identity(*args, **kwargs) ignores its arguments
    const Signature& sig = signature(*kind);
    auto bound = bind(call, sig, err);
    if (!bound) return std::nullopt;
    Binder b(sig, *bound, err);
    bool inplace = false;
    bool ok = true;
    switch (*kind) {
        case LayerKind::Conv2d:
            ok = b.integer("in_channels", L.in) && b.integer("out_channels", L.out) &&
                 b.pair("kernel_size", L.kernel) && b.pair("stride", L.stride) && b.conv_padding(L.padding) &&
                 b.pair("dilation", L.dilation) && b.integer("groups", L.groups) &&
                 b.boolean("bias", L.bias) && b.padding_mode(L.padding_mode);
            break;
        case LayerKind::ConvTranspose2d: {
            Pair padding{0};
            ok = b.integer("in_channels", L.in) && b.integer("out_channels", L.out) &&
                 b.pair("kernel_size", L.kernel) && b.pair("stride", L.stride) &&
                 b.pair("padding", padding) && b.pair("output_padding", L.output_padding) &&
                 b.integer("groups", L.groups) && b.boolean("bias", L.bias) &&
                 b.pair("dilation", L.dilation) && b.padding_mode(L.padding_mode);
            L.padding = Padding(padding);
            break;
        }
        case LayerKind::MaxPool2d: {
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
            Pair padding{0};
            ok = b.pair("kernel_size", L.kernel) && b.pool_stride(L.stride) && b.pair("padding", padding) &&
                 b.boolean("ceil_mode", L.ceil_mode) && b.boolean("count_include_pad", L.count_include_pad) &&
                 b.must_be_none("divisor_override", "divisor_override is not supported here");
            L.padding = Padding(padding);
            break;
        }
        case LayerKind::AdaptiveAvgPool2d:
            ok = b.output_size(L.output_size);
            break;
        case LayerKind::AdaptiveMaxPool2d:
            ok = b.output_size(L.output_size) &&
                 b.must_be_false("return_indices",
                                 "return_indices=True makes AdaptiveMaxPool2d return (output, "
                                 "indices); a stack needs one output");
            break;
        case LayerKind::BatchNorm2d: {
            ok = b.integer("num_features", L.in) && b.real("eps", L.eps) && b.boolean("affine", L.affine) &&
                 b.boolean("track_running_stats", L.track_running_stats);
            if (ok && b.get("momentum") && b.get("momentum")->type == Value::Type::None)
                L.momentum = -1.0;  // None: a cumulative average
            else
                ok = ok && b.real("momentum", L.momentum);
            break;
        }
        case LayerKind::Dropout:
        case LayerKind::Dropout2d:
            ok = b.real("p", L.p) && b.boolean("inplace", inplace);
            break;
        case LayerKind::LeakyReLU:
            ok = b.real("negative_slope", L.negative_slope) && b.boolean("inplace", inplace);
            break;
        case LayerKind::ELU:
            ok = b.real("alpha", L.alpha) && b.boolean("inplace", inplace);
            break;
        case LayerKind::GELU: {
            std::string approximate = "none";
            ok = b.text("approximate", approximate, "'none' or 'tanh'");
            if (ok && approximate != "none" && approximate != "tanh")
                ok = b.value_error(*b.get("approximate"),
                                   "approximate must be 'none' or 'tanh', got '" + approximate + "'");
            L.tanh_approximation = approximate == "tanh";
            break;
        }
        case LayerKind::ReLU:
        case LayerKind::ReLU6:
        case LayerKind::SiLU:
        case LayerKind::Hardswish:
            ok = b.boolean("inplace", inplace);
            break;
        case LayerKind::Softmax:
        case LayerKind::LogSoftmax:
            ok = b.optional_integer("dim", L.dim);
            break;
        case LayerKind::Flatten:
            ok = b.integer("start_dim", L.start_dim) && b.integer("end_dim", L.end_dim);
            break;
        case LayerKind::Linear:
            ok = b.integer("in_features", L.in) && b.integer("out_features", L.out) &&
                 b.boolean("bias", L.bias);
            break;
        case LayerKind::ZeroPad2d:
        case LayerKind::ReflectionPad2d:
        case LayerKind::ReplicationPad2d:
            ok = b.pad4(L);
            break;
        case LayerKind::ConstantPad2d:
            ok = b.pad4(L) && b.real("value", L.value);
            break;
        case LayerKind::Upsample:
            ok = b.upsample(L);
            break;
        case LayerKind::LocalResponseNorm:
            ok = b.integer("size", L.size) && b.real("alpha", L.alpha) && b.real("beta", L.beta) &&
                 b.real("k", L.k);
            break;
        default:  // Sigmoid, Tanh: no arguments
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

// "conv", "pool", "bn", "fc", …: the lecture's variable names, numbered per stem.
std::string variable_stem(LayerKind k) {
    switch (k) {
        case LayerKind::Conv2d:
            return "conv";
        case LayerKind::ConvTranspose2d:
            return "deconv";
        case LayerKind::MaxPool2d:
        case LayerKind::AvgPool2d:
        case LayerKind::AdaptiveAvgPool2d:
        case LayerKind::AdaptiveMaxPool2d:
            return "pool";
        case LayerKind::BatchNorm2d:
            return "bn";
        case LayerKind::Dropout:
        case LayerKind::Dropout2d:
            return "drop";
        case LayerKind::Linear:
            return "fc";
        case LayerKind::ZeroPad2d:
        case LayerKind::ConstantPad2d:
        case LayerKind::ReflectionPad2d:
        case LayerKind::ReplicationPad2d:
            return "pad";
        case LayerKind::Upsample:
            return "up";
        case LayerKind::LocalResponseNorm:
            return "lrn";
        default:
            return lower(to_string(k));
    }
}

// A double as the shortest text that reads back as the same double ("0.5", "1e-05", "2.0").
std::string real_code(double v) {
    char buf[40];
    for (int digits = 1; digits <= 17; ++digits) {
        std::snprintf(buf, sizeof buf, "%.*g", digits, v);
        if (std::strtod(buf, nullptr) == v) break;
    }
    std::string s = buf;
    if (s.find_first_of(".en") == std::string::npos) s += ".0";  // Python reads it as a float
    return s;
}

// output_size of the adaptive pools: 6, (6, 7), (None, 7).
std::string output_size_code(Pair p) {
    auto one = [](int64_t v) { return v == 0 ? std::string("None") : std::to_string(v); };
    if (p.h == p.w && p.h > 0) return std::to_string(p.h);
    return "(" + one(p.h) + ", " + one(p.w) + ")";
}

std::string pad4_code(const Layer& L) {
    if (L.pad_left == L.pad_right && L.pad_left == L.pad_top && L.pad_left == L.pad_bottom)
        return std::to_string(L.pad_left);
    return "(" + std::to_string(L.pad_left) + ", " + std::to_string(L.pad_right) + ", " +
           std::to_string(L.pad_top) + ", " + std::to_string(L.pad_bottom) + ")";
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
    const Layer d = Layer::make(L.kind);
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
        case LayerKind::ConvTranspose2d:
            arg(std::to_string(L.in));
            arg(std::to_string(L.out));
            arg(pair_code(L.kernel));
            if (L.stride != Pair(1)) arg("stride=" + pair_code(L.stride));
            if (L.padding != Padding()) arg("padding=" + padding_code(L.padding));
            if (L.output_padding != Pair(0)) arg("output_padding=" + pair_code(L.output_padding));
            if (L.groups != 1) arg("groups=" + std::to_string(L.groups));
            if (!L.bias) arg("bias=False");
            if (L.dilation != Pair(1)) arg("dilation=" + pair_code(L.dilation));
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
        case LayerKind::AdaptiveAvgPool2d:
        case LayerKind::AdaptiveMaxPool2d:
            arg(output_size_code(L.output_size));
            break;
        case LayerKind::BatchNorm2d:
            arg(std::to_string(L.in));
            if (L.eps != d.eps) arg("eps=" + real_code(L.eps));
            if (L.momentum != d.momentum)
                arg("momentum=" + (L.momentum < 0 ? std::string("None") : real_code(L.momentum)));
            if (!L.affine) arg("affine=False");
            if (!L.track_running_stats) arg("track_running_stats=False");
            break;
        case LayerKind::Dropout:
        case LayerKind::Dropout2d:
            if (L.p != d.p) arg("p=" + real_code(L.p));
            break;
        case LayerKind::LeakyReLU:
            if (L.negative_slope != d.negative_slope) arg(real_code(L.negative_slope));
            break;
        case LayerKind::ELU:
            if (L.alpha != d.alpha) arg("alpha=" + real_code(L.alpha));
            break;
        case LayerKind::GELU:
            if (L.tanh_approximation) arg("approximate='tanh'");
            break;
        case LayerKind::Softmax:
        case LayerKind::LogSoftmax:
            if (L.dim) arg("dim=" + std::to_string(*L.dim));
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
        case LayerKind::ZeroPad2d:
        case LayerKind::ReflectionPad2d:
        case LayerKind::ReplicationPad2d:
            arg(pad4_code(L));
            break;
        case LayerKind::ConstantPad2d:
            arg(pad4_code(L));
            arg(real_code(L.value));
            break;
        case LayerKind::Upsample:
            if (L.output_size != Pair(0)) arg("size=" + pair_code(L.output_size));
            if (L.scale_h != 0.0 || L.scale_w != 0.0)
                arg("scale_factor=" + (L.scale_h == L.scale_w
                                           ? real_code(L.scale_h)
                                           : "(" + real_code(L.scale_h) + ", " + real_code(L.scale_w) + ")"));
            if (L.mode == UpsampleMode::Bilinear) arg("mode='bilinear'");
            if (L.align_corners) arg(std::string("align_corners=") + (*L.align_corners ? "True" : "False"));
            break;
        case LayerKind::LocalResponseNorm:
            arg(std::to_string(L.size));
            if (L.alpha != d.alpha) arg("alpha=" + real_code(L.alpha));
            if (L.beta != d.beta) arg("beta=" + real_code(L.beta));
            if (L.k != d.k) arg("k=" + real_code(L.k));
            break;
        default:  // ReLU, ReLU6, SiLU, Hardswish, Sigmoid, Tanh, Identity: nothing to say
            break;
    }
    return s + ")";
}

std::string to_pytorch_code(const Network& net) {
    const NetworkCheck check = check_network(net);
    std::string code = "import torch\nimport torch.nn as nn\n\ninput = torch.randn(";
    for (size_t k = 0; k < net.input.size(); ++k) code += (k ? ", " : "") + std::to_string(net.input[k]);
    code += ")\n";
    std::vector<std::string> names;
    std::vector<std::pair<std::string, int>> counts;  // per variable stem
    std::vector<std::string> eval;                    // modules that behave differently when training
    for (const Layer& L : net.layers) {
        const std::string stem = variable_stem(L.kind);
        auto it = std::find_if(counts.begin(), counts.end(), [&](const auto& e) { return e.first == stem; });
        if (it == counts.end()) it = counts.insert(counts.end(), {stem, 0});
        // "relu6_1", not "relu61".
        std::string name = stem + (std::isdigit(static_cast<unsigned char>(stem.back())) ? "_" : "") +
                           std::to_string(++it->second);
        code += name + " = " + to_pytorch(L) + "\n";
        if (L.kind == LayerKind::BatchNorm2d || L.kind == LayerKind::Dropout ||
            L.kind == LayerKind::Dropout2d)
            eval.push_back(name);
        names.push_back(std::move(name));
    }
    if (net.layers.empty()) return code + "print(list(input.shape))\n";
    for (const std::string& n : eval) code += n + ".eval()  # as ConvScope runs it\n";
    code += "\n";
    for (size_t i = 0; i < names.size(); ++i) {
        const LayerCheck& c = check.layers[i];
        code += "x = " + names[i] + "(" + (i == 0 ? "input" : "x") + ")";
        if (!c.ok()) {
            code += "  # error: " + c.error + "\n";
            continue;
        }
        code += "\nprint(\"" + names[i] + "\", list(x.shape))";
        if (!c.output.empty()) code += "  # " + shape_code(c.output);
        code += "\n";
    }
    return code;
}

namespace {

// One logical line of Python: physical lines joined while brackets are open, a triple-quoted string spans
// lines, or a line ends in a backslash.
struct Statement {
    size_t begin = 0, end = 0;  // offsets into the comment-free code
    size_t line = 0;            // of its first character, from 1
};

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
std::optional<Layer> functional_layer(const Value& call, std::string& note, ParseFailure& err) {
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
        note = "torch.flatten read as " + to_pytorch(L).substr(3);
        return L;
    }
    if (ends(".flatten") && !n.starts_with("nn.") && !n.starts_with("torch.")) {
        Layer L = Layer::flatten();
        L.start_dim = int_arg(0, "start_dim", 0);
        L.end_dim = int_arg(1, "end_dim", -1);
        note = n + " read as " + to_pytorch(L).substr(3);
        return L;
    }
    if ((ends(".view") || ends(".reshape")) && call.args.size() == 2) {
        note = n + "(…, …) read as Flatten() (one row per sample)";
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
                note = n + " read as " + std::string(to_string(kind)) + "()";
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
            if (L) note = n + " read as " + to_pytorch(*L).substr(3);
            return L;
        }
        break;
    }
    return std::nullopt;
}

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
    std::string note;
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
    std::string where(size_t pos) const {
        return "line " + std::to_string(line_of(m_code, pos)) + ": column " +
               std::to_string(column_of(m_code, pos)) + ": ";
    }
    Error failure(const ParseFailure& err, size_t fallback) const {
        if (err.pos == kNoPos)
            return fail("line " + std::to_string(line_of(m_code, fallback)) + ": " + err.message);
        return fail(where(err.pos) + err.message);
    }

    std::string first_line(const Statement& st) const {
        std::string_view t = std::string_view(m_code).substr(st.begin, st.end - st.begin);
        t = t.substr(0, t.find('\n'));
        while (!t.empty() && std::isspace(static_cast<unsigned char>(t.back()))) t.remove_suffix(1);
        return std::string(t);
    }

    void skip(const Statement& st, CodeImport& out) const {
        out.skipped.push_back({st.line, first_line(st)});
    }

    Status too_deep(size_t pos) const {
        return fail(where(pos) + "nested more than " + std::to_string(kMaxCodeNesting) + " deep");
    }

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
            ParseFailure err;
            auto L = to_layer(c, err);
            if (!L) return failure(err, v.pos);
            layers.push_back(*L);
            return {};
        }
        const bool nn_name = v.s.starts_with("nn.") || v.s.starts_with("torch.nn.");
        if (nn_name && !is_container(v.s)) return fail(where(v.pos) + unknown_layer_message(v.s));
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
        std::string note;
        ParseFailure err;
        auto L = functional_layer(v, note, err);
        if (!L && !err.message.empty()) return failure(err, v.pos);
        if (L) found.push_back({-1, *L, line, "line " + std::to_string(line) + ": " + note});
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
        const std::string line = "line " + std::to_string(line_of(m_code, at)) + ": ";
        Shape shape;
        for (const Value* d : dims) {
            if (d->type != Value::Type::Int)
                return fail(line + "the input shape must be whole numbers, got " + describe(*d));
            shape.push_back(d->i);
        }
        if (shape.empty() || shape.size() > 4)
            return fail(line + "the input must have 1 to 4 dimensions (N, C, H, W)");
        for (int64_t d : shape)
            if (d < 1) return fail(line + "every input dimension must be at least 1");
        if (shape_numel(shape) < 0) return fail(line + "the input is larger than the limits");
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
            ParseFailure err;
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
            ParseFailure err;
            p.expected("a module such as Conv2d(…)", err);
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
                ParseFailure err;
                p.expected("')' closing " + name.text, err);
                return failure(err, p.token().pos);
            }
            p.advance();
            return {};
        }
        ParseFailure err;
        auto call = p.call(err);
        if (!call) return failure(err, name.pos);
        if (!layer_kind(call->name)) return fail(where(call->name_pos) + unknown_layer_message(call->name));
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
            ParseFailure err;
            p.expected("':' after the module's name", err);
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
            return fail(where(p.token().pos) + "the stack is larger than ConvScope takes (100,000 layers)");
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
                ParseFailure err;
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
        ParseFailure err;
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
    Status unparsed(const Statement& st, const ParseFailure& statement_err, CodeImport& out) const {
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
                ParseFailure err;
                Parser p(text, i, &m_vars);
                auto call = p.call(err);
                if (!call) return failure(err, i);
                if (!to_layer(*call, err)) return failure(err, i);
                if (statement_err.message.empty()) return failure(err, i);
                return failure(statement_err, i);
            }
            if (nn_name && !is_container(name.text)) return fail(where(i) + unknown_layer_message(name.text));
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
                    result.notes.push_back("line " + std::to_string(u.line) + ": " + m.name +
                                           " is called again; its layers are repeated");
                m.used = true;
                net.layers.insert(net.layers.end(), m.layers.begin(), m.layers.end());
            } else {
                net.layers.push_back(u.layer);
                result.notes.push_back(u.note);
            }
            if (net.layers.size() > kMaxLayers)
                return fail("the stack is larger than ConvScope takes (100,000 layers)");
        }
        for (const Module& m : im.modules)
            if (!m.used)
                result.notes.push_back("line " + std::to_string(m.line) + ": " +
                                       (m.name.empty() ? std::string("a layer") : m.name) +
                                       " is never called, so it is left out");
    } else {
        for (const Module& m : im.modules) {
            net.layers.insert(net.layers.end(), m.layers.begin(), m.layers.end());
            if (net.layers.size() > kMaxLayers)
                return fail("the stack is larger than ConvScope takes (100,000 layers)");
        }
        for (const Use& u : im.uses) result.skipped.push_back({u.line, u.note.substr(u.note.find(": ") + 2)});
        std::stable_sort(result.skipped.begin(), result.skipped.end(),
                         [](const SkippedLine& a, const SkippedLine& b) { return a.line < b.line; });
    }
    if (net.layers.empty())
        return fail(
            "no layers found: paste lines such as nn.Conv2d(1, 5, 5) or nn.MaxPool2d(2) (ConvScope knows " +
            known_layers() + ")");
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
        result.notes.push_back("no input shape in the code: assumed " + shape_to_string(net.input));
    }
    // print(model) does not show forward's torch.flatten: a Linear reading a whole C×H×W map gets a Flatten
    // (only where no forward gave the order).
    for (size_t guard = 0; !called && guard < 64; ++guard) {
        const NetworkCheck check = check_network(net);
        if (check.first_error < 0) break;
        const size_t k = size_t(check.first_error);
        const Layer L = net.layers[k];  // a copy: the insert below reallocates net.layers
        const Shape& in = k == 0 ? net.input : check.layers[k - 1].output;
        if (L.kind != LayerKind::Linear || check.layers[k].error_kind != LayerErrorKind::Features ||
            in.size() < 3 || shape_numel(Shape(in.begin() + 1, in.end())) != L.in)
            break;
        const std::string what = to_pytorch(L).substr(3);
        // Before the Dropout/ReLU run that leads to the Linear, where forward's torch.flatten usually is.
        size_t at = k;
        while (at > 0 && is_elementwise(net.layers[at - 1].kind)) --at;
        net.layers.insert(net.layers.begin() + std::ptrdiff_t(at), Layer::flatten());
        result.notes.push_back("Flatten() put in as layer " + std::to_string(at + 1) + ", for layer " +
                               std::to_string(k + 2) + " (" + what + "): it reads " + std::to_string(L.in) +
                               " features, the input " + shape_to_string(in) + " flattened");
    }
    return result;
}

Result<Network> parse_pytorch_code(std::string_view code, const Shape& default_input) {
    auto r = import_pytorch_code(code, std::nullopt, default_input);
    if (!r) return r.err();
    return r->net;
}

}  // namespace convscope

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
