// Requests from one view to another, made during a frame and taken on a later one (everything runs on the UI
// thread): show a view (the shell switches tabs), load a problem into the stepper (the image lab's and the
// network view's "open in stepper"), and open an image in the image lab (the network view's feature maps). A
// request not taken yet is replaced by a newer one.
//
//   stepper_request() = StepperRequest{problem, window};  requested_view() = "stepper";   // the asking view
//   if (auto& r = stepper_request()) { load(r->problem); r.reset(); }                     // the stepper
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "core/image.hpp"
#include "core/stepper.hpp"

namespace convscope::ui {

struct StepperRequest {
    StepperProblem problem;
    int64_t window = -1;  // the window to show complete (−1: before the first)
};

struct ImageRequest {
    std::string name;  // shown as the image's name, e.g. "1 Conv2d(1, 5, 5), channel 2"
    Image image;
};

// The view the shell should show next (its id), if any.
inline std::optional<std::string>& requested_view() {
    static std::optional<std::string> request;
    return request;
}

// A problem for the stepper to load, if any.
inline std::optional<StepperRequest>& stepper_request() {
    static std::optional<StepperRequest> request;
    return request;
}

// An image for the image lab to open, if any.
inline std::optional<ImageRequest>& image_request() {
    static std::optional<ImageRequest> request;
    return request;
}

}  // namespace convscope::ui
