#pragma once
// A test-only domain: "constant colour" files (`*.constant`: a line "fieldscope-constant R G B",
// or "fieldscope-constant fail" for a field whose every decode throws). It exists to show that a
// domain is one folder plus one line in a domain list (tests/domains/domain_list.cpp) and that
// the app opens, draws, saves and restores it through the same code paths as the image domain.
#include <memory>

#include "app/domain/domain.h"

namespace fieldscope {
std::unique_ptr<Domain> makeConstantDomain();
}  // namespace fieldscope
