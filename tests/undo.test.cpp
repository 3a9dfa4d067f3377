// UndoStack (core/support/undo.hpp) over the stepper's problem: edits undo and redo in order, a new edit
// clears redo, equal commits are no steps, the stack is bounded.
#include <catch2/catch.hpp>

#include "core/stepper/stepper.hpp"
#include "core/support/undo.hpp"

using namespace convscope;

namespace {

bool same(const StepperProblem& a, const StepperProblem& b) {
    return a.input.shape == b.input.shape && a.input.data == b.input.data && a.operation == b.operation;
}

struct Snap {
    StepperProblem p;
    bool operator==(const Snap& o) const { return same(p, o.p); }
};

}  // namespace

TEST_CASE("UndoStack: stepper edits undo and redo") {
    UndoStack<Snap> u;
    const StepperProblem lecture = lecture_example();
    u.reset({lecture});
    CHECK(!u.can_undo());
    StepperProblem edited = lecture;
    edited.input.data[0] = 9;  // a cell edited
    u.commit({edited});
    StepperProblem padded = edited;
    padded.weighted()->conv.padding = Padding(1);  // padding changed
    u.commit({padded});
    u.commit({padded});  // nothing changed: no step
    REQUIRE(u.can_undo());
    auto a = u.undo();
    REQUIRE(a);
    CHECK(same(a->p, edited));
    auto b = u.undo();
    REQUIRE(b);
    CHECK(same(b->p, lecture));
    CHECK(!u.undo());
    auto c = u.redo();
    REQUIRE(c);
    CHECK(same(c->p, edited));
    // A new edit after an undo drops what could be redone.
    StepperProblem strided = edited;
    strided.weighted()->conv.stride = Pair(2);
    u.commit({strided});
    CHECK(!u.can_redo());
    CHECK(same(u.undo()->p, edited));
    CHECK(same(u.redo()->p, strided));
}

TEST_CASE("UndoStack: bounded") {
    UndoStack<int> u(3);
    u.reset(0);
    for (int i = 1; i <= 10; ++i) u.commit(i);
    int steps = 0;
    while (u.undo()) ++steps;
    CHECK(steps == 3);
    CHECK(*u.current() == 7);
}
