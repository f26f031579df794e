#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QList>
#include <QString>

#include <optional>

// What a protocol on top of WebSocket makes of one WebSocket message: the shape every decoder in
// this room produces, and the log, the payload view, the filter, the jsonl writer and the CLI read.
// Pure values over Qt Core.
namespace Decode {

enum class Protocol : quint8 { None, SocketIo, Stomp, SockJs, Mqtt, JsonRpc, GraphQlTransportWs, GraphQlWs, Wamp };

// "Socket.IO", "STOMP", "graphql-transport-ws": how the log names the protocol.
QString protocolName(Protocol protocol);
// "socketio", "stomp", "sockjs", "mqtt", "jsonrpc", "graphql-transport-ws", "graphql-ws", "wamp":
// the names `--decode` takes and jsonl writes; "none" for None.
QString protocolId(Protocol protocol);
std::optional<Protocol> protocolFromId(QStringView id);
QList<Protocol> allProtocols(); // every protocol but None, in the order above

// Which protocol a connection's messages are read as: found by itself (ProtocolDetector), or one
// chosen by the user (None: no decoding).
struct Choice {
    bool automatic = true;
    Protocol protocol = Protocol::None; // when not automatic
    static Choice autoDetect() { return {}; }
    static Choice fixed(Protocol p) { return { false, p }; }
    // "auto", "none" or a protocol's id, as --decode takes them; nullopt for anything else.
    static std::optional<Choice> fromName(QStringView name);
    friend bool operator==(const Choice &, const Choice &) = default;
};

// Who sent a message. A relay decodes each leg on its own, so "client" is the side that opened the
// WebSocket on that leg.
enum class Sender : quint8 { Client, Server };

// One node of the decoded structure, as the Payload tab's tree shows it: `destination` =
// `/topic/chat`, or a group ("headers") with children. Names and values hold the text as it was
// sent (or our own words); whoever shows them applies the display rule (models/text).
struct Field {
    QString name;
    QString value;
    QList<Field> children;

    Field() = default;
    Field(QString name, QString value, QList<Field> children = {})
        : name(std::move(name))
        , value(std::move(value))
        , children(std::move(children))
    {
    }
};
// Written out, not defaulted: QList's own == cannot see through a type that holds a list of itself.
bool operator==(const Field &a, const Field &b);
inline bool operator!=(const Field &a, const Field &b) { return !(a == b); }

// A JSON document as fields, in the peer's member order with duplicates kept (JsonText::outline):
// an object's members and an array's items become children; scalars their literal. Invalid JSON
// gives one field saying why. Stops after `budget` fields with a last one saying so.
QList<Field> jsonFields(QByteArrayView json, int budget = 2000);
// The same for text already known to be JSON (JsonText::check() found nothing).
QList<Field> validJsonFields(QStringView json, int budget = 2000);

// A field value for bytes that may not be text (an MQTT payload, a header): the text as sent when
// it is valid UTF-8 without control characters (tab and line ends allowed), else
// "12 bytes: 00 01 ff …" with at most `hexBytes` bytes in hex.
QString textOrHex(QByteArrayView bytes, int hexBytes = 32);

// How a message relates to others of its connection, for pairing requests with their answers
// (Socket.IO acks, JSON-RPC ids, GraphQL operation ids, STOMP receipts, MQTT packet ids): a
// request from one sender is answered by an answer with the same key from the other sender.
struct Correlation {
    enum class Role : quint8 {
        Request, // asks for an answer: an event with an ack id, a JSON-RPC call with an id
        Answer, // the answer that ends a request: an ack, a response, a GraphQL `complete`
        Progress, // an answer that does not end it: a GraphQL `next`, an MQTT PUBREC
        Continue, // the asker's own next step of its request, after the other's progress: an MQTT PUBREL
    };
    Role role = Role::Request;
    QByteArray key; // compared within one protocol and connection: "ack /chat 3", "id 7"
    friend bool operator==(const Correlation &, const Correlation &) = default;
};

// "request", "answer", "progress", "continue": as jsonl writes them.
QString roleName(Correlation::Role role);

// One protocol unit inside the message: a message may hold several (MQTT packets, a JSON-RPC
// batch, a SockJS array, STOMP frames one after another).
struct Unit {
    QString type; // short and stable, for filters and jsonl: "event", "SEND", "PUBLISH", "call"
    // One line for the log's Message column, without the protocol's name: `event "chat message"
    // ["hi"] ack 3`. Built with the display rule already applied to peer text.
    QString summary;
    QList<Field> fields;
    QString error; // this unit did not parse as the protocol: why (summary then says what it is)
    QList<Correlation> correlations;
    // Units of another protocol carried inside this one (STOMP inside SockJS).
    Protocol innerProtocol = Protocol::None;
    QList<Unit> inner;
};
bool operator==(const Unit &a, const Unit &b);
inline bool operator!=(const Unit &a, const Unit &b) { return !(a == b); }

struct Decoded {
    Protocol protocol = Protocol::None;
    QList<Unit> units;
    // The message as a whole is not of the protocol (not even a unit could be read): why. The
    // message is then shown raw with this reason, never dropped.
    QString error;

    bool isNull() const { return protocol == Protocol::None; }
    bool ok() const; // no error, here or in any unit
    // The Message column: "Socket.IO event \"chat message\" [\"hi\"] ack 3"; several units joined
    // with " · "; an error says so: "STOMP: not a frame: ...".
    QString summary(int maxUnits = 4) const;
    // Every correlation of every unit, the inner ones included.
    QList<Correlation> correlations() const;
    // The same as "request ack / 3", one per correlation, for tests and tool tips.
    QStringList correlationTexts() const;
    // Every name, value and summary as one text, for the log filter's search.
    QString searchText() const;
};
bool operator==(const Decoded &a, const Decoded &b);
inline bool operator!=(const Decoded &a, const Decoded &b) { return !(a == b); }

} // namespace Decode
