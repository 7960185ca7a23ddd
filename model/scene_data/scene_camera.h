#pragma once
// Cameras of the NeRF scene set (docs/architecture.md "Data", "NeRF scenes"): camera-to-world
// matrices in the OpenGL convention of the transforms files (the camera looks down its -Z, +Y up,
// +X right), world up +Z as in the Blender lego set, and the pinhole that maps pixels to rays.
#include <cstdint>
#include <vector>

#include "model/scene_data/scene_math.h"

namespace fieldscope {

// The lego set's horizontal field of view (radians), used for every generated view.
inline constexpr float kSceneCameraAngleX = 0.6911112070083618f;
// Generated cameras sit on this sphere around the origin, looking at it.
inline constexpr double kSceneCameraRadius = 4.0;

// The camera at `eye` looking at `target`, world up +Z (the picture's +Y is the projection of +Z).
Matrix4 lookAtCameraToWorld(Vec3 eye, Vec3 target);

// On the sphere of kSceneCameraRadius: azimuth around +Z from +X, elevation above the XY plane.
Matrix4 orbitCamera(double azimuthDegrees, double elevationDegrees);

// Training views: `count` cameras at random azimuths and elevations in [-10, 70] degrees (uniform
// on that band of the sphere), from `seed` (reproducible on any machine).
std::vector<Matrix4> randomOrbitCameras(int count, std::uint64_t seed);
// Test views: `count` cameras evenly spaced on a rising spiral (elevation 5 -> 55 degrees, one
// turn, azimuths offset by half a step from 0), so they are not the training ones.
std::vector<Matrix4> spiralOrbitCameras(int count);

struct Ray {
  Vec3 origin, direction;  // direction of unit length
};

// The ray through picture point (px, py) in pixels (the top-left corner of the picture is (0, 0),
// pixel (i, j)'s centre is (i + 0.5, j + 0.5)) of a width x height view.
Ray pixelRay(const Matrix4& cameraToWorld, float cameraAngleX, int width, int height, double px, double py);

// Where world point `p` lands in the picture, in the same pixel coordinates; false when it is
// behind the camera.
bool projectToPixel(const Matrix4& cameraToWorld, float cameraAngleX, int width, int height, Vec3 p, double& px, double& py);

}  // namespace fieldscope
