#include "tests/domains/sdf/sdf_domain.h"

#include <imgui.h>
#include <torch/torch.h>

#include <chrono>
#include <fstream>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <thread>

#include "app/views/grid_view3d_domain_view.h"
#include "cuda_interop/shared_tensor_torch.h"
#include "tests/domains/sdf/analytic_field.h"

namespace fieldscope {

namespace {

struct SdfDocument final : DomainDocument {
  std::filesystem::path file;
  AnalyticShape shape = AnalyticShape::Torus;
  int resolution = 128;
  int bakeDelayMs = 0;
  std::filesystem::path path() const override { return file; }
  std::string describe() const override { return file.filename().string(); }
};

// Bakes the shape's logits into the target through its torch view, in z-slabs (cancel and
// progress between slabs), spreading `delayMs` over them.
GridBaker::Bake analyticBake(AnalyticShape shape, int delayMs) {
  return [shape, delayMs](GridTarget& target, const std::atomic<bool>& cancel, std::atomic<float>& progress) {
    torch::NoGradGuard noGrad;
    const int n = target.n();
    const double h = target.halfExtent();
    torch::Tensor out = asTensor(target.shared());  // (n, n, n) float32 over the mapped memory
    const auto c = (torch::arange(n, torch::kFloat32) + 0.5) * (2.0 * h / n) - h;
    const auto y = c.view({1, n, 1}), x = c.view({1, 1, n});
    const int slabs = std::max(8, n / 8);
    for (int s = 0; s < slabs; ++s) {
      if (cancel) return false;
      const int z0 = int(int64_t(n) * s / slabs), z1 = int(int64_t(n) * (s + 1) / slabs);
      const auto z = c.slice(0, z0, z1).view({-1, 1, 1});
      torch::Tensor logits;
      if (shape == AnalyticShape::Sphere) {
        logits = kAnalyticSharpness * (kSphereRadius - (x * x + y * y + z * z).sqrt());
      } else {
        const auto q = (x * x + z * z).sqrt() - kTorusMajor;
        logits = kAnalyticSharpness * (kTorusMinor - (q * q + y * y).sqrt());
      }
      out.slice(0, z0, z1).copy_(logits);
      progress = float(z1) / float(n);
      if (delayMs > 0) std::this_thread::sleep_for(std::chrono::milliseconds(delayMs / slabs + 1));
    }
    return true;
  };
}

class SdfTestView final : public GridView3DDomainView {
 public:
  SdfTestView(const SdfDocument& doc, const ViewServices& services)
      : GridView3DDomainView(services, options(doc)), name_(doc.describe()), shape_(doc.shape),
        delayMs_(doc.bakeDelayMs) {
    bake();
  }
  static GridView3DOptions options(const SdfDocument& doc) {
    GridView3DOptions o;
    o.resolution = doc.resolution;
    return o;
  }
  std::string title() const override { return name_ + " (" + analyticShapeName(shape_) + ")"; }

  void drawPanels(std::string&) override {
    if (!panel_) return;
    const ImGuiViewport* vp = ImGui::GetMainViewport();
    ImGui::SetNextWindowPos(ImVec2(vp->Pos.x + vp->Size.x - 12, vp->Pos.y + 32), ImGuiCond_FirstUseEver, ImVec2(1, 0));
    if (ImGui::Begin("Analytic shape", nullptr, ImGuiWindowFlags_AlwaysAutoResize)) {
      int s = int(shape_);
      static const char* kShapes[] = {"sphere", "torus"};
      ImGui::SetNextItemWidth(110);
      if (ImGui::Combo("shape", &s, kShapes, 2) && AnalyticShape(s) != shape_) {
        shape_ = AnalyticShape(s);
        bake();
      }
      view3d_.drawControls();
      ImGui::Text("bakes: %llu requested, %llu shown", (unsigned long long)baker_.requested(),
                  (unsigned long long)baker_.finished());
      if (const std::string line = baker_.statusLine(); !line.empty()) ImGui::TextUnformatted(line.c_str());
    }
    ImGui::End();
  }

  void update(int width, int height, double now) override {
    if (view3d_.takeResolutionRequest()) bake();
    GridView3DDomainView::update(width, height, now);
  }

  nlohmann::json saveState() const override {
    nlohmann::json j = GridView3DDomainView::saveState();
    j["shape"] = analyticShapeName(shape_);
    j["panel"] = panel_;
    return j;
  }
  void restoreState(const nlohmann::json& state) override {
    if (!state.is_object()) throw std::runtime_error("sdftest state is not an object");
    std::optional<AnalyticShape> shape = shape_;
    if (state.contains("shape")) {
      shape = state["shape"].is_string() ? analyticShapeFromName(state["shape"].get<std::string>()) : std::nullopt;
      if (!shape) throw std::runtime_error("shape is not \"sphere\" or \"torus\"");
    }
    if (state.contains("panel") && !state["panel"].is_boolean()) throw std::runtime_error("panel is not true or false");
    GridView3DDomainView::restoreState(state);  // throws before anything changed
    panel_ = state.value("panel", panel_);
    if (*shape != shape_) {
      shape_ = *shape;
      bake();
    }
  }

 private:
  void bake() {
    const int n = view3d_.resolution();
    try {
      baker_.request(n, analyticBake(shape_, delayMs_),
                     std::string(analyticShapeName(shape_)) + " " + std::to_string(n) + "^3");
    } catch (const std::exception& e) {
      error_ = e.what();  // e.g. a grid beyond the device's buffer limit: the old grid stays
    }
  }
  std::string takeError() override {
    if (!error_.empty()) return std::exchange(error_, std::string());
    return GridView3DDomainView::takeError();
  }

  std::string name_;
  AnalyticShape shape_;
  int delayMs_ = 0;
  bool panel_ = true;
  std::string error_;
};

class SdfTestDomain final : public Domain {
 public:
  std::string name() const override { return "sdftest"; }
  std::string title() const override { return "analytic shapes (test)"; }
  bool opensFile(const std::filesystem::path& file, const std::string&) const override {
    return file.extension() == ".sdftest";
  }
  std::shared_ptr<DomainDocument> load(const std::filesystem::path& file, const LoadContext&) const override {
    std::ifstream in(file);
    const nlohmann::json j = nlohmann::json::parse(in, nullptr, false);
    auto bad = [&](const std::string& why) {
      return std::runtime_error("'" + file.string() + "': " + why +
                                " (expected {\"sdftest\": \"sphere\" | \"torus\", \"resolution\": 64..512})");
    };
    if (!in.good() && !in.eof()) throw bad("cannot be read");
    if (j.is_discarded() || !j.is_object()) throw bad("not JSON");
    auto doc = std::make_shared<SdfDocument>();
    doc->file = file;
    const auto shape = j.contains("sdftest") && j["sdftest"].is_string()
                           ? analyticShapeFromName(j["sdftest"].get<std::string>())
                           : std::nullopt;
    if (!shape) throw bad("\"sdftest\" names no shape");
    doc->shape = *shape;
    if (j.contains("resolution")) {
      if (!j["resolution"].is_number_integer() || j["resolution"].get<int>() < 8 || j["resolution"].get<int>() > 1024)
        throw bad("\"resolution\" is not an integer in 8..1024");
      doc->resolution = j["resolution"].get<int>();
    }
    if (j.contains("bake_delay_ms")) {
      if (!j["bake_delay_ms"].is_number_integer() || j["bake_delay_ms"].get<int>() < 0)
        throw bad("\"bake_delay_ms\" is not a non-negative integer");
      doc->bakeDelayMs = std::min(j["bake_delay_ms"].get<int>(), 60000);
    }
    return doc;
  }
  std::unique_ptr<DomainView> createView(std::shared_ptr<DomainDocument> document,
                                         ViewServices& services) const override {
    return std::make_unique<SdfTestView>(dynamic_cast<SdfDocument&>(*document), services);
  }
};

}  // namespace

std::unique_ptr<Domain> makeSdfTestDomain() { return std::make_unique<SdfTestDomain>(); }

}  // namespace fieldscope
