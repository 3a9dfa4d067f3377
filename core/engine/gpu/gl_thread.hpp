// One thread that owns a GL context; work from any thread is marshalled to it and waited for. A GL context is
// current on one thread at a time, so funnelling every GL call through this thread makes the backend callable
// from anywhere (the command line's main thread, tests, the app's worker thread).
#pragma once

#include <condition_variable>
#include <deque>
#include <functional>
#include <future>
#include <memory>
#include <mutex>
#include <thread>
#include <type_traits>

namespace convscope::gpu {

class GlThread {
public:
    GlThread() : m_thread([this] { loop(); }) {}

    // Runs the work still queued, then joins.
    ~GlThread() {
        {
            std::lock_guard lock(m_mutex);
            m_stop = true;
        }
        m_wake.notify_one();
        m_thread.join();
    }

    GlThread(const GlThread&) = delete;
    GlThread& operator=(const GlThread&) = delete;

    // Runs `f` on the GL thread and returns its result; runs it directly when called from the GL thread
    // itself.
    template <class F>
    std::invoke_result_t<F> run(F&& f) {
        using R = std::invoke_result_t<F>;
        if (std::this_thread::get_id() == m_thread.get_id()) return f();
        auto task = std::make_shared<std::packaged_task<R()>>(std::forward<F>(f));
        std::future<R> done = task->get_future();
        {
            std::lock_guard lock(m_mutex);
            m_queue.emplace_back([task] { (*task)(); });
        }
        m_wake.notify_one();
        return done.get();
    }

private:
    void loop() {
        for (;;) {
            std::function<void()> job;
            {
                std::unique_lock lock(m_mutex);
                m_wake.wait(lock, [this] { return m_stop || !m_queue.empty(); });
                if (m_queue.empty()) return;  // stopping and drained
                job = std::move(m_queue.front());
                m_queue.pop_front();
            }
            job();
        }
    }

    std::mutex m_mutex;
    std::condition_variable m_wake;
    std::deque<std::function<void()>> m_queue;
    bool m_stop = false;
    std::thread m_thread;  // last: starts after the members it uses exist
};

}  // namespace convscope::gpu
