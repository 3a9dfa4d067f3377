#include "core/fileio.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cerrno>
#include <cstdio>
#include <cstring>

namespace convscope {

Result<std::vector<uint8_t>> read_file(const std::string& path, int64_t max_bytes) {
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return fail("cannot open " + path + ": " + std::strerror(errno));
    struct stat st {};
    if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        ::close(fd);
        return fail(path + " is not a regular file");
    }
    if (st.st_size > max_bytes) {
        ::close(fd);
        return fail(path + " is " + std::to_string(st.st_size) + " bytes, over the limit of " +
                    std::to_string(max_bytes));
    }
    std::vector<uint8_t> bytes(size_t(st.st_size));
    size_t got = 0;
    while (got < bytes.size()) {
        const ssize_t r = ::read(fd, bytes.data() + got, bytes.size() - got);
        if (r < 0 && errno == EINTR) continue;
        if (r <= 0) break;
        got += size_t(r);
    }
    ::close(fd);
    if (got != bytes.size()) return fail("cannot read all of " + path);
    return bytes;
}

Status write_file_atomic(const std::string& path, std::span<const uint8_t> bytes) {
    std::string tmp = path + ".tmp-XXXXXX";
    const int fd = ::mkstemp(tmp.data());
    if (fd < 0) return fail("cannot write " + path + ": " + std::strerror(errno));
    size_t put = 0;
    while (put < bytes.size()) {
        const ssize_t w = ::write(fd, bytes.data() + put, bytes.size() - put);
        if (w < 0 && errno == EINTR) continue;
        if (w <= 0) break;
        put += size_t(w);
    }
    const int saved = errno;
    const bool ok = put == bytes.size() && ::fsync(fd) == 0;
    ::fchmod(fd, 0644);
    ::close(fd);
    if (!ok || ::rename(tmp.c_str(), path.c_str()) != 0) {
        const int err = ok ? errno : saved;
        ::unlink(tmp.c_str());
        return fail("cannot write " + path + ": " + std::strerror(err ? err : EIO));
    }
    return {};
}

}  // namespace convscope
