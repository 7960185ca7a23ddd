#include "app/domains/nerf/view/nerf_domain.h"

#include "app/domains/nerf/view/nerf_view.h"
#include "model/nerf/nerf_scene_model.h"

namespace fieldscope {

namespace {
struct NerfDocument final : DomainDocument {
  std::filesystem::path file;
  std::shared_ptr<NerfSceneSource> source;
  std::filesystem::path path() const override { return file; }
  std::string describe() const override { return file.filename().string(); }
};

class NerfDomain final : public Domain {
 public:
  std::string name() const override { return "nerf"; }
  std::string title() const override { return "NeRF scenes"; }
  std::shared_ptr<DomainDocument> load(const std::filesystem::path& file, const LoadContext& context) const override {
    context.progress(-1, "loading " + file.filename().string());
    auto doc = std::make_shared<NerfDocument>();
    doc->file = file;
    const NerfModelFile opened = openNerfModelFile(file);  // fp32 on the CPU
    doc->source = opened.model ? std::make_shared<NerfSceneSource>(opened.model)
                               : std::make_shared<NerfSceneSource>(opened.scene);
    return doc;
  }
  std::unique_ptr<DomainView> createView(std::shared_ptr<DomainDocument> document, ViewServices& services) const override {
    auto& doc = dynamic_cast<NerfDocument&>(*document);
    return std::make_unique<NerfView>(doc.source, doc.file, services);
  }
};
}  // namespace

std::unique_ptr<Domain> makeNerfDomain() { return std::make_unique<NerfDomain>(); }

}  // namespace fieldscope
