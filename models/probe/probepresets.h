#pragma once

#include "protocol/extensions.h"
#include "protocol/framewriter.h"

#include <QList>
#include <QString>

// The classic conformance probes (what a polite client library never sends), each with what a
// correct server does. Shared by the frame crafter's preset menu and the "probe the server" run.
namespace ProbePresets {

// What a correct server does after the preset's frames.
struct Expectation {
    enum class Kind {
        Echo, // answers normally (an echo server echoes `echo`); no close
        Close, // sends a close frame with one of `closeCodes` (dropping TCP without one also accepted when `dropAccepted`)
    };
    Kind kind = Kind::Close;
    QList<quint16> closeCodes; // e.g. { 1002 }
    bool dropAccepted = true; // RFC 6455 lets an endpoint fail the connection without a close frame
    QByteArray echo; // for Kind::Echo on an echo server: the message expected back (several: joined)
    int messages = 1; // for Kind::Echo: how many messages come back
    QString text; // for people: "closes with 1002 Protocol Error (RFC 6455 §5.2: RSV1 without extension)"
};

struct Preset {
    QString id; // stable, e.g. "rsv1-set", "close-code-1005"
    QString title; // "RSV1 set without an extension"
    QString description; // what is sent and which rule it breaks (or, for valid probes, why it is tricky)
    QString rfcSection; // "5.2"
    QString rfcDocument = QStringLiteral("RFC 6455"); // the document rfcSection is of ("RFC 7692")
    QList<FrameSpec> frames; // sent in order on a fresh connection, once OPEN
    Expectation expected;
    // permessage-deflate probes: offered in the handshake; a server that does not accept it makes
    // the probe not applicable. The frames are then already compressed as the offer says (the
    // connection is fresh, so a stream started at build time is the one the server expects).
    std::optional<PerMessageDeflate::Offer> deflate;
};

// Every preset, in a stable order.
QList<Preset> all();
// A client frame masked with the one key every preset and conformance case uses, so that their
// bytes are the same on every run and two captures compare byte for byte (a probe is not traffic a
// proxy could cache, which is what RFC 6455 §5.3's unpredictable keys are for).
FrameSpec maskedFrame(quint8 opcode, const QByteArray &payload = {}, bool fin = true, quint8 rsv = 0);
constexpr quint32 MaskingKey = 0x37fa213d;
// nullptr-free lookup: an empty Preset (id empty) when unknown.
Preset byId(const QString &id);

} // namespace ProbePresets
