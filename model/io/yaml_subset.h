#pragma once
// A reader for the block-style YAML of training configs (the DDMI authors' configs/*.yaml,
// model/image/ddmi_import.h) into JSON: nested mappings by indentation, block sequences ("- x"),
// flow sequences of scalars ("[128, 64]"), scalars (integers, floats, True/False, null, quoted or
// plain strings) and comments. Anchors, tags, multi-line scalars and flow mappings are refused with
// the line's number; so is a tab in the indentation.
#include <nlohmann/json.hpp>
#include <string>

namespace fieldscope {

// `what` names the text in messages (a file path). Throws std::runtime_error.
nlohmann::json parseYamlSubset(const std::string& text, const std::string& what);

}  // namespace fieldscope
