#pragma once

// The `accelerator:` section of a project: the fields every family shares, and the family's
// own fields as written. The family types are plain data of the project format (so that a
// Project stays a value that undo snapshots copy and compare); what a family does with them
// is its Architecture's business (core/estimate/architecture.h).
#include "../util/diagnostic.h"
#include "streaming_spec.h"
#include "systolic_spec.h"

#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace codesign {

// A tile given to one execution group (a bundle instance or a single layer) by name.
struct GroupTileSpec {
    std::string group;
    int rows = 0;
    int cols = 0;
    SourcePos pos;

    friend bool operator==(const GroupTileSpec& a, const GroupTileSpec& b) {
        return a.group == b.group && a.rows == b.rows && a.cols == b.cols;
    }
};

// The tiled bundle accelerator (seed 000/001). Zero means "choose" (auto sizing).
struct TiledSpec {
    int pwIn = 0;       // Tn: input channels the PW unit takes per cycle
    int pwOut = 0;      // Tm: output channels the PW unit produces per cycle
    int dwParallel = 0; // channels the DW unit processes per cycle
    int tileRows = 0;   // output tile of the compute units, in pixels
    int tileCols = 0;
    int tileGridRows = 0; // or: split the first layer's output into this grid
    int tileGridCols = 0;
    bool doubleBuffer = true;
    // Input channels a group streams through the PW unit per block, partial sums kept on
    // chip, so its buffers hold a block rather than the whole tensor; 0: the whole tensor.
    int channelBlock = 0;
    std::vector<GroupTileSpec> groupTiles; // fixed designs: groups on tiles of their own

    friend bool operator==(const TiledSpec&, const TiledSpec&) = default;
};

// One alternative per accelerator family; the first is the default.
using FamilySpec = std::variant<TiledSpec, StreamingSpec, SystolicSpec>;

// The accelerator as the user wrote it.
struct AcceleratorSpec {
    bool autoSize = true;
    double clockMhz = 0; // 0: the device's default clock
    int batch = 1;
    double resourceCap = 0.9; // auto sizing keeps every resource under cap x device
    FamilySpec family;
    SourcePos pos;

    // The family's name as `arch:` writes it.
    std::string_view arch() const;

    friend bool operator==(const AcceleratorSpec& a, const AcceleratorSpec& b) {
        return a.autoSize == b.autoSize && a.clockMhz == b.clockMhz && a.batch == b.batch &&
               a.resourceCap == b.resourceCap && a.family == b.family;
    }
};

// The clock a design runs at: the project's, or the device's default when it gives none.
// (The one place that resolves it; docs/project-format.md, accelerator.)
double effectiveClockMhz(const AcceleratorSpec& spec, double deviceDefaultMhz);

} // namespace codesign
