// The tests' process runner (process.hpp): posix_spawn into a new process group, two pipes drained with
// poll(), a deadline, killpg on time-out, and waitpid always.
#include "support/process.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <map>

extern char** environ;

namespace convscope::testing {
namespace {

// This process's environment with `options` applied, as "NAME=value" strings.
std::vector<std::string> child_environment(const ProcessOptions& options) {
    std::map<std::string, std::string> vars;
    for (char** e = environ; *e; ++e) {
        const std::string entry(*e);
        const size_t eq = entry.find('=');
        if (eq != std::string::npos) vars[entry.substr(0, eq)] = entry;
    }
    for (const std::string& name : options.unset) vars.erase(name);
    for (const std::string& entry : options.env) vars[entry.substr(0, entry.find('='))] = entry;
    std::vector<std::string> out;
    for (auto& [name, entry] : vars) out.push_back(entry);
    return out;
}

void close_fd(int& fd) {
    if (fd >= 0) ::close(fd);
    fd = -1;
}

}  // namespace

ChildProcess::ChildProcess(const std::vector<std::string>& argv, const ProcessOptions& options)
    : m_deadline(std::chrono::steady_clock::now() + options.timeout) {
    if (argv.empty()) {
        m_error = "no program given";
        return;
    }
    int out[2], err[2];
    if (::pipe2(out, O_CLOEXEC) != 0) {
        m_error = std::string("pipe: ") + std::strerror(errno);
        return;
    }
    if (::pipe2(err, O_CLOEXEC) != 0) {
        m_error = std::string("pipe: ") + std::strerror(errno);
        ::close(out[0]), ::close(out[1]);
        return;
    }
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_adddup2(&actions, out[1], 1);
    posix_spawn_file_actions_adddup2(&actions, err[1], 2);
    posix_spawnattr_t attr;
    posix_spawnattr_init(&attr);
    posix_spawnattr_setpgroup(&attr, 0);  // its own group, so a time-out kills what it started too
    sigset_t none, all;
    sigemptyset(&none);
    sigfillset(&all);
    posix_spawnattr_setsigmask(&attr, &none);
    posix_spawnattr_setsigdefault(&attr, &all);
    posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);

    std::vector<std::string> args = argv, env = child_environment(options);
    std::vector<char*> cargs, cenv;
    for (std::string& a : args) cargs.push_back(a.data());
    cargs.push_back(nullptr);
    for (std::string& e : env) cenv.push_back(e.data());
    cenv.push_back(nullptr);
    pid_t pid = -1;
    const int rc = argv[0].find('/') == std::string::npos
                       ? ::posix_spawnp(&pid, cargs[0], &actions, &attr, cargs.data(), cenv.data())
                       : ::posix_spawn(&pid, cargs[0], &actions, &attr, cargs.data(), cenv.data());
    posix_spawn_file_actions_destroy(&actions);
    posix_spawnattr_destroy(&attr);
    ::close(out[1]);
    ::close(err[1]);
    if (rc != 0) {
        m_error = "cannot run " + argv[0] + ": " + std::strerror(rc);
        ::close(out[0]), ::close(err[0]);
        return;
    }
    m_pid = pid;
    m_out = out[0];
    m_err = err[0];
}

ChildProcess::~ChildProcess() {
    if (started() && !m_finished) {
        ::killpg(m_pid, SIGKILL);
        int status = 0;
        while (::waitpid(m_pid, &status, 0) < 0 && errno == EINTR) {
        }
    }
    close_fd(m_out);
    close_fd(m_err);
}

void ChildProcess::signal(int sig) const {
    if (started() && !m_finished) ::kill(m_pid, sig);
}

ProcessResult ChildProcess::finish() {
    ProcessResult r;
    if (!started() || m_finished) {
        r.err = m_error;
        return r;
    }
    using clock = std::chrono::steady_clock;
    bool reaped = false;
    int wstatus = 0;
    // After the child exits, programs it left running may hold the pipes open; give them a moment, then end
    // them.
    clock::time_point drain_until = clock::time_point::max();
    while (m_out >= 0 || m_err >= 0) {
        const clock::time_point now = clock::now();
        if (now >= m_deadline && !reaped) {
            r.timed_out = true;
            ::killpg(m_pid, SIGKILL);
        }
        if (reaped && now >= drain_until) {
            ::killpg(m_pid, SIGKILL);  // stragglers of the group, if any
            break;
        }
        pollfd fds[2];
        int n = 0;
        for (int fd : {m_out, m_err})
            if (fd >= 0) fds[n++] = pollfd{fd, POLLIN, 0};
        const int ready = ::poll(fds, nfds_t(n), 50);
        if (ready < 0 && errno != EINTR) break;
        for (int i = 0; i < n && ready > 0; ++i) {
            if (!(fds[i].revents & (POLLIN | POLLHUP | POLLERR))) continue;
            char buf[65536];
            const ssize_t got = ::read(fds[i].fd, buf, sizeof buf);
            const bool is_out = fds[i].fd == m_out;
            if (got > 0)
                (is_out ? r.out : r.err).append(buf, size_t(got));
            else if (got == 0 || (errno != EINTR && errno != EAGAIN))
                close_fd(is_out ? m_out : m_err);
        }
        if (!reaped && ::waitpid(m_pid, &wstatus, WNOHANG) == m_pid) {
            reaped = true;
            drain_until = clock::now() + std::chrono::seconds(2);
        }
    }
    close_fd(m_out);
    close_fd(m_err);
    if (!reaped) {
        if (r.timed_out) ::killpg(m_pid, SIGKILL);
        while (::waitpid(m_pid, &wstatus, 0) < 0 && errno == EINTR) {
        }
    }
    m_finished = true;
    if (WIFEXITED(wstatus)) {
        r.status = WEXITSTATUS(wstatus);
    } else if (WIFSIGNALED(wstatus)) {
        r.signal = WTERMSIG(wstatus);
        r.status = 128 + r.signal;
    }
    return r;
}

ProcessResult run_process(const std::vector<std::string>& argv, const ProcessOptions& options) {
    ChildProcess child(argv, options);
    return child.finish();
}

ProcessResult run_shell(const std::string& command, const ProcessOptions& options) {
    return run_process({"/bin/sh", "-c", command}, options);
}

std::string shell_quote(const std::string& text) {
    std::string q = "'";
    for (char c : text) q += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return q + "'";
}

bool have_program(const std::string& program) {
    return run_shell("command -v " + shell_quote(program) + " >/dev/null 2>&1", {}).status == 0;
}

}  // namespace convscope::testing
