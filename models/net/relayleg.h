#pragma once

#include "log/wireevent.h"
#include "protocol/frameparser.h"
#include "protocol/messagenumbering.h"

#include <functional>

class MessageGate;

// What the inspector sees of one leg of a relay: the frames one peer sends, parsed as that peer's
// counterpart would parse them (the application's frames in the server role, so they must be
// masked; the server's in the client role), recorded as incoming events of that leg. It only
// watches: the relay forwards the bytes themselves, valid or not, before they are parsed here.
class RelayLeg : private FrameParserHandler {
public:
    using Recorder = std::function<void(WireEvent &)>;
    RelayLeg(Leg leg, FrameParser::Role role, Recorder record);

    Leg leg() const { return m_leg; }
    void setLimits(const FrameParser::Limits &limits) { m_parser.setLimits(limits); }
    // permessage-deflate as agreed in the handshake the relay passed on; `senderNoContextTakeover`:
    // the peer whose frames this leg parses resets its window for every message.
    void setPerMessageDeflate(bool senderNoContextTakeover);

    // When set, the leg hands every frame it parses to `gate`, which forwards it (DESIGN.md:
    // intercept); the relay then does not forward this leg's bytes itself.
    void setGate(MessageGate *gate) { m_gate = gate; }
    MessageGate *gate() const { return m_gate; }

    // Bytes the peer sent, in order. Events are stamped with `readTimeUs`, frames also with how long
    // the relay took to hand them on (WireEvent::relayDelayUs).
    void observe(QByteArrayView bytes, qint64 readTimeUs, qint32 relayDelayUs = WireEvent::NotRelayed);

    // Framing was lost or a frame went over the limits: nothing more of this leg can be shown,
    // though the relay keeps forwarding it.
    bool inspectionStopped() const { return m_parser.isStopped(); }
    qsizetype pendingBytes() const { return m_parser.pendingBytes(); }

    // The peer's close frame, once one went by (`closeCode` 0 when it carried no code).
    bool closeFrameSeen() const { return m_closeSeen; }
    quint16 closeCode() const { return m_closeCode; }
    QByteArray closeReason() const { return m_closeReason; }

private:
    void onFrame(const ParsedFrame &frame) override;
    void onMessage(quint8 opcode, QByteArrayView payload, int fragments) override;
    void onViolation(const Violation &violation, QByteArrayView headerBytes) override;
    void recordViolation(ViolationRule rule, quint16 closeCode, const QString &description, QByteArrayView headerBytes);

    Leg m_leg;
    Recorder m_record;
    MessageGate *m_gate = nullptr;
    FrameParser m_parser;
    MessageNumbering m_messages;
    qint32 m_relayDelayUs = WireEvent::NotRelayed;
    qint64 m_readTimeUs = 0;
    bool m_closeSeen = false;
    quint16 m_closeCode = 0;
    QByteArray m_closeReason;
};
