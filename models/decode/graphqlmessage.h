#pragma once

#include "decode/decoded.h"
#include "decode/jsonvalues.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QList>
#include <QString>

#include <optional>

// GraphQL over WebSocket, in both of its sub-protocols, one text message at a time:
// - `graphql-transport-ws` (Decode::Protocol::GraphQlTransportWs), the protocol of the graphql-ws
//   library (github.com/enisdenjo/graphql-ws, PROTOCOL.md): connection_init, connection_ack, ping,
//   pong, subscribe, next, error, complete;
// - `graphql-ws` (Decode::Protocol::GraphQlWs), the legacy protocol of Apollo's
//   subscriptions-transport-ws: connection_init, connection_ack, connection_error, ka, start, data,
//   error, complete, stop, connection_terminate.
// Each message is checked as the libraries check it (graphql-ws's validateMessage()), and against
// the direction its type may travel; a problem says what the receiving library does about it (the
// close code of graphql-transport-ws). What needs the history of the connection (a second
// connection_init) is the decoder's (GraphQlTransportWsDecoder).
namespace GraphQl {

struct Message {
    Decode::Protocol protocol = Decode::Protocol::GraphQlTransportWs;
    QString type; // as sent; empty when there is none or it is not a string
    bool known = false; // a type of the protocol
    QList<JsonValues::Member> members; // the message's members in the order sent
    std::optional<QString> id; // when it is a string
    std::optional<QByteArray> payload; // as sent
    // The operation a subscribe (or a legacy start) asks for, from its payload.
    std::optional<QString> query;
    std::optional<QString> operationName; // when it is a string
    QString problem; // the rule it breaks and what the receiver does; empty when valid
    bool ok() const { return problem.isEmpty(); }
};

// Who sends a type: nullopt when the protocol has no such type.
enum class Direction : quint8 { FromClient, FromServer, Both };
std::optional<Direction> direction(Decode::Protocol protocol, QStringView type);

// nullopt and a reason when `text` is not JSON, or JSON that is not an object. `protocol` is
// GraphQlTransportWs or GraphQlWs; `sender` decides which types are allowed.
std::optional<Message> parse(Decode::Protocol protocol, Decode::Sender sender, QByteArrayView text, QString *error = nullptr);

// One line: `subscribe 1 subscription OnMessage { messages { text } }` (the operation's name when
// given, else the query's first line, shortened), `next 1 {"data":{...}}`, `complete 1`,
// `connection_init`, `ka`; peer text by the display rule.
QString summary(const Message &message);

// What the receiving library does with a message that breaks the protocol, for the end of a problem:
// "a graphql-ws server closes the connection with 4400 Bad request".
QString rejection(Decode::Protocol protocol, Decode::Sender sender);

// graphql-transport-ws close codes (graphql-ws's CloseCode): 4400 Bad request (an invalid message),
// 4401 Unauthorized (subscribe before connection_ack), 4403 Forbidden (the server refused
// connection_init), 4406 Subprotocol not acceptable, 4408 Connection initialisation timeout (no
// connection_init in time), 4409 Subscriber already exists (subscribe with the id of an operation
// still running), 4429 Too many initialisation requests (a second connection_init), 4500 Internal
// server error, 4004 Bad response and 4005 Internal client error (the client's), 4504 Connection
// acknowledgement timeout. Empty for other codes.
QString closeCodeName(int code);

} // namespace GraphQl
