#pragma once
// The training loss log: a header and rows kept in memory, rewritten atomically on flush(), so
// the file on disk always matches the last saved training state (never rows of steps that a
// resumed run will repeat).
#include <cstdint>
#include <filesystem>
#include <string>
#include <utility>
#include <vector>

namespace fieldscope {

class CsvLog {
 public:
  CsvLog(std::filesystem::path path, std::string header);
  // When resuming: reads the earlier run's rows (lines whose first field is not a step are dropped).
  void load();
  void truncateFrom(int64_t fromStep);  // drops rows of steps >= fromStep
  void add(int64_t step, const std::string& row);  // `row`: the columns after the step
  void flush() const;

 private:
  std::filesystem::path path_;
  std::string header_;
  std::vector<std::pair<int64_t, std::string>> rows_;
};

}  // namespace fieldscope
