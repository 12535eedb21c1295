#include "systolic_json.h"

namespace codesign {

void writeSystolicAcceleratorJson(JsonWriter& w, const SystolicConfig& s, bool autoSized) {
    w.beginObject();
    w.field("arch", "systolic");
    w.field("auto", autoSized);
    w.field("rows", s.rows);
    w.field("cols", s.cols);
    w.field("dataflow", dataflowName(s.dataflow));
    w.field("fuse_rows", s.fuseRows);
    w.key("sram_kb");
    w.beginObject();
    w.field("ifmap", s.sramKb.ifmap);
    w.field("filter", s.sramKb.filter);
    w.field("ofmap", s.sramKb.ofmap);
    w.endObject();
    w.field("dram_bytes_per_cycle", s.dramBytesPerCycle);
    w.field("convention", conventionName(s.convention));
    w.field("clock_mhz", s.clockMhz);
    w.field("batch", s.batch);
    w.endObject();
}

void writeSystolicLayerJson(JsonWriter& w, const SystolicLayerEstimate& l, const Node& node) {
    w.beginObject();
    w.field("name", node.name);
    w.field("op", opName(node.op));
    w.field("out_shape", formatShape(node.out));
    w.field("unit", systolicUnitName(l.unit));
    w.field("cycles", l.cycles());
    w.key("gemm");
    w.beginObject();
    w.field("sr", l.gemm.sr);
    w.field("sc", l.gemm.sc);
    w.field("t", l.gemm.t);
    w.endObject();
    w.field("gemm_count", l.gemmCount);
    w.field("folds", l.folds);
    w.field("compute_cycles", l.computeCycles);
    w.field("stall_cycles", l.stallCycles);
    w.field("mapping_efficiency", l.mappingEfficiency);
    w.field("utilization", l.utilization);
    w.field("sram_reads", l.sramReads);
    w.field("sram_writes", l.sramWrites);
    w.field("dram_bytes", l.dramBytes);
    w.field("macs", l.macs);
    w.endObject();
}

void writeSystolicLayersJson(JsonWriter& w, const std::vector<SystolicLayerEstimate>& layers,
                             const Graph& graph) {
    w.beginArray();
    for (const SystolicLayerEstimate& l : layers)
        writeSystolicLayerJson(w, l, graph.nodes[std::size_t(l.node)]);
    w.endArray();
}

} // namespace codesign
