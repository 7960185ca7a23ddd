#include "model/train/csv_log.h"

#include <fstream>

#include "model/io/atomic_file.h"

namespace fieldscope {

CsvLog::CsvLog(std::filesystem::path path, std::string header) : path_(std::move(path)), header_(std::move(header)) {}

void CsvLog::load() {
  std::ifstream in(path_);
  std::string line;
  bool first = true;
  while (std::getline(in, line)) {
    if (first) {  // the header
      first = false;
      continue;
    }
    try {
      rows_.emplace_back(std::stoll(line.substr(0, line.find(','))), line);
    } catch (const std::logic_error&) {  // not a row (e.g. a line cut by a crash of an old version)
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

}  // namespace fieldscope
