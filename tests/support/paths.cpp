#include "support/paths.hpp"

namespace convscope::testing {

std::string source_dir() {
    return CONVSCOPE_SOURCE_DIR;
}
std::string binary_dir() {
    return CONVSCOPE_BINARY_DIR;
}
std::string convscope_exe() {
    return CONVSCOPE_EXE;
}

}  // namespace convscope::testing
