#include <fstream>
#include <sstream>

#include "app/cli/model_subcommands.h"

namespace fieldscope {

std::string currentCommandLine() {
  std::ifstream in("/proc/self/cmdline", std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  std::string s = ss.str(), out;
  std::string arg;
  for (char c : s) {
    if (c == '\0') {
      if (!out.empty()) out += ' ';
      out += arg.find(' ') != std::string::npos ? "'" + arg + "'" : arg;
      arg.clear();
    } else {
      arg += c;
    }
  }
  // record the program as `fieldscope`, wherever the binary lives
  const auto sp = out.find(' ');
  const std::string prog = out.substr(0, sp);
  return "fieldscope" + (sp == std::string::npos ? std::string() : out.substr(sp));
  (void)prog;
}

}  // namespace fieldscope
