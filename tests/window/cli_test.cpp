// Command-line behaviour without any display: bad flags, no display, no Vulkan device.
#include <gtest/gtest.h>

#include "process.h"

namespace {

TEST(Cli, VersionAndHelp) {
  ProcessResult r = runFieldscope("--version");
  EXPECT_EQ(r.status, 0);
  EXPECT_NE(r.output.find("fieldscope"), std::string::npos);
  EXPECT_NE(r.output.find("LibTorch"), std::string::npos);
  r = runFieldscope("--help");
  EXPECT_EQ(r.status, 0);
  EXPECT_NE(r.output.find("--screenshot"), std::string::npos);
  EXPECT_NE(r.output.find("selftest"), std::string::npos);
}

TEST(Cli, UnknownFlagPrintsUsage) {
  const ProcessResult r = runFieldscope("--no-such-flag");
  EXPECT_NE(r.status, 0);
  EXPECT_NE(r.output.find("--no-such-flag"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("--help"), std::string::npos) << r.output;
}

TEST(Cli, NoDisplayGivesAClearMessage) {
  const ProcessResult r = runFieldscope("", "env -u DISPLAY -u WAYLAND_DISPLAY");
  EXPECT_NE(r.status, 0);
  EXPECT_NE(r.output.find("no display"), std::string::npos) << r.output;
}

TEST(Cli, HeadlessSelftestNeedsNoDisplay) {
  const ProcessResult r = runFieldscope("selftest", "env -u DISPLAY -u WAYLAND_DISPLAY FIELDSCOPE_VALIDATION=1");
  EXPECT_EQ(r.status, 0) << r.output;
  EXPECT_NE(r.output.find("PASS"), std::string::npos) << r.output;
}

TEST(Cli, NoVulkanDeviceGivesAClearMessage) {
  const ProcessResult r = runFieldscope("selftest", "env VK_ICD_FILENAMES=/nonexistent/icd.json VK_DRIVER_FILES=/nonexistent/icd.json");
  EXPECT_NE(r.status, 0);
  EXPECT_NE(r.output.find("no Vulkan"), std::string::npos) << r.output;
}

TEST(Cli, BadGpuIndexIsRejected) {
  const ProcessResult r = runFieldscope("selftest --gpu 99");
  EXPECT_NE(r.status, 0);
  EXPECT_NE(r.output.find("--gpu 99"), std::string::npos) << r.output;
}

}  // namespace
