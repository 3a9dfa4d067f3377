#include "app/ui/widgets/fonts.hpp"

#include <unistd.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <optional>
#include <vector>

#include <stb/stb_truetype.h>

#include "core/io/fileio.hpp"

namespace convscope::ui {
namespace {

namespace fs = std::filesystem;

bool has_fonts(const fs::path& dir) {
    std::error_code ec;
    return fs::is_regular_file(dir / "fonts" / "DejaVuSans.ttf", ec);
}

// Every glyph the UI draws: Latin-1, the string table in both languages, and the math/playback symbols. Only
// these Hangul syllables are rasterized (all 11,172 would not fit an atlas at 3×).
std::string g_extra_glyphs;
bool g_extra_changed = false;

const ImWchar* glyph_ranges() {
    static ImVector<ImWchar> ranges;
    if (ranges.empty() || g_extra_changed) {
        g_extra_changed = false;
        ranges.clear();
        ImFontGlyphRangesBuilder b;
        b.AddText(g_extra_glyphs.c_str());
        b.AddRanges(ImGui::GetIO().Fonts->GetGlyphRangesDefault());
        for (std::string_view s : all_strings()) b.AddText(s.data(), s.data() + s.size());
        b.AddText(kExtraGlyphs);
        b.BuildRanges(&ranges);
    }
    return ranges.Data;
}

// Big-endian reads of a font's table directory.
uint32_t be32(const uint8_t* p) {
    return uint32_t(p[0]) << 24 | uint32_t(p[1]) << 16 | uint32_t(p[2]) << 8 | p[3];
}

// A font file ImGui can use, read like every other file (a regular file only, capped at 64 MiB): its table
// directory lies inside the file, every table it lists does too, and stb_truetype (the parser ImGui itself
// runs, which checks no bounds and asserts on a file it cannot read) accepts it. nullopt otherwise: a
// corrupt or empty font then falls back like a missing one.
std::optional<std::vector<uint8_t>> read_usable_font(const std::string& path) {
    auto bytes = read_file(path, 64 << 20);
    if (!bytes || bytes->size() < 12) return std::nullopt;
    const uint8_t* d = bytes->data();
    const size_t size = bytes->size();
    const uint32_t tag = be32(d);
    if (tag != 0x00010000u && tag != 0x74727565u /* true */ && tag != 0x4F54544Fu /* OTTO */)
        return std::nullopt;  // a single font only (no collections)
    const size_t tables = size_t(d[4]) << 8 | d[5];
    if (tables == 0 || 12 + 16 * tables > size) return std::nullopt;
    for (size_t i = 0; i < tables; ++i) {
        const uint8_t* entry = d + 12 + 16 * i;
        const uint64_t offset = be32(entry + 8), length = be32(entry + 12);
        if (offset + length > size) return std::nullopt;
    }
    if (stbtt_GetFontOffsetForIndex(d, 0) != 0) return std::nullopt;
    stbtt_fontinfo info;
    if (!stbtt_InitFont(&info, d, 0)) return std::nullopt;
    return std::move(*bytes);
}

// Hands validated font bytes to the atlas, which then owns (and frees) its copy.
ImFont* add_font_bytes(ImFontAtlas* atlas, const std::vector<uint8_t>& bytes, float px, ImFontConfig* cfg) {
    void* copy = IM_ALLOC(bytes.size());
    std::memcpy(copy, bytes.data(), bytes.size());
    return atlas->AddFontFromMemoryTTF(copy, int(bytes.size()), px, cfg, glyph_ranges());
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
    if (!assets.empty())
        if (auto bytes = read_usable_font(latin)) font = add_font_bytes(atlas, *bytes, px, &cfg);
    if (!font) {
        ok = false;
        ImFontConfig fallback;
        fallback.SizePixels = px;
        return atlas->AddFontDefault(&fallback);
    }
    if (auto bytes = read_usable_font(hangul)) {
        ImFontConfig merge = cfg;
        merge.MergeMode = true;
        add_font_bytes(atlas, *bytes, px, &merge);
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
    f.huge_size = kHugeFontPx;
    f.huge = add_font(assets_dir, f.huge_size, ok);
    f.small_size = kSmallFontPx;
    f.small = add_font(assets_dir, f.small_size, ok);
    if (!atlas->Build()) {
        // An atlas too large for the texture: fall back rather than draw nothing.
        atlas->Clear();
        ImFontConfig cfg;
        cfg.SizePixels = f.ui_size;
        f.ui = f.big = f.huge = f.small = atlas->AddFontDefault(&cfg);
        atlas->Build();
        ok = false;
    }
    message.clear();
    if (!ok) {
        const std::string where = assets_dir.empty() ? std::string("assets/fonts") : assets_dir + "/fonts";
        // In English: the built-in font has no Hangul.
        message = trf(Lang::En, Str::msg_font_missing, where + "/DejaVuSans.ttf, NanumGothic.ttf");
    }
    return f;
}

std::string lesson_path(const std::string& name_or_file) {
    if (name_or_file.find('/') != std::string::npos || name_or_file.ends_with(".json")) return name_or_file;
    const std::string assets = find_assets_dir();
    return (assets.empty() ? std::string("assets") : assets) + "/lessons/" + name_or_file + ".json";
}

void set_extra_glyph_text(std::string text) {
    if (text == g_extra_glyphs) return;
    g_extra_glyphs = std::move(text);
    g_extra_changed = true;
}

}  // namespace convscope::ui
