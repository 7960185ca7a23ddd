// The SR view's panel and divider (docs/architecture.md "The SR view"): the picture and model, the
// scale slider (any real value 1-16; applied when released, or by Upscale), the output size, where
// the view is against the chosen scale, the compare mode; and the divider drawn over the viewport.
#include <imgui.h>

#include <algorithm>
#include <cstdio>

#include "app/domains/sr/view/sr_view.h"
#include "app/panels/side_panel.h"

namespace fieldscope {

void drawSrPanel(SrPanelState& st, const LoadedSrModel& model, const SrPicture* picture, double shownScale,
                 int64_t outW, int64_t outH, double outputPerViewPixel, const SrSamplesInfo& samples) {
  if (!beginSidePanel("Super-resolution")) {
    ImGui::End();
    return;
  }
  ImGui::Text("Model: %s", model.describe().c_str());
  if (!model.hasDiffusion) ImGui::TextDisabled("decoder only (no diffusion stage)");
  else ImGui::TextDisabled("implicit decoder + diffusion stage");
  if (!picture) {
    ImGui::Separator();
    ImGui::TextWrapped("Open a PNG or JPEG picture: File > Open, or drop it on the window.");
    ImGui::End();
    return;
  }
  ImGui::Text("Picture: %s", picture->describe().c_str());
  ImGui::Separator();
  ImGui::SetNextItemWidth(190);
  ImGui::SliderFloat("Scale", &st.scale, float(kSrMinScale), float(kSrMaxScale), "x%.2f", ImGuiSliderFlags_AlwaysClamp);
  if (ImGui::IsItemDeactivatedAfterEdit()) st.applyRequested = true;
  const int64_t w = std::max<int64_t>(1, std::llround(picture->pixels.width * double(st.scale)));
  const int64_t h = std::max<int64_t>(1, std::llround(picture->pixels.height * double(st.scale)));
  ImGui::Text("Output %lld x %lld (%.1f MPx)", (long long)w, (long long)h, double(w) * double(h) / 1e6);
  if (ImGui::Button("Upscale")) {
    st.applyRequested = true;
    st.sampleRequested = model.hasDiffusion;
  }
  ImGui::SameLine();
  ImGui::TextDisabled("shown: x%.4g, %lldx%lld", shownScale, (long long)outW, (long long)outH);
  if (outputPerViewPixel > 0) {
    if (outputPerViewPixel < 1)
      ImGui::Text("Zoom: x%.3g past the chosen scale", 1 / outputPerViewPixel);
    else
      ImGui::Text("Zoom: 1 screen pixel = %.3g output pixels", outputPerViewPixel);
  }
  if (model.hasDiffusion) {
    ImGui::Separator();
    ImGui::TextWrapped("Diffusion: Upscale samples the seed; the decoder alone shows until the sample is done.");
    ImGui::SetNextItemWidth(90);
    if (ImGui::InputInt("Seed", &st.seed)) st.seed = std::max(0, st.seed);
    ImGui::SameLine();
    ImGui::SetNextItemWidth(90);
    if (ImGui::InputInt("Steps", &st.steps)) st.steps = std::clamp(st.steps, 1, 1000);
    ImGui::SetNextItemWidth(90);
    if (ImGui::InputInt("##count", &st.moreCount)) st.moreCount = std::clamp(st.moreCount, 2, 16);
    ImGui::SameLine();
    if (ImGui::Button("More samples")) st.moreRequested = true;
    if (samples.busy) {
      ImGui::SameLine();
      if (ImGui::Button("Cancel")) st.cancelRequested = true;
    }
    if (!samples.note.empty()) ImGui::TextWrapped("%s", samples.note.c_str());
    ImGui::RadioButton("decoder alone", &st.shown, -1);
    for (size_t k = 0; k < samples.seeds.size(); ++k) {
      char label[64];
      std::snprintf(label, sizeof label, "seed %llu (%.0f s)", (unsigned long long)samples.seeds[k], samples.seconds[k]);
      if (ImGui::RadioButton(label, st.shown == int(k))) {
        st.shown = int(k);
        st.strip = false;
      }
    }
    if (samples.seeds.size() > 1) ImGui::Checkbox("Side by side (click one to pick it)", &st.strip);
  }
  ImGui::Separator();
  ImGui::TextUnformatted("Compare (drag the divider):");
  ImGui::RadioButton("off", &st.compare, int(SrCompare::Off));
  ImGui::SameLine();
  ImGui::RadioButton("bicubic", &st.compare, int(SrCompare::Bicubic));
  ImGui::SameLine();
  ImGui::RadioButton("input pixels", &st.compare, int(SrCompare::Nearest));
  if (model.hasDiffusion) {
    ImGui::RadioButton("sample A | sample B", &st.compare, int(SrCompare::Sample));
    if (st.compare == int(SrCompare::Sample)) {
      ImGui::SetNextItemWidth(160);
      std::string current = st.compareSample >= 0 && st.compareSample < int(samples.seeds.size())
                                ? "seed " + std::to_string(samples.seeds[size_t(st.compareSample)])
                                : "decoder alone";
      if (ImGui::BeginCombo("Sample B", current.c_str())) {
        if (ImGui::Selectable("decoder alone", st.compareSample < 0)) st.compareSample = -1;
        for (size_t k = 0; k < samples.seeds.size(); ++k)
          if (ImGui::Selectable(("seed " + std::to_string(samples.seeds[k])).c_str(), st.compareSample == int(k)))
            st.compareSample = int(k);
        ImGui::EndCombo();
      }
    }
  }
  ImGui::End();
}

void drawSrDivider(double originX, double originY, int width, int height, int dividerPx, const std::string& left,
                   const std::string& right) {
  ImDrawList* dl = ImGui::GetBackgroundDrawList();  // over the viewport picture, under the panels
  const float x = float(originX + dividerPx), y0 = float(originY), y1 = float(originY + height);
  dl->AddLine(ImVec2(x, y0), ImVec2(x, y1), IM_COL32(0, 0, 0, 160), 4.f);
  dl->AddLine(ImVec2(x, y0), ImVec2(x, y1), IM_COL32(255, 255, 255, 230), 2.f);
  const ImVec2 handle(x, y0 + 0.5f * float(height));
  dl->AddCircleFilled(handle, 11.f, IM_COL32(255, 255, 255, 235));
  dl->AddCircle(handle, 11.f, IM_COL32(0, 0, 0, 180), 0, 1.5f);
  dl->AddTriangleFilled(ImVec2(handle.x - 8, handle.y), ImVec2(handle.x - 3, handle.y - 5), ImVec2(handle.x - 3, handle.y + 5),
                        IM_COL32(40, 40, 40, 255));
  dl->AddTriangleFilled(ImVec2(handle.x + 8, handle.y), ImVec2(handle.x + 3, handle.y - 5), ImVec2(handle.x + 3, handle.y + 5),
                        IM_COL32(40, 40, 40, 255));
  auto label = [&](const std::string& text, float lx) {
    const ImVec2 size = ImGui::CalcTextSize(text.c_str());
    const ImVec2 p(std::clamp(lx, float(originX) + 4, float(originX + width) - size.x - 4), y0 + 8);
    dl->AddRectFilled(ImVec2(p.x - 4, p.y - 2), ImVec2(p.x + size.x + 4, p.y + size.y + 2), IM_COL32(0, 0, 0, 170), 3.f);
    dl->AddText(p, IM_COL32(255, 255, 255, 255), text.c_str());
  };
  label(left, x - ImGui::CalcTextSize(left.c_str()).x - 14);
  label(right, x + 14);
}

}  // namespace fieldscope
