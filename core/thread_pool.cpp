#include "core/thread_pool.hpp"

#include <algorithm>
#include <atomic>

namespace convscope {
namespace {

// True on a pool worker and on a caller while it runs its share: nested parallel_for calls run inline.
thread_local bool t_inside_pool = false;

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
        m_wake.wait(lock, [&] { return m_stop || m_generation != seen; });
        if (m_stop) return;
        seen = m_generation;
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
        m_active = participants - 1;
        ++m_generation;
    }
    m_wake.notify_all();
    t_inside_pool = true;
    run_share();
    t_inside_pool = false;
    std::unique_lock<std::mutex> lock(m_mutex);
    m_done.wait(lock, [&] { return m_active == 0; });
    m_fn = nullptr;
}

}  // namespace convscope
