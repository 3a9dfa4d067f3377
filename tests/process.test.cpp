// tests/support/process: the one way the tests run programs. Captures stdout and stderr apart and in full,
// reports the exit status or the signal, kills a run over its time limit (with what it started), and always
// reaps the child, so no test leaves a zombie.
#include <catch2/catch.hpp>

#include <signal.h>
#include <sys/wait.h>

#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <string>

#include "support/process.hpp"

using namespace convscope::testing;
using namespace std::chrono_literals;

namespace {

// True when `pid` is no child of ours any more: reaped, so no zombie remains.
bool reaped(pid_t pid) {
    int status = 0;
    errno = 0;
    return ::waitpid(pid, &status, WNOHANG) == -1 && errno == ECHILD;
}

// True when no process `pid` exists (kill with signal 0 only checks).
bool gone(pid_t pid) {
    return ::kill(pid, 0) == -1 && errno == ESRCH;
}

}  // namespace

TEST_CASE("run_process: stdout, stderr and the exit status, apart and in full") {
    const auto r = run_process({"/bin/sh", "-c", "printf 'out\\n'; printf 'err\\n' >&2; exit 3"});
    CHECK(r.status == 3);
    CHECK(r.signal == 0);
    CHECK_FALSE(r.timed_out);
    CHECK(r.out == "out\n");
    CHECK(r.err == "err\n");
    // More than a pipe holds (64 KiB) on both streams at once: read while it runs, nothing lost or blocked.
    const auto big =
        run_shell("head -c 300000 /dev/zero | tr '\\0' a; head -c 200000 /dev/zero | tr '\\0' b >&2");
    CHECK(big.status == 0);
    CHECK(big.out == std::string(300000, 'a'));
    CHECK(big.err == std::string(200000, 'b'));
}

TEST_CASE("run_process: arguments reach the program as given, with no shell in between") {
    const auto r = run_process({"printf", "%s|", "two words", "it's", "$HOME", "*"});
    CHECK(r.status == 0);
    CHECK(r.out == "two words|it's|$HOME|*|");
    CHECK(run_shell("printf %s " + shell_quote("it's $HOME")).out == "it's $HOME");
}

TEST_CASE("run_process: the environment gets additions and removals, and stdin is empty") {
    ProcessOptions o;
    o.env = {"CONVSCOPE_PROCESS_TEST=yes", "HOME=/elsewhere"};
    ::setenv("CONVSCOPE_PROCESS_TEST_GONE", "here", 1);  // ours, so the child would inherit it
    o.unset = {"CONVSCOPE_PROCESS_TEST_GONE"};
    const auto r =
        run_process({"/bin/sh", "-c",
                     "echo \"$CONVSCOPE_PROCESS_TEST $HOME ${CONVSCOPE_PROCESS_TEST_GONE-unset}\"; if read "
                     "x; then echo $x; else echo eof; fi"},
                    o);
    CHECK(r.status == 0);
    CHECK(r.out == "yes /elsewhere unset\neof\n");
}

TEST_CASE("run_process: a program that cannot start is reported, not run") {
    const auto r = run_process({"/nonexistent/convscope"});
    CHECK(r.status == -1);
    CHECK(r.err == "cannot run /nonexistent/convscope: No such file or directory");
    ChildProcess none({});
    CHECK_FALSE(none.started());
    CHECK(none.finish().status == -1);
}

TEST_CASE("run_process: a signal that ends the program is reported as the signal and 128 + it") {
    const auto r = run_shell("kill -TERM $$; sleep 5");
    CHECK(r.signal == SIGTERM);
    CHECK(r.status == 128 + SIGTERM);
    ChildProcess child({"sleep", "30"});
    REQUIRE(child.started());
    child.signal(SIGINT);
    const auto s = child.finish();
    CHECK(s.signal == SIGINT);
    CHECK(reaped(child.pid()));
}

TEST_CASE("run_process: the time limit kills the program and what it started, and reaps it") {
    const auto t0 = std::chrono::steady_clock::now();
    // A shell with a background child that would keep the pipes open: both must go at the time limit.
    ChildProcess child({"/bin/sh", "-c", "sleep 30 & echo $!; wait"}, ProcessOptions::within(500ms));
    REQUIRE(child.started());
    const auto r = child.finish();
    const auto took = std::chrono::steady_clock::now() - t0;
    CHECK(r.timed_out);
    CHECK(r.signal == SIGKILL);
    CHECK(took >= 500ms);
    CHECK(took < 5s);
    CHECK(reaped(child.pid()));
    const pid_t grandchild = std::stoi(r.out);
    // The background sleep was in the child's process group and got the same SIGKILL; its parent is gone, so
    // init reaps it within moments.
    for (int i = 0; i < 100 && !gone(grandchild); ++i) ::usleep(20000);
    CHECK(gone(grandchild));
}

TEST_CASE("run_process: a child dropped before finish() is killed and reaped") {
    pid_t pid = 0;
    const auto t0 = std::chrono::steady_clock::now();
    {
        ChildProcess child({"sleep", "30"});
        REQUIRE(child.started());
        pid = child.pid();
    }
    CHECK(std::chrono::steady_clock::now() - t0 < 5s);
    CHECK(reaped(pid));
    CHECK(gone(pid));
}

TEST_CASE("run_process: output left open by a program's own background job does not hold the caller") {
    // The shell exits at once; its `sleep` keeps stdout open. The runner waits a moment for it, then ends it.
    const auto t0 = std::chrono::steady_clock::now();
    const auto r = run_shell("echo started; sleep 30 &");
    CHECK(r.status == 0);
    CHECK_FALSE(r.timed_out);
    CHECK(r.out == "started\n");
    CHECK(std::chrono::steady_clock::now() - t0 < 10s);
}

TEST_CASE("have_program: finds programs in PATH") {
    CHECK(have_program("sh"));
    CHECK_FALSE(have_program("convscope-no-such-program"));
}
