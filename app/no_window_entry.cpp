// runGui in builds without a window (FIELDSCOPE_WINDOW=OFF, e.g. a GPU server): the headless
// commands work, the viewer window does not exist.
#include <cstdio>

#include "app/gui_entry.h"

namespace fieldscope {
int runGui(const GuiOptions&, const DomainList&) {
  std::fprintf(stderr,
               "fieldscope: this build has no window (configured with -DFIELDSCOPE_WINDOW=OFF); the headless "
               "commands work: see --help\n");
  return 2;
}
}  // namespace fieldscope
