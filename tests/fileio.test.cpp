// Whole-file reads with a cap, and atomic writes: a failed write says why and leaves the old file intact.
#include <catch2/catch.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "core/fileio.hpp"

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

std::string slurp(const fs::path& p) {
    std::ifstream f(p, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(f), {});
}

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
