#pragma once

#include "decode/composertemplate.h"
#include "decode/decoded.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QList>
#include <QString>

#include <optional>

// MQTT control packets: 3.1 (protocol name "MQIsdp", level 3), 3.1.1 (level 4, OASIS 2014) and 5
// (level 5, OASIS 2019), as one whole packet each. Pure parsing with errors a person can act on,
// the fixed header read on its own (what a stream reassembler needs to know how long a packet is),
// and an encoder that writes a parsed or built packet back. The byte stream (a WebSocket message
// may hold part of a packet or several) belongs to MqttDecoder.
//
// The version changes how packets other than CONNECT read (MQTT 5 adds reason codes and
// properties); CONNECT says which version it speaks, so a connection's version is known from it.
namespace Mqtt {

enum class Type : quint8 {
    Connect = 1,
    ConnAck,
    Publish,
    PubAck,
    PubRec,
    PubRel,
    PubComp,
    Subscribe,
    SubAck,
    Unsubscribe,
    UnsubAck,
    PingReq,
    PingResp,
    Disconnect,
    Auth,
};
QString typeName(Type type); // "CONNECT", "PUBLISH", ...
QString aTypeName(Type type); // "a CONNECT", "an UNSUBSCRIBE": the name inside a sentence

// The protocol level a CONNECT declares.
enum class Version : quint8 { V31 = 3, V311 = 4, V5 = 5 };
QString versionName(Version version); // "MQTT 3.1", "MQTT 3.1.1", "MQTT 5"

// The largest remaining length (and variable byte integer) four bytes can write: 256 MiB - 1.
constexpr quint32 MaxRemainingLength = 268'435'455;

struct FixedHeader {
    Type type = Type::Connect;
    quint8 flags = 0; // the first byte's low four bits
    bool lengthKnown = false; // false while the remaining length's bytes have not all arrived
    quint32 remainingLength = 0;
    int size = 0; // the first byte and the remaining length's bytes
    bool minimalLength = true; // the remaining length took no more bytes than it needs
    qint64 packetSize() const { return qint64(size) + remainingLength; }
};

enum class HeaderStatus : quint8 {
    Complete, // the header is whole: packetSize() says how many bytes the packet takes
    Incomplete, // the bytes end inside the remaining length (type and flags are known if a byte came)
    Invalid, // not an MQTT packet's header: a reserved type, wrong flags, a length too long
};

// The fixed header at the start of `bytes` (which may hold more than one packet). A type and its
// flags are checked as soon as the first byte is there: reserved type 0, reserved flags other than
// the spec's (0010 for PUBREL, SUBSCRIBE, UNSUBSCRIBE, 0000 for the others), a PUBLISH with QoS 3,
// a remaining length that runs past four bytes or exceeds `maxRemainingLength`.
HeaderStatus readFixedHeader(QByteArrayView bytes, FixedHeader *header, QString *error = nullptr,
    quint32 maxRemainingLength = MaxRemainingLength);

enum class PropertyType : quint8 {
    Byte,
    TwoByte,
    FourByte,
    VariableByteInteger,
    Utf8String,
    BinaryData,
    Utf8StringPair
};

// An MQTT 5 property as sent, in the packet's order; repeats (User Property, a PUBLISH's
// Subscription Identifiers) are kept.
struct Property {
    quint8 id = 0;
    quint32 number = 0; // Byte, TwoByte, FourByte, VariableByteInteger
    QByteArray data; // Utf8String, BinaryData; a pair's name
    QByteArray value; // a pair's value
    friend bool operator==(const Property &, const Property &) = default;
};
QString propertyName(quint8 id); // "Message Expiry Interval"; empty for an id the spec does not define
// The spec's name untranslated, for text a person types and a program reads back ("Content Type").
QLatin1StringView propertyKey(quint8 id);
// The id whose spec name is `name`, in any case, with '-' or '_' for the spaces ("content-type").
std::optional<quint8> propertyIdFromKey(QStringView name);
std::optional<PropertyType> propertyType(quint8 id);

struct Subscription {
    QByteArray filter;
    // Bits 0-1 the maximum QoS; MQTT 5: bit 2 No Local, bit 3 Retain As Published, bits 4-5 Retain Handling.
    quint8 options = 0;
    quint8 qos() const { return options & 0x03; }
    bool noLocal() const { return options & 0x04; }
    bool retainAsPublished() const { return options & 0x08; }
    quint8 retainHandling() const { return (options >> 4) & 0x03; }
    friend bool operator==(const Subscription &, const Subscription &) = default;
};

struct Will {
    QByteArray topic;
    QByteArray payload;
    quint8 qos = 0;
    bool retain = false;
    QList<Property> properties; // MQTT 5
    friend bool operator==(const Will &, const Will &) = default;
};

// One control packet, every field of every type in one value (only the type's own are used).
struct Packet {
    Type type = Type::PingReq;
    // The version the packet was read as (CONNECT: the level it declares), or is to be written as.
    // A CONNACK in the 3.1.1 form under MQTT 5 (a server refusing version 5) reads as V311.
    Version version = Version::V311;

    // PUBLISH: the fixed header's flags.
    bool dup = false;
    quint8 qos = 0;
    bool retain = false;
    quint16 packetId = 0; // PUBLISH with QoS > 0, the acknowledgements, SUBSCRIBE, UNSUBSCRIBE and theirs

    // CONNECT
    QByteArray protocolName = "MQTT";
    quint8 protocolLevel = 4; // as sent: 3, 4 or 5, plus 0x80 for a broker bridging (mosquitto's "try private")
    bool cleanStart = true; // "Clean Session" before MQTT 5
    quint16 keepAlive = 0; // seconds
    QByteArray clientId;
    std::optional<Will> will;
    std::optional<QByteArray> username;
    std::optional<QByteArray> password;

    // CONNACK
    bool sessionPresent = false;

    // CONNACK's return code (3.1.1) or reason code (5); MQTT 5's PUBACK, PUBREC, PUBREL, PUBCOMP,
    // DISCONNECT and AUTH, where it may be left out (hasReasonCode false: 0, success).
    quint8 reasonCode = 0;
    bool hasReasonCode = false;
    QList<quint8> reasonCodes; // SUBACK (granted QoS or failure, per filter), MQTT 5 UNSUBACK

    QList<Subscription> subscriptions; // SUBSCRIBE
    QList<QByteArray> topicFilters; // UNSUBSCRIBE

    QByteArray topic; // PUBLISH
    QByteArray payload; // PUBLISH

    // MQTT 5. hasProperties: the property length was sent (the short acknowledgements, DISCONNECT
    // and AUTH may leave it out).
    QList<Property> properties;
    bool hasProperties = false;

    friend bool operator==(const Packet &, const Packet &) = default;
};

// `bytes` is exactly one packet, fixed header included. `version` is the connection's (a CONNECT
// brings its own). nullopt and a reason ("PUBACK: a PUBACK is 2 bytes long in MQTT 3.1.1, this one
// 4") when the bytes are not a valid packet of that version.
std::optional<Packet> parse(QByteArrayView bytes, Version version, QString *error = nullptr);

// The packet's bytes as written for packet.version: every field, properties in their order,
// remaining lengths and variable byte integers in their shortest form. parse(encode(p)) == p for
// a packet parse() gave, and encode(parse(x)) == x for bytes that use the shortest forms.
QByteArray encode(const Packet &packet);

// Packets to encode, from the fields a composer asks for.
Packet connect(const QByteArray &clientId, quint16 keepAlive, bool cleanStart, Version version,
    const std::optional<QByteArray> &username = std::nullopt, const std::optional<QByteArray> &password = std::nullopt);
Packet subscribe(quint16 packetId, const QByteArray &filter, quint8 qos, Version version);
Packet publish(
    const QByteArray &topic, const QByteArray &payload, quint8 qos, bool retain, quint16 packetId, Version version);
Packet pingReq();
Packet disconnect(Version version);

// Ready-made packets for the composer: "CONNECT (MQTT 3.1.1)", "CONNECT (MQTT 5)", then SUBSCRIBE,
// PUBLISH, PINGREQ and DISCONNECT in `version`'s form. `text` holds the packet's bytes (binary).
QList<Decode::ComposerTemplate> templates(Version version = Version::V311);

// The name of a CONNACK return code (3.1.1: "Connection accepted", "not authorized"...), of a
// SUBACK return code, or of an MQTT 5 reason code in `type`'s table ("Success", "Normal
// disconnection", "Granted QoS 1", "No matching subscribers"); empty when `type` may not carry it.
QString reasonName(Type type, quint8 code, Version version);

// One line for the log: `CONNECT client "sensor-1" MQTT 5 keep-alive 60 s clean`,
// `PUBLISH sensors/1 QoS 1 id 5 4 B "21.5"`, `SUBACK id 1 granted QoS 1`. Peer text by the display rule.
QString summary(const Packet &packet);
// The whole structure, fixed header first, for the payload view.
QList<Decode::Field> fields(const Packet &packet, const FixedHeader &header);
// What pairs it with another packet: "connect" (CONNECT, CONNACK), "packet N" (a PUBLISH with
// QoS > 0 and its acknowledgements, SUBSCRIBE/SUBACK, UNSUBSCRIBE/UNSUBACK), "ping".
QList<Decode::Correlation> correlations(const Packet &packet);

} // namespace Mqtt
