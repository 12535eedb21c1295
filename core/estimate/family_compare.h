#pragma once

// The cross-family comparison (`codesign compare`, the studio's Compare families window):
// the project's network on its device under each accelerator family, each sized
// automatically. Families come from the registry (architecture.h), never by name here.
#include "design_estimate.h"

#include <string>
#include <string_view>
#include <vector>

namespace codesign {

// The registered families' `arch:` names, in registry order.
std::vector<std::string> familyNames();

// The project with its accelerator in family `arch`, sized automatically: the project's own
// family keeps its keys (auto sizing chooses the design, the user's keys such as fuse_rows
// stay), another family starts from its defaults; clock, batch and resource cap stay the
// project's. An arch that is not registered is an error naming those that are.
Result<Project> withAutoSizedFamily(Project project, std::string_view arch);

struct FamilyEstimate {
    std::string arch;
    Result<DesignEstimate> estimate; // a family that cannot take the network says why
};

// Each family of `archs` (all registered ones when empty), in the order given. Fails before
// estimating anything when a name is not registered, and when the network does not build
// or the device is not known (what every family would fail on).
Result<std::vector<FamilyEstimate>> compareFamilies(const Project& project,
                                                    const std::vector<std::string>& archs,
                                                    const DeviceLibrary& library,
                                                    const DesignRequest& request = {});

} // namespace codesign
