#include "model/diffusion/class_guidance.h"

#include <algorithm>
#include <cctype>
#include <stdexcept>

namespace fieldscope {

int classOfSeed(uint64_t seed, const std::vector<double>& shares) {
  if (shares.empty()) throw std::invalid_argument("classOfSeed: the model has no classes");
  uint64_t z = seed + 0x9E3779B97F4A7C15ull;
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  z ^= z >> 31;
  const double u = double(z >> 11) * (1.0 / 9007199254740992.0);  // [0, 1)
  double total = 0;
  for (double s : shares) total += std::max(0.0, s);
  double acc = 0;
  for (size_t i = 0; i < shares.size(); ++i) {
    acc += std::max(0.0, shares[i]);
    if (u * total < acc) return int(i);
  }
  return int(shares.size()) - 1;
}

std::vector<std::string> groupsOf(const DiffusionClasses& classes) {
  std::vector<std::string> groups;
  for (const auto& p : classes.parents)
    if (std::find(groups.begin(), groups.end(), p) == groups.end()) groups.push_back(p);
  return groups;
}

bool validClassIndex(const DiffusionClasses& classes, int classIndex) {
  if (classIndex == kNoClass || classIndex == kAnyClass) return true;
  if (classIndex >= 0) return classIndex < int(classes.names.size());
  return classIndex <= kFirstGroup && kFirstGroup - classIndex < int(groupsOf(classes).size());
}

namespace {
// The classes of group k of groupsOf(classes) (std::invalid_argument when there is no such group).
std::vector<size_t> classesOfGroup(const DiffusionClasses& classes, size_t k) {
  const std::vector<std::string> groups = groupsOf(classes);
  if (k >= groups.size()) throw std::invalid_argument("the model's classes have no group " + std::to_string(k));
  std::vector<size_t> members;
  for (size_t i = 0; i < classes.names.size() && i < classes.parents.size(); ++i)
    if (classes.parents[i] == groups[k]) members.push_back(i);
  return members;
}
}  // namespace

int classForSeed(const DiffusionClasses& classes, const ClassGuidance& guidance, uint64_t seed) {
  if (guidance.classIndex == kAnyClass) return classOfSeed(seed, classes.shares);
  if (guidance.classIndex > kFirstGroup) return guidance.classIndex;
  // the group's classes by their shares (each alike when none has a share), the others at zero
  const std::vector<size_t> members = classesOfGroup(classes, size_t(kFirstGroup - guidance.classIndex));
  std::vector<double> shares(classes.names.size(), 0.0);
  double total = 0;
  for (size_t i : members) total += shares[i] = std::max(0.0, classes.shares.at(i));
  for (size_t i : members) shares[i] = total > 0 ? shares[i] : 1.0;
  return classOfSeed(seed, shares);
}

namespace {
std::string lower(std::string s) {
  for (char& c : s) c = char(std::tolower(static_cast<unsigned char>(c)));
  return s;
}
}  // namespace

int findClass(const std::vector<std::string>& names, const std::string& name) {
  std::string list;
  for (const auto& n : names) list += (list.empty() ? "" : ", ") + n;
  if (!name.empty() && std::all_of(name.begin(), name.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)); })) {
    const size_t i = name.size() < 6 ? std::stoul(name) : names.size();
    if (i < names.size()) return int(i);
    throw std::invalid_argument("no class number " + name + " (0 to " + std::to_string(int(names.size()) - 1) + ")");
  }
  const std::string want = lower(name);
  std::vector<int> hits;
  for (size_t i = 0; i < names.size(); ++i) {
    const std::string n = lower(names[i]);
    if (n == want) return int(i);
    if (!want.empty() && n.rfind(want, 0) == 0) hits.push_back(int(i));
  }
  if (hits.size() == 1) return hits[0];
  throw std::invalid_argument((hits.empty() ? "no class '" : "several classes start with '") + name +
                              "' (the model's classes: " + (list.empty() ? "none" : list) + ")");
}

ClassGuidance resolveClassGuidance(const DiffusionClasses& classes, const std::string& group, const std::string& guidance) {
  if (classes.empty()) {
    if ((!group.empty() && group != "none") || !guidance.empty())
      throw std::invalid_argument("the model has no classes to guide towards (it was trained without --classes)");
    return {};
  }
  ClassGuidance g;
  if (group.empty() || lower(group) == "any") g.classIndex = kAnyClass;
  else if (lower(group) == "none") g.classIndex = kNoClass;
  else {
    const std::vector<std::string> groups = groupsOf(classes);
    int k = -1;
    try {
      g.classIndex = findClass(classes.names, group);
    } catch (const std::invalid_argument& e) {
      if (groups.empty()) throw;
      try {
        k = findClass(groups, group);
      } catch (const std::invalid_argument&) {
        std::string list;
        for (const auto& n : groups) list += (list.empty() ? "" : ", ") + n;
        throw std::invalid_argument(std::string(e.what()) + "; nor a group of them (" + list + ")");
      }
      g.classIndex = groupClass(k);
    }
    double share = k < 0 ? classes.shares.at(size_t(g.classIndex)) : 0.0;
    if (k >= 0)
      for (size_t i : classesOfGroup(classes, size_t(k))) share += classes.shares.at(i);
    if (!(share > 0))
      throw std::invalid_argument("the model saw no training picture of " + (k < 0 ? classes.kind : std::string("the group")) + " '" +
                                  (k < 0 ? classes.names[size_t(g.classIndex)] : groups[size_t(k)]) + "'");
  }
  g.scale = classes.defaultGuidance;
  if (!guidance.empty()) {
    size_t used = 0;
    try {
      g.scale = std::stod(guidance, &used);
    } catch (const std::exception&) {
      used = 0;
    }
    if (used != guidance.size() || !(g.scale >= 0 && g.scale <= 20))
      throw std::invalid_argument("--guidance '" + guidance + "': expected a number from 0 (unguided) to 20");
  }
  return g;
}

std::string className(const DiffusionClasses& classes, int classIndex) {
  if (classIndex == kAnyClass) return "any";
  if (classIndex <= kFirstGroup) {
    const std::vector<std::string> groups = groupsOf(classes);
    const size_t k = size_t(kFirstGroup - classIndex);
    return k < groups.size() ? groups[k] : "none";
  }
  if (classIndex < 0 || classIndex >= int(classes.names.size())) return "none";
  return classes.names[size_t(classIndex)];
}

}  // namespace fieldscope
