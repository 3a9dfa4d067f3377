// Where the tests find the source tree, the build tree and the built `convscope`. The paths are compiled into
// support/paths.cpp alone, so that no other test object depends on where the tree lies: a second clone reuses
// the compiler cache (scripts/setup.sh) for every other file.
#pragma once

#include <string>

namespace convscope::testing {

std::string source_dir();     // the source tree (CMake's PROJECT_SOURCE_DIR)
std::string binary_dir();     // the build tree (CMake's PROJECT_BINARY_DIR)
std::string convscope_exe();  // the built command-line app; "" in a build without the app

}  // namespace convscope::testing
