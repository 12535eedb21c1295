#include "project_settings_panel.h"

#include "core/hw/device_library.h"
#include "core/model/accelerator_formats.h"
#include "core/model/project_edits.h"
#include "project_document.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QLineEdit>
#include <QSignalBlocker>
#include <QSpinBox>
#include <memory>
#include <vector>

namespace codesign {
namespace {

QSpinBox* intSpin(int min, int max) {
    auto* s = new QSpinBox;
    s->setRange(min, max);
    s->setKeyboardTracking(false);
    return s;
}

QDoubleSpinBox* realSpin(double min, double max, double step, int decimals) {
    auto* s = new QDoubleSpinBox;
    s->setRange(min, max);
    s->setSingleStep(step);
    s->setDecimals(decimals);
    s->setKeyboardTracking(false);
    return s;
}

} // namespace

ProjectSettingsPanel::ProjectSettingsPanel(ProjectDocument* document, QWidget* parent)
    : QWidget(parent), document_(document), name_(new QLineEdit), device_(new QComboBox),
      channels_(intSpin(1, 4096)), height_(intSpin(1, 100000)), width_(intSpin(1, 100000)),
      resize_(realSpin(0.05, 1.0, 0.05, 2)), weightBits_(intSpin(kMinBits, 32)),
      activationBits_(intSpin(kMinBits, 32)), family_(new QComboBox),
      autoSize_(new QCheckBox(QStringLiteral("size automatically"))),
      clock_(realSpin(0, 1000, 10, 0)), cap_(realSpin(0.05, 1.0, 0.05, 2)) {
    for (const Device& d : DeviceLibrary::standard().devices())
        device_->addItem(QStringLiteral("%1 (%2)").arg(QString::fromStdString(d.board),
                                                       QString::fromStdString(d.name)),
                         QString::fromStdString(d.name));
    for (const AcceleratorFormat& f : acceleratorFormats())
        family_->addItem(QString::fromUtf8(f.arch.data(), qsizetype(f.arch.size())),
                         QString::fromUtf8(f.arch.data(), qsizetype(f.arch.size())));
    family_->setToolTip(QStringLiteral("The accelerator family: tiled (bundle accelerator) or "
                                       "streaming (fpgaConvNet-style dataflow). Switching sizes "
                                       "the new family's design automatically."));
    clock_->setSpecialValueText(QStringLiteral("device default"));
    clock_->setSuffix(QStringLiteral(" MHz"));
    autoSize_->setToolTip(QStringLiteral("Choose the design for the highest FPS within the "
                                         "resource cap (tiled: parallel factors and tile; "
                                         "streaming: folding, partitions, weights reloading)"));
    auto* form = new QFormLayout(this);
    form->setContentsMargins(6, 6, 6, 6);
    form->addRow(QStringLiteral("Name"), name_);
    form->addRow(QStringLiteral("Device"), device_);
    form->addRow(QStringLiteral("Input channels"), channels_);
    form->addRow(QStringLiteral("Input height"), height_);
    form->addRow(QStringLiteral("Input width"), width_);
    form->addRow(QStringLiteral("Input resize"), resize_);
    form->addRow(QStringLiteral("Weight bits"), weightBits_);
    form->addRow(QStringLiteral("Activation bits"), activationBits_);
    form->addRow(QStringLiteral("Accelerator"), family_);
    form->addRow(QString(), autoSize_);
    form->addRow(QStringLiteral("Clock"), clock_);
    form->addRow(QStringLiteral("Resource cap"), cap_);

    connect(name_, &QLineEdit::editingFinished, this, [this] {
        const std::string text = name_->text().trimmed().toStdString();
        edit(QStringLiteral("name"), [&text](Project& p) { p.name = text; });
    });
    connect(device_, &QComboBox::currentIndexChanged, this, [this](int i) {
        const std::string name = device_->itemData(i).toString().toStdString();
        edit(QStringLiteral("device"), [&name](Project& p) {
            p.device.name = name;
            p.device.inlineDevice.reset();
        });
    });
    auto input = [this](QSpinBox* box, const QString& field, int InputSpec::*member) {
        connect(box, &QSpinBox::valueChanged, this, [this, field, member](int v) {
            edit(field, [&](Project& p) { p.input.*member = v; });
        });
    };
    input(channels_, QStringLiteral("input channels"), &InputSpec::channels);
    input(height_, QStringLiteral("input height"), &InputSpec::height);
    input(width_, QStringLiteral("input width"), &InputSpec::width);
    connect(resize_, &QDoubleSpinBox::valueChanged, this, [this](double v) {
        edit(QStringLiteral("input resize"), [v](Project& p) { p.input.resize = v; });
    });
    connect(weightBits_, &QSpinBox::valueChanged, this, [this](int v) {
        edit(QStringLiteral("weight bits"), [v](Project& p) { edits::setWeightBits(p, v); });
    });
    connect(activationBits_, &QSpinBox::valueChanged, this, [this](int v) {
        edit(QStringLiteral("activation bits"),
             [v](Project& p) { edits::setActivationBits(p, v); });
    });
    connect(family_, &QComboBox::currentIndexChanged, this, [this](int i) {
        const std::string arch = family_->itemData(i).toString().toStdString();
        edit(QStringLiteral("accelerator family"), [&arch](Project& p) {
            if (p.accelerator.arch() == arch)
                return;
            // The other family's design is unknown: start from its defaults, sized for us.
            p.accelerator.family = findAcceleratorFormat(arch)->make();
            p.accelerator.autoSize = true;
        });
    });
    connect(autoSize_, &QCheckBox::toggled, this, [this](bool on) {
        edit(QStringLiteral("accelerator sizing"),
             [on](Project& p) { p.accelerator.autoSize = on; });
    });
    connect(clock_, &QDoubleSpinBox::valueChanged, this, [this](double v) {
        edit(QStringLiteral("clock"), [v](Project& p) { p.accelerator.clockMhz = v; });
    });
    connect(cap_, &QDoubleSpinBox::valueChanged, this, [this](double v) {
        edit(QStringLiteral("resource cap"), [v](Project& p) { p.accelerator.resourceCap = v; });
    });
    connect(document_, &ProjectDocument::projectChanged, this, &ProjectSettingsPanel::refresh);
    refresh();
}

void ProjectSettingsPanel::edit(const QString& field, const std::function<void(Project&)>& change) {
    Project after = document_->project();
    change(after);
    document_->edit(QStringLiteral("Set %1").arg(field), std::move(after),
                    QStringLiteral("project:") + field);
}

void ProjectSettingsPanel::refresh() {
    const Project& p = document_->project();
    const QList<QWidget*> all{name_,       device_,         channels_, height_,   width_, resize_,
                              weightBits_, activationBits_, family_,   autoSize_, clock_, cap_};
    std::vector<std::unique_ptr<QSignalBlocker>> blockers;
    for (QWidget* w : all)
        blockers.push_back(std::make_unique<QSignalBlocker>(w));
    name_->setText(QString::fromStdString(p.name));
    const int device = device_->findData(QString::fromStdString(p.device.name));
    device_->setCurrentIndex(device);
    device_->setEnabled(!p.device.inlineDevice);
    device_->setToolTip(p.device.inlineDevice ? QStringLiteral("The project describes its own "
                                                               "device (edit it in the file)")
                                              : QString());
    channels_->setValue(p.input.channels);
    height_->setValue(p.input.height);
    width_->setValue(p.input.width);
    resize_->setValue(p.input.resize);
    weightBits_->setValue(p.precision.weights.width);
    activationBits_->setValue(p.precision.activations.width);
    family_->setCurrentIndex(family_->findData(
        QString::fromUtf8(p.accelerator.arch().data(), qsizetype(p.accelerator.arch().size()))));
    autoSize_->setChecked(p.accelerator.autoSize);
    clock_->setValue(p.accelerator.clockMhz);
    cap_->setValue(p.accelerator.resourceCap);
}

} // namespace codesign
