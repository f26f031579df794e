#include "decode/socketioclient.h"

#include "decode/socketiopacket.h"
#include "text/jsontext.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QUrlQuery>

namespace {
struct Tr {
    Q_DECLARE_TR_FUNCTIONS(SocketIoClient)
};

QByteArray namespacePrefix(QByteArrayView nsp)
{
    // socket.io writes the namespace, then a comma, only when it is not the main one.
    return nsp.isEmpty() || nsp == "/" ? QByteArray() : nsp.toByteArray() + ',';
}
// ["name",argument]: the name as a JSON string, escaped as JSON.stringify escapes it.
QByteArray eventArray(const QString &event, QByteArrayView argument)
{
    QByteArray array = '[' + QJsonDocument(QJsonArray { event }).toJson(QJsonDocument::Compact).chopped(1).sliced(1);
    if (!argument.isEmpty())
        array += ',' + JsonText::compact(QString::fromUtf8(argument)).toUtf8();
    return array + ']';
}

} // namespace

SocketIoClient::SocketIoClient()
    : SocketIoClient(Options())
{
}

SocketIoClient::SocketIoClient(Options options)
    : m_options(std::move(options))
{
    if (m_options.nsp.isEmpty())
        m_options.nsp = "/";
}

QUrl SocketIoClient::engineUrl(const QUrl &url)
{
    QUrl out = url;
    if (out.scheme() == QLatin1String("http"))
        out.setScheme(QStringLiteral("ws"));
    else if (out.scheme() == QLatin1String("https"))
        out.setScheme(QStringLiteral("wss"));
    if (out.path().isEmpty() || out.path() == QLatin1String("/"))
        out.setPath(QStringLiteral("/socket.io/"));
    QUrlQuery query(out);
    query.removeAllQueryItems(QStringLiteral("EIO"));
    query.removeAllQueryItems(QStringLiteral("transport"));
    query.addQueryItem(QStringLiteral("EIO"), QStringLiteral("4"));
    query.addQueryItem(QStringLiteral("transport"), QStringLiteral("websocket"));
    out.setQuery(query);
    return out;
}

QByteArray SocketIoClient::connectPacket() const
{
    // "40" + namespace + auth: socket.io-client's connect, Engine.IO message (4) of Socket.IO connect (0).
    return "40" + namespacePrefix(m_options.nsp) + m_options.auth;
}

QByteArray SocketIoClient::eventPacket(QByteArrayView nsp, const QString &event, QByteArrayView argument, std::optional<quint64> ackId)
{
    return arrayPacket(nsp, eventArray(event, argument), ackId);
}

QByteArray SocketIoClient::arrayPacket(QByteArrayView nsp, QByteArrayView array, std::optional<quint64> ackId)
{
    QByteArray out = "42" + namespacePrefix(nsp);
    if (ackId)
        out += QByteArray::number(*ackId);
    return out + JsonText::compact(QString::fromUtf8(array)).toUtf8();
}

QString SocketIoClient::arrayProblem(QByteArrayView array)
{
    const QString text = QString::fromUtf8(array);
    if (const auto problem = JsonText::check(text))
        return problem->message;
    const QJsonArray items = QJsonDocument::fromJson(array.toByteArray()).array();
    if (!text.trimmed().startsWith(QLatin1Char('[')) || items.isEmpty() || !items.first().isString())
        return Tr::tr("a Socket.IO event is a JSON array led by the event's name, like [\"chat message\", \"hi\"]");
    return {};
}

QList<QByteArray> SocketIoClient::emitArray(QByteArrayView array, bool ack)
{
    std::optional<quint64> id;
    if (ack) {
        id = m_nextAck++;
        m_awaited << *id;
    }
    const QByteArray packet = arrayPacket(m_options.nsp, array, id);
    if (m_state == State::Joined)
        return { packet };
    m_queued << packet;
    return {};
}

QString SocketIoClient::emitProblem(const QString &event, QByteArrayView argument)
{
    if (event.isEmpty())
        return Tr::tr("the event name is empty");
    if (!argument.isEmpty()) {
        if (const auto problem = JsonText::check(QString::fromUtf8(argument)))
            return Tr::tr("the argument of %1 is not JSON: %2").arg(event, problem->message);
    }
    return {};
}

QList<QByteArray> SocketIoClient::emitEvent(const QString &event, QByteArrayView argument, bool ack)
{
    return emitArray(eventArray(event, argument), ack);
}

QList<QByteArray> SocketIoClient::received(QByteArrayView text)
{
    const auto engine = SocketIo::parseEngine(text);
    if (!engine)
        return {};
    using EType = SocketIo::EnginePacket::Type;
    switch (engine->type) {
    case EType::Open: {
        const QJsonObject o = QJsonDocument::fromJson(engine->data).object();
        m_sid = o.value(QStringLiteral("sid")).toString();
        if (o.value(QStringLiteral("pingInterval")).isDouble())
            m_pingInterval = qint64(o.value(QStringLiteral("pingInterval")).toDouble());
        if (o.value(QStringLiteral("pingTimeout")).isDouble())
            m_pingTimeout = qint64(o.value(QStringLiteral("pingTimeout")).toDouble());
        if (m_state != State::WaitingForOpen)
            return {};
        m_state = State::Joining;
        return { connectPacket() };
    }
    case EType::Ping:
        if (!m_options.answerPings)
            return {};
        ++m_pongs;
        return { "3" + engine->data }; // a pong carries the ping's data back ("probe")
    case EType::Close:
        m_state = State::Disconnected;
        return {};
    case EType::Pong:
    case EType::Upgrade:
    case EType::Noop:
        return {};
    case EType::Message:
        break;
    }
    const auto packet = SocketIo::parse(engine->data);
    if (!packet)
        return {};
    const QByteArray nsp = packet->nsp.isEmpty() ? QByteArrayLiteral("/") : packet->nsp;
    using PType = SocketIo::Packet::Type;
    switch (packet->type) {
    case PType::Connect: {
        if (nsp != m_options.nsp)
            return {};
        m_state = State::Joined;
        m_socketId = QJsonDocument::fromJson(packet->data).object().value(QStringLiteral("sid")).toString();
        return std::exchange(m_queued, {});
    }
    case PType::ConnectError: {
        if (nsp != m_options.nsp)
            return {};
        m_state = State::Refused;
        const QJsonDocument doc = QJsonDocument::fromJson(packet->data);
        m_refusal = doc.isObject() ? doc.object().value(QStringLiteral("message")).toString() : QString::fromUtf8(packet->data);
        m_queued.clear();
        m_awaited.clear();
        return {};
    }
    case PType::Disconnect:
        if (nsp == m_options.nsp)
            m_state = State::Disconnected;
        return {};
    case PType::Ack:
    case PType::BinaryAck:
        if (nsp == m_options.nsp && packet->ackId)
            m_awaited.removeOne(*packet->ackId);
        return {};
    case PType::Event:
    case PType::BinaryEvent:
        return {};
    }
    return {};
}
