#pragma once
// --script open:PATH: opens PATH as File > Open would (after the first frames), so tests see
// what a user gets: the new view, or the error and the old view kept.
#include <string>

#include "app/gui/app_element.h"

namespace fieldscope {

class OpenScriptElement final : public AppElement {
 public:
  explicit OpenScriptElement(std::string path) : path_(std::move(path)) {}
  void beforeUi(AppHost& app) override;
  void afterFrame(AppHost& app, double frameMs, const std::vector<uint8_t>* capture) override;
  bool drivesFrames() const override { return true; }
  // The open was asked for and has been dealt with (loaded, or refused), a few frames ago.
  bool settled() const { return framesAfter_ >= 3; }

 private:
  std::string path_;
  int frame_ = 0;
  int framesAfter_ = -1;
};

}  // namespace fieldscope
