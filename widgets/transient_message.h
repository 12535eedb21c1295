#pragma once

#include <QLabel>

class QTimer;

namespace codesign {

// An inline message that says why something was refused and fades after a few seconds.
class TransientMessage : public QLabel {
    Q_OBJECT
public:
    explicit TransientMessage(QWidget* parent = nullptr);
    void showMessage(const QString& text, int milliseconds = 6000);

private:
    QTimer* timer_;
};

} // namespace codesign
