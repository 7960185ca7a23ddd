#include "app/domain/domain_registry.h"

#include <cstring>
#include <stdexcept>

#include "model/checkpoint/checkpoint_peek.h"

namespace fieldscope {

bool looksLikePhoto(const std::string& head) {
  static const unsigned char png[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
  static const unsigned char jpeg[3] = {0xff, 0xd8, 0xff};
  return (head.size() >= 8 && std::memcmp(head.data(), png, 8) == 0) ||
         (head.size() >= 3 && std::memcmp(head.data(), jpeg, 3) == 0);
}

DomainRegistry::DomainRegistry(const DomainList& list) {
  for (const DomainEntry& e : list)
    if (e.makeViewer) domains_.push_back(e.makeViewer());
}

const Domain* DomainRegistry::find(const std::string& name) const {
  for (const auto& d : domains_)
    if (d->name() == name) return d.get();
  return nullptr;
}

std::string DomainRegistry::names() const {
  std::string s;
  for (const auto& d : domains_) s += (s.empty() ? "" : ", ") + d->name();
  return s.empty() ? "nothing" : s;
}

const Domain& DomainRegistry::route(const std::filesystem::path& file) const {
  const std::string head = fileHead(file);
  if (looksLikeCheckpoint(head)) {
    const std::string domain = checkpointDomain(file);  // throws naming the file
    if (const Domain* d = find(domain)) return *d;
    throw std::runtime_error("'" + file.string() + "' holds a model of the domain '" + domain +
                             "', which this build cannot open (it opens: " + names() + ")");
  }
  for (const auto& d : domains_)
    if (d->opensFile(file, head)) return *d;
  if (!head.empty() && looksLikePhoto(head))
    throw std::runtime_error("'" + file.string() +
                             "' is a photo: opening photos needs a super-resolution model, and none is installed "
                             "(this build opens: " + names() + ")");
  peekCheckpointConfig(file);  // says what is wrong: missing, empty, a folder, bad magic
  throw std::runtime_error("'" + file.string() + "' is not a file Fieldscope opens");
}

}  // namespace fieldscope
