// Undo and redo over snapshots of a model's state: a view commits the state once an edit has settled (a drag
// ends, a field loses focus), so one undo step is one edit as the user sees it. Bounded: the oldest
// snapshots go first.
//
//   UndoStack<StepperProblem> undo;   undo.commit(problem);              // after each settled edit
//   if (auto p = undo.undo()) problem = *p;   if (auto p = undo.redo()) problem = *p;
#pragma once

#include <cstddef>
#include <deque>
#include <optional>
#include <vector>

namespace convscope {

template <class State>
class UndoStack {
public:
    explicit UndoStack(size_t limit = 200) : m_limit(limit < 1 ? 1 : limit) {}

    // Starts afresh from `state` (a file opened, a preset chosen is an edit: commit it instead).
    void reset(State state) {
        m_past.clear();
        m_future.clear();
        m_now = std::move(state);
    }
    // Records `state` as the result of one edit (nothing when it equals the current one); clears redo.
    void commit(State state) {
        if (m_now && *m_now == state) return;
        if (m_now) m_past.push_back(std::move(*m_now));
        if (m_past.size() > m_limit) m_past.pop_front();
        m_now = std::move(state);
        m_future.clear();
    }
    bool can_undo() const { return !m_past.empty(); }
    bool can_redo() const { return !m_future.empty(); }
    // The state before the last edit (and it becomes current), or nullopt.
    std::optional<State> undo() {
        if (m_past.empty()) return std::nullopt;
        m_future.push_back(std::move(*m_now));
        m_now = std::move(m_past.back());
        m_past.pop_back();
        return m_now;
    }
    // The state an undo went back from, or nullopt.
    std::optional<State> redo() {
        if (m_future.empty()) return std::nullopt;
        m_past.push_back(std::move(*m_now));
        m_now = std::move(m_future.back());
        m_future.pop_back();
        return m_now;
    }
    // The current (last committed) state.
    const std::optional<State>& current() const { return m_now; }

private:
    size_t m_limit;
    std::deque<State> m_past;
    std::vector<State> m_future;
    std::optional<State> m_now;
};

}  // namespace convscope
