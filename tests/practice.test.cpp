// The output-size practice (core/practice/practice.hpp): the lecture's five answers, the hints that name the slip,
// retries, reveal on request and the score after the five.
#include <catch2/catch.hpp>

#include "core/practice/practice.hpp"
#include "core/stepper/stepper.hpp"

using namespace convscope;

namespace {

const SizeExercise& ex(int i) {
    return lecture_size_exercises()[size_t(i)];
}

}  // namespace

TEST_CASE("lecture_size_exercises: the lecture's answers") {
    REQUIRE(lecture_size_exercises().size() == 5);
    CHECK(ex(0).answer() == Pair(55));
    CHECK(ex(1).answer() == Pair(29));
    CHECK(ex(2).answer() == Pair(32));
    CHECK(ex(3).answer() == Pair(28, 60));
    CHECK(ex(4).answer() == Pair(64, 32));
}

TEST_CASE("check_size_answer: the hint names what is off") {
    CHECK(check_size_answer(ex(0), Pair(55)) == SizeHint::Correct);
    SECTION("H and W swapped") {
        CHECK(check_size_answer(ex(3), Pair(60, 28)) == SizeHint::Swapped);
        CHECK(check_size_answer(ex(4), Pair(32, 64)) == SizeHint::Swapped);
    }
    SECTION("the +1") {
        CHECK(check_size_answer(ex(0), Pair(54)) == SizeHint::PlusOne);
        CHECK(check_size_answer(ex(1), Pair(28)) == SizeHint::PlusOne);
        CHECK(check_size_answer(ex(3), Pair(27, 59)) == SizeHint::PlusOne);
        CHECK(check_size_answer(ex(3), Pair(28, 59)) == SizeHint::PlusOne);  // one axis right, one slipped
    }
    SECTION("the floor: 28.5 + 1 is 29, not 30") {
        CHECK(check_size_answer(ex(1), Pair(30)) == SizeHint::Floor);
        // 216 / 4 is exact: nothing to floor, so 56 is no floor slip.
        CHECK(check_size_answer(ex(0), Pair(56)) == SizeHint::NotYet);
    }
    SECTION("2p") {
        CHECK(check_size_answer(ex(2), Pair(30)) == SizeHint::TwoP);  // + p
        CHECK(check_size_answer(ex(2), Pair(28)) == SizeHint::TwoP);  // no padding
        CHECK(check_size_answer(ex(4), Pair(62, 30)) == SizeHint::TwoP);
        CHECK(check_size_answer(ex(0), Pair(217)) != SizeHint::TwoP);  // no padding to forget
    }
    SECTION("the stride") {
        CHECK(check_size_answer(ex(0), Pair(217)) == SizeHint::Stride);
        CHECK(check_size_answer(ex(1), Pair(58)) == SizeHint::Stride);
        CHECK(check_size_answer(ex(2), Pair(28)) != SizeHint::Stride);  // stride 1: nothing to divide
    }
    SECTION("no recognizable slip") {
        CHECK(check_size_answer(ex(0), Pair(3)) == SizeHint::NotYet);
        CHECK(check_size_answer(ex(3), Pair(28, 28)) == SizeHint::NotYet);
    }
}

TEST_CASE("SizePractice: retry, reveal on request, score after the five") {
    SizePractice p;
    REQUIRE(p.count() == 5);
    // 1: wrong (the +1), then right: solved after a retry, nothing revealed.
    CHECK(p.answer(Pair(54)) == SizeHint::PlusOne);
    CHECK(!p.solved());
    CHECK(!p.revealed());
    CHECK(p.tries() == 1);
    CHECK(p.answer(Pair(55)) == SizeHint::Correct);
    CHECK(p.solved());
    CHECK(p.tries() == 2);
    p.next();
    // 2: right at the first try.
    CHECK(p.index() == 1);
    CHECK(p.answer(Pair(29)) == SizeHint::Correct);
    p.next();
    // 3: revealed, then answered: does not score.
    CHECK(p.answer(Pair(30)) == SizeHint::TwoP);
    p.reveal();
    CHECK(p.revealed());
    CHECK(p.answer(Pair(32)) == SizeHint::Correct);
    p.next();
    // 4 and 5: first tries.
    CHECK(p.answer(Pair(28, 60)) == SizeHint::Correct);
    p.next();
    CHECK(!p.finished());
    CHECK(p.answer(Pair(64, 32)) == SizeHint::Correct);
    p.next();
    CHECK(p.finished());
    CHECK(p.score() == 4);
    CHECK(p.first_try() == 3);
    // Starting again from the first keeps the score it earned.
    p.jump(0);
    CHECK(!p.finished());
    CHECK(p.tries() == 0);
    CHECK(p.score() == 4);
}

TEST_CASE("SizePractice: an unreadable answer is the parser's, not a try") {
    // "abc" never reaches the model: parse_size_answer refuses it, so the view says "not a size" and the
    // answer is neither revealed nor counted.
    CHECK(!parse_size_answer("abc"));
    SizePractice p;
    CHECK(p.tries() == 0);
    CHECK(!p.revealed());
}
