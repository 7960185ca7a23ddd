// The video view's panels: the Video panel (seed with dice and next, DDIM steps, the clip grid,
// blend of two seeds) and the timeline under the viewport -- play / pause, step a training frame back or on,
// loop, speed and frame rate, and the scrubber: a bar over continuous t with a tick at every
// training frame, so the user sees when the playhead is between two of them; while playing, the
// frames decoded ahead of the playhead show as a light band on the bar, and "buffering" when
// playback waits for a frame.
#include <imgui.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <random>

#include "app/domains/video/view/video_view.h"
#include "app/panels/side_panel.h"

namespace fieldscope {

void drawVideoPanel(const LoadedVideoModel& model, VideoPanelState& st) {
  if (!beginSidePanel("Video")) {
    ImGui::End();
    return;
  }
  ImGui::Text("Model: %s", model.describe().c_str());
  VideoSampleSpec& e = st.edit;
  int seed = int(e.seed);
  ImGui::SetNextItemWidth(140);
  if (ImGui::InputInt("Seed", &seed)) e.seed = uint64_t(std::max(seed, 0));
  ImGui::SameLine();
  if (ImGui::Button("Dice")) {
    static std::mt19937_64 rng(std::random_device{}());
    e.seed = rng() % 100000;
    e.blend = false;
    st.applyRequested = true;
  }
  ImGui::SetNextItemWidth(200);
  ImGui::SliderInt("Steps", &e.steps, 5, 200);
  if (ImGui::Button("Sample")) st.applyRequested = true;
  ImGui::SameLine();
  if (ImGui::Button("Next seed")) {
    e.seed += 1;
    e.blend = false;
    st.applyRequested = true;
  }
  if (ImGui::Button("Clip grid")) st.gridRequested = true;
  if (st.gridMode) ImGui::TextDisabled("Every clip plays with the timeline.\nClick a clip to open it.");
  ImGui::Separator();
  ImGui::Checkbox("Blend A -> B", &e.blend);
  if (e.blend) {
    int b = int(e.seedB);
    ImGui::SetNextItemWidth(140);
    if (ImGui::InputInt("Seed B", &b)) e.seedB = uint64_t(std::max(b, 0));
    ImGui::SetNextItemWidth(200);
    if (ImGui::SliderFloat("t##blend", &e.blendT, 0.f, 1.f, "%.3f")) st.applyRequested = true;
  }
  ImGui::End();
}

void drawTimeline(Playhead& ph, const PlaybackBuffer& buffer) {
  const ImGuiViewport* vp = ImGui::GetMainViewport();
  const float height = kTimelineHeight, statusBar = ImGui::GetFrameHeight() + 6;  // status_bar.cpp's height
  ImGui::SetNextWindowPos(ImVec2(vp->Pos.x, vp->Pos.y + vp->Size.y - height - statusBar), ImGuiCond_Always);
  ImGui::SetNextWindowSize(ImVec2(vp->Size.x, height), ImGuiCond_Always);
  ImGui::Begin("Timeline", nullptr,
               ImGuiWindowFlags_NoTitleBar | ImGuiWindowFlags_NoResize | ImGuiWindowFlags_NoMove |
                   ImGuiWindowFlags_NoScrollbar | ImGuiWindowFlags_NoCollapse);
  const double step = 1.0 / std::max(1, ph.frames - 1);
  if (ImGui::Button("|<")) ph.seek(std::ceil(ph.frameIndex() - 1 - 1e-6) * step);
  ImGui::SameLine();
  if (ImGui::Button(ph.playing ? "Pause" : "Play", ImVec2(56, 0))) {
    if (!ph.playing && ph.t >= 1.0 && !ph.loop) ph.seek(0);
    ph.playing = !ph.playing;
  }
  ImGui::SameLine();
  if (ImGui::Button(">|")) ph.seek(std::floor(ph.frameIndex() + 1 + 1e-6) * step);
  ImGui::SameLine();
  ImGui::Checkbox("Loop", &ph.loop);
  ImGui::SameLine();
  float speed = float(ph.speed), fps = float(ph.fps);
  ImGui::SetNextItemWidth(110);
  if (ImGui::SliderFloat("speed", &speed, 0.1f, 4.f, "x%.2f", ImGuiSliderFlags_Logarithmic)) ph.speed = speed;
  ImGui::SameLine();
  ImGui::SetNextItemWidth(110);
  if (ImGui::SliderFloat("frames/s", &fps, 1.f, 30.f, "%.0f")) ph.fps = fps;
  ImGui::SameLine();
  const double f = ph.frameIndex();
  if (ph.betweenFrames())
    ImGui::Text("t %.3f  between frames %d and %d", ph.t, int(std::floor(f)) + 1, int(std::floor(f)) + 2);
  else
    ImGui::Text("t %.3f  frame %d of %d", ph.t, int(std::lround(f)) + 1, ph.frames);
  if (ph.playing) {
    ImGui::SameLine();
    if (buffer.buffering)
      ImGui::TextColored(ImVec4(1.f, 0.75f, 0.3f, 1.f), "buffering");
    else
      ImGui::TextDisabled("%d decoded ahead", int(buffer.aheadTimes.size()));
  }

  // The scrubber.
  const ImVec2 p0 = ImGui::GetCursorScreenPos();
  const float w = std::max(50.f, ImGui::GetContentRegionAvail().x), h = 30;
  ImGui::InvisibleButton("scrubber", ImVec2(w, h));
  if (ImGui::IsItemActive()) ph.seek((ImGui::GetIO().MousePos.x - p0.x) / w);
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const float barY0 = p0.y + 8, barY1 = p0.y + h - 8;
  dl->AddRectFilled(ImVec2(p0.x, barY0), ImVec2(p0.x + w, barY1), IM_COL32(50, 52, 60, 255), 3);
  const float x = p0.x + float(ph.t) * w;
  dl->AddRectFilled(ImVec2(p0.x, barY0), ImVec2(x, barY1), IM_COL32(70, 110, 170, 255), 3);
  const float keyWidth = float(Playhead::kPlayTicks) / float(Playhead::kTicksPerFrame * std::max(1, ph.frames - 1)) * w;
  for (double at : buffer.aheadTimes) {  // decoded ahead of the playhead
    const float bx = p0.x + float(at) * w;
    dl->AddRectFilled(ImVec2(bx, barY1 - 5), ImVec2(std::min(p0.x + w, bx + keyWidth), barY1), IM_COL32(150, 160, 180, 255));
  }
  for (int k = 0; k < ph.frames; ++k) {  // the training frames
    const float tx = p0.x + float(k * step) * w;
    dl->AddLine(ImVec2(tx, p0.y + 2), ImVec2(tx, p0.y + h - 2), IM_COL32(200, 200, 210, 200), 1.5f);
  }
  dl->AddTriangleFilled(ImVec2(x - 6, p0.y), ImVec2(x + 6, p0.y), ImVec2(x, p0.y + 9), IM_COL32(255, 200, 60, 255));
  dl->AddLine(ImVec2(x, p0.y), ImVec2(x, p0.y + h), IM_COL32(255, 200, 60, 255), 2.5f);
  ImGui::End();
}

}  // namespace fieldscope
