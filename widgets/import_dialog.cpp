#include "import_dialog.h"

#include "core/hw/device_library.h"
#include "model_io/model_reader.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QVBoxLayout>
#include <algorithm>

namespace codesign {
namespace {

bool fixed(const Shape& s) {
    return s.c > 0 && s.h > 0 && s.w > 0;
}

QString shapeText(const Shape& s) {
    auto dim = [](int d) {
        return d > 0 ? QString::number(d) : QStringLiteral("?");
    };
    return dim(s.c) + QLatin1Char('x') + dim(s.h) + QLatin1Char('x') + dim(s.w);
}

} // namespace

ImportDialog::ImportDialog(const QString& modelName, const QString& device,
                           std::optional<Shape> declared, QWidget* parent)
    : QDialog(parent), declared_(declared), device_(new QComboBox), input_(new QLineEdit),
      error_(new QLabel),
      buttons_(new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel)) {
    setObjectName(QStringLiteral("importDialog"));
    setWindowTitle(QStringLiteral("Import %1").arg(modelName));
    device_->setObjectName(QStringLiteral("importDevice"));
    for (const Device& d : DeviceLibrary::standard().devices())
        device_->addItem(QStringLiteral("%1 (%2)").arg(QString::fromStdString(d.name),
                                                       QString::fromStdString(d.board)),
                         QString::fromStdString(d.name));
    const int current = device_->findData(device);
    device_->setCurrentIndex(
        current >= 0 ? current : std::max(0, device_->findData(QStringLiteral("pynq-z1"))));
    input_->setObjectName(QStringLiteral("importInput"));
    input_->setPlaceholderText(QStringLiteral("CxHxW, e.g. 3x224x224"));
    if (declared_ && fixed(*declared_))
        input_->setText(shapeText(*declared_));
    error_->setObjectName(QStringLiteral("importError"));
    error_->setWordWrap(true);
    error_->setStyleSheet(QStringLiteral("color: #b00020"));
    auto* note = new QLabel(
        !declared_ ? QStringLiteral("The model's input size could not be read; empty: the "
                                    "model's own.")
        : fixed(*declared_)
            ? QStringLiteral("The model declares %1; a size here overrides it (the channels must "
                             "agree).")
                  .arg(shapeText(*declared_))
            : QStringLiteral("The model leaves its input size open (%1): give it.")
                  .arg(shapeText(*declared_)));
    note->setWordWrap(true);
    auto* form = new QFormLayout;
    form->addRow(QStringLiteral("Device:"), device_);
    form->addRow(QStringLiteral("Input size:"), input_);
    form->addRow(QString(), note);
    connect(buttons_, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons_, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(input_, &QLineEdit::textChanged, this, &ImportDialog::validate);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(error_);
    layout->addWidget(buttons_);
    validate();
    resize(480, sizeHint().height());
}

QString ImportDialog::problem() const {
    const QString text = input_->text().trimmed();
    if (text.isEmpty())
        return declared_ && !fixed(*declared_) // unknown: the reader will say why
                   ? QStringLiteral("Give the input size as CxHxW, e.g. 3x224x224.")
                   : QString();
    const std::optional<Shape> shape = modelio::parseInputShape(text.toStdString());
    if (!shape)
        return QStringLiteral("'%1' is not an input size: give CxHxW, each 1 to 1000000, e.g. "
                              "3x224x224.")
            .arg(text);
    if (declared_ && declared_->c > 0 && shape->c != declared_->c)
        return QStringLiteral("The model's input has %1 channels; %2 gives %3.")
            .arg(declared_->c)
            .arg(text)
            .arg(shape->c);
    return {};
}

void ImportDialog::validate() {
    const QString why = problem();
    error_->setText(why);
    error_->setVisible(!why.isEmpty());
    buttons_->button(QDialogButtonBox::Ok)->setEnabled(why.isEmpty());
}

QString ImportDialog::errorText() const {
    return error_->isHidden() ? QString() : error_->text();
}

ImportDialog::Choice ImportDialog::choice() const {
    Choice c;
    c.device = device_->currentData().toString().toStdString();
    const QString text = input_->text().trimmed();
    if (!text.isEmpty())
        c.input = modelio::parseInputShape(text.toStdString());
    if (c.input && declared_ && *c.input == *declared_)
        c.input.reset(); // the model's own: as `codesign import` without --input
    return c;
}

} // namespace codesign
