#pragma once
// Models that several model tests need trained, trained once per ctest run by the fixture test
// `model_fixtures` (tests/model/fixtures/make_fixtures.cpp) into <build>/test-fixtures/.
// gtest_discover_tests runs every test as its own process: trained in the test, the VAE below was
// trained once per test (6 times a run); now once. Suites that use a fixture are named Fixture*,
// which tests/model/CMakeLists.txt gives FIXTURES_REQUIRED.
#include <torch/types.h>

#include <filesystem>

namespace fieldscope::test {

// The folder of the trained fixtures (a compile definition: one place names it).
std::filesystem::path fixturesDir();

// A tiny VAE overfitted on overfitImages() with the real trainer (400 steps).
std::filesystem::path overfitVaePath();
torch::Tensor overfitImages();  // 4 synthetic 16² faces, N x 3 x 16 x 16 in [-1,1]

// Trains every fixture into fixturesDir(), replacing its own folders there (make_fixtures' body).
void trainFixtures();

// `path` if it exists; otherwise throws std::runtime_error naming it and how to make it. A test
// must fail, never skip, when its fixture is missing.
std::filesystem::path requireFixture(const std::filesystem::path& path);

}  // namespace fieldscope::test
