#include "model/eval/group_agreement.h"

#include <torch/torch.h>

#include <stdexcept>

namespace fieldscope {

double groupAgreement(EmojiClassifier& classifier, const torch::Tensor& pictures, const std::vector<std::string>& wanted) {
  if (pictures.size(0) != int64_t(wanted.size()))
    throw std::invalid_argument("groupAgreement: one wanted group per picture expected");
  if (wanted.empty()) return 0;
  torch::NoGradGuard ng;
  classifier->eval();
  const EmojiClassifierConfig& c = classifier->config();
  int64_t agree = 0;
  for (int64_t i = 0; i < pictures.size(0); i += 128) {
    const int64_t n = std::min<int64_t>(128, pictures.size(0) - i);
    const torch::Tensor predicted = classifier->forward(pictures.narrow(0, i, n)).argmax(1).to(torch::kCPU);
    for (int64_t k = 0; k < n; ++k) {
      const int cls = int(predicted[k].item<int64_t>());
      const std::string& w = wanted[size_t(i + k)];
      agree += c.groups.at(size_t(c.groupOfClass.at(size_t(cls)))) == w || c.classes.at(size_t(cls)) == w;
    }
  }
  return double(agree) / double(wanted.size());
}

}  // namespace fieldscope
