#pragma once

#include "decode/decoded.h"
#include "send/snippetstore.h"

#include <QList>
#include <QString>

// The composer's Templates menu: for each protocol on top of WebSocket, the messages a person
// starts from, each in the mode that sends it right (a STOMP frame gets its NUL, an MQTT packet is
// encoded from its fields, JSON is checked). The messages are the decoders' own templates, as the
// protocols' usual libraries write them, so what the composer sends the log decodes.
namespace ProtocolTemplates {

struct Template {
    QString name; // "SUBSCRIBE", "call"
    ComposerMode mode;
    QString text; // the editor's text in that mode
};

struct Group {
    Decode::Protocol protocol;
    QString title; // the menu's name for it: "MQTT 5", else the protocol's name
    QList<Template> templates;
};

// Socket.IO, STOMP, SockJS (STOMP inside), MQTT 3.1.1, MQTT 5, JSON-RPC, graphql-transport-ws,
// graphql-ws, WAMP.
QList<Group> all();

} // namespace ProtocolTemplates
