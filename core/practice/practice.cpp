#include "core/practice/practice.hpp"

#include <algorithm>

namespace convscope {
namespace {

// Floor division for the sizes here (numerators may be negative for absurd answers' what-ifs).
int64_t floor_div(int64_t a, int64_t b) {
    return a / b - ((a % b != 0) && ((a < 0) != (b < 0)) ? 1 : 0);
}
int64_t ceil_div(int64_t a, int64_t b) {
    return -floor_div(-a, b);
}

// Which slips give `got` on an axis of size `in`.
bool plus_one_slip(int64_t in, int64_t k, int64_t s, int64_t p, int64_t got) {
    return got == floor_div(in - k + 2 * p, s);
}
bool floor_slip(int64_t in, int64_t k, int64_t s, int64_t p, int64_t got) {
    const int64_t n = in - k + 2 * p;
    return n % s != 0 && got == ceil_div(n, s) + 1;
}
bool two_p_slip(int64_t in, int64_t k, int64_t s, int64_t p, int64_t got) {
    return p > 0 && (got == floor_div(in - k + p, s) + 1 || got == floor_div(in - k, s) + 1);
}
bool stride_slip(int64_t in, int64_t k, int64_t s, int64_t p, int64_t got) {
    return s > 1 && got == in - k + 2 * p + 1;
}

}  // namespace

Pair SizeExercise::answer() const {
    return {floor_div(h - k + 2 * p, s) + 1, floor_div(w - k + 2 * p, s) + 1};
}

const std::vector<SizeExercise>& lecture_size_exercises() {
    static const std::vector<SizeExercise> v = {
        {227, 227, 11, 4, 0}, {64, 64, 7, 2, 0}, {32, 32, 5, 1, 2}, {32, 64, 5, 1, 0}, {64, 32, 3, 1, 1}};
    return v;
}

SizeHint check_size_answer(const SizeExercise& e, Pair a) {
    const Pair right = e.answer();
    if (a == right) return SizeHint::Correct;
    if (right.h != right.w && a.h == right.w && a.w == right.h) return SizeHint::Swapped;
    // A slip counts when every wrong axis shows it (the right axes are fine).
    const auto every = [&](auto slip) {
        const bool h_ok = a.h == right.h || slip(e.h, e.k, e.s, e.p, a.h);
        const bool w_ok = a.w == right.w || slip(e.w, e.k, e.s, e.p, a.w);
        return h_ok && w_ok;
    };
    if (every(plus_one_slip)) return SizeHint::PlusOne;
    if (every(stride_slip)) return SizeHint::Stride;
    if (every(two_p_slip)) return SizeHint::TwoP;
    if (every(floor_slip)) return SizeHint::Floor;
    return SizeHint::NotYet;
}

SizePractice::SizePractice(std::vector<SizeExercise> exercises) : m_ex(std::move(exercises)) {
    if (m_ex.empty()) m_ex = lecture_size_exercises();
    m_result.assign(m_ex.size(), 0);
    start();
}

void SizePractice::start() {
    m_tries = 0;
    m_hint = SizeHint::NotYet;
    m_solved = m_revealed = m_answered = false;
}

SizeHint SizePractice::answer(Pair a) {
    if (m_finished) return m_hint;
    const SizeHint h = check_size_answer(current(), a);
    if (m_solved || m_revealed) return h;  // practice after the fact: no score change
    ++m_tries;
    m_hint = h;
    m_answered = true;
    if (h == SizeHint::Correct) {
        m_solved = true;
        int& r = m_result[size_t(m_index)];
        r = std::max(r, m_tries == 1 ? 2 : 1);
    }
    return h;
}

void SizePractice::next() {
    if (m_index + 1 >= count()) {
        m_finished = true;
        return;
    }
    ++m_index;
    start();
}

void SizePractice::jump(int index) {
    m_index = std::clamp(index, 0, count() - 1);
    m_finished = false;
    start();
}

int SizePractice::score() const {
    return int(std::count_if(m_result.begin(), m_result.end(), [](int r) { return r > 0; }));
}

int SizePractice::first_try() const {
    return int(std::count(m_result.begin(), m_result.end(), 2));
}

}  // namespace convscope
