#include "model/shape/shape_training_data.h"

#include <torch/torch.h>

#include <algorithm>
#include <stdexcept>

#include "model/shape_data/shape_record.h"

namespace fieldscope {

namespace {

ShapeSet loadSplit(const std::filesystem::path& dir) {
  ShapeSet set;
  std::vector<std::filesystem::path> files;
  if (std::filesystem::is_directory(dir))
    for (const auto& e : std::filesystem::directory_iterator(dir))
      if (e.path().extension() == ".shape") files.push_back(e.path());
  std::sort(files.begin(), files.end());
  if (files.empty()) return set;
  std::vector<ShapeRecord> records;
  size_t S = SIZE_MAX, Q = SIZE_MAX;
  for (const auto& f : files) {
    records.push_back(readShapeRecord(f));
    S = std::min(S, records.back().surface.size() / 3);
    Q = std::min(Q, records.back().labels.size());
    set.names.push_back(f.filename().string());
  }
  if (S == 0 || Q == 0) throw std::runtime_error("shape folder '" + dir.string() + "' has a shape without points");
  const int64_t N = static_cast<int64_t>(records.size());
  set.surface = torch::empty({N, int64_t(S), 3});
  set.queries = torch::empty({N, int64_t(Q), 3});
  set.labels = torch::empty({N, int64_t(Q)});
  for (int64_t i = 0; i < N; ++i) {
    auto& r = records[i];
    set.surface[i].copy_(torch::from_blob(r.surface.data(), {int64_t(S), 3}, torch::kFloat32));
    set.queries[i].copy_(torch::from_blob(r.queries.data(), {int64_t(Q), 3}, torch::kFloat32));
    set.labels[i].copy_(torch::from_blob(r.labels.data(), {int64_t(Q)}, torch::kUInt8).to(torch::kFloat32));
    r = ShapeRecord{};  // free as we go
  }
  return set;
}

}  // namespace

ShapeData loadShapeData(const std::filesystem::path& dir) {
  if (!std::filesystem::is_directory(dir))
    throw std::runtime_error("shape data folder '" + dir.string() + "' does not exist (make one with `fieldscope data shapes -o DIR`)");
  ShapeData d{loadSplit(dir / "train"), loadSplit(dir / "test")};
  if (d.train.size() == 0)
    throw std::runtime_error("shape data folder '" + dir.string() + "' has no .shape files in train/");
  return d;
}

ShapeBatch drawShapeBatch(const ShapeSet& set, const torch::Tensor& index, int64_t points, int64_t queries,
                          const torch::Generator& gen) {
  const int64_t B = index.size(0);
  auto pick = [&](const torch::Tensor& all, int64_t count) {  // B x count indices into dim 1
    return torch::randint(all.size(1), {B, count}, gen, torch::kInt64);
  };
  auto surf = set.surface.index_select(0, index);
  auto si = pick(surf, points);
  auto q = set.queries.index_select(0, index), l = set.labels.index_select(0, index);
  auto qi = pick(q, queries);
  return {surf.gather(1, si.unsqueeze(2).expand({B, points, 3})), q.gather(1, qi.unsqueeze(2).expand({B, queries, 3})),
          l.gather(1, qi)};
}

}  // namespace fieldscope
