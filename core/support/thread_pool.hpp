// A persistent pool of worker threads for data-parallel loops. Threads are made once (at first use) and sleep
// between calls, so a call costs a wake-up, never a thread creation. The caller works too. After a job,
// workers (and a caller waiting for them) spin for a few tens of microseconds before they sleep, so
// back-to-back calls (a network's layers, a benchmark) skip the futex wake-up, which costs as much as a small
// layer.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace convscope {

class ThreadPool {
public:
    // A pool of `threads` participants in all: the caller plus threads − 1 workers (at least 1).
    explicit ThreadPool(int threads);
    ~ThreadPool();
    ThreadPool(const ThreadPool&) = delete;
    ThreadPool& operator=(const ThreadPool&) = delete;

    // The process-wide pool, one participant per hardware thread.
    static ThreadPool& global();

    // Number of participants (workers + the caller).
    int size() const { return int(m_workers.size()) + 1; }

    // Runs fn(i) for every i in [0, count) and returns when all are done, using at most `max_threads`
    // participants (0: all). Each index runs exactly once; which thread runs it is unspecified, so fn must
    // make each index's result independent of the others. A call from inside fn, or while another thread's
    // call is running, runs inline on the caller (no deadlock, same results). fn must not throw.
    void parallel_for(int64_t count, const std::function<void(int64_t)>& fn, int max_threads = 0);

private:
    void worker_loop(int index);
    void run_share();

    std::vector<std::thread> m_workers;
    std::mutex m_dispatch;  // one parallel_for at a time; others run inline
    std::mutex m_mutex;
    std::condition_variable m_wake;
    std::condition_variable m_done;
    std::atomic<uint64_t> m_generation{0};  // written under m_mutex; also read by spinning workers
    bool m_stop = false;
    // The running job (guarded by m_mutex while published; read by participants).
    const std::function<void(int64_t)>* m_fn = nullptr;
    int64_t m_count = 0;
    int m_job_workers = 0;         // workers (index < m_job_workers) that join this job
    std::atomic<int> m_active{0};  // workers still running this job (decremented under m_mutex)
    alignas(64) std::atomic<int64_t> m_next{0};
};

}  // namespace convscope
