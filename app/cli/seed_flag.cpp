#include "app/cli/seed_flag.h"

#include <cerrno>
#include <cstdlib>
#include <string>

namespace fieldscope {

CLI::Validator seedValidator() {
  return CLI::Validator(
      [](std::string& text) -> std::string {
        if (text.empty() || text.find_first_not_of("0123456789") != std::string::npos)
          return "seed '" + text + "' must be a whole number from 0 to 18446744073709551615";
        errno = 0;
        (void)std::strtoull(text.c_str(), nullptr, 10);
        if (errno == ERANGE) return "seed '" + text + "' is larger than 18446744073709551615 (2^64-1)";
        return "";
      },
      "SEED");
}

}  // namespace fieldscope
