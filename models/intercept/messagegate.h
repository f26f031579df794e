#pragma once

#include "intercept/messagerules.h"
#include "log/interceptnote.h"
#include "log/wireevent.h"

#include "protocol/framewriter.h"

#include <QByteArray>
#include <optional>
#include <vector>
#include <functional>
#include <memory>

struct ParsedFrame;

// One direction of a relay when its messages may be changed (match and replace rules, intercept):
// instead of forwarding bytes as they are read, the relay forwards them frame by frame once parsed.
// Control frames go on at once, as they came. A data message goes on when its last frame has
// arrived: unchanged, as the exact frames that came; changed by a rule, as one new frame (masked
// toward the server) recorded as an outgoing frame of the other leg, with an intercept note naming
// the rules.
//
// While holding (Intercept on), each message (and each control frame, when asked) waits instead,
// recorded as a Held note carrying its payload, until forward() (as it is, or edited), drop() or
// forwardAll(); turning holding off forwards what waits. What still waits when the connection ends
// is recorded as not delivered, never lost silently.
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
    // The connection ended: a message still incomplete, or still held, was never delivered.
    void finish();

    // Intercept: hold every data message (and control frames when `controlFrames`) until decided;
    // `perFrame`: each data frame on its own instead of whole messages (rules, which need whole
    // messages, then apply to none of them).
    void setHolding(bool holding, bool controlFrames = false, bool perFrame = false);
    bool isHolding() const { return m_holding; }
    // The decisions on one held message, by its hold number (from its Held note). `edited`: the
    // payload to send instead. False when no such message waits.
    bool forward(quint32 hold, const std::optional<QByteArray> &edited = std::nullopt);
    bool drop(quint32 hold);
    void forwardAll();
    qsizetype heldCount() const { return qsizetype(m_held.size()); }
    // Bytes of the messages held here: the relay counts them against
    // its high-water mark, so that a sender is slowed down through TCP while the user decides.
    qint64 heldBytes() const;
    // A message of the inspector's own into this direction, between messages (a message being held
    // or collected is not cut): recorded as an outgoing frame of the other leg and an Injected note.
    void inject(const FrameSpec &frame);

    bool isPassingThrough() const { return m_passThrough; }
    bool towardServer() const { return m_from == Leg::App; }

private:
    struct Held {
        quint32 hold = 0;
        quint32 messageId = 0;
        quint8 opcode = 0;
        quint8 rsv = 0;
        bool fin = true; // false: a fragment held on its own, more of its message to come
        QByteArray wire; // the exact frames that came
        QByteArray payload; // as it would go on (after the rules)
        QList<int> rules; // the rules that changed it
        qint64 sinceUs = 0;
    };
    void complete(quint32 messageId);
    void hold(Held held);
    void send(const Held &message, const std::optional<QByteArray> &edited);
    void writeFrame(quint8 opcode, quint8 rsv, const QByteArray &payload, quint32 messageId, bool fin = true);
    void note(InterceptNote::Action action, quint32 messageId, const QList<int> &rules, const QString &detail,
        const Held *held = nullptr);
    QByteArrayView take(qsizetype size);
    void out(QByteArrayView bytes);

    Leg m_from;
    std::shared_ptr<const MessageRules> m_rules;
    Writer m_write;
    Recorder m_record;
    bool m_passThrough = false;
    bool m_holding = false;
    bool m_holdControl = false;
    bool m_perFrame = false;
    std::vector<Held> m_held; // in arrival order
    quint32 m_nextHold = 1;

    QByteArray m_unparsed; // bytes read and not yet taken by a frame
    bool m_reading = false; // between begin() and end()
    QByteArray m_outgoing; // what goes on, written at end()
    qsizetype m_taken = 0; // of m_unparsed
    // The data message being collected: its frames' exact bytes, its payload, its first header.
    QByteArray m_messageWire;
    QByteArray m_messagePayload;
    quint8 m_opcode = 0;
    quint8 m_rsv = 0;
    int m_frames = 0;
    quint32 m_messageId = 0;
};
