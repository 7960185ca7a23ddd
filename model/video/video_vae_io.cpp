#include "model/video/video_vae_io.h"

#include "model/checkpoint/vae_io.h"

namespace fieldscope {

void storeVideoVae(Checkpoint& ckpt, const VideoVae& vae) { storeVae(ckpt, vae); }

VideoVae restoreVideoVae(const Checkpoint& ckpt) { return restoreVae<VideoVae, VideoVaeConfig>(ckpt, "video VAE"); }

}  // namespace fieldscope
