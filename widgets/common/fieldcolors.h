#pragma once

#include "teach/framelayout.h"

#include <QColor>
#include <QPalette>

// The background tint of each frame-header field, shared by the hex view and the frame diagram so
// that a field has one colour in every pane.
namespace FieldColors {

// None gives the palette's Base and Payload its AlternateBase; the header fields (FIN, RSV1-3,
// opcode, MASK, lengths, masking key) get a hue blended into Base, toned down where needed so the
// palette's Text colour stays readable on it (contrast >= 4.6).
QColor color(FrameLayout::FieldId id, const QPalette &palette);

} // namespace FieldColors
