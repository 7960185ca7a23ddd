#pragma once
// --script zoom-pan|zoom-1000|resize|orbit [--bench-out F]: replays a scripted zoom/pan (and window
// resizes) like a user's wheel and drag, records the frame times while moving, then how long
// the view takes to show every tile and the exact view after the last input; writes JSON.
#include <memory>
#include <string>
#include <vector>

#include "app/gui/app_element.h"
#include "app/gui/input_script.h"

namespace fieldscope {

class BenchElement final : public AppElement {
 public:
  struct Labels {
    std::string windowSize, benchOut;
    bool naive = false;
  };
  BenchElement(std::unique_ptr<InputScript> script, Labels labels);
  void beforeViewInput(AppHost& app, ViewportInput& input) override;
  void afterFrame(AppHost& app, double frameMs, const std::vector<uint8_t>* capture) override;
  // Full rate while the script moves the view; afterwards the app waits as it would for a user.
  bool drivesFrames() const override { return lastInputTime_ < 0; }

 private:
  void finish(AppHost& app, double t);
  std::unique_ptr<InputScript> script_;
  Labels labels_;
  int frame_ = 0;
  std::vector<double> frameMs_, composeMs_;  // while the script moves the view
  double startTime_ = 0, lastInputTime_ = -1, tilesCompleteAt_ = -1, convergedAt_ = -1;
  uint64_t unitsAtStart_ = 0;
  std::vector<std::pair<std::string, double>> movingNumbers_;  // the view's, at the last moving frame
};

}  // namespace fieldscope
