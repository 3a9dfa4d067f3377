#include "core/engine/params.hpp"

#include <cctype>
#include <charconv>
#include <ostream>
#include <vector>

namespace convscope {
namespace {

std::string_view trim(std::string_view s) {
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
    return s;
}

Result<int64_t> parse_int(std::string_view s) {
    s = trim(s);
    int64_t v = 0;
    const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (s.empty() || ec != std::errc() || end != s.data() + s.size())
        return fail<ErrCode::not_whole_number>(s);
    return v;
}

}  // namespace

Result<Pair> parse_pair(std::string_view text) {
    std::string_view s = trim(text);
    if (s.size() >= 2 && s.front() == '(' && s.back() == ')') s = trim(s.substr(1, s.size() - 2));
    std::vector<std::string_view> parts;
    size_t start = 0;
    for (size_t i = 0; i <= s.size(); ++i) {
        if (i == s.size() || s[i] == ',' || s[i] == 'x' || s[i] == 'X') {
            parts.push_back(s.substr(start, i - start));
            start = i + 1;
        }
    }
    if (parts.size() == 2 && trim(parts[1]).empty()) parts.pop_back();  // "(3,)"
    if (parts.empty() || parts.size() > 2) return fail<ErrCode::not_n_or_hw>(text);
    auto h = parse_int(parts[0]);
    if (!h) return fail<ErrCode::not_n_or_hw>(text);
    if (parts.size() == 1) return Pair{*h};
    auto w = parse_int(parts[1]);
    if (!w) return fail<ErrCode::not_n_or_hw>(text);
    return Pair{*h, *w};
}

std::string to_string(Pair p) {
    return p.h == p.w ? std::to_string(p.h) : std::to_string(p.h) + "," + std::to_string(p.w);
}

Result<Padding> parse_padding(std::string_view text) {
    const std::string_view s = trim(text);
    if (s == "same" || s == "'same'" || s == "\"same\"") return Padding::same();
    if (s == "valid" || s == "'valid'" || s == "\"valid\"") return Padding::valid();
    auto p = parse_pair(s);
    if (!p) return fail<ErrCode::padding_not_valid>(text);
    return Padding(*p);
}

std::string to_string(const Padding& p) {
    switch (p.kind) {
        case PaddingKind::Same:
            return "same";
        case PaddingKind::Valid:
            return "valid";
        case PaddingKind::Explicit:
            break;
    }
    return to_string(p.amount);
}

Result<PaddingMode> parse_padding_mode(std::string_view text) {
    const std::string_view s = trim(text);
    if (s == "zeros") return PaddingMode::Zeros;
    if (s == "reflect") return PaddingMode::Reflect;
    if (s == "replicate") return PaddingMode::Replicate;
    if (s == "circular") return PaddingMode::Circular;
    return fail<ErrCode::padding_mode_unknown>(text);
}

std::string_view to_string(PaddingMode m) {
    switch (m) {
        case PaddingMode::Zeros:
            return "zeros";
        case PaddingMode::Reflect:
            return "reflect";
        case PaddingMode::Replicate:
            return "replicate";
        case PaddingMode::Circular:
            return "circular";
    }
    return "zeros";
}

std::string_view to_string(Op op) {
    switch (op) {
        case Op::Conv:
            return "conv";
        case Op::MaxPool:
            return "max";
        case Op::AvgPool:
            return "avg";
        case Op::ConvTranspose:
            return "conv_transpose";
    }
    return "conv";
}

std::ostream& operator<<(std::ostream& os, const Pair& p) {
    return os << "(" << p.h << ", " << p.w << ")";
}

std::ostream& operator<<(std::ostream& os, const Conv2dParams& p) {
    return os << "Conv2dParams{stride=" << p.stride << ", padding=" << to_string(p.padding)
              << ", dilation=" << p.dilation << ", groups=" << p.groups
              << ", padding_mode=" << to_string(p.padding_mode) << (p.flip ? ", flip" : "") << "}";
}

std::ostream& operator<<(std::ostream& os, const ConvTranspose2dParams& p) {
    return os << "ConvTranspose2dParams{stride=" << p.stride << ", padding=" << p.padding
              << ", output_padding=" << p.output_padding << ", dilation=" << p.dilation
              << ", groups=" << p.groups << "}";
}

std::ostream& operator<<(std::ostream& os, const Pool2dParams& p) {
    return os << "Pool2dParams{" << to_string(p.op) << ", kernel=" << p.kernel
              << ", stride=" << p.effective_stride() << ", padding=" << p.padding
              << ", dilation=" << p.dilation << ", ceil_mode=" << p.ceil_mode
              << ", count_include_pad=" << p.count_include_pad << "}";
}

}  // namespace convscope
