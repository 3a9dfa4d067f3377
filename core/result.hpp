// Result<T>: a value or a readable error message. Errors the user can fix travel as values through the core
// API (no exceptions, no asserts on user input); programmer errors are asserts.
#pragma once

#include <cassert>
#include <string>
#include <utility>
#include <variant>

namespace convscope {

struct Error {
    std::string message;
};

// Makes an Error from a message; `return fail("stride must be at least 1");`
inline Error fail(std::string message) {
    return Error{std::move(message)};
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

    // The error message; only valid when !ok().
    const std::string& error() const {
        assert(!ok());
        return std::get<1>(m_v).message;
    }

private:
    std::variant<T, Error> m_v;
};

// Result<void>: success or an error message.
template <>
class [[nodiscard]] Result<void> {
public:
    Result() = default;
    Result(Error error) : m_error(std::move(error.message)), m_ok(false) {}
    bool ok() const { return m_ok; }
    explicit operator bool() const { return m_ok; }
    const std::string& error() const {
        assert(!m_ok);
        return m_error;
    }

private:
    std::string m_error;
    bool m_ok = true;
};

using Status = Result<void>;

}  // namespace convscope
