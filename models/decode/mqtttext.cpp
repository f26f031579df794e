#include "decode/mqtttext.h"

#include "text/displaytext.h"
#include "text/hexdigits.h"
#include "text/utf8validator.h"

#include <QCoreApplication>

namespace {

struct Tr {
    Q_DECLARE_TR_FUNCTIONS(Mqtt)
};

using namespace Mqtt;

struct Line {
    int number = 0; // from 1
    QString key; // lower case
    QString value; // trimmed
    qsizetype valuePos = 0; // index of the value (or of the line when it has none) in the text
};

// Why the text cannot be encoded; the first one found wins.
struct Failure {
    QString error;
    qsizetype pos = -1;
};

Failure failAt(const Line &line, const QString &why)
{
    return { Tr::tr("line %1: %2").arg(line.number).arg(why), line.valuePos };
}

std::optional<quint32> number(const QString &value, quint32 max)
{
    bool ok = false;
    const qulonglong n = value.startsWith(QLatin1String("0x"), Qt::CaseInsensitive) ? value.mid(2).toULongLong(&ok, 16)
                                                                                  : value.toULongLong(&ok, 10);
    if (!ok || n > max)
        return std::nullopt;
    return quint32(n);
}

std::optional<bool> flag(const QString &value)
{
    const QString v = value.toLower();
    if (v == QLatin1String("true") || v == QLatin1String("yes") || v == QLatin1String("1"))
        return true;
    if (v == QLatin1String("false") || v == QLatin1String("no") || v == QLatin1String("0"))
        return false;
    return std::nullopt;
}

// Hex digits in pairs, spaces allowed between bytes.
std::optional<QByteArray> hexBytes(const QString &value)
{
    QString digits = value;
    digits.remove(QLatin1Char(' '));
    if (digits.size() % 2)
        return std::nullopt;
    QByteArray out;
    out.reserve(digits.size() / 2);
    for (qsizetype i = 0; i < digits.size(); i += 2) {
        const int high = hexDigitValue(digits[i].unicode());
        const int low = hexDigitValue(digits[i + 1].unicode());
        if (high < 0 || low < 0)
            return std::nullopt;
        out.append(char(high * 16 + low));
    }
    return out;
}

// "name = value" of a property line; the first " = " (or '=') splits.
std::optional<std::pair<QString, QString>> assignment(const QString &value)
{
    const qsizetype eq = value.indexOf(QLatin1Char('='));
    if (eq < 0)
        return std::nullopt;
    return std::pair { value.left(eq).trimmed(), value.mid(eq + 1).trimmed() };
}

// Which fields each packet type takes, besides `version` and the MQTT 5 property lines.
QStringList fieldsOf(Type type)
{
    switch (type) {
    case Type::Connect:
        return { QStringLiteral("client-id"), QStringLiteral("keep-alive"), QStringLiteral("clean-start"),
            QStringLiteral("clean-session"), QStringLiteral("username"), QStringLiteral("password"),
            QStringLiteral("password-hex"), QStringLiteral("will-topic"), QStringLiteral("will-payload"),
            QStringLiteral("will-payload-hex"), QStringLiteral("will-qos"), QStringLiteral("will-retain"),
            QStringLiteral("will-property"), QStringLiteral("will-user-property"), QStringLiteral("protocol-name"),
            QStringLiteral("protocol-level") };
    case Type::ConnAck:
        return { QStringLiteral("session-present"), QStringLiteral("reason-code") };
    case Type::Publish:
        return { QStringLiteral("topic"), QStringLiteral("qos"), QStringLiteral("retain"), QStringLiteral("dup"),
            QStringLiteral("packet-id"), QStringLiteral("payload-hex") };
    case Type::PubAck:
    case Type::PubRec:
    case Type::PubRel:
    case Type::PubComp:
        return { QStringLiteral("packet-id"), QStringLiteral("reason-code"), QStringLiteral("empty-properties") };
    case Type::Subscribe:
        return { QStringLiteral("packet-id"), QStringLiteral("filter"), QStringLiteral("qos"), QStringLiteral("no-local"),
            QStringLiteral("retain-as-published"), QStringLiteral("retain-handling") };
    case Type::SubAck:
    case Type::UnsubAck:
        return { QStringLiteral("packet-id"), QStringLiteral("reason-codes") };
    case Type::Unsubscribe:
        return { QStringLiteral("packet-id"), QStringLiteral("filter") };
    case Type::PingReq:
    case Type::PingResp:
        return {};
    case Type::Disconnect:
    case Type::Auth:
        return { QStringLiteral("reason-code"), QStringLiteral("empty-properties") };
    }
    return {};
}

bool needsPacketId(const Packet &p)
{
    switch (p.type) {
    case Type::Publish:
        return p.qos > 0;
    case Type::PubAck:
    case Type::PubRec:
    case Type::PubRel:
    case Type::PubComp:
    case Type::Subscribe:
    case Type::SubAck:
    case Type::Unsubscribe:
    case Type::UnsubAck:
        return true;
    default:
        return false;
    }
}

// MQTT 5 packets that always carry a property length; the short acknowledgements, DISCONNECT and
// AUTH carry one only when they have properties.
bool propertiesAlwaysSent(Type type)
{
    switch (type) {
    case Type::Connect:
    case Type::ConnAck:
    case Type::Publish:
    case Type::Subscribe:
    case Type::SubAck:
    case Type::Unsubscribe:
    case Type::UnsubAck:
        return true;
    default:
        return false;
    }
}

class Reader {
public:
    explicit Reader(Packet &packet)
        : p(packet)
    {
    }

    std::optional<Failure> apply(const Line &line)
    {
        const QString &k = line.key;
        const QString &v = line.value;
        auto bad = [&](const QString &why) { return std::optional<Failure>(failAt(line, why)); };
        auto numberIn = [&](quint32 max, quint32 *out) -> std::optional<Failure> {
            const auto n = number(v, max);
            if (!n)
                return bad(Tr::tr("%1 must be a number from 0 to %2, not %3").arg(k).arg(max).arg(DisplayText::quoted(v.toUtf8(), 40)));
            *out = *n;
            return std::nullopt;
        };
        auto flagOf = [&](bool *out) -> std::optional<Failure> {
            const auto f = flag(v);
            if (!f)
                return bad(Tr::tr("%1 must be true or false, not %2").arg(k, DisplayText::quoted(v.toUtf8(), 40)));
            *out = *f;
            return std::nullopt;
        };
        auto hexOf = [&](QByteArray *out) -> std::optional<Failure> {
            const auto bytes = hexBytes(v);
            if (!bytes)
                return bad(Tr::tr("%1 must be hex digits in pairs (48 69), not %2").arg(k, DisplayText::quoted(v.toUtf8(), 40)));
            *out = *bytes;
            return std::nullopt;
        };
        quint32 n = 0;
        if (k == QLatin1String("version"))
            return std::nullopt; // read before the others
        if (k == QLatin1String("property") || k == QLatin1String("user-property"))
            return property(line, p.properties);
        if (k == QLatin1String("will-property") || k == QLatin1String("will-user-property"))
            return property(line, will().properties);
        if (k == QLatin1String("client-id"))
            p.clientId = v.toUtf8();
        else if (k == QLatin1String("keep-alive")) {
            if (auto f = numberIn(0xFFFF, &n))
                return f;
            p.keepAlive = quint16(n);
        } else if (k == QLatin1String("clean-start") || k == QLatin1String("clean-session"))
            return flagOf(&p.cleanStart);
        else if (k == QLatin1String("username"))
            p.username = v.toUtf8();
        else if (k == QLatin1String("password"))
            p.password = v.toUtf8();
        else if (k == QLatin1String("password-hex")) {
            QByteArray bytes;
            if (auto f = hexOf(&bytes))
                return f;
            p.password = bytes;
        } else if (k == QLatin1String("will-topic"))
            will().topic = v.toUtf8();
        else if (k == QLatin1String("will-payload"))
            will().payload = v.toUtf8();
        else if (k == QLatin1String("will-payload-hex"))
            return hexOf(&will().payload);
        else if (k == QLatin1String("will-qos")) {
            if (auto f = numberIn(3, &n))
                return f;
            will().qos = quint8(n);
        } else if (k == QLatin1String("will-retain"))
            return flagOf(&will().retain);
        else if (k == QLatin1String("protocol-name"))
            p.protocolName = v.toUtf8();
        else if (k == QLatin1String("protocol-level")) {
            if (auto f = numberIn(0xFF, &n))
                return f;
            p.protocolLevel = quint8(n);
        } else if (k == QLatin1String("empty-properties"))
            return flagOf(&m_emptyProperties);
        else if (k == QLatin1String("session-present"))
            return flagOf(&p.sessionPresent);
        else if (k == QLatin1String("reason-code")) {
            if (auto f = numberIn(0xFF, &n))
                return f;
            p.reasonCode = quint8(n);
            p.hasReasonCode = true;
        } else if (k == QLatin1String("reason-codes")) {
            p.reasonCodes.clear();
            const QStringList codes = v.split(QLatin1Char(','), Qt::SkipEmptyParts);
            for (const QString &code : codes) {
                const auto c = number(code.trimmed(), 0xFF);
                if (!c)
                    return bad(Tr::tr("reason-codes must be numbers from 0 to 255 separated by commas, not %1")
                                   .arg(DisplayText::quoted(code.trimmed().toUtf8(), 40)));
                p.reasonCodes << quint8(*c);
            }
        } else if (k == QLatin1String("topic"))
            p.topic = v.toUtf8();
        else if (k == QLatin1String("qos")) {
            if (auto f = numberIn(3, &n))
                return f;
            if (p.type == Type::Subscribe) {
                if (p.subscriptions.isEmpty())
                    return bad(Tr::tr("qos belongs to a filter: write the “filter:” line first"));
                p.subscriptions.last().options = quint8((p.subscriptions.last().options & ~0x03) | n);
            } else {
                p.qos = quint8(n);
            }
        } else if (k == QLatin1String("retain"))
            return flagOf(&p.retain);
        else if (k == QLatin1String("dup"))
            return flagOf(&p.dup);
        else if (k == QLatin1String("packet-id")) {
            if (auto f = numberIn(0xFFFF, &n))
                return f;
            p.packetId = quint16(n);
            m_packetIdGiven = true;
        } else if (k == QLatin1String("payload-hex")) {
            m_payloadHexGiven = true;
            return hexOf(&p.payload);
        } else if (k == QLatin1String("filter")) {
            if (p.type == Type::Subscribe)
                p.subscriptions << Subscription { v.toUtf8(), 0 };
            else
                p.topicFilters << v.toUtf8();
        } else if (k == QLatin1String("no-local") || k == QLatin1String("retain-as-published")) {
            if (p.subscriptions.isEmpty())
                return bad(Tr::tr("%1 belongs to a filter: write the “filter:” line first").arg(k));
            bool on = false;
            if (auto f = flagOf(&on))
                return f;
            const quint8 bit = k == QLatin1String("no-local") ? 0x04 : 0x08;
            quint8 &options = p.subscriptions.last().options;
            options = quint8(on ? options | bit : options & ~bit);
        } else if (k == QLatin1String("retain-handling")) {
            if (p.subscriptions.isEmpty())
                return bad(Tr::tr("%1 belongs to a filter: write the “filter:” line first").arg(k));
            if (auto f = numberIn(3, &n))
                return f;
            quint8 &options = p.subscriptions.last().options;
            options = quint8((options & ~0x30) | (n << 4));
        }
        return std::nullopt;
    }

    bool packetIdGiven() const { return m_packetIdGiven; }
    bool payloadHexGiven() const { return m_payloadHexGiven; }
    bool emptyPropertiesGiven() const { return m_emptyProperties; }

private:
    Will &will()
    {
        if (!p.will)
            p.will = Will {};
        return *p.will;
    }

    std::optional<Failure> property(const Line &line, QList<Property> &into)
    {
        if (p.version != Version::V5)
            return failAt(line, Tr::tr("properties exist only in MQTT 5: add “version: 5”"));
        const auto pair = assignment(line.value);
        if (!pair)
            return failAt(line, Tr::tr("a property is written NAME = VALUE"));
        const bool user = line.key.endsWith(QLatin1String("user-property"));
        Property prop;
        if (user) {
            prop.id = 0x26;
            prop.data = pair->first.toUtf8();
            prop.value = pair->second.toUtf8();
            into << prop;
            return std::nullopt;
        }
        std::optional<quint8> id = propertyIdFromKey(pair->first);
        if (!id) {
            if (const auto n = number(pair->first, 0xFF); n && propertyType(quint8(*n)))
                id = quint8(*n);
        }
        if (!id)
            return failAt(line, Tr::tr("%1 is no MQTT 5 property (Content Type, Message Expiry Interval, …, or its id)")
                                    .arg(DisplayText::quoted(pair->first.toUtf8(), 40)));
        prop.id = *id;
        const QString &value = pair->second;
        const QString name = QString(propertyKey(*id));
        auto numeric = [&](quint32 max) -> std::optional<Failure> {
            const auto n = number(value, max);
            if (!n)
                return failAt(line, Tr::tr("%1 must be a number from 0 to %2, not %3").arg(name).arg(max).arg(DisplayText::quoted(value.toUtf8(), 40)));
            prop.number = *n;
            return std::nullopt;
        };
        std::optional<Failure> problem;
        switch (*propertyType(*id)) {
        case PropertyType::Byte:
            problem = numeric(0xFF);
            break;
        case PropertyType::TwoByte:
            problem = numeric(0xFFFF);
            break;
        case PropertyType::FourByte:
            problem = numeric(0xFFFFFFFF);
            break;
        case PropertyType::VariableByteInteger:
            problem = numeric(MaxRemainingLength);
            break;
        case PropertyType::Utf8String:
            prop.data = value.toUtf8();
            break;
        case PropertyType::BinaryData:
            if (const auto bytes = hexBytes(value))
                prop.data = *bytes;
            else
                problem = failAt(line, Tr::tr("%1 is binary: write it as hex digits in pairs (48 69)").arg(name));
            break;
        case PropertyType::Utf8StringPair:
            return failAt(line, Tr::tr("write a user property as “user-property: NAME = VALUE”"));
        }
        if (problem)
            return problem;
        into << prop;
        return std::nullopt;
    }

    Packet &p;
    bool m_packetIdGiven = false;
    bool m_payloadHexGiven = false;
    bool m_emptyProperties = false;
};

std::optional<Type> typeFromName(const QString &name)
{
    for (int t = int(Type::Connect); t <= int(Type::Auth); ++t)
        if (name.compare(typeName(Type(t)), Qt::CaseInsensitive) == 0)
            return Type(t);
    return std::nullopt;
}

std::optional<Version> versionFromText(const QString &value)
{
    if (value == QLatin1String("3.1"))
        return Version::V31;
    if (value == QLatin1String("3.1.1"))
        return Version::V311;
    if (value == QLatin1String("5") || value == QLatin1String("5.0"))
        return Version::V5;
    return std::nullopt;
}

QString versionText(Version version)
{
    switch (version) {
    case Version::V31:
        return QStringLiteral("3.1");
    case Version::V311:
        return QStringLiteral("3.1.1");
    case Version::V5:
        return QStringLiteral("5");
    }
    return {};
}

// Text a line of the form can hold as it is: valid UTF-8, no line ends or other control characters,
// no space at either end (values are trimmed).
bool fitsOnALine(const QByteArray &bytes)
{
    for (char c : bytes)
        if (uchar(c) < 0x20 || c == 0x7F)
            return false;
    return Utf8Validator::isValid(bytes) && QString::fromUtf8(bytes).trimmed().toUtf8() == bytes;
}

// A payload after the blank line: valid UTF-8 whose only control characters are tabs and line
// feeds (an editor would turn a CR into a line feed).
bool fitsAsPayload(const QByteArray &bytes)
{
    for (char c : bytes)
        if ((uchar(c) < 0x20 && c != '\t' && c != '\n') || c == 0x7F)
            return false;
    return Utf8Validator::isValid(bytes);
}

QString hexText(const QByteArray &bytes)
{
    return QString::fromLatin1(bytes.toHex(' '));
}

QString propertyLines(const QList<Property> &properties, const QString &prefix)
{
    QString out;
    for (const Property &prop : properties) {
        if (prop.id == 0x26) {
            out += QStringLiteral("%1user-property: %2 = %3\n")
                       .arg(prefix, QString::fromUtf8(prop.data), QString::fromUtf8(prop.value));
            continue;
        }
        QString value;
        switch (propertyType(prop.id).value_or(PropertyType::Byte)) {
        case PropertyType::Byte:
        case PropertyType::TwoByte:
        case PropertyType::FourByte:
        case PropertyType::VariableByteInteger:
            value = QString::number(prop.number);
            break;
        case PropertyType::Utf8String:
            value = QString::fromUtf8(prop.data);
            break;
        case PropertyType::BinaryData:
            value = hexText(prop.data);
            break;
        case PropertyType::Utf8StringPair:
            break;
        }
        const QLatin1StringView key = propertyKey(prop.id);
        out += QStringLiteral("%1property: %2 = %3\n")
                   .arg(prefix, key.isEmpty() ? QStringLiteral("0x%1").arg(prop.id, 2, 16, QLatin1Char('0')) : QString(key), value);
    }
    return out;
}

QString boolText(bool value)
{
    return value ? QStringLiteral("true") : QStringLiteral("false");
}

} // namespace

namespace Mqtt {

TextPacket fromText(QStringView text)
{
    TextPacket result;
    auto fail = [&](const Failure &f) {
        result.error = f.error;
        result.errorPos = f.pos;
        return result;
    };

    // Split into lines, remembering where each starts; the payload starts after the first blank
    // line that follows the type.
    std::optional<Type> type;
    int typeLine = 0;
    QList<Line> lines;
    qsizetype payloadStart = -1;
    qsizetype pos = 0;
    int number = 0;
    while (pos <= text.size()) {
        qsizetype end = text.indexOf(u'\n', pos);
        if (end < 0)
            end = text.size();
        ++number;
        QStringView raw = text.sliced(pos, end - pos);
        if (raw.endsWith(u'\r'))
            raw.chop(1);
        const QStringView trimmed = raw.trimmed();
        const qsizetype lineStart = pos;
        pos = end + 1;
        if (trimmed.startsWith(u'#'))
            continue;
        if (trimmed.isEmpty()) {
            if (type) {
                payloadStart = qMin(pos, text.size());
                break;
            }
            continue;
        }
        if (!type) {
            type = typeFromName(trimmed.toString());
            typeLine = number;
            if (!type) {
                return fail({ Tr::tr("line %1: %2 is no MQTT packet type (CONNECT, PUBLISH, SUBSCRIBE, PINGREQ, …)")
                                  .arg(number)
                                  .arg(DisplayText::quoted(trimmed.toUtf8(), 40)),
                    lineStart });
            }
            continue;
        }
        const qsizetype colon = raw.indexOf(u':');
        if (colon < 0) {
            return fail({ Tr::tr("line %1: %2 is not a field: write NAME: VALUE").arg(number).arg(DisplayText::quoted(trimmed.toUtf8(), 40)),
                lineStart });
        }
        Line line;
        line.number = number;
        line.key = raw.first(colon).trimmed().toString().toLower();
        const QStringView rest = raw.sliced(colon + 1);
        line.value = rest.trimmed().toString();
        qsizetype lead = 0;
        while (lead < rest.size() && rest[lead].isSpace())
            ++lead;
        line.valuePos = lineStart + colon + 1 + lead;
        lines << line;
    }
    if (!type)
        return fail({ Tr::tr("no packet: write its type on the first line (CONNECT, PUBLISH, SUBSCRIBE, …)"), 0 });

    Packet p;
    p.type = *type;
    p.hasProperties = false;
    const QStringList allowed = fieldsOf(p.type);
    for (const Line &line : lines) {
        if (line.key == QLatin1String("version")) {
            const auto version = versionFromText(line.value);
            if (!version)
                return fail(failAt(line, Tr::tr("version must be 3.1, 3.1.1 or 5, not %1").arg(DisplayText::quoted(line.value.toUtf8(), 40))));
            p.version = *version;
            continue;
        }
        const bool property = line.key == QLatin1String("property") || line.key == QLatin1String("user-property");
        if (!property && !allowed.contains(line.key)) {
            return fail(failAt(line,
                allowed.isEmpty() ? Tr::tr("%1 has no fields").arg(aTypeName(p.type))
                                  : Tr::tr("%1 has no field %2; it has: %3")
                                        .arg(aTypeName(p.type), DisplayText::quoted(line.key.toUtf8(), 40), allowed.join(QStringLiteral(", ")))));
        }
    }
    if (p.type == Type::Connect) {
        p.protocolName = p.version == Version::V31 ? QByteArrayLiteral("MQIsdp") : QByteArrayLiteral("MQTT");
        p.protocolLevel = quint8(p.version);
    }
    Reader reader(p);
    for (const Line &line : lines)
        if (const auto problem = reader.apply(line))
            return fail(*problem);

    if (payloadStart >= 0) {
        const QStringView payload = text.sliced(payloadStart);
        if (p.type != Type::Publish) {
            if (!payload.trimmed().isEmpty())
                return fail({ Tr::tr("only a PUBLISH has a payload after the blank line"), payloadStart });
        } else if (!payload.isEmpty()) {
            if (reader.payloadHexGiven())
                return fail({ Tr::tr("the payload is given twice: by payload-hex and after the blank line"), payloadStart });
            p.payload = payload.toUtf8();
        }
    }
    if (needsPacketId(p) && !reader.packetIdGiven()) {
        return fail({ Tr::tr("line %1: %2 needs a packet id: add “packet-id: 1”").arg(typeLine).arg(aTypeName(p.type)), 0 });
    }
    if (p.type == Type::Publish && p.qos == 0)
        p.packetId = 0; // a QoS 0 PUBLISH has none on the wire
    const bool v5 = p.type == Type::Connect ? (p.protocolLevel & 0x7F) == 5 : p.version == Version::V5;
    if (v5)
        p.hasProperties = propertiesAlwaysSent(p.type) || !p.properties.isEmpty() || reader.emptyPropertiesGiven();
    if (p.type == Type::Connect)
        p.version = v5 ? Version::V5 : p.version;
    result.packet = p;
    return result;
}

QString toText(const Packet &p)
{
    QString out = typeName(p.type) + QLatin1Char('\n');
    out += QStringLiteral("version: %1\n").arg(versionText(p.version));
    auto line = [&](const char *key, const QString &value) { out += QStringLiteral("%1: %2\n").arg(QLatin1String(key), value); };
    auto bytesLine = [&](const char *key, const QByteArray &value) {
        if (fitsOnALine(value))
            line(key, QString::fromUtf8(value));
        else
            line((QByteArray(key) + "-hex").constData(), hexText(value));
    };
    switch (p.type) {
    case Type::Connect:
        if (p.protocolName != (p.version == Version::V31 ? QByteArrayLiteral("MQIsdp") : QByteArrayLiteral("MQTT")))
            line("protocol-name", QString::fromUtf8(p.protocolName));
        if (p.protocolLevel != quint8(p.version))
            line("protocol-level", QString::number(p.protocolLevel));
        line("client-id", QString::fromUtf8(p.clientId));
        line("keep-alive", QString::number(p.keepAlive));
        line("clean-start", boolText(p.cleanStart));
        if (p.username)
            line("username", QString::fromUtf8(*p.username));
        if (p.password)
            bytesLine("password", *p.password);
        if (p.will) {
            line("will-topic", QString::fromUtf8(p.will->topic));
            bytesLine("will-payload", p.will->payload);
            line("will-qos", QString::number(p.will->qos));
            line("will-retain", boolText(p.will->retain));
            out += propertyLines(p.will->properties, QStringLiteral("will-"));
        }
        break;
    case Type::ConnAck:
        line("session-present", boolText(p.sessionPresent));
        line("reason-code", QString::number(p.reasonCode));
        break;
    case Type::Publish:
        line("topic", QString::fromUtf8(p.topic));
        line("qos", QString::number(p.qos));
        if (p.qos > 0)
            line("packet-id", QString::number(p.packetId));
        line("retain", boolText(p.retain));
        if (p.dup)
            line("dup", boolText(p.dup));
        break;
    case Type::PubAck:
    case Type::PubRec:
    case Type::PubRel:
    case Type::PubComp:
        line("packet-id", QString::number(p.packetId));
        if (p.hasReasonCode || p.reasonCode != 0)
            line("reason-code", QString::number(p.reasonCode));
        break;
    case Type::Subscribe:
        line("packet-id", QString::number(p.packetId));
        for (const Subscription &s : p.subscriptions) {
            line("filter", QString::fromUtf8(s.filter));
            line("qos", QString::number(s.qos()));
            if (s.noLocal())
                line("no-local", boolText(true));
            if (s.retainAsPublished())
                line("retain-as-published", boolText(true));
            if (s.retainHandling())
                line("retain-handling", QString::number(s.retainHandling()));
        }
        break;
    case Type::SubAck:
    case Type::UnsubAck: {
        line("packet-id", QString::number(p.packetId));
        QStringList codes;
        for (quint8 code : p.reasonCodes)
            codes << QString::number(code);
        if (!codes.isEmpty())
            line("reason-codes", codes.join(QStringLiteral(", ")));
        break;
    }
    case Type::Unsubscribe:
        line("packet-id", QString::number(p.packetId));
        for (const QByteArray &filter : p.topicFilters)
            line("filter", QString::fromUtf8(filter));
        break;
    case Type::PingReq:
    case Type::PingResp:
        break;
    case Type::Disconnect:
    case Type::Auth:
        if (p.hasReasonCode || p.reasonCode != 0)
            line("reason-code", QString::number(p.reasonCode));
        break;
    }
    out += propertyLines(p.properties, QString());
    if (p.version == Version::V5 && p.hasProperties && p.properties.isEmpty() && !propertiesAlwaysSent(p.type))
        line("empty-properties", boolText(true)); // a property length of 0, which could have been left out
    if (p.type == Type::Publish && !p.payload.isEmpty()) {
        if (fitsAsPayload(p.payload))
            out += QLatin1Char('\n') + QString::fromUtf8(p.payload);
        else
            line("payload-hex", hexText(p.payload));
    }
    return out;
}

} // namespace Mqtt
