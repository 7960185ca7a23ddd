// The model picker's list: *.fsm files of the search folders, once each, sorted; the
// shipped emoji model is found from the source tree.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "app/cli/shipped_models.h"

namespace fieldscope {
namespace {
namespace fs = std::filesystem;

TEST(ShippedModels, ListsFsmFilesOnceSorted) {
  const fs::path d = fs::temp_directory_path() / ("fieldscope-models-" + std::to_string(::getpid()));
  fs::remove_all(d);
  fs::create_directories(d / "a");
  fs::create_directories(d / "b" / "nested.fsm");  // a folder, not a model
  for (const char* f : {"a/zeta.fsm", "a/alpha.fsm", "a/readme.md", "b/beta.fsm"}) std::ofstream(d / f) << "x";
  const auto models = listModels({d / "missing", d / "a", d / "b", d / "a" / ".." / "a"});
  ASSERT_EQ(models.size(), 3u);
  EXPECT_EQ(models[0].filename(), "alpha.fsm");
  EXPECT_EQ(models[1].filename(), "zeta.fsm");
  EXPECT_EQ(models[2].filename(), "beta.fsm");
  EXPECT_TRUE(models[0].is_absolute());
  fs::remove_all(d);
}

TEST(ShippedModels, FindsTheShippedEmojiModel) {
  bool found = false;
  for (const fs::path& p : findShippedModels()) found |= p.filename() == "emoji-image.fsm";
  EXPECT_TRUE(found) << "assets/models/emoji-image.fsm should be found from the source tree";
}

}  // namespace
}  // namespace fieldscope
