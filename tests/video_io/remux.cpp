#include "tests/video_io/remux.h"

#include <stdexcept>

#include "model/video_io/libav_util.h"

namespace fieldscope::test {

void remux(const std::filesystem::path& in, const std::filesystem::path& out, const std::string& format) {
  using libav::check;
  AVFormatContext* rawIn = nullptr;
  check(avformat_open_input(&rawIn, in.c_str(), nullptr, nullptr), "remux: open " + in.string());
  const libav::InputFormatPtr input(rawIn);
  check(avformat_find_stream_info(input.get(), nullptr), "remux: stream info");

  AVFormatContext* rawOut = nullptr;
  check(avformat_alloc_output_context2(&rawOut, nullptr, format.c_str(), out.c_str()), "remux: muxer " + format);
  const libav::OutputFormatPtr output(rawOut);
  for (unsigned i = 0; i < input->nb_streams; ++i) {
    AVStream* s = avformat_new_stream(output.get(), nullptr);
    if (!s) throw std::runtime_error("remux: new stream");
    check(avcodec_parameters_copy(s->codecpar, input->streams[i]->codecpar), "remux: parameters");
    s->codecpar->codec_tag = 0;  // the MP4 tag means nothing to another container
    s->time_base = input->streams[i]->time_base;
    s->avg_frame_rate = input->streams[i]->avg_frame_rate;
  }
  check(avio_open(&output->pb, out.c_str(), AVIO_FLAG_WRITE), "remux: create " + out.string());
  check(avformat_write_header(output.get(), nullptr), "remux: header");
  const libav::PacketPtr packet = libav::allocPacket();
  for (;;) {
    const int ret = av_read_frame(input.get(), packet.get());
    if (ret == AVERROR_EOF) break;
    check(ret, "remux: read");
    const int i = packet->stream_index;
    av_packet_rescale_ts(packet.get(), input->streams[i]->time_base, output->streams[i]->time_base);
    packet->pos = -1;
    check(av_interleaved_write_frame(output.get(), packet.get()), "remux: write");
  }
  check(av_write_trailer(output.get()), "remux: trailer");
}

}  // namespace fieldscope::test
