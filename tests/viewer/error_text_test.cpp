// What a user sees of an error (issue 15, item 6): LibTorch's backtrace is cut, the message kept.
#include <gtest/gtest.h>

#include <stdexcept>
#include <string>

#include "model/util/error_text.h"

namespace fieldscope {
namespace {

TEST(ErrorText, TheBacktraceOfALibTorchErrorIsCutAndTheMessageKept) {
  const std::string c10 =
      "Storage size calculation overflowed with sizes=[2147483648, 2147483648]\n"
      "Exception raised from computeStorageNbytesContiguous at ./aten/src/ATen/EmptyTensor.cpp:50 (most recent call first):\n"
      "frame #0: c10::Error::Error(c10::SourceLocation, std::string) + 0x9e (0x7f in /lib/libc10.so)\n";
  EXPECT_EQ(plainErrorText(c10), "Storage size calculation overflowed with sizes=[2147483648, 2147483648]");
  // Wrapped by our own message (a file name in front): the backtrace still goes.
  EXPECT_EQ(plainErrorText("cannot load 'm.fsm': " + c10),
            "cannot load 'm.fsm': Storage size calculation overflowed with sizes=[2147483648, 2147483648]");
  EXPECT_EQ(plainErrorText("cannot write 'x.png': the disk is full"), "cannot write 'x.png': the disk is full");
}

}  // namespace
}  // namespace fieldscope
