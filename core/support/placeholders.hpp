// The `{}` placeholders of a format text (fmt's syntax: `{}`, `{:.1f}`; `{{` and `}}` are literal braces),
// read at compile time. The error catalogue (core/support/error_codes.hpp) and the UI's string table
// (app/ui/strings.hpp) both check with these that their English and Korean texts take the same arguments.
#pragma once

#include <cstddef>
#include <string_view>

namespace convscope {

// Calls `visit(spec)` for each placeholder of `text` in order, with its spec as written between the braces
// (`""` for `{}`, `":.1f"` for `{:.1f}`; `"?"` for a `{` that is never closed, which ends the walk); stops
// early when `visit` returns false.
template <class Visit>
constexpr void for_each_placeholder(std::string_view text, Visit&& visit) {
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] != '{') continue;
        if (i + 1 < text.size() && text[i + 1] == '{') {
            ++i;  // `{{`: a literal brace
            continue;
        }
        const std::size_t close = text.find('}', i);
        if (close == std::string_view::npos) {
            visit(std::string_view("?"));
            return;
        }
        if (!visit(text.substr(i + 1, close - i - 1))) return;
        i = close;
    }
}

// How many placeholders `text` holds.
constexpr std::size_t count_placeholders(std::string_view text) {
    std::size_t n = 0;
    for_each_placeholder(text, [&n](std::string_view) {
        ++n;
        return true;
    });
    return n;
}

// The `n`th placeholder's spec (see for_each_placeholder), or `"?"` past the last one.
constexpr std::string_view placeholder_spec(std::string_view text, std::size_t n) {
    std::string_view found = "?";
    for_each_placeholder(text, [&](std::string_view spec) {
        if (n-- > 0) return true;
        found = spec;
        return false;
    });
    return found;
}

// Whether two texts hold the same placeholders, in the same order and with the same specs.
constexpr bool same_placeholders(std::string_view a, std::string_view b) {
    const std::size_t n = count_placeholders(a);
    if (count_placeholders(b) != n) return false;
    for (std::size_t i = 0; i < n; ++i)
        if (placeholder_spec(a, i) != placeholder_spec(b, i)) return false;
    return true;
}

}  // namespace convscope
