#include "design_space.h"

#include "../model/accelerator_formats.h"
#include "../model/project_edits.h"
#include "space_ties.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>

namespace codesign {
namespace {

int nearestIndex(const std::vector<double>& values, double target) {
    int best = 0;
    for (std::size_t i = 1; i < values.size(); ++i)
        if (std::abs(values[i] - target) < std::abs(values[best] - target))
            best = static_cast<int>(i);
    return best;
}

std::vector<double> ladder(const IntLadder& l) {
    std::vector<double> v;
    for (int x = l.min; x <= l.max; x += l.step)
        v.push_back(x);
    return v;
}

// "B1", "B3", ...: the name of each bundle entry's first instance.
std::map<int, std::string> instancePrefixes(const Project& project) {
    std::map<int, std::string> prefix;
    int instance = 0;
    for (std::size_t e = 0; e < project.network.size(); ++e)
        if (project.network[e].isBundle) {
            prefix[static_cast<int>(e)] = "B" + std::to_string(instance + 1);
            instance += project.network[e].repeat;
        }
    return prefix;
}

std::string joinedList(const std::vector<std::string>& names) {
    std::string s;
    for (const std::string& n : names)
        s += (s.empty() ? "" : ", ") + n;
    return s;
}

} // namespace

Result<DesignSpace> DesignSpace::fromProject(const Project& project) {
    DesignSpace s;
    s.base_project_ = project;
    const SearchSpec& spec = project.search;
    const SpaceTies ties = findSpaceTies(project);
    std::map<int, std::string> prefix = instancePrefixes(project);
    std::vector<std::string> tied, kept;
    // One coordinate per group of tied entries (at its first entry); none for kept ones.
    auto perInstance = [&](const TiedEntries& t, int e, Coordinate::Kind kind, const char* what,
                           std::vector<double> values, int current) {
        if (t.isFrozen(e)) {
            kept.push_back(prefix[e] + what);
            return;
        }
        if (t.leaderOf(e) != e)
            return;
        Coordinate c{kind, {}, e, t.group(e), std::move(values), {}};
        for (int member : c.entries)
            c.name += (c.name.empty() ? "" : "+") + prefix[member];
        c.name += what;
        if (c.entries.size() > 1)
            tied.push_back(c.name);
        s.base_.push_back(nearestIndex(c.values, current));
        s.coords_.push_back(std::move(c));
    };
    for (std::size_t i = 0; i < project.network.size(); ++i) {
        const NetworkEntry& entry = project.network[i];
        const int e = static_cast<int>(i);
        if (!entry.isBundle)
            continue;
        const BundleDef* def = project.findBundle(entry.bundle);
        if (!def)
            return makeError("unknown bundle '" + entry.bundle + "'", entry.pos);
        if (entry.channels > 0) {
            if (ladder(spec.channels).empty())
                return makeError("the channel ladder of search: is empty", spec.pos);
            perInstance(ties.channels, e, Coordinate::Kind::Channels, ".channels",
                        ladder(spec.channels), entry.channels);
        }
        if (spec.repeat.max > spec.repeat.min) {
            TiedEntries repeat;
            repeat.frozen = ties.frozenRepeat;
            perInstance(repeat, e, Coordinate::Kind::Repeat, ".repeat", ladder(spec.repeat),
                        entry.repeat);
        }
        if (spec.downsample && bundlePools(*def))
            perInstance(ties.downsample, e, Coordinate::Kind::Downsample, ".downsample", {0, 1},
                        entry.downsample ? 1 : 0);
    }
    if (!tied.empty())
        s.join_note_ = joinedList(tied) + " tied";
    if (!kept.empty())
        s.join_note_ += (tied.empty() ? "" : "; ") + joinedList(kept) + " kept as written";
    auto global = [&](Coordinate::Kind kind, const char* name, std::vector<double> values,
                      double current) {
        if (values.empty())
            return;
        std::sort(values.begin(), values.end());
        values.erase(std::unique(values.begin(), values.end()), values.end());
        s.coords_.push_back({kind, name, -1, {}, values, {}});
        s.base_.push_back(nearestIndex(values, current));
    };
    global(Coordinate::Kind::WeightBits, "weight_bits",
           {spec.weightBits.begin(), spec.weightBits.end()}, project.precision.weights.width);
    global(Coordinate::Kind::ActivationBits, "activation_bits",
           {spec.activationBits.begin(), spec.activationBits.end()},
           project.precision.activations.width);
    global(Coordinate::Kind::Resize, "resize", spec.resize, project.input.resize);
    if (!spec.bundles.empty()) {
        // Step 3 on the bundles chosen in step 2: every instance switches together.
        Coordinate c{Coordinate::Kind::Bundle, "bundle", -1, {}, {}, spec.bundles};
        int current = 0;
        for (std::size_t i = 0; i < spec.bundles.size(); ++i) {
            if (!project.findBundle(spec.bundles[i]))
                return makeError("search.bundles names '" + spec.bundles[i] +
                                     "', which is not under bundles:",
                                 spec.pos);
            c.values.push_back(double(i));
            for (const NetworkEntry& e : project.network)
                if (e.isBundle && e.bundle == spec.bundles[i])
                    current = static_cast<int>(i);
        }
        s.coords_.push_back(c);
        s.base_.push_back(current);
    }
    if (!spec.architectures.empty()) {
        // The family is a coordinate: each design's accelerator is sized in its family.
        Coordinate c{Coordinate::Kind::Arch, "arch", -1, {}, {}, spec.architectures};
        int current = 0;
        for (std::size_t i = 0; i < spec.architectures.size(); ++i) {
            c.values.push_back(double(i));
            if (spec.architectures[i] == project.accelerator.arch())
                current = static_cast<int>(i);
        }
        s.coords_.push_back(c);
        s.base_.push_back(current);
    }
    if (s.coords_.empty())
        return makeError("the design space is empty: the network has no bundle instance with "
                         "channels and search: lists no bits or resize factors",
                         spec.pos);
    return s;
}

std::uint64_t DesignSpace::size() const {
    std::uint64_t n = 1;
    for (const Coordinate& c : coords_) {
        if (n > std::numeric_limits<std::uint64_t>::max() / c.values.size())
            return std::numeric_limits<std::uint64_t>::max();
        n *= c.values.size();
    }
    return n;
}

bool DesignSpace::contains(const DesignPoint& p) const {
    if (p.size() != coords_.size())
        return false;
    for (std::size_t i = 0; i < p.size(); ++i)
        if (p[i] < 0 || p[i] >= static_cast<int>(coords_[i].values.size()))
            return false;
    return true;
}

DesignPoint DesignSpace::pointAt(std::uint64_t index) const {
    DesignPoint p(coords_.size());
    for (std::size_t i = 0; i < coords_.size(); ++i) {
        const std::uint64_t n = coords_[i].values.size();
        p[i] = static_cast<int>(index % n);
        index /= n;
    }
    return p;
}

Project DesignSpace::apply(const DesignPoint& p) const {
    Project project = base_project_;
    for (std::size_t i = 0; i < coords_.size(); ++i) {
        const Coordinate& c = coords_[i];
        const double v = c.values[p[i]];
        switch (c.kind) {
        case Coordinate::Kind::Channels:
            for (int e : c.entries)
                project.network[e].channels = static_cast<int>(v);
            break;
        case Coordinate::Kind::Repeat:
            for (int e : c.entries)
                project.network[e].repeat = static_cast<int>(v);
            break;
        case Coordinate::Kind::Downsample:
            for (int e : c.entries)
                project.network[e].downsample = v > 0.5;
            break;
        case Coordinate::Kind::WeightBits:
            edits::setWeightBits(project, static_cast<int>(v));
            break;
        case Coordinate::Kind::ActivationBits:
            edits::setActivationBits(project, static_cast<int>(v));
            break;
        case Coordinate::Kind::Resize:
            project.input.resize = v;
            break;
        case Coordinate::Kind::Bundle:
            for (NetworkEntry& e : project.network)
                if (e.isBundle)
                    e.bundle = c.labels[static_cast<std::size_t>(v)];
            break;
        case Coordinate::Kind::Arch: {
            // Another family starts from its defaults; the project's own keeps its keys.
            const std::string& arch = c.labels[static_cast<std::size_t>(v)];
            if (project.accelerator.arch() != arch)
                project.accelerator.family = findAcceleratorFormat(arch)->make();
            break;
        }
        }
    }
    return project;
}

std::string_view DesignSpace::archOf(const DesignPoint& p) const {
    for (std::size_t i = 0; i < coords_.size(); ++i)
        if (coords_[i].kind == Coordinate::Kind::Arch)
            return coords_[i].labels[static_cast<std::size_t>(p[i])];
    return base_project_.accelerator.arch();
}

std::vector<std::string_view> DesignSpace::architectures() const {
    const std::vector<std::string>& listed = base_project_.search.architectures;
    std::vector<std::string_view> out;
    for (const AcceleratorFormat& f : acceleratorFormats())
        if (listed.empty() ? f.arch == base_project_.accelerator.arch()
                           : std::find(listed.begin(), listed.end(), f.arch) != listed.end())
            out.push_back(f.arch);
    return out;
}

std::string DesignSpace::describe(const DesignPoint& p) const {
    std::string out;
    for (std::size_t i = 0; i < coords_.size(); ++i) {
        char buf[32];
        std::snprintf(buf, sizeof buf, "%g", coords_[i].values[p[i]]);
        const std::string value =
            coords_[i].labels.empty() ? std::string(buf) : coords_[i].labels[p[i]];
        out += (out.empty() ? "" : " ") + coords_[i].name + "=" + value;
    }
    return out;
}

} // namespace codesign
