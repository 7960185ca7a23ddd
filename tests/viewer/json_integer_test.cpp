// Integers read from users' JSON (model/io/json_integer.h): whole numbers within the type's
// range pass, everything else is refused naming the entry -- never cast.
#include "model/io/json_integer.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <limits>

namespace fieldscope {
namespace {
using nlohmann::json;

TEST(JsonInteger, WholeNumbersInRangePass) {
  EXPECT_EQ(jsonInteger<int>(json(42), "n"), 42);
  EXPECT_EQ(jsonInteger<int>(json(-7), "n"), -7);
  EXPECT_EQ(jsonInteger<int>(json(3.0), "n"), 3);
  EXPECT_EQ(jsonInteger<int>(json(std::numeric_limits<int>::max()), "n"), std::numeric_limits<int>::max());
  EXPECT_EQ(jsonInteger<uint64_t>(json::parse("18446744073709551615"), "seed"), std::numeric_limits<uint64_t>::max());
  EXPECT_EQ(jsonInteger<int64_t>(json(-9007199254740992.0), "n"), -9007199254740992LL);
  EXPECT_EQ(jsonIntegerList<int>(json::parse("[1, 2, 4]"), "channel_mult"), (std::vector<int>{1, 2, 4}));
}

TEST(JsonInteger, EverythingElseIsRefusedNamingTheEntry) {
  for (const char* text : {"1e30", "-1e30", "2.5", "2147483648", "-2147483649", "\"3\"", "true", "null", "[1]",
                           "1e400"}) {
    const json v = json::parse(text, nullptr, false);
    if (v.is_discarded()) continue;  // (1e400 does not parse at all)
    try {
      (void)jsonInteger<int>(v, "resolution");
      ADD_FAILURE() << text << " was accepted";
    } catch (const std::runtime_error& e) {
      EXPECT_NE(std::string(e.what()).find("resolution"), std::string::npos) << e.what();
    }
  }
  EXPECT_THROW(jsonInteger<uint32_t>(json(-1), "n"), std::runtime_error);
  EXPECT_THROW(jsonInteger<uint64_t>(json(1.8446744073709552e19), "n"), std::runtime_error);  // 2^64
  EXPECT_THROW(jsonIntegerList<int>(json::parse("[1, 2.5]"), "channel_mult"), std::runtime_error);
  EXPECT_THROW(jsonIntegerList<int>(json(4), "channel_mult"), std::runtime_error);
}

}  // namespace
}  // namespace fieldscope
