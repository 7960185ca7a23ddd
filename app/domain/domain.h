#pragma once
// Domain: one kind of model (image, super-resolution, shape, video, NeRF). A domain says which
// files it opens, loads them off the UI thread, opens a view of what it loaded, and brings its
// own command-line verbs. The list of domains is explicit: app/domains.cpp
// (docs/architecture.md "Domains"). Torch-free and Vulkan-free header.
#include <atomic>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>

namespace fieldscope {

class DomainView;
struct ViewServices;
struct ComputeOptions;

// What a domain loaded from a file (a model, a photo...). Opaque to the app.
class DomainDocument {
 public:
  virtual ~DomainDocument() = default;
  virtual std::filesystem::path path() const = 0;
  // Short name for titles and the status bar: "emoji-image.fsm".
  virtual std::string describe() const = 0;
};

// Handed to Domain::load on the loader thread.
struct LoadContext {
  const ComputeOptions* compute = nullptr;  // where models run (never null in the app)
  // Progress of a long load: fraction in [0,1] (or < 0: unknown) and what is being done.
  std::function<void(double fraction, const std::string& what)> progress = [](double, const std::string&) {};
  const std::atomic<bool>* cancel = nullptr;  // may be null
};

class Domain {
 public:
  virtual ~Domain() = default;
  // The checkpoint "domain" field this domain opens ("image", "sr", "shape"...).
  virtual std::string name() const = 0;
  // For menus and messages: "image samples".
  virtual std::string title() const = 0;
  // Files that are not Fieldscope checkpoints but this domain opens (a photo for
  // super-resolution). `head` is the file's first bytes (up to 64).
  virtual bool opensFile(const std::filesystem::path& file, const std::string& head) const {
    (void)file;
    (void)head;
    return false;
  }
  // Off the UI thread. Throws std::runtime_error naming the file and the problem.
  virtual std::shared_ptr<DomainDocument> load(const std::filesystem::path& file, const LoadContext& context) const = 0;
  // On the UI thread: a view of what load() returned (Vulkan resources live in the view).
  virtual std::unique_ptr<DomainView> createView(std::shared_ptr<DomainDocument> document,
                                                 ViewServices& services) const = 0;
};

}  // namespace fieldscope
