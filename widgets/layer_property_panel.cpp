#include "layer_property_panel.h"

#include "core/estimate/streaming/streaming_edits.h"
#include "core/model/project_edits.h"
#include "layer_text.h"
#include "project_document.h"

#include <QCheckBox>
#include <QComboBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QSignalBlocker>
#include <QSpinBox>
#include <QVBoxLayout>

namespace codesign {
namespace {

std::optional<FixedType> bitsOverride(int bits, int (*defaultInteger)(int)) {
    if (bits <= 0)
        return std::nullopt;
    return FixedType{bits, defaultInteger(bits)};
}

std::vector<std::string> splitIds(const QString& text) {
    std::vector<std::string> ids;
    for (const QString& part : text.split(QLatin1Char(','), Qt::SkipEmptyParts))
        if (!part.trimmed().isEmpty())
            ids.push_back(part.trimmed().toStdString());
    return ids;
}

QString joinIds(const std::vector<std::string>& ids) {
    QStringList parts;
    for (const std::string& id : ids)
        parts << QString::fromStdString(id);
    return parts.join(QStringLiteral(", "));
}

} // namespace

QSpinBox* LayerPropertyPanel::spin(int min, int max, const QString& special) {
    auto* s = new QSpinBox;
    s->setRange(min, max);
    if (!special.isEmpty())
        s->setSpecialValueText(special);
    s->setKeyboardTracking(false); // one command per committed value, not per keystroke
    return s;
}

LayerPropertyPanel::LayerPropertyPanel(ProjectDocument* document, QWidget* parent)
    : QWidget(parent), document_(document), form_(new QFormLayout), heading_(new QLabel),
      opLabel_(new QLabel), bundle_(new QComboBox), name_(new QLineEdit),
      channels_(spin(0, 1 << 16, QStringLiteral("from instance"))), repeat_(spin(1, 64)),
      downsample_(new QCheckBox(QStringLiteral("keep the bundle's pooling"))),
      kernelH_(spin(0, 64, QStringLiteral("default"))),
      kernelW_(spin(0, 64, QStringLiteral("default"))),
      stride_(spin(0, 16, QStringLiteral("default"))),
      padding_(spin(-1, 32, QStringLiteral("default"))), groups_(spin(1, 1 << 16)),
      variant_(new QComboBox), factor_(spin(0, 16, QStringLiteral("default"))),
      anchors_(spin(1, 64)), bias_(new QCheckBox(QStringLiteral("with bias"))),
      weightBits_(spin(0, kMaxBits, QStringLiteral("project default"))),
      activationBits_(spin(0, kMaxBits, QStringLiteral("project default"))), id_(new QLineEdit),
      from_(new QLineEdit), inputs_(new QLineEdit), coarseIn_(spin(1, 1 << 16)),
      coarseOut_(spin(1, 1 << 16)), fine_(spin(1, 1 << 16)), coarse_(spin(1, 1 << 16)),
      foldingNote_(new QLabel) {
    coarseIn_->setObjectName(QStringLiteral("coarseIn"));
    coarseOut_->setObjectName(QStringLiteral("coarseOut"));
    fine_->setObjectName(QStringLiteral("fine"));
    coarse_->setObjectName(QStringLiteral("coarse"));
    foldingNote_->setWordWrap(true);
    foldingNote_->setStyleSheet(QStringLiteral("color: palette(dark)"));
    variant_->addItems({QStringLiteral("half"), QStringLiteral("full")});
    name_->setPlaceholderText(QStringLiteral("automatic"));
    id_->setPlaceholderText(QStringLiteral("names this output"));
    from_->setPlaceholderText(QStringLiteral("previous layer"));
    inputs_->setPlaceholderText(QStringLiteral("ids, comma separated"));
    heading_->setWordWrap(true);

    form_->addRow(QStringLiteral("Op"), opLabel_);
    form_->addRow(QStringLiteral("Bundle"), bundle_);
    form_->addRow(QStringLiteral("Name"), name_);
    form_->addRow(QStringLiteral("Channels"), channels_);
    form_->addRow(QStringLiteral("Repeat"), repeat_);
    form_->addRow(QStringLiteral("Pooling"), downsample_);
    form_->addRow(QStringLiteral("Kernel rows"), kernelH_);
    form_->addRow(QStringLiteral("Kernel cols"), kernelW_);
    form_->addRow(QStringLiteral("Stride"), stride_);
    form_->addRow(QStringLiteral("Padding"), padding_);
    form_->addRow(QStringLiteral("Groups"), groups_);
    form_->addRow(QStringLiteral("Variant"), variant_);
    form_->addRow(QStringLiteral("Factor"), factor_);
    form_->addRow(QStringLiteral("Anchors"), anchors_);
    form_->addRow(QStringLiteral("Bias"), bias_);
    form_->addRow(QStringLiteral("Weight bits"), weightBits_);
    form_->addRow(QStringLiteral("Activation bits"), activationBits_);
    form_->addRow(QStringLiteral("Id"), id_);
    form_->addRow(QStringLiteral("From"), from_);
    form_->addRow(QStringLiteral("Inputs"), inputs_);
    form_->addRow(QStringLiteral("Folding"), foldingNote_);
    form_->addRow(QStringLiteral("Coarse in"), coarseIn_);
    form_->addRow(QStringLiteral("Coarse out"), coarseOut_);
    form_->addRow(QStringLiteral("Fine"), fine_);
    form_->addRow(QStringLiteral("Coarse"), coarse_);

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(6, 6, 6, 6);
    layout->addWidget(heading_);
    layout->addLayout(form_);
    layout->addStretch();

    auto layerInt = [this](QSpinBox* box, const QString& field, int LayerSpec::*member) {
        connect(box, &QSpinBox::valueChanged, this, [this, field, member](int v) {
            editLayer(field, [&](LayerSpec& l) { l.*member = v; });
        });
    };
    layerInt(kernelH_, QStringLiteral("kernel rows"), &LayerSpec::kernelH);
    layerInt(kernelW_, QStringLiteral("kernel cols"), &LayerSpec::kernelW);
    layerInt(stride_, QStringLiteral("stride"), &LayerSpec::stride);
    layerInt(padding_, QStringLiteral("padding"), &LayerSpec::padding);
    layerInt(groups_, QStringLiteral("groups"), &LayerSpec::groups);
    layerInt(factor_, QStringLiteral("factor"), &LayerSpec::factor);
    layerInt(anchors_, QStringLiteral("anchors"), &LayerSpec::anchors);
    connect(channels_, &QSpinBox::valueChanged, this, [this](int v) {
        if (targetInstance())
            editInstance(QStringLiteral("channels"), [v](NetworkEntry& e) { e.channels = v; });
        else
            editLayer(QStringLiteral("channels"), [v](LayerSpec& l) { l.channels = v; });
    });
    connect(repeat_, &QSpinBox::valueChanged, this, [this](int v) {
        editInstance(QStringLiteral("repeat"), [v](NetworkEntry& e) { e.repeat = v; });
    });
    connect(downsample_, &QCheckBox::toggled, this, [this](bool on) {
        editInstance(QStringLiteral("pooling"), [on](NetworkEntry& e) { e.downsample = on; });
    });
    connect(bundle_, &QComboBox::currentTextChanged, this, [this](const QString& name) {
        editInstance(QStringLiteral("bundle"),
                     [&name](NetworkEntry& e) { e.bundle = name.toStdString(); });
    });
    connect(variant_, &QComboBox::currentIndexChanged, this, [this](int i) {
        editLayer(QStringLiteral("variant"), [i](LayerSpec& l) {
            l.variant = i == 1 ? FuseVariant::Full : FuseVariant::Half;
        });
    });
    connect(bias_, &QCheckBox::toggled, this, [this](bool on) {
        editLayer(QStringLiteral("bias"), [on](LayerSpec& l) { l.bias = on; });
    });
    connect(weightBits_, &QSpinBox::valueChanged, this, [this](int v) {
        editLayer(QStringLiteral("weight bits"), [v](LayerSpec& l) {
            l.precision.weights = bitsOverride(v, defaultWeightIntegerBits);
        });
    });
    connect(activationBits_, &QSpinBox::valueChanged, this, [this](int v) {
        editLayer(QStringLiteral("activation bits"), [v](LayerSpec& l) {
            l.precision.activations = bitsOverride(v, defaultActivationIntegerBits);
        });
    });
    connect(name_, &QLineEdit::editingFinished, this, [this] {
        const std::string text = name_->text().trimmed().toStdString();
        editLayer(QStringLiteral("name"), [&text](LayerSpec& l) { l.name = text; });
    });
    connect(id_, &QLineEdit::editingFinished, this, [this] {
        const std::string text = id_->text().trimmed().toStdString();
        if (targetInstance())
            editInstance(QStringLiteral("id"), [&text](NetworkEntry& e) { e.id = text; });
        else
            editLayer(QStringLiteral("id"), [&text](LayerSpec& l) { l.id = text; });
    });
    connect(from_, &QLineEdit::editingFinished, this, [this] {
        const std::string text = from_->text().trimmed().toStdString();
        if (targetInstance())
            editInstance(QStringLiteral("input"), [&text](NetworkEntry& e) { e.from = text; });
        else
            editLayer(QStringLiteral("input"), [&text](LayerSpec& l) { l.from = text; });
    });
    connect(inputs_, &QLineEdit::editingFinished, this, [this] {
        const auto ids = splitIds(inputs_->text());
        editLayer(QStringLiteral("inputs"), [&ids](LayerSpec& l) { l.inputs = ids; });
    });

    auto folding = [this](QSpinBox* box, const QString& field, int StreamingFolding::*member) {
        connect(box, &QSpinBox::valueChanged, this, [this, field, member](int v) {
            editFolding(field, [&](StreamingFolding& f) { f.*member = v; });
        });
    };
    folding(coarseIn_, QStringLiteral("coarse_in"), &StreamingFolding::coarseIn);
    folding(coarseOut_, QStringLiteral("coarse_out"), &StreamingFolding::coarseOut);
    folding(fine_, QStringLiteral("fine"), &StreamingFolding::fine);
    folding(coarse_, QStringLiteral("coarse"), &StreamingFolding::coarse);

    connect(document_, &ProjectDocument::projectChanged, this, &LayerPropertyPanel::refresh);
    refresh();
}

void LayerPropertyPanel::setEstimate(std::shared_ptr<const EstimateOutcome> outcome) {
    estimate_ = outcome && outcome->estimate ? std::move(outcome) : nullptr;
    refresh();
}

// The estimated design's folding of the target, when it is a single layer of a streaming
// design. Edits fix that design (auto off) with the one layer changed.
void LayerPropertyPanel::refreshFolding(const LayerSpec& layer) {
    foldingLayer_.clear();
    if (!estimate_ || target_.kind != EditTarget::Kind::NetworkEntry)
        return;
    const DesignEstimate& e = *estimate_->estimate;
    const std::string name = singleLayerName(e.graph, target_.row);
    if (!streamingFoldingOf(e.estimate.detail, name))
        return; // not a layer of the estimated streaming design
    const std::optional<StreamingFolding> f =
        currentStreamingFolding(document_->project(), e.estimate.detail, name);
    foldingLayer_ = name;
    const bool weighted = layer.op == Op::Conv || layer.op == Op::Fc || layer.op == Op::PwConv ||
                          layer.op == Op::DwConv || layer.op == Op::Fuse;
    const bool hasFine = layer.op != Op::Fc;
    coarseIn_->setValue(std::max(1, f->coarseIn));
    coarseOut_->setValue(std::max(1, f->coarseOut));
    fine_->setValue(std::max(1, f->fine));
    coarse_->setValue(std::max(1, f->coarse));
    foldingNote_->setText(
        document_->project().accelerator.autoSize
            ? QStringLiteral("%1, as the optimiser chose it; a change fixes this design "
                             "(auto off)")
                  .arg(QString::fromStdString(name))
            : QString::fromStdString(name));
    setRowVisible(foldingNote_, true);
    setRowVisible(coarseIn_, weighted);
    setRowVisible(coarseOut_, weighted);
    setRowVisible(fine_, weighted && hasFine);
    setRowVisible(coarse_, !weighted);
}

void LayerPropertyPanel::editFolding(const QString& field,
                                     const std::function<void(StreamingFolding&)>& change) {
    if (!estimate_ || foldingLayer_.empty())
        return;
    const DesignEstimate& e = *estimate_->estimate;
    std::optional<StreamingFolding> f =
        currentStreamingFolding(document_->project(), e.estimate.detail, foldingLayer_);
    if (!f)
        return;
    change(*f);
    document_->edit(
        QStringLiteral("Set %1 of %2").arg(field, QString::fromStdString(foldingLayer_)),
        withStreamingFolding(document_->project(), e.graph, e.estimate.detail, *f),
        QStringLiteral("folding:%1:%2").arg(QString::fromStdString(foldingLayer_), field));
}

void LayerPropertyPanel::setTarget(const EditTarget& target) {
    target_ = target;
    refresh();
}

const LayerSpec* LayerPropertyPanel::targetLayer() const {
    const Project& p = document_->project();
    const auto row = static_cast<std::size_t>(target_.row);
    if (target_.kind == EditTarget::Kind::BundleLayer && target_.bundle >= 0 &&
        std::size_t(target_.bundle) < p.bundles.size() && target_.row >= 0 &&
        row < p.bundles[std::size_t(target_.bundle)].layers.size())
        return &p.bundles[std::size_t(target_.bundle)].layers[row];
    if (target_.kind == EditTarget::Kind::NetworkEntry && target_.row >= 0 &&
        row < p.network.size() && !p.network[row].isBundle)
        return &p.network[row].layer;
    return nullptr;
}

const NetworkEntry* LayerPropertyPanel::targetInstance() const {
    const Project& p = document_->project();
    if (target_.kind == EditTarget::Kind::NetworkEntry && target_.row >= 0 &&
        std::size_t(target_.row) < p.network.size() && p.network[std::size_t(target_.row)].isBundle)
        return &p.network[std::size_t(target_.row)];
    return nullptr;
}

QString LayerPropertyPanel::targetName() const {
    if (target_.kind == EditTarget::Kind::BundleLayer)
        return QStringLiteral("layer %1 of %2")
            .arg(target_.row + 1)
            .arg(QString::fromStdString(
                document_->project().bundles[std::size_t(target_.bundle)].name));
    return QStringLiteral("network entry %1").arg(target_.row + 1);
}

void LayerPropertyPanel::editLayer(const QString& field,
                                   const std::function<void(LayerSpec&)>& change) {
    if (!targetLayer())
        return;
    Project after = document_->project();
    LayerSpec& layer =
        target_.kind == EditTarget::Kind::BundleLayer
            ? after.bundles[std::size_t(target_.bundle)].layers[std::size_t(target_.row)]
            : after.network[std::size_t(target_.row)].layer;
    change(layer);
    document_->edit(QStringLiteral("Set %1 of %2").arg(field, targetName()), std::move(after),
                    QStringLiteral("layer:%1:%2:%3:%4")
                        .arg(int(target_.kind))
                        .arg(target_.bundle)
                        .arg(target_.row)
                        .arg(field));
}

void LayerPropertyPanel::editInstance(const QString& field,
                                      const std::function<void(NetworkEntry&)>& change) {
    if (!targetInstance())
        return;
    Project after = document_->project();
    change(after.network[std::size_t(target_.row)]);
    document_->edit(QStringLiteral("Set %1 of %2").arg(field, targetName()), std::move(after),
                    QStringLiteral("instance:%1:%2").arg(target_.row).arg(field));
}

void LayerPropertyPanel::setRowVisible(QWidget* field, bool visible) {
    form_->setRowVisible(field, visible);
}

void LayerPropertyPanel::refresh() {
    const LayerSpec* layer = targetLayer();
    const NetworkEntry* instance = targetInstance();
    const QList<QWidget*> all{opLabel_,     bundle_,         name_,      channels_, repeat_,
                              downsample_,  kernelH_,        kernelW_,   stride_,   padding_,
                              groups_,      variant_,        factor_,    anchors_,  bias_,
                              weightBits_,  activationBits_, id_,        from_,     inputs_,
                              foldingNote_, coarseIn_,       coarseOut_, fine_,     coarse_};
    std::vector<std::unique_ptr<QSignalBlocker>> blockers;
    for (QWidget* w : all)
        blockers.push_back(std::make_unique<QSignalBlocker>(w));
    for (QWidget* w : all)
        setRowVisible(w, false);
    if (!layer && !instance) {
        heading_->setText(QStringLiteral("<i>Select a layer of a bundle or an entry of the "
                                         "network to edit its parameters.</i>"));
        return;
    }
    heading_->setText(QStringLiteral("<b>%1</b>").arg(targetName()));
    if (instance) {
        bundle_->clear();
        for (const BundleDef& def : document_->project().bundles)
            bundle_->addItem(QString::fromStdString(def.name));
        bundle_->setCurrentText(QString::fromStdString(instance->bundle));
        channels_->setMinimum(1);
        channels_->setValue(instance->channels);
        repeat_->setValue(instance->repeat);
        downsample_->setChecked(instance->downsample);
        id_->setText(QString::fromStdString(instance->id));
        from_->setText(QString::fromStdString(instance->from));
        for (QWidget* w : QList<QWidget*>{bundle_, channels_, repeat_, id_, from_})
            setRowVisible(w, true);
        // Nothing to keep or drop in a bundle without pooling layers.
        setRowVisible(downsample_, edits::bundleHasPooling(document_->project(), instance->bundle));
        return;
    }
    const Op op = layer->op;
    const bool atNetwork = target_.kind == EditTarget::Kind::NetworkEntry;
    opLabel_->setText(QStringLiteral("<b>%1</b> - %2").arg(opLabel(op), opDescription(op)));
    opLabel_->setWordWrap(true);
    name_->setText(QString::fromStdString(layer->name));
    const bool setsWidth = op == Op::Conv || op == Op::PwConv || op == Op::Fc;
    channels_->setMinimum(0);
    channels_->setSpecialValueText(atNetwork ? QStringLiteral("required")
                                             : QStringLiteral("from instance"));
    channels_->setValue(layer->channels);
    kernelH_->setValue(layer->kernelH);
    kernelW_->setValue(layer->kernelW);
    stride_->setValue(layer->stride);
    padding_->setValue(layer->padding);
    groups_->setValue(layer->groups);
    variant_->setCurrentIndex(layer->variant == FuseVariant::Full ? 1 : 0);
    factor_->setValue(layer->factor);
    anchors_->setValue(layer->anchors);
    bias_->setChecked(layer->bias);
    weightBits_->setValue(layer->precision.weights ? layer->precision.weights->width : 0);
    activationBits_->setValue(layer->precision.activations ? layer->precision.activations->width
                                                           : 0);
    id_->setText(QString::fromStdString(layer->id));
    from_->setText(QString::fromStdString(layer->from));
    inputs_->setText(joinIds(layer->inputs));

    const bool windowed = op == Op::Conv || op == Op::DwConv || op == Op::Fuse ||
                          op == Op::MaxPool || op == Op::AvgPool;
    setRowVisible(opLabel_, true);
    setRowVisible(name_, true);
    setRowVisible(channels_, setsWidth);
    setRowVisible(kernelH_, windowed);
    setRowVisible(kernelW_, windowed && op != Op::Fuse);
    setRowVisible(stride_, windowed || op == Op::PwConv);
    setRowVisible(padding_, windowed);
    setRowVisible(groups_, op == Op::Conv);
    setRowVisible(variant_, op == Op::Fuse);
    setRowVisible(factor_, op == Op::Reorg || op == Op::Upsample);
    setRowVisible(anchors_, op == Op::BboxHead);
    setRowVisible(bias_, opHasWeights(op));
    setRowVisible(weightBits_, opHasWeights(op));
    setRowVisible(activationBits_, true);
    setRowVisible(id_, atNetwork);
    setRowVisible(from_, atNetwork);
    setRowVisible(inputs_, atNetwork && opIsMultiInput(op));
    refreshFolding(*layer);
}

} // namespace codesign
