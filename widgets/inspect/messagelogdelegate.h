#pragma once

#include <QStyledItemDelegate>

// Colours message-log rows from the model's roles (the model is free of Widgets and colours):
// violations and errors stand out, handshakes and state changes are set apart, direction arrows
// are coloured. Tints are blended over the palette so light and dark themes both read well.
class MessageLogDelegate : public QStyledItemDelegate {
    Q_OBJECT
public:
    using QStyledItemDelegate::QStyledItemDelegate;

protected:
    void initStyleOption(QStyleOptionViewItem *option, const QModelIndex &index) const override;
};
