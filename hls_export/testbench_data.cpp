#include "testbench_data.h"

#include "core/estimate/tiled/tiled_model.h"
#include "weight_image.h"

#include <cstdio>
#include <sstream>

namespace codesign::hls {
namespace {

std::string tensorBytes(const reference::FixedTensor& t) {
    return packElements(t.raw, containerBits(t.type.width));
}

} // namespace

std::vector<std::pair<std::string, std::string>>
testbenchData(const Graph& graph, const reference::FixedTensor& input,
              const std::vector<reference::FixedTensor>& outputs) {
    std::vector<std::pair<std::string, std::string>> files;
    std::ostringstream index;
    index << "# Golden vectors of the fixed-point reference (docs/export.md).\n"
          << "# file  layer  op  CxHxW  format  bytes-per-value (little-endian, raw = value * "
             "2^frac)\n"
          << "input.bin  input  -  " << formatShape(input.shape) << "  "
          << formatFixedType(input.type) << "  " << containerBits(input.type.width) / 8 << "\n";
    files.emplace_back("tb_data/input.bin", tensorBytes(input));
    for (std::size_t i = 0; i < outputs.size(); ++i) {
        char name[32];
        std::snprintf(name, sizeof name, "layer_%03zu.bin", i);
        const Node& n = graph.nodes[i];
        index << name << "  " << n.name << "  " << opName(n.op) << "  " << formatShape(n.out)
              << "  " << formatFixedType(n.activations) << "  "
              << containerBits(n.activations.width) / 8 << "\n";
        files.emplace_back(std::string("tb_data/") + name, tensorBytes(outputs[i]));
    }
    files.emplace_back("tb_data/layers.txt", index.str());
    return files;
}

} // namespace codesign::hls
