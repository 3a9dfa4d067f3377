#include "app/ui/strings.hpp"

#include <cstdarg>
#include <cstdio>

#include "core/engine/geometry.hpp"

namespace convscope::ui {
namespace {

struct Entry {
    const char* en;
    const char* ko;
};

constexpr Entry kTable[] = {
#define CONVSCOPE_STRING_ENTRY(id, en, ko) {en, ko},
    CONVSCOPE_STRINGS(CONVSCOPE_STRING_ENTRY)
#undef CONVSCOPE_STRING_ENTRY
};
static_assert(sizeof kTable / sizeof kTable[0] == size_t(Str::count));

Lang g_lang = Lang::En;

}  // namespace

Lang language() {
    return g_lang;
}
void set_language(Lang lang) {
    g_lang = lang;
}

const char* tr(Str id, Lang lang) {
    const Entry& e = kTable[size_t(id)];
    return lang == Lang::Ko ? e.ko : e.en;
}

const char* tr(Str id) {
    return tr(id, g_lang);
}

std::string trf(Str id, ...) {
    char buf[1024];
    va_list args;
    va_start(args, id);
    std::vsnprintf(buf, sizeof buf, tr(id), args);
    va_end(args);
    return buf;
}

std::string tr_error(const Error& error, Lang lang) {
    return render_error(error, lang == Lang::Ko ? ErrorLang::Ko : ErrorLang::En);
}

std::string tr_axis_formula(const AxisSpec& axis) {
    const AxisFormula f = axis_formula_parts(axis);
    return f.math + (f.last_window_dropped ? tr(Str::ceil_note) : "") + " = " + std::to_string(f.out);
}

std::string tr_error(const Error& error) {
    return tr_error(error, g_lang);
}

const char* lang_code(Lang lang) {
    return lang == Lang::Ko ? "ko" : "en";
}

bool parse_lang(std::string_view code, Lang& out) {
    if (code == "en")
        out = Lang::En;
    else if (code == "ko")
        out = Lang::Ko;
    else
        return false;
    return true;
}

std::vector<std::string_view> all_strings() {
    std::vector<std::string_view> v;
    for (const Entry& e : kTable) {
        v.push_back(e.en);
        v.push_back(e.ko);
    }
    // Core's error texts are drawn too (tr_error), so the fonts need their glyphs.
    for (const ErrorTexts& t : kErrorTexts) {
        v.push_back(t.en);
        v.push_back(t.ko);
    }
    return v;
}

}  // namespace convscope::ui
