#include "decode/socketiopacket.h"

#include "decode/jsonvalues.h"
#include "text/displaytext.h"
#include "text/jsontext.h"

#include <QCoreApplication>

namespace {

struct Tr {
    Q_DECLARE_TR_FUNCTIONS(SocketIo)
};

using namespace SocketIo;

template <typename Result>
std::optional<Result> fail(QString *error, const QString &why)
{
    if (error)
        *error = why;
    return std::nullopt;
}

bool isDigit(char c)
{
    return c >= '0' && c <= '9';
}

// The first element of a compact JSON array when it is a string, and the array of the rest:
// `["chat message","hi"]` gives `chat message` and `["hi"]`, in the order and spelling sent.
std::optional<std::pair<QString, QString>> splitEvent(const QString &compactArray)
{
    if (!compactArray.startsWith(QLatin1String("[\"")))
        return std::nullopt;
    qsizetype end = 2;
    while (end < compactArray.size() && compactArray[end] != QLatin1Char('"'))
        end += compactArray[end] == QLatin1Char('\\') ? 2 : 1;
    if (end >= compactArray.size())
        return std::nullopt;
    const QStringView literal = QStringView(compactArray).sliced(1, end);
    const QStringView rest = QStringView(compactArray).sliced(end + 2); // after the closing quote and its , or ]
    QString name = literal.contains(QLatin1Char('\\')) ? JsonValues::string(literal.toUtf8()) : literal.sliced(1, literal.size() - 2).toString();
    QString arguments = QStringLiteral("[");
    arguments += rest.isEmpty() ? QStringView(u"]") : rest;
    return std::pair { std::move(name), std::move(arguments) };
}

// Also splits an event into its name and arguments, which the check needs anyway.
QString payloadProblem(Packet &p)
{
    // What socket.io-parser accepts for each type (socket.io-protocol v5).
    const QByteArray trimmed = p.data.trimmed();
    const char first = trimmed.isEmpty() ? '\0' : trimmed.front();
    switch (p.type) {
    case Packet::Type::Connect:
        return trimmed.isEmpty() || first == '{' ? QString() : Tr::tr("a connect carries an object or nothing");
    case Packet::Type::Disconnect:
        return trimmed.isEmpty() ? QString() : Tr::tr("a disconnect carries no payload");
    case Packet::Type::ConnectError:
        return first == '{' || first == '"' ? QString() : Tr::tr("a connect error carries an object or a string");
    case Packet::Type::Event:
    case Packet::Type::BinaryEvent:
        if (auto event = splitEvent(p.compact)) {
            p.eventName = std::move(event->first);
            p.eventArguments = std::move(event->second);
            return {};
        }
        return Tr::tr("an event is an array led by the event's name");
    case Packet::Type::Ack:
    case Packet::Type::BinaryAck:
        return first == '[' ? QString() : Tr::tr("an ack carries an array");
    }
    return {};
}

} // namespace

namespace SocketIo {

std::optional<EnginePacket> parseEngine(QByteArrayView frame, QString *error)
{
    if (frame.isEmpty())
        return fail<EnginePacket>(error, Tr::tr("not an Engine.IO packet: the frame is empty"));
    const char type = frame.front();
    if (type < '0' || type > '6')
        return fail<EnginePacket>(error, Tr::tr("not an Engine.IO packet: it starts with %1, not a type from 0 to 6")
                                             .arg(DisplayText::quoted(frame.first(1), 10)));
    EnginePacket p;
    p.type = EnginePacket::Type(type - '0');
    p.data = frame.sliced(1).toByteArray();
    return p;
}

std::optional<Packet> parse(QByteArrayView data, QString *error)
{
    if (data.isEmpty())
        return fail<Packet>(error, Tr::tr("not a Socket.IO packet: the message is empty"));
    if (data.front() < '0' || data.front() > '6')
        return fail<Packet>(error, Tr::tr("not a Socket.IO packet: it starts with %1, not a type from 0 to 6")
                                       .arg(DisplayText::quoted(data.first(1), 10)));
    Packet p;
    p.type = Packet::Type(data.front() - '0');
    qsizetype at = 1;
    const bool binary = p.type == Packet::Type::BinaryEvent || p.type == Packet::Type::BinaryAck;
    if (binary) {
        const qsizetype dash = data.indexOf('-', at);
        bool ok = dash > at && dash - at <= 6;
        const int count = ok ? data.sliced(at, dash - at).toByteArray().toInt(&ok) : 0;
        if (!ok || count < 0)
            return fail<Packet>(error, Tr::tr("a binary packet's attachment count must be digits followed by '-'"));
        p.attachments = count;
        at = dash + 1;
    }
    if (at < data.size() && data[at] == '/') {
        const qsizetype comma = data.indexOf(',', at);
        const qsizetype end = comma < 0 ? data.size() : comma;
        p.nsp = data.sliced(at, end - at).toByteArray();
        at = comma < 0 ? data.size() : comma + 1;
    }
    const qsizetype digits = at;
    while (at < data.size() && isDigit(data[at]))
        ++at;
    if (at > digits) {
        // Acks are JavaScript numbers: anything longer than 15 digits cannot be one exactly.
        if (at - digits > 15)
            return fail<Packet>(error, Tr::tr("the ack id %1 is too long").arg(DisplayText::line(data.sliced(digits, at - digits), 40)));
        p.ackId = data.sliced(digits, at - digits).toByteArray().toULongLong();
    }
    p.data = data.sliced(at).toByteArray();
    if (!p.data.isEmpty()) {
        const QString text = QString::fromUtf8(p.data);
        if (const auto problem = JsonText::check(text))
            return fail<Packet>(error, Tr::tr("the payload is not JSON: %1").arg(problem->message));
        p.compact = JsonText::compact(text);
    }
    if (const QString problem = payloadProblem(p); !problem.isEmpty())
        return fail<Packet>(error, Tr::tr("not a valid %1: %2").arg(typeName(p.type), problem));
    return p;
}

std::optional<std::pair<QString, QString>> event(const Packet &packet)
{
    if (packet.type != Packet::Type::Event && packet.type != Packet::Type::BinaryEvent)
        return std::nullopt;
    return std::pair { packet.eventName, packet.eventArguments };
}

QString typeName(EnginePacket::Type type)
{
    switch (type) {
    case EnginePacket::Type::Open:
        return Tr::tr("open");
    case EnginePacket::Type::Close:
        return Tr::tr("close");
    case EnginePacket::Type::Ping:
        return Tr::tr("ping");
    case EnginePacket::Type::Pong:
        return Tr::tr("pong");
    case EnginePacket::Type::Message:
        return Tr::tr("message");
    case EnginePacket::Type::Upgrade:
        return Tr::tr("upgrade");
    case EnginePacket::Type::Noop:
        return Tr::tr("noop");
    }
    return {};
}

QString typeName(Packet::Type type)
{
    switch (type) {
    case Packet::Type::Connect:
        return Tr::tr("connect");
    case Packet::Type::Disconnect:
        return Tr::tr("disconnect");
    case Packet::Type::Event:
        return Tr::tr("event");
    case Packet::Type::Ack:
        return Tr::tr("ack");
    case Packet::Type::ConnectError:
        return Tr::tr("connect error");
    case Packet::Type::BinaryEvent:
        return Tr::tr("binary event");
    case Packet::Type::BinaryAck:
        return Tr::tr("binary ack");
    }
    return {};
}

QString summary(const Packet &p)
{
    constexpr int ArgumentChars = 80;
    QStringList parts { typeName(p.type) };
    if ((p.type == Packet::Type::Event || p.type == Packet::Type::BinaryEvent)) {
        parts << DisplayText::quoted(p.eventName.toUtf8(), 60);
        parts << DisplayText::line(p.eventArguments.toUtf8(), ArgumentChars);
    } else if (!p.compact.isEmpty()) {
        parts << DisplayText::line(p.compact.toUtf8(), ArgumentChars);
    }
    if (p.type == Packet::Type::Ack || p.type == Packet::Type::BinaryAck) {
        if (p.ackId)
            parts.insert(1, QString::number(*p.ackId));
    } else if (p.ackId) {
        parts << Tr::tr("ack %1").arg(*p.ackId);
    }
    if (p.attachments > 0)
        parts << (p.attachments == 1 ? Tr::tr("+1 attachment") : Tr::tr("+%1 attachments").arg(p.attachments));
    if (p.nsp != "/")
        parts << Tr::tr("on %1").arg(DisplayText::line(p.nsp, 60));
    return parts.join(QLatin1Char(' '));
}

} // namespace SocketIo
