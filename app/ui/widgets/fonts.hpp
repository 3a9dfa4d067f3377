// Fonts rasterized at the UI scale: DejaVu Sans (Latin, Greek and the math glyphs ⌊ ⌋ ⌈ ⌉ × − Σ ⋆) merged
// with Nanum Gothic (Hangul), both bundled in assets/fonts with their licences. Rebuilt whenever the scale
// changes, so text is rasterized at its drawn size rather than stretched. A missing font file falls back to
// ImGui's built-in font with a message, never a crash.
#pragma once

#include <string>

#include "app/ui/view.hpp"

namespace convscope::ui {

// Base pixel sizes at scale 1.
inline constexpr float kUiFontPx = 18.0f;
inline constexpr float kBigFontPx = 30.0f;
// The canvas font's raster size, whatever the scale (grid numbers up to about this size stay crisp).
inline constexpr float kHugeFontPx = 96.0f;
inline constexpr float kSmallFontPx = 20.0f;

// The assets folder: $CONVSCOPE_ASSETS when set, else relative to the executable (../share/convscope when
// installed, assets/ or ../assets/), then the source tree's, but only for the executable in its build folder.
// Empty when none holds fonts/DejaVuSans.ttf.
std::string find_assets_dir();
// Text from outside the string table that the fonts must draw (a lesson's captions); takes effect at the
// next build_fonts.
void set_extra_glyph_text(std::string text);
// A bundled lesson's file ("lecture" → ASSETS/lessons/lecture.json); a path (with / or .json) as it is.
std::string lesson_path(const std::string& name_or_file);

// Clears the ImGui font atlas and adds the fonts at `scale`; returns the fonts and, when a file was missing,
// a message for the user. The caller re-uploads the atlas texture.
Fonts build_fonts(const std::string& assets_dir, float scale, std::string& message);

}  // namespace convscope::ui
