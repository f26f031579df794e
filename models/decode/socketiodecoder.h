#pragma once

#include "decode/decoder.h"

// Socket.IO v4 over Engine.IO v4's websocket transport, as a connection carries it: each text
// message is an Engine.IO packet, whose `message` packets carry Socket.IO packets. A binary event
// or binary ack announces attachments that follow as binary messages of their own, from the same
// sender: the decoder keeps count of them (its state) and names each for the packet it belongs to.
// A binary message that no packet announced is an Engine.IO binary message.
//
// Pairs: an event with an ack id and its ack ("ack /chat 3"); a connect to a namespace and the
// server's connect or connect error ("connect /chat"); an Engine.IO ping and its pong.
class SocketIoDecoder : public Decoder {
public:
    Decode::Protocol protocol() const override { return Decode::Protocol::SocketIo; }
    Decode::Decoded decode(Decode::Sender sender, bool binary, QByteArrayView payload) override;
    QList<Decode::Correlation> track(Decode::Sender sender, bool binary, QByteArrayView payload) override;
    QByteArray state(Decode::Sender sender) const override;
    void setState(Decode::Sender sender, const QByteArray &state) override;

private:
    // Attachments still to come from one sender, and the packet they belong to.
    struct Pending {
        int total = 0;
        int received = 0;
        QString owner; // the packet's summary, for the attachments' own
    };
    Pending m_pending[2];
    Decode::Unit attachment(Pending &pending, QByteArrayView payload);
    static Decode::Unit engineUnit(Decode::Sender sender, QByteArrayView payload, Pending &pending);
};
