#pragma once

#include <cstddef>
#include <vector>

namespace codesign {

// The three objectives of the co-design search: QoR and FPS up, power down.
struct Objectives {
    double qor = 0;
    double fps = 0;
    double powerW = 0;
};

// a dominates b: no worse in every objective and better in one.
bool dominates(const Objectives& a, const Objectives& b);

// The non-dominated designs seen so far, by id. Insertion is O(front size).
class ParetoArchive {
public:
    struct Entry {
        int id;
        Objectives objectives;
    };

    // Adds a design; returns true when it joins the front (and drops what it dominates).
    // A design equal in all objectives to a member does not join (the first one stays).
    bool insert(int id, const Objectives& o);
    const std::vector<Entry>& front() const { return front_; }
    bool contains(int id) const;
    std::size_t size() const { return front_.size(); }

private:
    std::vector<Entry> front_;
};

// Area dominated by points (x up, y up) above the reference (rx, ry).
double hypervolume2d(std::vector<std::pair<double, double>> points, double rx, double ry);

// Volume dominated by the front above the reference (qor and fps at least the reference's,
// power at most the reference's), in QoR x FPS x W. Exact; O(n log n) to build the
// power slices plus O(front) per slice for their areas.
double hypervolume3d(const std::vector<Objectives>& points, const Objectives& reference);

} // namespace codesign
