#include "log/livedecoding.h"

#include "log/protocoldecoding.h"

#include <QCoreApplication>

namespace {
struct Tr {
    Q_DECLARE_TR_FUNCTIONS(LiveDecoding)
};
} // namespace

struct LiveDecoding::Conversation {
    Decode::Protocol protocol = Decode::Protocol::None;
    QString reason;
    ProtocolDetector::Search search;
    std::unique_ptr<Decoder> decoder;
    QByteArray request; // the handshake, for the search
    // A fragmented data message being joined, per direction (in, out).
    QByteArray joined[2];
    bool joining[2] = { false, false };
    bool binary[2] = { false, false };
    bool tooLong[2] = { false, false };

    void start(Decode::Protocol p, const QString &why)
    {
        protocol = p;
        decoder = Decoder::create(p);
        reason = decoder || p == Decode::Protocol::None ? why : Tr::tr("%1, which cannot be decoded").arg(why);
    }
};

LiveDecoding::LiveDecoding(Decode::Choice choice)
    : m_choice(choice)
{
}

LiveDecoding::~LiveDecoding() = default;

LiveDecoding::Conversation &LiveDecoding::conversation(Leg leg)
{
    auto &c = m_conversations[ProtocolDecoding::conversationOf(leg)];
    if (!c) {
        c = std::make_unique<Conversation>();
        if (!m_choice.automatic)
            c->start(m_choice.protocol, Tr::tr("chosen by hand"));
    }
    return *c;
}

Decode::Protocol LiveDecoding::protocol(Leg leg) const
{
    const auto &c = m_conversations[ProtocolDecoding::conversationOf(leg)];
    return c && c->decoder ? c->protocol : Decode::Protocol::None;
}

QString LiveDecoding::reason(Leg leg) const
{
    const auto &c = m_conversations[ProtocolDecoding::conversationOf(leg)];
    return c ? c->reason : QString();
}

Decode::Decoded LiveDecoding::take(const WireEvent &event)
{
    if (event.direction == Direction::Local || (!m_choice.automatic && m_choice.protocol == Decode::Protocol::None))
        return {};
    Conversation &c = conversation(event.leg);
    if (event.kind == EventKind::HandshakeRequest) {
        c.request = event.payload.toByteArray();
        return {};
    }
    if (event.kind == EventKind::HandshakeResponse) {
        if (m_choice.automatic && c.search.handshake(c.request, event.payload))
            c.start(c.search.found().protocol, c.search.found().reason);
        c.request.clear();
        return {};
    }
    if (event.kind != EventKind::Frame || Opcode::isControl(event.frame.opcode))
        return {};

    // Join the message's frames; a compressed message's final frame carries it whole, inflated.
    const int slot = event.direction == Direction::Outgoing ? 1 : 0;
    const quint8 opcode = event.frame.opcode;
    if (opcode == Opcode::Text || opcode == Opcode::Binary) {
        c.joined[slot].clear();
        c.joining[slot] = true;
        c.binary[slot] = opcode == Opcode::Binary;
        c.tooLong[slot] = false;
    } else if (opcode != Opcode::Continuation || !c.joining[slot]) {
        return {}; // a reserved opcode, or an orphan continuation
    }
    const bool whole = event.frame.fin && opcode != Opcode::Continuation && !event.compressed;
    if (!whole && !event.compressed && !c.tooLong[slot]) {
        if (c.joined[slot].size() + event.payload.size() > MaxJoinedBytes) {
            c.tooLong[slot] = true;
            c.joined[slot].clear();
        } else {
            c.joined[slot] += event.payload;
        }
    }
    if (!event.frame.fin)
        return {};
    c.joining[slot] = false;
    QByteArrayView payload;
    if (event.compressed) {
        if (!event.hasInflated)
            return {};
        payload = event.inflated;
    } else if (whole) {
        payload = event.payload;
    } else {
        if (c.tooLong[slot])
            return {};
        payload = c.joined[slot];
    }

    const Decode::Sender sender = ProtocolDecoding::senderOf(event);
    if (c.protocol == Decode::Protocol::None && m_choice.automatic && c.search.message(sender, c.binary[slot], payload))
        c.start(c.search.found().protocol, c.search.found().reason);
    if (!c.decoder)
        return {};
    Decode::Decoded decoded = c.decoder->decode(sender, c.binary[slot], payload);
    c.joined[slot].clear();
    return decoded;
}
