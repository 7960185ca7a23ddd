#pragma once
// What a user is shown of an error (issue 15, item 6): LibTorch's c10::Error puts a C++ backtrace
// into what() ("Exception raised from ... frame #0: ..."); messages that wrap one carry it too.
// The text is cut before the backtrace; the message itself stays. Torch-free (a string function).
#include <string>
#include <string_view>

namespace fieldscope {

inline std::string plainErrorText(std::string_view what) {
  for (const std::string_view marker : {std::string_view("\nException raised from "), std::string_view("Exception raised from ")}) {
    const size_t at = what.find(marker);
    if (at != std::string_view::npos) what = what.substr(0, at);
  }
  while (!what.empty() && (what.back() == '\n' || what.back() == ' ')) what.remove_suffix(1);
  return std::string(what);
}

}  // namespace fieldscope
