#include "design_space.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace codesign {
namespace {

int nearestIndex(const std::vector<double>& values, double target) {
    int best = 0;
    for (std::size_t i = 1; i < values.size(); ++i)
        if (std::abs(values[i] - target) < std::abs(values[best] - target))
            best = static_cast<int>(i);
    return best;
}

bool hasPooling(const BundleDef& b) {
    return std::any_of(b.layers.begin(), b.layers.end(), [](const LayerSpec& l) {
        return l.op == Op::MaxPool || l.op == Op::AvgPool;
    });
}

std::vector<double> ladder(const IntLadder& l) {
    std::vector<double> v;
    for (int x = l.min; x <= l.max; x += l.step)
        v.push_back(x);
    return v;
}

} // namespace

Result<DesignSpace> DesignSpace::fromProject(const Project& project) {
    DesignSpace s;
    s.base_project_ = project;
    const SearchSpec& spec = project.search;
    int instance = 0;
    for (std::size_t e = 0; e < project.network.size(); ++e) {
        const NetworkEntry& entry = project.network[e];
        if (!entry.isBundle)
            continue;
        ++instance;
        const std::string prefix = "B" + std::to_string(instance);
        const BundleDef* def = project.findBundle(entry.bundle);
        if (!def)
            return makeError("unknown bundle '" + entry.bundle + "'", entry.pos);
        if (entry.channels > 0) {
            Coordinate c{Coordinate::Kind::Channels,
                         prefix + ".channels",
                         int(e),
                         ladder(spec.channels),
                         {}};
            if (c.values.empty())
                return makeError("the channel ladder of search: is empty", spec.pos);
            s.coords_.push_back(c);
            s.base_.push_back(nearestIndex(s.coords_.back().values, entry.channels));
        }
        if (spec.repeat.max > spec.repeat.min) {
            s.coords_.push_back(
                {Coordinate::Kind::Repeat, prefix + ".repeat", int(e), ladder(spec.repeat), {}});
            s.base_.push_back(nearestIndex(s.coords_.back().values, entry.repeat));
        }
        if (spec.downsample && hasPooling(*def)) {
            s.coords_.push_back(
                {Coordinate::Kind::Downsample, prefix + ".downsample", int(e), {0, 1}, {}});
            s.base_.push_back(entry.downsample ? 1 : 0);
        }
        instance += entry.repeat - 1;
    }
    auto global = [&](Coordinate::Kind kind, const char* name, std::vector<double> values,
                      double current) {
        if (values.empty())
            return;
        std::sort(values.begin(), values.end());
        values.erase(std::unique(values.begin(), values.end()), values.end());
        s.coords_.push_back({kind, name, -1, values, {}});
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
        Coordinate c{Coordinate::Kind::Bundle, "bundle", -1, {}, spec.bundles};
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
            project.network[c.entry].channels = static_cast<int>(v);
            break;
        case Coordinate::Kind::Repeat:
            project.network[c.entry].repeat = static_cast<int>(v);
            break;
        case Coordinate::Kind::Downsample:
            project.network[c.entry].downsample = v > 0.5;
            break;
        case Coordinate::Kind::WeightBits: {
            // Keep the integer bits (the range) where they fit the new width.
            FixedType& t = project.precision.weights;
            t.width = static_cast<int>(v);
            t.integer = std::min(t.integer, t.width);
            break;
        }
        case Coordinate::Kind::ActivationBits: {
            FixedType& t = project.precision.activations;
            t.width = static_cast<int>(v);
            t.integer = std::min(t.integer, t.width);
            break;
        }
        case Coordinate::Kind::Resize:
            project.input.resize = v;
            break;
        case Coordinate::Kind::Bundle:
            for (NetworkEntry& e : project.network)
                if (e.isBundle)
                    e.bundle = c.labels[static_cast<std::size_t>(v)];
            break;
        }
    }
    return project;
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
