#pragma once
// A line-by-line check of OBJ text before tinyobjloader parses it. tinyobjloader reads a
// malformed number as 0, resolves indices with atoi (undefined on overflow) and reports a bad index
// only as a warning without its line; this scan finds those problems first, with the line number.
// It splits lines exactly as tinyobjloader does ("\n", "\r\n" or "\r"; a NUL ends a line).
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace fieldscope {

struct ObjScan {
  std::size_t vertices = 0;                 // `v` lines
  std::size_t faces = 0;                    // `f` lines with 3 or more vertices
  std::vector<std::string> warnings;
};

// Throws std::runtime_error("line N: ...") at the first vertex with a non-numeric, non-finite or
// beyond-±maxAbsCoordinate coordinate (or fewer than 3), and at the first face index that is not
// an integer, is 0, resolves before the first vertex or past the last one.
ObjScan scanObjText(std::string_view text, double maxAbsCoordinate);

}  // namespace fieldscope
