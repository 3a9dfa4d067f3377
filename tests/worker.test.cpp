// core/worker: the newest job wins, stale results are dropped, each result is taken once.
#include <atomic>
#include <catch2/catch.hpp>
#include <thread>

#include "core/worker.hpp"

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
    CHECK(done->seconds >= 0.0);
    CHECK_FALSE(w.take());
    CHECK_FALSE(w.busy());
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

TEST_CASE("LatestWorker: destroying it with a job queued does not hang") {
    std::atomic<bool> release{false};
    {
        LatestWorker<int> w;
        w.submit([&] {
            while (!release) std::this_thread::yield();
            return 1;
        });
        w.submit([] { return 2; });
        release = true;
    }
    CHECK(release);
}
