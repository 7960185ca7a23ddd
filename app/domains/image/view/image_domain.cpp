#include "app/domains/image/view/image_domain.h"

#include "app/domains/image/model_source.h"
#include "app/domains/image/view/image_view.h"

namespace fieldscope {

namespace {
class ImageDocument final : public DomainDocument {
 public:
  explicit ImageDocument(std::shared_ptr<LoadedModel> model) : model_(std::move(model)) {}
  std::filesystem::path path() const override { return model_->path; }
  std::string describe() const override { return model_->describe(); }
  const std::shared_ptr<LoadedModel>& model() const { return model_; }

 private:
  std::shared_ptr<LoadedModel> model_;
};

class ImageDomain final : public Domain {
 public:
  std::string name() const override { return "image"; }
  std::string title() const override { return "image samples"; }
  std::shared_ptr<DomainDocument> load(const std::filesystem::path& file, const LoadContext& context) const override {
    context.progress(-1, "loading " + file.filename().string());
    return std::make_shared<ImageDocument>(loadImageModel(file, *context.compute));
  }
  std::unique_ptr<DomainView> createView(std::shared_ptr<DomainDocument> document,
                                         ViewServices& services) const override {
    auto& doc = dynamic_cast<ImageDocument&>(*document);
    return std::make_unique<ImageView>(doc.model(), services);
  }
};
}  // namespace

std::unique_ptr<Domain> makeImageDomain() { return std::make_unique<ImageDomain>(); }

}  // namespace fieldscope
