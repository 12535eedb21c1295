#pragma once

#include "low_rank_edit.h"

#include <QDialog>

class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QLineEdit;
class QRadioButton;

namespace codesign {

// Edit > Low-rank's question: the choices of `codesign transform --low-rank` (the scheme,
// an OPs budget or a ranks file, the revert rule), each explained in a line. OK checks the
// ranks file (read and parsed, as the CLI's --ranks) and says what is wrong inline.
class LowRankDialog : public QDialog {
    Q_OBJECT
public:
    // `selection`: the selected entries' names ("" when none: only a ranks file can act).
    LowRankDialog(const QString& selection, const LowRankSettings& settings,
                  QWidget* parent = nullptr);

    LowRankSettings settings() const;
    // Why OK refuses ("" when it accepts); shown under the choices.
    QString problem() const;
    QString errorText() const;

    void accept() override;

private:
    void updateSchemeHelp();
    void updateMode();
    void chooseRanksFile();

    QString selection_;
    QComboBox* scheme_;
    QLabel* schemeHelp_;
    QRadioButton* byBudget_;
    QRadioButton* byRanks_;
    QDoubleSpinBox* budget_;
    QLineEdit* ranksFile_;
    QComboBox* revert_;
    QLabel* error_;
};

// The one-line explanation of a scheme ("auto", "s0" ... "s3").
QString lowRankSchemeHelp(const QString& scheme);

} // namespace codesign
