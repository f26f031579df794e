#include "decode/socketiodecoder.h"

#include "decode/socketiopacket.h"
#include "text/displaytext.h"
#include "text/sizeformat.h"

#include <QCoreApplication>
#include <QDataStream>
#include <QIODevice>
#include <QJsonDocument>
#include <QJsonObject>

namespace {

struct Tr {
    Q_DECLARE_TR_FUNCTIONS(SocketIoDecoder)
};

using namespace Decode;

int slot(Sender sender)
{
    return sender == Sender::Server ? 1 : 0;
}

QString seconds(const QJsonValue &ms)
{
    return ms.isDouble() ? Tr::tr("%1 s").arg(ms.toDouble() / 1000.0) : QStringLiteral("?");
}

Unit openUnit(const QByteArray &data)
{
    Unit u;
    u.type = QStringLiteral("open");
    u.fields << Field(Tr::tr("Engine.IO packet"), Tr::tr("open (0)"));
    u.fields << jsonFields(data);
    const QJsonObject o = QJsonDocument::fromJson(data).object();
    if (o.isEmpty()) {
        u.summary = Tr::tr("open");
        u.error = Tr::tr("the open packet carries no JSON object with the session's settings");
        return u;
    }
    u.summary = Tr::tr("open sid %1, ping every %2, timeout %3")
                    .arg(DisplayText::quoted(o.value(QStringLiteral("sid")).toString().toUtf8(), 40),
                         seconds(o.value(QStringLiteral("pingInterval"))), seconds(o.value(QStringLiteral("pingTimeout"))));
    return u;
}

QByteArray namespaceKey(const QByteArray &nsp)
{
    return nsp.isEmpty() ? QByteArrayLiteral("/") : nsp;
}

} // namespace

Unit SocketIoDecoder::engineUnit(Sender sender, QByteArrayView payload, Pending &pending)
{
    Unit u;
    QString why;
    const auto engine = SocketIo::parseEngine(payload, &why);
    if (!engine) {
        u.type = QStringLiteral("invalid");
        u.summary = DisplayText::line(payload, 60);
        u.error = why;
        return u;
    }
    using EType = SocketIo::EnginePacket::Type;
    const QString engineType = SocketIo::typeName(engine->type);
    switch (engine->type) {
    case EType::Open:
        return openUnit(engine->data);
    case EType::Ping:
    case EType::Pong: {
        u.type = engineType;
        u.summary = engine->data.isEmpty() ? engineType : engineType + QLatin1Char(' ') + DisplayText::quoted(engine->data, 40);
        u.fields << Field(Tr::tr("Engine.IO packet"), QStringLiteral("%1 (%2)").arg(engineType).arg(int(engine->type)));
        if (!engine->data.isEmpty())
            u.fields << Field(Tr::tr("data"), QString::fromUtf8(engine->data));
        // Engine.IO v4: the server pings and the client answers; "probe" pings belong to the
        // transport upgrade. Either way the pong answers the ping of the other side.
        u.correlations << Correlation { engine->type == EType::Ping ? Correlation::Role::Request : Correlation::Role::Answer,
                                        engine->data.isEmpty() ? QByteArrayLiteral("eio ping") : QByteArrayLiteral("eio ping ") + engine->data };
        return u;
    }
    case EType::Close:
    case EType::Upgrade:
    case EType::Noop:
        u.type = engineType;
        u.summary = engineType;
        u.fields << Field(Tr::tr("Engine.IO packet"), QStringLiteral("%1 (%2)").arg(engineType).arg(int(engine->type)));
        if (!engine->data.isEmpty())
            u.error = Tr::tr("an Engine.IO %1 packet carries no data, but %2 follows")
                          .arg(engineType, SizeFormat::bytes(quint64(engine->data.size())));
        return u;
    case EType::Message:
        break;
    }

    const auto packet = SocketIo::parse(engine->data, &why);
    if (!packet) {
        u.type = QStringLiteral("message");
        u.summary = Tr::tr("message %1").arg(DisplayText::line(engine->data, 60));
        u.fields << Field(Tr::tr("Engine.IO packet"), Tr::tr("message (4)"));
        u.fields << Field(Tr::tr("data"), QString::fromUtf8(engine->data));
        u.error = why;
        return u;
    }
    using PType = SocketIo::Packet::Type;
    u.type = SocketIo::typeName(packet->type);
    u.summary = SocketIo::summary(*packet);
    u.fields << Field(Tr::tr("Engine.IO packet"), Tr::tr("message (4)"));
    u.fields << Field(Tr::tr("Socket.IO packet"), QStringLiteral("%1 (%2)").arg(u.type).arg(int(packet->type)));
    u.fields << Field(Tr::tr("namespace"), QString::fromUtf8(packet->nsp));
    if (packet->ackId)
        u.fields << Field(Tr::tr("ack id"), QString::number(*packet->ackId));
    if (packet->type == PType::BinaryEvent || packet->type == PType::BinaryAck)
        u.fields << Field(Tr::tr("attachments"), QString::number(packet->attachments));
    if (packet->type == PType::Event || packet->type == PType::BinaryEvent) {
        u.fields << Field(Tr::tr("event"), packet->eventName);
        u.fields << Field(Tr::tr("arguments"), packet->eventArguments, validJsonFields(packet->eventArguments));
    } else if (!packet->data.isEmpty()) {
        u.fields << Field(Tr::tr("data"), QString::fromUtf8(packet->data), validJsonFields(packet->compact));
    }

    const QByteArray nsp = namespaceKey(packet->nsp);
    switch (packet->type) {
    case PType::Event:
    case PType::BinaryEvent:
        if (packet->ackId)
            u.correlations << Correlation { Correlation::Role::Request, QByteArrayLiteral("ack ") + nsp + ' ' + QByteArray::number(*packet->ackId) };
        break;
    case PType::Ack:
    case PType::BinaryAck:
        if (packet->ackId)
            u.correlations << Correlation { Correlation::Role::Answer, QByteArrayLiteral("ack ") + nsp + ' ' + QByteArray::number(*packet->ackId) };
        break;
    case PType::Connect:
        // The client asks to join; the server's connect (with the socket's id) lets it in.
        u.correlations << Correlation { sender == Sender::Client ? Correlation::Role::Request : Correlation::Role::Answer,
                                        QByteArrayLiteral("connect ") + nsp };
        break;
    case PType::ConnectError:
        u.correlations << Correlation { Correlation::Role::Answer, QByteArrayLiteral("connect ") + nsp };
        break;
    case PType::Disconnect:
        break;
    }
    if (packet->attachments > 0) {
        pending.total = packet->attachments;
        pending.received = 0;
        pending.owner = u.summary;
    }
    return u;
}

Unit SocketIoDecoder::attachment(Pending &pending, QByteArrayView payload)
{
    ++pending.received;
    Unit u;
    u.type = QStringLiteral("attachment");
    u.summary = Tr::tr("attachment %1 of %2, %3, of %4")
                    .arg(pending.received)
                    .arg(pending.total)
                    .arg(SizeFormat::bytes(quint64(payload.size())), pending.owner);
    u.fields << Field(Tr::tr("attachment"), Tr::tr("%1 of %2").arg(pending.received).arg(pending.total));
    u.fields << Field(Tr::tr("of the packet"), pending.owner);
    u.fields << Field(Tr::tr("data"), textOrHex(payload));
    if (pending.received >= pending.total)
        pending = {};
    return u;
}

Decoded SocketIoDecoder::decode(Sender sender, bool binary, QByteArrayView payload)
{
    Decoded d;
    d.protocol = Decode::Protocol::SocketIo;
    Pending &pending = m_pending[slot(sender)];
    if (binary) {
        if (pending.total > 0) {
            d.units << attachment(pending, payload);
        } else {
            Unit u;
            u.type = QStringLiteral("binary message");
            u.summary = Tr::tr("binary message, %1").arg(SizeFormat::bytes(quint64(payload.size())));
            u.fields << Field(Tr::tr("Engine.IO packet"), Tr::tr("message (binary frame)"));
            u.fields << Field(Tr::tr("data"), textOrHex(payload));
            d.units << u;
        }
        return d;
    }
    if (pending.total > 0) {
        // socket.io sends a packet's attachments right after it; a text packet in between means
        // they never came.
        Unit missing;
        missing.type = QStringLiteral("missing attachments");
        missing.summary = Tr::tr("%1 of %2 attachments missing").arg(pending.total - pending.received).arg(pending.total);
        missing.error = Tr::tr("%1 announced %2 binary attachments, but a text message came after %3 of them")
                            .arg(pending.owner)
                            .arg(pending.total)
                            .arg(pending.received);
        d.units << missing;
        pending = {};
    }
    d.units << engineUnit(sender, payload, pending);
    return d;
}

QList<Correlation> SocketIoDecoder::track(Sender sender, bool binary, QByteArrayView payload)
{
    // Nearly every message of a busy connection is an event without an ack id: it pairs with
    // nothing and changes no state, valid or not, so its JSON need not be read. Anything else
    // (acks, connects, pings, binary packets and their attachments) is decoded in full.
    if (!binary && m_pending[slot(sender)].total == 0 && payload.startsWith("42")) {
        qsizetype at = 2;
        if (at < payload.size() && payload[at] == '/') {
            const qsizetype comma = payload.indexOf(',', at);
            at = comma < 0 ? payload.size() : comma + 1;
        }
        if (at >= payload.size() || payload[at] < '0' || payload[at] > '9')
            return {};
    }
    return decode(sender, binary, payload).correlations();
}

QByteArray SocketIoDecoder::state(Sender sender) const
{
    const Pending &p = m_pending[slot(sender)];
    if (p.total == 0)
        return {};
    QByteArray out;
    QDataStream s(&out, QIODevice::WriteOnly);
    s << qint32(p.total) << qint32(p.received) << p.owner;
    return out;
}

void SocketIoDecoder::setState(Sender sender, const QByteArray &state)
{
    Pending &p = m_pending[slot(sender)];
    p = {};
    if (state.isEmpty())
        return;
    QDataStream s(state);
    qint32 total = 0;
    qint32 received = 0;
    s >> total >> received >> p.owner;
    if (s.status() != QDataStream::Ok || total <= 0 || received < 0 || received >= total) {
        p = {};
        return;
    }
    p.total = total;
    p.received = received;
}
