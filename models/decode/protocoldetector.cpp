#include "decode/protocoldetector.h"

#include "protocol/handshake.h"
#include "text/displaytext.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>

namespace {

struct Tr {
    Q_DECLARE_TR_FUNCTIONS(ProtocolDetector)
};

using Decode::Protocol;

bool startsWithLine(QByteArrayView payload, QByteArrayView command)
{
    if (!payload.startsWith(command))
        return false;
    const QByteArrayView rest = payload.sliced(command.size());
    return rest.startsWith('\n') || rest.startsWith("\r\n");
}

// Commands that open or carry a STOMP session, as a client or a broker sends them first.
bool looksLikeStomp(QByteArrayView payload)
{
    for (const char *command : { "CONNECT", "STOMP", "CONNECTED", "SEND", "SUBSCRIBE", "MESSAGE" })
        if (startsWithLine(payload, QByteArrayView(command)))
            return true;
    return false;
}

// An MQTT CONNECT: type 1 with no flags, a remaining length, then the protocol name.
bool looksLikeMqttConnect(QByteArrayView payload)
{
    if (payload.size() < 10 || quint8(payload[0]) != 0x10)
        return false;
    qsizetype at = 1;
    while (at < 5 && at < payload.size() && (quint8(payload[at]) & 0x80))
        ++at;
    ++at;
    const QByteArrayView rest = payload.sliced(qMin(at, payload.size()));
    return rest.startsWith(QByteArrayView("\x00\x04MQTT", 6)) || rest.startsWith(QByteArrayView("\x00\x06MQIsdp", 8));
}

QJsonDocument json(QByteArrayView payload)
{
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(payload.toByteArray(), &error);
    return error.error == QJsonParseError::NoError ? doc : QJsonDocument();
}

Protocol fromJson(QByteArrayView payload)
{
    const QByteArrayView trimmed = payload.trimmed();
    if (!trimmed.startsWith('{') && !trimmed.startsWith('['))
        return Protocol::None;
    const QJsonDocument doc = json(trimmed);
    if (doc.isObject()) {
        const QJsonObject o = doc.object();
        if (o.value(QStringLiteral("jsonrpc")) == QLatin1String("2.0"))
            return Protocol::JsonRpc;
        // Plain JSON chats use "type" too ({"type":"ping"}): only what no chat sends counts, an
        // operation with its GraphQL document, or the opening of either GraphQL protocol.
        const QString type = o.value(QStringLiteral("type")).toString();
        const bool operation = o.value(QStringLiteral("payload")).toObject().value(QStringLiteral("query")).isString();
        if (type == QLatin1String("subscribe") && operation)
            return Protocol::GraphQlTransportWs;
        if (type == QLatin1String("start") && operation)
            return Protocol::GraphQlWs;
        if (type == QLatin1String("connection_init"))
            return Protocol::GraphQlTransportWs; // both open so; the current protocol unless the subprotocol says
        return Protocol::None;
    }
    if (doc.isArray()) {
        const QJsonArray a = doc.array();
        // A JSON-RPC batch: objects with "jsonrpc".
        if (!a.isEmpty() && a.first().toObject().value(QStringLiteral("jsonrpc")) == QLatin1String("2.0"))
            return Protocol::JsonRpc;
        // WAMP opens with HELLO [1, realm, details] and the router answers WELCOME [2, session, details].
        if (a.size() == 3 && a.at(0).isDouble()) {
            const int code = a.at(0).toInt();
            if ((code == 1 && a.at(1).isString() && a.at(2).isObject()) || (code == 2 && a.at(1).isDouble() && a.at(2).isObject()))
                return Protocol::Wamp;
        }
    }
    return Protocol::None;
}

} // namespace

namespace ProtocolDetector {

Protocol fromSubprotocol(QByteArrayView subprotocol)
{
    const QByteArray p = subprotocol.trimmed().toByteArray().toLower();
    if (p == "stomp" || p == "v10.stomp" || p == "v11.stomp" || p == "v12.stomp")
        return Protocol::Stomp;
    if (p == "mqtt" || p == "mqttv3.1")
        return Protocol::Mqtt;
    if (p == "graphql-transport-ws")
        return Protocol::GraphQlTransportWs;
    if (p == "graphql-ws")
        return Protocol::GraphQlWs;
    if (p == "wamp.2.json")
        return Protocol::Wamp;
    if (p == "jsonrpc" || p == "json-rpc" || p == "jsonrpc-2.0" || p == "jsonrpc2.0")
        return Protocol::JsonRpc;
    return Protocol::None;
}

Detection fromHandshake(QByteArrayView subprotocol, QByteArrayView target)
{
    if (const Protocol p = fromSubprotocol(subprotocol); p != Protocol::None)
        return { p, Tr::tr("the subprotocol %1").arg(DisplayText::line(subprotocol, 40)) };
    const qsizetype question = target.indexOf('?');
    const QByteArrayView path = question < 0 ? target : target.first(question);
    const QByteArrayView query = question < 0 ? QByteArrayView() : target.sliced(question + 1);
    const QString shown = DisplayText::line(target, 60);
    // socket.io serves Engine.IO at /socket.io/ by default; any path with EIO=4 (or 3) in the query
    // is Engine.IO whatever the server calls it.
    static const QRegularExpression eio(QStringLiteral("(^|&)EIO=[34](&|$)"));
    if (path.contains("/socket.io/") || eio.match(QString::fromLatin1(query)).hasMatch())
        return { Protocol::SocketIo, Tr::tr("the URL %1").arg(shown) };
    // SockJS's websocket transport: <prefix>/<server>/<session>/websocket.
    static const QRegularExpression sockjs(QStringLiteral("/[^/.]+/[^/.]+/websocket/?$"));
    if (sockjs.match(QString::fromLatin1(path)).hasMatch() && !path.endsWith("/websocket/websocket"))
        return { Protocol::SockJs, Tr::tr("the URL %1").arg(shown) };
    return {};
}

Detection fromContent(Decode::Sender sender, bool binary, QByteArrayView payload)
{
    const QString why = Tr::tr("the messages");
    if (binary)
        return { looksLikeMqttConnect(payload) ? Protocol::Mqtt : Protocol::None, why };
    // An Engine.IO open packet: 0{"sid":...}
    if (payload.startsWith("0{") && payload.contains("\"sid\"") && payload.contains("\"pingInterval\""))
        return { Protocol::SocketIo, why };
    // SockJS's server opens with a bare "o".
    if (sender == Decode::Sender::Server && payload == "o")
        return { Protocol::SockJs, why };
    if (looksLikeStomp(payload))
        return { Protocol::Stomp, why };
    return { fromJson(payload), why };
}

Detection fromHandshakeBytes(QByteArrayView request, QByteArrayView response)
{
    QByteArray target;
    if (!request.isEmpty()) {
        RequestParser parser;
        if (parser.feed(request) == RequestParser::Status::Complete)
            target = parser.request().target;
    }
    QByteArray subprotocol;
    if (!response.isEmpty()) {
        ResponseParser parser;
        parser.feed(response);
        if (parser.headComplete())
            subprotocol = HttpHeaderList::value(parser.response().headers, "Sec-WebSocket-Protocol");
    }
    return fromHandshake(subprotocol, target);
}

bool Search::handshake(QByteArrayView request, QByteArrayView response)
{
    if (m_handshakeSeen || m_found.protocol != Protocol::None)
        return false;
    m_handshakeSeen = true;
    const Detection found = fromHandshakeBytes(request, response);
    if (found.protocol == Protocol::None)
        return false;
    m_found = found;
    m_fromHandshake = true;
    return true;
}

bool Search::message(Decode::Sender sender, bool binary, QByteArrayView payload)
{
    if (isDone())
        return false;
    ++m_looks;
    const Detection found = fromContent(sender, binary, payload);
    if (found.protocol == Protocol::None)
        return false;
    m_found = found;
    return true;
}

} // namespace ProtocolDetector
