#pragma once
// Classifier-free guidance (Ho & Salimans 2022; docs/architecture.md "Models"): a class-conditional
// UNet trained with its labels sometimes dropped predicts both ε(x | class) and ε(x | no class),
// and the sampler follows ε_u + w (ε_c − ε_u). w = 0 is the unconditional model, w = 1 the plain
// conditional one, w > 1 pushes samples further towards what makes the class recognisable.
#include <cstdint>
#include <string>
#include <vector>

namespace fieldscope {

inline constexpr int kNoClass = -1;   // sample without a class (unconditional)
inline constexpr int kAnyClass = -2;  // each seed draws its own class from the training shares
// A finer class set's group k (groupsOf): each seed draws its own class among that group's, by
// their training shares. Its class index is groupClass(k) = kFirstGroup - k.
inline constexpr int kFirstGroup = -100;
inline constexpr int groupClass(int k) { return kFirstGroup - k; }

// What a class-conditional model's classes are (config ldm.classes of its file).
struct DiffusionClasses {
  std::string kind;                // e.g. "emoji group"
  std::vector<std::string> names;  // class i's name
  std::vector<double> shares;      // class i's share of the labelled training set (sums to 1)
  double defaultGuidance = 0;      // the w the CLI and the viewer start with
  std::vector<std::string> parents;  // class i's group when the classes are a finer set (emoji subgroups); else empty
  bool empty() const { return names.empty(); }
};

// The groups of a finer class set (its parents, each once, in the classes' order); empty when the
// classes have no parents.
std::vector<std::string> groupsOf(const DiffusionClasses& classes);
// True for a class, kNoClass, kAnyClass or groupClass(k) of one of groupsOf(classes).
bool validClassIndex(const DiffusionClasses& classes, int classIndex);

struct ClassGuidance {
  int classIndex = kNoClass;  // a class, kNoClass, kAnyClass or a group's groupClass(k)
  double scale = 0;           // w
  bool active() const { return classIndex != kNoClass && scale != 0; }
};

// The class a seed samples under kAnyClass: the seed's own hash (splitmix64) placed in the
// cumulative shares, so it is the same on every machine and in any batch.
int classOfSeed(uint64_t seed, const std::vector<double>& shares);

// The class seed `seed` samples under `guidance`: its class, or under kAnyClass classOfSeed's (under
// a group's index: classOfSeed's among that group's classes); kNoClass when `guidance` names none. The one rule the sampler, the eval and the seed grid share.
int classForSeed(const DiffusionClasses& classes, const ClassGuidance& guidance, uint64_t seed);

// The index of `name` among `names`: an exact match or the one name it starts (case-insensitive;
// "animals" finds "Animals & Nature"), or a number. Throws std::invalid_argument listing the
// names when none or several match.
int findClass(const std::vector<std::string>& names, const std::string& name);

// What `--group G --guidance W` (the CLI) mean for a model's classes: G is "any" (each seed its
// class), "none" (unconditional), a class (findClass) or, when no class matches, one of the classes'
// groups (a model of emoji subgroups guided towards "flags"); empty G: "any" for a model with classes.
// Empty W: the model's default. Throws std::invalid_argument with the reason (a model without
// classes given a group or guidance, an unknown group, a group with no training picture, a
// guidance outside [0, 20]).
ClassGuidance resolveClassGuidance(const DiffusionClasses& classes, const std::string& group, const std::string& guidance);

// "any", "none", the class's name or the group's.
std::string className(const DiffusionClasses& classes, int classIndex);

}  // namespace fieldscope
