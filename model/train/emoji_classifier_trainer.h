#pragma once
// `fieldscope train emoji-classifier` (docs/architecture.md "Sample quality"): trains the emoji
// subgroup classifier (model/eval/emoji_classifier.h) on an emoji set folder (`fieldscope data
// emoji`), labelled through model/data/emoji_labels.h, on the shared training loop. The held-out
// 10% of the folder (by file name) gives the accuracy recorded in the model file.
#include <cstdint>
#include <filesystem>

#include "model/data/emoji_font.h"
#include "model/data/emoji_labels.h"
#include "model/train/training_loop.h"

namespace fieldscope {

struct EmojiClassifierTrainOptions {
  TrainingRunOptions run{.steps = 3000, .checkpointEvery = 500};
  std::filesystem::path dataDir;
  std::filesystem::path font = kDefaultEmojiFont;
  std::filesystem::path emojiTest = kDefaultEmojiTestFile;
  int resolution = 64;
  int width = 32;
  int64_t batch = 64;
  double lr = 2e-3;
};

struct EmojiClassifierTrainResult {
  int64_t stepsDone = 0;
  bool interrupted = false;
  double seconds = 0;
  double heldOutSubgroupAccuracy = 0, heldOutGroupAccuracy = 0;
  int64_t heldOutImages = 0;
};

EmojiClassifierTrainResult trainEmojiClassifier(const EmojiClassifierTrainOptions& o);

}  // namespace fieldscope
