#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QString>

#include <optional>

// Socket.IO v4 over its websocket transport, one text frame at a time: the Engine.IO v4 packet
// the frame is (a type digit, then data), and, inside an Engine.IO message, the Socket.IO packet
// (socket.io-protocol v5: type, attachment count, namespace, ack id, JSON). Pure parsing with
// errors a person can act on; the stateful part (binary attachments arriving as frames of their
// own, pairing acks with events) belongs to the decoder that uses these.
namespace SocketIo {

// Engine.IO v4: `2` is a ping, `42[...]` a message carrying a Socket.IO packet.
struct EnginePacket {
    enum class Type : quint8 { Open, Close, Ping, Pong, Message, Upgrade, Noop };
    Type type = Type::Message;
    QByteArray data; // what follows the type digit: the open packet's JSON, "probe", a Socket.IO packet
};

struct Packet {
    enum class Type : quint8 { Connect, Disconnect, Event, Ack, ConnectError, BinaryEvent, BinaryAck };
    Type type = Type::Event;
    int attachments = 0; // BinaryEvent and BinaryAck: how many binary frames follow
    QByteArray nsp = "/"; // the namespace
    std::optional<quint64> ackId;
    QByteArray data; // the JSON payload exactly as sent; empty when there is none
    // Filled by parse(), so that the decoder, the summary and the fields read the JSON once: the
    // payload with the white space between tokens removed, and for an event its name and the
    // array of its arguments (`["chat message","hi"]`: `chat message` and `["hi"]`).
    QString compact;
    QString eventName;
    QString eventArguments;
};

// nullopt and a reason ("not an Engine.IO packet: ...") when `frame` is not one.
std::optional<EnginePacket> parseEngine(QByteArrayView frame, QString *error = nullptr);
// `data`: an Engine.IO message's data. Checks the payload as Socket.IO does: an event is a
// non-empty array led by its name, an ack an array, a connect an object or nothing.
std::optional<Packet> parse(QByteArrayView data, QString *error = nullptr);

// An event's name and the array of its arguments, compact, in the order and spelling sent:
// `["chat message","hi"]` gives `chat message` and `["hi"]`. nullopt for a packet that is no event.
// `packet` comes from parse().
std::optional<std::pair<QString, QString>> event(const Packet &packet);

QString typeName(EnginePacket::Type type); // "open", "ping", "message", ...
QString typeName(Packet::Type type); // "connect", "event", "binary event", ...
// One line for the log: `event "chat message" ["hi"] ack 3`, `connect /chat {"token":…}`; peer
// text by the display rule, long arguments shortened. `packet` comes from parse().
QString summary(const Packet &packet);

} // namespace SocketIo
