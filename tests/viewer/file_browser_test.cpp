// The Open/Export dialogs' file browser listing: folders first, then only the wanted files, by
// name; hidden entries left out; a folder that cannot be listed says why.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "app/panels/file_browser.h"

namespace fieldscope {
namespace {
namespace fs = std::filesystem;

TEST(FileBrowser, FoldersFirstThenTheWantedFilesByName) {
  const fs::path dir = fs::temp_directory_path() / ("fieldscope-browse-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir / "zoo");
  fs::create_directories(dir / "alpha");
  fs::create_directories(dir / ".hidden");
  for (const char* f : {"b.fsm", "a.PNG", "notes.txt", ".secret.fsm", "c.jpeg"}) std::ofstream(dir / f) << "x";
  FileBrowserState st;
  st.folder = dir;
  listFolder(st, {".fsm", ".png", ".jpg", ".jpeg"});
  ASSERT_TRUE(st.problem.empty()) << st.problem;
  std::vector<std::string> names;
  for (const auto& e : st.entries) names.push_back(e.name + (e.isFolder ? "/" : ""));
  EXPECT_EQ(names, (std::vector<std::string>{"alpha/", "zoo/", "a.PNG", "b.fsm", "c.jpeg"}));
  st.folder = dir / "missing";
  listFolder(st, {});
  EXPECT_NE(st.problem.find("cannot list"), std::string::npos);
  EXPECT_TRUE(st.entries.empty());
  fs::remove_all(dir);
}

}  // namespace
}  // namespace fieldscope
