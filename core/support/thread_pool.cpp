#include "core/support/thread_pool.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>

namespace convscope {
namespace {

// True on a pool worker and on a caller while it runs its share: nested parallel_for calls run inline.
thread_local bool t_inside_pool = false;

// How long a thread polls before it blocks: long enough to bridge the gap between back-to-back calls, short
// enough that an idle pool costs nothing measurable (it sleeps after this, until the next call).
constexpr auto kSpin = std::chrono::microseconds(50);

inline void cpu_relax() {
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#elif defined(__aarch64__)
    asm volatile("yield");
#endif
}

// Polls `done` for up to kSpin; true when it became true.
template <class Pred>
bool spin_until(Pred done) {
    const auto until = std::chrono::steady_clock::now() + kSpin;
    for (int i = 0;; ++i) {
        if (done()) return true;
        cpu_relax();
        if ((i & 63) == 63 && std::chrono::steady_clock::now() > until) return false;
    }
}

}  // namespace

ThreadPool::ThreadPool(int threads) {
    const int workers = std::max(threads, 1) - 1;
    m_workers.reserve(size_t(workers));
    for (int i = 0; i < workers; ++i) m_workers.emplace_back([this, i] { worker_loop(i); });
}

ThreadPool::~ThreadPool() {
    {
        std::lock_guard<std::mutex> lock(m_mutex);
        m_stop = true;
    }
    m_wake.notify_all();
    for (auto& t : m_workers) t.join();
}

ThreadPool& ThreadPool::global() {
    static ThreadPool pool(int(std::max(1u, std::thread::hardware_concurrency())));
    return pool;
}

void ThreadPool::run_share() {
    for (;;) {
        const int64_t i = m_next.fetch_add(1, std::memory_order_relaxed);
        if (i >= m_count) break;
        (*m_fn)(i);
    }
}

void ThreadPool::worker_loop(int index) {
    t_inside_pool = true;
    uint64_t seen = 0;
    std::unique_lock<std::mutex> lock(m_mutex);
    for (;;) {
        if (!m_stop && m_generation.load(std::memory_order_relaxed) == seen) {
            lock.unlock();
            spin_until([&] { return m_generation.load(std::memory_order_relaxed) != seen; });
            lock.lock();  // the job's fields are read under the lock, as when woken
        }
        m_wake.wait(lock, [&] { return m_stop || m_generation.load(std::memory_order_relaxed) != seen; });
        if (m_stop) return;
        seen = m_generation.load(std::memory_order_relaxed);
        if (index >= m_job_workers) continue;
        lock.unlock();
        run_share();
        lock.lock();
        if (--m_active == 0) m_done.notify_one();
    }
}

void ThreadPool::parallel_for(int64_t count, const std::function<void(int64_t)>& fn, int max_threads) {
    if (count <= 0) return;
    int participants = max_threads > 0 ? std::min(max_threads, size()) : size();
    participants = int(std::min<int64_t>(participants, count));
    std::unique_lock<std::mutex> dispatch(m_dispatch, std::defer_lock);
    if (participants <= 1 || t_inside_pool || !dispatch.try_lock()) {
        for (int64_t i = 0; i < count; ++i) fn(i);
        return;
    }
    {
        std::lock_guard<std::mutex> lock(m_mutex);
        m_fn = &fn;
        m_count = count;
        m_next.store(0, std::memory_order_relaxed);
        m_job_workers = participants - 1;
        m_active.store(participants - 1, std::memory_order_relaxed);
        m_generation.fetch_add(1, std::memory_order_relaxed);
    }
    m_wake.notify_all();
    t_inside_pool = true;
    run_share();
    t_inside_pool = false;
    spin_until([&] { return m_active.load(std::memory_order_acquire) == 0; });
    std::unique_lock<std::mutex> lock(m_mutex);
    m_done.wait(lock, [&] { return m_active.load(std::memory_order_relaxed) == 0; });
    m_fn = nullptr;
}

}  // namespace convscope
