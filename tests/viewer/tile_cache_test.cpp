#include <gtest/gtest.h>

#include "render/tile_cache.h"

namespace fieldscope {
namespace {

TEST(TileCache, ReserveReadyAndEvictLeastRecentlyUsed) {
  TileCache c(2);
  const TileKey a{1, 0, 0}, b{1, 1, 0}, d{1, 0, 1};
  const int sa = c.reserve(a, 0), sb = c.reserve(b, 0);
  ASSERT_GE(sa, 0);
  ASSERT_GE(sb, 0);
  EXPECT_TRUE(c.pending(a));
  EXPECT_EQ(c.reserve(d, 0), -1) << "both slots are pending";
  c.markReady(sa);
  c.markReady(sb);
  c.use(sa, 1);
  c.use(sb, 2);  // b is more recent
  const int sd = c.reserve(d, 2);
  EXPECT_EQ(sd, sa) << "the least recently used tile is evicted";
  EXPECT_FALSE(c.ready(a).has_value());
  EXPECT_TRUE(c.ready(b).has_value());
}

TEST(TileCache, SlotsReadByFramesInFlightAreNotReused) {
  TileCache c(1);
  const TileKey a{0, 0, 0}, b{1, 0, 0};
  const int s = c.reserve(a, 0);
  c.markReady(s);
  c.use(s, 10);                      // frame 10 reads it
  EXPECT_EQ(c.reserve(b, 9), -1);    // frame 10 has not finished
  EXPECT_EQ(c.reserve(b, 10), s);    // now it has
}

TEST(TileCache, ClearForgetsTilesAndStaleDecodesLandAsFree) {
  TileCache c(2);
  const TileKey a{0, 0, 0};
  const int s = c.reserve(a, 0);
  c.clear();                 // the field changed while `a` was being decoded
  c.markReady(s);            // the old decode lands
  EXPECT_FALSE(c.ready(a).has_value());
  EXPECT_EQ(c.readyCount(), 0);
  EXPECT_GE(c.reserve(a, 0), 0);
}

TEST(TileCache, ReleaseReturnsTheSlot) {
  TileCache c(1);
  const int s = c.reserve({0, 0, 0}, 0);
  c.release(s);
  EXPECT_EQ(c.pendingCount(), 0);
  EXPECT_EQ(c.reserve({1, 1, 1}, 0), s);
}

}  // namespace
}  // namespace fieldscope
