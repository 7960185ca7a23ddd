#pragma once
// A seed on the command line is a whole number from 0 to 2^64-1, written in decimal digits.
// CLI11 would turn "-1" and "18446744073709551616" into 2^64-1 without a word (issue 15, item 7).
#include <CLI/CLI.hpp>

namespace fieldscope {

// Check for a --seed option (runs on the text, before CLI11 converts it).
CLI::Validator seedValidator();

}  // namespace fieldscope
