#pragma once

// The streaming (fpgaConvNet-style) family's keys of `accelerator:`, as written
// (docs/project-format.md, docs/estimator.md "Streaming"); the common keys (auto, clock_mhz,
// batch, resource_cap) are AcceleratorSpec's. Plain data: the format that reads and writes it
// is streaming_spec_yaml.cpp. Layer names are checked against the network later, by
// streamingDesignFromSpec(), which reports the positions kept here.
#include "../util/diagnostic.h"

#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace codesign {

// How network latency charges reconfiguration: fpgaConvNet's code charges every partition
// (N_P x t when N_P > 1); its paper charges the switches between them ((N_P - 1) x t).
enum class ReconfigurationCharge { PerPartition, PerSwitch };

// One partition: the layers on the FPGA at one time, in network order.
struct StreamingPartitionSpec {
    std::vector<std::string> layers;
    int weightsReloading = 1;
    SourcePos pos;
    std::vector<SourcePos> layerPos; // where each name was written

    friend bool operator==(const StreamingPartitionSpec& a, const StreamingPartitionSpec& b) {
        return a.layers == b.layers && a.weightsReloading == b.weightsReloading;
    }
};

// A layer's folding. Zero means "not given" (1 then). Conv and fc layers take coarse_in,
// coarse_out, fine and coarse_group; every other layer one `coarse`.
struct StreamingFolding {
    std::string layer;
    int coarseIn = 0;
    int coarseOut = 0;
    int fine = 0;
    int coarseGroup = 0;
    int coarse = 0;
    SourcePos pos;

    friend bool operator==(const StreamingFolding& a, const StreamingFolding& b) {
        return a.layer == b.layer && a.coarseIn == b.coarseIn && a.coarseOut == b.coarseOut &&
               a.fine == b.fine && a.coarseGroup == b.coarseGroup && a.coarse == b.coarse;
    }
};

// Bit widths for every layer; zero means "the layer's own precision" (accumulator: 30 bits,
// fpgaConvNet's default).
struct StreamingPrecision {
    int data = 0;
    int weights = 0;
    int accumulator = 0;
    friend bool operator==(const StreamingPrecision&, const StreamingPrecision&) = default;
};

struct StreamingSpec {
    int portWidth = 0;                       // bits; 0: the device's default
    std::optional<double> reconfigurationMs; // unset: the device's default
    ReconfigurationCharge charge = ReconfigurationCharge::PerPartition;
    std::vector<StreamingPartitionSpec> partitions; // empty: one partition, no reloading
    std::vector<StreamingFolding> folding;          // in file order
    StreamingPrecision precision;
    SourcePos pos; // the accelerator section
    SourcePos partitionsPos;

    const StreamingFolding* findFolding(const std::string& layer) const {
        for (const StreamingFolding& f : folding)
            if (f.layer == layer)
                return &f;
        return nullptr;
    }
    StreamingFolding* findFolding(const std::string& layer) {
        return const_cast<StreamingFolding*>(std::as_const(*this).findFolding(layer));
    }

    friend bool operator==(const StreamingSpec& a, const StreamingSpec& b) {
        return a.portWidth == b.portWidth && a.reconfigurationMs == b.reconfigurationMs &&
               a.charge == b.charge && a.partitions == b.partitions && a.folding == b.folding &&
               a.precision == b.precision;
    }
};

inline const char* reconfigurationChargeName(ReconfigurationCharge charge) {
    return charge == ReconfigurationCharge::PerSwitch ? "per_switch" : "per_partition";
}

} // namespace codesign
