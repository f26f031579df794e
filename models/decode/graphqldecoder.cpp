#include "decode/graphqldecoder.h"

#include "text/displaytext.h"
#include "text/sizeformat.h"

#include <QCoreApplication>

namespace {

struct Tr {
    Q_DECLARE_TR_FUNCTIONS(GraphQlDecoder)
};

using namespace Decode;

const QByteArray InitState = QByteArrayLiteral("connection_init");
const QByteArray AckState = QByteArrayLiteral("connection_ack");

bool is(const QString &type, const char *name)
{
    return type == QLatin1StringView(name);
}

// Reads a message, or says why it cannot: the Decoded of a message that is not one.
std::optional<GraphQl::Message> read(Protocol protocol, Sender sender, bool binary, QByteArrayView payload, Decoded &d)
{
    d.protocol = protocol;
    if (binary) {
        d.error = Tr::tr("a binary message (%1): %2 messages are JSON text")
                      .arg(SizeFormat::bytes(quint64(payload.size())), protocolName(protocol));
        return std::nullopt;
    }
    QString why;
    auto m = GraphQl::parse(protocol, sender, payload, &why);
    if (!m)
        d.error = why;
    return m;
}

QList<Field> payloadFields(const GraphQl::Message &m, const JsonValues::Value &payload)
{
    QList<Field> out;
    for (const JsonValues::Member &member : JsonValues::members(payload.text)) {
        // The query as one text, its lines kept: the payload view shows it as written.
        if (member.name == QLatin1StringView("query") && member.value.kind == JsonValues::Kind::String && m.query)
            out << Field(member.name, *m.query);
        else
            out << JsonValues::field(member.name, member.value);
    }
    return out;
}

} // namespace

namespace GraphQl {

Unit unit(const Message &m, Sender sender)
{
    Unit u;
    u.type = m.known ? m.type : QStringLiteral("unknown");
    u.summary = summary(m);
    u.error = m.problem;
    const bool operation = is(m.type, "subscribe") || is(m.type, "start");
    for (const JsonValues::Member &member : m.members) {
        if (member.name == QLatin1StringView("payload") && operation && member.value.kind == JsonValues::Kind::Object)
            u.fields << Field(member.name, JsonValues::compact(member.value.text), payloadFields(m, member.value));
        else
            u.fields << JsonValues::field(member.name, member.value);
    }
    const auto dir = direction(m.protocol, m.type);
    if (!dir || (*dir != Direction::Both && (*dir == Direction::FromClient) != (sender == Sender::Client)))
        return u; // a type of the other side: nothing to pair
    auto add = [&u](Correlation::Role role, const QByteArray &key) { u.correlations << Correlation { role, key }; };
    const QByteArray op = m.id && !m.id->isEmpty() ? JsonValues::key("op ", m.id->toUtf8()) : QByteArray();
    if (is(m.type, "connection_init"))
        add(Correlation::Role::Request, "init");
    else if (is(m.type, "connection_ack") || is(m.type, "connection_error"))
        add(Correlation::Role::Answer, "init");
    else if (is(m.type, "ping"))
        add(Correlation::Role::Request, "ping");
    else if (is(m.type, "pong"))
        add(Correlation::Role::Answer, "ping");
    else if (op.isEmpty())
        return u;
    else if (operation)
        add(Correlation::Role::Request, op);
    else if (is(m.type, "next") || is(m.type, "data"))
        add(Correlation::Role::Progress, op);
    else if (sender == Sender::Client && (is(m.type, "complete") || is(m.type, "stop")))
        // The client ends its own operation: its next step, not the server's answer, which may
        // still come (a legacy server's complete after stop) and then ends the request.
        add(Correlation::Role::Continue, op);
    else if (is(m.type, "error") || is(m.type, "complete"))
        add(Correlation::Role::Answer, op);
    return u;
}

} // namespace GraphQl

Decoded GraphQlTransportWsDecoder::decode(Sender sender, bool binary, QByteArrayView payload)
{
    Decoded d;
    auto m = read(protocol(), sender, binary, payload, d);
    if (!m)
        return d;
    if (m->ok()) {
        // The rules that need what this sender sent before.
        const QString type = DisplayText::line(m->type.toUtf8(), 40);
        if (sender == Sender::Client) {
            if (is(m->type, "connection_init") && m_initSent)
                m->problem = Tr::tr("a second connection_init (a graphql-ws server closes the connection with 4429 Too many initialisation requests)");
            else if (is(m->type, "subscribe") && !m_initSent)
                m->problem = Tr::tr("subscribe before connection_init (a graphql-ws server closes the connection with 4401 Unauthorized: it runs operations only after its connection_ack)");
            else if (is(m->type, "connection_init"))
                m_initSent = true;
        } else {
            if ((is(m->type, "next") || is(m->type, "error") || is(m->type, "complete")) && !m_ackSent)
                m->problem = Tr::tr("%1 before connection_ack (the graphql-ws client closes the connection with 4004 Bad response: \"First message cannot be of type %1\")")
                                 .arg(type);
            else if (is(m->type, "connection_ack"))
                m_ackSent = true;
        }
    }
    d.units << GraphQl::unit(*m, sender);
    return d;
}

QByteArray GraphQlTransportWsDecoder::state(Sender sender) const
{
    if (sender == Sender::Client)
        return m_initSent ? InitState : QByteArray();
    return m_ackSent ? AckState : QByteArray();
}

void GraphQlTransportWsDecoder::setState(Sender sender, const QByteArray &state)
{
    if (sender == Sender::Client)
        m_initSent = state == InitState;
    else
        m_ackSent = state == AckState;
}

QList<ComposerTemplate> GraphQlTransportWsDecoder::templates()
{
    // As the graphql-ws client writes them: no payload when there is none, the id first.
    return {
        { Tr::tr("connection_init"), QByteArrayLiteral(R"({"type":"connection_init"})") },
        { Tr::tr("subscribe"),
          QByteArrayLiteral(R"({"id":"1","type":"subscribe","payload":{"query":"subscription OnMessage { messages { text } }"}})") },
        { Tr::tr("complete"), QByteArrayLiteral(R"({"id":"1","type":"complete"})") },
    };
}

Decoded GraphQlWsDecoder::decode(Sender sender, bool binary, QByteArrayView payload)
{
    Decoded d;
    if (const auto m = read(protocol(), sender, binary, payload, d))
        d.units << GraphQl::unit(*m, sender);
    return d;
}

QList<ComposerTemplate> GraphQlWsDecoder::templates()
{
    // As subscriptions-transport-ws writes them: connection_init with its connectionParams ({} by
    // default), operation ids counting from "1".
    return {
        { Tr::tr("connection_init"), QByteArrayLiteral(R"({"type":"connection_init","payload":{}})") },
        { Tr::tr("start"),
          QByteArrayLiteral(R"({"id":"1","type":"start","payload":{"query":"subscription OnMessage { messages { text } }","variables":{}}})") },
        { Tr::tr("stop"), QByteArrayLiteral(R"({"id":"1","type":"stop"})") },
    };
}
