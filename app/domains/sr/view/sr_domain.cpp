// The super-resolution domain (docs/architecture.md "The SR view"): a PNG or JPEG picture opens
// with the SR model last opened (else the shipped photo-sr.fsm); an SR model opened alone waits
// for a picture, and later pictures are super-resolved with it.
#include "app/domains/sr/view/sr_domain.h"

#include <mutex>

#include "app/domain/domain_registry.h"
#include "app/domains/sr/view/sr_view.h"
#include "model/checkpoint/checkpoint_peek.h"

namespace fieldscope {

namespace {
class SrDocument final : public DomainDocument {
 public:
  SrDocument(std::shared_ptr<LoadedSrModel> model, std::shared_ptr<SrPicture> picture)
      : model_(std::move(model)), picture_(std::move(picture)) {}
  std::filesystem::path path() const override { return picture_ ? picture_->path : model_->path; }
  std::string describe() const override { return picture_ ? picture_->describe() : model_->describe(); }
  const std::shared_ptr<LoadedSrModel>& model() const { return model_; }
  const std::shared_ptr<SrPicture>& picture() const { return picture_; }

 private:
  std::shared_ptr<LoadedSrModel> model_;
  std::shared_ptr<SrPicture> picture_;
};

class SrDomain final : public Domain {
 public:
  std::string name() const override { return "sr"; }
  std::string title() const override { return "super-resolution"; }
  bool opensFile(const std::filesystem::path&, const std::string& head) const override { return looksLikePhoto(head); }

  std::shared_ptr<DomainDocument> load(const std::filesystem::path& file, const LoadContext& context) const override {
    if (!looksLikePhoto(fileHead(file))) {  // an SR model (the registry routed it here by its domain)
      context.progress(-1, "loading " + file.filename().string());
      auto model = loadSrModel(file);
      std::lock_guard<std::mutex> lock(mutex_);
      lastModel_ = model;
      return std::make_shared<SrDocument>(model, nullptr);
    }
    context.progress(-1, "reading " + file.filename().string());
    auto picture = loadSrPicture(file);
    std::shared_ptr<LoadedSrModel> model;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      model = lastModel_;
    }
    if (!model) {
      context.progress(-1, std::string("loading ") + kDefaultSrModel);
      model = loadSrModel(defaultSrModel());
      std::lock_guard<std::mutex> lock(mutex_);
      lastModel_ = model;
    }
    return std::make_shared<SrDocument>(model, picture);
  }

  std::unique_ptr<DomainView> createView(std::shared_ptr<DomainDocument> document,
                                         ViewServices& services) const override {
    auto& doc = dynamic_cast<SrDocument&>(*document);
    return std::make_unique<SrView>(doc.model(), doc.picture(), services);
  }

 private:
  mutable std::mutex mutex_;
  mutable std::shared_ptr<LoadedSrModel> lastModel_;  // pictures open with the model opened last
};
}  // namespace

std::unique_ptr<Domain> makeSrDomain() { return std::make_unique<SrDomain>(); }

}  // namespace fieldscope
