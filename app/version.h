#pragma once
#include <string>
namespace fieldscope {
// Version of Fieldscope and of the libraries it runs on (LibTorch, ImGui when built).
std::string versionText();
std::string torchVersion();
}
