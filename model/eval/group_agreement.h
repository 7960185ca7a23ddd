#pragma once
// How often a guided model gives what was asked (issue 16): the share of pictures whose emoji
// classifier's prediction is the class each was sampled for: its predicted subgroup for a model of
// emoji subgroups, that subgroup's group for a model of emoji groups.
#include <torch/types.h>

#include <string>
#include <vector>

#include "model/eval/emoji_classifier.h"

namespace fieldscope {

// pictures: N x 3 x R x R in [-1, 1]; wanted: N group or subgroup names (as in emoji-test.txt; the
// two sets of names are disjoint). Throws
// std::invalid_argument when the sizes differ.
double groupAgreement(EmojiClassifier& classifier, const torch::Tensor& pictures, const std::vector<std::string>& wanted);

}  // namespace fieldscope
