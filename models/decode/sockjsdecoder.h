#pragma once

#include "decode/decoder.h"
#include "decode/stompdecoder.h"

// SockJS over its websocket transport, as a connection carries it: each text message is one SockJS
// frame (SockJs::parseServer/parseClient). The messages a frame carries are read in turn: as STOMP
// when one looks like a STOMP frame (a known command and a line end, or a heart-beat) or continues
// one that an earlier message left unfinished, else as JSON, else as text. Spring's STOMP over SockJS
// is the main use: the STOMP units are the frame unit's inner units (innerProtocol Stomp), with
// their correlations, and the STOMP state (the agreed version, a frame split across messages) is
// this decoder's state.
class SockJsDecoder : public Decoder {
public:
    explicit SockJsDecoder(qsizetype stompCarryLimit = StompDecoder::DefaultCarryLimit);

    Decode::Protocol protocol() const override { return Decode::Protocol::SockJs; }
    Decode::Decoded decode(Decode::Sender sender, bool binary, QByteArrayView payload) override;
    QByteArray state(Decode::Sender sender) const override;
    void setState(Decode::Sender sender, const QByteArray &state) override;

private:
    StompDecoder m_stomp;
};
