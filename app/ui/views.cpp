// The view registry. Adding a view: its file in app/ui/, its source in app/CMakeLists.txt, and one X(name)
// line here (the file defines `std::unique_ptr<View> make_<name>_view()`).
#include "app/ui/view.hpp"

// clang-format off
#define CONVSCOPE_VIEWS(X) \
    X(stepper) \
    X(size) \
    X(image) \
    X(network)
// clang-format on

namespace convscope::ui {

#define CONVSCOPE_DECLARE_VIEW(name) std::unique_ptr<View> make_##name##_view();
CONVSCOPE_VIEWS(CONVSCOPE_DECLARE_VIEW)
#undef CONVSCOPE_DECLARE_VIEW

std::vector<std::unique_ptr<View>> make_views() {
    std::vector<std::unique_ptr<View>> views;
#define CONVSCOPE_MAKE_VIEW(name) views.push_back(make_##name##_view());
    CONVSCOPE_VIEWS(CONVSCOPE_MAKE_VIEW)
#undef CONVSCOPE_MAKE_VIEW
    return views;
}

std::vector<std::string> view_ids() {
    std::vector<std::string> ids;
#define CONVSCOPE_VIEW_ID(name) ids.push_back(#name);
    CONVSCOPE_VIEWS(CONVSCOPE_VIEW_ID)
#undef CONVSCOPE_VIEW_ID
    return ids;
}

}  // namespace convscope::ui
