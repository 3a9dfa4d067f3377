// The lexer of PyTorch's constructor syntax (core/network/code_*.cpp; not part of core's API): names, ints,
// floats, strings, brackets and operators, with the offset of each, and the failure type the readers share.
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

inline bool is_name_start(char c) {
    return std::isalpha(static_cast<unsigned char>(c)) || c == '_';
}
inline bool is_name_char(char c) {
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

}  // namespace convscope::code_detail
