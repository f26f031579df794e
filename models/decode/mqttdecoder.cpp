#include "decode/mqttdecoder.h"

#include "text/sizeformat.h"

#include <QCoreApplication>

#include <utility>

namespace {

struct Tr {
    Q_DECLARE_TR_FUNCTIONS(MqttDecoder)
};

using namespace Decode;
using Mqtt::Version;

int slot(Sender sender)
{
    return sender == Sender::Server ? 1 : 0;
}

// The version byte of the state: 0 unknown (read as 3.1.1), 3, 4, 5 from the CONNECT, or MQTT 5 guessed.
constexpr quint8 VersionUnknown = 0;
constexpr quint8 VersionGuessed5 = 0x85;

bool validVersionByte(quint8 v)
{
    return v == VersionUnknown || v == 3 || v == 4 || v == 5 || v == VersionGuessed5;
}

QString hexPreview(QByteArrayView bytes, qsizetype max = 32)
{
    QString hex = QString::fromLatin1(bytes.first(qMin(bytes.size(), max)).toByteArray().toHex(' '));
    if (bytes.size() > max)
        hex += QStringLiteral(" …");
    return hex;
}

Unit partialUnit(const Mqtt::FixedHeader &h, QByteArrayView bytes, qsizetype fromEarlier)
{
    Unit u;
    u.type = QStringLiteral("partial");
    const QString packet = Mqtt::aTypeName(h.type);
    const bool sized = h.lengthKnown;
    u.summary = sized
        ? Tr::tr("%1 of %2 bytes of %3; the rest follows").arg(bytes.size()).arg(h.packetSize()).arg(packet)
        : Tr::tr("%1 of %2; the rest follows").arg(SizeFormat::bytes(quint64(bytes.size())), packet);
    u.fields << Field(Tr::tr("packet type"), QStringLiteral("%1 (%2)").arg(int(h.type)).arg(Mqtt::typeName(h.type)));
    u.fields << Field(Tr::tr("packet size"),
        sized ? SizeFormat::bytes(quint64(h.packetSize()))
              : Tr::tr("not known yet: the remaining length has not ended"));
    u.fields << Field(Tr::tr("bytes so far"), QString::number(bytes.size()));
    if (fromEarlier > 0)
        u.fields << Field(Tr::tr("from earlier messages"), QString::number(fromEarlier));
    u.fields << Field(Tr::tr("in this message"), QString::number(bytes.size() - fromEarlier));
    u.fields << Field(Tr::tr("bytes"), hexPreview(bytes));
    return u;
}

} // namespace

MqttDecoder::MqttDecoder(quint32 maxRemainingLength)
    : m_maxRemainingLength(maxRemainingLength)
{
}

QByteArray MqttDecoder::state(Sender sender) const
{
    const Stream &s = m_streams[slot(sender)];
    if (s.version == VersionUnknown && s.carried.isEmpty())
        return {};
    QByteArray out(1, char(s.version));
    out += s.carried;
    return out;
}

void MqttDecoder::setState(Sender sender, const QByteArray &state)
{
    Stream &s = m_streams[slot(sender)];
    s = Stream();
    if (state.isEmpty())
        return;
    const quint8 version = quint8(state[0]);
    s.version = validVersionByte(version) ? version : VersionUnknown;
    s.carried = state.sliced(1);
}

void MqttDecoder::setVersion(quint8 version)
{
    // The version is the connection's: both senders' packets read by it.
    for (Stream &s : m_streams)
        s.version = version;
}

std::optional<Mqtt::Packet> MqttDecoder::parsePacket(
    const Stream &stream, QByteArrayView bytes, Mqtt::Type type, QString *error, QList<Field> *notes)
{
    if (type == Mqtt::Type::Connect) {
        // A CONNECT declares its own version, and the connection speaks it from here on.
        auto p = Mqtt::parse(bytes, Version::V311, error);
        if (p)
            setVersion(quint8(p->version));
        return p;
    }
    if (stream.version == 3 || stream.version == 4 || stream.version == 5) {
        const Version version = Version(stream.version);
        auto p = Mqtt::parse(bytes, version, error);
        if (p && p->version != version)
            *notes << Field(Tr::tr("form"),
                Tr::tr("%1, not %2: a server that does not speak %2 answers so")
                    .arg(Mqtt::versionName(p->version), Mqtt::versionName(version)));
        return p;
    }
    const Version assumed = stream.version == VersionGuessed5 ? Version::V5 : Version::V311;
    const Version other = assumed == Version::V5 ? Version::V311 : Version::V5;
    QString why;
    if (auto p = Mqtt::parse(bytes, assumed, &why)) {
        *notes << Field(Tr::tr("version"),
            assumed == Version::V5
                ? Tr::tr("read as MQTT 5: no CONNECT seen, and an earlier packet parsed only as MQTT 5")
                : Tr::tr("read as MQTT 3.1.1: no CONNECT seen, so the version is assumed"));
        return p;
    }
    QString otherWhy;
    if (auto p = Mqtt::parse(bytes, other, &otherWhy)) {
        setVersion(other == Version::V5 ? VersionGuessed5 : VersionUnknown);
        *notes << Field(Tr::tr("version"),
            Tr::tr("read as %1: no CONNECT seen, and as %2 it does not parse (%3)")
                .arg(Mqtt::versionName(other), Mqtt::versionName(assumed), why));
        return p;
    }
    if (error)
        *error = why;
    return std::nullopt;
}

Unit MqttDecoder::packetUnit(
    const Stream &stream, QByteArrayView bytes, const Mqtt::FixedHeader &header, qsizetype fromEarlier)
{
    Unit u;
    u.type = Mqtt::typeName(header.type);
    QString why;
    QList<Field> notes;
    if (const auto p = parsePacket(stream, bytes, header.type, &why, &notes)) {
        u.summary = Mqtt::summary(*p);
        u.fields = Mqtt::fields(*p, header) + notes;
        u.correlations = Mqtt::correlations(*p);
    } else {
        u.summary = Tr::tr("%1, %2").arg(u.type, SizeFormat::bytes(quint64(bytes.size())));
        u.error = why;
        u.fields << Field(Tr::tr("bytes"), hexPreview(bytes, 256));
    }
    if (fromEarlier > 0) {
        u.summary += Tr::tr(" (continued from earlier messages)");
        u.fields.prepend(Field(Tr::tr("reassembled"),
            Tr::tr("%1: %2 from earlier messages, %3 from this one")
                .arg(SizeFormat::bytes(quint64(bytes.size())))
                .arg(fromEarlier)
                .arg(bytes.size() - fromEarlier)));
    }
    return u;
}

Decoded MqttDecoder::decode(Sender sender, bool binary, QByteArrayView payload)
{
    Decoded d;
    d.protocol = Protocol::Mqtt;
    Stream &s = m_streams[slot(sender)];
    // The bytes of a packet begun in earlier messages come first. Appending to them keeps a large
    // packet arriving in many messages linear.
    const qsizetype earlier = s.carried.size();
    QByteArray joined;
    QByteArrayView bytes = payload;
    if (earlier > 0) {
        joined = std::exchange(s.carried, QByteArray());
        joined.append(payload);
        bytes = joined;
    }
    qsizetype pos = 0;
    while (pos < bytes.size()) {
        const QByteArrayView rest = bytes.sliced(pos);
        const qsizetype fromEarlier = qBound<qsizetype>(0, earlier - pos, rest.size());
        Mqtt::FixedHeader header;
        QString why;
        const auto status = Mqtt::readFixedHeader(rest, &header, &why, m_maxRemainingLength);
        if (status == Mqtt::HeaderStatus::Invalid) {
            const QString skipped = Tr::tr("%1. %2 skipped: decoding resumes with this sender's next message")
                                        .arg(why, SizeFormat::bytes(quint64(rest.size())));
            if (d.units.isEmpty()) {
                d.error = skipped;
            } else {
                Unit u;
                u.type = QStringLiteral("invalid");
                u.summary = Tr::tr("%1 skipped: %2").arg(SizeFormat::bytes(quint64(rest.size())), hexPreview(rest, 8));
                u.error = skipped;
                u.fields << Field(Tr::tr("skipped bytes"), hexPreview(rest, 256));
                d.units << u;
            }
            break;
        }
        if (status == Mqtt::HeaderStatus::Incomplete || header.packetSize() > rest.size()) {
            d.units << partialUnit(header, rest, fromEarlier);
            // Still the same packet as before this message: keep the buffer rather than copy it again.
            s.carried = pos == 0 && earlier > 0 ? std::move(joined) : rest.toByteArray();
            break;
        }
        const QByteArrayView packet = rest.first(header.packetSize());
        d.units << packetUnit(s, packet, header, qMin<qsizetype>(fromEarlier, packet.size()));
        pos += packet.size();
    }
    if (bytes.isEmpty()) {
        Unit u;
        u.type = QStringLiteral("empty");
        u.summary = Tr::tr("empty message");
        d.units << u;
    }
    if (!binary) {
        const QString rule = Tr::tr("MQTT requires binary messages [MQTT-6.0.0-1]");
        if (!d.error.isEmpty()) {
            d.error = Tr::tr("%1 (and this is a text message: %2)").arg(d.error, rule);
        } else {
            Unit u;
            u.type = QStringLiteral("text");
            u.summary = Tr::tr("text message");
            u.error = Tr::tr("%1; this text message is decoded anyway").arg(rule);
            d.units.prepend(u);
        }
    }
    return d;
}
