#include "decode/jsonrpcmessage.h"

#include "text/displaytext.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>

#include <cmath>

namespace {

struct Tr {
    Q_DECLARE_TR_FUNCTIONS(JsonRpc)
};

using namespace JsonRpc;
using JsonValues::Kind;
using JsonValues::Value;

constexpr int MethodChars = 60;
constexpr int IdChars = 40;
constexpr int ValueChars = 80;

// A literal in a sentence: `"1.0"`, `1.5`, shortened.
QString literal(const QByteArray &text)
{
    return DisplayText::line(text, IdChars);
}

bool isFractional(const QByteArray &number)
{
    if (!number.contains('.') && !number.contains('e') && !number.contains('E'))
        return false;
    const auto v = JsonValues::number(number);
    return v && std::isfinite(*v) && std::floor(*v) != *v;
}

// Why a value cannot be an id; empty when it can.
QString idProblem(const Value &id)
{
    switch (id.kind) {
    case Kind::String:
    case Kind::Null:
        return {};
    case Kind::Number:
        return isFractional(id.text) ? Tr::tr("the id %1 has a fractional part, which ids should not have").arg(literal(id.text))
                                     : QString();
    default:
        return Tr::tr("\"id\" must be a string, a number or null, not %1").arg(JsonValues::kindName(id.kind));
    }
}

// Reads the error object into `m`; returns the rule it breaks (JSON-RPC 2.0 only, when `strict`).
QString readError(Message &m, const Value &error, bool strict)
{
    m.error = error.text;
    if (error.kind != Kind::Object) {
        return strict ? Tr::tr("\"error\" must be an object with \"code\" and \"message\", not %1").arg(JsonValues::kindName(error.kind))
                      : QString();
    }
    const QList<JsonValues::Member> members = JsonValues::members(error.text);
    const Value *code = JsonValues::find(members, QLatin1StringView("code"));
    const Value *message = JsonValues::find(members, QLatin1StringView("message"));
    if (code && code->kind == Kind::Number) {
        const auto v = JsonValues::number(code->text);
        if (v && std::floor(*v) == *v && std::fabs(*v) < 9.0e18)
            m.code = qint64(*v);
    }
    if (message && message->kind == Kind::String)
        m.errorMessage = JsonValues::string(message->text);
    if (!strict)
        return {};
    if (!code)
        return Tr::tr("the error object has no \"code\"");
    if (code->kind != Kind::Number)
        return Tr::tr("the error's \"code\" must be an integer, not %1").arg(JsonValues::kindName(code->kind));
    if (!m.code)
        return Tr::tr("the error's \"code\" must be an integer, not %1").arg(literal(code->text));
    if (!message)
        return Tr::tr("the error object has no \"message\"");
    if (message->kind != Kind::String)
        return Tr::tr("the error's \"message\" must be a string, not %1").arg(JsonValues::kindName(message->kind));
    return {};
}

Message readObject(const Value &element)
{
    Message m;
    m.text = element.text;
    if (element.kind != Kind::Object) {
        m.problem = Tr::tr("a JSON-RPC message is an object, not %1").arg(JsonValues::kindName(element.kind));
        return m;
    }
    m.members = JsonValues::members(element.text);
    QString why;
    auto fail = [&why](const QString &problem) {
        if (why.isEmpty())
            why = problem;
    };
    // A name sent twice is read differently by different parsers (first or last wins).
    for (const char *name : { "jsonrpc", "method", "params", "id", "result", "error" }) {
        int count = 0;
        JsonValues::find(m.members, QLatin1StringView(name), &count);
        if (count > 1)
            fail(Tr::tr("\"%1\" appears %2 times: receivers disagree on which one counts").arg(QLatin1StringView(name)).arg(count));
    }
    const Value *jsonrpc = JsonValues::find(m.members, QLatin1StringView("jsonrpc"));
    const Value *method = JsonValues::find(m.members, QLatin1StringView("method"));
    const Value *params = JsonValues::find(m.members, QLatin1StringView("params"));
    const Value *id = JsonValues::find(m.members, QLatin1StringView("id"));
    const Value *result = JsonValues::find(m.members, QLatin1StringView("result"));
    const Value *error = JsonValues::find(m.members, QLatin1StringView("error"));

    if (params)
        m.params = params->text;
    if (id)
        m.id = id->text;
    if (result)
        m.result = result->text;
    if (method)
        m.method = method->kind == Kind::String ? JsonValues::string(method->text) : JsonValues::compact(method->text);

    if (!jsonrpc) {
        // JSON-RPC 1.0: a request always has "params" (an array) and "id" (null for a notification);
        // a response always has "result", "error" and "id", one of result and error null.
        if (method && params && params->kind == Kind::Array && id) {
            m.version1 = true;
            m.kind = id->kind == Kind::Null ? Message::Kind::Notification : Message::Kind::Call;
            if (method->kind != Kind::String)
                fail(Tr::tr("\"method\" must be a string, not %1").arg(JsonValues::kindName(method->kind)));
            m.reservedMethod = m.method.startsWith(QLatin1StringView("rpc."));
        } else if (!method && result && error && id) {
            m.version1 = true;
            const bool failed = error->kind != Kind::Null;
            m.kind = failed ? Message::Kind::Error : Message::Kind::Result;
            if (failed)
                readError(m, *error, false);
            if (failed && result->kind != Kind::Null)
                fail(Tr::tr("a JSON-RPC 1.0 response sets \"result\" or \"error\", the other null; this one sets both"));
        } else {
            m.kind = method ? (id ? Message::Kind::Call : Message::Kind::Notification)
                : error     ? Message::Kind::Error
                : result    ? Message::Kind::Result
                            : Message::Kind::Invalid;
            if (method)
                fail(Tr::tr("no \"jsonrpc\": \"2.0\" member (nor a JSON-RPC 1.0 request, which has an array \"params\" and an \"id\")"));
            else if (result || error)
                fail(Tr::tr("no \"jsonrpc\": \"2.0\" member (nor a JSON-RPC 1.0 response, which has \"result\", \"error\" and \"id\")"));
            else
                fail(Tr::tr("neither a request (no \"method\") nor a response (no \"result\" or \"error\")"));
        }
        if (id)
            fail(idProblem(*id));
        m.problem = why;
        return m;
    }

    if (jsonrpc->kind != Kind::String)
        fail(Tr::tr("\"jsonrpc\" must be the string \"2.0\", not %1").arg(JsonValues::kindName(jsonrpc->kind)));
    else if (jsonrpc->text != "\"2.0\"")
        fail(Tr::tr("\"jsonrpc\" must be exactly \"2.0\", not %1").arg(literal(jsonrpc->text)));

    if (method) {
        m.kind = id ? Message::Kind::Call : Message::Kind::Notification;
        if (result || error)
            fail(Tr::tr("a request has no \"result\" or \"error\": it has \"method\" and also %1")
                     .arg(result ? QStringLiteral("\"result\"") : QStringLiteral("\"error\"")));
        if (method->kind != Kind::String)
            fail(Tr::tr("\"method\" must be a string, not %1").arg(JsonValues::kindName(method->kind)));
        if (params && params->kind != Kind::Object && params->kind != Kind::Array)
            fail(Tr::tr("\"params\" must be an array or an object, not %1").arg(JsonValues::kindName(params->kind)));
        if (id)
            fail(idProblem(*id));
        m.reservedMethod = m.method.startsWith(QLatin1StringView("rpc."));
    } else if (result || error) {
        m.kind = error ? Message::Kind::Error : Message::Kind::Result;
        if (result && error)
            fail(Tr::tr("a response has \"result\" or \"error\", never both"));
        if (!id)
            fail(Tr::tr("a response must have an \"id\": the request's, or null when it could not be read"));
        else
            fail(idProblem(*id));
        if (error)
            fail(readError(m, *error, true));
    } else {
        fail(Tr::tr("neither a request (no \"method\") nor a response (no \"result\" or \"error\")"));
    }
    m.problem = why;
    return m;
}

QByteArray jsonString(const QString &text)
{
    const QByteArray array = QJsonDocument(QJsonArray { text }).toJson(QJsonDocument::Compact);
    return array.sliced(1, array.size() - 2);
}

} // namespace

namespace JsonRpc {

bool Message::idUsable() const
{
    if (!id)
        return false;
    const JsonValues::Kind k = JsonValues::kindOf(*id);
    return k == JsonValues::Kind::String || k == JsonValues::Kind::Null
        || (k == JsonValues::Kind::Number && !isFractional(*id));
}

std::optional<Parsed> parse(QByteArrayView text, QString *error)
{
    auto refuse = [error](const QString &why) -> std::optional<Parsed> {
        if (error)
            *error = why;
        return std::nullopt;
    };
    if (const auto problem = JsonValues::problem(text))
        return refuse(Tr::tr("not JSON: %1").arg(*problem));
    const Kind kind = JsonValues::kindOf(text);
    Parsed parsed;
    if (kind == Kind::Object) {
        parsed.messages << readObject(Value { kind, text.trimmed().toByteArray() });
        return parsed;
    }
    if (kind != Kind::Array)
        return refuse(Tr::tr("not JSON-RPC: a message is an object, or an array of them (a batch), not %1")
                          .arg(JsonValues::kindName(kind)));
    parsed.batch = true;
    const QList<Value> items = JsonValues::items(text);
    if (items.isEmpty())
        parsed.problem = Tr::tr("an empty batch is invalid: a server answers it with one Invalid Request error");
    for (const Value &item : items)
        parsed.messages << readObject(item);
    return parsed;
}

QString typeName(Message::Kind kind)
{
    switch (kind) {
    case Message::Kind::Call:
        return QStringLiteral("call");
    case Message::Kind::Notification:
        return QStringLiteral("notification");
    case Message::Kind::Result:
        return QStringLiteral("result");
    case Message::Kind::Error:
        return QStringLiteral("error");
    case Message::Kind::Invalid:
        return QStringLiteral("invalid");
    }
    return {};
}

QString errorName(qint64 code)
{
    switch (code) {
    case -32700:
        return Tr::tr("Parse error");
    case -32600:
        return Tr::tr("Invalid Request");
    case -32601:
        return Tr::tr("Method not found");
    case -32602:
        return Tr::tr("Invalid params");
    case -32603:
        return Tr::tr("Internal error");
    default:
        break;
    }
    if (code >= -32099 && code <= -32000)
        return Tr::tr("Server error");
    if (code >= -32768 && code <= -32000)
        return Tr::tr("Reserved");
    return {};
}

QString summary(const Message &m)
{
    QStringList parts { typeName(m.kind) };
    auto value = [](const QByteArray &json) { return DisplayText::line(JsonValues::compact(json).toUtf8(), ValueChars); };
    auto id = [&m, &parts] {
        if (m.id)
            parts << Tr::tr("id %1").arg(literal(*m.id));
    };
    switch (m.kind) {
    case Message::Kind::Call:
    case Message::Kind::Notification:
        parts << DisplayText::line(m.method.toUtf8(), MethodChars);
        if (m.kind == Message::Kind::Call)
            id();
        if (m.params)
            parts << value(*m.params);
        break;
    case Message::Kind::Result:
        id();
        if (m.result)
            parts << value(*m.result);
        break;
    case Message::Kind::Error: {
        const QString name = m.code ? errorName(*m.code) : QString();
        if (m.code)
            parts << QString::number(*m.code);
        if (!name.isEmpty())
            parts << name;
        if (!m.errorMessage.isEmpty() && m.errorMessage != name)
            parts << DisplayText::quoted(m.errorMessage.toUtf8(), ValueChars);
        if (!m.code && m.errorMessage.isEmpty() && m.error)
            parts << value(*m.error);
        id();
        break;
    }
    case Message::Kind::Invalid:
        parts << value(m.text);
        break;
    }
    if (m.version1)
        parts << Tr::tr("(version 1.0)");
    return parts.join(QLatin1Char(' '));
}

QByteArray call(const QString &method, QByteArrayView paramsJson, qint64 id)
{
    QByteArray out = "{\"jsonrpc\":\"2.0\",\"method\":" + jsonString(method);
    if (!paramsJson.trimmed().isEmpty())
        out += ",\"params\":" + paramsJson.trimmed().toByteArray();
    return out + ",\"id\":" + QByteArray::number(id) + '}';
}

QByteArray notification(const QString &method, QByteArrayView paramsJson)
{
    QByteArray out = "{\"jsonrpc\":\"2.0\",\"method\":" + jsonString(method);
    if (!paramsJson.trimmed().isEmpty())
        out += ",\"params\":" + paramsJson.trimmed().toByteArray();
    return out + '}';
}

} // namespace JsonRpc
