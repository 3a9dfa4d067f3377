// The persistent thread pool: every index runs exactly once, nested and limited calls work, threads persist.
#include <catch2/catch.hpp>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <set>
#include <thread>
#include <vector>

#include "core/support/thread_pool.hpp"

using convscope::ThreadPool;

TEST_CASE("ThreadPool::parallel_for runs every index exactly once") {
    ThreadPool pool(4);
    CHECK(pool.size() == 4);
    for (int64_t count : {0, 1, 3, 4, 5, 1000}) {
        std::vector<std::atomic<int>> hits(static_cast<size_t>(count));
        pool.parallel_for(count, [&](int64_t i) { hits[size_t(i)].fetch_add(1); });
        for (int64_t i = 0; i < count; ++i) {
            INFO("count " << count << ", index " << i);
            CHECK(hits[size_t(i)].load() == 1);
        }
    }
}

TEST_CASE(
    "ThreadPool::parallel_for uses persistent workers, honours max_threads, and runs nested calls inline") {
    ThreadPool pool(3);
    std::mutex m;
    std::condition_variable all_in;
    // The first call holds each index until all three participants have taken one, so every worker is
    // known by its id however late it wakes (a worker that slept through the first call would otherwise show
    // up in the second as a "new" thread). Bounded: a participant that never comes fails the check below.
    std::set<std::thread::id> first;
    pool.parallel_for(60, [&](int64_t) {
        std::unique_lock<std::mutex> lock(m);
        first.insert(std::this_thread::get_id());
        all_in.notify_all();
        all_in.wait_for(lock, std::chrono::seconds(10), [&] { return first.size() >= 3; });
    });
    REQUIRE(first.size() == 3);  // the caller and both workers
    CHECK(first.count(std::this_thread::get_id()) == 1);

    std::set<std::thread::id> second;
    pool.parallel_for(60, [&](int64_t) {
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
        std::lock_guard<std::mutex> lock(m);
        second.insert(std::this_thread::get_id());
    });
    for (auto id : second) CHECK(first.count(id) == 1);  // the same threads: none made anew

    std::set<std::thread::id> limited;
    pool.parallel_for(
        30,
        [&](int64_t) {
            std::lock_guard<std::mutex> lock(m);
            limited.insert(std::this_thread::get_id());
        },
        1);
    CHECK(limited == std::set<std::thread::id>{std::this_thread::get_id()});

    std::atomic<int> inner{0};
    pool.parallel_for(8, [&](int64_t) { pool.parallel_for(5, [&](int64_t) { inner.fetch_add(1); }); });
    CHECK(inner.load() == 40);
}

TEST_CASE(
    "ThreadPool::parallel_for back to back (workers still spinning) and after a pause (workers asleep)") {
    // Workers poll for a new job for a few tens of microseconds after each one, then sleep on the condition
    // variable: both ways into a job must hand out every index exactly once, with or without a limit.
    ThreadPool pool(3);
    for (int round = 0; round < 400; ++round) {
        const int64_t count = 1 + round % 37;
        std::vector<std::atomic<int>> hits(static_cast<size_t>(count));
        if (round % 50 == 49) std::this_thread::sleep_for(std::chrono::milliseconds(2));  // past the spin
        pool.parallel_for(
            count, [&](int64_t i) { hits[size_t(i)].fetch_add(1); }, round % 3);
        int64_t wrong = 0;
        for (auto& h : hits) wrong += h.load() != 1;
        INFO("round " << round << ", count " << count << ", max_threads " << round % 3);
        REQUIRE(wrong == 0);
    }
    // The results of every worker are visible to the caller when parallel_for returns.
    std::vector<int64_t> out(10000, -1);
    pool.parallel_for(int64_t(out.size()), [&](int64_t i) { out[size_t(i)] = i * i; });
    for (size_t i = 0; i < out.size(); ++i) REQUIRE(out[i] == int64_t(i * i));
}
