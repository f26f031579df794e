#include "common/fieldcolors.h"

#include "common/palettecolors.h"

namespace FieldColors {

QColor color(FrameLayout::FieldId id, const QPalette &palette)
{
    using FieldId = FrameLayout::FieldId;
    const QColor base = palette.color(QPalette::Base);
    int hue = -1;
    switch (id) {
    case FieldId::None:
        return base;
    case FieldId::Payload:
        // The bulk of the frame stays quiet.
        return palette.color(QPalette::AlternateBase);
    case FieldId::Fin:
        hue = 0;
        break;
    case FieldId::Rsv1:
        hue = 28;
        break;
    case FieldId::Rsv2:
        hue = 48;
        break;
    case FieldId::Rsv3:
        hue = 68;
        break;
    case FieldId::Opcode:
        hue = 125;
        break;
    case FieldId::Mask:
        hue = 280;
        break;
    case FieldId::PayloadLength:
        hue = 210;
        break;
    case FieldId::ExtendedPayloadLength:
        hue = 175;
        break;
    case FieldId::MaskingKey:
        hue = 325;
        break;
    }
    // Tints blended into the palette's base colour: pastel on light themes, muted on dark ones, so the
    // palette's own text colour stays readable on top of them.
    const QColor accent = QColor::fromHsv(hue, 210, 235);
    // One-bit fields are thin stripes: they get a stronger tint to stay visible.
    const bool thin = id == FieldId::Fin || id == FieldId::Rsv1 || id == FieldId::Rsv2 || id == FieldId::Rsv3
        || id == FieldId::Mask;
    // Text sits on these tints (the diagram's labels, the hex view's digits): bright hues (yellow,
    // lime) on a dark base are toned down until the palette's text stays readable on them.
    const QColor text = palette.color(QPalette::Text);
    qreal amount = (PaletteColors::isDark(palette, QPalette::Base) ? 0.40 : 0.32) + (thin ? 0.15 : 0.0);
    QColor fill = PaletteColors::mix(base, accent, amount);
    while (PaletteColors::contrastRatio(fill, text) < 4.6 && amount > 0.12) {
        amount -= 0.02;
        fill = PaletteColors::mix(base, accent, amount);
    }
    return fill;
}

} // namespace FieldColors
