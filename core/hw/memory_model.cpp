#include "memory_model.h"

#include <algorithm>
#include <cmath>

namespace codesign {
namespace {

// Cycles per word of one port streaming alone: a word per cycle at most, fewer when the
// port's path into the controller is slower, or when the bursts in flight (the fewer of
// what the m_axi master issues and the port's data FIFO accepts) cannot cover the latency.
double beatCycles(double wordBytes, double clockMhz, double pathGBps, int acceptance,
                  int burstBeats, std::int64_t latency) {
    const double pathBeat = wordBytes * clockMhz / (pathGBps * 1e3);
    const double inFlight = double(std::min(kHlsOutstanding, acceptance)) * burstBeats;
    const double flightBeat = double(latency) / inFlight;
    return std::max({1.0, pathBeat, flightBeat});
}

} // namespace

MemoryTiming::MemoryTiming(const MemorySystem& m, double clockMhz) {
    const double mhz = std::max(1.0, clockMhz);
    readLatency = std::llround(m.readLatencyNs * mhz / 1e3);
    writeLatency = std::llround(m.writeLatencyNs * mhz / 1e3);
    burstBeats = std::min(kHlsMaxBurstBeats, std::max(1, m.portMaxBurstBeats));
    const double wordBytes = m.axiPortBits / 8.0;
    readBeat =
        beatCycles(wordBytes, mhz, m.portGBps, m.portReadAcceptance, burstBeats, readLatency);
    writeBeat =
        beatCycles(wordBytes, mhz, m.portGBps, m.portWriteAcceptance, burstBeats, writeLatency);
    peakBytesPerCycle = m.ddrPeakGBps * 1e3 / mhz;
    processorBytesPerCycle = m.processorGBps * 1e3 / mhz;
    efficiency = m.efficiency;
}

double MemoryTiming::efficiencyOf(DdrAccess access, bool mixed, double randomShare) const {
    const DdrEfficiency& e = efficiency;
    const double seq = mixed                       ? e.mixedSequential
                       : access == DdrAccess::Read ? e.readSequential
                                                   : e.writeSequential;
    const double rnd = mixed                       ? e.mixedRandom
                       : access == DdrAccess::Read ? e.readRandom
                                                   : e.writeRandom;
    const double r = std::clamp(randomShare, 0.0, 1.0);
    // time per byte adds up: the random bursts at their efficiency, the others at theirs
    return 1.0 / ((1 - r) / seq + r / rnd);
}

double MemoryTiming::ddrCycles(double bytes, double eff) const {
    const double rate = std::max(1e-9, peakBytesPerCycle * eff - processorBytesPerCycle);
    return bytes / rate;
}

std::int64_t MemoryTiming::burst(std::int64_t beats, int ii, DdrAccess access) const {
    const bool read = access == DdrAccess::Read;
    const double beat = std::max(double(ii), read ? readBeat : writeBeat);
    return std::llround(double(beats) * beat) + (read ? readLatency : writeLatency);
}

} // namespace codesign
