#include "model/train/progress_line.h"

#include <algorithm>
#include <cstdio>

namespace fieldscope {

ProgressLine::ProgressLine(int64_t total, int64_t start, std::string unit)
    : total_(total), start_(start), unit_(std::move(unit)), t0_(std::chrono::steady_clock::now()), lastDraw_(t0_ - std::chrono::seconds(1)) {}

double ProgressLine::elapsedSeconds() const {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0_).count();
}

void ProgressLine::update(int64_t step, const std::string& extra) {
  const auto now = std::chrono::steady_clock::now();
  if (step < total_ && now - lastDraw_ < std::chrono::milliseconds(200)) return;
  lastDraw_ = now;
  const double secs = elapsedSeconds();
  const double rate = step > start_ ? (step - start_) / std::max(secs, 1e-9) : 0.0;
  const double eta = rate > 0 ? (total_ - step) / rate : 0.0;
  const int width = 30;
  const int filled = total_ > 0 ? static_cast<int>(width * std::min(step, total_) / total_) : width;
  std::string bar(filled, '=');
  if (filled < width) bar += '>' + std::string(width - filled - 1, ' ');
  const long e = static_cast<long>(eta);
  if (secs < 0.25 && step < total_) {  // too early for a rate: one quick first step is not one
    std::fprintf(stderr, "\r[%s] %lld/%lld -- %s/s %s ETA --:--:--   ", bar.c_str(), static_cast<long long>(step),
                 static_cast<long long>(total_), unit_.c_str(), extra.c_str());
  } else {
    std::fprintf(stderr, "\r[%s] %lld/%lld %.2f %s/s %s ETA %ld:%02ld:%02ld   ", bar.c_str(), static_cast<long long>(step),
                 static_cast<long long>(total_), rate, unit_.c_str(), extra.c_str(), e / 3600, (e / 60) % 60, e % 60);
  }
  std::fflush(stderr);
}

void ProgressLine::finish() { std::fprintf(stderr, "\n"); }

}  // namespace fieldscope
