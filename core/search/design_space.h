#pragma once

#include "../model/project.h"
#include "../util/result.h"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace codesign {

// A point of the design space: one index per coordinate.
using DesignPoint = std::vector<int>;

// One searchable property of a project and the values it may take.
struct Coordinate {
    enum class Kind {
        Channels,
        Repeat,
        Downsample,
        WeightBits,
        ActivationBits,
        Resize,
        Bundle,
        Arch // the accelerator family (search.architectures)
    };
    Kind kind = Kind::Channels;
    std::string name;                // "B1.channels", "B2+B3.channels", "weight_bits", ...
    int entry = -1;                  // index into Project::network for per-instance coordinates
    std::vector<int> entries;        // every entry it sets: `entry` and those a join ties to it
    std::vector<double> values;      // Bundle, Arch: indices into `labels`
    std::vector<std::string> labels; // Bundle: the bundle names; Arch: the arch names
};

// The co-design search space of a project (seed step 3, docs/search.md): per bundle
// instance its channels (a ladder), repeats and whether it down-samples; globally the
// weight and activation bits, the input resize and (search.bundles) which of several
// bundles every instance uses and (search.architectures) the accelerator family. Built from the
// project's `search:` section, or its defaults. The network's joins tie coordinates together or
// keep them as written (space_ties.h), so that every point builds.
class DesignSpace {
public:
    static Result<DesignSpace> fromProject(const Project& project);

    const std::vector<Coordinate>& coordinates() const { return coords_; }
    const Project& baseProject() const { return base_project_; }
    std::size_t dimensions() const { return coords_.size(); }
    // Number of points, saturating at UINT64_MAX.
    std::uint64_t size() const;
    // The point closest to the project as written.
    const DesignPoint& basePoint() const { return base_; }
    bool contains(const DesignPoint& p) const;

    // The project at this point (a copy of the base project with the coordinates applied).
    Project apply(const DesignPoint& p) const;
    // The i-th point in mixed-radix order (coordinate 0 varies fastest).
    DesignPoint pointAt(std::uint64_t index) const;
    // The accelerator family (arch name) of the designs at this point.
    std::string_view archOf(const DesignPoint& p) const;
    // The families the space's designs may be of (arch names, in the registry's order).
    std::vector<std::string_view> architectures() const;
    // "B1.channels=96 weight_bits=11 ..."
    std::string describe(const DesignPoint& p) const;
    double value(const DesignPoint& p, std::size_t coordinate) const {
        return coords_[coordinate].values[p[coordinate]];
    }
    // What the network's joins did to the space, for people: "B2+B3.channels tied;
    // B4.downsample kept as written". Empty when they did nothing.
    const std::string& joinNote() const { return join_note_; }

private:
    Project base_project_;
    std::vector<Coordinate> coords_;
    DesignPoint base_;
    std::string join_note_;
};

} // namespace codesign
