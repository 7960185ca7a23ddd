// DocumentLoader: the app counts a load as in progress until it took the result, so nothing
// (the session save, a screenshot) sees the old view as if no model were being opened.
#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "app/domain/domain_view.h"
#include "app/gui/document_loader.h"
#include "model/util/compute_options.h"

namespace fieldscope {
namespace {

class NamedDocument : public DomainDocument {
 public:
  explicit NamedDocument(std::filesystem::path p) : path_(std::move(p)) {}
  std::filesystem::path path() const override { return path_; }
  std::string describe() const override { return path_.filename().string(); }

 private:
  std::filesystem::path path_;
};

// Loads instantly, or fails for files named "bad*".
class InstantDomain : public Domain {
 public:
  std::string name() const override { return "instant"; }
  std::string title() const override { return "instant documents"; }
  std::shared_ptr<DomainDocument> load(const std::filesystem::path& file, const LoadContext&) const override {
    if (file.filename().string().rfind("bad", 0) == 0) throw std::runtime_error(file.string() + ": unreadable");
    return std::make_shared<NamedDocument>(file);
  }
  std::unique_ptr<DomainView> createView(std::shared_ptr<DomainDocument>, ViewServices&) const override {
    return nullptr;
  }
};

// Waits until the loader thread has finished (it sets no flag the test could see otherwise).
void waitUntilFinished(const DocumentLoader& loader) {
  for (int i = 0; i < 500 && loader.progressLine().size(); ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
}

TEST(DocumentLoader, BusyUntilTheResultIsTaken) {
  const InstantDomain domain;
  DocumentLoader loader(ComputeOptions{});
  EXPECT_FALSE(loader.busy());
  loader.start({"/models/a.fsm", &domain, nullptr, false});
  EXPECT_TRUE(loader.busy());
  waitUntilFinished(loader);
  EXPECT_TRUE(loader.busy()) << "finished but not taken: the app still shows the old view";
  std::optional<DocumentLoader::Result> r = loader.take();
  ASSERT_TRUE(r.has_value());
  ASSERT_TRUE(r->document);
  EXPECT_EQ(r->document->describe(), "a.fsm");
  EXPECT_FALSE(loader.busy());
  EXPECT_FALSE(loader.take().has_value());
}

TEST(DocumentLoader, AFailedLoadIsTakenWithItsError) {
  const InstantDomain domain;
  DocumentLoader loader(ComputeOptions{});
  loader.start({"/models/bad.fsm", &domain, nullptr, true});
  waitUntilFinished(loader);
  EXPECT_TRUE(loader.busy());
  std::optional<DocumentLoader::Result> r = loader.take();
  ASSERT_TRUE(r.has_value());
  EXPECT_FALSE(r->document);
  EXPECT_NE(r->error.find("/models/bad.fsm"), std::string::npos) << r->error;
  EXPECT_FALSE(loader.busy());
}

}  // namespace
}  // namespace fieldscope
