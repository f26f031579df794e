#include "decode/graphqlmessage.h"

#include "text/displaytext.h"

#include <QCoreApplication>

namespace {

struct Tr {
    Q_DECLARE_TR_FUNCTIONS(GraphQl)
};

using namespace GraphQl;
using Decode::Protocol;
using Decode::Sender;
using JsonValues::Kind;
using JsonValues::Value;

constexpr int IdChars = 40;
constexpr int OperationChars = 60;
constexpr int PayloadChars = 80;

struct TypeInfo {
    const char *type;
    Direction direction;
};

// graphql-ws PROTOCOL.md, "Message types", with their directions.
constexpr TypeInfo TransportTypes[] = {
    { "connection_init", Direction::FromClient }, { "connection_ack", Direction::FromServer },
    { "ping", Direction::Both }, { "pong", Direction::Both }, { "subscribe", Direction::FromClient },
    { "next", Direction::FromServer }, { "error", Direction::FromServer }, { "complete", Direction::Both },
};

// subscriptions-transport-ws PROTOCOL.md and its MessageTypes.
constexpr TypeInfo LegacyTypes[] = {
    { "connection_init", Direction::FromClient }, { "connection_ack", Direction::FromServer },
    { "connection_error", Direction::FromServer }, { "ka", Direction::FromServer },
    { "start", Direction::FromClient }, { "data", Direction::FromServer }, { "error", Direction::FromServer },
    { "complete", Direction::FromServer }, { "stop", Direction::FromClient },
    { "connection_terminate", Direction::FromClient },
};

bool isTransport(Protocol protocol)
{
    return protocol == Protocol::GraphQlTransportWs;
}

QString typeWord(const QString &type)
{
    return DisplayText::line(type.toUtf8(), IdChars);
}

// Why a member that must be an object (or null, when `nullable`) is not one; empty when it is.
QString objectProblem(const QString &what, const Value *value, bool nullable)
{
    if (!value || value->kind == Kind::Object || (nullable && value->kind == Kind::Null))
        return {};
    return nullable ? Tr::tr("%1 must be an object or null, not %2").arg(what, JsonValues::kindName(value->kind))
                    : Tr::tr("%1 must be an object, not %2").arg(what, JsonValues::kindName(value->kind));
}

QString idProblem(const Message &m, const Value *id)
{
    if (!id)
        return Tr::tr("%1 needs an \"id\"").arg(typeWord(m.type));
    if (id->kind != Kind::String)
        return Tr::tr("\"id\" must be a string, not %1").arg(JsonValues::kindName(id->kind));
    if (m.id->isEmpty())
        return Tr::tr("\"id\" must not be empty");
    return {};
}

// A subscribe's (or a legacy start's) payload: {query, operationName?, variables?, extensions?}.
QString operationProblem(Message &m, const Value *payload)
{
    if (!payload)
        return Tr::tr("%1 needs a \"payload\" with the operation").arg(typeWord(m.type));
    if (payload->kind != Kind::Object)
        return Tr::tr("\"payload\" must be an object, not %1").arg(JsonValues::kindName(payload->kind));
    const QList<JsonValues::Member> members = JsonValues::members(payload->text);
    const Value *query = JsonValues::find(members, QLatin1StringView("query"));
    const Value *name = JsonValues::find(members, QLatin1StringView("operationName"));
    const Value *variables = JsonValues::find(members, QLatin1StringView("variables"));
    const Value *extensions = JsonValues::find(members, QLatin1StringView("extensions"));
    if (query && query->kind == Kind::String)
        m.query = JsonValues::string(query->text);
    if (name && name->kind == Kind::String)
        m.operationName = JsonValues::string(name->text);
    if (!query)
        return Tr::tr("the payload has no \"query\"");
    if (query->kind != Kind::String)
        return Tr::tr("the payload's \"query\" must be a string, not %1").arg(JsonValues::kindName(query->kind));
    if (const QString p = objectProblem(Tr::tr("the payload's \"variables\""), variables, true); !p.isEmpty())
        return p;
    if (name && name->kind != Kind::String && name->kind != Kind::Null)
        return Tr::tr("the payload's \"operationName\" must be a string or null, not %1").arg(JsonValues::kindName(name->kind));
    if (isTransport(m.protocol))
        return objectProblem(Tr::tr("the payload's \"extensions\""), extensions, true);
    return {};
}

// graphql-ws's areGraphQLFormattedErrors(): a non-empty array of objects with a "message".
bool areGraphQlErrors(const Value &payload)
{
    if (payload.kind != Kind::Array)
        return false;
    const QList<Value> errors = JsonValues::items(payload.text);
    if (errors.isEmpty())
        return false;
    for (const Value &e : errors) {
        if (e.kind != Kind::Object)
            return false;
        const QList<JsonValues::Member> members = JsonValues::members(e.text);
        if (!JsonValues::find(members, QLatin1StringView("message")))
            return false;
    }
    return true;
}

QString formatProblem(Message &m, const Value *id, const Value *payload)
{
    const QString &t = m.type;
    if (isTransport(m.protocol)) {
        if (t == QLatin1StringView("connection_init") || t == QLatin1StringView("connection_ack") || t == QLatin1StringView("ping")
            || t == QLatin1StringView("pong"))
            return objectProblem(Tr::tr("\"payload\""), payload, true);
        // The operation is read even when the id is wrong: the summary shows it.
        const QString operation = t == QLatin1StringView("subscribe") ? operationProblem(m, payload) : QString();
        if (const QString p = idProblem(m, id); !p.isEmpty())
            return p;
        if (t == QLatin1StringView("subscribe"))
            return operation;
        if (t == QLatin1StringView("next"))
            return payload ? objectProblem(Tr::tr("\"payload\""), payload, false) : Tr::tr("next needs a \"payload\": the execution result");
        if (t == QLatin1StringView("error") && (!payload || !areGraphQlErrors(*payload)))
            return Tr::tr("the \"payload\" of an error must be a non-empty array of GraphQL errors, each with a \"message\"");
        return {};
    }
    if (t == QLatin1StringView("connection_init"))
        return objectProblem(Tr::tr("\"payload\""), payload, true);
    const QString operation = t == QLatin1StringView("start") ? operationProblem(m, payload) : QString();
    if (t == QLatin1StringView("start") || t == QLatin1StringView("data") || t == QLatin1StringView("complete")
        || t == QLatin1StringView("stop")) {
        if (const QString p = idProblem(m, id); !p.isEmpty())
            return p;
    }
    if (t == QLatin1StringView("start"))
        return operation;
    if (t == QLatin1StringView("data"))
        return payload ? objectProblem(Tr::tr("\"payload\""), payload, false) : Tr::tr("data needs a \"payload\": the execution result");
    if (t == QLatin1StringView("error")) {
        // The server sends an error for a message it could not use, with the id when it had one.
        if (id && id->kind != Kind::String && id->kind != Kind::Null)
            return Tr::tr("\"id\" must be a string, not %1").arg(JsonValues::kindName(id->kind));
        if (payload && payload->kind != Kind::Object && payload->kind != Kind::Array)
            return Tr::tr("the \"payload\" of an error must be an error object or an array of them, not %1")
                .arg(JsonValues::kindName(payload->kind));
    }
    return {};
}

QString directionProblem(const Message &m, Sender sender)
{
    const auto d = direction(m.protocol, m.type);
    if (!d || *d == Direction::Both || (*d == Direction::FromClient) == (sender == Sender::Client))
        return {};
    const QString type = typeWord(m.type);
    if (isTransport(m.protocol)) {
        return sender == Sender::Client
            ? Tr::tr("only the server sends %1 (the protocol closes the connection with 4400; graphql-ws 6's server closes it with 4500 Internal server error)")
                  .arg(type)
            : Tr::tr("only the client sends %1 (the graphql-ws client closes the connection with 4004 Bad response if it comes before connection_ack, and ignores it after)")
                  .arg(type);
    }
    return sender == Sender::Client
        ? Tr::tr("only the server sends %1 (the subscriptions-transport-ws server answers with an error \"Invalid message type!\")").arg(type)
        : Tr::tr("only the client sends %1 (the subscriptions-transport-ws client throws \"Invalid message type!\")").arg(type);
}

bool trivialPayload(const QByteArray &payload)
{
    const QByteArray t = payload.trimmed();
    return t == "null" || JsonValues::compact(t) == QLatin1StringView("{}");
}

QString operationText(const Message &m)
{
    if (m.operationName && !m.operationName->isEmpty())
        return DisplayText::line(m.operationName->toUtf8(), OperationChars);
    const QStringList lines = m.query->split(QLatin1Char('\n'));
    qsizetype first = 0;
    while (first < lines.size() && lines[first].trimmed().isEmpty())
        ++first;
    if (first == lines.size())
        return {};
    QString line = DisplayText::line(lines[first].trimmed().toUtf8(), OperationChars);
    bool more = false;
    for (qsizetype i = first + 1; i < lines.size() && !more; ++i)
        more = !lines[i].trimmed().isEmpty();
    if (more && !line.endsWith(QChar(0x2026)))
        line += QStringLiteral(" \u2026");
    return line;
}

} // namespace

namespace GraphQl {

std::optional<Direction> direction(Protocol protocol, QStringView type)
{
    if (isTransport(protocol)) {
        for (const TypeInfo &t : TransportTypes)
            if (type == QLatin1StringView(t.type))
                return t.direction;
    } else {
        for (const TypeInfo &t : LegacyTypes)
            if (type == QLatin1StringView(t.type))
                return t.direction;
    }
    return std::nullopt;
}

QString rejection(Protocol protocol, Sender sender)
{
    if (isTransport(protocol))
        return sender == Sender::Client ? Tr::tr("a graphql-ws server closes the connection with 4400 Bad request")
                                        : Tr::tr("the graphql-ws client closes the connection with 4004 Bad response");
    return sender == Sender::Client ? Tr::tr("the subscriptions-transport-ws server answers with an error message")
                                    : Tr::tr("the subscriptions-transport-ws client cannot use it");
}

std::optional<Message> parse(Protocol protocol, Sender sender, QByteArrayView text, QString *error)
{
    auto refuse = [error](const QString &why) -> std::optional<Message> {
        if (error)
            *error = why;
        return std::nullopt;
    };
    if (const auto problem = JsonValues::problem(text))
        return refuse(Tr::tr("not JSON: %1 (%2)").arg(*problem, rejection(protocol, sender)));
    const Kind kind = JsonValues::kindOf(text);
    if (kind != Kind::Object)
        return refuse(Tr::tr("not a message: a message is a JSON object, not %1 (%2)")
                          .arg(JsonValues::kindName(kind), rejection(protocol, sender)));
    Message m;
    m.protocol = protocol;
    m.members = JsonValues::members(text);
    int count = 0;
    const Value *type = JsonValues::find(m.members, QLatin1StringView("type"), &count);
    const int types = count;
    const Value *id = JsonValues::find(m.members, QLatin1StringView("id"), &count);
    const int ids = count;
    const Value *payload = JsonValues::find(m.members, QLatin1StringView("payload"), &count);
    const int payloads = count;
    if (type && type->kind == Kind::String)
        m.type = JsonValues::string(type->text);
    if (id && id->kind == Kind::String)
        m.id = JsonValues::string(id->text);
    if (payload)
        m.payload = payload->text;
    m.known = direction(protocol, m.type).has_value();

    QString problem;
    bool unknown = false;
    if (!type || (type->kind == Kind::String && m.type.isEmpty()))
        problem = Tr::tr("no \"type\": every message has one");
    else if (type->kind != Kind::String)
        problem = Tr::tr("\"type\" must be a string, not %1").arg(JsonValues::kindName(type->kind));
    else if (types > 1 || ids > 1 || payloads > 1)
        problem = Tr::tr("\"%1\" appears more than once: receivers disagree on which one counts")
                      .arg(types > 1 ? QStringLiteral("type") : ids > 1 ? QStringLiteral("id") : QStringLiteral("payload"));
    else if ((unknown = !m.known))
        problem = Tr::tr("unknown type %1").arg(DisplayText::quoted(m.type.toUtf8(), IdChars));
    if (unknown && !isTransport(protocol)) {
        // What subscriptions-transport-ws does with a type it does not know.
        m.problem = sender == Sender::Client
            ? Tr::tr("%1 (the subscriptions-transport-ws server answers with an error \"Invalid message type!\")").arg(problem)
            : Tr::tr("%1 (the subscriptions-transport-ws client throws \"Invalid message type!\")").arg(problem);
        return m;
    }
    if (problem.isEmpty())
        problem = formatProblem(m, id, payload);
    if (!problem.isEmpty()) {
        m.problem = Tr::tr("%1 (%2)").arg(problem, rejection(protocol, sender));
        return m;
    }
    // A well-formed message of the wrong side: said with what each library does.
    m.problem = directionProblem(m, sender);
    return m;
}

QString summary(const Message &m)
{
    QStringList parts;
    if (!m.type.isEmpty()) {
        parts << typeWord(m.type);
    } else {
        const Value *type = JsonValues::find(m.members, QLatin1StringView("type"));
        parts << (type ? DisplayText::line(JsonValues::compact(type->text).toUtf8(), IdChars) : Tr::tr("(no type)"));
    }
    if (m.id)
        parts << DisplayText::line(m.id->toUtf8(), IdChars);
    const bool operation = m.type == QLatin1StringView("subscribe") || m.type == QLatin1StringView("start");
    QString shown = operation && m.query ? operationText(m) : QString();
    if (!shown.isEmpty())
        parts << shown;
    else if (m.payload && !trivialPayload(*m.payload))
        parts << DisplayText::line(JsonValues::compact(*m.payload).toUtf8(), PayloadChars);
    return parts.join(QLatin1Char(' '));
}

QString closeCodeName(int code)
{
    switch (code) {
    case 4400:
        return Tr::tr("Bad request");
    case 4401:
        return Tr::tr("Unauthorized");
    case 4403:
        return Tr::tr("Forbidden");
    case 4406:
        return Tr::tr("Subprotocol not acceptable");
    case 4408:
        return Tr::tr("Connection initialisation timeout");
    case 4409:
        return Tr::tr("Subscriber already exists");
    case 4429:
        return Tr::tr("Too many initialisation requests");
    case 4500:
        return Tr::tr("Internal server error");
    case 4004:
        return Tr::tr("Bad response");
    case 4005:
        return Tr::tr("Internal client error");
    case 4504:
        return Tr::tr("Connection acknowledgement timeout");
    default:
        return {};
    }
}

} // namespace GraphQl
