#pragma once

#include <QColor>
#include <QPalette>
#include <QString>

class QLabel;
class QWidget;

// Palette-aware colours and labels shared by the panes: every colour is derived from the widget's
// palette, so light and dark themes both stay readable.
namespace PaletteColors {

// Whether the palette's `background` role is dark (most panes ask about Window; views that paint
// on Base ask about Base).
bool isDark(const QPalette &palette, QPalette::ColorRole background = QPalette::Window);

// `a` moved towards `b` by `t` (0: a, 1: b), per RGB channel.
QColor mix(const QColor &a, const QColor &b, qreal t);

// WCAG contrast ratio between two colours: 4.5 is the usual floor for body text.
double contrastRatio(const QColor &a, const QColor &b);

// Green (good) and red (bad) with enough contrast on the palette's background, light or dark.
QColor statusColor(const QPalette &palette, bool good, QPalette::ColorRole background = QPalette::Window);

// Red for errors and warnings: statusColor(palette, false, background).
QColor errorColor(const QPalette &palette, QPalette::ColorRole background = QPalette::Window);

// Secondary text: the `text` role faded towards the `background` role by `fade`.
QColor mutedColor(const QPalette &palette, qreal fade, QPalette::ColorRole text = QPalette::WindowText,
    QPalette::ColorRole background = QPalette::Window);

// Sets the widget's WindowText colour (what labels paint their text with).
void setTextColor(QWidget *widget, const QColor &color);

// A word-wrapped plain-text label (peer text must never be read as rich text) for messages; by
// default selectable with the mouse. An empty `interaction` leaves QLabel's default.
QLabel *messageLabel(const QString &objectName, Qt::TextInteractionFlags interaction = Qt::TextSelectableByMouse);

} // namespace PaletteColors
