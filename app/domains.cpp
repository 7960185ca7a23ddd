// The domains of Fieldscope, one line each (docs/architecture.md "Adding a domain").
#include "app/domain/domain_list.h"

#include "app/domain/domain.h"
#include "app/domains/image/cli/image_commands.h"
#include "app/domains/nerf/cli/nerf_commands.h"
#include "app/domains/shape/cli/shape_commands.h"
#include "app/domains/sr/cli/sr_commands.h"
#include "app/domains/video/cli/video_commands.h"
#if FIELDSCOPE_HAS_WINDOW
#include "app/domains/image/view/image_domain.h"
#include "app/domains/nerf/view/nerf_domain.h"
#include "app/domains/shape/view/shape_domain.h"
#include "app/domains/sr/view/sr_domain.h"
#include "app/domains/video/view/video_domain.h"
#define FIELDSCOPE_VIEWER(make) make
#else
#define FIELDSCOPE_VIEWER(make) nullptr
#endif

namespace fieldscope {

DomainList domainList() {
  return {
      {"image", registerImageCommands, FIELDSCOPE_VIEWER(makeImageDomain)},  // app/domains/image/
      {"shape", registerShapeCommands, FIELDSCOPE_VIEWER(makeShapeDomain)},  // app/domains/shape/
      {"video", registerVideoCommands, FIELDSCOPE_VIEWER(makeVideoDomain)},  // app/domains/video/
      {"sr", registerSrCommands, FIELDSCOPE_VIEWER(makeSrDomain)},          // app/domains/sr/
      {"nerf", registerNerfCommands, FIELDSCOPE_VIEWER(makeNerfDomain)},    // app/domains/nerf/
  };
}

}  // namespace fieldscope
