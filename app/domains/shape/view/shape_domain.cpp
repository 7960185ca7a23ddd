#include "app/domains/shape/view/shape_domain.h"

#include "app/domains/shape/shape_session.h"
#include "app/domains/shape/view/shape_view.h"
#include "model/util/compute_options.h"

namespace fieldscope {

namespace {
class ShapeDocument final : public DomainDocument {
 public:
  explicit ShapeDocument(std::shared_ptr<ShapeSession> session) : session_(std::move(session)) {}
  std::filesystem::path path() const override { return session_->path(); }
  std::string describe() const override { return session_->path().filename().string(); }
  const std::shared_ptr<ShapeSession>& session() const { return session_; }

 private:
  std::shared_ptr<ShapeSession> session_;
};

class ShapeDomain final : public Domain {
 public:
  std::string name() const override { return "shape"; }
  std::string title() const override { return "3D shapes"; }
  std::shared_ptr<DomainDocument> load(const std::filesystem::path& file, const LoadContext& context) const override {
    context.progress(-1, "loading " + file.filename().string());
    ComputeOptions compute = *context.compute;
    compute.half = false;  // the shape model runs in fp32
    return std::make_shared<ShapeDocument>(
        std::make_shared<ShapeSession>(std::shared_ptr<ShapeModel>(ShapeModel::load(file, compute)), file));
  }
  std::unique_ptr<DomainView> createView(std::shared_ptr<DomainDocument> document,
                                         ViewServices& services) const override {
    auto& doc = dynamic_cast<ShapeDocument&>(*document);
    return std::make_unique<ShapeView>(doc.session(), services);
  }
};
}  // namespace

std::unique_ptr<Domain> makeShapeDomain() { return std::make_unique<ShapeDomain>(); }

}  // namespace fieldscope
