#include "layer_text.h"

namespace codesign {

QString opLabel(Op op) {
    return QString::fromUtf8(opName(op).data(), static_cast<qsizetype>(opName(op).size()));
}

QString opDescription(Op op) {
    switch (op) {
    case Op::Conv:
        return QStringLiteral("Convolution KxK (channels, kernel, stride, groups)");
    case Op::DwConv:
        return QStringLiteral("Depthwise convolution KxK, one filter per channel");
    case Op::PwConv:
        return QStringLiteral("Pointwise (1x1) convolution; channels from the bundle instance");
    case Op::Fuse:
        return QStringLiteral("FuSeConv: 1xK and Kx1 depthwise halves (variant half or full)");
    case Op::MaxPool:
        return QStringLiteral(
            "Max pooling KxK (kernel, stride; the stride defaults to the kernel)");
    case Op::AvgPool:
        return QStringLiteral(
            "Average pooling KxK (kernel, stride; the stride defaults to the kernel)");
    case Op::GlobalAvgPool:
        return QStringLiteral("Global average pooling to C x 1 x 1");
    case Op::Relu:
        return QStringLiteral("ReLU, folded into the producer's output stage");
    case Op::Relu6:
        return QStringLiteral("ReLU6, folded into the producer's output stage");
    case Op::Bn:
        return QStringLiteral("Batch normalisation (scale and shift)");
    case Op::Fc:
        return QStringLiteral("Fully connected; the input is flattened");
    case Op::Add:
        return QStringLiteral("Element-wise add of the previous layer and 'inputs' (network "
                              "list only)");
    case Op::Concat:
        return QStringLiteral("Channel concatenation with 'inputs' (network list only)");
    case Op::Reorg:
        return QStringLiteral("Space-to-depth by an integer factor");
    case Op::Upsample:
        return QStringLiteral("Nearest up-sampling by an integer factor");
    case Op::BboxHead:
        return QStringLiteral("Single-object box back-end on the processor (network list only)");
    case Op::LeakyRelu:
        return QStringLiteral("Leaky ReLU (slope alpha below zero), in the output stage");
    case Op::Sigmoid:
        return QStringLiteral("Sigmoid, in the output stage");
    case Op::HardSigmoid:
        return QStringLiteral("Hard sigmoid, clip(x / 6 + 1/2, 0, 1), in the output stage");
    case Op::HardSwish:
        return QStringLiteral("Hard swish, x * hard_sigmoid(x), in the output stage");
    case Op::Mul:
        return QStringLiteral("Element-wise product with 'inputs' (squeeze-excite's channel "
                              "broadcast)");
    case Op::Shuffle:
        return QStringLiteral("Channel shuffle across groups (ShuffleNet)");
    case Op::Slice:
        return QStringLiteral("A range of the input's channels");
    }
    return {};
}

QColor opColor(Op op) {
    switch (op) {
    case Op::Conv:
    case Op::PwConv:
    case Op::Fc:
        return {52, 101, 164}; // the PW unit
    case Op::DwConv:
    case Op::Fuse:
        return {78, 154, 6}; // the DW unit
    case Op::MaxPool:
    case Op::AvgPool:
    case Op::GlobalAvgPool:
        return {196, 160, 0}; // the pool unit
    case Op::Relu:
    case Op::Relu6:
    case Op::Bn:
    case Op::LeakyRelu:
    case Op::Sigmoid:
    case Op::HardSigmoid:
    case Op::HardSwish:
        return {136, 138, 133}; // fused into the producer
    case Op::Add:
    case Op::Concat:
    case Op::Reorg:
    case Op::Upsample:
    case Op::Mul:
    case Op::Shuffle:
    case Op::Slice:
        return {117, 80, 123}; // data movement
    case Op::BboxHead:
        return {204, 0, 0}; // on the host
    }
    return Qt::gray;
}

namespace {

QString kernelText(const LayerSpec& l, int fallback) {
    const int kh = l.kernelH > 0 ? l.kernelH : fallback;
    const int kw = l.kernelW > 0 ? l.kernelW : kh;
    return QStringLiteral("%1x%2").arg(kh).arg(kw);
}

} // namespace

QString layerSummary(const LayerSpec& l) {
    QString text = opLabel(l.op);
    if (!l.name.empty())
        text += QStringLiteral(" \"%1\"").arg(QString::fromStdString(l.name));
    switch (l.op) {
    case Op::Conv:
        text += QStringLiteral("  ") + kernelText(l, 3);
        break;
    case Op::DwConv:
    case Op::Fuse:
        text += QStringLiteral("  ") + kernelText(l, 3);
        if (l.op == Op::Fuse)
            text +=
                l.variant == FuseVariant::Full ? QStringLiteral(" full") : QStringLiteral(" half");
        break;
    case Op::MaxPool:
    case Op::AvgPool:
        text += QStringLiteral("  ") + kernelText(l, 2);
        break;
    case Op::Reorg:
    case Op::Upsample:
        text += QStringLiteral("  x%1").arg(l.factor > 0 ? l.factor : 2);
        break;
    case Op::BboxHead:
        text += QStringLiteral("  %1 anchors").arg(l.anchors);
        break;
    default:
        break;
    }
    if (l.channels > 0)
        text += QStringLiteral("  %1 ch").arg(l.channels);
    if (l.stride > 1)
        text += QStringLiteral("  /%1").arg(l.stride);
    if (l.precision.weights)
        text += QStringLiteral("  w%1").arg(l.precision.weights->width);
    if (l.precision.activations)
        text += QStringLiteral("  a%1").arg(l.precision.activations->width);
    return text;
}

QString entrySummary(const NetworkEntry& e) {
    if (!e.isBundle)
        return layerSummary(e.layer);
    QString text = QString::fromStdString(e.bundle);
    if (e.repeat > 1)
        text += QStringLiteral(" x%1").arg(e.repeat);
    text += QStringLiteral(", %1 ch").arg(e.channels);
    if (!e.downsample)
        text += QStringLiteral(", no pooling");
    return text;
}

} // namespace codesign
