// The 3D view's state JSON (app/views/view3d_state.*): a round trip keeps every value; restored
// values are validated and clamped -- NaN, infinities and 1e19 never reach the camera or the
// shader; wrong types are errors naming the entry; the iso mapping of occupancy logits.
#include <gtest/gtest.h>

#include <cmath>
#include <glm/geometric.hpp>
#include <limits>

#include "app/views/view3d_state.h"

namespace fieldscope {
namespace {

View3DLimits limits() {
  View3DLimits l;
  l.targetRange = 2.2f;
  l.offsetRange = 0.95f;
  l.modes = {"shaded", "normals", "depth"};
  return l;
}

TEST(View3DState, RoundTrip) {
  View3DState s;
  s.camera.azimuthDeg = -75.5f;
  s.camera.elevationDeg = 33.0f;
  s.camera.distance = 2.25f;
  s.camera.target = {0.1f, -0.2f, 0.05f};
  s.camera.fovYDeg = 35.0f;
  s.iso = 0.27f;
  s.clip = {true, ClipAxis::View, glm::vec3(1.0f, 0.0f, 0.0f), -0.12f, true};
  s.render = {false, 45.0f, "normals", false};
  s.resolution = 256;
  const nlohmann::json j = view3dStateToJson(s);
  const View3DState r = view3dStateFromJson(nlohmann::json::parse(j.dump()), View3DState{}, limits());
  EXPECT_EQ(view3dStateToJson(r), j);
  EXPECT_EQ(r.clip.axis, ClipAxis::View);
  EXPECT_EQ(r.render.mode, "normals");
  EXPECT_FALSE(r.render.exactStill);
}

TEST(View3DState, HugeAndNonFiniteValuesAreClampedOrIgnored) {
  const View3DState base;
  const double nan = std::numeric_limits<double>::quiet_NaN(), inf = std::numeric_limits<double>::infinity();
  nlohmann::json j = {{"camera", {{"azimuth", 1e30}, {"elevation", inf}, {"distance", 1e19}, {"target", {nan, 1e19, -inf}}, {"fov", -1e19}}},
                      {"iso", 5.0},
                      {"clip", {{"offset", 1e19}, {"normal", {0, 0, 0}}}},
                      {"render", {{"target_fps", nan}}},
                      {"resolution", 1e19}};
  const View3DState s = view3dStateFromJson(j, base, limits());
  EXPECT_TRUE(std::isfinite(s.camera.azimuthDeg));
  EXPECT_LE(std::abs(s.camera.azimuthDeg), 180.0f);
  EXPECT_EQ(s.camera.elevationDeg, OrbitCamera::kMaxElevationDeg);
  EXPECT_EQ(s.camera.distance, OrbitCamera::kMaxDistance);
  EXPECT_EQ(s.camera.target.x, base.camera.target.x) << "NaN keeps the value";
  EXPECT_EQ(s.camera.target.y, 2.2f);
  EXPECT_EQ(s.camera.target.z, -2.2f);
  EXPECT_EQ(s.camera.fovYDeg, OrbitCamera::kMinFovDeg);
  EXPECT_EQ(s.iso, 0.99f);
  EXPECT_EQ(s.clip.offset, 0.95f);
  EXPECT_EQ(s.clip.viewNormal, base.clip.viewNormal) << "a zero normal keeps the old one";
  EXPECT_EQ(s.render.targetFps, base.render.targetFps);
  EXPECT_EQ(s.resolution, 512);
  // Through the JSON text: NaN and inf are written as null and come back as "keep".
  const View3DState t = view3dStateFromJson(nlohmann::json::parse(j.dump()), base, limits());
  EXPECT_TRUE(std::isfinite(t.camera.target.x) && std::isfinite(t.camera.elevationDeg));
  EXPECT_EQ(view3dStateFromJson({{"resolution", -5}}, base, limits()).resolution, 64);
  EXPECT_EQ(view3dStateFromJson({{"iso", -1e300}}, base, limits()).iso, 0.01f);
}

TEST(View3DState, WrongTypesAreErrorsNamingTheEntry) {
  const View3DState base;
  auto message = [&](const nlohmann::json& j) {
    try {
      view3dStateFromJson(j, base, limits());
    } catch (const std::runtime_error& e) {
      return std::string(e.what());
    }
    return std::string("accepted");
  };
  EXPECT_NE(message({{"camera", {{"distance", "far"}}}}).find("view3d.camera.distance"), std::string::npos);
  EXPECT_NE(message({{"camera", 3}}).find("view3d.camera"), std::string::npos);
  EXPECT_NE(message({{"clip", {{"axis", "w"}}}}).find("view3d.clip.axis"), std::string::npos);
  EXPECT_NE(message({{"clip", {{"enabled", 1}}}}).find("view3d.clip.enabled"), std::string::npos);
  EXPECT_NE(message({{"render", {{"mode", "xray"}}}}).find("view3d.render.mode"), std::string::npos);
  EXPECT_NE(message({{"camera", {{"target", {1, 2}}}}}).find("view3d.camera.target"), std::string::npos);
  EXPECT_NE(message(nlohmann::json::array()).find("not an object"), std::string::npos);
  EXPECT_EQ(message(nlohmann::json::object()), "accepted");
  EXPECT_EQ(message({{"iso", nullptr}}), "accepted");
}

TEST(View3DState, IsoScaleMapsProbabilitiesToLogits) {
  const IsoScale s = IsoScale::occupancyProbability();
  EXPECT_FLOAT_EQ(s.toShader(0.5f), 0.0f);
  EXPECT_NEAR(s.toShader(0.9f), std::log(9.0f), 1e-5);
  EXPECT_NEAR(s.fromShader(s.toShader(0.27f)), 0.27f, 1e-6);
  EXPECT_TRUE(std::isfinite(s.toShader(0.0f)) && std::isfinite(s.toShader(1.0f)));
  EXPECT_EQ(s.clamp(std::nanf("")), s.initial);
  const IsoScale d = IsoScale::linear(0.1f, 100.0f, 10.0f, "density", true);
  EXPECT_EQ(d.toShader(25.0f), 25.0f);
  EXPECT_EQ(d.clamp(1e9f), 100.0f);
}

TEST(View3DState, ClipPlaneRemovesThePositiveSide) {
  ClipState c;
  EXPECT_FALSE(c.plane().has_value());
  c.enabled = true;
  c.axis = ClipAxis::Z;
  c.offset = 0.1f;
  const glm::vec4 p = *c.plane();
  auto removed = [&](glm::vec3 x) { return glm::dot(glm::vec3(p), x) + p.w > 0; };
  EXPECT_TRUE(removed({0, 0, 0.2f}));
  EXPECT_FALSE(removed({0, 0, 0.0f}));
  c.flip = true;
  const glm::vec4 q = *c.plane();
  EXPECT_EQ(glm::vec3(q), glm::vec3(0, 0, -1));
}

}  // namespace
}  // namespace fieldscope
