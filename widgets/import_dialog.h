#pragma once

#include "core/model/graph.h"

#include <QDialog>
#include <optional>
#include <string>

class QComboBox;
class QDialogButtonBox;
class QLabel;
class QLineEdit;

namespace codesign {

// File > Import's question, `codesign import`'s --device and --input: the device (from the
// device library) and the input size as CxHxW, prefilled from the model when it declares a
// fixed one. A malformed size, or one the model cannot take, is said inline and OK waits.
class ImportDialog : public QDialog {
    Q_OBJECT
public:
    struct Choice {
        std::string device;         // a device library name
        std::optional<Shape> input; // nothing: the model's own
    };

    // `declared`: the model's input as it declares it (-1: an open dimension), if known.
    ImportDialog(const QString& modelName, const QString& device, std::optional<Shape> declared,
                 QWidget* parent = nullptr);

    Choice choice() const;
    // Why the input size is refused ("" when OK takes it); shown under the field.
    QString problem() const;
    QString errorText() const;
    QComboBox* deviceBox() const { return device_; }
    QLineEdit* inputEdit() const { return input_; }

private:
    void validate();

    std::optional<Shape> declared_;
    QComboBox* device_;
    QLineEdit* input_;
    QLabel* error_;
    QDialogButtonBox* buttons_;
};

} // namespace codesign
