#include "decode/mqttpacket.h"

#include "text/displaytext.h"
#include "text/jsontext.h"
#include "text/sizeformat.h"
#include "text/utf8validator.h"

#include <QCoreApplication>

#include <algorithm>

namespace {

struct Tr {
    Q_DECLARE_TR_FUNCTIONS(Mqtt)
};

using namespace Mqtt;
using Decode::Correlation;
using Decode::Field;

template <typename Result> std::optional<Result> fail(QString *error, const QString &why)
{
    if (error)
        *error = why;
    return std::nullopt;
}

// "0x8A", as the spec writes reason codes.
QString hexCode(quint8 code)
{
    return QStringLiteral("0x") + QStringLiteral("%1").arg(uint(code), 2, 16, QLatin1Char('0')).toUpper();
}

QString bits4(quint8 flags)
{
    return QStringLiteral("%1").arg(uint(flags & 0x0F), 4, 2, QLatin1Char('0'));
}

QString yesNo(bool value)
{
    return value ? QStringLiteral("1") : QStringLiteral("0");
}

constexpr quint32 bit(Type type)
{
    return 1u << int(type);
}

// Where a property may appear: a bit per packet type, bit 0 for a CONNECT's will properties.
constexpr quint32 InWill = 1u;
constexpr quint32 InAnyPacket = bit(Type::Connect) | bit(Type::ConnAck) | bit(Type::Publish) | bit(Type::PubAck)
    | bit(Type::PubRec) | bit(Type::PubRel) | bit(Type::PubComp) | bit(Type::Subscribe) | bit(Type::SubAck)
    | bit(Type::Unsubscribe) | bit(Type::UnsubAck) | bit(Type::Disconnect) | bit(Type::Auth) | InWill;

struct PropertyDef {
    quint8 id;
    const char *name;
    PropertyType type;
    quint32 where;
};

// MQTT 5, section 2.2.2.2, table 2-4.
constexpr PropertyDef PropertyDefs[] = {
    { 0x01, QT_TRANSLATE_NOOP("Mqtt", "Payload Format Indicator"), PropertyType::Byte, bit(Type::Publish) | InWill },
    { 0x02, QT_TRANSLATE_NOOP("Mqtt", "Message Expiry Interval"), PropertyType::FourByte, bit(Type::Publish) | InWill },
    { 0x03, QT_TRANSLATE_NOOP("Mqtt", "Content Type"), PropertyType::Utf8String, bit(Type::Publish) | InWill },
    { 0x08, QT_TRANSLATE_NOOP("Mqtt", "Response Topic"), PropertyType::Utf8String, bit(Type::Publish) | InWill },
    { 0x09, QT_TRANSLATE_NOOP("Mqtt", "Correlation Data"), PropertyType::BinaryData, bit(Type::Publish) | InWill },
    { 0x0B, QT_TRANSLATE_NOOP("Mqtt", "Subscription Identifier"), PropertyType::VariableByteInteger,
        bit(Type::Publish) | bit(Type::Subscribe) },
    { 0x11, QT_TRANSLATE_NOOP("Mqtt", "Session Expiry Interval"), PropertyType::FourByte,
        bit(Type::Connect) | bit(Type::ConnAck) | bit(Type::Disconnect) },
    { 0x12, QT_TRANSLATE_NOOP("Mqtt", "Assigned Client Identifier"), PropertyType::Utf8String, bit(Type::ConnAck) },
    { 0x13, QT_TRANSLATE_NOOP("Mqtt", "Server Keep Alive"), PropertyType::TwoByte, bit(Type::ConnAck) },
    { 0x15, QT_TRANSLATE_NOOP("Mqtt", "Authentication Method"), PropertyType::Utf8String,
        bit(Type::Connect) | bit(Type::ConnAck) | bit(Type::Auth) },
    { 0x16, QT_TRANSLATE_NOOP("Mqtt", "Authentication Data"), PropertyType::BinaryData,
        bit(Type::Connect) | bit(Type::ConnAck) | bit(Type::Auth) },
    { 0x17, QT_TRANSLATE_NOOP("Mqtt", "Request Problem Information"), PropertyType::Byte, bit(Type::Connect) },
    { 0x18, QT_TRANSLATE_NOOP("Mqtt", "Will Delay Interval"), PropertyType::FourByte, InWill },
    { 0x19, QT_TRANSLATE_NOOP("Mqtt", "Request Response Information"), PropertyType::Byte, bit(Type::Connect) },
    { 0x1A, QT_TRANSLATE_NOOP("Mqtt", "Response Information"), PropertyType::Utf8String, bit(Type::ConnAck) },
    { 0x1C, QT_TRANSLATE_NOOP("Mqtt", "Server Reference"), PropertyType::Utf8String,
        bit(Type::ConnAck) | bit(Type::Disconnect) },
    { 0x1F, QT_TRANSLATE_NOOP("Mqtt", "Reason String"), PropertyType::Utf8String,
        bit(Type::ConnAck) | bit(Type::PubAck) | bit(Type::PubRec) | bit(Type::PubRel) | bit(Type::PubComp)
            | bit(Type::SubAck) | bit(Type::UnsubAck) | bit(Type::Disconnect) | bit(Type::Auth) },
    { 0x21, QT_TRANSLATE_NOOP("Mqtt", "Receive Maximum"), PropertyType::TwoByte,
        bit(Type::Connect) | bit(Type::ConnAck) },
    { 0x22, QT_TRANSLATE_NOOP("Mqtt", "Topic Alias Maximum"), PropertyType::TwoByte,
        bit(Type::Connect) | bit(Type::ConnAck) },
    { 0x23, QT_TRANSLATE_NOOP("Mqtt", "Topic Alias"), PropertyType::TwoByte, bit(Type::Publish) },
    { 0x24, QT_TRANSLATE_NOOP("Mqtt", "Maximum QoS"), PropertyType::Byte, bit(Type::ConnAck) },
    { 0x25, QT_TRANSLATE_NOOP("Mqtt", "Retain Available"), PropertyType::Byte, bit(Type::ConnAck) },
    { 0x26, QT_TRANSLATE_NOOP("Mqtt", "User Property"), PropertyType::Utf8StringPair, InAnyPacket },
    { 0x27, QT_TRANSLATE_NOOP("Mqtt", "Maximum Packet Size"), PropertyType::FourByte,
        bit(Type::Connect) | bit(Type::ConnAck) },
    { 0x28, QT_TRANSLATE_NOOP("Mqtt", "Wildcard Subscription Available"), PropertyType::Byte, bit(Type::ConnAck) },
    { 0x29, QT_TRANSLATE_NOOP("Mqtt", "Subscription Identifier Available"), PropertyType::Byte, bit(Type::ConnAck) },
    { 0x2A, QT_TRANSLATE_NOOP("Mqtt", "Shared Subscription Available"), PropertyType::Byte, bit(Type::ConnAck) },
};

const PropertyDef *propertyDef(quint32 id)
{
    for (const PropertyDef &d : PropertyDefs)
        if (d.id == id)
            return &d;
    return nullptr;
}

struct ReasonDef {
    quint8 code;
    const char *name;
    quint32 where;
};

constexpr quint32 PubAckRec = bit(Type::PubAck) | bit(Type::PubRec);

// MQTT 5, section 2.4, table 2-6; 0x00 is named per packet (reasonName()).
constexpr ReasonDef ReasonDefs[] = {
    { 0x01, QT_TRANSLATE_NOOP("Mqtt", "Granted QoS 1"), bit(Type::SubAck) },
    { 0x02, QT_TRANSLATE_NOOP("Mqtt", "Granted QoS 2"), bit(Type::SubAck) },
    { 0x04, QT_TRANSLATE_NOOP("Mqtt", "Disconnect with Will Message"), bit(Type::Disconnect) },
    { 0x10, QT_TRANSLATE_NOOP("Mqtt", "No matching subscribers"), PubAckRec },
    { 0x11, QT_TRANSLATE_NOOP("Mqtt", "No subscription existed"), bit(Type::UnsubAck) },
    { 0x18, QT_TRANSLATE_NOOP("Mqtt", "Continue authentication"), bit(Type::Auth) },
    { 0x19, QT_TRANSLATE_NOOP("Mqtt", "Re-authenticate"), bit(Type::Auth) },
    { 0x80, QT_TRANSLATE_NOOP("Mqtt", "Unspecified error"),
        bit(Type::ConnAck) | PubAckRec | bit(Type::SubAck) | bit(Type::UnsubAck) | bit(Type::Disconnect) },
    { 0x81, QT_TRANSLATE_NOOP("Mqtt", "Malformed Packet"), bit(Type::ConnAck) | bit(Type::Disconnect) },
    { 0x82, QT_TRANSLATE_NOOP("Mqtt", "Protocol Error"), bit(Type::ConnAck) | bit(Type::Disconnect) },
    { 0x83, QT_TRANSLATE_NOOP("Mqtt", "Implementation specific error"),
        bit(Type::ConnAck) | PubAckRec | bit(Type::SubAck) | bit(Type::UnsubAck) | bit(Type::Disconnect) },
    { 0x84, QT_TRANSLATE_NOOP("Mqtt", "Unsupported Protocol Version"), bit(Type::ConnAck) },
    { 0x85, QT_TRANSLATE_NOOP("Mqtt", "Client Identifier not valid"), bit(Type::ConnAck) },
    { 0x86, QT_TRANSLATE_NOOP("Mqtt", "Bad User Name or Password"), bit(Type::ConnAck) },
    { 0x87, QT_TRANSLATE_NOOP("Mqtt", "Not authorized"),
        bit(Type::ConnAck) | PubAckRec | bit(Type::SubAck) | bit(Type::UnsubAck) | bit(Type::Disconnect) },
    { 0x88, QT_TRANSLATE_NOOP("Mqtt", "Server unavailable"), bit(Type::ConnAck) },
    { 0x89, QT_TRANSLATE_NOOP("Mqtt", "Server busy"), bit(Type::ConnAck) | bit(Type::Disconnect) },
    { 0x8A, QT_TRANSLATE_NOOP("Mqtt", "Banned"), bit(Type::ConnAck) },
    { 0x8B, QT_TRANSLATE_NOOP("Mqtt", "Server shutting down"), bit(Type::Disconnect) },
    { 0x8C, QT_TRANSLATE_NOOP("Mqtt", "Bad authentication method"), bit(Type::ConnAck) | bit(Type::Disconnect) },
    { 0x8D, QT_TRANSLATE_NOOP("Mqtt", "Keep Alive timeout"), bit(Type::Disconnect) },
    { 0x8E, QT_TRANSLATE_NOOP("Mqtt", "Session taken over"), bit(Type::Disconnect) },
    { 0x8F, QT_TRANSLATE_NOOP("Mqtt", "Topic Filter invalid"),
        bit(Type::SubAck) | bit(Type::UnsubAck) | bit(Type::Disconnect) },
    { 0x90, QT_TRANSLATE_NOOP("Mqtt", "Topic Name invalid"), bit(Type::ConnAck) | PubAckRec | bit(Type::Disconnect) },
    { 0x91, QT_TRANSLATE_NOOP("Mqtt", "Packet Identifier in use"),
        PubAckRec | bit(Type::SubAck) | bit(Type::UnsubAck) },
    { 0x92, QT_TRANSLATE_NOOP("Mqtt", "Packet Identifier not found"), bit(Type::PubRel) | bit(Type::PubComp) },
    { 0x93, QT_TRANSLATE_NOOP("Mqtt", "Receive Maximum exceeded"), bit(Type::Disconnect) },
    { 0x94, QT_TRANSLATE_NOOP("Mqtt", "Topic Alias invalid"), bit(Type::Disconnect) },
    { 0x95, QT_TRANSLATE_NOOP("Mqtt", "Packet too large"), bit(Type::ConnAck) | bit(Type::Disconnect) },
    { 0x96, QT_TRANSLATE_NOOP("Mqtt", "Message rate too high"), bit(Type::Disconnect) },
    { 0x97, QT_TRANSLATE_NOOP("Mqtt", "Quota exceeded"),
        bit(Type::ConnAck) | PubAckRec | bit(Type::SubAck) | bit(Type::Disconnect) },
    { 0x98, QT_TRANSLATE_NOOP("Mqtt", "Administrative action"), bit(Type::Disconnect) },
    { 0x99, QT_TRANSLATE_NOOP("Mqtt", "Payload format invalid"),
        bit(Type::ConnAck) | PubAckRec | bit(Type::Disconnect) },
    { 0x9A, QT_TRANSLATE_NOOP("Mqtt", "Retain not supported"), bit(Type::ConnAck) | bit(Type::Disconnect) },
    { 0x9B, QT_TRANSLATE_NOOP("Mqtt", "QoS not supported"), bit(Type::ConnAck) | bit(Type::Disconnect) },
    { 0x9C, QT_TRANSLATE_NOOP("Mqtt", "Use another server"), bit(Type::ConnAck) | bit(Type::Disconnect) },
    { 0x9D, QT_TRANSLATE_NOOP("Mqtt", "Server moved"), bit(Type::ConnAck) | bit(Type::Disconnect) },
    { 0x9E, QT_TRANSLATE_NOOP("Mqtt", "Shared Subscriptions not supported"),
        bit(Type::SubAck) | bit(Type::Disconnect) },
    { 0x9F, QT_TRANSLATE_NOOP("Mqtt", "Connection rate exceeded"), bit(Type::ConnAck) | bit(Type::Disconnect) },
    { 0xA0, QT_TRANSLATE_NOOP("Mqtt", "Maximum connect time"), bit(Type::Disconnect) },
    { 0xA1, QT_TRANSLATE_NOOP("Mqtt", "Subscription Identifiers not supported"),
        bit(Type::SubAck) | bit(Type::Disconnect) },
    { 0xA2, QT_TRANSLATE_NOOP("Mqtt", "Wildcard Subscriptions not supported"),
        bit(Type::SubAck) | bit(Type::Disconnect) },
};

// MQTT 3.1.1, section 3.2.2.3, table 3.1.
constexpr const char *ConnAckReturnCodes[] = {
    QT_TRANSLATE_NOOP("Mqtt", "Connection accepted"),
    QT_TRANSLATE_NOOP("Mqtt", "unacceptable protocol version"),
    QT_TRANSLATE_NOOP("Mqtt", "identifier rejected"),
    QT_TRANSLATE_NOOP("Mqtt", "server unavailable"),
    QT_TRANSLATE_NOOP("Mqtt", "bad user name or password"),
    QT_TRANSLATE_NOOP("Mqtt", "not authorized"),
};

// The bytes of one packet's variable header and payload, read front to back. Every read checks that
// its bytes are there; a failure leaves the reason in `problem`.
class Reader {
public:
    explicit Reader(QByteArrayView bytes)
        : m_bytes(bytes)
    {
    }

    QString problem;

    qsizetype left() const { return m_bytes.size() - m_pos; }

    bool fail(const QString &why)
    {
        problem = why;
        return false;
    }

    bool u8(quint8 &value, const QString &what)
    {
        if (left() < 1)
            return fail(Tr::tr("the %1 is missing").arg(what));
        value = quint8(m_bytes[m_pos++]);
        return true;
    }

    bool u16(quint16 &value, const QString &what)
    {
        if (left() < 2)
            return fail(Tr::tr("the %1 needs 2 bytes, only %2 left").arg(what, SizeFormat::bytes(quint64(left()))));
        value = quint16((quint8(m_bytes[m_pos]) << 8) | quint8(m_bytes[m_pos + 1]));
        m_pos += 2;
        return true;
    }

    bool u32(quint32 &value, const QString &what)
    {
        if (left() < 4)
            return fail(Tr::tr("the %1 needs 4 bytes, only %2 left").arg(what, SizeFormat::bytes(quint64(left()))));
        value = 0;
        for (int i = 0; i < 4; ++i)
            value = (value << 8) | quint8(m_bytes[m_pos + i]);
        m_pos += 4;
        return true;
    }

    bool varInt(quint32 &value, const QString &what)
    {
        quint32 result = 0;
        for (int i = 0; i < 4; ++i) {
            if (left() < 1)
                return fail(i == 0 ? Tr::tr("the %1 is missing").arg(what)
                                   : Tr::tr("the %1 ends after %2 of its bytes").arg(what).arg(i));
            const quint8 b = quint8(m_bytes[m_pos++]);
            result |= quint32(b & 0x7F) << (7 * i);
            if (!(b & 0x80)) {
                value = result;
                return true;
            }
        }
        return fail(Tr::tr("the %1 runs past 4 bytes").arg(what));
    }

    // Binary Data: a two-byte length, then that many bytes.
    bool binary(QByteArray &value, const QString &what)
    {
        if (left() < 2)
            return fail(
                Tr::tr("the %1's length needs 2 bytes, only %2 left").arg(what, SizeFormat::bytes(quint64(left()))));
        const qsizetype length = (quint8(m_bytes[m_pos]) << 8) | quint8(m_bytes[m_pos + 1]);
        m_pos += 2;
        if (length > left())
            return fail(Tr::tr("the %1's length says %2, only %3 left")
                            .arg(what, SizeFormat::bytes(quint64(length)), SizeFormat::bytes(quint64(left()))));
        value = m_bytes.sliced(m_pos, length).toByteArray();
        m_pos += length;
        return true;
    }

    // UTF-8 Encoded String: binary data that is well-formed UTF-8 without U+0000 [MQTT-1.5.3].
    bool string(QByteArray &value, const QString &what)
    {
        if (!binary(value, what))
            return false;
        if (!Utf8Validator::isValid(value))
            return fail(Tr::tr("the %1 is not valid UTF-8: %2").arg(what, Decode::textOrHex(value)));
        if (value.contains('\0'))
            return fail(Tr::tr("the %1 contains U+0000, which MQTT strings must not").arg(what));
        return true;
    }

    QByteArrayView take(qsizetype n)
    {
        const QByteArrayView out = m_bytes.sliced(m_pos, n);
        m_pos += n;
        return out;
    }

    QByteArray rest() { return take(left()).toByteArray(); }

    bool expectEnd(Type type, const QString &after)
    {
        if (left() == 0)
            return true;
        return fail(Tr::tr("%1 left over after the %2, where %3 ends")
                        .arg(SizeFormat::bytes(quint64(left())), after, aTypeName(type)));
    }

private:
    QByteArrayView m_bytes;
    qsizetype m_pos = 0;
};

QString propertyWhat(const PropertyDef &def)
{
    return Tr::tr("%1 property").arg(QCoreApplication::translate("Mqtt", def.name));
}

bool readProperties(Reader &r, Type type, bool will, QList<Property> &out)
{
    quint32 length = 0;
    const QString what = will ? Tr::tr("will property length") : Tr::tr("property length");
    if (!r.varInt(length, what))
        return false;
    if (length > quint32(r.left()))
        return r.fail(Tr::tr("the %1 says %2, only %3 left")
                          .arg(what, SizeFormat::bytes(length), SizeFormat::bytes(quint64(r.left()))));
    Reader p(r.take(length));
    const QString where = will ? Tr::tr("a will") : aTypeName(type);
    QList<quint8> seen;
    while (p.left() > 0) {
        quint32 id = 0;
        if (!p.varInt(id, Tr::tr("property identifier")))
            return r.fail(p.problem);
        const PropertyDef *def = propertyDef(id);
        if (!def)
            return r.fail(Tr::tr("property identifier %1 is not one MQTT 5 defines")
                              .arg(id > 0xFF ? QString::number(id) : hexCode(quint8(id))));
        const QString name = QCoreApplication::translate("Mqtt", def->name);
        if (!(def->where & (will ? InWill : bit(type))))
            return r.fail(Tr::tr("the %1 property (%2) does not belong in %3").arg(name, hexCode(def->id), where));
        const bool repeats = def->id == 0x26 || (def->id == 0x0B && type == Type::Publish);
        if (!repeats && seen.contains(def->id))
            return r.fail(Tr::tr("the %1 property appears more than once").arg(name));
        seen << def->id;
        Property prop;
        prop.id = def->id;
        const QString valueWhat = propertyWhat(*def);
        bool ok = true;
        switch (def->type) {
        case PropertyType::Byte: {
            quint8 b = 0;
            ok = p.u8(b, valueWhat);
            prop.number = b;
            break;
        }
        case PropertyType::TwoByte: {
            quint16 v = 0;
            ok = p.u16(v, valueWhat);
            prop.number = v;
            break;
        }
        case PropertyType::FourByte:
            ok = p.u32(prop.number, valueWhat);
            break;
        case PropertyType::VariableByteInteger:
            ok = p.varInt(prop.number, valueWhat);
            break;
        case PropertyType::Utf8String:
            ok = p.string(prop.data, valueWhat);
            break;
        case PropertyType::BinaryData:
            ok = p.binary(prop.data, valueWhat);
            break;
        case PropertyType::Utf8StringPair:
            ok = p.string(prop.data, Tr::tr("User Property's name"))
                && p.string(prop.value, Tr::tr("User Property's value"));
            break;
        }
        if (!ok)
            return r.fail(p.problem);
        // Values the spec calls a Protocol Error.
        switch (def->id) {
        case 0x01:
        case 0x17:
        case 0x19:
        case 0x24:
        case 0x25:
        case 0x28:
        case 0x29:
        case 0x2A:
            if (prop.number > 1)
                return r.fail(Tr::tr("the %1 property is %2; only 0 and 1 are allowed").arg(name).arg(prop.number));
            break;
        case 0x0B:
        case 0x21:
        case 0x23:
        case 0x27:
            if (prop.number == 0)
                return r.fail(Tr::tr("the %1 property is 0, which is not allowed").arg(name));
            break;
        default:
            break;
        }
        out << prop;
    }
    return true;
}

bool hasProperty(const QList<Property> &properties, quint8 id)
{
    for (const Property &p : properties)
        if (p.id == id)
            return true;
    return false;
}

bool readPacketId(Reader &r, Packet &p)
{
    if (!r.u16(p.packetId, Tr::tr("packet identifier")))
        return false;
    if (p.packetId == 0)
        return r.fail(Tr::tr("packet identifier 0 is not allowed [MQTT-2.3.1-1]"));
    return true;
}

// A 3.1.1 CONNACK's return codes are small numbers; every other code as the spec writes it, 0x80.
QString codeText(const Packet &p, quint8 code)
{
    return p.version != Version::V5 && p.type == Type::ConnAck ? QString::number(code) : hexCode(code);
}

bool checkReasonCode(Reader &r, const Packet &p, quint8 code)
{
    if (!reasonName(p.type, code, p.version).isEmpty())
        return true;
    if (p.version == Version::V5)
        return r.fail(Tr::tr("reason code %1 is not one %2 may carry").arg(hexCode(code), aTypeName(p.type)));
    return r.fail(Tr::tr("return code %1 is not one %2 may carry in %3")
                      .arg(codeText(p, code), aTypeName(p.type), versionName(p.version)));
}

bool readConnect(Reader &r, Packet &p)
{
    if (!r.binary(p.protocolName, Tr::tr("protocol name")))
        return false;
    if (p.protocolName != "MQTT" && p.protocolName != "MQIsdp")
        return r.fail(Tr::tr("the protocol name %1 is neither \"MQTT\" nor \"MQIsdp\"")
                          .arg(DisplayText::quoted(p.protocolName, 40)));
    if (!r.u8(p.protocolLevel, Tr::tr("protocol level")))
        return false;
    const int level = p.protocolLevel & 0x7F;
    if (level < 3 || level > 5)
        return r.fail(
            Tr::tr("protocol level %1 is none of 3 (MQTT 3.1), 4 (MQTT 3.1.1) and 5 (MQTT 5)").arg(p.protocolLevel));
    p.version = Version(level);
    const bool v5 = p.version == Version::V5;
    quint8 flags = 0;
    if (!r.u8(flags, Tr::tr("connect flags byte")))
        return false;
    if (flags & 0x01)
        return r.fail(Tr::tr("the connect flags' reserved bit 0 is set [MQTT-3.1.2-3]"));
    p.cleanStart = flags & 0x02;
    const bool willFlag = flags & 0x04;
    const quint8 willQos = (flags >> 3) & 0x03;
    const bool willRetain = flags & 0x20;
    const bool passwordFlag = flags & 0x40;
    const bool usernameFlag = flags & 0x80;
    if (!willFlag && willQos != 0)
        return r.fail(Tr::tr("the Will QoS is %1 without the Will flag [MQTT-3.1.2-11]").arg(willQos));
    if (!willFlag && willRetain)
        return r.fail(Tr::tr("the Will Retain flag is set without the Will flag [MQTT-3.1.2-11]"));
    if (willQos == 3)
        return r.fail(Tr::tr("the Will QoS is 3 [MQTT-3.1.2-14]"));
    if (!v5 && passwordFlag && !usernameFlag)
        return r.fail(
            Tr::tr("the Password flag is set without the User Name flag, which only MQTT 5 allows [MQTT-3.1.2-22]"));
    if (!r.u16(p.keepAlive, Tr::tr("keep alive")))
        return false;
    p.hasProperties = v5;
    if (v5 && !readProperties(r, Type::Connect, false, p.properties))
        return false;
    if (!r.string(p.clientId, Tr::tr("client identifier")))
        return false;
    QString last = Tr::tr("client identifier");
    if (willFlag) {
        Will w;
        w.qos = willQos;
        w.retain = willRetain;
        if (v5 && !readProperties(r, Type::Connect, true, w.properties))
            return false;
        if (!r.string(w.topic, Tr::tr("will topic")) || !r.binary(w.payload, Tr::tr("will payload")))
            return false;
        p.will = w;
        last = Tr::tr("will payload");
    }
    if (usernameFlag) {
        QByteArray name;
        if (!r.string(name, Tr::tr("user name")))
            return false;
        p.username = name;
        last = Tr::tr("user name");
    }
    if (passwordFlag) {
        QByteArray password;
        if (!r.binary(password, Tr::tr("password")))
            return false;
        p.password = password;
        last = Tr::tr("password");
    }
    return r.expectEnd(Type::Connect, last);
}

bool readConnAck(Reader &r, Packet &p, qsizetype bodySize)
{
    // A server that does not speak MQTT 5 refuses a version 5 CONNECT with a CONNACK in the 3.1.1
    // form (return code 1), which has no property length: read it as what it is.
    if (p.version == Version::V5 && bodySize == 2)
        p.version = Version::V311;
    const bool v5 = p.version == Version::V5;
    if (!v5 && bodySize != 2)
        return r.fail(Tr::tr("a CONNACK is 2 bytes long in %1, this one %2").arg(versionName(p.version)).arg(bodySize));
    quint8 flags = 0;
    if (!r.u8(flags, Tr::tr("acknowledge flags byte")))
        return false;
    if (flags & 0xFE)
        return r.fail(
            Tr::tr("the acknowledge flags' reserved bits 7-1 are set (%1) [MQTT-3.2.2-1]").arg(hexCode(flags)));
    p.sessionPresent = flags & 0x01;
    if (!r.u8(p.reasonCode, v5 ? Tr::tr("reason code") : Tr::tr("return code")))
        return false;
    p.hasReasonCode = true;
    if (!checkReasonCode(r, p, p.reasonCode))
        return false;
    if (p.sessionPresent && p.reasonCode != 0)
        return r.fail(Tr::tr("Session Present is set on a refusal; it must be 0 when the connection is refused"));
    p.hasProperties = v5;
    if (v5 && !readProperties(r, Type::ConnAck, false, p.properties))
        return false;
    return r.expectEnd(Type::ConnAck, v5 ? Tr::tr("properties") : Tr::tr("return code"));
}

bool readPublish(Reader &r, Packet &p, quint8 flags)
{
    p.dup = flags & 0x08;
    p.qos = (flags >> 1) & 0x03; // 3 is refused with the fixed header
    p.retain = flags & 0x01;
    if (p.qos == 0 && p.dup)
        return r.fail(Tr::tr("DUP is set on a QoS 0 PUBLISH [MQTT-3.3.1-2]"));
    if (!r.string(p.topic, Tr::tr("topic name")))
        return false;
    if (p.topic.contains('+') || p.topic.contains('#'))
        return r.fail(
            Tr::tr("the topic name %1 contains a wildcard (+ or #), which only topic filters may [MQTT-3.3.2-2]")
                .arg(DisplayText::quoted(p.topic, 80)));
    if (p.qos > 0 && !readPacketId(r, p))
        return false;
    const bool v5 = p.version == Version::V5;
    p.hasProperties = v5;
    if (v5 && !readProperties(r, Type::Publish, false, p.properties))
        return false;
    if (p.topic.isEmpty() && !(v5 && hasProperty(p.properties, 0x23)))
        return r.fail(v5 ? Tr::tr("the topic name is empty and no Topic Alias stands for it")
                         : Tr::tr("the topic name is empty [MQTT-4.7.3-1]"));
    p.payload = r.rest();
    return true;
}

// PUBACK, PUBREC, PUBREL, PUBCOMP: a packet identifier; in MQTT 5 a reason code and properties
// that may be left out.
bool readAck(Reader &r, Packet &p)
{
    if (!readPacketId(r, p))
        return false;
    if (p.version != Version::V5)
        return r.expectEnd(p.type, Tr::tr("packet identifier"));
    if (r.left() == 0)
        return true;
    p.hasReasonCode = true;
    if (!r.u8(p.reasonCode, Tr::tr("reason code")) || !checkReasonCode(r, p, p.reasonCode))
        return false;
    if (r.left() == 0)
        return true;
    p.hasProperties = true;
    if (!readProperties(r, p.type, false, p.properties))
        return false;
    return r.expectEnd(p.type, Tr::tr("properties"));
}

bool readSubscribe(Reader &r, Packet &p)
{
    if (!readPacketId(r, p))
        return false;
    const bool v5 = p.version == Version::V5;
    p.hasProperties = v5;
    if (v5 && !readProperties(r, Type::Subscribe, false, p.properties))
        return false;
    if (r.left() == 0)
        return r.fail(Tr::tr("a SUBSCRIBE without a topic filter [MQTT-3.8.3-3]"));
    while (r.left() > 0) {
        Subscription s;
        if (!r.string(s.filter, Tr::tr("topic filter")))
            return false;
        if (s.filter.isEmpty())
            return r.fail(Tr::tr("an empty topic filter [MQTT-4.7.3-1]"));
        if (!r.u8(s.options, Tr::tr("subscription options of %1").arg(DisplayText::quoted(s.filter, 80))))
            return false;
        const QString filter = DisplayText::quoted(s.filter, 80);
        if (!v5 && (s.options & 0xFC))
            return r.fail(
                Tr::tr("the options of %1 set reserved bits 7-2 (%2) [MQTT-3.8.3-4]").arg(filter, hexCode(s.options)));
        if (v5 && (s.options & 0xC0))
            return r.fail(Tr::tr("the options of %1 set reserved bits 7-6 (%2)").arg(filter, hexCode(s.options)));
        if (s.qos() == 3)
            return r.fail(Tr::tr("the options of %1 ask for QoS 3").arg(filter));
        if (v5 && s.retainHandling() == 3)
            return r.fail(Tr::tr("the options of %1 ask for Retain Handling 3").arg(filter));
        p.subscriptions << s;
    }
    return true;
}

bool readSubAck(Reader &r, Packet &p)
{
    if (!readPacketId(r, p))
        return false;
    const bool v5 = p.version == Version::V5;
    p.hasProperties = v5;
    if (v5 && !readProperties(r, Type::SubAck, false, p.properties))
        return false;
    if (r.left() == 0)
        return r.fail(Tr::tr("a SUBACK without a return code: it answers a SUBSCRIBE's filters one by one"));
    while (r.left() > 0) {
        quint8 code = 0;
        r.u8(code, Tr::tr("return code"));
        if (!checkReasonCode(r, p, code))
            return false;
        p.reasonCodes << code;
    }
    return true;
}

bool readUnsubscribe(Reader &r, Packet &p)
{
    if (!readPacketId(r, p))
        return false;
    const bool v5 = p.version == Version::V5;
    p.hasProperties = v5;
    if (v5 && !readProperties(r, Type::Unsubscribe, false, p.properties))
        return false;
    if (r.left() == 0)
        return r.fail(Tr::tr("an UNSUBSCRIBE without a topic filter [MQTT-3.10.3-2]"));
    while (r.left() > 0) {
        QByteArray filter;
        if (!r.string(filter, Tr::tr("topic filter")))
            return false;
        if (filter.isEmpty())
            return r.fail(Tr::tr("an empty topic filter [MQTT-4.7.3-1]"));
        p.topicFilters << filter;
    }
    return true;
}

bool readUnsubAck(Reader &r, Packet &p)
{
    if (!readPacketId(r, p))
        return false;
    if (p.version != Version::V5)
        return r.expectEnd(Type::UnsubAck, Tr::tr("packet identifier"));
    p.hasProperties = true;
    if (!readProperties(r, Type::UnsubAck, false, p.properties))
        return false;
    if (r.left() == 0)
        return r.fail(
            Tr::tr("an MQTT 5 UNSUBACK without a reason code: it answers an UNSUBSCRIBE's filters one by one"));
    while (r.left() > 0) {
        quint8 code = 0;
        r.u8(code, Tr::tr("reason code"));
        if (!checkReasonCode(r, p, code))
            return false;
        p.reasonCodes << code;
    }
    return true;
}

// DISCONNECT and AUTH: nothing before MQTT 5; then a reason code and properties that may be left out.
bool readDisconnectOrAuth(Reader &r, Packet &p)
{
    if (p.version != Version::V5) {
        if (p.type == Type::Auth)
            return r.fail(
                Tr::tr("AUTH exists only in MQTT 5, and the connection speaks %1").arg(versionName(p.version)));
        if (r.left() > 0)
            return r.fail(Tr::tr("a DISCONNECT has no body in %1, this one has %2")
                              .arg(versionName(p.version), SizeFormat::bytes(quint64(r.left()))));
        return true;
    }
    if (r.left() == 0)
        return true;
    p.hasReasonCode = true;
    if (!r.u8(p.reasonCode, Tr::tr("reason code")) || !checkReasonCode(r, p, p.reasonCode))
        return false;
    if (r.left() == 0)
        return true;
    p.hasProperties = true;
    if (!readProperties(r, p.type, false, p.properties))
        return false;
    return r.expectEnd(p.type, Tr::tr("properties"));
}

// --- writing

void putU16(QByteArray &out, quint16 v)
{
    out.append(char(v >> 8));
    out.append(char(v & 0xFF));
}

void putU32(QByteArray &out, quint32 v)
{
    for (int shift = 24; shift >= 0; shift -= 8)
        out.append(char((v >> shift) & 0xFF));
}

void putVarInt(QByteArray &out, quint32 v)
{
    do {
        quint8 b = v & 0x7F;
        v >>= 7;
        if (v)
            b |= 0x80;
        out.append(char(b));
    } while (v);
}

// A two-byte length can say at most 65535: longer data is cut there.
void putBinary(QByteArray &out, QByteArrayView data)
{
    const QByteArrayView cut = data.first(qMin<qsizetype>(data.size(), 0xFFFF));
    putU16(out, quint16(cut.size()));
    out.append(cut);
}

void putProperties(QByteArray &out, const QList<Property> &properties)
{
    QByteArray body;
    for (const Property &p : properties) {
        putVarInt(body, p.id);
        switch (propertyType(p.id).value_or(PropertyType::Byte)) {
        case PropertyType::Byte:
            body.append(char(p.number & 0xFF));
            break;
        case PropertyType::TwoByte:
            putU16(body, quint16(p.number));
            break;
        case PropertyType::FourByte:
            putU32(body, p.number);
            break;
        case PropertyType::VariableByteInteger:
            putVarInt(body, p.number);
            break;
        case PropertyType::Utf8String:
        case PropertyType::BinaryData:
            putBinary(body, p.data);
            break;
        case PropertyType::Utf8StringPair:
            putBinary(body, p.data);
            putBinary(body, p.value);
            break;
        }
    }
    putVarInt(out, quint32(body.size()));
    out.append(body);
}

// --- showing

// Text when textOrHex() would show it as text (UTF-8 without control characters but tab and line
// ends), else its first bytes in hex.
bool isText(QByteArrayView bytes)
{
    const bool control = std::any_of(bytes.begin(), bytes.end(),
        [](char c) { return (uchar(c) < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7F; });
    return !control && Utf8Validator::isValid(bytes);
}

QString payloadPreview(const QByteArray &payload)
{
    if (isText(payload))
        return DisplayText::quoted(payload, 40);
    constexpr qsizetype Shown = 8;
    QString hex = QString::fromLatin1(payload.first(qMin(payload.size(), Shown)).toHex(' '));
    if (payload.size() > Shown)
        hex += QStringLiteral(" …");
    return hex;
}

// A payload's field: the bytes as sent, and a JSON document's structure when it is one.
Field payloadField(const QString &name, const QByteArray &payload)
{
    Field f(name, Decode::textOrHex(payload));
    if (JsonText::startsWithContainer(payload) && Utf8Validator::isValid(payload)
        && !JsonText::check(QString::fromUtf8(payload)))
        f.children = Decode::jsonFields(payload);
    return f;
}

QString propertyValue(const Property &p)
{
    switch (p.id) {
    case 0x02:
    case 0x11:
    case 0x13:
    case 0x18:
        return Tr::tr("%1 s").arg(p.number);
    default:
        break;
    }
    switch (propertyType(p.id).value_or(PropertyType::Byte)) {
    case PropertyType::Byte:
    case PropertyType::TwoByte:
    case PropertyType::FourByte:
    case PropertyType::VariableByteInteger:
        return QString::number(p.number);
    case PropertyType::Utf8String:
    case PropertyType::BinaryData:
        return Decode::textOrHex(p.data);
    case PropertyType::Utf8StringPair:
        return {};
    }
    return {};
}

Field propertiesField(const QList<Property> &properties, const QString &name)
{
    Field group(name, properties.size() == 1 ? Tr::tr("1 property") : Tr::tr("%1 properties").arg(properties.size()));
    for (const Property &p : properties) {
        Field f(propertyName(p.id), propertyValue(p));
        if (p.id == 0x26)
            f.children << Field(Decode::textOrHex(p.data), Decode::textOrHex(p.value));
        group.children << f;
    }
    return group;
}

QString codeValue(const Packet &p, quint8 code)
{
    return QStringLiteral("%1 (%2)").arg(codeText(p, code), reasonName(p.type, code, p.version));
}

QString levelValue(const Packet &p)
{
    const int level = p.protocolLevel & 0x7F;
    const QString version = level >= 3 && level <= 5 ? versionName(Version(level)) : Tr::tr("unknown");
    if (p.protocolLevel & 0x80)
        return Tr::tr("%1 (%2, from a bridge)").arg(p.protocolLevel).arg(version);
    return QStringLiteral("%1 (%2)").arg(p.protocolLevel).arg(version);
}

quint8 connectFlags(const Packet &p)
{
    quint8 flags = 0;
    if (p.cleanStart)
        flags |= 0x02;
    if (p.will) {
        flags |= 0x04;
        flags |= quint8((p.will->qos & 0x03) << 3);
        if (p.will->retain)
            flags |= 0x20;
    }
    if (p.password)
        flags |= 0x40;
    if (p.username)
        flags |= 0x80;
    return flags;
}

QString subscriptionText(const Subscription &s, Version version)
{
    QStringList parts { DisplayText::line(s.filter, 80), Tr::tr("QoS %1").arg(s.qos()) };
    if (version == Version::V5) {
        if (s.noLocal())
            parts << Tr::tr("no local");
        if (s.retainAsPublished())
            parts << Tr::tr("retain as published");
        if (s.retainHandling() != 0)
            parts << Tr::tr("retain handling %1").arg(s.retainHandling());
    }
    return parts.join(QLatin1Char(' '));
}

QString codeSummary(const Packet &p, quint8 code)
{
    if (p.type == Type::SubAck && code <= 2)
        return Tr::tr("granted QoS %1").arg(code);
    return QStringLiteral("%1 (%2)").arg(reasonName(p.type, code, p.version), codeText(p, code));
}

} // namespace

namespace Mqtt {

QString typeName(Type type)
{
    switch (type) {
    case Type::Connect:
        return QStringLiteral("CONNECT");
    case Type::ConnAck:
        return QStringLiteral("CONNACK");
    case Type::Publish:
        return QStringLiteral("PUBLISH");
    case Type::PubAck:
        return QStringLiteral("PUBACK");
    case Type::PubRec:
        return QStringLiteral("PUBREC");
    case Type::PubRel:
        return QStringLiteral("PUBREL");
    case Type::PubComp:
        return QStringLiteral("PUBCOMP");
    case Type::Subscribe:
        return QStringLiteral("SUBSCRIBE");
    case Type::SubAck:
        return QStringLiteral("SUBACK");
    case Type::Unsubscribe:
        return QStringLiteral("UNSUBSCRIBE");
    case Type::UnsubAck:
        return QStringLiteral("UNSUBACK");
    case Type::PingReq:
        return QStringLiteral("PINGREQ");
    case Type::PingResp:
        return QStringLiteral("PINGRESP");
    case Type::Disconnect:
        return QStringLiteral("DISCONNECT");
    case Type::Auth:
        return QStringLiteral("AUTH");
    }
    return {};
}

QString aTypeName(Type type)
{
    switch (type) {
    case Type::Unsubscribe:
    case Type::UnsubAck:
    case Type::Auth:
        return Tr::tr("an %1").arg(typeName(type));
    default:
        return Tr::tr("a %1").arg(typeName(type));
    }
}

QString versionName(Version version)
{
    switch (version) {
    case Version::V31:
        return QStringLiteral("MQTT 3.1");
    case Version::V311:
        return QStringLiteral("MQTT 3.1.1");
    case Version::V5:
        return QStringLiteral("MQTT 5");
    }
    return {};
}

HeaderStatus readFixedHeader(QByteArrayView bytes, FixedHeader *header, QString *error, quint32 maxRemainingLength)
{
    FixedHeader h;
    auto invalid = [&](const QString &why) {
        if (error)
            *error = why;
        *header = h;
        return HeaderStatus::Invalid;
    };
    if (bytes.isEmpty()) {
        *header = h;
        return HeaderStatus::Incomplete;
    }
    const quint8 first = quint8(bytes[0]);
    const int type = first >> 4;
    h.flags = first & 0x0F;
    if (type == 0)
        return invalid(Tr::tr("the first byte %1 gives packet type 0, which is reserved: this is not an MQTT packet")
                           .arg(hexCode(first)));
    h.type = Type(type);
    if (h.type == Type::Publish) {
        if ((h.flags & 0x06) == 0x06)
            return invalid(Tr::tr("the first byte %1 is a PUBLISH with both QoS bits set (QoS 3) [MQTT-3.3.1-4]")
                               .arg(hexCode(first)));
    } else {
        const quint8 required
            = h.type == Type::PubRel || h.type == Type::Subscribe || h.type == Type::Unsubscribe ? 0x02 : 0x00;
        if (h.flags != required)
            return invalid(
                Tr::tr("the first byte %1 is %2 with the flags %3, where the spec requires %4 [MQTT-2.2.2-2]")
                    .arg(hexCode(first), aTypeName(h.type), bits4(h.flags), bits4(required)));
    }
    quint32 length = 0;
    for (int i = 0; i < 4; ++i) {
        if (1 + i >= bytes.size()) {
            h.size = 1 + i;
            *header = h;
            return HeaderStatus::Incomplete;
        }
        const quint8 b = quint8(bytes[1 + i]);
        length |= quint32(b & 0x7F) << (7 * i);
        if (!(b & 0x80)) {
            h.size = 2 + i;
            h.lengthKnown = true;
            h.remainingLength = length;
            // The shortest form: the last byte carries something, unless the length is 0 in one byte.
            h.minimalLength = i == 0 || (b & 0x7F) != 0;
            if (length > maxRemainingLength)
                return invalid(
                    Tr::tr("%1 whose remaining length says %2, above the limit of %3")
                        .arg(aTypeName(h.type), SizeFormat::bytes(length), SizeFormat::bytes(maxRemainingLength)));
            *header = h;
            return HeaderStatus::Complete;
        }
    }
    h.size = 5;
    return invalid(Tr::tr("the remaining length of a %1 runs past 4 bytes (%2)")
                       .arg(typeName(h.type), QString::fromLatin1(bytes.first(5).toByteArray().toHex(' '))));
}

QString propertyName(quint8 id)
{
    const PropertyDef *def = propertyDef(id);
    return def ? QCoreApplication::translate("Mqtt", def->name) : QString();
}

QLatin1StringView propertyKey(quint8 id)
{
    const PropertyDef *def = propertyDef(id);
    return def ? QLatin1StringView(def->name) : QLatin1StringView();
}

std::optional<quint8> propertyIdFromKey(QStringView name)
{
    QString key = name.trimmed().toString();
    key.replace(QLatin1Char('-'), QLatin1Char(' ')).replace(QLatin1Char('_'), QLatin1Char(' '));
    for (const PropertyDef &d : PropertyDefs)
        if (key.compare(QLatin1StringView(d.name), Qt::CaseInsensitive) == 0)
            return quint8(d.id);
    return std::nullopt;
}

std::optional<PropertyType> propertyType(quint8 id)
{
    const PropertyDef *def = propertyDef(id);
    return def ? std::optional<PropertyType>(def->type) : std::nullopt;
}

QString reasonName(Type type, quint8 code, Version version)
{
    if (version != Version::V5) {
        if (type == Type::ConnAck && code < std::size(ConnAckReturnCodes))
            return QCoreApplication::translate("Mqtt", ConnAckReturnCodes[code]);
        if (type == Type::SubAck) {
            if (code <= 2)
                return Tr::tr("Success, maximum QoS %1").arg(code);
            if (code == 0x80)
                return Tr::tr("Failure");
        }
        return {};
    }
    if (code == 0x00) {
        switch (type) {
        case Type::Disconnect:
            return Tr::tr("Normal disconnection");
        case Type::SubAck:
            return Tr::tr("Granted QoS 0");
        case Type::ConnAck:
        case Type::PubAck:
        case Type::PubRec:
        case Type::PubRel:
        case Type::PubComp:
        case Type::UnsubAck:
        case Type::Auth:
            return Tr::tr("Success");
        default:
            return {};
        }
    }
    for (const ReasonDef &d : ReasonDefs)
        if (d.code == code)
            return d.where & bit(type) ? QCoreApplication::translate("Mqtt", d.name) : QString();
    return {};
}

std::optional<Packet> parse(QByteArrayView bytes, Version version, QString *error)
{
    FixedHeader h;
    QString why;
    switch (readFixedHeader(bytes, &h, &why)) {
    case HeaderStatus::Invalid:
        return fail<Packet>(error, why);
    case HeaderStatus::Incomplete:
        return fail<Packet>(error,
            bytes.isEmpty() ? Tr::tr("no bytes: an MQTT packet has at least 2")
                            : Tr::tr("%1: the bytes end inside the remaining length").arg(typeName(h.type)));
    case HeaderStatus::Complete:
        break;
    }
    const QString name = typeName(h.type);
    if (bytes.size() < h.packetSize())
        return fail<Packet>(error,
            Tr::tr("%1: the remaining length says %2, %3 follow")
                .arg(name, SizeFormat::bytes(h.remainingLength), SizeFormat::bytes(quint64(bytes.size() - h.size))));
    if (bytes.size() > h.packetSize())
        return fail<Packet>(error,
            Tr::tr("%1: %2 follow the end its remaining length gives")
                .arg(name, SizeFormat::bytes(quint64(bytes.size() - h.packetSize()))));
    Packet p;
    p.type = h.type;
    p.version = version;
    Reader r(bytes.sliced(h.size));
    bool ok = false;
    switch (h.type) {
    case Type::Connect:
        ok = readConnect(r, p);
        break;
    case Type::ConnAck:
        ok = readConnAck(r, p, h.remainingLength);
        break;
    case Type::Publish:
        ok = readPublish(r, p, h.flags);
        break;
    case Type::PubAck:
    case Type::PubRec:
    case Type::PubRel:
    case Type::PubComp:
        ok = readAck(r, p);
        break;
    case Type::Subscribe:
        ok = readSubscribe(r, p);
        break;
    case Type::SubAck:
        ok = readSubAck(r, p);
        break;
    case Type::Unsubscribe:
        ok = readUnsubscribe(r, p);
        break;
    case Type::UnsubAck:
        ok = readUnsubAck(r, p);
        break;
    case Type::PingReq:
    case Type::PingResp:
        ok = r.left() == 0
            || r.fail(
                Tr::tr("%1 has no body, this one has %2").arg(aTypeName(h.type), SizeFormat::bytes(quint64(r.left()))));
        break;
    case Type::Disconnect:
    case Type::Auth:
        ok = readDisconnectOrAuth(r, p);
        break;
    }
    if (!ok)
        return fail<Packet>(error, Tr::tr("%1: %2").arg(name, r.problem));
    return p;
}

QByteArray encode(const Packet &p)
{
    const bool v5 = p.version == Version::V5;
    QByteArray body;
    quint8 flags = 0;
    auto optionalCodeAndProperties = [&] {
        const bool properties = p.hasProperties || !p.properties.isEmpty();
        if (p.hasReasonCode || p.reasonCode != 0 || properties)
            body.append(char(p.reasonCode));
        if (properties)
            putProperties(body, p.properties);
    };
    switch (p.type) {
    case Type::Connect: {
        const bool connectV5 = (p.protocolLevel & 0x7F) == 5;
        putBinary(body, p.protocolName);
        body.append(char(p.protocolLevel));
        body.append(char(connectFlags(p)));
        putU16(body, p.keepAlive);
        if (connectV5)
            putProperties(body, p.properties);
        putBinary(body, p.clientId);
        if (p.will) {
            if (connectV5)
                putProperties(body, p.will->properties);
            putBinary(body, p.will->topic);
            putBinary(body, p.will->payload);
        }
        if (p.username)
            putBinary(body, *p.username);
        if (p.password)
            putBinary(body, *p.password);
        break;
    }
    case Type::ConnAck:
        body.append(char(p.sessionPresent ? 1 : 0));
        body.append(char(p.reasonCode));
        if (v5)
            putProperties(body, p.properties);
        break;
    case Type::Publish:
        flags = quint8((p.dup ? 0x08 : 0) | ((p.qos & 0x03) << 1) | (p.retain ? 0x01 : 0));
        putBinary(body, p.topic);
        if (p.qos > 0)
            putU16(body, p.packetId);
        if (v5)
            putProperties(body, p.properties);
        body.append(p.payload);
        break;
    case Type::PubRel:
        flags = 0x02;
        [[fallthrough]];
    case Type::PubAck:
    case Type::PubRec:
    case Type::PubComp:
        putU16(body, p.packetId);
        if (v5)
            optionalCodeAndProperties();
        break;
    case Type::Subscribe:
        flags = 0x02;
        putU16(body, p.packetId);
        if (v5)
            putProperties(body, p.properties);
        for (const Subscription &s : p.subscriptions) {
            putBinary(body, s.filter);
            body.append(char(s.options));
        }
        break;
    case Type::SubAck:
        putU16(body, p.packetId);
        if (v5)
            putProperties(body, p.properties);
        for (quint8 code : p.reasonCodes)
            body.append(char(code));
        break;
    case Type::Unsubscribe:
        flags = 0x02;
        putU16(body, p.packetId);
        if (v5)
            putProperties(body, p.properties);
        for (const QByteArray &filter : p.topicFilters)
            putBinary(body, filter);
        break;
    case Type::UnsubAck:
        putU16(body, p.packetId);
        if (v5) {
            putProperties(body, p.properties);
            for (quint8 code : p.reasonCodes)
                body.append(char(code));
        }
        break;
    case Type::PingReq:
    case Type::PingResp:
        break;
    case Type::Disconnect:
    case Type::Auth:
        if (v5)
            optionalCodeAndProperties();
        break;
    }
    QByteArray out;
    out.reserve(body.size() + 5);
    out.append(char((int(p.type) << 4) | flags));
    putVarInt(out, quint32(body.size()));
    out.append(body);
    return out;
}

Packet connect(const QByteArray &clientId, quint16 keepAlive, bool cleanStart, Version version,
    const std::optional<QByteArray> &username, const std::optional<QByteArray> &password)
{
    Packet p;
    p.type = Type::Connect;
    p.version = version;
    p.protocolName = version == Version::V31 ? QByteArrayLiteral("MQIsdp") : QByteArrayLiteral("MQTT");
    p.protocolLevel = quint8(version);
    p.hasProperties = version == Version::V5;
    p.clientId = clientId;
    p.keepAlive = keepAlive;
    p.cleanStart = cleanStart;
    p.username = username;
    p.password = password;
    return p;
}

Packet subscribe(quint16 packetId, const QByteArray &filter, quint8 qos, Version version)
{
    Packet p;
    p.type = Type::Subscribe;
    p.version = version;
    p.hasProperties = version == Version::V5;
    p.packetId = packetId;
    p.subscriptions << Subscription { filter, quint8(qos & 0x03) };
    return p;
}

Packet publish(
    const QByteArray &topic, const QByteArray &payload, quint8 qos, bool retain, quint16 packetId, Version version)
{
    Packet p;
    p.type = Type::Publish;
    p.version = version;
    p.hasProperties = version == Version::V5;
    p.topic = topic;
    p.payload = payload;
    p.qos = qos & 0x03;
    p.retain = retain;
    p.packetId = p.qos > 0 ? packetId : 0;
    return p;
}

Packet pingReq()
{
    Packet p;
    p.type = Type::PingReq;
    return p;
}

Packet disconnect(Version version)
{
    Packet p;
    p.type = Type::Disconnect;
    p.version = version;
    return p;
}

QList<Decode::ComposerTemplate> templates(Version version)
{
    // What MQTT.js 5 sends by default: keep-alive 60 s, a clean start.
    const QByteArray clientId = QByteArrayLiteral("wsinspector");
    return {
        { Tr::tr("CONNECT (MQTT 3.1.1)"), encode(connect(clientId, 60, true, Version::V311)) },
        { Tr::tr("CONNECT (MQTT 5)"), encode(connect(clientId, 60, true, Version::V5)) },
        { Tr::tr("SUBSCRIBE"), encode(subscribe(1, QByteArrayLiteral("test/#"), 1, version)) },
        { Tr::tr("PUBLISH"),
            encode(publish(QByteArrayLiteral("test/hello"), QByteArrayLiteral("Hello from WebSocket Inspector"), 0,
                false, 0, version)) },
        { Tr::tr("PINGREQ"), encode(pingReq()) },
        { Tr::tr("DISCONNECT"), encode(disconnect(version)) },
    };
}

QString summary(const Packet &p)
{
    QStringList parts { typeName(p.type) };
    const bool v5 = p.version == Version::V5;
    auto withCodes = [&] {
        QStringList codes;
        for (quint8 code : p.reasonCodes)
            codes << codeSummary(p, code);
        if (!codes.isEmpty())
            parts << codes.join(QStringLiteral(", "));
    };
    switch (p.type) {
    case Type::Connect: {
        parts << Tr::tr("client %1").arg(DisplayText::quoted(p.clientId, 60));
        const int level = p.protocolLevel & 0x7F;
        parts << (level >= 3 && level <= 5 ? versionName(Version(level)) : Tr::tr("level %1").arg(level));
        if (p.protocolLevel & 0x80)
            parts << Tr::tr("bridge");
        parts << Tr::tr("keep-alive %1 s").arg(p.keepAlive);
        if (p.cleanStart)
            parts << Tr::tr("clean");
        if (p.username)
            parts << Tr::tr("user %1").arg(DisplayText::quoted(*p.username, 40));
        if (p.will)
            parts << Tr::tr("will %1").arg(DisplayText::line(p.will->topic, 60));
        break;
    }
    case Type::ConnAck:
        if (p.reasonCode == 0)
            parts << Tr::tr("accepted");
        else
            parts << Tr::tr("refused: %1").arg(codeSummary(p, p.reasonCode));
        if (p.sessionPresent)
            parts << Tr::tr("session present");
        break;
    case Type::Publish: {
        if (p.topic.isEmpty()) {
            for (const Property &prop : p.properties)
                if (prop.id == 0x23)
                    parts << Tr::tr("(topic alias %1)").arg(prop.number);
        } else {
            parts << DisplayText::line(p.topic, 80);
        }
        parts << Tr::tr("QoS %1").arg(p.qos);
        if (p.qos > 0)
            parts << Tr::tr("id %1").arg(p.packetId);
        if (p.retain)
            parts << Tr::tr("retain");
        if (p.dup)
            parts << Tr::tr("dup");
        parts << SizeFormat::compact(quint64(p.payload.size()));
        if (!p.payload.isEmpty())
            parts << payloadPreview(p.payload);
        break;
    }
    case Type::PubAck:
    case Type::PubRec:
    case Type::PubRel:
    case Type::PubComp:
        parts << Tr::tr("id %1").arg(p.packetId);
        if (v5 && p.reasonCode != 0)
            parts << codeSummary(p, p.reasonCode);
        break;
    case Type::Subscribe: {
        parts << Tr::tr("id %1").arg(p.packetId);
        QStringList subs;
        for (const Subscription &s : p.subscriptions)
            subs << subscriptionText(s, p.version);
        parts << subs.join(QStringLiteral(", "));
        break;
    }
    case Type::SubAck:
        parts << Tr::tr("id %1").arg(p.packetId);
        withCodes();
        break;
    case Type::Unsubscribe: {
        parts << Tr::tr("id %1").arg(p.packetId);
        QStringList filters;
        for (const QByteArray &f : p.topicFilters)
            filters << DisplayText::line(f, 80);
        parts << filters.join(QStringLiteral(", "));
        break;
    }
    case Type::UnsubAck:
        parts << Tr::tr("id %1").arg(p.packetId);
        withCodes();
        break;
    case Type::PingReq:
    case Type::PingResp:
        break;
    case Type::Disconnect:
    case Type::Auth:
        if (v5 && (p.reasonCode != 0 || p.type == Type::Auth))
            parts << codeSummary(p, p.reasonCode);
        for (const Property &prop : p.properties)
            if (prop.id == 0x15)
                parts << Tr::tr("method %1").arg(DisplayText::quoted(prop.data, 40));
        break;
    }
    for (const Property &prop : p.properties)
        if (prop.id == 0x1F)
            parts << DisplayText::quoted(prop.data, 60);
    return parts.join(QLatin1Char(' '));
}

QList<Field> fields(const Packet &p, const FixedHeader &h)
{
    QList<Field> out;
    const bool v5 = p.version == Version::V5;

    Field header(Tr::tr("fixed header"), SizeFormat::bytes(quint64(h.size)));
    header.children << Field(Tr::tr("packet type"), QStringLiteral("%1 (%2)").arg(int(p.type)).arg(typeName(p.type)));
    Field flags(Tr::tr("flags"), bits4(h.flags));
    if (p.type == Type::Publish)
        flags.children << Field(QStringLiteral("DUP"), yesNo(p.dup))
                       << Field(QStringLiteral("QoS"), QString::number(p.qos))
                       << Field(QStringLiteral("RETAIN"), yesNo(p.retain));
    header.children << flags;
    header.children << Field(Tr::tr("remaining length"),
        h.minimalLength
            ? QString::number(h.remainingLength)
            : Tr::tr("%1 (written in %2 bytes, more than it needs)").arg(h.remainingLength).arg(h.size - 1));
    out << header;

    const Field packetId(Tr::tr("packet identifier"), QString::number(p.packetId));
    auto properties = [&](const QList<Property> &props, const QString &name) {
        if (v5)
            out << propertiesField(props, name);
    };
    switch (p.type) {
    case Type::Connect: {
        out << Field(Tr::tr("protocol name"), Decode::textOrHex(p.protocolName));
        out << Field(Tr::tr("protocol level"), levelValue(p));
        Field f(Tr::tr("connect flags"), hexCode(connectFlags(p)));
        f.children << Field(Tr::tr("user name"), yesNo(p.username.has_value()))
                   << Field(Tr::tr("password"), yesNo(p.password.has_value()))
                   << Field(Tr::tr("will retain"), yesNo(p.will && p.will->retain))
                   << Field(Tr::tr("will QoS"), QString::number(p.will ? p.will->qos : 0))
                   << Field(Tr::tr("will"), yesNo(p.will.has_value()))
                   << Field(v5 ? Tr::tr("clean start") : Tr::tr("clean session"), yesNo(p.cleanStart))
                   << Field(Tr::tr("reserved"), QStringLiteral("0"));
        out << f;
        out << Field(Tr::tr("keep alive"), Tr::tr("%1 s").arg(p.keepAlive));
        properties(p.properties, Tr::tr("properties"));
        out << Field(Tr::tr("client identifier"), Decode::textOrHex(p.clientId));
        if (p.will) {
            Field w(Tr::tr("will"), Decode::textOrHex(p.will->topic));
            if (v5)
                w.children << propertiesField(p.will->properties, Tr::tr("will properties"));
            w.children << Field(Tr::tr("will topic"), Decode::textOrHex(p.will->topic));
            w.children << payloadField(Tr::tr("will payload"), p.will->payload);
            w.children << Field(Tr::tr("will QoS"), QString::number(p.will->qos));
            w.children << Field(Tr::tr("will retain"), yesNo(p.will->retain));
            out << w;
        }
        if (p.username)
            out << Field(Tr::tr("user name"), Decode::textOrHex(*p.username));
        if (p.password)
            out << Field(Tr::tr("password"), Decode::textOrHex(*p.password));
        break;
    }
    case Type::ConnAck:
        out << Field(Tr::tr("acknowledge flags"), hexCode(p.sessionPresent ? 1 : 0),
            { Field(Tr::tr("session present"), yesNo(p.sessionPresent)) });
        out << Field(v5 ? Tr::tr("reason code") : Tr::tr("return code"), codeValue(p, p.reasonCode));
        properties(p.properties, Tr::tr("properties"));
        break;
    case Type::Publish:
        out << Field(Tr::tr("topic name"), Decode::textOrHex(p.topic));
        if (p.qos > 0)
            out << packetId;
        properties(p.properties, Tr::tr("properties"));
        out << payloadField(Tr::tr("payload"), p.payload);
        break;
    case Type::PubAck:
    case Type::PubRec:
    case Type::PubRel:
    case Type::PubComp:
    case Type::Disconnect:
    case Type::Auth:
        if (p.type != Type::Disconnect && p.type != Type::Auth)
            out << packetId;
        if (v5) {
            out << Field(Tr::tr("reason code"),
                p.hasReasonCode ? codeValue(p, p.reasonCode)
                                : Tr::tr("%1 (left out: the packet ends before it)").arg(codeValue(p, 0)));
            if (p.hasProperties)
                properties(p.properties, Tr::tr("properties"));
        }
        break;
    case Type::Subscribe:
        out << packetId;
        properties(p.properties, Tr::tr("properties"));
        for (const Subscription &s : p.subscriptions) {
            Field f(Tr::tr("topic filter"), Decode::textOrHex(s.filter));
            f.children << Field(Tr::tr("options"), hexCode(s.options));
            f.children << Field(Tr::tr("maximum QoS"), QString::number(s.qos()));
            if (v5) {
                f.children << Field(Tr::tr("no local"), yesNo(s.noLocal()));
                f.children << Field(Tr::tr("retain as published"), yesNo(s.retainAsPublished()));
                static const char *const handling[]
                    = { QT_TRANSLATE_NOOP("Mqtt", "send retained messages on subscribe"),
                          QT_TRANSLATE_NOOP("Mqtt", "send retained messages on a new subscription only"),
                          QT_TRANSLATE_NOOP("Mqtt", "do not send retained messages") };
                f.children << Field(Tr::tr("retain handling"),
                    QStringLiteral("%1 (%2)")
                        .arg(s.retainHandling())
                        .arg(QCoreApplication::translate("Mqtt", handling[qMin(2, int(s.retainHandling()))])));
            }
            out << f;
        }
        break;
    case Type::SubAck:
    case Type::UnsubAck:
        out << packetId;
        properties(p.properties, Tr::tr("properties"));
        for (quint8 code : p.reasonCodes)
            out << Field(v5 ? Tr::tr("reason code") : Tr::tr("return code"), codeValue(p, code));
        break;
    case Type::Unsubscribe:
        out << packetId;
        properties(p.properties, Tr::tr("properties"));
        for (const QByteArray &filter : p.topicFilters)
            out << Field(Tr::tr("topic filter"), Decode::textOrHex(filter));
        break;
    case Type::PingReq:
    case Type::PingResp:
        break;
    }
    return out;
}

QList<Correlation> correlations(const Packet &p)
{
    using Role = Correlation::Role;
    const QByteArray id = QByteArrayLiteral("packet ") + QByteArray::number(p.packetId);
    switch (p.type) {
    case Type::Connect:
        return { { Role::Request, QByteArrayLiteral("connect") } };
    case Type::ConnAck:
        return { { Role::Answer, QByteArrayLiteral("connect") } };
    case Type::Publish:
        if (p.qos > 0)
            return { { Role::Request, id } };
        return {};
    case Type::PubAck:
    case Type::PubComp:
    case Type::SubAck:
    case Type::UnsubAck:
        return { { Role::Answer, id } };
    case Type::PubRec:
        // MQTT 5: a PUBREC with an error reason code ends the exchange; no PUBREL follows.
        return { { p.reasonCode >= 0x80 ? Role::Answer : Role::Progress, id } };
    case Type::PubRel:
        // From the publisher, after the receiver's PUBREC: the publisher's own next step.
        return { { Role::Continue, id } };
    case Type::Subscribe:
    case Type::Unsubscribe:
        return { { Role::Request, id } };
    case Type::PingReq:
        return { { Role::Request, QByteArrayLiteral("ping") } };
    case Type::PingResp:
        return { { Role::Answer, QByteArrayLiteral("ping") } };
    case Type::Disconnect:
    case Type::Auth:
        return {};
    }
    return {};
}

} // namespace Mqtt
