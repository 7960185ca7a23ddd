// The image view's session state (sample spec, view placement) is validated before anything
// is restored: a wrong type or an impossible value names its entry. (These were checked by the
// session file when it knew only images; the state is now the view's own.)
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "app/domains/image/sample_spec_json.h"
#include "model/diffusion/class_guidance.h"
#include "app/views/view_placement.h"

namespace fieldscope {
namespace {

TEST(ImageViewState, SampleSpecRoundTripsExactly) {
  SampleSpec s;
  s.seed = 123456789012345ull;
  s.steps = 17;
  s.eta = 0.25f;
  s.blend = true;
  s.seedB = 42;
  s.t = 0.375f;
  s.plane = true;
  s.planeX = 3.25;
  s.planeY = 0.1;
  s.group = 9;         // a class of a class-conditional model
  s.guidance = 3.5f;
  EXPECT_EQ(sampleSpecFromJson(nlohmann::json::parse(sampleSpecToJson(s).dump())), s);
  s.group = groupClass(8);  // a whole group of a model of subgroups ("Flags")
  EXPECT_EQ(sampleSpecFromJson(nlohmann::json::parse(sampleSpecToJson(s).dump())), s);
}

TEST(ImageViewState, BadSampleEntriesAreNamed) {
  const std::pair<const char*, const char*> cases[] = {
      {R"({"seed": "three"})", "sample.seed"}, {R"({"seed": -1})", "sample.seed"},
      {R"({"steps": 0})", "sample.steps"},     {R"({"t": 2.5})", "sample.t"},
      {R"({"eta": -0.5})", "sample.eta"},      {R"({"plane_x": 1e300})", "plane_x"},
      {R"([1, 2])", "sample"},                 {R"({"group": -3})", "sample.group"},
      {R"({"group": -99})", "sample.group"},
      {R"({"guidance": 1e9})", "sample.guidance"},
  };
  for (const auto& [text, entry] : cases) {
    try {
      sampleSpecFromJson(nlohmann::json::parse(text));
      ADD_FAILURE() << text << " was accepted";
    } catch (const std::runtime_error& e) {
      EXPECT_NE(std::string(e.what()).find(entry), std::string::npos) << text << " -> " << e.what();
    }
  }
}

TEST(ImageViewState, BadViewPlacementsAreNamed) {
  const std::pair<const char*, const char*> cases[] = {
      {R"({"cx": 0.5, "cy": 0.5, "zoom": -1})", "view.zoom"},
      {R"({"cx": 1e19, "cy": 0.5, "zoom": 1})", "view centre"},
      {R"({"cx": "left"})", "view.cx"},
      {R"([1, 2, 3])", "view"},
  };
  for (const auto& [text, entry] : cases) {
    try {
      viewPlacementFromJson(nlohmann::json::parse(text));
      ADD_FAILURE() << text << " was accepted";
    } catch (const std::runtime_error& e) {
      EXPECT_NE(std::string(e.what()).find(entry), std::string::npos) << text << " -> " << e.what();
    }
  }
  const ViewPlacement p = viewPlacementFromJson(nlohmann::json::parse(R"({"cx": 0.3, "cy": 0.4, "zoom": 4})"));
  EXPECT_EQ(p.cx, 0.3);
  EXPECT_EQ(p.cy, 0.4);
  EXPECT_EQ(p.zoom, 4.0);
}

}  // namespace
}  // namespace fieldscope
