#pragma once

#include "decode/decoder.h"
#include "decode/mqttpacket.h"

// MQTT 3.1, 3.1.1 and 5 over WebSocket (subprotocols "mqtt" and "mqttv3.1"). The spec's WebSocket
// section lets one binary message hold part of a packet or several packets [MQTT-6.0.0-2], and real
// peers use both: MQTT.js 5 in Node.js (and aedes behind ws's createWebSocketStream) sends every
// field of a packet as a message of its own. So each sender's messages are one byte stream: a
// message gives a unit per packet it completes ("(continued from earlier messages)" when its first
// bytes came before), and a unit for the bytes of a packet that has not ended yet ("6 of 22 bytes
// of a CONNECT; the rest follows"), which wait for that sender's next message.
//
// The version: MQTT 5 adds reason codes and properties to most packets, and nothing but the
// client's CONNECT says which version the connection speaks. Until a CONNECT is seen, a packet is
// read as MQTT 3.1.1 (what MQTT.js and most clients default to); one that does not parse as 3.1.1
// but does as MQTT 5 (a PUBACK with a reason code, an AUTH, a SUBACK with properties...) switches
// the guess to MQTT 5, and back the same way. A unit read under a guess says so in its fields.
//
// Bytes that cannot start a packet (a reserved type, wrong fixed header flags, a remaining length
// past four bytes or above the limit) put the stream out of step: the rest of the message is
// skipped, said so, and the sender's next message is read as the start of a packet. A packet whose
// length is right but whose content is not (a bad property, a reason code its type may not carry)
// is one unit with an error, and the packets after it are read as usual.
//
// Pairs: CONNECT and CONNACK ("connect"); PINGREQ and PINGRESP ("ping"); by packet identifier
// ("packet N"): PUBLISH QoS 1 and PUBACK; PUBLISH QoS 2, PUBREC (progress; an answer when MQTT 5's
// reason code refuses), PUBREL (progress, from the publisher) and PUBCOMP; SUBSCRIBE and SUBACK;
// UNSUBSCRIBE and UNSUBACK. Identifiers are each sender's own: the other sender answers them.
class MqttDecoder : public Decoder {
public:
    // `maxRemainingLength`: a packet that says it is longer is refused (the spec's own limit is
    // 256 MiB - 1, what four length bytes can say).
    explicit MqttDecoder(quint32 maxRemainingLength = Mqtt::MaxRemainingLength);

    Decode::Protocol protocol() const override { return Decode::Protocol::Mqtt; }
    Decode::Decoded decode(Decode::Sender sender, bool binary, QByteArrayView payload) override;
    // One byte for the version (0 while no CONNECT was seen and nothing suggests MQTT 5; 3, 4 or 5
    // from the CONNECT; 0x85 for MQTT 5 guessed), then the bytes of the packet that has not ended.
    // Empty while both are nothing.
    QByteArray state(Decode::Sender sender) const override;
    void setState(Decode::Sender sender, const QByteArray &state) override;

private:
    struct Stream {
        quint8 version = 0;
        QByteArray carried;
    };
    Stream m_streams[2];
    quint32 m_maxRemainingLength;

    void setVersion(quint8 version);
    std::optional<Mqtt::Packet> parsePacket(
        const Stream &stream, QByteArrayView bytes, Mqtt::Type type, QString *error, QList<Decode::Field> *notes);
    Decode::Unit packetUnit(
        const Stream &stream, QByteArrayView bytes, const Mqtt::FixedHeader &header, qsizetype fromEarlier);
};
