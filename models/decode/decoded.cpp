#include "decode/decoded.h"

#include "text/jsontext.h"
#include "text/sizeformat.h"
#include "text/utf8validator.h"

#include <QCoreApplication>

namespace {

struct Tr {
    Q_DECLARE_TR_FUNCTIONS(Decode)
};

using namespace Decode;

bool unitOk(const Unit &u)
{
    if (!u.error.isEmpty())
        return false;
    for (const Unit &i : u.inner)
        if (!unitOk(i))
            return false;
    return true;
}

void collectCorrelations(const Unit &u, QList<Correlation> &out)
{
    out += u.correlations;
    for (const Unit &i : u.inner)
        collectCorrelations(i, out);
}

void collectText(const QList<Field> &fields, QString &out)
{
    for (const Field &f : fields) {
        out += f.name + QLatin1Char(' ') + f.value + QLatin1Char('\n');
        collectText(f.children, out);
    }
}

void collectText(const Unit &u, QString &out)
{
    out += u.type + QLatin1Char(' ') + u.summary + QLatin1Char('\n');
    if (!u.error.isEmpty())
        out += u.error + QLatin1Char('\n');
    collectText(u.fields, out);
    for (const Unit &i : u.inner)
        collectText(i, out);
}

} // namespace

namespace Decode {

QString roleName(Correlation::Role role)
{
    switch (role) {
    case Correlation::Role::Request:
        return QStringLiteral("request");
    case Correlation::Role::Answer:
        return QStringLiteral("answer");
    case Correlation::Role::Progress:
        return QStringLiteral("progress");
    case Correlation::Role::Continue:
        return QStringLiteral("continue");
    }
    return {};
}

QString protocolName(Protocol protocol)
{
    switch (protocol) {
    case Protocol::None:
        return Tr::tr("none");
    case Protocol::SocketIo:
        return QStringLiteral("Socket.IO");
    case Protocol::Stomp:
        return QStringLiteral("STOMP");
    case Protocol::SockJs:
        return QStringLiteral("SockJS");
    case Protocol::Mqtt:
        return QStringLiteral("MQTT");
    case Protocol::JsonRpc:
        return QStringLiteral("JSON-RPC");
    case Protocol::GraphQlTransportWs:
        return QStringLiteral("graphql-transport-ws");
    case Protocol::GraphQlWs:
        return QStringLiteral("graphql-ws");
    case Protocol::Wamp:
        return QStringLiteral("WAMP");
    }
    return {};
}

QString protocolId(Protocol protocol)
{
    switch (protocol) {
    case Protocol::None:
        return QStringLiteral("none");
    case Protocol::SocketIo:
        return QStringLiteral("socketio");
    case Protocol::Stomp:
        return QStringLiteral("stomp");
    case Protocol::SockJs:
        return QStringLiteral("sockjs");
    case Protocol::Mqtt:
        return QStringLiteral("mqtt");
    case Protocol::JsonRpc:
        return QStringLiteral("jsonrpc");
    case Protocol::GraphQlTransportWs:
        return QStringLiteral("graphql-transport-ws");
    case Protocol::GraphQlWs:
        return QStringLiteral("graphql-ws");
    case Protocol::Wamp:
        return QStringLiteral("wamp");
    }
    return {};
}

QList<Protocol> allProtocols()
{
    return { Protocol::SocketIo, Protocol::Stomp, Protocol::SockJs, Protocol::Mqtt, Protocol::JsonRpc,
             Protocol::GraphQlTransportWs, Protocol::GraphQlWs, Protocol::Wamp };
}

std::optional<Protocol> protocolFromId(QStringView id)
{
    if (id.compare(QLatin1String("none"), Qt::CaseInsensitive) == 0)
        return Protocol::None;
    for (Protocol p : allProtocols())
        if (id.compare(protocolId(p), Qt::CaseInsensitive) == 0)
            return p;
    return std::nullopt;
}

std::optional<Choice> Choice::fromName(QStringView name)
{
    if (name.compare(QLatin1String("auto"), Qt::CaseInsensitive) == 0)
        return autoDetect();
    if (const auto protocol = protocolFromId(name))
        return fixed(*protocol);
    return std::nullopt;
}

QList<Field> jsonFields(QByteArrayView json, int budget)
{
    const QString text = QString::fromUtf8(json);
    if (const auto problem = JsonText::check(text))
        return { Field(Tr::tr("(not JSON)"), problem->message) };
    return validJsonFields(text, budget);
}

QList<Field> validJsonFields(QStringView json, int budget)
{
    const QList<JsonText::OutlineRow> rows = JsonText::outline(json, budget);
    // Rows come in document order with their depth: a stack of the open containers' child lists.
    QList<Field> top;
    QList<QList<Field> *> open { &top };
    for (const JsonText::OutlineRow &row : rows) {
        while (open.size() > row.depth + 1)
            open.removeLast();
        if (open.size() < row.depth + 1) // a row deeper than its parent allows: the outline's cut row
            continue;
        QList<Field> *siblings = open.last();
        siblings->append(Field(row.key, row.value));
        if (row.type == QLatin1String("object") || row.type == QLatin1String("array"))
            open.append(&siblings->last().children);
    }
    return top;
}

QString textOrHex(QByteArrayView bytes, int hexBytes)
{
    const bool control = std::any_of(bytes.begin(), bytes.end(), [](char c) {
        return (uchar(c) < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7f;
    });
    if (!control && Utf8Validator::isValid(bytes))
        return QString::fromUtf8(bytes);
    const qsizetype shown = qMin<qsizetype>(bytes.size(), hexBytes);
    QString hex = QString::fromLatin1(bytes.first(shown).toByteArray().toHex(' '));
    if (shown < bytes.size())
        hex += QStringLiteral(" …");
    return Tr::tr("%1: %2").arg(SizeFormat::bytes(quint64(bytes.size())), hex);
}

template <typename T>
static bool sameLists(const QList<T> &a, const QList<T> &b)
{
    return a.size() == b.size() && std::equal(a.cbegin(), a.cend(), b.cbegin(), [](const T &x, const T &y) { return x == y; });
}

bool operator==(const Field &a, const Field &b)
{
    return a.name == b.name && a.value == b.value && sameLists(a.children, b.children);
}

bool operator==(const Unit &a, const Unit &b)
{
    return a.type == b.type && a.summary == b.summary && sameLists(a.fields, b.fields) && a.error == b.error
        && a.correlations == b.correlations && a.innerProtocol == b.innerProtocol && sameLists(a.inner, b.inner);
}

bool operator==(const Decoded &a, const Decoded &b)
{
    return a.protocol == b.protocol && sameLists(a.units, b.units) && a.error == b.error;
}

bool Decoded::ok() const
{
    if (!error.isEmpty())
        return false;
    for (const Unit &u : units)
        if (!unitOk(u))
            return false;
    return true;
}

QString Decoded::summary(int maxUnits) const
{
    if (protocol == Protocol::None)
        return {};
    const QString name = protocolName(protocol);
    if (!error.isEmpty())
        return Tr::tr("%1: %2").arg(name, error);
    QStringList parts;
    for (qsizetype i = 0; i < units.size() && i < maxUnits; ++i) {
        const Unit &u = units[i];
        parts << (u.error.isEmpty() ? u.summary : Tr::tr("%1 (%2)").arg(u.summary, u.error));
    }
    if (units.size() > maxUnits)
        parts << Tr::tr("%n more", nullptr, int(units.size() - maxUnits));
    return name + QLatin1Char(' ') + parts.join(QStringLiteral(" · "));
}

QList<Correlation> Decoded::correlations() const
{
    QList<Correlation> out;
    for (const Unit &u : units)
        collectCorrelations(u, out);
    return out;
}

QStringList Decoded::correlationTexts() const
{
    QStringList out;
    for (const Correlation &c : correlations())
        out << roleName(c.role) + QLatin1Char(' ') + QString::fromUtf8(c.key);
    return out;
}

QString Decoded::searchText() const
{
    QString out = summary(1 << 20) + QLatin1Char('\n');
    for (const Unit &u : units)
        collectText(u, out);
    return out;
}

} // namespace Decode
