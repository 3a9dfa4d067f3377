// strip_runs (rows.hpp).
#include "core/engine/simd/rows.hpp"

namespace convscope::simd {

std::vector<StripRun> strip_runs(const std::vector<int32_t>& map) {
    std::vector<StripRun> runs;
    for (int32_t i = 0; i < int32_t(map.size()); ++i) {
        StripRun* last = runs.empty() ? nullptr : &runs.back();
        const bool fill = map[size_t(i)] < 0;
        if (last && last->dst + last->len == i) {
            if (fill && last->src < 0) {
                ++last->len;
                continue;
            }
            if (!fill && last->src >= 0) {
                const int32_t next = last->src + last->len * last->step;
                if (last->len == 1) last->step = map[size_t(i)] - last->src;
                if (last->len == 1 || next == map[size_t(i)]) {
                    ++last->len;
                    continue;
                }
            }
        }
        runs.push_back(StripRun{i, 1, fill ? -1 : map[size_t(i)], 1});
    }
    return runs;
}

}  // namespace convscope::simd
