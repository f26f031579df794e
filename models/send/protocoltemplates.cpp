#include "send/protocoltemplates.h"

#include "decode/graphqldecoder.h"
#include "decode/jsonrpcdecoder.h"
#include "decode/mqtttext.h"
#include "decode/stompframe.h"
#include "decode/wampdecoder.h"

#include <QCoreApplication>

namespace {

struct Tr {
    Q_DECLARE_TR_FUNCTIONS(ProtocolTemplates)
};

using ProtocolTemplates::Group;
using ProtocolTemplates::Template;

QList<Template> json(const QList<Decode::ComposerTemplate> &templates)
{
    QList<Template> out;
    for (const Decode::ComposerTemplate &t : templates)
        out << Template { t.name, ComposerMode::Json, QString::fromUtf8(t.text) };
    return out;
}

Group socketIo()
{
    return { Decode::Protocol::SocketIo, Decode::protocolName(Decode::Protocol::SocketIo),
        {
            { Tr::tr("event"), ComposerMode::SocketIoEvent, QStringLiteral(R"(["chat message","hi"])") },
            // What socket.io-client sends to join a namespace, with its auth object.
            { Tr::tr("join a namespace (40)"), ComposerMode::Text, QStringLiteral(R"(40/admin,{"token":"secret"})") },
            { Tr::tr("leave the namespace (41)"), ComposerMode::Text, QStringLiteral("41") },
            { Tr::tr("Engine.IO pong (3)"), ComposerMode::Text, QStringLiteral("3") },
        } };
}

Group stomp()
{
    Group g { Decode::Protocol::Stomp, Decode::protocolName(Decode::Protocol::Stomp), {} };
    for (const auto &[name, bytes] : Stomp::templates()) {
        if (!bytes.endsWith('\0')) {
            // A heart-beat is a bare line end: no frame, so no NUL.
            g.templates << Template { name, ComposerMode::Text, QString::fromUtf8(bytes) };
            continue;
        }
        // STOMP frame mode adds the NUL on send; an editor would not show it.
        g.templates << Template { name, ComposerMode::StompFrame, QString::fromUtf8(bytes.chopped(1)) };
    }
    return g;
}

Group sockJs()
{
    // The SockJS client sends a JSON array of strings; Spring's STOMP over SockJS puts one frame in
    // each, its NUL escaped.
    return { Decode::Protocol::SockJs, Decode::protocolName(Decode::Protocol::SockJs),
        {
            { Tr::tr("STOMP CONNECT"), ComposerMode::Json,
                QStringLiteral(R"(["CONNECT\naccept-version:1.1,1.0\nheart-beat:10000,10000\n\n\u0000"])") },
            { Tr::tr("STOMP SUBSCRIBE"), ComposerMode::Json,
                QStringLiteral(R"(["SUBSCRIBE\nid:sub-0\ndestination:/topic/chat\n\n\u0000"])") },
            { Tr::tr("STOMP SEND"), ComposerMode::Json,
                QStringLiteral(R"(["SEND\ndestination:/app/chat\ncontent-type:text/plain\n\nhello\u0000"])") },
            { Tr::tr("text message"), ComposerMode::Json, QStringLiteral(R"(["hello"])") },
        } };
}

Group mqtt(Mqtt::Version version)
{
    Group g { Decode::Protocol::Mqtt, Mqtt::versionName(version), {} };
    for (const Decode::ComposerTemplate &t : Mqtt::templates(version)) {
        const auto packet = Mqtt::parse(t.text, version);
        // Each version's list offers its own CONNECT only.
        if (!packet || (packet->type == Mqtt::Type::Connect && packet->version != version))
            continue;
        g.templates << Template { Mqtt::typeName(packet->type), ComposerMode::MqttPacket, Mqtt::toText(*packet) };
    }
    return g;
}

Group jsonRpc()
{
    Group g { Decode::Protocol::JsonRpc, Decode::protocolName(Decode::Protocol::JsonRpc), json(JsonRpcDecoder::templates()) };
    // JSON-RPC 2.0 §6: calls and notifications in one array, answered by an array of responses.
    g.templates << Template { Tr::tr("batch"), ComposerMode::Json,
        QStringLiteral("[%1,%2]").arg(QString::fromUtf8(JsonRpc::call(QStringLiteral("sum"), "[1,2,4]", 2)),
            QString::fromUtf8(JsonRpc::notification(QStringLiteral("notify_hello"), "[7]"))) };
    return g;
}

} // namespace

QList<Group> ProtocolTemplates::all()
{
    return {
        socketIo(),
        stomp(),
        sockJs(),
        mqtt(Mqtt::Version::V311),
        mqtt(Mqtt::Version::V5),
        jsonRpc(),
        { Decode::Protocol::GraphQlTransportWs, Decode::protocolName(Decode::Protocol::GraphQlTransportWs),
            json(GraphQlTransportWsDecoder::templates()) },
        { Decode::Protocol::GraphQlWs, Decode::protocolName(Decode::Protocol::GraphQlWs), json(GraphQlWsDecoder::templates()) },
        { Decode::Protocol::Wamp, Decode::protocolName(Decode::Protocol::Wamp), json(WampDecoder::templates()) },
    };
}
