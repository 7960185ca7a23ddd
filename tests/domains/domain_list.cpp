// The domain list of the test build `fieldscope_test_domains`: the app's list plus the
// test-only constant and analytic-shape domains -- the "one line" a new domain adds (docs/architecture.md).
#include "app/domain/domain_list.h"

#include "app/domain/domain.h"
#include "app/domains/image/cli/image_commands.h"
#include "app/domains/image/view/image_domain.h"
#include "tests/domains/constant/constant_domain.h"
#include "tests/domains/sdf/sdf_domain.h"

namespace fieldscope {

DomainList domainList() {
  return {
      {"image", registerImageCommands, makeImageDomain},  // app/domains/image/
      {"constant", nullptr, makeConstantDomain},          // tests/domains/constant/
      {"sdftest", nullptr, makeSdfTestDomain},            // tests/domains/sdf/ (the 3D view's test domain)
  };
}

}  // namespace fieldscope
