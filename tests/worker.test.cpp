// core/worker: the newest job wins, stale results are dropped, each result is taken once.
#include <atomic>
#include <catch2/catch.hpp>
#include <chrono>
#include <optional>
#include <thread>

#include "core/support/worker.hpp"

using namespace convscope;

TEST_CASE("LatestWorker: runs a job and hands its result out once") {
    LatestWorker<int> w;
    CHECK_FALSE(w.take());
    const uint64_t g = w.submit([] { return 42; });
    w.wait_idle();
    CHECK_FALSE(w.busy());
    CHECK(w.ready());  // idle, but the result is not taken yet: a UI must not call itself settled
    auto done = w.take();
    CHECK_FALSE(w.ready());
    REQUIRE(done);
    CHECK(done->generation == g);
    CHECK(done->value == 42);
    CHECK_FALSE(w.take());
    CHECK_FALSE(w.busy());
}

TEST_CASE("LatestWorker: a result says how long its job ran") {
    LatestWorker<int> w;
    w.submit([] {
        std::this_thread::sleep_for(std::chrono::milliseconds(60));
        return 7;
    });
    w.wait_idle();
    auto done = w.take();
    REQUIRE(done);
    CHECK(done->seconds >= 0.06);  // at least the job's own sleep
    CHECK(done->seconds < 30.0);   // and not a clock read wrongly (an epoch, an unset start)
}

TEST_CASE("LatestWorker: jobs queued behind a running one collapse to the newest") {
    LatestWorker<int> w;
    std::atomic<bool> release{false};
    std::atomic<int> runs{0};
    w.submit([&] {
        while (!release) std::this_thread::yield();
        ++runs;
        return 1;
    });
    while (w.running_seconds() == 0.0) std::this_thread::yield();  // the first job is under way
    for (int i = 2; i <= 5; ++i)
        w.submit([&, i] {
            ++runs;
            return i;
        });
    CHECK(w.busy());
    release = true;
    w.wait_idle();
    auto done = w.take();
    REQUIRE(done);
    CHECK(done->value == 5);
    CHECK(done->generation == 5);
    CHECK(runs == 2);  // the first and the newest; 2, 3, 4 never ran
    CHECK_FALSE(w.take());
}

TEST_CASE("LatestWorker: a result older than one already taken is dropped") {
    LatestWorker<int> w;
    w.submit([] { return 1; });
    w.wait_idle();
    REQUIRE(w.take()->value == 1);
    w.submit([] { return 2; });
    w.wait_idle();
    auto d = w.take();
    REQUIRE(d);
    CHECK(d->value == 2);
    CHECK(w.generation() == 2);
}

TEST_CASE("LatestWorker: destroying it finishes the job under way, drops the queued one, and does not hang") {
    std::atomic<bool> release{false};
    std::atomic<int> first_done{0}, second_ran{0};
    std::optional<LatestWorker<int>> w;
    w.emplace();
    w->submit([&] {
        while (!release) std::this_thread::yield();
        ++first_done;
        return 1;
    });
    while (w->running_seconds() == 0.0) std::this_thread::yield();  // the first job is under way
    w->submit([&] {
        ++second_ran;
        return 2;
    });
    // The destructor must wait for the running job: let that job finish only after destruction has begun.
    std::thread releaser([&] {
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
        release = true;
    });
    const auto t0 = std::chrono::steady_clock::now();
    w.reset();
    const auto destroy_took = std::chrono::steady_clock::now() - t0;
    releaser.join();
    CHECK(first_done == 1);  // the job under way ran to its end before the thread stopped
    CHECK(second_ran == 0);  // the queued one was dropped
    CHECK(destroy_took >= std::chrono::milliseconds(40));  // it waited for the running job
    CHECK(destroy_took < std::chrono::seconds(10));        // and no longer
}
