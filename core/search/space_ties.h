#pragma once

#include "../model/project.h"

#include <map>
#include <set>

namespace codesign {

// Network entries whose value a design space must move together, or keep as written.
struct TiedEntries {
    std::map<int, int> leader; // entry -> the first entry of its group (itself when alone)
    std::set<int> frozen;      // entries kept as written (groups are frozen whole)

    int leaderOf(int entry) const {
        auto it = leader.find(entry);
        return it == leader.end() ? entry : it->second;
    }
    bool isFrozen(int entry) const { return frozen.count(entry) > 0; }
    // The entries of `entry`'s group, in network order.
    std::vector<int> group(int entry) const;
};

// What the network's joins demand of the search coordinates (docs/search.md, "Skip
// connections"): an add needs operands of one shape, a concat of one height and width, a
// layer with its own channel count (dwconv, bbox_head) an input of that width. Channel counts
// and pooling that a join forces equal are tied into one coordinate; one that a join forces
// to a fixed value, or that only a combination of coordinates could satisfy, is kept as
// written. Found by a symbolic pass over the network (the widths as linear forms of the
// instances' channels, the down-sampling as sums of the instances' pooling), for every bundle
// `search.bundles` may switch to. Entries are indices into Project::network.
struct SpaceTies {
    TiedEntries channels;       // instances with `channels:` (when they are coordinates)
    TiedEntries downsample;     // instances whose pooling is searched
    std::set<int> frozenRepeat; // instances whose repeat count a join (or their width) needs
};

SpaceTies findSpaceTies(const Project& project);

// The bundle has a pooling layer (what `downsample` switches).
bool bundlePools(const BundleDef& bundle);

} // namespace codesign
