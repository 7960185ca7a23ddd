#include "tests/domains/constant/constant_domain.h"

#include <imgui.h>

#include <array>
#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <stdexcept>

#include "app/views/tile2d_domain_view.h"

namespace fieldscope {

namespace {
constexpr const char* kMagic = "fieldscope-constant";

struct ConstantDocument final : DomainDocument {
  std::filesystem::path file;
  std::array<int, 3> rgb{0, 0, 0};
  bool failing = false;
  std::filesystem::path path() const override { return file; }
  std::string describe() const override { return file.filename().string(); }
};

// The field: one colour everywhere on the image, "outside" beyond it; or an error.
class ConstantSource final : public FieldSource {
 public:
  ConstantSource(std::array<int, 3> rgb, bool failing) : rgb_(rgb), failing_(failing) {}
  std::string name() const override { return failing_ ? "failing constant" : "constant"; }
  bool bounded() const override { return true; }
  void decodeRegion(const Region& r, int W, int H, const PixelTarget& out) override {
    if (failing_) throw std::runtime_error("this test field fails on purpose");
    if (out.cudaDevice >= 0) throw std::runtime_error("the constant test field writes host memory only");
    const double dx = (r.x1 - r.x0) / W, dy = (r.y1 - r.y0) / H;
    const auto [k0, k1] = pixelRangeInside(0.0, 1.0, r.x0, dx, W);
    const auto [i0, i1] = pixelRangeInside(0.0, 1.0, r.y0, dy, H);
    for (int i = 0; i < H; ++i)
      for (int k = 0; k < W; ++k) {
        uint8_t* p = out.data + i * out.rowStrideBytes + k * 4;
        const bool inside = i >= i0 && i < i1 && k >= k0 && k < k1;
        for (int c = 0; c < 3; ++c) p[c] = inside ? uint8_t(rgb_[c]) : kOutsideRgba[c];
        p[3] = 255;
      }
  }

 private:
  std::array<int, 3> rgb_;
  bool failing_;
};

class ConstantView final : public Tile2DDomainView {
 public:
  ConstantView(const ConstantDocument& doc, const ViewServices& services)
      : Tile2DDomainView(services), name_(doc.describe()), rgb_(doc.rgb), failing_(doc.failing) {
    tile_.setSource(std::make_shared<ConstantSource>(rgb_, failing_));
  }
  std::string title() const override { return name_; }
  void drawPanels(std::string&) override {
    if (ImGui::Begin("Constant", nullptr, ImGuiWindowFlags_AlwaysAutoResize))
      ImGui::Text("colour %d %d %d", rgb_[0], rgb_[1], rgb_[2]);
    ImGui::End();
  }
  nlohmann::json saveState() const override {
    return {{"color", {rgb_[0], rgb_[1], rgb_[2]}}, {"view", tile_.saveView()}};
  }
  void restoreState(const nlohmann::json& state) override {
    if (!state.is_object()) throw std::runtime_error("constant state is not an object");
    std::array<int, 3> rgb = rgb_;
    if (state.contains("color")) {
      const auto& c = state.at("color");
      if (!c.is_array() || c.size() != 3) throw std::runtime_error("color is not [r, g, b]");
      for (int i = 0; i < 3; ++i) {
        if (!c[i].is_number_integer() || c[i].get<int>() < 0 || c[i].get<int>() > 255)
          throw std::runtime_error("color entries must be 0..255");
        rgb[i] = c[i].get<int>();
      }
    }
    if (state.contains("view")) tile_.restoreView(state.at("view"));
    if (rgb != rgb_) {
      rgb_ = rgb;
      tile_.setSource(std::make_shared<ConstantSource>(rgb_, failing_));
    }
  }
  std::shared_ptr<ExportProgress> startExport(const ExportRequest& r) override {
    return tile_.exportPng(r.path, r.width, r.height, "{}\n");
  }

 private:
  std::string name_;
  std::array<int, 3> rgb_;
  bool failing_;
};

class ConstantDomain final : public Domain {
 public:
  std::string name() const override { return "constant"; }
  std::string title() const override { return "constant colours (test)"; }
  bool opensFile(const std::filesystem::path&, const std::string& head) const override {
    return head.rfind(kMagic, 0) == 0;
  }
  std::shared_ptr<DomainDocument> load(const std::filesystem::path& file, const LoadContext&) const override {
    std::ifstream in(file);
    std::string magic, first;
    in >> magic >> first;
    auto doc = std::make_shared<ConstantDocument>();
    doc->file = file;
    if (first == "fail") {
      doc->failing = true;
      return doc;
    }
    std::istringstream rest(first);
    int r = -1, g = -1, b = -1;
    rest >> r;
    in >> g >> b;
    if (magic != kMagic || !in || r < 0 || r > 255 || g < 0 || g > 255 || b < 0 || b > 255)
      throw std::runtime_error("'" + file.string() + "': expected \"fieldscope-constant R G B\" with 0..255");
    doc->rgb = {r, g, b};
    return doc;
  }
  std::unique_ptr<DomainView> createView(std::shared_ptr<DomainDocument> document,
                                         ViewServices& services) const override {
    return std::make_unique<ConstantView>(dynamic_cast<ConstantDocument&>(*document), services);
  }
};
}  // namespace

std::unique_ptr<Domain> makeConstantDomain() { return std::make_unique<ConstantDomain>(); }

}  // namespace fieldscope
