// The tests' one way to run another program (the built convscope, xvfb-run, a shell line): stdout and stderr
// captured through pipes, a time limit that kills the whole process group, and the child always reaped, so
// a failing or hanging run never leaves a zombie or a stray Xvfb behind.
//
//   auto r = testing::run_process({testing::convscope_exe(), "size", "5", "--kernel", "3"});
//   CHECK(r.status == 0);  CHECK(r.out == "3\n");
//   auto s = testing::run_shell("xvfb-run -a " + app + " gui --screenshot x.png",
//   ProcessOptions::within(60s));
#pragma once

#include <sys/types.h>

#include <chrono>
#include <string>
#include <vector>

namespace convscope::testing {

// What a program printed and how it ended.
struct ProcessResult {
    // Exit status; 128 + the signal when a signal ended it (as a shell reports it); −1 if it never started.
    int status = -1;
    int signal = 0;          // the signal that ended it, 0 when it exited
    bool timed_out = false;  // the time limit ran out and the process group was killed
    std::string out, err;    // everything it wrote to stdout and stderr
};

struct ProcessOptions {
    std::chrono::milliseconds timeout{std::chrono::seconds(60)};
    std::vector<std::string> env;    // "NAME=value" entries added to (or replacing in) this process's own
    std::vector<std::string> unset;  // names removed from the environment

    // Options with a time limit of `limit` and nothing else changed.
    static ProcessOptions within(std::chrono::milliseconds limit) {
        ProcessOptions o;
        o.timeout = limit;
        return o;
    }
};

// A running child in a process group of its own (stdin /dev/null), its output read into memory while it runs.
// Destroying it before finish() kills the group and reaps the child.
class ChildProcess {
public:
    // Starts argv[0] (looked up in PATH when it has no '/') with `argv`; started() is false if it could not
    // be.
    explicit ChildProcess(const std::vector<std::string>& argv, const ProcessOptions& options = {});
    ~ChildProcess();
    ChildProcess(const ChildProcess&) = delete;
    ChildProcess& operator=(const ChildProcess&) = delete;

    // True when the program started; error() says why not.
    bool started() const { return m_pid > 0; }
    const std::string& error() const { return m_error; }
    pid_t pid() const { return m_pid; }

    // Sends `sig` to the child alone (not its group).
    void signal(int sig) const;

    // Reads its output until it exits (or the time limit, counted from the start, runs out: then the group is
    // killed), reaps it, and returns what happened. Call once.
    ProcessResult finish();

private:
    pid_t m_pid = -1;
    int m_out = -1, m_err = -1;
    std::chrono::steady_clock::time_point m_deadline;
    std::string m_error;
    bool m_finished = false;
};

// Runs `argv` to the end (no shell) and returns its result.
ProcessResult run_process(const std::vector<std::string>& argv, const ProcessOptions& options = {});

// Runs `command` through /bin/sh -c (for pipelines, redirections and background jobs).
ProcessResult run_shell(const std::string& command, const ProcessOptions& options = {});

// `text` in single quotes for the shell ('it'\''s').
std::string shell_quote(const std::string& text);

// True when `program` is found in PATH.
bool have_program(const std::string& program);

}  // namespace convscope::testing
