#include "app/ui/strings.hpp"

#include "core/engine/explain.hpp"
#include "core/engine/geometry.hpp"

namespace convscope::ui {
namespace {

Lang g_lang = Lang::En;

}  // namespace

Lang language() {
    return g_lang;
}
void set_language(Lang lang) {
    g_lang = lang;
}

const char* tr(Str id, Lang lang) {
    // The table's texts are string literals, so each view's data() is NUL-terminated.
    const StrTexts& e = kStrTexts[size_t(id)];
    return lang == Lang::Ko ? e.ko.data() : e.en.data();
}

const char* tr(Str id) {
    return tr(id, g_lang);
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

std::string tr_mac_text(const MacToken& token) {
    switch (token.role) {
        case MacRole::Channel:
            return trf(Str::channel_n, int(token.channel)) + " ";
        case MacRole::Bias:
            return " + " + std::string(tr(Str::bias_word)) + " " + token.number;
        case MacRole::Empty:
            return tr(Str::mac_nothing_lands);
        case MacRole::Truncated:
            return " + … (" + std::string(tr(Str::mac_trace_truncated)) + ")";
        case MacRole::Text:
        case MacRole::Input:
        case MacRole::Padding:
        case MacRole::Output:
        case MacRole::Newline:
            break;
    }
    return token.text;
}

std::vector<std::string> tr_mac_lines(const std::vector<MacToken>& tokens) {
    return join_lines(tokens, [](const MacToken& k) { return tr_mac_text(k); });
}

Message::Message(std::string text) : m_verbatim(true) {
    if (!text.empty()) m_render = [t = std::move(text)] { return t; };
}
Message Message::rendered_by(std::function<std::string()> render) {
    Message m;
    m.m_render = std::move(render);
    return m;
}
Message::Message(Error error) : m_render([e = std::move(error)] { return tr_error(e); }) {}
std::string Message::render_word(Str id) {
    return tr(id);
}
std::string Message::render_word(const Error& error) {
    return tr_error(error);
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
    for (const StrTexts& e : kStrTexts) {
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
