#include "intercept/messagegate.h"

#include "log/eventtime.h"
#include "protocol/framewriter.h"
#include "protocol/frameparser.h"
#include "text/sizeformat.h"

#include <QCoreApplication>

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
        // Control frames may come between a message's fragments (RFC 6455 §5.4): they go on now.
        m_write(wire);
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
        deliver(messageId);
}

void MessageGate::deliver(quint32 messageId)
{
    const MessageRules::Result result = m_rules->apply(towardServer(), m_opcode, m_messagePayload);
    if (!result.changed()) {
        m_write(m_messageWire);
    } else {
        FrameSpec spec;
        spec.opcode = m_opcode;
        spec.rsv = m_rsv;
        spec.mask = towardServer();
        spec.payload = result.payload;
        const EncodedFrame encoded = FrameWriter::encode(spec);
        m_write(encoded.bytes);

        WireEvent e;
        e.kind = EventKind::Frame;
        e.leg = m_from == Leg::App ? Leg::Server : Leg::App;
        e.direction = Direction::Outgoing;
        e.timeUs = EventTime::nowUs();
        e.header = encoded.header();
        FrameHeader::decode(e.header, e.frame);
        e.payload = spec.payload;
        e.messageId = messageId;
        m_record(e);
        QStringList rules;
        for (int number : result.applied)
            rules << m_rules->at(number - 1).describe();
        note(InterceptNote::Action::Edited, messageId, result.applied,
            Tr::tr("%1 \u2192 %2 by %3")
                .arg(SizeFormat::bytes(quint64(m_messagePayload.size())),
                    SizeFormat::bytes(quint64(result.payload.size())), rules.join(QStringLiteral(", "))));
    }
    m_messageWire.clear();
    m_messagePayload.clear();
    m_frames = 0;
}

void MessageGate::stepAside(const QString &why)
{
    if (m_passThrough)
        return;
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
        m_write(held);
}

void MessageGate::end()
{
    if (m_passThrough)
        return;
    // Keep only what no frame has taken yet: the start of a frame still arriving.
    m_unparsed.remove(0, m_taken);
    m_taken = 0;
}

void MessageGate::finish()
{
    if (m_passThrough || m_frames == 0)
        return;
    note(InterceptNote::Action::Undelivered, m_messageId, {},
        Tr::tr("the connection ended after %n of its frames; its last frame never came", nullptr, m_frames));
    m_frames = 0;
}

void MessageGate::note(InterceptNote::Action action, quint32 messageId, const QList<int> &rules, const QString &detail)
{
    const InterceptNote n { action, messageId, rules, detail };
    const QByteArray json = n.toJson();
    WireEvent e;
    e.kind = EventKind::Intercept;
    e.leg = m_from;
    e.direction = Direction::Local;
    e.timeUs = EventTime::nowUs();
    e.payload = json;
    m_record(e);
}
