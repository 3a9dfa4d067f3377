// .npy reading and writing: round trips, every dtype/byte order/memory order/version numpy writes (fixtures
// made by numpy in tests/golden/make_golden.py), and hostile files, each rejected with a readable error, no
// crash and no large allocation (this executable counts its allocations to prove it).
#include <catch2/catch.hpp>

#include <sys/stat.h>

#include <atomic>
#include <bit>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <limits>
#include <new>
#include <random>
#include <string>
#include <vector>

#include "core/support/limits.hpp"
#include "core/io/npy.hpp"
#include "support/testing.hpp"

// [SECTION] Allocation counting: the largest single allocation since the last reset. Normally by replacing
// the global operator new (allowed by the standard; it applies to this test executable only); under
// AddressSanitizer, which owns operator new, through its malloc hook instead.
namespace {
std::atomic<size_t> g_largest_allocation{0};

void record_allocation(size_t n) {
    size_t seen = g_largest_allocation.load();
    while (n > seen && !g_largest_allocation.compare_exchange_weak(seen, n)) {
    }
}
}  // namespace

#if defined(__SANITIZE_ADDRESS__)
extern "C" int __sanitizer_install_malloc_and_free_hooks(void (*malloc_hook)(const volatile void*, size_t),
                                                         void (*free_hook)(const volatile void*));
namespace {
void on_malloc(const volatile void*, size_t n) {
    record_allocation(n);
}
void on_free(const volatile void*) {}
const int g_hooks_installed = __sanitizer_install_malloc_and_free_hooks(on_malloc, on_free);
}  // namespace
#else
// GCC cannot see that the replaced new is malloc, hence the pragma.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
#endif
void* operator new(size_t n) {
    record_allocation(n);
    if (void* p = std::malloc(n ? n : 1)) return p;
    throw std::bad_alloc();
}
void* operator new[](size_t n) {
    return operator new(n);
}
void operator delete(void* p) noexcept {
    std::free(p);
}
void operator delete[](void* p) noexcept {
    std::free(p);
}
void operator delete(void* p, size_t) noexcept {
    std::free(p);
}
void operator delete[](void* p, size_t) noexcept {
    std::free(p);
}
#endif

using namespace convscope;
using convscope::testing::source_path;

namespace {

using Bytes = std::vector<uint8_t>;

// A .npy file from its header dictionary and raw data, padded as numpy pads it (data 64-byte aligned).
Bytes npy_file(const std::string& dict, const Bytes& data = {}, int major = 1) {
    const size_t prefix = major == 1 ? 10 : 12;
    std::string header = dict;
    header.append((64 - (prefix + header.size() + 1) % 64) % 64, ' ');
    header += '\n';
    Bytes out = {0x93, 'N', 'U', 'M', 'P', 'Y', uint8_t(major), 0};
    const size_t len = header.size();
    out.push_back(uint8_t(len & 0xff));
    out.push_back(uint8_t((len >> 8) & 0xff));
    if (major != 1) {
        out.push_back(uint8_t((len >> 16) & 0xff));
        out.push_back(uint8_t((len >> 24) & 0xff));
    }
    out.insert(out.end(), header.begin(), header.end());
    out.insert(out.end(), data.begin(), data.end());
    return out;
}

Bytes f4_bytes(std::initializer_list<float> values) {
    Bytes out;
    for (float v : values) {
        const uint32_t u = std::bit_cast<uint32_t>(v);
        for (int b = 0; b < 4; ++b) out.push_back(uint8_t(u >> (8 * b)));
    }
    return out;
}

std::string dict(const std::string& descr, const std::string& shape, const std::string& order = "False") {
    return "{'descr': '" + descr + "', 'fortran_order': " + order + ", 'shape': " + shape + ", }";
}

// The error parse_npy gives ("" when it accepts the bytes); asserts that no allocation beyond 1 MiB happened.
std::string rejection(const Bytes& bytes) {
    g_largest_allocation = 0;
    auto t = parse_npy(bytes);
    const size_t largest = g_largest_allocation.load();
    INFO("largest allocation " << largest << " bytes");
    CHECK(largest < (size_t(1) << 20));
    return t ? "" : t.error();
}

std::vector<uint32_t> bits(const std::vector<float>& v) {
    std::vector<uint32_t> out;
    for (float f : v) out.push_back(std::bit_cast<uint32_t>(f));
    return out;
}

// A fresh folder for files this test writes.
std::filesystem::path temp_dir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "convscope_npy_XXXXXX").string();
    REQUIRE(mkdtemp(pattern.data()) != nullptr);
    return pattern;
}

}  // namespace

TEST_CASE("encode_npy/parse_npy: round trip of ranks 0 to 4, bit for bit") {
    const float nan = std::numeric_limits<float>::quiet_NaN(), inf = std::numeric_limits<float>::infinity();
    const auto shape =
        GENERATE(Shape{}, Shape{5}, Shape{2, 3}, Shape{2, 3, 4}, Shape{2, 1, 3, 2}, Shape{0, 3});
    Tensor t = testing::random_tensor(shape, 7);
    if (t.numel() >= 4) {
        t.data[0] = nan, t.data[1] = inf, t.data[2] = -inf, t.data[3] = -0.0f;
    }
    INFO("shape " << shape_to_string(shape));
    const Bytes bytes = encode_npy(t);
    // numpy's layout: version 1.0, a header padded so that the data starts on a 64-byte boundary.
    REQUIRE(bytes.size() >= 10);
    CHECK(bytes[6] == 1);
    const size_t header_len = size_t(bytes[8]) | size_t(bytes[9]) << 8;
    CHECK((10 + header_len) % 64 == 0);
    CHECK(bytes[10 + header_len - 1] == '\n');
    CHECK(bytes.size() == 10 + header_len + 4 * t.data.size());
    auto back = parse_npy(bytes);
    REQUIRE(back.ok());
    CHECK(back->shape == t.shape);
    CHECK(bits(back->data) == bits(t.data));
}

TEST_CASE("encode_npy: the header dictionary is the one numpy writes") {
    const Bytes b1 = encode_npy(Tensor({3}, {1, 2, 3}));
    const std::string h1(b1.begin() + 10, b1.end());
    CHECK(h1.starts_with("{'descr': '<f4', 'fortran_order': False, 'shape': (3,), }"));
    const Bytes b0 = encode_npy(Tensor({}, {4}));
    CHECK(std::string(b0.begin() + 10, b0.end()).find("'shape': (), }") != std::string::npos);
    const Bytes b4 = encode_npy(Tensor::filled({1, 2, 3, 4}));
    CHECK(std::string(b4.begin() + 10, b4.end()).find("'shape': (1, 2, 3, 4), }") != std::string::npos);
}

TEST_CASE("write_npy/read_npy: a file round trip, and a missing file names its path") {
    const auto dir = temp_dir();
    const std::string path = (dir / "t.npy").string();
    const Tensor t = testing::random_tensor({2, 3, 4, 5}, 11);
    REQUIRE(write_npy(path, t).ok());
    auto back = read_npy(path);
    REQUIRE(back.ok());
    CHECK(*back == t);
    auto missing = read_npy((dir / "missing.npy").string());
    REQUIRE(!missing.ok());
    CHECK_THAT(missing.error(), Catch::Contains("missing.npy"));
    std::filesystem::remove_all(dir);
}

TEST_CASE("read_npy: numpy's own files in every dtype, byte order, memory order and version") {
    // make_golden.py writes arange(size).reshape(shape) − 3 (+ 0.5 for floats), C order after reading.
    struct Fixture {
        const char* name;
        Shape shape;
        bool is_float;
    };
    const Fixture fixtures[] = {
        {"f4_rank0", {}, true},
        {"f4_rank1", {5}, true},
        {"f4_rank2", {2, 3}, true},
        {"f4_rank3", {2, 3, 4}, true},
        {"f4_rank4", {2, 1, 3, 2}, true},
        {"f4_empty", {0, 3}, true},
        {"f8", {2, 3}, true},
        {"i4", {2, 3}, false},
        {"i8", {2, 3}, false},
        {"f4_big_endian", {2, 3}, true},
        {"f8_big_endian", {3, 2}, true},
        {"i4_big_endian", {2, 2}, false},
        {"i8_big_endian", {2, 2}, false},
        {"f4_fortran", {2, 3, 4}, true},
        {"f8_fortran_big_endian", {3, 4}, true},
        {"f4_version_2", {2, 3}, true},
        {"i8_version_3", {4}, false},
    };
    for (const Fixture& f : fixtures) {
        INFO("fixture " << f.name);
        auto t = read_npy(source_path("tests/golden/data/npy/" + std::string(f.name) + ".npy"));
        REQUIRE(t.ok());
        CHECK(t->shape == f.shape);
        std::vector<float> expected;
        for (int64_t i = 0; i < shape_numel(f.shape); ++i)
            expected.push_back(float(i - 3) + (f.is_float ? 0.5f : 0));
        CHECK(t->data == expected);
    }
}

TEST_CASE("parse_npy: hand-built headers numpy also accepts") {
    SECTION("int64 beyond float precision of int32 converts exactly") {
        Bytes data(8);
        const int64_t v = int64_t(1) << 40;
        std::memcpy(data.data(), &v, 8);
        auto t = parse_npy(npy_file(dict("<i8", "(1,)"), data));
        REQUIRE(t.ok());
        CHECK(t->data == std::vector<float>{1099511627776.0f});
    }
    SECTION("double quotes, no trailing comma, keys in another order, Python 2 longs") {
        auto t = parse_npy(npy_file("{\"shape\": (2L, 1L), \"fortran_order\": False, \"descr\": \"<f4\"}",
                                    f4_bytes({1.5f, -2})));
        REQUIRE(t.ok());
        CHECK(t->shape == Shape{2, 1});
        CHECK(t->data == std::vector<float>{1.5f, -2});
    }
    SECTION("an empty Fortran-order array whose other dimensions would overflow the strides (fuzz finding)") {
        auto t = parse_npy(npy_file("{'descr': '<f8', 'fortran_order': True, "
                                    "'shape': (52, 22, 0, 433330, 43333, 4333330, 433333), }",
                                    Bytes{}));
        REQUIRE(t.ok());
        CHECK(t->data.empty());
        CHECK(t->shape == Shape{52, 22, 0, 433330, 43333, 4333330, 433333});
    }
    SECTION("'|f4' (no byte order) and extra data after the array") {
        auto t = parse_npy(npy_file(dict("|f4", "(1,)"), f4_bytes({3, 4})));
        REQUIRE(t.ok());
        CHECK(t->data == std::vector<float>{3});
    }
}

TEST_CASE("parse_npy: hostile files are rejected with a readable error, no crash, no large allocation") {
    const Bytes good = npy_file(dict("<f4", "(2, 3)"), f4_bytes({1, 2, 3, 4, 5, 6}));
    REQUIRE(rejection(good) == "");
    {
        // The allocation counter works: a valid 2 MiB array is seen as a 2 MiB allocation.
        const Bytes big = encode_npy(Tensor::filled({int64_t(1) << 19}));
        g_largest_allocation = 0;
        auto t = parse_npy(big);
        REQUIRE(t.ok());
        CHECK(g_largest_allocation.load() >= (size_t(2) << 20));
    }

    SECTION("wrong magic") {
        Bytes b = good;
        b[1] = 'X';
        CHECK_THAT(rejection(b), Catch::Contains("not a .npy file"));
        CHECK_THAT(rejection(Bytes{}), Catch::Contains("not a .npy file"));
        CHECK_THAT(rejection(Bytes{0x93, 'N', 'U', 'M'}), Catch::Contains("not a .npy file"));
        const std::string text = "x,y\n1,2\n";
        CHECK_THAT(rejection(Bytes(text.begin(), text.end())), Catch::Contains("not a .npy file"));
    }
    SECTION("unsupported version") {
        Bytes b = good;
        b[6] = 4;
        CHECK_THAT(rejection(b), Catch::Contains("unsupported .npy version 4"));
    }
    SECTION("truncated header") {
        CHECK_THAT(rejection(Bytes(good.begin(), good.begin() + 40)),
                   Catch::Contains("truncated in its header"));
        const Bytes v2 = npy_file(dict("<f4", "(1,)"), f4_bytes({1}), 2);
        CHECK_THAT(rejection(Bytes(v2.begin(), v2.begin() + 11)), Catch::Contains("truncated in its header"));
    }
    SECTION("truncated data") {
        CHECK_THAT(rejection(Bytes(good.begin(), good.end() - 1)),
                   Catch::Contains("truncated") && Catch::Contains("needs 24 bytes of data, it has 23"));
        CHECK_THAT(rejection(npy_file(dict("<f8", "(2, 3)"), f4_bytes({1, 2, 3, 4, 5, 6}))),
                   Catch::Contains("needs 48 bytes"));
        CHECK_THAT(rejection(npy_file(dict("<f4", "()"))), Catch::Contains("truncated"));
    }
    SECTION("unsupported dtype") {
        for (const char* d : {"<f2", "|u1", "<u4", "|b1", "<c8", "<U3", "|O", "|S4", "float32", "<f4 ", ""}) {
            INFO("descr " << d);
            CHECK_THAT(rejection(npy_file(dict(d, "(1,)"), f4_bytes({1, 2}))),
                       Catch::Contains("unsupported .npy dtype"));
        }
    }
    SECTION("absurd shape") {
        for (const char* s : {"(1099511627776,)", "(16777217,)", "(65536, 65536)", "(4096, 4096, 4096)",
                              "(99999999999999999999999999999,)", "(16777216, 17)"}) {
            INFO("shape " << s);
            const std::string e = rejection(npy_file(dict("<f4", s), f4_bytes({1, 2, 3})));
            CHECK(e != "");
            CHECK_THAT(e, Catch::Contains("absurd") || Catch::Contains("larger than the limit"));
        }
        // Within the element limit but with no data behind it: refused before allocating the tensor.
        CHECK_THAT(rejection(npy_file(dict("<f8", "(16384, 16384)"))), Catch::Contains("truncated"));
        CHECK_THAT(rejection(npy_file(dict("<f4", "(1, 1, 1, 1, 1, 1, 1, 1, 1)"), f4_bytes({1}))),
                   Catch::Contains("more than 8 dimensions"));
    }
    SECTION("malformed dictionary") {
        const std::string cases[] = {
            "",
            "[]",
            "{'descr': '<f4', 'fortran_order': False}",
            "{'descr': '<f4', 'shape': (1,)}",
            "{'fortran_order': False, 'shape': (1,)}",
            "{'descr': '<f4', 'fortran_order': False, 'shape': (1,), 'extra': 1}",
            "{'descr' '<f4', 'fortran_order': False, 'shape': (1,)}",
            "{'descr': '<f4, 'fortran_order': False, 'shape': (1,)}",
            "{'descr': '<f4', 'fortran_order': Maybe, 'shape': (1,)}",
            "{'descr': '<f4', 'fortran_order': False, 'shape': [1]}",
            "{'descr': '<f4', 'fortran_order': False, 'shape': (-1,)}",
            "{'descr': '<f4', 'fortran_order': False, 'shape': (1.5,)}",
            "{'descr': '<f4', 'fortran_order': False, 'shape': (1,,)}",
            "{'descr': '<f4', 'fortran_order': False, 'shape': (1 2)}",
            "{'descr': '<f4', 'fortran_order': False, 'shape': (1,)",
            "{'descr': '<f4'; 'fortran_order': False, 'shape': (1,)}",
            "{descr: '<f4', 'fortran_order': False, 'shape': (1,)}",
            "{'descr': <f4, 'fortran_order': False, 'shape': (1,)}",
        };
        for (const std::string& d : cases) {
            INFO("header " << d);
            const std::string e = rejection(npy_file(d, f4_bytes({1, 2})));
            CHECK_THAT(e, Catch::Contains(".npy"));
        }
    }
    SECTION("header too long") {
        // Version 2 allows a 4 GiB header length; anything beyond the limit is refused before it is read.
        Bytes b = npy_file(dict("<f4", "(1,)"), f4_bytes({1}), 2);
        b[10] = 0x10;  // header length 1 MiB + …
        CHECK_THAT(rejection(b), Catch::Contains("absurdly long"));
        b[11] = 0xff;  // … and about 4 GiB
        CHECK_THAT(rejection(b), Catch::Contains("absurdly long"));
        std::string big = dict("<f4", "(1,)");
        big.append(size_t(limits::kMaxNpyHeader), ' ');
        CHECK_THAT(rejection(npy_file(big, f4_bytes({1}), 2)), Catch::Contains("absurdly long"));
    }
}

TEST_CASE("parse_npy: random corruption of valid files never crashes") {
    // Flip, overwrite and cut bytes of real files; every result is a tensor or an error, never a crash, and
    // no allocation is larger than the file could justify.
    const Bytes sources[] = {npy_file(dict("<f4", "(2, 3)"), f4_bytes({1, 2, 3, 4, 5, 6})),
                             npy_file(dict(">f8", "(3,)", "True"), Bytes(24, 0x3f), 2),
                             encode_npy(testing::random_tensor({2, 2, 2, 2}, 3))};
    std::mt19937 rng(1234);
    int accepted = 0, rejected = 0;
    for (int i = 0; i < 3000; ++i) {
        Bytes b = sources[size_t(i) % 3];
        const int edits = 1 + int(rng() % 4);
        for (int e = 0; e < edits; ++e) {
            const size_t at = rng() % b.size();
            switch (rng() % 3) {
                case 0:
                    b[at] ^= uint8_t(1u << (rng() % 8));
                    break;
                case 1:
                    b[at] = uint8_t("0123456789(),:' {}x\xff"[rng() % 20]);
                    break;
                default:
                    b.resize(at);
                    break;
            }
            if (b.empty()) break;
        }
        g_largest_allocation = 0;
        auto t = parse_npy(b);
        if (t) {
            ++accepted;
            CHECK(t->numel() * 4 <= int64_t(b.size()));  // every accepted dtype has at least 4 bytes
        } else {
            ++rejected;
            CHECK(!t.error().empty());
        }
        CHECK(g_largest_allocation.load() < (size_t(1) << 20));
    }
    CHECK(rejected > 0);
    CHECK(accepted + rejected == 3000);
}

TEST_CASE("read_npy: an absurd shape or a short file is refused from the header, the payload never read") {
    const auto dir = temp_dir();
    // A 2 GiB file (sparse: nothing on disk) whose header asks for 2⁴⁰ elements, and one that claims 2²⁸
    // float64 elements but holds fewer bytes. Reading either whole would take 2 GiB.
    struct Case {
        const char* name;
        std::string shape;
        const char* error_start;
    };
    for (const Case& c : {Case{"absurd.npy", "(1048576, 1048576)", "the .npy array of shape 1048576×1048576"},
                          Case{"short.npy", "(16384, 16384)", "the .npy file is truncated"}}) {
        INFO(c.name);
        const std::string path = (dir / c.name).string();
        const Bytes header = npy_file(dict(c.name[0] == 'a' ? "<f4" : "<f8", c.shape));
        {
            std::ofstream f(path, std::ios::binary);
            f.write(reinterpret_cast<const char*>(header.data()), std::streamsize(header.size()));
        }
        std::filesystem::resize_file(path, (uintmax_t(2) << 30) - 64);
        g_largest_allocation = 0;
        auto t = read_npy(path);
        REQUIRE_FALSE(t);
        CHECK(t.error().starts_with(path + ": " + c.error_start));
        INFO("largest allocation " << g_largest_allocation.load() << " bytes");
        CHECK(g_largest_allocation.load() < (size_t(1) << 20));
    }
    std::filesystem::remove_all(dir);
}

TEST_CASE("read_npy: a FIFO given as the array is refused at once") {
    const auto dir = temp_dir();
    const std::string path = (dir / "pipe.npy").string();
    REQUIRE(::mkfifo(path.c_str(), 0600) == 0);
    auto t = read_npy(path);
    REQUIRE_FALSE(t);
    CHECK(t.error() == path + " is a FIFO (named pipe), not a regular file");
    std::filesystem::remove_all(dir);
}
