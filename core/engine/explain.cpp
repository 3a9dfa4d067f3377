#include "core/engine/explain.hpp"

#include <algorithm>

namespace convscope {

namespace {

// The numbers of one style.
struct Numbers {
    MacStyle style;
    std::string num(double v) const {
        return style == MacStyle::Board ? format_number_typeset(v) : format_number(v);
    }
    std::string product(double x, double w) const {
        return style == MacStyle::Board ? format_product_typeset(x, w)
                                        : "(" + format_number(x) + "×" + format_number(w) + ")";
    }
    // A later addend of a sum: " + 3", and on the board " − 3" for −3.
    std::string addend(double v) const {
        return style == MacStyle::Board ? format_addend_typeset(v) : " + " + format_number(v);
    }
    // A number inside a sum: on the board a negative one is bracketed, "(−1)".
    std::string bracketed(double v) const {
        const std::string s = num(v);
        return style == MacStyle::Board && v < 0 ? "(" + s + ")" : s;
    }
};

MacTime time_of(int64_t i, int64_t now) {
    return i < now ? MacTime::Done : i == now ? MacTime::Current : MacTime::Later;
}

}  // namespace

std::vector<MacToken> explain_tokens(const Trace& t, MacStyle style, int64_t now) {
    const Numbers n{style};
    const int64_t count = int64_t(t.terms.size());
    now = std::clamp<int64_t>(now, 0, count);
    const bool complete = now == count;
    const MacTime final_time = complete ? MacTime::Done : MacTime::Later;
    std::vector<MacToken> v;
    const auto text = [&](std::string s, MacTime time = MacTime::Done, MacRole role = MacRole::Text) {
        MacToken k;
        k.role = role;
        k.text = std::move(s);
        k.time = time;
        v.push_back(std::move(k));
    };
    const auto term = [&](int64_t i, std::string s) {
        MacToken k;
        k.role = t.terms[size_t(i)].padding ? MacRole::Padding : MacRole::Input;
        k.text = std::move(s);
        k.term = i;
        k.time = time_of(i, now);
        v.push_back(std::move(k));
    };
    const std::string more = t.truncated ? " + … (trace truncated)" : "";
    switch (t.kind) {
        case Op::Conv:
        case Op::ConvTranspose: {
            const bool several = t.channels.size() > 1;
            int64_t i = 0;
            for (size_t ci = 0; ci < t.channels.size(); ++ci) {
                if (several) {
                    MacToken k;
                    k.role = MacRole::Channel;
                    k.text = "channel " + std::to_string(t.channels[ci]) + ": ";
                    k.channel = t.channels[ci];
                    v.push_back(std::move(k));
                }
                const int64_t begin = i;
                for (; i < count && t.terms[size_t(i)].c == t.channels[ci]; ++i) {
                    if (i > begin) {
                        text(" + ", i > now ? MacTime::Later : MacTime::Done);
                        v.back().term = i;
                    }
                    term(i, n.product(t.terms[size_t(i)].x, t.terms[size_t(i)].w));
                }
                const bool cut = t.truncated && i == count;
                // conv_transpose: no cell of this channel reaches the element.
                if (i == begin && !cut) text("nothing lands here", MacTime::Done, MacRole::Empty);
                if (cut) text(more, MacTime::Done, MacRole::Truncated);
                if (i <= now)
                    text(" = " + n.num(t.channel_sums[ci]), MacTime::Done, MacRole::Output);
                else if (now >= begin)  // the channel being summed: its running sum
                    text(" = " + n.num(t.terms[size_t(now)].acc) + " …", MacTime::Later, MacRole::Output);
                text("", MacTime::Done, MacRole::Newline);
            }
            if (several || t.has_bias) {
                for (size_t ci = 0; ci < t.channel_sums.size(); ++ci)
                    text(ci ? n.addend(t.channel_sums[ci]) : n.num(t.channel_sums[ci]), final_time,
                         MacRole::Output);
                if (t.has_bias) {
                    MacToken k;
                    k.role = MacRole::Bias;
                    k.number = n.bracketed(t.bias);
                    k.text = " + bias " + k.number;
                    k.time = final_time;
                    v.push_back(std::move(k));
                }
                text(" = " + n.num(t.result), final_time, MacRole::Output);
            }
            break;
        }
        case Op::MaxPool: {
            text("max(");
            for (int64_t i = 0; i < count; ++i) {
                if (i) text(", ");
                term(i, n.num(t.terms[size_t(i)].x));
            }
            if (!more.empty()) text(more, MacTime::Done, MacRole::Truncated);
            if (complete)
                text(") = " + n.num(t.result), MacTime::Done, MacRole::Output);
            else
                text(") …", MacTime::Later);
            break;
        }
        case Op::AvgPool: {
            // Padding zeros are shown only when the divisor counts them (count_include_pad).
            const bool show_padding = t.divisor == float(t.terms.size());
            text("(");
            bool first = true;
            for (int64_t i = 0; i < count; ++i) {
                if (t.terms[size_t(i)].padding && !show_padding) continue;
                if (!first) text(" + ");
                term(i, n.bracketed(t.terms[size_t(i)].x));
                first = false;
            }
            if (!more.empty()) text(more, MacTime::Done, MacRole::Truncated);
            text(") / " + n.num(t.divisor), final_time);
            if (complete)
                text(" = " + n.num(t.result), MacTime::Done, MacRole::Output);
            else
                text(" …", MacTime::Later);
            break;
        }
    }
    return v;
}

std::vector<std::string> join_lines(const std::vector<MacToken>& tokens,
                                    const std::function<std::string(const MacToken&)>& text_of) {
    std::vector<std::string> lines(1);
    for (const MacToken& k : tokens) {
        if (k.role == MacRole::Newline)
            lines.emplace_back();
        else
            lines.back() += text_of ? text_of(k) : k.text;
    }
    // A conv channel's line ends with its Newline: no empty line after the last one.
    if (lines.size() > 1 && lines.back().empty()) lines.pop_back();
    return lines;
}

}  // namespace convscope
