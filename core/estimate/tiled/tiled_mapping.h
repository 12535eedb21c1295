#pragma once

// How a network maps onto the tiled accelerator (seed 000/001; docs/estimator.md, "What runs
// where"): which unit runs each layer, which relu/relu6/bn ride in a unit's output stage,
// what each group reads from and writes to DDR, and the formats the units share. Decided
// once here, for the estimator (tiled_model.h) and the export (hls_export/export_plan.h), so
// that the two cannot disagree.
#include "../../model/graph.h"
#include "storage_formats.h"
#include "tiled_detail.h"

#include <cstdint>
#include <vector>

namespace codesign {

struct MappedNode {
    Unit unit = Unit::Fused;
    int chainEnd = 0;       // the last layer fused into its output stage (itself when none)
    std::vector<int> fused; // relu/relu6/bn folded into its output stage, in order
};

struct MappedGroup {
    bool hostOnly = false;    // nothing runs on the FPGA (bbox_head)
    bool singleTile = false;  // a layer after the first needs its whole input (fc, global pool)
    std::vector<int> sources; // inputs read from DDR, in order of first use (-1: the network's)
    std::vector<int> stored;  // chain ends written to DDR (a later group, the host or the result)
};

struct TiledMapping {
    std::vector<MappedNode> nodes;           // like Graph::nodes
    std::vector<std::vector<int>> consumers; // per node, the nodes that read it
    std::vector<MappedGroup> groups;         // like Graph::groups
    StorageFormats storage;                  // every activation / weight in one format
    FixedType accumulator; // exact for every product sum (may exceed what the export allows)
    std::int64_t maxReduction = 1; // the longest product sum
    int maxPost = 1;      // longest chain a unit call applies (fused, or an unfused head's own)
    int maxInputs = 1;    // most operands of an add / concat: the units' operand views
    int maxAddInputs = 1; // most operands of an add: the pool unit's unrolled reads
    int dwLanes = 0;      // taps of the largest DW window; 0 without a DW layer
};

TiledMapping mapTiled(const Graph& graph);

// The unit a layer runs on before chains are fused (unfused relu/relu6/bn run on the pool
// unit: mapTiled decides).
Unit unitFor(const Node& n);

} // namespace codesign
