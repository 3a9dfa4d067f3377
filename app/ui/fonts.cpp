#include "app/ui/fonts.hpp"

#include <unistd.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>

namespace convscope::ui {
namespace {

namespace fs = std::filesystem;

bool has_fonts(const fs::path& dir) {
    std::error_code ec;
    return fs::is_regular_file(dir / "fonts" / "DejaVuSans.ttf", ec);
}

// Every glyph the UI draws: Latin-1, the string table in both languages, and the math/playback symbols. Only
// these Hangul syllables are rasterized (all 11,172 would not fit an atlas at 3×).
const ImWchar* glyph_ranges() {
    static ImVector<ImWchar> ranges;
    if (ranges.empty()) {
        ImFontGlyphRangesBuilder b;
        b.AddRanges(ImGui::GetIO().Fonts->GetGlyphRangesDefault());
        for (std::string_view s : all_strings()) b.AddText(s.data(), s.data() + s.size());
        b.AddText(kExtraGlyphs);
        b.BuildRanges(&ranges);
    }
    return ranges.Data;
}

ImFont* add_font(const fs::path& assets, float px, bool& ok) {
    ImFontAtlas* atlas = ImGui::GetIO().Fonts;
    const std::string latin = (assets / "fonts" / "DejaVuSans.ttf").string();
    const std::string hangul = (assets / "fonts" / "NanumGothic.ttf").string();
    ImFontConfig cfg;
    // Large text needs no horizontal oversampling; skipping it keeps the 3× atlas small.
    cfg.OversampleH = px > 30.0f ? 1 : 2;
    cfg.OversampleV = 1;
    ImFont* font = nullptr;
    if (!assets.empty() && access(latin.c_str(), R_OK) == 0)
        font = atlas->AddFontFromFileTTF(latin.c_str(), px, &cfg, glyph_ranges());
    if (!font) {
        ok = false;
        ImFontConfig fallback;
        fallback.SizePixels = px;
        return atlas->AddFontDefault(&fallback);
    }
    if (access(hangul.c_str(), R_OK) == 0) {
        ImFontConfig merge = cfg;
        merge.MergeMode = true;
        atlas->AddFontFromFileTTF(hangul.c_str(), px, &merge, glyph_ranges());
    } else {
        ok = false;
    }
    return font;
}

}  // namespace

std::string find_assets_dir() {
    // An explicit folder wins, even one without fonts (the tests use that to check the fallback).
    if (const char* env = std::getenv("CONVSCOPE_ASSETS"); env && *env) return has_fonts(env) ? env : "";
    std::error_code ec;
    const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
    if (ec) return "";
    // Installed (`cmake --install`, the .deb): <prefix>/bin/convscope reads <prefix>/share/convscope,
    // wherever the prefix was moved. A folder beside the executable (a copied or unpacked tree) also counts.
    const fs::path dir = exe.parent_path();
    for (const fs::path& p :
         {dir.parent_path() / "share" / "convscope", dir / "assets", dir.parent_path() / "assets"})
        if (has_fonts(p)) return p.string();
#if defined(CONVSCOPE_SOURCE_ASSETS) && defined(CONVSCOPE_BUILD_EXE_DIR)
    // The source tree only for the executable in its own build folder: an installed copy must never depend,
    // silently, on a checkout that happens to still exist.
    if (fs::equivalent(dir, CONVSCOPE_BUILD_EXE_DIR, ec) && has_fonts(CONVSCOPE_SOURCE_ASSETS))
        return CONVSCOPE_SOURCE_ASSETS;
#endif
    return "";
}

Fonts build_fonts(const std::string& assets_dir, float scale, std::string& message) {
    ImFontAtlas* atlas = ImGui::GetIO().Fonts;
    atlas->Clear();
    Fonts f;
    bool ok = true;
    f.ui_size = std::round(kUiFontPx * scale);
    f.big_size = std::round(kBigFontPx * scale);
    f.ui = add_font(assets_dir, f.ui_size, ok);
    f.big = add_font(assets_dir, f.big_size, ok);
    if (!atlas->Build()) {
        // An atlas too large for the texture: fall back rather than draw nothing.
        atlas->Clear();
        ImFontConfig cfg;
        cfg.SizePixels = f.ui_size;
        f.ui = f.big = atlas->AddFontDefault(&cfg);
        atlas->Build();
        ok = false;
    }
    message.clear();
    if (!ok) {
        const std::string where = assets_dir.empty() ? std::string("assets/fonts") : assets_dir + "/fonts";
        // In English: the built-in font has no Hangul.
        char buf[512];
        std::snprintf(buf, sizeof buf, tr(Str::msg_font_missing, Lang::En),
                      (where + "/DejaVuSans.ttf, NanumGothic.ttf").c_str());
        message = buf;
    }
    return f;
}

}  // namespace convscope::ui
