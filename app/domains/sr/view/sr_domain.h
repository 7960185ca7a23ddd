#pragma once
// The super-resolution domain's viewer side (app/domains.cpp): opens SR models and pictures.
#include <memory>

#include "app/domain/domain.h"

namespace fieldscope {
std::unique_ptr<Domain> makeSrDomain();
}  // namespace fieldscope
