// Result<T>: a value or a structured error. Errors the user can fix travel as values through the core API (no
// exceptions, no asserts on user input); programmer errors are asserts. An Error is a code from
// core/support/error_codes.hpp and its arguments; render_error() writes it in English (the CLI) or Korean (the UI).
#pragma once

#include <cassert>
#include <concepts>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "core/support/error_codes.hpp"

namespace convscope {

struct Error;

// One argument of an Error: plain text (a number, a shape, a name as typed) or a nested Error rendered in the
// same language (a word such as "stride", or the reason a wrapped operation failed).
using ErrorArg = std::variant<std::string, std::shared_ptr<const Error>>;

struct Error {
    ErrCode code = ErrCode::text;
    std::vector<ErrorArg> args;
    std::string message;  // the English rendering, made once (the CLI's `error: …` lines)
};

enum class ErrorLang { En, Ko };

// The text of `code` in `lang`, with its `{}` placeholders.
std::string_view error_text(ErrCode code, ErrorLang lang);
// The error written in `lang`: its code's text with every argument in place (nested errors in `lang` too).
std::string render_error(const Error& e, ErrorLang lang);

// An argument from text, an integer or a nested Error (see fail()).
inline ErrorArg to_error_arg(std::string s) {
    return s;
}
inline ErrorArg to_error_arg(const char* s) {
    return std::string(s);
}
inline ErrorArg to_error_arg(std::string_view s) {
    return std::string(s);
}
template <std::integral I>
ErrorArg to_error_arg(I v) {
    return std::to_string(v);
}
inline ErrorArg to_error_arg(Error e) {
    return std::make_shared<const Error>(std::move(e));
}
inline ErrorArg to_error_arg(ErrorArg a) {
    return a;
}

// Makes an Error with a code and its arguments; the number of arguments is checked against the code's `{}`
// placeholders at compile time: `return fail<ErrCode::stride_min>(to_string(p));`
template <ErrCode C, class... A>
Error fail(A&&... args) {
    static_assert(sizeof...(A) == error_arity(C), "the arguments must match the code's {} placeholders");
    Error e{C, {to_error_arg(std::forward<A>(args))...}, {}};
    e.message = render_error(e, ErrorLang::En);
    return e;
}

// A word of the catalogue (a code with no placeholders), as an argument of another error.
template <ErrCode C>
Error word() {
    static_assert(error_arity(C) == 0, "a word has no placeholders");
    return fail<C>();
}

// A runtime code's error, for tables that choose the code (its arity is checked when rendering: missing
// arguments render as nothing, extra ones are ignored).
Error fail_code(ErrCode code, std::vector<ErrorArg> args);

// Untranslated text: only for messages that come from a library verbatim (an OS error string); never for
// words this program writes.
inline Error fail_text(std::string message) {
    return fail<ErrCode::text>(std::move(message));
}

// Not yet converted to a code: English prose, shown untranslated in the Korean UI. Every call is a to-do (see
// the README's "Errors" section for how to convert one); new code uses fail<ErrCode::…>.
inline Error fail(std::string message) {
    return fail<ErrCode::text>(std::move(message));
}

template <class T>
class [[nodiscard]] Result {
public:
    Result(T value) : m_v(std::move(value)) {}
    Result(Error error) : m_v(std::move(error)) {}

    // True when a value is held.
    bool ok() const { return m_v.index() == 0; }
    explicit operator bool() const { return ok(); }

    // The value; only valid when ok().
    T& value() & {
        assert(ok());
        return std::get<0>(m_v);
    }
    const T& value() const& {
        assert(ok());
        return std::get<0>(m_v);
    }
    T&& value() && {
        assert(ok());
        return std::get<0>(std::move(m_v));
    }
    T* operator->() { return &value(); }
    const T* operator->() const { return &value(); }
    T& operator*() & { return value(); }
    const T& operator*() const& { return value(); }

    // The error in English (the CLI's text); only valid when !ok().
    const std::string& error() const {
        assert(!ok());
        return std::get<1>(m_v).message;
    }
    // The structured error (code and arguments), for rendering in another language; only valid when !ok().
    const Error& err() const {
        assert(!ok());
        return std::get<1>(m_v);
    }

private:
    std::variant<T, Error> m_v;
};

// Result<void>: success or an error.
template <>
class [[nodiscard]] Result<void> {
public:
    Result() = default;
    Result(Error error) : m_error(std::move(error)), m_ok(false) {}
    bool ok() const { return m_ok; }
    explicit operator bool() const { return m_ok; }
    const std::string& error() const {
        assert(!m_ok);
        return m_error.message;
    }
    const Error& err() const {
        assert(!m_ok);
        return m_error;
    }

private:
    Error m_error;
    bool m_ok = true;
};

using Status = Result<void>;

}  // namespace convscope
