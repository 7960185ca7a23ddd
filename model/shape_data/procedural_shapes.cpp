#include "model/shape_data/procedural_shapes.h"

#include <algorithm>
#include <cmath>
#include <functional>
#include <numbers>
#include <stdexcept>

#include "model/shape_data/shape_random.h"

namespace fieldscope {
namespace {

constexpr double kPi = std::numbers::pi;

// Draws a value and records it under its name.
class Draw {
 public:
  Draw(ShapeRandom& random, std::vector<ShapeParameter>& params) : r_(random), params_(params) {}
  double uniform(const char* name, double lo, double hi) { return record(name, r_.uniform(lo, hi)); }
  int integer(const char* name, int lo, int hi) { return static_cast<int>(record(name, r_.integer(lo, hi))); }
  bool chance(const char* name, double p) { return record(name, r_.chance(p) ? 1 : 0) != 0; }
  double record(const char* name, double value) {
    params_.push_back({name, value});
    return value;
  }

 private:
  ShapeRandom& r_;
  std::vector<ShapeParameter>& params_;
};

Solid at(const Solid& s, double x, double y, double z) { return s.translated({x, y, z}); }

// A post from y = y0 to y = y1: round or square.
Solid post(double radius, double y0, double y1, bool square) {
  const double half = 0.5 * (y1 - y0);
  const Solid p = square ? Solid::box({radius, half, radius}) : Solid::cylinder(radius, half);
  return p.translated({0, y0 + half, 0});
}

// Table: a top (rectangular or round) on 3-4 legs, sometimes a shelf between the legs.
Solid table(Draw& d) {
  const double width = d.uniform("width", 1.0, 2.0);
  const double height = d.uniform("height", 0.55, 1.0) * std::max(1.0, width * 0.6);
  const double top = d.uniform("top_thickness", 0.04, 0.09);
  const double legRadius = d.uniform("leg_radius", 0.02, 0.035) * std::max(width, height);
  const double inset = legRadius + d.uniform("leg_inset", 0.01, 0.1);
  const bool square = d.chance("square_legs", 0.3);
  const double legTop = height - 0.5 * top;  // legs end inside the top
  if (d.chance("round_top", 0.3)) {
    const double radius = 0.5 * width;
    const int legs = d.integer("legs", 3, 4);
    Solid s = Solid::cylinder(radius, 0.5 * top).translated({0, height - 0.5 * top, 0});
    for (int i = 0; i < legs; ++i) {
      const double a = 2 * kPi * i / legs + kPi / 4;
      s = s | at(post(legRadius, 0, legTop, square), (radius - inset) * std::cos(a), 0, (radius - inset) * std::sin(a));
    }
    return s;
  }
  const double depth = width * d.uniform("depth_ratio", 0.45, 1.0);
  Solid s = Solid::box({0.5 * width, 0.5 * top, 0.5 * depth}, std::min(0.45 * top, 0.015))
                .translated({0, height - 0.5 * top, 0});
  const double lx = 0.5 * width - inset, lz = 0.5 * depth - inset;
  for (int i = 0; i < 4; ++i) s = s | at(post(legRadius, 0, legTop, square), (i & 1) ? lx : -lx, 0, (i & 2) ? lz : -lz);
  if (d.chance("shelf", 0.35)) {
    const double y = height * d.uniform("shelf_height", 0.15, 0.35);
    s = s | Solid::box({lx, 0.4 * top, lz}).translated({0, y, 0});  // its edges cut through the legs
  }
  return s;
}

// Chair: seat on four legs, a backrest (panel, spindles or a framed window), sometimes arms.
Solid chair(Draw& d) {
  const double width = d.uniform("width", 0.8, 1.1);
  const double depth = d.uniform("depth", 0.75, 1.1);
  const double seatHeight = d.uniform("seat_height", 0.75, 1.05);
  const double seat = d.uniform("seat_thickness", 0.06, 0.12);
  const double legRadius = d.uniform("leg_radius", 0.035, 0.06);
  const bool square = d.chance("square_legs", 0.5);
  const double inset = legRadius + d.uniform("leg_inset", 0.01, 0.05);
  const double seatBottom = seatHeight - seat;
  Solid s = Solid::box({0.5 * width, 0.5 * seat, 0.5 * depth}, 0.02).translated({0, seatHeight - 0.5 * seat, 0});
  const double lx = 0.5 * width - inset, lz = 0.5 * depth - inset;
  for (int i = 0; i < 4; ++i)
    s = s | at(post(legRadius, 0, seatBottom + 0.5 * seat, square), (i & 1) ? lx : -lx, 0, (i & 2) ? lz : -lz);

  // The backrest, built standing on y = 0 at z = 0, then tilted back about its foot.
  const double backHeight = d.uniform("back_height", 0.7, 1.2);
  const double back = d.uniform("back_thickness", 0.05, 0.09);
  const int style = d.integer("back_style", 0, 2);  // 0 panel, 1 spindles, 2 framed window
  Solid rest = Solid::box({0.5 * width, 0.5 * backHeight, 0.5 * back}, 0.02).translated({0, 0.5 * backHeight, 0});
  if (style == 1) {
    const double rail = d.uniform("rail_height", 0.1, 0.18);
    const int spindles = d.integer("spindles", 3, 5);
    // Spindles thick enough to survive a 64^3 grid; the rail is deep enough to hold them.
    const double spindle = d.uniform("spindle_radius", 0.03, 0.04);
    const double railDepth = std::max(back, 2.4 * legRadius);
    rest = Solid::box({0.5 * width, 0.5 * rail, 0.5 * railDepth}, 0.02).translated({0, backHeight - 0.5 * rail, 0});
    for (int side = -1; side <= 1; side += 2)
      rest = rest | at(post(legRadius, -0.25 * seat, backHeight - 0.5 * rail, square), side * lx, 0, 0);
    for (int i = 0; i < spindles; ++i) {
      const double x = -lx + 2 * lx * (i + 1) / (spindles + 1);
      rest = rest | at(post(spindle, -0.25 * seat, backHeight - 0.5 * rail, false), x, 0, 0);
    }
  } else if (style == 2) {
    const double frame = d.uniform("frame", 0.08, 0.15);
    rest = rest - Solid::box({0.5 * width - frame, 0.5 * backHeight - frame, back}).translated({0, 0.5 * backHeight + 0.5 * frame, 0});
  }
  const double tilt = d.uniform("back_tilt", 0.0, 0.25);
  s = s | rest.rotatedX(-tilt).translated({0, seatHeight - 0.5 * seat, -0.5 * depth + 0.5 * back});

  if (d.chance("arms", 0.3)) {
    const double armHeight = d.uniform("arm_height", 0.2, 0.3);
    const double arm = d.uniform("arm_width", 0.05, 0.08);
    for (int side = -1; side <= 1; side += 2) {
      const double x = side * (0.5 * width - arm);
      s = s | Solid::box({arm, 0.03, 0.42 * depth}, 0.02).translated({x, seatHeight + armHeight, 0});
      s = s | at(post(0.6 * arm, seatHeight - 0.5 * seat, seatHeight + armHeight, square), x, 0, 0.3 * depth);
    }
  }
  return s;
}

// Mug: a cylinder (or a tapered one) hollowed from the top, with a torus handle.
Solid mug(Draw& d) {
  const double radius = d.uniform("radius", 0.3, 0.45);
  const double height = d.uniform("height", 0.7, 1.1);
  const double wall = d.uniform("wall", 0.045, 0.075);
  const double bottom = d.uniform("bottom", 0.05, 0.1);
  const bool tapered = d.chance("tapered", 0.35);
  const double topRadius = tapered ? radius * d.uniform("top_ratio", 1.05, 1.25) : radius;
  const Solid body = Solid::cone(radius, topRadius, 0.5 * height).translated({0, 0.5 * height, 0});
  // The cavity runs past the rim: the mug is open at the top.
  const Solid cavity = Solid::cone(radius - wall, topRadius - wall, 0.5 * height).translated({0, 0.5 * height + bottom, 0});
  const double ring = height * d.uniform("handle_radius", 0.2, 0.3);
  const double tube = d.uniform("handle_thickness", 0.04, 0.065);
  const double handleY = height * d.uniform("handle_height", 0.45, 0.58);
  const double sideRadius = radius + (topRadius - radius) * handleY / height;
  // The ring's inner part enters the wall (and the cavity, which removes it): it joins the body.
  const Solid handle = Solid::torus(ring, tube).rotatedX(0.5 * kPi).translated({sideRadius + 0.35 * ring, handleY, 0});
  return (body | handle) - cavity;
}

// Lamp: a base, a stem and a shade open at the bottom, a bulb inside, sometimes a finial.
Solid lamp(Draw& d) {
  const double baseRadius = d.uniform("base_radius", 0.25, 0.4);
  const double baseHeight = d.uniform("base_height", 0.05, 0.1);
  const bool squareBase = d.chance("square_base", 0.3);
  const double stemRadius = d.uniform("stem_radius", 0.03, 0.05);
  const double stemHeight = d.uniform("stem_height", 0.7, 1.3);
  const double bottomRadius = d.uniform("shade_bottom_radius", 0.3, 0.5);
  const double topRadius = bottomRadius * d.uniform("shade_top_ratio", 0.4, 0.8);
  const double shadeHeight = d.uniform("shade_height", 0.3, 0.5);
  const double wall = d.uniform("shade_wall", 0.04, 0.06);
  Solid s = squareBase ? Solid::box({baseRadius, 0.5 * baseHeight, baseRadius}, 0.02)
                       : Solid::cylinder(baseRadius, 0.5 * baseHeight);
  s = s.translated({0, 0.5 * baseHeight, 0});
  const double top = baseHeight + stemHeight;  // the shade's closed top
  const Solid outer = Solid::cone(bottomRadius, topRadius, 0.5 * shadeHeight);
  const Solid inner = Solid::cone(bottomRadius - wall, topRadius - wall, 0.5 * shadeHeight).translated({0, -wall, 0});
  s = s | (outer - inner).translated({0, top - 0.5 * shadeHeight, 0});
  s = s | post(stemRadius, 0.5 * baseHeight, top - 0.5 * wall, false);
  // The bulb hangs on the stem, clear of the shade's wall.
  const double slope = (bottomRadius - topRadius) / shadeHeight;
  const double drop = 0.45 * shadeHeight;
  const double room = topRadius - wall + slope * drop;
  const double bulb = std::min({d.uniform("bulb_radius", 0.06, 0.1), 0.6 * room, 0.4 * shadeHeight});
  s = s | Solid::sphere(bulb).translated({0, top - wall - drop, 0});
  if (d.chance("finial", 0.4)) s = s | Solid::sphere(d.uniform("finial_radius", 0.035, 0.055)).translated({0, top + 0.02, 0});
  return s;
}

// Ring: a torus standing up, sometimes with flat sides, sometimes with a stone on top.
Solid ring(Draw& d) {
  const double radius = d.uniform("radius", 0.5, 0.7);
  const double tube = radius * d.uniform("tube_ratio", 0.12, 0.25);
  Solid s = Solid::torus(radius, tube).rotatedX(0.5 * kPi);  // in the xy plane
  if (d.chance("flat_band", 0.5)) s = s & Solid::box({radius + tube, radius + tube, tube * d.uniform("band_width", 0.5, 0.8)});
  const int stone = d.integer("stone", 0, 2);  // 0 none, 1 round, 2 cut
  if (stone > 0) {
    const double size = tube * d.uniform("stone_size", 1.3, 2.0);
    const Solid gem = stone == 1 ? Solid::sphere(size)
                                 : Solid::box({0.75 * size, 0.75 * size, 0.75 * size}, 0.05 * size).rotatedY(0.25 * kPi).rotatedZ(0.25 * kPi);
    s = s | gem.translated({0, radius + (stone == 1 ? 0.6 : 0.9) * size, 0});  // a cut stone's corner reaches lower
  }
  return s;
}

// Dumbbell: a bar with a ball, a stack of plates or a block at each end.
Solid dumbbell(Draw& d) {
  const double half = d.uniform("bar_half_length", 0.5, 0.8);
  const double bar = d.uniform("bar_radius", 0.05, 0.09);
  const int style = d.integer("end_style", 0, 2);  // 0 balls, 1 plates, 2 blocks
  const double end = d.uniform("end_radius", 0.18, 0.3);
  Solid ends = Solid::sphere(end);
  double reach = half;  // where the bar must reach along x
  if (style == 1) {
    const int plates = d.integer("plates", 1, 3);
    const double thickness = d.uniform("plate_thickness", 0.06, 0.12);
    ends = Solid::cylinder(end, 0.5 * thickness).rotatedZ(0.5 * kPi);
    for (int i = 1; i < plates; ++i)  // each smaller plate overlaps the previous one
      ends = ends | Solid::cylinder(end * (1 - 0.18 * i), 0.5 * thickness).rotatedZ(0.5 * kPi).translated({0.85 * thickness * i, 0, 0});
    reach = half + 0.85 * thickness * (plates - 1) + 0.4 * thickness;
  } else if (style == 2) {
    ends = Solid::box({0.6 * end, 0.8 * end, 0.8 * end}, 0.1 * end);
  }
  Solid s = Solid::capsule(bar, reach).rotatedZ(0.5 * kPi);
  s = s | ends.translated({half, 0, 0});
  s = s | (style == 1 ? ends.rotatedY(kPi) : ends).translated({-half, 0, 0});
  return s;
}

// Bracket: an L of two plates with bolt holes, sometimes a triangular rib in the corner.
Solid bracket(Draw& d) {
  const double width = d.uniform("width", 0.8, 1.4);
  const double depth = d.uniform("depth", 0.5, 0.9);
  const double height = d.uniform("height", 0.5, 1.0);
  const double t = d.uniform("thickness", 0.08, 0.15);
  const double round = 0.2 * t;
  const double backZ = -0.5 * depth + 0.5 * t;
  Solid s = Solid::box({0.5 * width, 0.5 * t, 0.5 * depth}, round).translated({0, 0.5 * t, 0});
  s = s | Solid::box({0.5 * width, 0.5 * height, 0.5 * t}, round).translated({0, 0.5 * height, backZ});
  const bool rib = d.chance("rib", 0.5);
  if (rib) {
    const double ribWidth = d.uniform("rib_width", 0.06, 0.12);
    const double leg = std::min(depth, height) * d.uniform("rib_size", 0.5, 0.8);
    // A square turned 45 degrees about x, centred on the inner corner, cut to the quarter between the plates.
    const double a = leg / std::sqrt(2.0);
    const Solid diamond = Solid::box({0.5 * ribWidth, a, a}).rotatedX(0.25 * kPi);
    const Solid quarter = Solid::box({0.5 * ribWidth, 0.5 * (leg + 0.5 * t), 0.5 * (leg + 0.5 * t)})
                              .translated({0, 0.5 * (leg - 0.5 * t), 0.5 * (leg - 0.5 * t)});
    s = s | (diamond & quarter).translated({0, t, backZ + 0.5 * t});
  }
  const int baseHoles = rib ? 2 : d.integer("base_holes", 1, 3);
  const double baseHole = d.uniform("base_hole_radius", 0.04, std::min(0.1, 0.18 * (depth - t)));
  const double freeZ = 0.5 * (backZ + 0.5 * t + 0.5 * depth);  // middle of the base in front of the wall
  for (int i = 0; i < baseHoles; ++i) {
    const double x = baseHoles == 1 ? 0 : (rib ? (i == 0 ? -0.3 : 0.3) * width : width * (-0.3 + 0.6 * i / (baseHoles - 1)));
    s = s - Solid::cylinder(baseHole, t).translated({x, 0.5 * t, freeZ});
  }
  const int wallHoles = rib ? 2 : d.integer("wall_holes", 0, 2);
  const double wallHole = d.uniform("wall_hole_radius", 0.04, std::min(0.1, 0.18 * (height - t)));
  for (int i = 0; i < wallHoles; ++i) {
    const double x = wallHoles == 1 ? 0 : (i == 0 ? -0.3 : 0.3) * width;
    s = s - Solid::cylinder(wallHole, t).rotatedX(0.5 * kPi).translated({x, 0.5 * (height + t), backZ});
  }
  return s;
}

// Snowman: three stacked balls on a flat bottom, a carrot nose, sometimes a hat and stick arms.
Solid snowman(Draw& d) {
  const double r1 = d.uniform("bottom_radius", 0.35, 0.45);
  const double r2 = r1 * d.uniform("middle_ratio", 0.65, 0.8);
  const double r3 = r2 * d.uniform("head_ratio", 0.65, 0.8);
  const double overlap = d.uniform("stacking", 0.75, 0.85);
  const double y1 = 0.85 * r1, y2 = y1 + overlap * (r1 + r2), y3 = y2 + overlap * (r2 + r3);
  Solid s = Solid::sphere(r1).translated({0, y1, 0}) | Solid::sphere(r2).translated({0, y2, 0}) |
            Solid::sphere(r3).translated({0, y3, 0});
  s = s - Solid::box({r1, r1, r1}).translated({0, -r1, 0});  // flat bottom at y = 0
  const double nose = r3 * d.uniform("nose_length", 0.6, 1.1);
  const double noseRadius = r3 * d.uniform("nose_radius", 0.12, 0.2);
  s = s | Solid::cone(noseRadius, 0, 0.5 * nose).rotatedX(0.5 * kPi).translated({0, y3, 0.7 * r3 + 0.5 * nose});
  if (d.chance("hat", 0.6)) {
    const double brimY = y3 + 0.7 * r3;  // the head's radius there is ~0.71 r3
    const double crown = r3 * d.uniform("hat_height", 0.5, 0.9);
    s = s | Solid::cylinder(r3 * d.uniform("brim_radius", 1.0, 1.3), 0.04 * r3 + 0.01).translated({0, brimY, 0});
    s = s | Solid::cylinder(0.62 * r3, 0.5 * crown).translated({0, brimY + 0.5 * crown, 0});
  }
  if (d.chance("arms", 0.5)) {
    const double angle = d.uniform("arm_angle", 0.1, 0.6);
    const double arm = r2 * d.uniform("arm_length", 0.8, 1.3);
    const double thickness = d.uniform("arm_radius", 0.025, 0.04);
    for (int side = -1; side <= 1; side += 2) {
      const double reach = 0.8 * r2 + 0.5 * arm;
      const Solid stick = Solid::capsule(thickness, 0.5 * arm).rotatedZ(side * (angle - 0.5 * kPi));
      s = s | stick.translated({side * reach * std::cos(angle), y2 + reach * std::sin(angle), 0});
    }
  }
  return s;
}

// Bottle: a cylindrical or round body, a shoulder, a neck with a lip.
Solid bottle(Draw& d) {
  const double radius = d.uniform("radius", 0.2, 0.35);
  const double neck = radius * d.uniform("neck_ratio", 0.25, 0.45);
  const double neckHeight = d.uniform("neck_height", 0.15, 0.35);
  const double lip = neck * d.uniform("lip", 0.12, 0.25);
  Solid s = Solid::sphere(radius);  // replaced below
  double shoulderTop = 0;
  if (d.chance("round_body", 0.3)) {
    const double r = radius * 1.25;
    s = Solid::sphere(r).translated({0, 0.9 * r, 0}) - Solid::box({r, r, r}).translated({0, -r, 0});
    shoulderTop = 1.8 * r;  // the neck starts inside the ball's top
  } else {
    const double body = d.uniform("body_height", 0.6, 1.0);
    const double shoulder = d.uniform("shoulder_height", 0.1, 0.3);
    s = Solid::cylinder(radius, 0.5 * body).translated({0, 0.5 * body, 0});
    s = s | Solid::cone(radius, neck, 0.5 * shoulder).translated({0, body + 0.5 * shoulder - 0.01, 0});
    shoulderTop = body + shoulder - 0.02;
  }
  s = s | post(neck, shoulderTop, shoulderTop + neckHeight, false);
  // Just below the neck's top face: a torus touching that plane would meet it tangentially.
  s = s | Solid::torus(neck, lip).translated({0, shoulderTop + neckHeight - 1.2 * lip, 0});
  return s;
}

// Gear: a disc with teeth round the rim, a bore, sometimes a hub and round windows.
Solid gear(Draw& d) {
  const double radius = d.uniform("radius", 0.5, 0.7);
  const double thickness = d.uniform("thickness", 0.1, 0.25);
  const int teeth = d.integer("teeth", 8, 16);
  const double toothHeight = radius * d.uniform("tooth_height", 0.12, 0.2);
  const double toothWidth = 2 * kPi * radius / teeth * d.uniform("tooth_width", 0.35, 0.5);
  Solid s = Solid::cylinder(radius, 0.5 * thickness);
  const Solid tooth = Solid::box({0.5 * toothHeight + 0.02, 0.5 * thickness, 0.5 * toothWidth})
                          .translated({radius + 0.5 * toothHeight - 0.02, 0, 0});
  for (int i = 0; i < teeth; ++i) s = s | tooth.rotatedY(2 * kPi * i / teeth);
  if (d.chance("hub", 0.5)) s = s | Solid::cylinder(0.3 * radius, 0.5 * thickness + d.uniform("hub_height", 0.04, 0.1));
  s = s - Solid::cylinder(radius * d.uniform("bore", 0.08, 0.18), thickness + 0.2);  // through the hub too
  if (d.chance("windows", 0.5)) {
    const int windows = d.integer("window_count", 3, 6);
    const double window = radius * d.uniform("window_radius", 0.12, 0.18);
    for (int i = 0; i < windows; ++i) {
      const double a = 2 * kPi * i / windows;
      s = s - Solid::cylinder(window, thickness).translated({0.55 * radius * std::cos(a), 0, 0.55 * radius * std::sin(a)});
    }
  }
  return s;
}

struct Family {
  const char* name;
  Solid (*make)(Draw&);
};
constexpr Family kFamilies[] = {{"table", table},     {"chair", chair},     {"mug", mug},         {"lamp", lamp},
                                {"ring", ring},       {"dumbbell", dumbbell}, {"bracket", bracket}, {"snowman", snowman},
                                {"bottle", bottle},   {"gear", gear}};

ProceduralShape build(const Family& family, ShapeRandom& random) {
  std::vector<ShapeParameter> params;
  Draw draw(random, params);
  Solid solid = family.make(draw);
  return {family.name, std::move(params), std::move(solid)};
}

}  // namespace

const std::vector<std::string>& shapeFamilies() {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> v;
    for (const Family& f : kFamilies) v.emplace_back(f.name);
    return v;
  }();
  return names;
}

ProceduralShape makeShape(const std::string& family, std::uint64_t seed) {
  for (const Family& f : kFamilies)
    if (family == f.name) {
      ShapeRandom random(ShapeRandom::streamSeed(seed, 0));
      return build(f, random);
    }
  throw std::invalid_argument("unknown shape family '" + family + "'");
}

ProceduralShape makeSetShape(std::uint64_t seed, std::uint64_t index, int attempt) {
  ShapeRandom random(ShapeRandom::streamSeed(ShapeRandom::streamSeed(seed, index), static_cast<std::uint64_t>(attempt)));
  const int count = static_cast<int>(std::size(kFamilies));
  return build(kFamilies[random.integer(0, count - 1)], random);
}

}  // namespace fieldscope
