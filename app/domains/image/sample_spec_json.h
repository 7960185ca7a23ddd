#pragma once
// SampleSpec as JSON: the image view's session state and export sidecars. Reading validates
// every entry (a restored session must not start an impossible sample).
#include <nlohmann/json.hpp>

#include "app/domains/image/model_source.h"

namespace fieldscope {

nlohmann::json sampleSpecToJson(const SampleSpec& spec);
// Missing entries keep their defaults; throws std::runtime_error naming the entry
// ("sample.steps 0 is outside 1..1000", "sample.seed has the wrong type (...)").
SampleSpec sampleSpecFromJson(const nlohmann::json& j);

}  // namespace fieldscope
