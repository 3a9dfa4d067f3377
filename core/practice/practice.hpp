// The output-size practice as a model: the lecture's five exercises, a student's answer checked with a hint
// that names what is off (H and W swapped, the +1, the floor, 2p, the stride), retries, a reveal only on
// request, and a score after the five. No UI here; app/ui/size/size_view.cpp draws it.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "core/engine/params.hpp"

namespace convscope {

// One exercise: input H×W, a square kernel, stride and padding (as the lecture writes them).
struct SizeExercise {
    int64_t h = 0, w = 0, k = 0, s = 1, p = 0;
    // ⌊(in − k + 2p) / s⌋ + 1 on each axis.
    Pair answer() const;
};

// The lecture's five: 227 k11 s4 p0 → 55 · 64 k7 s2 p0 → 29 · 32 k5 s1 p2 → 32 · 32×64 k5 s1 p0 → 28×60 ·
// 64×32 k3 s1 p1 → 64×32.
const std::vector<SizeExercise>& lecture_size_exercises();

// What a wrong answer most likely got wrong, checked in this order.
enum class SizeHint {
    Correct,
    Swapped,  // H and W swapped
    PlusOne,  // forgot the +1
    Floor,    // rounded up (or kept the fraction) instead of the floor
    TwoP,     // added p (or nothing) instead of 2p
    Stride,   // did not divide by the stride
    NotYet,   // wrong, no recognizable slip
};

// Checks `answer` (H, W) against exercise `e`.
SizeHint check_size_answer(const SizeExercise& e, Pair answer);

// The practice over a list of exercises: answer, retry, reveal, next; a score after the last.
class SizePractice {
public:
    explicit SizePractice(std::vector<SizeExercise> exercises = lecture_size_exercises());

    int count() const { return int(m_ex.size()); }
    int index() const { return m_index; }
    const SizeExercise& current() const { return m_ex[size_t(m_index)]; }
    // Checks an answer to the current exercise; a wrong one may be retried. Answers after the exercise is
    // solved or revealed do not change the score.
    SizeHint answer(Pair a);
    // The last hint given for the current exercise (Correct once solved).
    SizeHint last_hint() const { return m_hint; }
    int tries() const { return m_tries; }
    bool solved() const { return m_solved; }
    // Shows the answer (only when asked); a revealed exercise does not score.
    void reveal() { m_revealed = true; }
    bool revealed() const { return m_revealed; }
    // Goes to the next exercise (after the last: finished()); jump() goes to any one and starts it afresh.
    void next();
    void jump(int index);
    bool finished() const { return m_finished; }
    // Exercises solved without a reveal, and those solved at the first try.
    int score() const;
    int first_try() const;

private:
    void start();
    std::vector<SizeExercise> m_ex;
    std::vector<int> m_result;  // per exercise: 0 not solved, 1 solved after retries, 2 at the first try
    int m_index = 0;
    int m_tries = 0;
    SizeHint m_hint = SizeHint::NotYet;
    bool m_solved = false, m_revealed = false, m_finished = false, m_answered = false;
};

}  // namespace convscope
