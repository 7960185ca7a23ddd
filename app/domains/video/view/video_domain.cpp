#include "app/domains/video/view/video_domain.h"

#include "app/domains/video/view/video_view.h"
#include "model/util/compute_options.h"

namespace fieldscope {

namespace {
class VideoDocument final : public DomainDocument {
 public:
  explicit VideoDocument(std::shared_ptr<LoadedVideoModel> model) : model_(std::move(model)) {}
  std::filesystem::path path() const override { return model_->path; }
  std::string describe() const override { return model_->describe(); }
  const std::shared_ptr<LoadedVideoModel>& model() const { return model_; }

 private:
  std::shared_ptr<LoadedVideoModel> model_;
};

class VideoDomain final : public Domain {
 public:
  std::string name() const override { return "video"; }
  std::string title() const override { return "video clips"; }
  std::shared_ptr<DomainDocument> load(const std::filesystem::path& file, const LoadContext& context) const override {
    context.progress(-1, "loading " + file.filename().string());
    ComputeOptions compute = *context.compute;
    compute.half = false;  // the video model runs in fp32
    return std::make_shared<VideoDocument>(loadVideoModel(file, compute));
  }
  std::unique_ptr<DomainView> createView(std::shared_ptr<DomainDocument> document,
                                         ViewServices& services) const override {
    auto& doc = dynamic_cast<VideoDocument&>(*document);
    return std::make_unique<VideoView>(doc.model(), services);
  }
};
}  // namespace

std::unique_ptr<Domain> makeVideoDomain() { return std::make_unique<VideoDomain>(); }

}  // namespace fieldscope
