#include "core/io/fileio.hpp"

#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstring>

namespace convscope {
namespace {

// "a folder", "a FIFO", … for the refusal of a path that is not a regular file.
Error kind_of(mode_t m) {
    if (S_ISDIR(m)) return word<ErrCode::w_a_folder>();
    if (S_ISFIFO(m)) return word<ErrCode::w_a_fifo>();
    if (S_ISCHR(m) || S_ISBLK(m)) return word<ErrCode::w_a_device>();
    if (S_ISSOCK(m)) return word<ErrCode::w_a_socket>();
    return word<ErrCode::w_not_regular>();
}

}  // namespace

Error os_reason(int err) {
    switch (err) {
        case ENOENT:
            return word<ErrCode::os_enoent>();
        case EACCES:
            return word<ErrCode::os_eacces>();
        case EPERM:
            return word<ErrCode::os_eperm>();
        case EISDIR:
            return word<ErrCode::os_eisdir>();
        case ENOTDIR:
            return word<ErrCode::os_enotdir>();
        case ENOSPC:
            return word<ErrCode::os_enospc>();
        case EROFS:
            return word<ErrCode::os_erofs>();
        case ENAMETOOLONG:
            return word<ErrCode::os_enametoolong_sys>();
        case ELOOP:
            return word<ErrCode::os_eloop_sys>();
        default:
            return fail_text(std::strerror(err));
    }
}

namespace {

// Opens a regular file for reading without blocking: O_NONBLOCK makes open() of a FIFO return at once, and
// fstat refuses it (and devices, folders) before any read.
Result<int> open_regular(const std::string& path, struct stat& st) {
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
    if (fd < 0) return fail<ErrCode::cannot_open>(path, os_reason(errno));
    if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        const bool stat_ok = ::fstat(fd, &st) == 0;
        ::close(fd);
        return fail<ErrCode::not_regular_file>(
            path, stat_ok ? kind_of(st.st_mode) : word<ErrCode::w_not_regular>());
    }
    const int flags = ::fcntl(fd, F_GETFL);
    if (flags >= 0) ::fcntl(fd, F_SETFL, flags & ~O_NONBLOCK);
    return fd;
}

// Reads up to `n` bytes; fewer only at the end of the file or on an error.
size_t read_up_to(int fd, uint8_t* dst, size_t n) {
    size_t got = 0;
    while (got < n) {
        const ssize_t r = ::read(fd, dst + got, n - got);
        if (r < 0 && errno == EINTR) continue;
        if (r <= 0) break;
        got += size_t(r);
    }
    return got;
}

// The temporary file being written, for the signal handler: a fixed buffer, published with an atomic flag.
char g_temp_path[PATH_MAX + 32];
std::atomic<bool> g_temp_live{false};

extern "C" void remove_temp_and_die(int sig) {
    if (g_temp_live.load()) ::unlink(g_temp_path);  // async-signal-safe
    ::signal(sig, SIG_DFL);
    ::raise(sig);
}

// Blocks SIGINT/SIGTERM for its lifetime, so that a temporary file is created and registered (or
// unregistered) as one step the handler cannot split.
class SignalsBlocked {
public:
    SignalsBlocked() {
        sigset_t set;
        sigemptyset(&set);
        sigaddset(&set, SIGINT);
        sigaddset(&set, SIGTERM);
        pthread_sigmask(SIG_BLOCK, &set, &m_old);
    }
    ~SignalsBlocked() { pthread_sigmask(SIG_SETMASK, &m_old, nullptr); }

private:
    sigset_t m_old;
};

// Follows symlinks (at most 40, as the kernel does) to the path that will really be written.
Result<std::string> resolve_links(const std::string& path) {
    std::string p = path;
    for (int hops = 0; hops < 40; ++hops) {
        struct stat st {};
        if (::lstat(p.c_str(), &st) != 0 || !S_ISLNK(st.st_mode)) return p;
        char buf[PATH_MAX];
        const ssize_t n = ::readlink(p.c_str(), buf, sizeof buf - 1);
        if (n < 0) return fail<ErrCode::cannot_write>(path, os_reason(errno));
        std::string target(buf, size_t(n));
        if (!target.starts_with('/')) {
            const size_t slash = p.rfind('/');
            target = (slash == std::string::npos ? std::string() : p.substr(0, slash + 1)) + target;
        }
        p = target;
    }
    return fail<ErrCode::cannot_write>(path, word<ErrCode::os_eloop>());
}

mode_t current_umask() {
    const mode_t m = ::umask(0);
    ::umask(m);
    return m;
}

}  // namespace

Result<std::vector<uint8_t>> read_file(const std::string& path, int64_t max_bytes) {
    struct stat st {};
    auto fd = open_regular(path, st);
    if (!fd) return fd.err();
    if (st.st_size > max_bytes) {
        ::close(*fd);
        return fail<ErrCode::file_too_large>(path, int64_t(st.st_size), max_bytes);
    }
    std::vector<uint8_t> bytes(size_t(st.st_size));
    const size_t got = read_up_to(*fd, bytes.data(), bytes.size());
    ::close(*fd);
    if (got != bytes.size()) return fail<ErrCode::cannot_read_all>(path);
    return bytes;
}

Result<FileHead> read_file_head(const std::string& path, int64_t max_bytes) {
    struct stat st {};
    auto fd = open_regular(path, st);
    if (!fd) return fd.err();
    FileHead head;
    head.size = int64_t(st.st_size);
    head.bytes.resize(size_t(std::min<int64_t>(max_bytes, head.size)));
    const size_t got = read_up_to(*fd, head.bytes.data(), head.bytes.size());
    ::close(*fd);
    if (got != head.bytes.size()) return fail<ErrCode::cannot_read>(path);
    return head;
}

Status write_file_atomic(const std::string& path, std::span<const uint8_t> bytes) {
    auto real = resolve_links(path);
    if (!real) return real.err();
    const std::string& target = *real;
    struct stat st {};
    mode_t mode = 0666 & ~current_umask();
    if (::stat(target.c_str(), &st) == 0) {
        if (!S_ISREG(st.st_mode)) return fail<ErrCode::write_not_regular>(path, kind_of(st.st_mode));
        mode = st.st_mode & 07777;
    }

    std::string tmp = target + ".tmp-XXXXXX";
    if (tmp.size() >= sizeof g_temp_path)
        return fail<ErrCode::cannot_write>(path, word<ErrCode::os_enametoolong>());
    int fd = -1;
    {
        SignalsBlocked blocked;
        fd = ::mkstemp(tmp.data());
        if (fd >= 0) {
            std::memcpy(g_temp_path, tmp.c_str(), tmp.size() + 1);
            g_temp_live.store(true);
        }
    }
    if (fd < 0) return fail<ErrCode::cannot_write>(path, os_reason(errno));
    auto discard = [&](int err) {
        SignalsBlocked blocked;
        ::unlink(tmp.c_str());
        g_temp_live.store(false);
        return fail<ErrCode::cannot_write>(path, os_reason(err ? err : EIO));
    };

    size_t put = 0;
    while (put < bytes.size()) {
        const ssize_t w = ::write(fd, bytes.data() + put, bytes.size() - put);
        if (w < 0 && errno == EINTR) continue;
        if (w <= 0) break;
        put += size_t(w);
    }
    int err = errno;
    bool ok = put == bytes.size();
    if (ok && ::fchmod(fd, mode) != 0) ok = false, err = errno;
    if (ok && ::fsync(fd) != 0) ok = false, err = errno;
    if (::close(fd) != 0 && ok) ok = false, err = errno;
    if (!ok) return discard(err);
    SignalsBlocked blocked;
    if (::rename(tmp.c_str(), target.c_str()) != 0) {
        err = errno;
        ::unlink(tmp.c_str());
        g_temp_live.store(false);
        return fail<ErrCode::cannot_write>(path, os_reason(err ? err : EIO));
    }
    g_temp_live.store(false);
    return {};
}

void install_interrupt_cleanup() {
    struct sigaction sa {};
    sa.sa_handler = remove_temp_and_die;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = SA_RESETHAND;
    ::sigaction(SIGINT, &sa, nullptr);
    ::sigaction(SIGTERM, &sa, nullptr);
}

}  // namespace convscope
