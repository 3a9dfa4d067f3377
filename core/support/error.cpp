// Rendering structured errors (core/support/result.hpp) through fmt, in English or Korean.
#include <fmt/args.h>
#include <fmt/format.h>

#include "core/support/result.hpp"

namespace convscope {

namespace {
constexpr std::string_view kNames[] = {
#define CONVSCOPE_ERROR_NAME(id, en, ko) #id,
    CONVSCOPE_ERRORS(CONVSCOPE_ERROR_NAME)
#undef CONVSCOPE_ERROR_NAME
};
}  // namespace

std::string_view error_code_name(ErrCode code) {
    const auto i = std::size_t(code);
    return i < std::size(kNames) ? kNames[i] : std::string_view("?");
}

std::string_view error_text(ErrCode code, ErrorLang lang) {
    const auto i = std::size_t(code);
    if (i >= std::size(kErrorTexts)) return "{}";
    return lang == ErrorLang::Ko ? kErrorTexts[i].ko : kErrorTexts[i].en;
}

std::string render_error(const Error& e, ErrorLang lang) {
    fmt::dynamic_format_arg_store<fmt::format_context> store;
    const std::size_t arity = error_arity(e.code);
    for (std::size_t i = 0; i < arity; ++i) {
        if (i >= e.args.size()) {
            store.push_back(std::string());
        } else if (const auto* s = std::get_if<std::string>(&e.args[i])) {
            store.push_back(*s);
        } else {
            const auto& inner = std::get<std::shared_ptr<const Error>>(e.args[i]);
            store.push_back(inner ? render_error(*inner, lang) : std::string());
        }
    }
    try {
        return fmt::vformat(fmt::string_view(error_text(e.code, lang)), store);
    } catch (const fmt::format_error&) {
        // Unreachable for the catalogue (its placeholders are checked at compile time); never throw across
        // core.
        return std::string(error_text(e.code, ErrorLang::En));
    }
}

Error fail_code(ErrCode code, std::vector<ErrorArg> args) {
    Error e{code, std::move(args), {}};
    e.message = render_error(e, ErrorLang::En);
    return e;
}

}  // namespace convscope
