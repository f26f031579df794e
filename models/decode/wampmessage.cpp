#include "decode/wampmessage.h"

#include "text/displaytext.h"

#include <QCoreApplication>

#include <algorithm>

namespace {

struct Tr {
    Q_DECLARE_TR_FUNCTIONS(Wamp)
};

using namespace Wamp;
using Decode::Sender;
using JsonValues::Kind;
using JsonValues::Value;

constexpr int UriChars = 60;
constexpr int ValueChars = 80;
constexpr quint64 MaxId = quint64(1) << 53;

enum class ElementType : quint8 { None, Uri, Id, Integer, String, Dict, List };

struct ElementSpec {
    const char *name = nullptr;
    ElementType type = ElementType::None;
};

struct TypeSpec {
    int code;
    const char *name;
    Direction direction;
    int required; // elements after the type code
    int total;
    ElementSpec elements[6];
};

using E = ElementType;
using D = Direction;

// The WAMP specification's message definitions: the basic profile's "Message Definitions" and the
// advanced profile's CHALLENGE, AUTHENTICATE, CANCEL and INTERRUPT; UNSUBSCRIBED and UNREGISTERED
// with the Details that subscription and registration revocation add.
constexpr TypeSpec Types[] = {
    { 1, "HELLO", D::FromClient, 2, 2, { { "Realm", E::Uri }, { "Details", E::Dict } } },
    { 2, "WELCOME", D::FromRouter, 2, 2, { { "Session", E::Id }, { "Details", E::Dict } } },
    { 3, "ABORT", D::Both, 2, 4, { { "Details", E::Dict }, { "Reason", E::Uri }, { "Arguments", E::List }, { "ArgumentsKw", E::Dict } } },
    { 4, "CHALLENGE", D::FromRouter, 2, 2, { { "AuthMethod", E::String }, { "Extra", E::Dict } } },
    { 5, "AUTHENTICATE", D::FromClient, 2, 2, { { "Signature", E::String }, { "Extra", E::Dict } } },
    { 6, "GOODBYE", D::Both, 2, 2, { { "Details", E::Dict }, { "Reason", E::Uri } } },
    { 8, "ERROR", D::Both, 4, 6,
      { { "REQUEST.Type", E::Integer }, { "REQUEST.Request", E::Id }, { "Details", E::Dict }, { "Error", E::Uri },
        { "Arguments", E::List }, { "ArgumentsKw", E::Dict } } },
    { 16, "PUBLISH", D::FromClient, 3, 5,
      { { "Request", E::Id }, { "Options", E::Dict }, { "Topic", E::Uri }, { "Arguments", E::List }, { "ArgumentsKw", E::Dict } } },
    { 17, "PUBLISHED", D::FromRouter, 2, 2, { { "PUBLISH.Request", E::Id }, { "Publication", E::Id } } },
    { 32, "SUBSCRIBE", D::FromClient, 3, 3, { { "Request", E::Id }, { "Options", E::Dict }, { "Topic", E::Uri } } },
    { 33, "SUBSCRIBED", D::FromRouter, 2, 2, { { "SUBSCRIBE.Request", E::Id }, { "Subscription", E::Id } } },
    { 34, "UNSUBSCRIBE", D::FromClient, 2, 2, { { "Request", E::Id }, { "SUBSCRIBED.Subscription", E::Id } } },
    { 35, "UNSUBSCRIBED", D::FromRouter, 1, 2, { { "UNSUBSCRIBE.Request", E::Id }, { "Details", E::Dict } } },
    { 36, "EVENT", D::FromRouter, 3, 5,
      { { "SUBSCRIBED.Subscription", E::Id }, { "PUBLISHED.Publication", E::Id }, { "Details", E::Dict },
        { "PUBLISH.Arguments", E::List }, { "PUBLISH.ArgumentsKw", E::Dict } } },
    { 48, "CALL", D::FromClient, 3, 5,
      { { "Request", E::Id }, { "Options", E::Dict }, { "Procedure", E::Uri }, { "Arguments", E::List }, { "ArgumentsKw", E::Dict } } },
    { 49, "CANCEL", D::FromClient, 2, 2, { { "CALL.Request", E::Id }, { "Options", E::Dict } } },
    { 50, "RESULT", D::FromRouter, 2, 4,
      { { "CALL.Request", E::Id }, { "Details", E::Dict }, { "YIELD.Arguments", E::List }, { "YIELD.ArgumentsKw", E::Dict } } },
    { 64, "REGISTER", D::FromClient, 3, 3, { { "Request", E::Id }, { "Options", E::Dict }, { "Procedure", E::Uri } } },
    { 65, "REGISTERED", D::FromRouter, 2, 2, { { "REGISTER.Request", E::Id }, { "Registration", E::Id } } },
    { 66, "UNREGISTER", D::FromClient, 2, 2, { { "Request", E::Id }, { "REGISTERED.Registration", E::Id } } },
    { 67, "UNREGISTERED", D::FromRouter, 1, 2, { { "UNREGISTER.Request", E::Id }, { "Details", E::Dict } } },
    { 68, "INVOCATION", D::FromRouter, 3, 5,
      { { "Request", E::Id }, { "REGISTERED.Registration", E::Id }, { "Details", E::Dict }, { "CALL.Arguments", E::List },
        { "CALL.ArgumentsKw", E::Dict } } },
    { 69, "INTERRUPT", D::FromRouter, 2, 2, { { "INVOCATION.Request", E::Id }, { "Options", E::Dict } } },
    { 70, "YIELD", D::FromClient, 2, 4,
      { { "INVOCATION.Request", E::Id }, { "Options", E::Dict }, { "Arguments", E::List }, { "ArgumentsKw", E::Dict } } },
};

// The requests an ERROR can answer (basic profile, "ERROR").
constexpr int Failable[] = { 16, 32, 34, 48, 64, 66, 68 };

const TypeSpec *spec(int code)
{
    for (const TypeSpec &t : Types)
        if (t.code == code)
            return &t;
    return nullptr;
}

QString typeWord(ElementType type)
{
    switch (type) {
    case E::Uri:
        return QStringLiteral("uri");
    case E::Id:
        return QStringLiteral("id");
    case E::Integer:
        return QStringLiteral("integer");
    case E::String:
        return QStringLiteral("string");
    case E::Dict:
        return QStringLiteral("dict");
    case E::List:
        return QStringLiteral("list");
    case E::None:
        break;
    }
    return {};
}

// An integer written as one (digits only: WAMP's integers are not floats), or nullopt.
std::optional<quint64> integer(const Value &v)
{
    if (v.kind != Kind::Number || v.text.isEmpty() || v.text.size() > 19)
        return std::nullopt;
    for (const char c : v.text)
        if (c < '0' || c > '9')
            return std::nullopt;
    return v.text.toULongLong();
}

// A value in a sentence: a number's literal, else what kind of value it is.
QString shown(const Value &v)
{
    return v.kind == Kind::Number ? DisplayText::line(v.text, 40) : JsonValues::kindName(v.kind);
}

// The URI rules (basic profile, "Relaxed/Loose URIs"): components are not empty (unless the
// message allows it: wildcard patterns) and hold no white space and no '#'.
QString uriProblem(const QString &uri, bool emptyComponents)
{
    if (uri.isEmpty())
        return emptyComponents ? QString() : Tr::tr("it is empty");
    if (uri.contains(QLatin1Char('#')))
        return Tr::tr("it holds '#', which routers keep for themselves");
    for (const QChar c : uri)
        if (c.isSpace())
            return Tr::tr("it holds white space");
    if (!emptyComponents && uri.split(QLatin1Char('.')).contains(QString()))
        return Tr::tr("it has an empty component");
    return {};
}

QString elementProblem(const TypeSpec &t, const ElementSpec &e, const Value &v, bool emptyComponents, bool zeroId)
{
    const QString what = QStringLiteral("%1: %2|%3").arg(QLatin1StringView(t.name), QLatin1StringView(e.name), typeWord(e.type));
    switch (e.type) {
    case E::Id: {
        const auto id = integer(v);
        if (!id || *id > MaxId || (*id == 0 && !zeroId))
            return Tr::tr("%1 must be an integer from 1 to 2^53, not %2").arg(what, shown(v));
        return {};
    }
    case E::Integer:
        return integer(v) ? QString() : Tr::tr("%1 must be a non-negative integer, not %2").arg(what, shown(v));
    case E::String:
        return v.kind == Kind::String ? QString() : Tr::tr("%1 must be a string, not %2").arg(what, shown(v));
    case E::Uri: {
        if (v.kind != Kind::String)
            return Tr::tr("%1 must be a string, not %2").arg(what, shown(v));
        const QString uri = JsonValues::string(v.text);
        const QString why = uriProblem(uri, emptyComponents);
        return why.isEmpty() ? QString()
                             : Tr::tr("%1 %2 is not a WAMP URI: %3").arg(what, DisplayText::quoted(uri.toUtf8(), UriChars), why);
    }
    case E::Dict:
        return v.kind == Kind::Object ? QString() : Tr::tr("%1 must be a dict (a JSON object), not %2").arg(what, shown(v));
    case E::List:
        return v.kind == Kind::Array ? QString() : Tr::tr("%1 must be a list (a JSON array), not %2").arg(what, shown(v));
    case E::None:
        break;
    }
    return {};
}

bool isTrue(const Value *dict, QLatin1StringView name)
{
    if (!dict || dict->kind != Kind::Object)
        return false;
    const QList<JsonValues::Member> members = JsonValues::members(dict->text);
    const Value *v = JsonValues::find(members, name);
    return v && v->text == "true";
}

QString stringMember(const Value *dict, QLatin1StringView name)
{
    if (!dict || dict->kind != Kind::Object)
        return {};
    const QList<JsonValues::Member> members = JsonValues::members(dict->text);
    const Value *v = JsonValues::find(members, name);
    return v && v->kind == Kind::String ? JsonValues::string(v->text) : QString();
}

} // namespace

namespace Wamp {

const Value *Message::element(QLatin1StringView name) const
{
    for (const Element &e : elements) {
        if (e.name == name || (e.name.endsWith(name) && e.name.size() > name.size() && e.name[e.name.size() - name.size() - 1] == u'.'))
            return &e.value;
    }
    return nullptr;
}

std::optional<quint64> Message::id(QLatin1StringView name) const
{
    const Value *v = element(name);
    if (!v)
        return std::nullopt;
    const auto id = integer(*v);
    return id && *id <= MaxId ? id : std::nullopt;
}

bool Message::flag(QLatin1StringView name) const
{
    if (isTrue(element(QLatin1StringView("Options")), name))
        return true;
    return isTrue(element(QLatin1StringView("Details")), name);
}

std::optional<Direction> direction(const Message &m)
{
    if (m.code != int(Type::Error))
        return direction(m.code);
    // A callee answers an INVOCATION; the router answers everything else.
    const Value *type = m.element(QLatin1StringView("REQUEST.Type"));
    const auto requestType = type ? integer(*type) : std::nullopt;
    if (!requestType)
        return D::Both;
    return *requestType == quint64(Type::Invocation) ? D::FromClient : D::FromRouter;
}

QString typeName(int code)
{
    const TypeSpec *t = spec(code);
    return t ? QLatin1StringView(t->name).toString() : QString();
}

QString signature(int code)
{
    const TypeSpec *t = spec(code);
    if (!t)
        return {};
    QStringList parts { QLatin1StringView(t->name).toString() };
    for (int i = 0; i < t->total; ++i)
        parts << QStringLiteral("%1|%2").arg(QLatin1StringView(t->elements[i].name), typeWord(t->elements[i].type));
    return QLatin1Char('[') + parts.join(QStringLiteral(", ")) + QLatin1Char(']');
}

std::optional<Direction> direction(int code)
{
    const TypeSpec *t = spec(code);
    return t ? std::optional(t->direction) : std::nullopt;
}

std::optional<Message> parse(Sender sender, QByteArrayView text, QString *error)
{
    auto refuse = [error](const QString &why) -> std::optional<Message> {
        if (error)
            *error = why;
        return std::nullopt;
    };
    if (const auto problem = JsonValues::problem(text))
        return refuse(Tr::tr("not JSON: %1").arg(*problem));
    if (const Kind kind = JsonValues::kindOf(text); kind != Kind::Array)
        return refuse(Tr::tr("not a WAMP message: a message is a JSON array led by its type code, not %1").arg(JsonValues::kindName(kind)));
    Message m;
    QList<Value> items = JsonValues::items(text);
    if (items.isEmpty()) {
        m.problem = Tr::tr("an empty array: a WAMP message starts with its type code");
        return m;
    }
    m.codeText = items.first().text;
    const auto code = integer(items.first());
    const TypeSpec *t = code && *code <= 1023 ? spec(int(*code)) : nullptr;
    if (code && *code <= 1023)
        m.code = int(*code);
    for (qsizetype i = 1; i < items.size(); ++i) {
        const bool named = t && i <= t->total;
        m.elements << Element { named ? QLatin1StringView(t->elements[i - 1].name).toString() : QStringLiteral("[%1]").arg(i), items[i] };
    }
    if (!code) {
        m.problem = Tr::tr("a WAMP message starts with its type code, an integer, not %1").arg(shown(items.first()));
        return m;
    }
    if (!t) {
        if (!m.extension())
            m.problem = Tr::tr("WAMP has no message type %1").arg(DisplayText::line(items.first().text, 40));
        return m;
    }
    const int count = int(items.size() - 1);
    if (count < t->required || count > t->total) {
        m.problem = t->required == t->total
            ? Tr::tr("%1 needs %2 elements after its type code, this one has %3: %4")
                  .arg(QLatin1StringView(t->name))
                  .arg(t->total)
                  .arg(count)
                  .arg(signature(t->code))
            : Tr::tr("%1 needs %2 to %3 elements after its type code, this one has %4: %5")
                  .arg(QLatin1StringView(t->name))
                  .arg(t->required)
                  .arg(t->total)
                  .arg(count)
                  .arg(signature(t->code));
        return m;
    }
    // Pattern-based subscriptions and registrations may leave components empty: "com..update".
    const bool wildcard = stringMember(m.element(QLatin1StringView("Options")), QLatin1StringView("match")) == QLatin1StringView("wildcard");
    // Revocation: UNSUBSCRIBED and UNREGISTERED with Details carry request 0.
    const bool revocation = (t->code == int(Type::Unsubscribed) || t->code == int(Type::Unregistered)) && count == 2;
    for (int i = 0; i < count; ++i) {
        const QString why = elementProblem(*t, t->elements[i], m.elements[i].value, wildcard, revocation && i == 0);
        if (!why.isEmpty()) {
            m.problem = why;
            return m;
        }
    }
    if (t->code == int(Type::Error)) {
        const int requestType = int(qMin<quint64>(*integer(m.elements[0].value), 1024));
        if (std::find(std::begin(Failable), std::end(Failable), requestType) == std::end(Failable)) {
            const QString name = typeName(requestType);
            m.problem = Tr::tr("ERROR: REQUEST.Type %1 is not a request that can fail; an ERROR answers SUBSCRIBE, UNSUBSCRIBE, PUBLISH, CALL, REGISTER, UNREGISTER or INVOCATION")
                            .arg(name.isEmpty() ? DisplayText::line(m.elements[0].value.text, 40)
                                                : QStringLiteral("%1 (%2)").arg(requestType).arg(name));
            return m;
        }
    }
    const Direction d = *direction(m);
    if (d == D::Both || (d == D::FromClient) == (sender == Sender::Client))
        return m;
    const QString what = t->code == int(Type::Error)
        ? Tr::tr("an ERROR for %1").arg(typeName(int(*integer(m.elements[0].value))))
        : QLatin1StringView(t->name).toString();
    // What Autobahn|JS says when it fails the transport for it.
    const QString violation = t->code == int(Type::Error)
        ? QStringLiteral("unexpected ERROR message with request_type %1").arg(*integer(m.elements[0].value))
        : QStringLiteral("unexpected message type %1").arg(t->code);
    m.problem = d == D::FromRouter
        ? Tr::tr("only the router sends %1 (a router aborts the session: ABORT with wamp.error.protocol_violation)").arg(what)
        : Tr::tr("only a client sends %1 (Autobahn|JS closes the WebSocket with 3002 \"protocol violation: %2\")").arg(what, violation);
    return m;
}

QString summary(const Message &m)
{
    const QString name = typeName(m.code);
    if (name.isEmpty()) {
        // An extension message's elements after its code; anything else as the whole array.
        QStringList parts { m.extension() ? Tr::tr("extension message %1").arg(m.code) : Tr::tr("unknown") };
        QByteArrayList items;
        if (!m.extension() && !m.codeText.isEmpty())
            items << JsonValues::compact(m.codeText).toUtf8();
        for (const Element &e : m.elements)
            items << JsonValues::compact(e.value.text).toUtf8();
        if (!items.isEmpty() || !m.extension())
            parts << DisplayText::line('[' + items.join(',') + ']', ValueChars);
        return parts.join(QLatin1Char(' '));
    }
    QStringList parts { name };
    const Value *details = m.element(QLatin1StringView("Details"));
    auto uri = [&](const char *element) {
        const Value *v = m.element(QLatin1StringView(element));
        if (v && v->kind == Kind::String)
            parts << DisplayText::line(JsonValues::string(v->text).toUtf8(), UriChars);
        else if (v)
            parts << DisplayText::line(JsonValues::compact(v->text).toUtf8(), UriChars);
    };
    auto id = [&](const QString &word, const char *element) {
        if (const Value *v = m.element(QLatin1StringView(element)))
            parts << QStringLiteral("%1 %2").arg(word, DisplayText::line(JsonValues::compact(v->text).toUtf8(), 40));
    };
    auto payload = [&] {
        for (const char *element : { "Arguments", "ArgumentsKw" })
            if (const Value *v = m.element(QLatin1StringView(element)))
                parts << DisplayText::line(JsonValues::compact(v->text).toUtf8(), ValueChars);
    };
    auto message = [&] {
        const QString text = stringMember(details, QLatin1StringView("message"));
        if (!text.isEmpty())
            parts << DisplayText::quoted(text.toUtf8(), ValueChars);
    };
    const QString request = Tr::tr("request");
    switch (Type(m.code)) {
    case Type::Hello:
        uri("Realm");
        break;
    case Type::Welcome:
        id(Tr::tr("session"), "Session");
        break;
    case Type::Abort:
    case Type::Goodbye:
        uri("Reason");
        message();
        payload();
        break;
    case Type::Challenge:
        uri("AuthMethod");
        break;
    case Type::Authenticate:
        break;
    case Type::Error: {
        const Value *type = m.element(QLatin1StringView("REQUEST.Type"));
        const auto code = type ? integer(*type) : std::nullopt;
        const QString requestName = code && *code < 1024 ? typeName(int(*code)) : QString();
        if (!requestName.isEmpty())
            parts << requestName;
        else if (type)
            parts << DisplayText::line(type->text, 40);
        id(request, "Request");
        uri("Error");
        payload();
        break;
    }
    case Type::Publish:
    case Type::Subscribe:
    case Type::Call:
    case Type::Register:
        uri(m.code == int(Type::Publish) || m.code == int(Type::Subscribe) ? "Topic" : "Procedure");
        id(request, "Request");
        payload();
        if (m.code == int(Type::Publish) && m.flag(QLatin1StringView("acknowledge")))
            parts << Tr::tr("(acknowledge)");
        break;
    case Type::Published:
        id(request, "Request");
        id(Tr::tr("publication"), "Publication");
        break;
    case Type::Subscribed:
    case Type::Unsubscribe:
        id(request, "Request");
        id(Tr::tr("subscription"), "Subscription");
        break;
    case Type::Registered:
    case Type::Unregister:
        id(request, "Request");
        id(Tr::tr("registration"), "Registration");
        break;
    case Type::Unsubscribed:
    case Type::Unregistered:
        id(request, "Request");
        if (details)
            parts << DisplayText::line(JsonValues::compact(details->text).toUtf8(), ValueChars);
        break;
    case Type::Event:
        id(Tr::tr("subscription"), "Subscription");
        payload();
        break;
    case Type::Invocation:
        id(request, "Request");
        id(Tr::tr("registration"), "Registration");
        payload();
        break;
    case Type::Cancel:
    case Type::Interrupt:
        id(request, "Request");
        break;
    case Type::Result:
    case Type::Yield:
        id(request, "Request");
        payload();
        if (m.flag(QLatin1StringView("progress")))
            parts << Tr::tr("(progress)");
        break;
    }
    return parts.join(QLatin1Char(' '));
}

} // namespace Wamp
