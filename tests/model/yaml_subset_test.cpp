// The YAML reader for the DDMI authors' configs (model/io/yaml_subset.h).
#include <gtest/gtest.h>

#include <stdexcept>

#include "model/io/yaml_subset.h"

namespace fieldscope {
namespace {

TEST(YamlSubset, ReadsTheAuthorsConfigLayout) {
  const auto j = parseYamlSubset(R"(model:
  DiT: False
  lr: 1e-4
  embed_dim: 64   # the latent channels
  params:
    ddconfig:
      double_z: True
      ch_mult:
      - 1
      - 2
      - 4
      attn_resolutions: []
      hdbf_resolutions: [128, 64]
      attn_type: vanilla
      dropout: 0.0
    empty:
data:
  data_dir: ./train_data_path/       #replace directory
  name: "a # not a comment"
)",
                                 "afhq.yaml");
  EXPECT_EQ(j["model"]["DiT"], false);
  EXPECT_DOUBLE_EQ(j["model"]["lr"].get<double>(), 1e-4);
  EXPECT_EQ(j["model"]["embed_dim"], 64);
  const auto& dd = j["model"]["params"]["ddconfig"];
  EXPECT_EQ(dd["double_z"], true);
  EXPECT_EQ(dd["ch_mult"], nlohmann::json::array({1, 2, 4}));
  EXPECT_TRUE(dd["attn_resolutions"].is_array() && dd["attn_resolutions"].empty());
  EXPECT_EQ(dd["hdbf_resolutions"], nlohmann::json::array({128, 64}));
  EXPECT_EQ(dd["attn_type"], "vanilla");
  EXPECT_TRUE(dd["dropout"].is_number_float());
  EXPECT_TRUE(j["model"]["params"]["empty"].is_null());
  EXPECT_EQ(j["data"]["data_dir"], "./train_data_path/");
  EXPECT_EQ(j["data"]["name"], "a # not a comment");
}

TEST(YamlSubset, ASequenceAtTheKeysIndentEndsAtTheNextKey) {
  const auto j = parseYamlSubset("a:\n- 1\n- 2\nb: 3\n", "t.yaml");
  EXPECT_EQ(j["a"], nlohmann::json::array({1, 2}));
  EXPECT_EQ(j["b"], 3);
}

TEST(YamlSubset, RefusesWhatItDoesNotReadNamingTheLine) {
  auto failsAt = [](const std::string& text, const std::string& mention) {
    try {
      parseYamlSubset(text, "c.yaml");
      ADD_FAILURE() << "parsed: " << text;
    } catch (const std::runtime_error& e) {
      EXPECT_NE(std::string(e.what()).find("c.yaml: line " + mention), std::string::npos) << e.what();
    }
  };
  failsAt("a: 1\n\tb: 2\n", "2: a tab");
  failsAt("a: 1\na: 2\n", "2: the key 'a' appears twice");
  failsAt("a:\n  b: 1\n c: 2\n", "3");
  failsAt("a: &anchor 1\n", "1: anchors");
  failsAt("a: [1, 2\n", "1: a flow sequence");
  failsAt("a: {b: 1}\n", "1: flow mappings");
  failsAt("just text\n", "1: expected 'key: value'");
}

}  // namespace
}  // namespace fieldscope
