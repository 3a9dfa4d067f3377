// The multiply-accumulate line of a trace as tokens: one function writes it for `convscope explain`, the
// image lab's "explain this pixel" (explain_lines joins the tokens) and the stepper (which colours them by
// role and writes the two labels, "channel n:" and "bias", in the UI's language).
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "core/engine/trace.hpp"

namespace convscope {

// What a token shows, so a view can colour it.
enum class MacRole {
    Text,       // brackets, operators, separators: "max(", " + ", ", ", ") / 4"
    Input,      // a term on an input cell: "(1×1)" (conv: x × the kernel's w), "3" (pool)
    Padding,    // a term on a padding cell: "(0×1)", "−∞"
    Output,     // a sum or the result: " = 8", the channel sums of the total line, " = 4 …" while running
    Channel,    // "channel 2: " before a channel's sum (`channel` holds the number)
    Bias,       // " + bias 1" in the total line (`number` holds "1" as the style writes it)
    Newline,    // the next line starts here
    Empty,      // "nothing lands here": no cell of a channel reaches the element (conv_transpose)
    Truncated,  // " + … (trace truncated)": the trace stopped recording terms
};

// How numbers are written: Plain is the CLI's ASCII (`-1`, `-inf`, `5 + -3`); Board is the lecture's, with a
// true minus and brackets around negative factors (`(2×(−1))`, `−∞`, `5 − 3`).
enum class MacStyle { Plain, Board };

// Where a token stands relative to the playhead: its term is summed (or its value final), is the term being
// added now, or is still to come (a running sum, or a value the window has not reached yet).
enum class MacTime { Done, Current, Later };

struct MacToken {
    MacRole role = MacRole::Text;
    std::string text;
    int64_t term = -1;     // Input/Padding: the index in trace.terms; a conv separator: the term it precedes
    int64_t channel = -1;  // Channel: the input channel
    std::string number;    // Bias: the bias as the style writes it
    MacTime time = MacTime::Done;
    bool operator==(const MacToken&) const = default;
};

// The tokens of `trace` with terms 0..now summed (now == terms.size(): the window complete, as
// explain_lines shows it); a partial window ends its sums with the running value and " …". Lines are
// separated by Newline tokens (none after the last line).
std::vector<MacToken> explain_tokens(const Trace& trace, MacStyle style, int64_t now);
inline std::vector<MacToken> explain_tokens(const Trace& trace, MacStyle style = MacStyle::Plain) {
    return explain_tokens(trace, style, int64_t(trace.terms.size()));
}

// The tokens' text, one string per line; `text_of`, when given, writes each token instead of its English
// `text` (the UI's translated words).
std::vector<std::string> join_lines(const std::vector<MacToken>& tokens,
                                    const std::function<std::string(const MacToken&)>& text_of = {});

}  // namespace convscope
