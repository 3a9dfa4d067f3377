// Whole-file reads with a cap, and atomic writes: a failed write says why and leaves the old file intact.
#include <catch2/catch.hpp>

#include <signal.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "core/io/fileio.hpp"
#include "support/testing.hpp"

using namespace convscope;
namespace fs = std::filesystem;

namespace {

fs::path fresh_dir() {
    std::string pattern = (fs::temp_directory_path() / "convscope_fileio_XXXXXX").string();
    REQUIRE(mkdtemp(pattern.data()) != nullptr);
    return pattern;
}

std::span<const uint8_t> bytes_of(const std::string& s) {
    return {reinterpret_cast<const uint8_t*>(s.data()), s.size()};
}

mode_t mode_of(const fs::path& p) {
    struct stat st {};
    REQUIRE(::stat(p.c_str(), &st) == 0);
    return st.st_mode & 07777;
}

// The names in a folder, to prove no temporary file is left behind.
std::vector<std::string> names_in(const fs::path& dir) {
    std::vector<std::string> v;
    for (const auto& e : fs::directory_iterator(dir)) v.push_back(e.path().filename().string());
    std::sort(v.begin(), v.end());
    return v;
}

using testing::slurp;

}  // namespace

TEST_CASE("write_file_atomic: replaces the file whole and leaves no temporary behind") {
    const fs::path dir = fresh_dir();
    const fs::path p = dir / "out.txt";
    REQUIRE(write_file_atomic(p.string(), bytes_of("first")));
    REQUIRE(write_file_atomic(p.string(), bytes_of("second")));
    CHECK(slurp(p) == "second");
    CHECK(std::distance(fs::directory_iterator(dir), fs::directory_iterator()) == 1);
    fs::remove_all(dir);
}

TEST_CASE("write_file_atomic: a failed write says why and keeps what was there") {
    const fs::path dir = fresh_dir();
    SECTION("the folder does not exist") {
        const Status s = write_file_atomic((dir / "missing" / "out.txt").string(), bytes_of("x"));
        REQUIRE_FALSE(s);
        CHECK(s.error().find("cannot write") != std::string::npos);
    }
    SECTION("the target is a folder: it stays, and no temporary file is left") {
        fs::create_directory(dir / "taken");
        std::ofstream(dir / "taken" / "keep.txt") << "old";
        const Status s = write_file_atomic((dir / "taken").string(), bytes_of("new"));
        REQUIRE_FALSE(s);
        CHECK(slurp(dir / "taken" / "keep.txt") == "old");
        CHECK(std::distance(fs::directory_iterator(dir), fs::directory_iterator()) == 1);
    }
    fs::remove_all(dir);
}

TEST_CASE("read_file: refuses files over the cap, folders and missing files") {
    const fs::path dir = fresh_dir();
    std::ofstream(dir / "ten.bin") << "0123456789";
    CHECK(read_file((dir / "ten.bin").string(), 10));
    const auto big = read_file((dir / "ten.bin").string(), 9);
    REQUIRE_FALSE(big);
    CHECK(big.error().find("over the limit") != std::string::npos);
    CHECK_FALSE(read_file(dir.string(), 100));
    CHECK_FALSE(read_file((dir / "missing").string(), 100));
    fs::remove_all(dir);
}

TEST_CASE("read_file / read_file_head: a FIFO, a device or a folder is refused at once, never blocks") {
    const fs::path dir = fresh_dir();
    const fs::path fifo = dir / "pipe.npy";
    REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
    // Nobody writes the FIFO: a blocking open() would never return (the test would time out).
    const auto t0 = std::chrono::steady_clock::now();
    const auto r = read_file(fifo.string(), 100);
    REQUIRE_FALSE(r);
    CHECK(r.error() == fifo.string() + " is a FIFO (named pipe), not a regular file");
    CHECK_FALSE(read_file_head(fifo.string(), 100));
    const auto dev = read_file("/dev/zero", 100);
    REQUIRE_FALSE(dev);
    CHECK(dev.error() == "/dev/zero is a device, not a regular file");
    const auto folder = read_file(dir.string(), 100);
    REQUIRE_FALSE(folder);
    CHECK(folder.error() == dir.string() + " is a folder, not a regular file");
    CHECK(std::chrono::steady_clock::now() - t0 < std::chrono::seconds(2));
    fs::remove_all(dir);
}

TEST_CASE("read_file_head: the first bytes and the whole size, without reading the rest") {
    const fs::path dir = fresh_dir();
    std::ofstream(dir / "ten.bin") << "0123456789";
    auto head = read_file_head((dir / "ten.bin").string(), 4);
    REQUIRE(head);
    CHECK(head->size == 10);
    CHECK(std::string(head->bytes.begin(), head->bytes.end()) == "0123");
    auto all = read_file_head((dir / "ten.bin").string(), 100);
    REQUIRE(all);
    CHECK(all->bytes.size() == 10);
    fs::remove_all(dir);
}

TEST_CASE("write_file_atomic: an existing file keeps its mode, a new one follows the umask") {
    const fs::path dir = fresh_dir();
    const fs::path secret = dir / "secret.npy";
    std::ofstream(secret) << "old";
    REQUIRE(::chmod(secret.c_str(), 0600) == 0);
    REQUIRE(write_file_atomic(secret.string(), bytes_of("new")));
    CHECK(slurp(secret) == "new");
    CHECK(mode_of(secret) == 0600);
    REQUIRE(::chmod(secret.c_str(), 0640) == 0);
    REQUIRE(write_file_atomic(secret.string(), bytes_of("newer")));
    CHECK(mode_of(secret) == 0640);

    const mode_t old = ::umask(027);
    REQUIRE(write_file_atomic((dir / "fresh.npy").string(), bytes_of("x")));
    ::umask(077);
    REQUIRE(write_file_atomic((dir / "private.npy").string(), bytes_of("x")));
    ::umask(old);
    CHECK(mode_of(dir / "fresh.npy") == 0640);
    CHECK(mode_of(dir / "private.npy") == 0600);
    fs::remove_all(dir);
}

TEST_CASE("write_file_atomic: a symlink is written through to its target and stays a symlink") {
    const fs::path dir = fresh_dir();
    fs::create_directory(dir / "real");
    std::ofstream(dir / "real" / "target.npy") << "old";
    fs::create_symlink("real/target.npy", dir / "link.npy");  // relative to the link's folder
    REQUIRE(write_file_atomic((dir / "link.npy").string(), bytes_of("through")));
    CHECK(fs::is_symlink(dir / "link.npy"));
    CHECK(slurp(dir / "real" / "target.npy") == "through");
    // A dangling link creates its target.
    fs::create_symlink(dir / "real" / "new.npy", dir / "dangling.npy");
    REQUIRE(write_file_atomic((dir / "dangling.npy").string(), bytes_of("made")));
    CHECK(fs::is_symlink(dir / "dangling.npy"));
    CHECK(slurp(dir / "real" / "new.npy") == "made");
    CHECK(names_in(dir / "real") == std::vector<std::string>{"new.npy", "target.npy"});
    fs::remove_all(dir);
}

TEST_CASE("write_file_atomic: a FIFO or device as the output is refused, never replaced") {
    const fs::path dir = fresh_dir();
    const fs::path fifo = dir / "out.npy";
    REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
    const Status s = write_file_atomic(fifo.string(), bytes_of("x"));
    REQUIRE_FALSE(s);
    CHECK(s.error() == "cannot write " + fifo.string() +
                           ": it is a FIFO (named pipe), not a regular file (it is not replaced)");
    CHECK(fs::is_fifo(fifo));
    CHECK(names_in(dir) == std::vector<std::string>{"out.npy"});
    const Status d = write_file_atomic("/dev/null", bytes_of("x"));
    REQUIRE_FALSE(d);
    CHECK(fs::is_character_file("/dev/null"));
    fs::remove_all(dir);
}

TEST_CASE("install_interrupt_cleanup: SIGTERM in the middle of a write leaves no temporary file") {
    const fs::path dir = fresh_dir();
    const fs::path out = dir / "big.npy";
    const pid_t child = ::fork();
    REQUIRE(child >= 0);
    if (child == 0) {
        install_interrupt_cleanup();
        std::vector<uint8_t> big(size_t(256) << 20, 7);  // long enough to be caught writing
        (void)write_file_atomic(out.string(), big);
        ::_exit(0);
    }
    // Wait for the temporary file to appear, then interrupt.
    bool seen = false;
    for (int i = 0; i < 20000 && !seen; ++i) {
        for (const std::string& n : names_in(dir)) seen = seen || n.starts_with("big.npy.tmp-");
        if (!seen) std::this_thread::sleep_for(std::chrono::microseconds(200));
    }
    ::kill(child, SIGTERM);
    int status = 0;
    REQUIRE(::waitpid(child, &status, 0) == child);
    INFO("temporary file seen before the signal: " << seen);
    if (WIFSIGNALED(status)) {
        CHECK(WTERMSIG(status) == SIGTERM);
        CHECK(names_in(dir).empty());  // neither the output nor the temporary file
    } else {
        // The write finished before the signal: the output is whole and nothing else is there.
        CHECK(names_in(dir) == std::vector<std::string>{"big.npy"});
    }
    CHECK(seen);
    fs::remove_all(dir);
}
