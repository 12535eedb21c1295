#include "low_rank_dialog.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QDoubleSpinBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QRadioButton>
#include <QVBoxLayout>

namespace codesign {

QString lowRankSchemeHelp(const QString& scheme) {
    // The unfoldings of core/transform/low_rank_schemes.h (seed 002, SVD-NAS).
    if (scheme == QLatin1String("s0"))
        return QStringLiteral("s0: F matrices C x KhKw: a 1x1 conv to F*rank, then a Kh x Kw conv "
                              "in F groups");
    if (scheme == QLatin1String("s1"))
        return QStringLiteral("s1: one F x C*Kh*Kw matrix: a Kh x Kw conv to rank, then a 1x1 "
                              "conv to F");
    if (scheme == QLatin1String("s2"))
        return QStringLiteral("s2: one F*Kh x C*Kw matrix: a 1 x Kw conv to rank, then a Kh x 1 "
                              "conv to F (stride 1 only)");
    if (scheme == QLatin1String("s3"))
        return QStringLiteral("s3: C matrices F x KhKw: a Kh x Kw conv in C groups to C*rank, "
                              "then a 1x1 conv to F");
    return QStringLiteral("auto: per layer, the scheme of the lowest reconstruction error under "
                          "OPs budgets (majority vote)");
}

LowRankDialog::LowRankDialog(const QString& selection, const LowRankSettings& settings,
                             QWidget* parent)
    : QDialog(parent), selection_(selection), scheme_(new QComboBox), schemeHelp_(new QLabel),
      byBudget_(new QRadioButton(QStringLiteral("OPs budget"))),
      byRanks_(new QRadioButton(QStringLiteral("Ranks file"))), budget_(new QDoubleSpinBox),
      ranksFile_(new QLineEdit), revert_(new QComboBox), error_(new QLabel) {
    setObjectName(QStringLiteral("lowRankDialog"));
    setWindowTitle(QStringLiteral("Low-rank decomposition"));
    scheme_->setObjectName(QStringLiteral("lowRankScheme"));
    for (const char* s : {"auto", "s0", "s1", "s2", "s3"})
        scheme_->addItem(QString::fromLatin1(s));
    scheme_->setCurrentText(QString::fromStdString(settings.scheme));
    schemeHelp_->setObjectName(QStringLiteral("lowRankSchemeHelp"));
    schemeHelp_->setWordWrap(true);
    budget_->setObjectName(QStringLiteral("lowRankBudget"));
    budget_->setRange(0.05, 0.95);
    budget_->setSingleStep(0.05);
    budget_->setDecimals(2);
    budget_->setValue(settings.budget);
    budget_->setToolTip(QStringLiteral("The share of each conv's MACs its two factors may cost"));
    ranksFile_->setObjectName(QStringLiteral("lowRankRanksFile"));
    ranksFile_->setPlaceholderText(QStringLiteral("'LAYER RANK' lines, as codesign transform "
                                                  "--ranks"));
    ranksFile_->setText(QString::fromStdString(settings.ranksFile));
    byBudget_->setObjectName(QStringLiteral("lowRankByBudget"));
    byRanks_->setObjectName(QStringLiteral("lowRankByRanks"));
    (settings.ranksFile.empty() ? byBudget_ : byRanks_)->setChecked(true);
    revert_->setObjectName(QStringLiteral("lowRankRevert"));
    revert_->addItem(QStringLiteral("By cycles on the project's design"));
    revert_->addItem(QStringLiteral("By MACs"));
    revert_->setCurrentIndex(settings.byMacs ? 1 : 0);
    revert_->setToolTip(QStringLiteral("A layer whose two factors would not be faster is "
                                       "reverted (left as it was)"));
    error_->setObjectName(QStringLiteral("lowRankError"));
    error_->setWordWrap(true);
    error_->setStyleSheet(QStringLiteral("color: #b00020"));
    error_->hide();

    auto* browse = new QPushButton(QStringLiteral("Browse..."));
    connect(browse, &QPushButton::clicked, this, &LowRankDialog::chooseRanksFile);
    auto* budgetRow = new QHBoxLayout;
    budgetRow->addWidget(byBudget_);
    budgetRow->addWidget(budget_, 1);
    auto* ranksRow = new QHBoxLayout;
    ranksRow->addWidget(byRanks_);
    ranksRow->addWidget(ranksFile_, 1);
    ranksRow->addWidget(browse);
    auto* form = new QFormLayout;
    form->addRow(QStringLiteral("Scheme:"), scheme_);
    form->addRow(QString(), schemeHelp_);
    form->addRow(QStringLiteral("Ranks:"), budgetRow);
    form->addRow(QString(), ranksRow);
    form->addRow(QStringLiteral("Revert a layer:"), revert_);
    auto* intro = new QLabel(
        selection.isEmpty()
            ? QStringLiteral("No network entry is selected: a ranks file names its layers.")
            : QStringLiteral("Decompose the convs of %1 by a truncated SVD of their weights. A "
                             "ranks file names its own layers.")
                  .arg(selection.toHtmlEscaped()));
    intro->setWordWrap(true);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel);
    connect(buttons, &QDialogButtonBox::accepted, this, &LowRankDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(intro);
    layout->addLayout(form);
    layout->addWidget(error_);
    layout->addWidget(buttons);

    connect(scheme_, &QComboBox::currentTextChanged, this, &LowRankDialog::updateSchemeHelp);
    connect(byBudget_, &QRadioButton::toggled, this, &LowRankDialog::updateMode);
    updateSchemeHelp();
    updateMode();
    resize(560, sizeHint().height());
}

void LowRankDialog::updateSchemeHelp() {
    schemeHelp_->setText(lowRankSchemeHelp(scheme_->currentText()));
}

void LowRankDialog::updateMode() {
    budget_->setEnabled(byBudget_->isChecked());
    ranksFile_->setEnabled(byRanks_->isChecked());
    error_->hide();
}

void LowRankDialog::chooseRanksFile() {
    const QString path =
        QFileDialog::getOpenFileName(this, QStringLiteral("Ranks file"), ranksFile_->text());
    if (!path.isEmpty()) {
        ranksFile_->setText(path);
        byRanks_->setChecked(true);
    }
}

LowRankSettings LowRankDialog::settings() const {
    LowRankSettings s;
    s.scheme = scheme_->currentText().toStdString();
    s.budget = budget_->value();
    if (byRanks_->isChecked())
        s.ranksFile = ranksFile_->text().trimmed().toStdString();
    s.byMacs = revert_->currentIndex() == 1;
    return s;
}

QString LowRankDialog::problem() const {
    if (byBudget_->isChecked())
        return selection_.isEmpty() ? QStringLiteral("Select a layer or a bundle instance in the "
                                                     "network list, or give a ranks file.")
                                    : QString();
    const QString path = ranksFile_->text().trimmed();
    if (path.isEmpty())
        return QStringLiteral("Give a ranks file ('LAYER RANK' lines), or choose the OPs budget.");
    Result<std::map<std::string, int>> ranks = readRanksFile(path.toStdString());
    if (!ranks.ok())
        return QString::fromStdString(ranks.error().format());
    if (ranks->empty())
        return QStringLiteral("%1 names no layer.").arg(path);
    return {};
}

QString LowRankDialog::errorText() const {
    return error_->isHidden() ? QString() : error_->text();
}

void LowRankDialog::accept() {
    if (const QString why = problem(); !why.isEmpty()) {
        error_->setText(why);
        error_->show();
        return;
    }
    QDialog::accept();
}

} // namespace codesign
