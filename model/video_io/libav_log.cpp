#include "model/video_io/libav_log.h"

extern "C" {
#include <libavutil/log.h>
}

namespace fieldscope {

void quietLibavLogs() { av_log_set_level(AV_LOG_ERROR); }

}  // namespace fieldscope
