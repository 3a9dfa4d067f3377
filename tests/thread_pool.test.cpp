// The persistent thread pool: every index runs exactly once, nested and limited calls work, threads persist.
#include <catch2/catch.hpp>

#include <atomic>
#include <chrono>
#include <mutex>
#include <set>
#include <thread>
#include <vector>

#include "core/thread_pool.hpp"

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
    std::set<std::thread::id> first, second;
    auto record = [&](std::set<std::thread::id>& ids) {
        return [&](int64_t) {
            std::this_thread::sleep_for(std::chrono::milliseconds(2));
            std::lock_guard<std::mutex> lock(m);
            ids.insert(std::this_thread::get_id());
        };
    };
    pool.parallel_for(60, record(first));
    pool.parallel_for(60, record(second));
    CHECK(first.size() <= 3);
    for (auto id : second)
        CHECK((first.count(id) == 1 || id == std::this_thread::get_id()));  // no new threads

    std::set<std::thread::id> limited;
    pool.parallel_for(30, record(limited), 1);
    CHECK(limited == std::set<std::thread::id>{std::this_thread::get_id()});

    std::atomic<int> inner{0};
    pool.parallel_for(8, [&](int64_t) { pool.parallel_for(5, [&](int64_t) { inner.fetch_add(1); }); });
    CHECK(inner.load() == 40);
}
