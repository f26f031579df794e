#include "inspect/messagelogdelegate.h"

#include "log/messagelogmodel.h"
#include "common/palettecolors.h"

#include <QPalette>

using PaletteColors::mix;

void MessageLogDelegate::initStyleOption(QStyleOptionViewItem *option, const QModelIndex &index) const
{
    QStyledItemDelegate::initStyleOption(option, index);
    const QColor base = option->palette.color(QPalette::Base);
    const auto kind = EventKind(index.data(MessageLogModel::KindRole).toInt());
    if (index.data(MessageLogModel::IsViolationRole).toBool()) {
        option->backgroundBrush = mix(base, QColor(0xd3, 0x2f, 0x2f), 0.28);
        if (index.column() == MessageLogModel::TypeColumn)
            option->font.setBold(true);
    } else if (kind == EventKind::HandshakeRequest || kind == EventKind::HandshakeResponse || kind == EventKind::TlsInfo) {
        option->backgroundBrush = mix(base, QColor(0x2f, 0x6f, 0xd6), 0.14);
    } else if (kind == EventKind::Intercept) {
        // The inspector changed what went by: it must stand out from what the peers sent.
        option->backgroundBrush = mix(base, QColor(0x9c, 0x27, 0xb0), 0.16);
        option->font.setBold(true);
    } else if (kind == EventKind::Api) {
        // What a Qt engine's API reported, beside the frames: set apart without shouting.
        option->backgroundBrush = mix(base, QColor(0x00, 0x9a, 0x94), 0.12);
    } else if (kind == EventKind::StateChange) {
        option->font.setItalic(true);
        option->palette.setColor(QPalette::Text, option->palette.color(QPalette::PlaceholderText));
    } else if (index.data(MessageLogModel::IsControlRole).toBool()) {
        option->backgroundBrush = mix(base, QColor(0xf0, 0xa0, 0x20), 0.12);
    }
    if (index.column() == MessageLogModel::DirectionColumn) {
        const auto direction = Direction(index.data(MessageLogModel::DirectionRole).toInt());
        if (direction != Direction::Local) {
            const bool dark = base.lightnessF() < 0.5;
            const QColor colour = direction == Direction::Incoming ? (dark ? QColor(0x6f, 0xd0, 0x8c) : QColor(0x1e, 0x7e, 0x3e))
                                                                   : (dark ? QColor(0x7f, 0xb2, 0xff) : QColor(0x1f, 0x5f, 0xc6));
            option->palette.setColor(QPalette::Text, colour);
            option->font.setBold(true);
        }
    }
}
