#include "core/engine/trace.hpp"

#include "core/engine/explain.hpp"

#include <cmath>
#include <cstdio>
#include <limits>

namespace convscope {

float replay(const Trace& t) {
    switch (t.kind) {
        case Op::Conv: {
            // Same arithmetic as ref::conv2d_element: per-channel sums, their total, then the bias.
            float total = 0.0f, sum = 0.0f;
            for (size_t i = 0; i < t.terms.size(); ++i) {
                sum += t.terms[i].x * t.terms[i].w;
                if (i + 1 == t.terms.size() || t.terms[i + 1].c != t.terms[i].c) {
                    total += sum;
                    sum = 0.0f;
                }
            }
            return t.has_bias ? total + t.bias : total;
        }
        case Op::ConvTranspose: {
            // Same arithmetic as ref::conv_transpose2d_element: one sum per channel (0 when no input cell
            // lands on the element), their total, then the bias.
            float total = 0.0f;
            size_t i = 0;
            for (int64_t c : t.channels) {
                float sum = 0.0f;
                for (; i < t.terms.size() && t.terms[i].c == c; ++i) sum += t.terms[i].x * t.terms[i].w;
                total += sum;
            }
            return t.has_bias ? total + t.bias : total;
        }
        case Op::MaxPool:
            return t.argmax >= 0 ? t.terms[size_t(t.argmax)].x : -std::numeric_limits<float>::infinity();
        case Op::AvgPool: {
            float sum = 0.0f;
            bool any = false;
            for (const TraceTerm& term : t.terms)
                if (!term.padding) {
                    sum += term.x;
                    any = true;
                }
            return any ? sum / t.divisor : 0.0f;
        }
    }
    return 0.0f;
}

std::string format_number(double v) {
    if (std::isnan(v)) return "nan";
    if (std::isinf(v)) return v > 0 ? "inf" : "-inf";
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.4f", v);
    std::string s = buf;
    while (!s.empty() && s.back() == '0') s.pop_back();
    if (!s.empty() && s.back() == '.') s.pop_back();
    if (s == "-0") s = "0";
    return s;
}

std::string format_number_typeset(double v) {
    std::string s = format_number(v);
    if (!s.empty() && s[0] == '-') s.replace(0, 1, "−");
    if (s == "inf" || s == "−inf") s.replace(s.size() - 3, 3, "∞");
    return s;
}

std::string format_product_typeset(double x, double w) {
    const auto factor = [](double v) {
        const std::string s = format_number_typeset(v);
        return s.starts_with("−") ? "(" + s + ")" : s;
    };
    return "(" + factor(x) + "×" + factor(w) + ")";
}

std::string format_addend_typeset(double v) {
    const std::string s = format_number_typeset(v);
    return s.starts_with("−") ? " − " + s.substr(std::string("−").size()) : " + " + s;
}

std::vector<std::string> explain_lines(const Trace& t) {
    return join_lines(explain_tokens(t, MacStyle::Plain));
}

}  // namespace convscope
