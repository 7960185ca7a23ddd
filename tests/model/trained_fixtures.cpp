#include "tests/model/trained_fixtures.h"

#include <torch/torch.h>

#include <stdexcept>

#include "model/train/image_vae_trainer.h"
#include "tests/model/test_support.h"

namespace fieldscope::test {

std::filesystem::path fixturesDir() { return FIELDSCOPE_TEST_FIXTURES_DIR; }

std::filesystem::path overfitVaePath() { return fixturesDir() / "overfit-vae" / "vae.fsm"; }

torch::Tensor overfitImages() { return syntheticFaces(4, 16); }

void trainFixtures() {
  torch::set_num_threads(2);
  // Start empty: a failed training must not leave the previous run's model for the tests to find.
  // Only this fixture's folder: the DDMI checkpoint fixture (tests/model/CMakeLists.txt) writes
  // test-fixtures/ddmi/ at the same time, and removing the whole folder raced with it.
  const auto dir = overfitVaePath().parent_path();
  std::filesystem::remove_all(dir);
  writeImages(dir / "data", overfitImages());
  ImageVaeTrainOptions o;
  o.dataDir = dir / "data";
  o.run.out = overfitVaePath();
  o.preset = "tiny";
  o.run.steps = 400;
  o.batch = 4;
  o.lr = 3e-3;
  o.run.seed = 1;
  o.run.checkpointEvery = 1000;
  o.run.quiet = true;
  trainImageVae(o);
}

std::filesystem::path requireFixture(const std::filesystem::path& path) {
  if (!std::filesystem::exists(path))
    throw std::runtime_error("test fixture '" + path.string() +
                             "' is missing: run the tests through ctest (its fixture test 'model_fixtures' trains it) "
                             "or run " + "'ctest -R model_fixtures' first");
  return path;
}

}  // namespace fieldscope::test
