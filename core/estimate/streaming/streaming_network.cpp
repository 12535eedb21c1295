#include "streaming_network.h"

#include <algorithm>

namespace codesign {

int HwNetwork::find(const std::string& layerName) const {
    for (std::size_t i = 0; i < layers.size(); ++i)
        if (layers[i].name == layerName)
            return static_cast<int>(i);
    return -1;
}

const HwAlias* HwNetwork::findAlias(const std::string& aliasName) const {
    for (const HwAlias& a : aliases)
        if (a.name == aliasName)
            return &a;
    return nullptr;
}

void deriveWindow(HwLayer& l) {
    l.paddedRows = l.rows + l.padTop + l.padBottom;
    l.paddedCols = l.cols + l.padLeft + l.padRight;
    const double padded = double(l.paddedRows) * l.paddedCols;
    l.padRate = double(l.rows) * l.cols / padded;
    l.windowRate = double(l.rowsOut) * l.colsOut / padded;
}

namespace {

bool isConvOp(Op op) {
    return op == Op::Conv || op == Op::DwConv || op == Op::PwConv || op == Op::Fc;
}

// The mapping in two steps: graph nodes to hardware layers whose inputs name producers by
// graph output (`Pending`), then split layers where a producer feeds several ports.
class HwBuilder {
public:
    HwBuilder(const Graph& g, const StreamingPrecision& p, const std::string& file)
        : graph_(g), precision_(p), file_(file) {}

    Result<HwNetwork> build() {
        countConsumers();
        outOf_.assign(graph_.nodes.size(), -2);
        for (std::size_t i = 0; i < graph_.nodes.size(); ++i)
            if (Diagnostic d = mapNode(static_cast<int>(i)); !d.message.empty())
                return d;
        insertSplits();
        return finish();
    }

private:
    Diagnostic fail(const Node& n, std::string message) const {
        Diagnostic d = makeError(std::move(message), n.pos, n.name);
        d.file = file_;
        return d;
    }

    void countConsumers() {
        graphConsumers_.assign(graph_.nodes.size(), 0);
        for (const Node& n : graph_.nodes)
            for (int in : n.inputs)
                if (in >= 0)
                    ++graphConsumers_[in];
    }

    // A bn right after a conv that feeds nothing else folds into it (scale into the
    // weights, shift into the bias), as fpgaConvNet's ONNX passes do before mapping.
    bool foldsIntoProducer(const Node& n) const {
        if (n.op != Op::Bn || n.inputs.size() != 1 || n.inputs[0] < 0)
            return false;
        const Node& producer = graph_.nodes[n.inputs[0]];
        return isConvOp(producer.op) && graphConsumers_[n.inputs[0]] == 1;
    }

    HwLayer base(const Node& n, HwKind kind, std::string layerName, std::string op) const {
        HwLayer l;
        l.name = std::move(layerName);
        l.op = std::move(op);
        l.kind = kind;
        l.node = static_cast<int>(&n - graph_.nodes.data());
        l.rows = n.in.h;
        l.cols = n.in.w;
        l.channels = n.in.c;
        l.rowsOut = n.out.h;
        l.colsOut = n.out.w;
        l.channelsOut = n.out.c;
        l.dataBits = precision_.data > 0 ? precision_.data : n.activations.width;
        l.weightBits = precision_.weights > 0 ? precision_.weights : n.weights.width;
        l.accBits = precision_.accumulator > 0 ? precision_.accumulator : 30;
        l.pos = n.pos;
        return l;
    }

    static void setWindow(HwLayer& l, const Node& n) {
        l.kernelH = n.kernelH;
        l.kernelW = n.kernelW;
        l.strideH = l.strideW = n.stride;
        l.padTop = l.padBottom = n.padH;
        l.padLeft = l.padRight = n.padW;
    }

    // Pending inputs: graph producers (-1 = network input), resolved in insertSplits.
    int add(HwLayer layer, std::vector<int> producers) {
        layers_.push_back(std::move(layer));
        pendingInputs_.push_back(std::move(producers));
        return static_cast<int>(layers_.size()) - 1;
    }

    std::vector<int> producersOf(const Node& n) const {
        std::vector<int> p;
        for (int in : n.inputs)
            p.push_back(in < 0 ? -1 : outOf_[in]);
        return p;
    }

    Diagnostic mapNode(int index) {
        const Node& n = graph_.nodes[index];
        for (int in : n.inputs)
            if (in >= 0 && outOf_[in] == -3)
                return fail(n, "bbox_head runs on the processor; no layer may follow it");
        if (foldsIntoProducer(n)) {
            const int conv = outOf_[n.inputs[0]];
            layers_[conv].bias = true;
            outOf_[index] = conv;
            aliases_.push_back({n.name, {conv}, false});
            return {};
        }
        if (n.op == Op::BboxHead) {
            outOf_[index] = -3;
            aliases_.push_back({n.name, {}, true});
            hostInput_ = n.inputs[0] < 0 ? -1 : outOf_[n.inputs[0]];
            return {};
        }
        if (n.op == Op::Fuse)
            return mapFuse(index);
        HwLayer l = base(n, HwKind::Relu, n.name, std::string(opName(n.op)));
        switch (n.op) {
        case Op::Conv:
        case Op::DwConv:
        case Op::PwConv:
            l.kind = HwKind::Conv;
            setWindow(l, n);
            l.filters = n.out.c;
            l.groups = n.groups;
            l.bias = n.bias;
            break;
        case Op::Fc:
            l.kind = HwKind::InnerProduct;
            l.rows = l.cols = 1;
            l.channels = static_cast<int>(n.in.elements());
            l.filters = n.out.c;
            l.bias = n.bias;
            break;
        case Op::MaxPool:
        case Op::AvgPool:
            l.kind = HwKind::Pool;
            setWindow(l, n);
            l.maxPool = n.op == Op::MaxPool;
            break;
        case Op::GlobalAvgPool:
            l.kind = HwKind::GlobalPool;
            break;
        case Op::Relu:
        case Op::Relu6:
            l.kind = HwKind::Relu;
            l.clip6 = n.op == Op::Relu6;
            break;
        case Op::Bn:
            l.kind = HwKind::BatchNorm;
            break;
        case Op::Add:
            l.kind = HwKind::EltWise;
            break;
        case Op::Concat:
            l.kind = HwKind::Concat;
            for (int in : n.inputs)
                l.portChannels.push_back(in < 0 ? graph_.input.c : graph_.nodes[in].out.c);
            break;
        case Op::Upsample:
            l.kind = HwKind::Resize;
            l.factor = n.factor;
            break;
        case Op::Reorg:
            l.kind = HwKind::Reorg;
            l.factor = n.factor;
            break;
        default:
            return fail(n, "the streaming architecture has no mapping for " +
                               std::string(opName(n.op)));
        }
        outOf_[index] = add(std::move(l), producersOf(n));
        aliases_.push_back({n.name, {outOf_[index]}, false});
        return {};
    }

    // FuSe (seed 003): a 1xK and a Kx1 depthwise conv, on the two halves of the channels
    // (half) or both on all of them (full), joined by a concat; fpgaConvNet's parser sees
    // the ONNX of the layer the same way (Split/Chop -> two Conv -> Concat).
    Diagnostic mapFuse(int index) {
        const Node& n = graph_.nodes[index];
        const bool half = n.variant == FuseVariant::Half;
        const int c = n.in.c;
        const int k = n.kernelH;
        const std::vector<int> branchChannels =
            half ? std::vector<int>{c / 2, c - c / 2} : std::vector<int>{c, c};
        HwLayer fork = base(n, half ? HwKind::Chop : HwKind::Split,
                            n.name + (half ? ".chop" : ".split"), half ? "chop" : "split");
        fork.node = -1;
        fork.rowsOut = n.in.h;
        fork.colsOut = n.in.w;
        fork.channelsOut = branchChannels[0];
        fork.portsOut = 2;
        if (half)
            fork.portChannels = branchChannels;
        const int forkIndex = add(std::move(fork), producersOf(n));
        std::vector<int> joins;
        for (int branch = 0; branch < 2; ++branch) {
            const bool row = branch == 0; // 1 x K along the row
            HwLayer conv = base(n, HwKind::Conv, n.name + (row ? ".row" : ".col"), "fuse");
            conv.channels = conv.filters = conv.groups = conv.channelsOut = branchChannels[branch];
            conv.kernelH = row ? 1 : k;
            conv.kernelW = row ? k : 1;
            conv.strideH = conv.strideW = n.stride;
            const int before = (k - 1) / 2;
            const int after = k - 1 - before;
            (row ? conv.padLeft : conv.padTop) = before;
            (row ? conv.padRight : conv.padBottom) = after;
            conv.bias = n.bias;
            layers_.push_back(std::move(conv));
            pendingInputs_.push_back({-4 - forkIndex}); // a direct link, not a graph output
            joins.push_back(static_cast<int>(layers_.size()) - 1);
        }
        HwLayer concat = base(n, HwKind::Concat, n.name + ".concat", "concat");
        concat.node = -1;
        concat.rows = n.out.h;
        concat.cols = n.out.w;
        concat.channels = branchChannels[0];
        concat.portChannels = branchChannels;
        layers_.push_back(std::move(concat));
        pendingInputs_.push_back({-4 - joins[0], -4 - joins[1]});
        outOf_[index] = static_cast<int>(layers_.size()) - 1;
        aliases_.push_back({n.name, {forkIndex, joins[0], joins[1], outOf_[index]}, false});
        return {};
    }

    // Pending code -> producing layer (direct links are stored as -4 - index).
    static int producer(int code) { return code <= -4 ? -4 - code : code; }

    // A producer that feeds several ports gets a split layer right after it, as
    // fpgaConvNet's parser adds (Parser.add_split).
    void insertSplits() {
        const int n = static_cast<int>(layers_.size());
        std::vector<int> fanout(n + 1, 0); // index n: the network input
        for (const auto& ins : pendingInputs_)
            for (int code : ins)
                if (code > -4) // direct links leave a split or chop port: no split needed
                    ++fanout[code == -1 ? n : code];
        std::vector<HwLayer> out;
        std::vector<int> finalIndex(n, -1), splitOf(n + 1, -1);
        auto emitSplit = [&](int from, int source, const HwLayer& like) {
            HwLayer s = like;
            s.name = (from < 0 ? std::string("input") : like.name) + "_split";
            s.op = "split";
            s.kind = HwKind::Split;
            s.node = -1;
            s.rows = s.rowsOut = from < 0 ? graph_.input.h : like.rowsOut;
            s.cols = s.colsOut = from < 0 ? graph_.input.w : like.colsOut;
            s.channels = s.channelsOut = from < 0 ? graph_.input.c : like.channelsOut;
            s.portChannels.clear();
            s.filters = 0;
            s.portsOut = fanout[from < 0 ? n : from];
            s.inputs = {source};
            splitOf[from < 0 ? n : from] = static_cast<int>(out.size());
            out.push_back(std::move(s));
        };
        if (fanout[n] > 1 && n > 0)
            emitSplit(-1, -1, layers_[0]);
        for (int i = 0; i < n; ++i) {
            finalIndex[i] = static_cast<int>(out.size());
            out.push_back(layers_[i]);
            if (fanout[i] > 1)
                emitSplit(i, finalIndex[i], layers_[i]);
        }
        for (int i = 0; i < n; ++i) {
            HwLayer& l = out[finalIndex[i]];
            l.inputs.clear();
            for (int code : pendingInputs_[i]) {
                const int from = code == -1 ? n : producer(code);
                if (splitOf[from] >= 0)
                    l.inputs.push_back(splitOf[from]);
                else
                    l.inputs.push_back(code == -1 ? -1 : finalIndex[from]);
            }
        }
        for (HwAlias& a : aliases_)
            for (int& layer : a.layers)
                layer = finalIndex[layer];
        if (hostInput_ >= 0)
            hostInput_ = finalIndex[hostInput_];
        layers_ = std::move(out);
    }

    Result<HwNetwork> finish() {
        HwNetwork net;
        net.sourceFile = file_;
        const int n = static_cast<int>(layers_.size());
        net.consumers.assign(n, {});
        std::vector<int> delta(n + 1, 0); // by cut: cut i lies between layers i and i + 1
        for (int v = 0; v < n; ++v)
            for (int u : layers_[v].inputs) {
                if (u >= 0)
                    net.consumers[u].push_back(v);
                ++delta[std::max(u, 0)]; // the edge u -> v crosses cuts u .. v - 1
                --delta[v];
            }
        net.crossing.assign(n > 0 ? n - 1 : 0, 0);
        int running = 0;
        for (int i = 0; i + 1 < n; ++i) {
            running += delta[i];
            net.crossing[i] = running;
        }
        net.outputLayer = hostInput_ >= 0 ? hostInput_ : n - 1;
        for (int i = 0; i < n; ++i)
            if (net.consumers[i].empty() && i != net.outputLayer) {
                const HwLayer& l = layers_[i];
                Diagnostic d =
                    makeError("the output of this layer is used by no layer; a streaming "
                              "design has one network output",
                              l.pos, l.name);
                d.file = file_;
                return d;
            }
        for (HwLayer& l : layers_)
            deriveWindow(l);
        net.portBase.assign(n + 1, 0);
        net.chainLink.assign(n, 0);
        for (int i = 0; i < n; ++i) {
            net.portBase[i + 1] = net.portBase[i] + static_cast<int>(layers_[i].inputs.size());
            net.chainLink[i] = layers_[i].inputs.size() == 1 && net.consumers[i].size() <= 1;
        }
        net.layers = std::move(layers_);
        net.aliases = std::move(aliases_);
        return net;
    }

    const Graph& graph_;
    const StreamingPrecision& precision_;
    std::string file_;
    std::vector<int> graphConsumers_;
    std::vector<int> outOf_; // graph node -> hardware layer (-3: on the host)
    std::vector<HwLayer> layers_;
    std::vector<std::vector<int>> pendingInputs_;
    std::vector<HwAlias> aliases_;
    int hostInput_ = -2;
};

} // namespace

Result<HwNetwork> buildHwNetwork(const Graph& graph, const StreamingPrecision& precision,
                                 const std::string& sourceFile) {
    if (graph.nodes.empty())
        return makeError("the network is empty");
    return HwBuilder(graph, precision, sourceFile).build();
}

} // namespace codesign
