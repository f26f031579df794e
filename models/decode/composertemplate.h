#pragma once

#include <QByteArray>
#include <QList>
#include <QString>

namespace Decode {

// A message of a protocol on top that the composer offers to start from: its name in the menu
// ("call", "subscribe") and the text to send, as the protocol's usual libraries write it.
struct ComposerTemplate {
    QString name;
    QByteArray text;
    friend bool operator==(const ComposerTemplate &, const ComposerTemplate &) = default;
};

} // namespace Decode
