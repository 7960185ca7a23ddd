#pragma once
// The domains of a build, one entry each, listed explicitly in app/domains.cpp (the libraries
// are static: no self-registration). Adding a domain = its folder + one line there
// (docs/architecture.md "Adding a domain").
#include <memory>
#include <string>
#include <vector>

namespace fieldscope {

class CommandRegistry;
class Domain;

struct DomainEntry {
  std::string name;                                  // the checkpoint "domain" field
  void (*registerCommands)(CommandRegistry&) = nullptr;  // its headless verbs (may be null)
  std::unique_ptr<Domain> (*makeViewer)() = nullptr;     // its viewer side (null without a window)
};
using DomainList = std::vector<DomainEntry>;

// The list this executable was built with (app/domains.cpp, or a test's own list).
DomainList domainList();

}  // namespace fieldscope
