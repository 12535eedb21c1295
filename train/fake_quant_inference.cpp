#include "fake_quant_inference.h"

#include "core/reference/reference.h"
#include "fake_quant.h"
#include "graph_net.h"

#include <ATen/ATen.h>

namespace codesign::train {

Result<std::vector<std::vector<double>>> runFakeQuant(const Graph& graph,
                                                      const reference::WeightSet& weights,
                                                      std::span<const double> input) {
    if (graph.nodes.empty())
        return makeError("the network has no layers");
    if (static_cast<std::int64_t>(input.size()) != graph.input.elements())
        return makeError("the input has " + std::to_string(input.size()) +
                         " values; the network takes " + formatShape(graph.input));
    GraphNet net(graph);
    if (Status s = net.setWeights(weights); !s.ok())
        return s.error();
    // The input is quantized in double first, as the reference quantizes doubles; its
    // values are then exact in float.
    std::vector<double> values(input.begin(), input.end());
    const at::Tensor x =
        quantizeValues(at::from_blob(values.data(),
                                     {1, graph.input.c, graph.input.h, graph.input.w}, at::kDouble),
                       reference::inputFormat(graph), graph.nodes.front().quant)
            .to(at::kFloat);
    at::NoGradGuard noGrad;
    const std::vector<at::Tensor> outputs = net.forwardAll(x, Precision::Fixed);
    std::vector<std::vector<double>> result;
    for (const at::Tensor& t : outputs) {
        const at::Tensor flat = t.to(at::kDouble).contiguous().view({-1});
        const double* p = flat.data_ptr<double>();
        result.emplace_back(p, p + flat.numel());
    }
    return result;
}

} // namespace codesign::train
