// The validation every backend starts with, written once: conv2d with `flip` goes through conv2d_flipped,
// then each operation is planned (plan_conv2d, plan_pool2d, plan_conv_transpose2d, with their readable
// errors) and only a valid plan reaches the backend's own run_* function.
#pragma once

#include "core/engine/backend.hpp"
#include "core/engine/geometry.hpp"

namespace convscope {

class PlannedBackend : public Backend {
public:
    // Backend's operations: validate, then run_*.
    Result<Tensor> conv2d(const Tensor& input, const Tensor& weight, const Tensor* bias,
                          const Conv2dParams& params) final {
        if (params.flip) return conv2d_flipped(*this, input, weight, bias, params);
        auto plan = plan_conv2d(input.shape, weight.shape, bias ? &bias->shape : nullptr, params);
        if (!plan) return plan.err();
        return run_conv2d(*plan, input, weight, bias, params);
    }

    Result<Tensor> pool2d(const Tensor& input, const Pool2dParams& params) final {
        auto plan = plan_pool2d(input.shape, params);
        if (!plan) return plan.err();
        return run_pool2d(*plan, input, params);
    }

    Result<Tensor> conv_transpose2d(const Tensor& input, const Tensor& weight, const Tensor* bias,
                                    const ConvTranspose2dParams& params) final {
        auto plan = plan_conv_transpose2d(input.shape, weight.shape, bias ? &bias->shape : nullptr, params);
        if (!plan) return plan.err();
        return run_conv_transpose2d(*plan, input, weight, bias, params);
    }

protected:
    // Conv2d of a validated problem (params.flip is false: the weight is the one to cross-correlate with).
    virtual Result<Tensor> run_conv2d(const ConvPlan& plan, const Tensor& input, const Tensor& weight,
                                      const Tensor* bias, const Conv2dParams& params) = 0;
    // Pool2d of a validated problem.
    virtual Result<Tensor> run_pool2d(const PoolPlan& plan, const Tensor& input,
                                      const Pool2dParams& params) = 0;
    // ConvTranspose2d of a validated problem.
    virtual Result<Tensor> run_conv_transpose2d(const ConvTransposePlan& plan, const Tensor& input,
                                                const Tensor& weight, const Tensor* bias,
                                                const ConvTranspose2dParams& params) = 0;
};

}  // namespace convscope
