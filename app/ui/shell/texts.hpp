// Texts the shell's parts share: a lesson's or scene's caption, and a refused document's reason, in the UI's
// language.
#pragma once

#include <string>

#include "core/lesson/lesson.hpp"

namespace convscope::ui {

// The caption in the current language, else the other one.
const std::string& caption_text(const Caption& c);
// A refused scene or lesson in the current language; the field names are JSON, the same in every language.
std::string scene_error_text(const SceneError& e);

}  // namespace convscope::ui
