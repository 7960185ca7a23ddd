#pragma once
// The NeRF-synthetic ("Blender lego") camera files (docs/architecture.md "Data", "NeRF scenes"):
//
//   transforms_train.json / transforms_test.json / transforms_val.json
//   { "camera_angle_x": 0.6911,                  horizontal field of view, radians, in (0, pi)
//     "frames": [ { "file_path": "./train/r_0",  relative to the JSON's folder; ".png" optional
//                   "transform_matrix": [[...], [...], [...], [0, 0, 0, 1]] }, ... ] }
//
// transform_matrix is camera-to-world, four rows, in the OpenGL camera convention: the camera
// looks down its -Z, +Y is up in the picture, +X is right. Other keys are ignored.
//
// Reading validates everything without touching the images (nerf_split.h decodes them); any
// problem is a std::runtime_error naming the JSON file, and the frame (index and file_path) when
// it is one frame's. Never an assert on input: the reader is fuzz-friendly.
#include <filesystem>
#include <string>
#include <vector>

#include "model/scene_data/scene_math.h"

namespace fieldscope {

struct NerfFrame {
  Matrix4 cameraToWorld{};  // row-major
  std::string file;         // file_path as written in the JSON ("./train/r_0")
};

struct NerfTransforms {
  std::filesystem::path json;  // the file read
  float cameraAngleX = 0;
  std::vector<NerfFrame> views;
};

// Parses and validates `jsonFile`: camera_angle_x a finite number in (0, pi); frames a non-empty
// list; each frame's file_path a non-empty string and transform_matrix 4x4 finite numbers whose
// bottom row is (0, 0, 0, 1) and whose 3x3 part is invertible (|det| > 1e-6).
NerfTransforms readNerfTransforms(const std::filesystem::path& jsonFile);

// The same checks on JSON text already in memory (`jsonFile` only names it in messages).
NerfTransforms parseNerfTransforms(const std::string& text, const std::filesystem::path& jsonFile);

// The image file of a frame: file_path beside the JSON, as written when it ends in ".png" or when
// FILE.png does not exist but FILE does, else FILE.png (the usual extension-less entries).
std::filesystem::path nerfImagePath(const std::filesystem::path& jsonFile, const std::string& filePath);

// Writes a transforms file atomically (model/io/atomic_file.h, "Writing files"). Throws
// std::runtime_error on a bad angle or a failed write, naming the file.
void writeNerfTransforms(const std::filesystem::path& jsonFile, float cameraAngleX, const std::vector<NerfFrame>& frames);

// "'FILE': frame 3 ('./train/r_3'): " -- the prefix of every message about one frame.
std::string nerfFrameWhere(const std::filesystem::path& jsonFile, std::size_t index, const std::string& filePath);

}  // namespace fieldscope
