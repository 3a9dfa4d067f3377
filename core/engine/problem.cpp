#include "core/engine/problem.hpp"

namespace convscope {

Op op_of(const OpProblem& operation) {
    if (std::holds_alternative<ConvProblem>(operation)) return Op::Conv;
    if (std::holds_alternative<ConvTransposeProblem>(operation)) return Op::ConvTranspose;
    // The backends average for any pool op but MaxPool.
    return std::get<PoolProblem>(operation).pool.op == Op::MaxPool ? Op::MaxPool : Op::AvgPool;
}

const ConvProblem* StepperProblem::weighted() const {
    if (const auto* c = std::get_if<ConvProblem>(&operation)) return c;
    return std::get_if<ConvTransposeProblem>(&operation);
}

ConvProblem* StepperProblem::weighted() {
    if (auto* c = std::get_if<ConvProblem>(&operation)) return c;
    return std::get_if<ConvTransposeProblem>(&operation);
}

const Pool2dParams* StepperProblem::pool() const {
    const auto* p = std::get_if<PoolProblem>(&operation);
    return p ? &p->pool : nullptr;
}

Pool2dParams* StepperProblem::pool() {
    auto* p = std::get_if<PoolProblem>(&operation);
    return p ? &p->pool : nullptr;
}

}  // namespace convscope
