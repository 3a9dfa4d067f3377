// tests/support/operator_testers: the testers catch what they exist for. A backend that is off by one
// element, an entry point that leaves an element unwritten (the NaN sentinel shows), a backend that
// answers where the reference refuses or refuses with another message: each fails with the problem, the
// position (n, c, y, x), the expected and the actual value. The reference itself passes.
#include <catch2/catch.hpp>

#include <algorithm>
#include <string>
#include <vector>

#include "support/operator_testers.hpp"

using namespace convscope;
using convscope::testing::ConvTester;
using convscope::testing::PoolTester;
using convscope::testing::Tolerance;

namespace {

// The reference backend with one planted fault.
class FaultyBackend final : public Backend {
public:
    enum class Fault { None, OffByOne, Answers, OtherError };
    explicit FaultyBackend(Fault f) : m_fault(f) {}
    std::string_view name() const override { return "faulty"; }
    Status available() override { return {}; }
    Result<Tensor> conv2d(const Tensor& x, const Tensor& w, const Tensor* b, const Conv2dParams& p) override {
        return plant(reference_backend().conv2d(x, w, b, p));
    }
    Result<Tensor> pool2d(const Tensor& x, const Pool2dParams& p) override {
        return plant(reference_backend().pool2d(x, p));
    }
    Result<Tensor> conv_transpose2d(const Tensor& x, const Tensor& w, const Tensor* b,
                                    const ConvTranspose2dParams& p) override {
        return plant(reference_backend().conv_transpose2d(x, w, b, p));
    }

private:
    Result<Tensor> plant(Result<Tensor> y) const {
        if (!y) {
            if (m_fault == Fault::Answers) return Tensor::filled({1, 1, 1, 1}, 0.0f);
            if (m_fault == Fault::OtherError) return fail("something else");
            return y;
        }
        // The element at (n=0, c=1, y=2, x=3) when the output has it, else the last one.
        if (m_fault == Fault::OffByOne) {
            const size_t at = y->rank() == 4 && y->shape[1] > 1 && y->shape[2] > 2 && y->shape[3] > 3
                                  ? size_t(((0 * y->shape[1] + 1) * y->shape[2] + 2) * y->shape[3] + 3)
                                  : y->data.size() - 1;
            y->data[at] += 1.0f;
        }
        return y;
    }
    Fault m_fault;
};

}  // namespace

TEST_CASE("ConvTester: the reference passes; a wrong element is named with its position and values") {
    const auto t = ConvTester().input({2, 3, 9, 11}).weight({4, 3, 3, 3}).bias().padding(Padding(1)).seed(5);
    FaultyBackend fine(FaultyBackend::Fault::None), off(FaultyBackend::Fault::OffByOne);
    int answered = 0;
    CHECK(t.test(fine, &answered) == "");
    CHECK(answered == 1);
    const std::string m = t.test(off);
    CHECK_THAT(m, Catch::StartsWith("conv2d x 2×3×9×11, w 4×3×3×3, bias, ") &&
                      Catch::Contains(": faulty at (n=0, c=1, y=2, x=3): expected ") &&
                      Catch::Contains(", got "));
    // Exact data and an exact tolerance: the integers' sums must be bit-identical, off by one is far off.
    ConvTester exact = t;
    exact.integers().tolerance(Tolerance::exact());
    CHECK(exact.test(fine) == "");
    CHECK_THAT(exact.test(off), Catch::Contains("at (n=0, c=1, y=2, x=3)"));
}

TEST_CASE("ConvTester: an entry point that leaves an element unwritten shows the NaN sentinel") {
    const auto t = ConvTester().input({1, 2, 6, 7}).weight({3, 2, 3, 3}).seed(9);
    // A correct entry point: the reference's answer copied into the buffer (x is 1×2×6×7, w 3×2×3×3).
    const auto into_all = [](const ConvPlan&, const float* x, const float* w, const float*, float* out) {
        auto y = reference_backend().conv2d(Tensor({1, 2, 6, 7}, std::vector<float>(x, x + 84)),
                                            Tensor({3, 2, 3, 3}, std::vector<float>(w, w + 54)), nullptr, {});
        std::copy(y->data.begin(), y->data.end(), out);
    };
    CHECK(t.test_into("into", into_all) == "");
    const auto into_skips = [&](const ConvPlan& plan, const float* x, const float* w, const float* b,
                                float* out) {
        const float kept = out[5];
        into_all(plan, x, w, b, out);
        out[5] = kept;  // never written: still the tester's NaN
    };
    CHECK_THAT(t.test_into("into", into_skips),
               Catch::Contains(": into at (n=0, c=0, y=1, x=0): expected ") && Catch::EndsWith(", got nan"));
}

TEST_CASE("ConvTester and PoolTester: refusals must match the reference's") {
    const auto bad = ConvTester().input({1, 1, 3, 3}).weight({1, 1, 5, 5});
    REQUIRE_FALSE(bad.valid());
    CHECK(bad.test(reference_backend()) == "");
    FaultyBackend answers(FaultyBackend::Fault::Answers), other(FaultyBackend::Fault::OtherError);
    CHECK_THAT(bad.test(answers), Catch::Contains("faulty answered where the reference refused"));
    CHECK_THAT(bad.test(other), Catch::Contains("error 'something else', expected '"));
    const auto bad_pool = PoolTester().input({1, 1, 3, 3}).kernel(Pair{5});
    REQUIRE_FALSE(bad_pool.valid());
    CHECK_THAT(bad_pool.test(answers), Catch::Contains("answered where the reference refused"));
}

TEST_CASE("PoolTester: max exactly, avg within its tolerance; a wrong element is named") {
    FaultyBackend fine(FaultyBackend::Fault::None), off(FaultyBackend::Fault::OffByOne);
    for (Op op : {Op::MaxPool, Op::AvgPool}) {
        INFO(to_string(op));
        const auto t = PoolTester().input({1, 2, 8, 9}).op(op).kernel(Pair{2}).stride(Pair{1}).seed(3);
        CHECK(t.test(fine) == "");
        CHECK_THAT(t.test(off), Catch::Contains("at (n=0, c=1, y=2, x=3): expected "));
    }
}
