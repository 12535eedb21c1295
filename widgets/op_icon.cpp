#include "op_icon.h"

#include "layer_text.h"

#include <QPainter>
#include <QPixmap>

namespace codesign {

QIcon opIcon(Op op) {
    QPixmap pixmap(14, 14);
    pixmap.fill(Qt::transparent);
    QPainter painter(&pixmap);
    painter.setRenderHint(QPainter::Antialiasing);
    painter.setPen(Qt::NoPen);
    painter.setBrush(opColor(op));
    painter.drawRoundedRect(QRectF(1, 1, 12, 12), 3, 3);
    return QIcon(pixmap);
}

} // namespace codesign
