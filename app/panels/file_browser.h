#pragma once
// A small file browser for the Open and Export dialogs (issue 15, item 3): the folders and the
// files with the wanted extensions of one folder, ".." to go up; clicking a folder enters it,
// clicking a file picks it. The listing is read once per folder (Refresh reads it again).
#include <filesystem>
#include <string>
#include <vector>

namespace fieldscope {

struct FileBrowserState {
  std::filesystem::path folder;  // shown; empty: the current working folder
  std::filesystem::path listed;  // the folder `entries` belong to
  struct Entry {
    std::string name;
    bool isFolder = false;
  };
  std::vector<Entry> entries;
  std::string problem;  // why the folder cannot be listed
};

// Reads `st.folder` into `st.entries` (folders first, then files with one of `extensions`,
// lower-case with the dot; empty: every file), sorted by name; hidden entries are left out.
void listFolder(FileBrowserState& st, const std::vector<std::string>& extensions);

// Draws the browser in a child region `height` pixels tall. Returns the file clicked (full path),
// or "" when none was; `doubleClicked` says whether the click was a double-click.
std::string drawFileBrowser(FileBrowserState& st, const std::vector<std::string>& extensions, float height,
                            bool& doubleClicked);

}  // namespace fieldscope
