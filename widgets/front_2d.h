#pragma once

#include <map>
#include <vector>

namespace codesign {

// The non-dominated points of one plot (QoR up against FPS up, or against power down),
// kept incrementally so that a batch of new designs costs O(batch x log front).
class Front2d {
public:
    enum class XSense { Maximise, Minimise };
    explicit Front2d(XSense sense) : sense_(sense) {}

    struct Member {
        double x;
        double y;
        int id;
    };
    // Returns true when the point joins the front. Equal points: the first one stays.
    bool insert(double x, double y, int id);
    // Sorted by x ascending.
    std::vector<Member> members() const;
    std::size_t size() const { return byX_.size(); }
    void clear() { byX_.clear(); }

private:
    struct Entry {
        double y;
        int id;
    };
    XSense sense_;
    // Keyed by x as "better is larger" (negated for a minimised axis): y falls as x rises.
    std::map<double, Entry> byX_;
};

} // namespace codesign
