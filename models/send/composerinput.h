#pragma once

#include <QByteArray>
#include <QString>

// Turning what the user typed or chose into the bytes of a message: text, JSON, hex, base64, or a
// file. Shared by the send composer, the frame crafter, the fragment builder and the CLI, so that
// each accepts and refuses exactly the same input with the same words.
namespace ComposerInput {

struct Parsed {
    QByteArray bytes;
    QString error; // empty when the input is usable: "invalid hex digit 'z' at position 5"
    qsizetype errorPos = -1; // index into the input of the offending character, -1 if none
    bool ok() const { return error.isEmpty(); }
};

// The UTF-8 of `text`; refuses an unpaired surrogate, which has no UTF-8 form.
Parsed fromText(const QString &text);
// RFC 8259 JSON, any value at the top level. `bytes` is the UTF-8 of the input unchanged.
Parsed fromJson(const QString &input);
// A Socket.IO event's array, ["name", args...], compacted; refuses what socket.io would not take
// as an event.
Parsed fromSocketIoEvent(const QString &input);
// A STOMP frame typed as text (command, headers, blank line, body): its UTF-8 with the NUL that
// ends a frame added, unless it ends with one already. What the frame says is not checked: a
// deliberately wrong frame is a test too.
Parsed fromStompFrame(const QString &input);
// An MQTT packet written as fields (decode/mqtttext.h), encoded: lengths, flags and properties
// written as the spec says, whatever values the fields ask for.
Parsed fromMqttPacket(const QString &input);
// Pairs of hex digits (ASCII only); whitespace or ':' separates groups, each may start with 0x.
// Positions in messages count characters from 1.
Parsed fromHex(QStringView input);
// Standard base64 (+ and /); whitespace ignored; padding optional but, when present, correct.
Parsed fromBase64(QStringView input);
// Why the file cannot be sent ("“x” does not exist.", "... is 80 MiB; a message can be at most
// 64 MiB ..."), without reading it; empty when it can.
QString checkFile(const QString &path, qint64 maxBytes);
// The whole file, refused without reading it when it is larger than `maxBytes` (the message size
// limit a receiver enforces: 64 MiB unless set otherwise).
Parsed fromFile(const QString &path, qint64 maxBytes);
constexpr qint64 DefaultMaxFileBytes = 64ll << 20;

} // namespace ComposerInput
