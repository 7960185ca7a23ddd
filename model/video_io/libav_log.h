#pragma once
// libav logs to stderr at "info" level by default (x264 prints its statistics after every
// export). The log level is process-wide, so only main() (or a test environment) should
// choose it; the library itself never changes it.
namespace fieldscope {

// Lets only libav errors through to stderr.
void quietLibavLogs();

}  // namespace fieldscope
