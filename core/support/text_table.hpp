// A table of texts in English and Korean, written once as an X-macro list: LIST(X) expands to one
// X(id, english, korean) per entry. CONVSCOPE_TEXT_TABLE(Enum, Underlying, LIST, count, table) makes from it
// the enum of ids (ending in `count`) and the constexpr array `table` of TextPair in the same order, and
// checks they have one entry per id. The error catalogue (core/support/error_codes.hpp) and the UI's string
// table (app/ui/strings.hpp) are two such tables.
#pragma once

#include <cstddef>
#include <iterator>
#include <string_view>

#include "core/support/placeholders.hpp"

namespace convscope {

struct TextPair {
    std::string_view en, ko;
};

// Every entry's two languages hold the same {} placeholders, and, with `nonempty`, neither text is empty.
template <std::size_t N>
constexpr bool texts_consistent(const TextPair (&table)[N], bool nonempty) {
    for (const TextPair& t : table)
        if ((nonempty && (t.en.empty() || t.ko.empty())) || !same_placeholders(t.en, t.ko)) return false;
    return true;
}

}  // namespace convscope

#define CONVSCOPE_TEXT_ID(id, en, ko) id,
#define CONVSCOPE_TEXT_PAIR(id, en, ko) {en, ko},
#define CONVSCOPE_TEXT_TABLE(Enum, Underlying, LIST, count, table)                \
    enum class Enum : Underlying { LIST(CONVSCOPE_TEXT_ID) count };               \
    inline constexpr ::convscope::TextPair table[] = {LIST(CONVSCOPE_TEXT_PAIR)}; \
    static_assert(std::size(table) == std::size_t(Enum::count), "one text per id")
