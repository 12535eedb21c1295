#pragma once

#include "core/transform/low_rank.h"
#include "low_rank_edit.h"

#include <QDialog>
#include <QStringList>

class QLabel;
class QTableWidget;

namespace codesign {

// What a low-rank edit did, per layer: scheme, rank (of the full rank), relative reconstruction
// error, MACs before and after, and the reverted layers with the reason. Non-modal: it
// stays open beside the editor while the user looks at the new estimate.
class LowRankReport : public QDialog {
    Q_OBJECT
public:
    explicit LowRankReport(QWidget* parent = nullptr);

    // `settings`: what was asked (the scheme, the budget or the ranks file), for the summary.
    void showResult(const transform::LowRankResult& result, const QStringList& entries,
                    const LowRankSettings& settings, const QString& weightsFile);
    QTableWidget* table() const { return table_; }
    QString summary() const;

private:
    QLabel* summary_;
    QTableWidget* table_;
    QLabel* reverted_;
};

} // namespace codesign
