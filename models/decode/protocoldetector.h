#pragma once

#include "decode/decoded.h"

#include <QString>

// Which protocol on top a connection speaks, from what is known first: the subprotocol the server
// agreed to (Sec-WebSocket-Protocol), then the URL the client asked for, then the content of the
// first messages. Each answer says how it was found, for the log and the connection's tooltip.
namespace ProtocolDetector {

struct Detection {
    Decode::Protocol protocol = Decode::Protocol::None;
    QString reason; // "the subprotocol v12.stomp", "the URL /socket.io/?EIO=4...", "the first message"
};

// `subprotocol`: the agreed one (may be empty); `target`: the request's path and query as sent.
Detection fromHandshake(QByteArrayView subprotocol, QByteArrayView target);
Decode::Protocol fromSubprotocol(QByteArrayView subprotocol);
// A message, in the order they came: a protocol whose opening message this is, or None.
Detection fromContent(Decode::Sender sender, bool binary, QByteArrayView payload);
// How many data messages content detection looks at before it gives up.
constexpr int ContentMessages = 8;

} // namespace ProtocolDetector
