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

// The subprotocol and the request target out of a recorded handshake's bytes, then
// fromHandshake(). Either may be empty (not recorded, or not parsed).
Detection fromHandshakeBytes(QByteArrayView request, QByteArrayView response);

// One conversation's search for its protocol: the handshake first, then up to ContentMessages
// data messages. Shared by the window's log and the command line, so both find the same.
class Search {
public:
    // True when this found the protocol (it was not known before).
    bool handshake(QByteArrayView request, QByteArrayView response);
    bool message(Decode::Sender sender, bool binary, QByteArrayView payload);
    bool isDone() const { return m_found.protocol != Decode::Protocol::None || m_looks >= ContentMessages; }
    bool handshakeSeen() const { return m_handshakeSeen; }
    const Detection &found() const { return m_found; }
    // Looks again at messages (a log decoding anew), keeping what the handshake said.
    void forgetMessages()
    {
        if (!m_fromHandshake)
            m_found = {};
        m_looks = 0;
    }

private:
    Detection m_found;
    bool m_handshakeSeen = false;
    bool m_fromHandshake = false;
    int m_looks = 0;
};

} // namespace ProtocolDetector
