// The shell's save dialog (app/ui/shell/save_dialog.cpp).
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "app/ui/strings.hpp"

namespace convscope::ui {

// An in-app save dialog (ImGui has none): the folder's subfolders and matching files, a file name, Save and
// Cancel, and a question before replacing a file. Everything runs on the UI thread; a folder lists at most
// kMaxEntries names.
//   dialog.open(SaveDialog::Purpose::ExportFrame, folder, "frame.png");
//   if (auto path = dialog.draw()) write(*path);   // every frame
struct SaveDialog {
    enum class Purpose { None, SaveAs, ExportFrame, ExportAnimation };
    static constexpr size_t kMaxEntries = 2000;
    Purpose purpose = Purpose::None;
    std::string folder;
    std::string name;
    std::string extension;  // ".json", ".png" or ".gif": the files listed and the name's default ending
    std::vector<std::string> subfolders, files;
    Message list_error;  // why the folder cannot be listed
    bool confirm_replace = false;
    bool just_opened = false;
    // Opens the dialog on `folder` (the current folder when empty) with a suggested file name.
    void open(Purpose p, std::string start_folder, std::string file_name);
    // Draws it while open; returns the chosen path once, when Save (or Replace) is pressed.
    // `enter_key`: Enter was pressed outside the name field this frame (it answers the question too).
    std::optional<std::string> draw(bool enter_key);
    // Re-reads the folder's entries.
    void list();
};

}  // namespace convscope::ui
