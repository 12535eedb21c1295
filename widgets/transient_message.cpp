#include "transient_message.h"

#include <QTimer>

namespace codesign {

TransientMessage::TransientMessage(QWidget* parent) : QLabel(parent), timer_(new QTimer(this)) {
    setWordWrap(true);
    setStyleSheet(QStringLiteral("color: #a40000; background: #fde8e8; padding: 4px; "
                                 "border-radius: 3px"));
    timer_->setSingleShot(true);
    connect(timer_, &QTimer::timeout, this, &QLabel::hide);
    hide();
}

void TransientMessage::showMessage(const QString& text, int milliseconds) {
    setText(text);
    show();
    timer_->start(milliseconds);
}

} // namespace codesign
