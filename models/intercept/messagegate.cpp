#include "intercept/messagegate.h"

#include "log/eventtime.h"
#include "protocol/framewriter.h"
#include "protocol/frameparser.h"
#include "text/sizeformat.h"

#include <QCoreApplication>

#include <algorithm>

namespace {
struct Tr {
    Q_DECLARE_TR_FUNCTIONS(MessageGate)
};
} // namespace

MessageGate::MessageGate(Leg from, std::shared_ptr<const MessageRules> rules, Writer write, Recorder record)
    : m_from(from)
    , m_rules(std::move(rules))
    , m_write(std::move(write))
    , m_record(std::move(record))
{
}

void MessageGate::begin(QByteArrayView bytes)
{
    if (m_passThrough) {
        m_write(bytes);
        return;
    }
    m_unparsed.append(bytes.data(), bytes.size());
    m_reading = true;
}

void MessageGate::out(QByteArrayView bytes)
{
    // While a read is parsed, what goes on is written once at its end: one socket write per read,
    // as on a relay without a gate, rather than one per message.
    if (m_reading)
        m_outgoing.append(bytes.data(), bytes.size());
    else
        m_write(bytes);
}

QByteArrayView MessageGate::take(qsizetype size)
{
    const QByteArrayView bytes = QByteArrayView(m_unparsed).sliced(m_taken, size);
    m_taken += size;
    return bytes;
}

void MessageGate::frame(const ParsedFrame &frame, quint32 messageId)
{
    if (m_passThrough)
        return;
    const QByteArrayView wire = take(frame.headerBytes.size() + frame.payload.size());
    const quint8 opcode = frame.header.opcode;
    if (Opcode::isControl(opcode)) {
        // Control frames may come between a message's fragments (RFC 6455 §5.4): they go on now,
        // unless the user holds them too.
        // A close frame never overtakes held messages: nothing may follow it on the wire.
        const bool behindHeld = opcode == Opcode::Close
            && std::any_of(m_held.begin(), m_held.end(), [](const Held &h) { return !Opcode::isControl(h.opcode); });
        if ((m_holding && m_holdControl) || behindHeld) {
            Held held;
            held.opcode = opcode;
            held.rsv = frame.header.rsv;
            held.wire = wire.toByteArray();
            held.payload = frame.payload.toByteArray();
            hold(std::move(held));
        } else {
            out(wire);
        }
        return;
    }
    if (m_holding && m_perFrame && m_frames == 0) {
        Held held;
        held.messageId = messageId;
        held.opcode = opcode;
        held.rsv = frame.header.rsv;
        held.fin = frame.header.fin;
        held.wire = wire.toByteArray();
        held.payload = frame.payload.toByteArray();
        hold(std::move(held));
        return;
    }
    if (m_frames == 0) {
        m_opcode = opcode;
        m_rsv = frame.header.rsv;
        m_messageId = messageId;
    }
    ++m_frames;
    m_messageWire.append(wire.data(), wire.size());
    m_messagePayload.append(frame.payload.data(), frame.payload.size());
    if (frame.header.fin)
        complete(messageId);
}

void MessageGate::complete(quint32 messageId)
{
    const MessageRules::Result result = m_rules ? m_rules->apply(towardServer(), m_opcode, m_messagePayload)
                                                : MessageRules::Result { m_messagePayload, {} };
    if (!m_holding && !result.changed()) {
        // The common case: on as it came, nothing to keep.
        out(m_messageWire);
        m_messageWire.clear();
        m_messagePayload.clear();
        m_frames = 0;
        return;
    }
    Held message;
    message.messageId = messageId;
    message.opcode = m_opcode;
    message.rsv = m_rsv;
    message.wire = std::exchange(m_messageWire, {});
    message.payload = result.payload;
    message.rules = result.applied;
    const qsizetype originalSize = m_messagePayload.size();
    m_messagePayload.clear();
    m_frames = 0;
    if (!message.rules.isEmpty()) {
        QStringList rules;
        for (int number : message.rules)
            rules << m_rules->at(number - 1).describe();
        note(InterceptNote::Action::Edited, messageId, message.rules,
            Tr::tr("%1 \u2192 %2 by %3")
                .arg(SizeFormat::bytes(quint64(originalSize)), SizeFormat::bytes(quint64(message.payload.size())),
                    rules.join(QStringLiteral(", "))));
    }
    if (m_holding)
        hold(std::move(message));
    else
        send(message, std::nullopt);
}

void MessageGate::hold(Held held)
{
    held.hold = m_nextHold++;
    held.sinceUs = EventTime::nowUs();
    const QString what = held.fin ? Tr::tr("%1 of %2, until forwarded or dropped")
                                  : Tr::tr("%1 frame of %2 (more of its message to come), until forwarded or dropped");
    note(InterceptNote::Action::Held, held.messageId, held.rules,
        what.arg(Opcode::name(held.opcode), SizeFormat::bytes(quint64(held.payload.size()))), &held);
    m_held.push_back(std::move(held));
}

void MessageGate::send(const Held &message, const std::optional<QByteArray> &edited)
{
    if (edited && *edited != message.payload) {
        writeFrame(message.opcode, message.rsv, *edited, message.messageId, message.fin);
    } else if (!message.rules.isEmpty()) {
        writeFrame(message.opcode, message.rsv, message.payload, message.messageId);
    } else {
        out(message.wire);
    }
}

void MessageGate::writeFrame(quint8 opcode, quint8 rsv, const QByteArray &payload, quint32 messageId, bool fin)
{
    FrameSpec spec;
    spec.fin = fin;
    spec.opcode = opcode;
    spec.rsv = rsv;
    spec.mask = towardServer();
    spec.payload = payload;
    const EncodedFrame encoded = FrameWriter::encode(spec);
    out(encoded.bytes);

    WireEvent e = outgoingFrameEvent(encoded, spec.payload);
    e.leg = m_from == Leg::App ? Leg::Server : Leg::App;
    e.timeUs = EventTime::nowUs();
    e.messageId = messageId;
    m_record(e);
}

void MessageGate::setHolding(bool holding, bool controlFrames, bool perFrame)
{
    m_holding = holding;
    m_holdControl = controlFrames;
    m_perFrame = perFrame;
    if (!holding)
        forwardAll();
}

qint64 MessageGate::heldBytes() const
{
    // Not the message being collected: it must be read whole before anyone can decide on it (the
    // parser's message limit bounds it).
    qint64 bytes = 0;
    for (const Held &h : m_held)
        bytes += h.wire.size();
    return bytes;
}

bool MessageGate::forward(quint32 hold, const std::optional<QByteArray> &edited)
{
    const auto it = std::find_if(m_held.begin(), m_held.end(), [hold](const Held &h) { return h.hold == hold; });
    if (it == m_held.end())
        return false;
    const Held message = std::move(*it);
    m_held.erase(it);
    const QString held = Tr::tr("held %1 ms").arg((EventTime::nowUs() - message.sinceUs) / 1000);
    if (edited && *edited != message.payload) {
        note(InterceptNote::Action::Edited, message.messageId, {},
            Tr::tr("by hand, %1 \u2192 %2; %3")
                .arg(SizeFormat::bytes(quint64(message.payload.size())), SizeFormat::bytes(quint64(edited->size())), held),
            &message);
    } else {
        note(InterceptNote::Action::Forwarded, message.messageId, {}, held, &message);
    }
    send(message, edited);
    return true;
}

bool MessageGate::drop(quint32 hold)
{
    const auto it = std::find_if(m_held.begin(), m_held.end(), [hold](const Held &h) { return h.hold == hold; });
    if (it == m_held.end())
        return false;
    const Held message = std::move(*it);
    m_held.erase(it);
    note(InterceptNote::Action::Dropped, message.messageId, {},
        Tr::tr("%1 of %2, held %3 ms; never delivered")
            .arg(Opcode::name(message.opcode), SizeFormat::bytes(quint64(message.payload.size())))
            .arg((EventTime::nowUs() - message.sinceUs) / 1000),
        &message);
    return true;
}

void MessageGate::forwardAll()
{
    while (!m_held.empty())
        forward(m_held.front().hold);
}

void MessageGate::inject(const FrameSpec &frame)
{
    const EncodedFrame encoded = FrameWriter::encode(frame);
    out(encoded.bytes);
    WireEvent e = outgoingFrameEvent(encoded, frame.payload);
    e.leg = m_from == Leg::App ? Leg::Server : Leg::App;
    e.timeUs = EventTime::nowUs();
    m_record(e);
    note(InterceptNote::Action::Injected, 0, {},
        Tr::tr("%1 of %2 toward the %3")
            .arg(Opcode::name(frame.opcode), SizeFormat::bytes(quint64(frame.payload.size())),
                towardServer() ? Tr::tr("server") : Tr::tr("application")));
}

void MessageGate::stepAside(const QString &why)
{
    if (m_passThrough)
        return;
    // What waits goes first, as it is: from here on, the sender's bytes pass as they came.
    forwardAll();
    m_holding = false;
    m_passThrough = true;
    // In the order they came: the message collected so far, then everything not yet taken.
    const QByteArray held = m_messageWire + QByteArrayView(m_unparsed).sliced(m_taken).toByteArray();
    if (m_frames > 0)
        note(InterceptNote::Action::Forwarded, m_messageId, {},
            Tr::tr("passed on unchanged: %1; rules no longer apply in this direction").arg(why));
    else
        note(InterceptNote::Action::Forwarded, 0, {},
            Tr::tr("rules no longer apply in this direction: %1").arg(why));
    m_messageWire.clear();
    m_messagePayload.clear();
    m_frames = 0;
    m_unparsed.clear();
    m_taken = 0;
    if (!held.isEmpty())
        out(held);
}

void MessageGate::end()
{
    m_reading = false;
    if (!m_outgoing.isEmpty()) {
        m_write(m_outgoing);
        m_outgoing.clear();
    }
    if (m_passThrough)
        return;
    // Keep only what no frame has taken yet: the start of a frame still arriving.
    m_unparsed.remove(0, m_taken);
    m_taken = 0;
}

void MessageGate::finish()
{
    for (const Held &message : m_held)
        note(InterceptNote::Action::Undelivered, message.messageId, message.rules,
            Tr::tr("held %1 ms; the connection ended before it was forwarded")
                .arg((EventTime::nowUs() - message.sinceUs) / 1000),
            &message);
    m_held.clear();
    if (m_passThrough || m_frames == 0)
        return;
    note(InterceptNote::Action::Undelivered, m_messageId, {},
        Tr::tr("the connection ended after %n of its frames; its last frame never came", nullptr, m_frames));
    m_frames = 0;
}

void MessageGate::note(
    InterceptNote::Action action, quint32 messageId, const QList<int> &rules, const QString &detail, const Held *held)
{
    InterceptNote n = InterceptNote::make(action, messageId, detail, rules);
    if (held) {
        n.hold = held->hold;
        n.opcode = held->opcode;
        n.fin = held->fin;
        n.payload = held->payload;
    }
    const QByteArray json = n.toJson();
    WireEvent e;
    e.kind = EventKind::Intercept;
    e.leg = m_from;
    e.direction = Direction::Local;
    e.timeUs = EventTime::nowUs();
    e.payload = json;
    m_record(e);
}
