#include "systolic_auto.h"

#include "../../hw/dsp_packing.h"
#include "systolic_estimator.h"

#include <array>

namespace codesign {
namespace {

constexpr std::array<int, 7> kDims{4, 8, 16, 32, 64, 128, 256};
constexpr std::array<int, 10> kSramKb{8, 16, 32, 64, 128, 256, 512, 1024, 2048, 4096};

struct Search {
    const SystolicModel& model;
    Resources limit;
    SystolicEstimate scratch;
    int evaluated = 0;

    bool fits(const Resources& r) const {
        return r.dsp <= limit.dsp && r.bram18 <= limit.bram18 && r.lut <= limit.lut &&
               r.ff <= limit.ff;
    }

    // FPS of a design, or -1 when it breaks the cap.
    double fps(const SystolicConfig& s) {
        ++evaluated;
        estimateSystolicInto(model, s, false, scratch);
        return fits(scratch.used) ? scratch.fps : -1;
    }
};

int& sramField(SystolicConfig& s, int buffer) {
    return buffer == 0 ? s.sramKb.ifmap : buffer == 1 ? s.sramKb.filter : s.sramKb.ofmap;
}

// From the smallest buffers, repeatedly take the single buffer size change that helps FPS
// most, until none does (the same FPS keeps the smaller, cheaper buffers).
double growBuffers(Search& search, SystolicConfig& s) {
    for (int b = 0; b < 3; ++b)
        sramField(s, b) = kSramKb.front();
    double best = search.fps(s);
    if (best < 0)
        return best;
    for (;;) {
        SystolicConfig bestSpec = s;
        double bestFps = best;
        for (int b = 0; b < 3; ++b)
            for (int kb : kSramKb) {
                if (kb <= sramField(s, b))
                    continue;
                SystolicConfig t = s;
                sramField(t, b) = kb;
                const double f = search.fps(t);
                if (f < 0)
                    break; // larger sizes of this buffer only cost more
                if (f > bestFps * (1 + 1e-12)) {
                    bestFps = f;
                    bestSpec = t;
                }
            }
        if (bestFps <= best * (1 + 1e-12))
            return best;
        s = bestSpec;
        best = bestFps;
    }
}

bool better(double fps, const Resources& r, double bestFps, const Resources& bestUsed) {
    if (fps != bestFps)
        return fps > bestFps;
    if (r.dsp != bestUsed.dsp)
        return r.dsp < bestUsed.dsp;
    return r.bram18 < bestUsed.bram18;
}

} // namespace

SystolicAutoResult autoSizeSystolic(const SystolicModel& model, const SystolicConfig& base,
                                    double resourceCap) {
    const Device& dev = model.device;
    Search search{model, {}, {}, 0};
    search.limit = {static_cast<std::int64_t>(resourceCap * dev.dsp),
                    static_cast<std::int64_t>(resourceCap * dev.bram18),
                    static_cast<std::int64_t>(resourceCap * dev.lut),
                    static_cast<std::int64_t>(resourceCap * dev.ff)};
    SystolicAutoResult result;
    result.config = base;
    double bestFps = -1;
    Resources bestUsed;
    for (int rows : kDims)
        for (int cols : kDims) {
            const int dsp =
                dspSlices(dev.dspRule, rows * cols, model.weightBits, model.activationBits);
            if (dsp > search.limit.dsp)
                continue;
            for (Dataflow df : {Dataflow::Os, Dataflow::Ws, Dataflow::Is}) {
                SystolicConfig s = base;
                s.rows = rows;
                s.cols = cols;
                s.dataflow = df;
                const double f = growBuffers(search, s);
                if (f < 0)
                    continue;
                estimateSystolicInto(model, s, false, search.scratch);
                if (bestFps < 0 || better(f, search.scratch.used, bestFps, bestUsed)) {
                    bestFps = f;
                    bestUsed = search.scratch.used;
                    result.config = s;
                    result.found = true;
                }
            }
        }
    result.evaluated = search.evaluated;
    return result;
}

} // namespace codesign
