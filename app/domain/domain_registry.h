#pragma once
// DomainRegistry: the viewer sides of the build's domains (from the DomainList), and the
// routing of a file to the domain that opens it: a checkpoint by its "domain" field, any other
// file by the domains' opensFile(). Every refusal names the file and says why
// (docs/architecture.md "Domains").
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "app/domain/domain.h"
#include "app/domain/domain_list.h"

namespace fieldscope {

// A PNG or JPEG by its first bytes (a file's head, checkpoint_peek.h fileHead()).
bool looksLikePhoto(const std::string& head);

class DomainRegistry {
 public:
  explicit DomainRegistry(const DomainList& list);
  // The domain that opens `file`. Throws std::runtime_error naming the file: missing, empty,
  // a folder, a corrupt checkpoint, a checkpoint of a domain this build does not have, a photo
  // while no domain opens photos, any other file.
  const Domain& route(const std::filesystem::path& file) const;
  const Domain* find(const std::string& name) const;
  // "image" / "image, sr" for messages.
  std::string names() const;
  bool empty() const { return domains_.empty(); }

 private:
  std::vector<std::unique_ptr<Domain>> domains_;
};

}  // namespace fieldscope
