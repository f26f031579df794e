#pragma once

#include "decode/decoder.h"
#include "decode/stompframe.h"

// STOMP over WebSocket (v10.stomp, v11.stomp, v12.stomp), as a connection carries it.
//
// A message is read on its own: STOMP over WebSocket puts whole frames in each message (several
// may follow one another, with heart-beats between them), so most messages need nothing from the
// ones before. Two things carry over, per sender, and are the decoder's state:
// - the version the server's CONNECTED agreed, which decides the header escapes of every later
//   frame of both senders (1.0 has none, 1.1 \n \c \\, 1.2 adds \r). Before a CONNECTED is seen,
//   1.2's escapes are undone where a value has only those.
// - a frame split across messages. stomp.js does that with `splitLargeFrames` (for Spring, whose
//   server buffers the pieces): a frame longer than `maxWebSocketChunkSize` (8 KiB by default,
//   counted in UTF-16 code units) goes in consecutive text messages. A message that ends inside a
//   frame with a known command keeps its bytes until a message brings the NUL; a message that
//   starts with a new frame instead says the kept one never ended. The kept bytes are bounded by
//   `carryLimit`; a frame that grows past it is dropped with an error.
//
// Pairs: CONNECT/STOMP with CONNECTED; a client frame's `receipt` with the RECEIPT or ERROR that
// names it; a MESSAGE's `ack` with its ACK or NACK (Stomp::correlations()).
class StompDecoder : public Decoder {
public:
    static constexpr qsizetype DefaultCarryLimit = qsizetype(16) << 20;
    explicit StompDecoder(qsizetype carryLimit = DefaultCarryLimit);

    Decode::Protocol protocol() const override { return Decode::Protocol::Stomp; }
    Decode::Decoded decode(Decode::Sender sender, bool binary, QByteArrayView payload) override;
    // Empty until a CONNECTED is seen and while no frame is unfinished; then the version (one
    // byte), and for an unfinished frame the count of its pieces and its bytes.
    QByteArray state(Decode::Sender sender) const override;
    void setState(Decode::Sender sender, const QByteArray &state) override;

    // A frame from `sender` is unfinished: its next message continues it, whatever it looks like.
    bool carrying(Decode::Sender sender) const;
    Stomp::Version version(Decode::Sender sender) const;

private:
    struct Side {
        Stomp::Version version = Stomp::Version::Unknown;
        QByteArray carry; // the unfinished frame's bytes so far
        quint32 pieces = 0; // how many messages they came in
    };
    Side m_sides[2];
    qsizetype m_carryLimit;

    Decode::Unit unit(const Stomp::Item &item, Decode::Sender sender) const;
    Decode::Unit partialUnit(const Side &side, const Stomp::Item &head) const;
};
