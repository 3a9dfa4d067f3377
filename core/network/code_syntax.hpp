// PyTorch's constructor syntax as the network's code readers share it (core/network/code_*.cpp; not part of
// core's API), over code_lexer.hpp's tokens: the values (ints, tuples, True/False/None, strings, names,
// calls, sums and products) and the parser that reads them; the layer binding (code_layers.cpp) and the
// line-level helpers (code_lines.cpp) the importer uses.
//
// [SECTION] Values       — ints, tuples, True/False/None, strings, names, calls, sums and products
// [SECTION] Layers       — binding a call to a layer (code_layers.cpp)
#pragma once

#include "core/network/code_lexer.hpp"

namespace convscope::code_detail {

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
inline std::string describe(const Value& v) {
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

// describe() as an error argument: "an expression" in the reader's language, the rest as written.
inline Error described(const Value& v) {
    if (v.type == Value::Type::Opaque) return word<ErrCode::w_an_expression>();
    return fail_text(describe(v));
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
    std::optional<Call> call(Error& err) {
        Call c;
        if (m_tok.type != Tok::Name) return expected(word<ErrCode::w_exp_layer>(), err);
        c.name = m_tok.text;
        c.name_pos = m_tok.pos;
        advance();
        if (m_tok.type != Tok::LParen) return expected(fail<ErrCode::w_exp_paren_after>(c.name), err);
        if (!call_args(c.name, c.args, c.close_pos, err)) return std::nullopt;
        c.end = c.close_pos + 1;
        return c;
    }

    // The current token must be the end of the text.
    bool at_end(Error& err) {
        if (m_tok.type == Tok::End) return true;
        err = at(m_tok.pos, m_tok.type == Tok::Bad ? bad_token(m_tok) : fail<ErrCode::syn_after_close>());
        return false;
    }

    // An expression: sums and products of whole numbers, calls, tuples, names, strings.
    std::optional<Value> value(Error& err) {
        if (++m_depth > kMaxCodeNesting) {
            err = at(m_tok.pos, fail<ErrCode::syn_nested>(kMaxCodeNesting));
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
    bool call_args(const std::string& name, std::vector<Argument>& args, size_t& close_pos, Error& err) {
        advance();  // '('
        bool seen_keyword = false;
        while (m_tok.type != Tok::RParen) {
            if (m_tok.type == Tok::End) {
                err = at(m_tok.pos, fail<ErrCode::syn_unclosed_call>(name));
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
                err = at(m_tok.pos, fail<ErrCode::syn_positional_after_keyword>());
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
                expected(word<ErrCode::w_exp_comma_or_paren>(), err);
                return false;
            }
        }
        close_pos = m_tok.pos;
        advance();
        return true;
    }

    // "expected `what`, found …" at the current token (`what` a word such as w_exp_value).
    std::nullopt_t expected(Error what, Error& err) {
        Error got;
        switch (m_tok.type) {
            case Tok::End:
                got = word<ErrCode::w_the_end>();
                break;
            case Tok::Bad:
                err = at(m_tok.pos, bad_token(m_tok));
                return std::nullopt;
            case Tok::Name:
                got = fail_text("'" + m_tok.text + "'");
                break;
            case Tok::Int:
                got = fail_text(std::to_string(m_tok.value));
                break;
            case Tok::Float:
                got = fail_text(m_tok.text);
                break;
            case Tok::String:
                got = fail<ErrCode::w_the_string>(m_tok.text);
                break;
            case Tok::LParen:
                got = fail_text("'('");
                break;
            case Tok::RParen:
                got = fail_text("')'");
                break;
            case Tok::LBracket:
                got = fail_text("'['");
                break;
            case Tok::RBracket:
                got = fail_text("']'");
                break;
            case Tok::Comma:
                got = fail_text("','");
                break;
            case Tok::Equals:
                got = fail_text("'='");
                break;
            case Tok::Minus:
                got = fail_text("'-'");
                break;
            case Tok::Plus:
                got = fail_text("'+'");
                break;
            case Tok::Star:
                got = fail_text("'*'");
                break;
            case Tok::Slash:
                got = fail_text("'/'");
                break;
            case Tok::Colon:
                got = fail_text("':'");
                break;
        }
        err = at(m_tok.pos, fail<ErrCode::syn_expected>(std::move(what), std::move(got)));
        return std::nullopt;
    }

private:
    // a + b, a − b on whole numbers.
    std::optional<Value> sum(Error& err) {
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
    std::optional<Value> product(Error& err) {
        auto left = unary(err);
        while (left && (m_tok.type == Tok::Star || m_tok.type == Tok::Slash)) {
            const bool times = m_tok.type == Tok::Star;
            const size_t op = m_tok.pos;
            advance();
            if (!times) {
                if (m_tok.type != Tok::Slash) {
                    err = at(op, fail<ErrCode::syn_fraction>());
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
                    err = at(right->pos, fail<ErrCode::syn_division_by_zero>());
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

    bool arithmetic(const Value& a, const Value& b, Error& err) {
        if (a.type == Value::Type::Int && b.type == Value::Type::Int) return true;
        const Value& bad = a.type == Value::Type::Int ? b : a;
        err = at(bad.pos, fail<ErrCode::syn_whole_numbers_only>(described(bad)));
        return false;
    }

    std::nullopt_t too_large(const Value& v, Error& err) {
        err = at(v.pos, fail<ErrCode::syn_number_too_large>());
        return std::nullopt;
    }

    std::optional<Value> unary(Error& err) {
        if (m_tok.type == Tok::Minus || m_tok.type == Tok::Plus) {
            const bool minus = m_tok.type == Tok::Minus;
            const size_t pos = m_tok.pos;
            advance();
            if (++m_depth > kMaxCodeNesting) {
                err = at(pos, fail<ErrCode::syn_nested>(kMaxCodeNesting));
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
                err = at(inner->pos, fail<ErrCode::syn_sign_needs_number>(minus ? "-" : "+"));
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
    std::optional<Value> primary(Error& err) {
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
                        err = at(v.pos, fail<ErrCode::syn_nested>(kMaxCodeNesting));
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
                    if (m_tok.type != close)
                        return expected(paren ? word<ErrCode::w_exp_comma_or_paren>()
                                              : word<ErrCode::w_exp_comma_or_bracket>(),
                                        err);
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
                return expected(word<ErrCode::w_exp_value>(), err);
        }
    }

    Lexer m_lexer;
    Token m_tok;
    const Variables* m_vars = nullptr;
    int m_depth = 0;
};

// [SECTION] Layers

// `s` in lower case (ASCII).
inline std::string lower(std::string_view s) {
    std::string r(s);
    for (char& c : r) c = char(std::tolower(static_cast<unsigned char>(c)));
    return r;
}

// The layer a call builds, its arguments bound as Python binds them, or nullopt with `err` set (at() its
// offset).
std::optional<Layer> to_layer(const Call& call, Error& err);
// One layer call that must fill `text`.
std::optional<Layer> parse_layer_at(std::string_view text, Error& err);
// The kind a class name names ("Conv2d", "nn.Conv2d", "torch.nn.Conv2d"), or nullopt.
std::optional<LayerKind> layer_kind(std::string_view name);
// Every layer class ConvScope knows, for messages: "Conv2d, …, Upsample and LocalResponseNorm".
Error known_layers();
// "Conv3d is not a layer ConvScope knows (…)", or the known name when only its case differs.
Error unknown_layer(std::string_view name);

// [SECTION] Lines (code_lines.cpp)

// Comments removed (from '#' outside quotes to the end of the line), every other character kept in place, so
// offsets still map to lines and columns.
std::string strip_comments(std::string_view code);
// The line (from 1) and the column (from 1) of offset `pos` in `text`.
size_t line_of(std::string_view text, size_t pos);
size_t column_of(std::string_view text, size_t pos);
// torch.Tensor, torch.randn, …: calls whose arguments are the input's shape.
bool is_input_constructor(std::string_view name);
// Names that hold layers rather than being one; their arguments are scanned like the rest of the code.
bool is_container(std::string_view name);

// One logical line of Python: physical lines joined while brackets are open, a triple-quoted string spans
// lines, or a line ends in a backslash.
struct Statement {
    size_t begin = 0, end = 0;  // offsets into the comment-free code
    size_t line = 0;            // of its first character, from 1
};
std::vector<Statement> split_statements(const std::string& code);

// "features" for "self.features".
std::string strip_self(std::string name);

// Functions in forward that act as a layer: torch.flatten(x, 1), x.view(x.size(0), -1), F.relu(x), …; the
// note says how it was read.
std::optional<Layer> functional_layer(const Value& call, Error& note, Error& err);

}  // namespace convscope::code_detail
