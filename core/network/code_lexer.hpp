// The lexer of PyTorch's constructor syntax (core/network/code_*.cpp; not part of core's API): names, ints,
// floats, strings, brackets and operators, with the offset of each, and how the readers place their errors.
#pragma once

#include <algorithm>
#include <cassert>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/network/network.hpp"

namespace convscope::code_detail {

constexpr size_t kNoPos = std::string_view::npos;

// A failure of the readers is an ordinary Error. One that points into the parsed text is wrapped in
// net_at_column, its column the offset + 1 (at(); for one-line text, the column from 1): parse_layer returns
// it as it is, the importer reads the offset back (offset_of()) to name the line and column in the code.
inline Error at(size_t pos, Error inner) {
    return fail<ErrCode::net_at_column>(pos + 1, std::move(inner));
}

// The offset an error of at() points at, or kNoPos.
inline size_t offset_of(const Error& e) {
    if (e.code != ErrCode::net_at_column || e.args.empty()) return kNoPos;
    const auto* s = std::get_if<std::string>(&e.args[0]);
    size_t column = 0;
    if (!s || std::from_chars(s->data(), s->data() + s->size(), column).ec != std::errc() || column == 0)
        return kNoPos;
    return column - 1;
}

// The error inside an at() wrapper (the error itself when it has none).
inline const Error& without_offset(const Error& e) {
    if (offset_of(e) == kNoPos || e.args.size() < 2) return e;
    const auto* inner = std::get_if<std::shared_ptr<const Error>>(&e.args[1]);
    return inner && *inner ? **inner : e;
}

// True once a reader has set `e` (a default Error is "no failure").
inline bool failed(const Error& e) {
    return !e.message.empty();
}

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
    std::string text;             // names and strings (without quotes); the offending text for Bad and Float
    int64_t value = 0;            // Int
    ErrCode bad = ErrCode::text;  // Bad: why, its argument (if any) `text`
};

// Why a Bad token is bad.
inline Error bad_token(const Token& t) {
    if (t.bad == ErrCode::syn_unclosed_string) return fail<ErrCode::syn_unclosed_string>();
    if (t.bad == ErrCode::syn_number_text_too_large) return fail<ErrCode::syn_number_text_too_large>(t.text);
    return fail<ErrCode::syn_unexpected_char>(t.text);
}

inline bool is_name_start(char c) {
    return std::isalpha(static_cast<unsigned char>(c)) || c == '_';
}
inline bool is_name_char(char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
}

class Lexer {
public:
    Lexer(std::string_view text, size_t pos = 0) : m_text(text), m_pos(pos) {}

    // The next token; Bad carries why in `bad` (bad_token()).
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
                t.bad = ErrCode::syn_unclosed_string;
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
                t.bad = ErrCode::syn_number_text_too_large;
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
        t.bad = ErrCode::syn_unexpected_char;
        t.text = std::string(1, c);
        ++m_pos;
        return t;
    }

    size_t pos() const { return m_pos; }

private:
    std::string_view m_text;
    size_t m_pos = 0;
};

}  // namespace convscope::code_detail
