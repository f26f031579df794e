#pragma once

// The Learn dock's explanations of the protocols that travel inside WebSocket messages (Socket.IO,
// SockJS, STOMP, MQTT, JSON-RPC, GraphQL, WAMP), and of how the inspector finds and decodes them.
// Longer than a glossary topic (a few short paragraphs each, not two to five sentences) and tied to
// a Decode::Protocol, so that the Learn dock can put the connection's own messages beside the note
// of the protocol they speak (ProtocolExamples). Plain text, free of Widgets.

#include "decode/decoded.h"

#include <QLatin1String>
#include <QList>
#include <QString>
#include <QStringList>

struct ProtocolNote {
    QString id; // "protocol-stomp"
    // The protocol it explains; None for the overview. Both GraphQL protocols share one note, whose
    // protocol is GraphQlTransportWs (noteFor() maps either to it).
    Decode::Protocol protocol = Decode::Protocol::None;
    QString name; // "STOMP", "GraphQL": how a sentence names it; empty for the overview
    QString title;
    QStringList paragraphs; // short paragraphs, in reading order
    QString reference; // where it is specified
    QString inCode; // one line: what a program writes to make such messages

    bool isValid() const { return !id.isEmpty(); }
};

namespace ProtocolNotes {

// Note ids, distinct from the glossary's topic ids so that one Learn list can hold both.
inline constexpr QLatin1String Overview("protocols-on-top");
inline constexpr QLatin1String SocketIo("protocol-socketio");
inline constexpr QLatin1String SockJs("protocol-sockjs");
inline constexpr QLatin1String Stomp("protocol-stomp");
inline constexpr QLatin1String Mqtt("protocol-mqtt");
inline constexpr QLatin1String JsonRpc("protocol-jsonrpc");
inline constexpr QLatin1String GraphQl("protocol-graphql");
inline constexpr QLatin1String Wamp("protocol-wamp");

// Every note in reading order, the overview first.
QList<ProtocolNote> notes();
QStringList noteIds();
// The note for `id`, or an invalid one.
ProtocolNote note(const QString &id);

// The id of the note that explains `protocol`; empty for None.
QString noteFor(Decode::Protocol protocol);

// One sentence on what a decoded unit of `type` (Decode::Unit::type: "event", "SEND", "PUBLISH",
// "subscribe", "HELLO" ...) is in `protocol`, for the examples taken from a connection; empty for a
// type without one (an error, a type the decoders may add later).
QString unitNote(Decode::Protocol protocol, const QString &type);

} // namespace ProtocolNotes
