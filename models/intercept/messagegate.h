#pragma once

#include "intercept/messagerules.h"
#include "log/interceptnote.h"
#include "log/wireevent.h"

#include <QByteArray>
#include <functional>
#include <memory>

struct ParsedFrame;

// One direction of a relay when its messages may be changed (match and replace rules): instead of
// forwarding bytes as they are read, the relay forwards them frame by frame once parsed. Control
// frames go on at once, as they came. A data message goes on when its last frame has arrived:
// unchanged, as the exact frames that came; changed by a rule, as one new frame (masked toward the
// server) recorded as an outgoing frame of the other leg, with an intercept note naming the rules.
//
// Its relay leg feeds it: begin() with each read's bytes before parsing them, frame() for each
// frame parsed from them, then end(). When the sender breaks a rule of RFC 6455, or the parser
// stops, the gate steps aside: what it held and everything after passes as it came, so the peers
// meet each other's real behaviour as on any relay.
class MessageGate {
public:
    using Writer = std::function<void(QByteArrayView bytes)>;
    using Recorder = std::function<void(WireEvent &event)>;
    // `from`: the leg whose peer sends these messages. `record` gets outgoing frames (on the other
    // leg) and intercept notes (on `from`).
    MessageGate(Leg from, std::shared_ptr<const MessageRules> rules, Writer write, Recorder record);

    void begin(QByteArrayView bytes);
    void frame(const ParsedFrame &frame, quint32 messageId);
    // A violation was found in the frame about to be delivered (or the parser stopped).
    void stepAside(const QString &why);
    void end();
    // The connection ended: a message still incomplete was never delivered.
    void finish();

    bool isPassingThrough() const { return m_passThrough; }
    bool towardServer() const { return m_from == Leg::App; }

private:
    void deliver(quint32 messageId);
    void note(InterceptNote::Action action, quint32 messageId, const QList<int> &rules, const QString &detail);
    QByteArrayView take(qsizetype size);

    Leg m_from;
    std::shared_ptr<const MessageRules> m_rules;
    Writer m_write;
    Recorder m_record;
    bool m_passThrough = false;

    QByteArray m_unparsed; // bytes read and not yet taken by a frame
    qsizetype m_taken = 0; // of m_unparsed
    // The data message being collected: its frames' exact bytes, its payload, its first header.
    QByteArray m_messageWire;
    QByteArray m_messagePayload;
    quint8 m_opcode = 0;
    quint8 m_rsv = 0;
    int m_frames = 0;
    quint32 m_messageId = 0;
};
