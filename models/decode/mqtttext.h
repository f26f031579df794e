#pragma once

#include "decode/mqttpacket.h"

#include <QString>
#include <QStringView>

#include <optional>

// An MQTT control packet written as text a person can type, read and change: the packet type on
// the first line, then one field per line, `name: value`, in any order. The composer encodes it
// with Mqtt::encode(), so lengths, flags and properties are always written right, unless a field
// asks for a wrong value on purpose (QoS 3, packet id 0, a protocol level of 9).
//
//     PUBLISH
//     version: 5
//     topic: sensors/1
//     qos: 1
//     packet-id: 7
//     property: Content Type = application/json
//     user-property: origin = lab
//
//     {"t": 21.5}
//
// - `version`: 3.1, 3.1.1 (the default) or 5; a CONNECT declares it (protocol name and level).
// - A PUBLISH's payload is everything after the first blank line, as typed; `payload-hex` instead
//   gives bytes. Other packets have no payload.
// - Text values are one line, trimmed; `password-hex` and `will-payload-hex` give exact bytes.
// - Numbers are decimal or 0x hex; flags are true/false (yes/no, 1/0).
// - A SUBSCRIBE's `qos`, `no-local`, `retain-as-published` and `retain-handling` lines belong to
//   the `filter` line above them.
// - MQTT 5 properties: `property: NAME = VALUE` by the spec's name (Content Type, content-type) or
//   id (0x03); binary values (Correlation Data, Authentication Data) in hex. `user-property: k = v`.
//   CONNECT's will has `will-property` and `will-user-property`.
// - `empty-properties: true` writes a property length of 0 where MQTT 5 lets it be left out (the
//   short acknowledgements, DISCONNECT, AUTH), as some clients do.
// - Lines starting with '#' are comments.
namespace Mqtt {

struct TextPacket {
    std::optional<Packet> packet;
    QString error; // "line 3: qos must be a number from 0 to 3, not “high”"; empty when packet is set
    qsizetype errorPos = -1; // index into the text of what the error is about
};

TextPacket fromText(QStringView text);

// The packet in the form fromText() reads: encode(*fromText(toText(p)).packet) == encode(p) for a
// packet whose text fields are single lines of text.
QString toText(const Packet &packet);

} // namespace Mqtt
