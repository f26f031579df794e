#include "common/palettecolors.h"

#include <QLabel>
#include <QWidget>

#include <algorithm>
#include <cmath>

namespace {

double relativeLuminance(const QColor &c)
{
    auto channel = [](double v) { return v <= 0.03928 ? v / 12.92 : std::pow((v + 0.055) / 1.055, 2.4); };
    return 0.2126 * channel(c.redF()) + 0.7152 * channel(c.greenF()) + 0.0722 * channel(c.blueF());
}

} // namespace

namespace PaletteColors {

bool isDark(const QPalette &palette, QPalette::ColorRole background)
{
    return palette.color(background).lightness() < 128;
}

QColor mix(const QColor &a, const QColor &b, qreal t)
{
    return QColor::fromRgbF(float(a.redF() + (b.redF() - a.redF()) * t),
        float(a.greenF() + (b.greenF() - a.greenF()) * t), float(a.blueF() + (b.blueF() - a.blueF()) * t));
}

double contrastRatio(const QColor &a, const QColor &b)
{
    const double la = relativeLuminance(a), lb = relativeLuminance(b);
    return (std::max(la, lb) + 0.05) / (std::min(la, lb) + 0.05);
}

QColor statusColor(const QPalette &palette, bool good, QPalette::ColorRole background)
{
    if (isDark(palette, background))
        return good ? QColor(0x7e, 0xe7, 0x87) : QColor(0xff, 0x8a, 0x80);
    return good ? QColor(0x0f, 0x5f, 0x26) : QColor(0xb0, 0x18, 0x18);
}

QColor errorColor(const QPalette &palette, QPalette::ColorRole background)
{
    return statusColor(palette, false, background);
}

QColor mutedColor(const QPalette &palette, qreal fade, QPalette::ColorRole text, QPalette::ColorRole background)
{
    return mix(palette.color(text), palette.color(background), fade);
}

void setTextColor(QWidget *widget, const QColor &color)
{
    QPalette p = widget->palette();
    p.setColor(QPalette::WindowText, color);
    widget->setPalette(p);
}

QLabel *messageLabel(const QString &objectName, Qt::TextInteractionFlags interaction)
{
    auto *label = new QLabel;
    label->setObjectName(objectName);
    label->setTextFormat(Qt::PlainText);
    label->setWordWrap(true);
    if (interaction != Qt::NoTextInteraction)
        label->setTextInteractionFlags(interaction);
    return label;
}

} // namespace PaletteColors
