#include "model/train/train_support.h"

#include <ATen/CPUGeneratorImpl.h>
#include <torch/serialize.h>
#include <torch/torch.h>

#include <atomic>
#include <csignal>
#include <cstdio>
#include <ctime>
#include <fstream>
#include <sstream>
#include <thread>

#include "model/io/atomic_file.h"

namespace fieldscope {

ProgressBar::ProgressBar(int64_t total, int64_t start)
    : total_(total), start_(start), t0_(std::chrono::steady_clock::now()), lastDraw_(t0_ - std::chrono::seconds(1)) {}

double ProgressBar::elapsedSeconds() const {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0_).count();
}

void ProgressBar::update(int64_t step, const std::string& extra) {
  const auto now = std::chrono::steady_clock::now();
  if (step < total_ && now - lastDraw_ < std::chrono::milliseconds(200)) return;
  lastDraw_ = now;
  const double secs = elapsedSeconds();
  const double rate = step > start_ ? (step - start_) / std::max(secs, 1e-9) : 0.0;
  const double eta = rate > 0 ? (total_ - step) / rate : 0.0;
  const int width = 30;
  const int filled = total_ > 0 ? static_cast<int>(width * step / total_) : width;
  std::string bar(filled, '=');
  if (filled < width) bar += '>' + std::string(width - filled - 1, ' ');
  const long e = static_cast<long>(eta);
  std::fprintf(stderr, "\r[%s] %lld/%lld %.2f it/s %s ETA %ld:%02ld:%02ld   ", bar.c_str(), static_cast<long long>(step),
               static_cast<long long>(total_), rate, extra.c_str(), e / 3600, (e / 60) % 60, e % 60);
  std::fflush(stderr);
}

void ProgressBar::finish() { std::fprintf(stderr, "\n"); }

namespace {
std::atomic<int> gInterrupts{0};  // the one piece of global state: a signal handler can reach nothing else
extern "C" void onSigint(int) {
  if (gInterrupts.fetch_add(1) >= 1) std::_Exit(130);
}
}  // namespace

void installInterruptHandler() { std::signal(SIGINT, onSigint); }
bool interruptRequested() { return gInterrupts.load() > 0; }
void clearInterrupt() { gInterrupts.store(0); }

torch::Generator stepGenerator(uint64_t seed, int64_t step) {
  uint64_t x = seed * 0x9E3779B97F4A7C15ull + static_cast<uint64_t>(step) * 0xBF58476D1CE4E5B9ull + 1;
  x ^= x >> 31;
  return at::make_generator<at::CPUGeneratorImpl>(x);
}

int64_t randomIndex(const torch::Generator& gen, int64_t n) {
  return torch::randint(n, {1}, gen, torch::kInt64).item<int64_t>();
}

double randomUniform(const torch::Generator& gen) {
  return torch::rand({1}, gen, torch::kFloat64).item<double>();
}

CsvLog::CsvLog(std::filesystem::path path, std::string header) : path_(std::move(path)), header_(std::move(header)) {}

void CsvLog::load() {
  std::ifstream in(path_);
  std::string line;
  bool first = true;
  while (std::getline(in, line)) {
    if (first) {
      first = false;
      continue;
    }
    try {
      rows_.emplace_back(std::stoll(line.substr(0, line.find(','))), line);
    } catch (...) {
    }
  }
}

void CsvLog::truncateFrom(int64_t fromStep) {
  std::erase_if(rows_, [&](const auto& r) { return r.first >= fromStep; });
}

void CsvLog::add(int64_t step, const std::string& row) { rows_.emplace_back(step, std::to_string(step) + "," + row); }

void CsvLog::flush() const {
  std::string text = header_ + "\n";
  for (const auto& r : rows_) text += r.second + "\n";
  writeBytesAtomically(path_, text);
}

torch::Tensor optimizerToBytes(torch::optim::Optimizer& opt) {
  torch::serialize::OutputArchive ar;
  opt.save(ar);
  std::ostringstream os;
  ar.save_to(os);
  const std::string s = os.str();
  auto t = torch::empty({static_cast<int64_t>(s.size())}, torch::kUInt8);
  std::memcpy(t.data_ptr(), s.data(), s.size());
  return t;
}

void optimizerFromBytes(torch::optim::Optimizer& opt, const torch::Tensor& bytes) {
  std::string s(static_cast<const char*>(bytes.data_ptr()), bytes.numel());
  std::istringstream is(s);
  torch::serialize::InputArchive ar;
  ar.load_from(is);
  opt.load(ar);
}

std::string hardwareDescription() {
  std::ifstream in("/proc/cpuinfo");
  std::string line, model = "unknown CPU";
  while (std::getline(in, line))
    if (line.rfind("model name", 0) == 0) {
      model = line.substr(line.find(':') + 2);
      break;
    }
  return model + ", " + std::to_string(std::thread::hardware_concurrency()) + " cores, " +
         std::to_string(torch::get_num_threads()) + " torch threads, CPU only";
}

std::string utcTimestamp() {
  std::time_t t = std::time(nullptr);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", std::gmtime(&t));
  return buf;
}

void checkWritable(const std::filesystem::path& path) {
  auto probe = path;
  probe += ".probe";
  {
    std::ofstream f(probe);
    if (!f) {
      std::error_code ec;
      const auto parent = path.has_parent_path() ? path.parent_path() : std::filesystem::path(".");
      throw std::runtime_error("cannot write '" + path.string() + "': " +
                               (std::filesystem::is_directory(parent, ec) ? "no permission or not writable"
                                                                          : "folder '" + parent.string() + "' does not exist"));
    }
  }
  std::filesystem::remove(probe);
}

}  // namespace fieldscope
