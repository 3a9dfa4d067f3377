// LatestWorker<R>: one background thread that runs only the newest job. A UI submits a job whenever its
// inputs change (every slider step); jobs submitted while one runs replace each other, so the thread never
// works on a stale request for longer than the job already under way. Results carry the generation they were
// submitted with, and take() hands out each finished result once, so the caller replaces what it shows as
// soon as a newer result is ready and can tell whether it is still behind (generation() > the shown one).
//
//   LatestWorker<Result<Tensor>> worker;
//   worker.submit([=] { return apply_filter(*input, spec, backend); });      // UI thread, on change
//   if (auto done = worker.take()) show(done->generation, done->value);     // UI thread, every frame
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <stop_token>
#include <thread>

namespace convscope {

template <class R>
class LatestWorker {
public:
    struct Done {
        uint64_t generation = 0;
        R value;
        double seconds = 0.0;  // how long the job ran
    };

    LatestWorker() : m_thread([this](std::stop_token stop) { loop(stop); }) {}
    LatestWorker(const LatestWorker&) = delete;
    LatestWorker& operator=(const LatestWorker&) = delete;
    // Stops the thread after the job under way (jobs not started are dropped).
    ~LatestWorker() {
        m_thread.request_stop();
        m_wake.notify_all();
    }

    // Queues `job`, replacing a queued job that has not started; returns its generation (1, 2, …).
    uint64_t submit(std::function<R()> job) {
        std::lock_guard lock(m_mutex);
        m_pending = std::move(job);
        m_pending_generation = ++m_generation;
        m_wake.notify_all();
        return m_generation;
    }

    // The newest finished result not yet taken, if it is newer than any taken before; older ones are dropped.
    std::optional<Done> take() {
        std::lock_guard lock(m_mutex);
        if (!m_done || m_done->generation <= m_taken) return std::nullopt;
        m_taken = m_done->generation;
        std::optional<Done> out = std::move(m_done);
        m_done.reset();
        return out;
    }

    // The generation of the newest submission (0 before any).
    uint64_t generation() const {
        std::lock_guard lock(m_mutex);
        return m_generation;
    }

    // True while a job runs or waits.
    bool busy() const {
        std::lock_guard lock(m_mutex);
        return m_running || m_pending;
    }

    // True when a finished result waits for take().
    bool ready() const {
        std::lock_guard lock(m_mutex);
        return m_done && m_done->generation > m_taken;
    }

    // Seconds since the job under way started (0 when idle).
    double running_seconds() const {
        std::lock_guard lock(m_mutex);
        if (!m_running) return 0.0;
        return std::chrono::duration<double>(std::chrono::steady_clock::now() - m_started).count();
    }

    // Blocks until no job runs or waits (tests and scripted runs).
    void wait_idle() const {
        std::unique_lock lock(m_mutex);
        m_idle.wait(lock, [&] { return !m_running && !m_pending; });
    }

private:
    void loop(std::stop_token stop) {
        while (true) {
            std::function<R()> job;
            uint64_t generation = 0;
            {
                std::unique_lock lock(m_mutex);
                m_wake.wait(lock, stop, [&] { return bool(m_pending); });
                if (stop.stop_requested()) return;
                job = std::move(m_pending);
                m_pending = nullptr;
                generation = m_pending_generation;
                m_running = true;
                m_started = std::chrono::steady_clock::now();
            }
            R value = job();
            std::lock_guard lock(m_mutex);
            const double seconds =
                std::chrono::duration<double>(std::chrono::steady_clock::now() - m_started).count();
            if (!m_done || m_done->generation < generation)
                m_done = Done{generation, std::move(value), seconds};
            m_running = false;
            if (!m_pending) m_idle.notify_all();
        }
    }

    mutable std::mutex m_mutex;
    std::condition_variable_any m_wake;
    mutable std::condition_variable_any m_idle;
    std::function<R()> m_pending;
    uint64_t m_pending_generation = 0;
    uint64_t m_generation = 0;
    uint64_t m_taken = 0;
    bool m_running = false;
    std::chrono::steady_clock::time_point m_started;
    std::optional<Done> m_done;
    std::jthread m_thread;  // last: it starts after every member above exists and stops before they go
};

}  // namespace convscope
