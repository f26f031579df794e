#include "teach/protocolnotes.h"

#include <QCoreApplication>

namespace {

using Decode::Protocol;

struct NoteText {
    const char *id;
    Protocol protocol;
    const char *name; // a proper name: not translated
    const char *title;
    const char *paragraphs[7]; // up to six, then nullptr
    const char *reference;
    const char *inCode;
};

// Written from the protocols' own specifications (Engine.IO 4, Socket.IO 5, sockjs-protocol 0.3.3,
// STOMP 1.2, MQTT 3.1.1 and 5.0 chapter 6, JSON-RPC 2.0, graphql-ws PROTOCOL.md and
// subscriptions-transport-ws, WAMP v2) for someone who has only met WebSocket itself. Sentences end
// with ". " so that the tests can count them: no abbreviations such as "e.g.".
constexpr NoteText kNotes[] = {
    { "protocols-on-top", Protocol::None, nullptr,
        QT_TRANSLATE_NOOP("ProtocolNotes", "Why a protocol on top, and how it is found"),
        { QT_TRANSLATE_NOOP("ProtocolNotes",
              "WebSocket carries messages, but it never says what a message means. So nearly every application "
              "agrees on a protocol on top: a small language of its own inside the messages, such as STOMP, MQTT, "
              "JSON-RPC, GraphQL's or WAMP's, or the one a library like Socket.IO or SockJS brings along. To "
              "WebSocket these are ordinary text or binary messages; only the two ends know the rules."),
            QT_TRANSLATE_NOOP("ProtocolNotes",
                "A protocol on top can be agreed in the opening handshake. The client lists the names it speaks in "
                "Sec-WebSocket-Protocol (v12.stomp, mqtt, graphql-transport-ws, wamp.2.json) and the server sends back "
                "the one it picked. Socket.IO and SockJS send no subprotocol: they show in the URL instead, as "
                "/socket.io/?EIO=4&transport=websocket or as /<server>/<session>/websocket at the end of a SockJS "
                "path."),
            QT_TRANSLATE_NOOP("ProtocolNotes",
                "The inspector looks in the same places, in that order: the subprotocol the server agreed to, then "
                "the URL, then the first few messages (an Engine.IO open packet, a STOMP CONNECT, an MQTT CONNECT, a "
                "JSON-RPC object, a WAMP HELLO). The Decode button above the log says what was found and how, and "
                "lets you pick another protocol, or none, when the guess is wrong."),
            QT_TRANSLATE_NOOP("ProtocolNotes",
                "Once a protocol is known, the log's Message column says what each message means in that protocol's "
                "own words (an event, a SEND frame, a PUBLISH packet), the Payload view's Decoded tab lists its "
                "fields, and requests are paired with their answers. The bytes stay exactly as they were sent: "
                "decoding only adds an explanation."),
            nullptr },
        QT_TRANSLATE_NOOP("ProtocolNotes",
            "RFC 6455 §1.9, §4.1 and §11.3.4 (Sec-WebSocket-Protocol); the IANA WebSocket Subprotocol Name Registry"),
        QT_TRANSLATE_NOOP("ProtocolNotes",
            "new WebSocket(url, [\"v12.stomp\", \"v11.stomp\"]); then ws.protocol names the one the server chose") },

    { "protocol-socketio", Protocol::SocketIo, "Socket.IO",
        QT_TRANSLATE_NOOP("ProtocolNotes", "Socket.IO: Engine.IO packets carrying Socket.IO packets"),
        { QT_TRANSLATE_NOOP("ProtocolNotes",
              "Socket.IO is two protocols stacked inside WebSocket messages. Engine.IO, underneath, keeps the "
              "connection alive and can fall back to HTTP long-polling. Each WebSocket message is one Engine.IO "
              "packet, and its first character is the packet type: 0 open, 1 close, 2 ping, 3 pong, 4 message, 5 "
              "upgrade, 6 noop."),
            QT_TRANSLATE_NOOP("ProtocolNotes",
                "An Engine.IO message packet (4) carries one Socket.IO packet, which starts with a type digit of its "
                "own: 0 connect, 1 disconnect, 2 event, 3 ack, 4 connect error, 5 binary event, 6 binary ack. So "
                "42[\"chat message\",\"hi\"] reads as Engine.IO message (4), Socket.IO event (2), then the event's "
                "name "
                "and arguments as a JSON array. It is what socket.emit(\"chat message\", \"hi\") sends."),
            QT_TRANSLATE_NOOP("ProtocolNotes",
                "After the type come, when present, a namespace and an ack id. 42/admin,7[\"save\"] is an event on the "
                "/admin namespace that asks for an acknowledgement with id 7, and the other side answers "
                "43/admin,7[...] with the same id. Namespaces share one WebSocket connection: the client joins each "
                "with a connect packet (40 for the main namespace /), and the server answers 40 with a session id, or "
                "44 when it refuses."),
            QT_TRANSLATE_NOOP("ProtocolNotes",
                "Binary data does not fit in JSON, so a binary event such as "
                "451-[\"upload\",{\"_placeholder\":true,\"num\":0}] announces how many attachments follow (the 1 "
                "before the dash). Each attachment then arrives as a separate binary WebSocket message right after "
                "it."),
            QT_TRANSLATE_NOOP("ProtocolNotes",
                "Engine.IO has a heartbeat of its own, driven by the server since Engine.IO 4 (Socket.IO 3 and "
                "later). Every pingInterval milliseconds the server sends 2, and the client must answer 3 within "
                "pingTimeout; both values come in the open packet. These are ordinary text messages, not WebSocket "
                "ping and pong frames, and a client that stops answering is disconnected."),
            QT_TRANSLATE_NOOP("ProtocolNotes",
                "That is why a plain WebSocket client, such as a browser's new WebSocket() or Node's ws, does not last "
                "on a Socket.IO server. Without the EIO and transport parameters in the URL the server refuses it. "
                "With them, the client still has to read the open packet, join a namespace with 40 and answer every "
                "ping "
                "with 3, and text that is not an Engine.IO packet gets it disconnected too."),
            nullptr },
        QT_TRANSLATE_NOOP("ProtocolNotes",
            "Socket.IO protocol 5 and Engine.IO protocol 4 (socket.io documentation); not part of RFC 6455"),
        QT_TRANSLATE_NOOP(
            "ProtocolNotes", "socket.emit(\"chat message\", \"hi\")  // goes out as 42[\"chat message\",\"hi\"]") },

    { "protocol-sockjs", Protocol::SockJs, "SockJS", QT_TRANSLATE_NOOP("ProtocolNotes", "SockJS: o, h, a and c frames"),
        { QT_TRANSLATE_NOOP("ProtocolNotes",
              "SockJS gives browsers a WebSocket-like object that keeps working where WebSocket is blocked, by "
              "falling back to HTTP streaming or polling. Spring applications use it a lot, usually with STOMP "
              "inside. When a real WebSocket is possible, the client opens /<prefix>/<server>/<session>/websocket, "
              "and every message on it is a SockJS frame whose first letter says what it is."),
            QT_TRANSLATE_NOOP("ProtocolNotes",
                "The server sends o once to open the session. h is a heartbeat, sent when the server has had nothing "
                "to say for a while (25 seconds by default) so that proxies do not close an idle connection. "
                "a[\"...\",\"...\"] carries application messages as a JSON array of strings, so that several fit in "
                "one frame. c[3000,\"Go away!\"] closes the session with a code and a reason of SockJS's own, inside "
                "an ordinary text message."),
            QT_TRANSLATE_NOOP("ProtocolNotes",
                "The client's messages carry no letter: it sends a JSON array of strings, such as [\"hello\"]. The "
                "strings inside are what the application sent; when they hold STOMP frames, the inspector decodes the "
                "STOMP inside as well and shows both layers."),
            QT_TRANSLATE_NOOP("ProtocolNotes",
                "SockJS servers such as sockjs-node also answer plain WebSocket clients at /<prefix>/websocket, "
                "without any of this framing: there the messages are the application's own."),
            nullptr },
        QT_TRANSLATE_NOOP(
            "ProtocolNotes", "SockJS protocol 0.3.3 (github.com/sockjs/sockjs-protocol); not part of RFC 6455"),
        QT_TRANSLATE_NOOP(
            "ProtocolNotes", "const sock = new SockJS(\"/ws\"); sock.send(\"hello\")  // goes out as [\"hello\"]") },

    { "protocol-stomp", Protocol::Stomp, "STOMP",
        QT_TRANSLATE_NOOP("ProtocolNotes", "STOMP: command, headers, body, NUL"),
        { QT_TRANSLATE_NOOP("ProtocolNotes",
              "STOMP is a simple text protocol for talking to a message broker, such as RabbitMQ, ActiveMQ or "
              "Spring's message broker. Each WebSocket message normally carries one STOMP frame: a command line such "
              "as SEND, then header lines name:value, then an empty line, then the body, and finally a NUL byte, "
              "which the inspector shows as \\x00."),
            QT_TRANSLATE_NOOP("ProtocolNotes",
                "A client opens with CONNECT (or STOMP), listing the versions it accepts in accept-version, and the "
                "broker answers CONNECTED with the version chosen. The client then sends messages with SEND to a "
                "destination such as /topic/chat and subscribes with SUBSCRIBE (an id and a destination); what is "
                "published there reaches it as MESSAGE frames. ERROR reports a problem, and the broker closes the "
                "connection right after it."),
            QT_TRANSLATE_NOOP("ProtocolNotes",
                "Any client frame except CONNECT may carry a receipt header. The broker then answers with a RECEIPT "
                "frame whose receipt-id repeats its value, which is how a client knows that the frame was processed: "
                "a DISCONNECT with a receipt ends a session cleanly."),
            QT_TRANSLATE_NOOP("ProtocolNotes",
                "Heart-beats are agreed in the heart-beat header of CONNECT and CONNECTED: two numbers of "
                "milliseconds, how often I can send one and how often I want to receive one. A heart-beat is nothing "
                "but an end of line, so a message holding only \\n is STOMP keeping the connection alive, not an "
                "empty frame."),
            QT_TRANSLATE_NOOP("ProtocolNotes",
                "STOMP has versions 1.0, 1.1 and 1.2. Version 1.1 added version negotiation, heart-beats and NACK; "
                "1.2 allows CR LF line ends and simplifies acknowledgements. Over WebSocket a client offers them as "
                "the subprotocols v10.stomp, v11.stomp and v12.stomp."),
            nullptr },
        QT_TRANSLATE_NOOP("ProtocolNotes",
            "STOMP Protocol Specification 1.2 (stomp.github.io); subprotocols v10.stomp, v11.stomp, v12.stomp"),
        QT_TRANSLATE_NOOP("ProtocolNotes",
            "client.publish({ destination: \"/topic/chat\", body: \"hi\" })  // @stomp/stompjs sends a SEND frame") },

    { "protocol-mqtt", Protocol::Mqtt, "MQTT",
        QT_TRANSLATE_NOOP("ProtocolNotes", "MQTT over WebSocket: binary packets"),
        { QT_TRANSLATE_NOOP("ProtocolNotes",
              "MQTT is a publish and subscribe protocol from the world of sensors and small devices, spoken with a "
              "broker such as Mosquitto, EMQX or HiveMQ. Over WebSocket the client offers the subprotocol mqtt and "
              "everything is binary: MQTT packets travel only in binary messages, and a text message makes the other "
              "side close the connection."),
            QT_TRANSLATE_NOOP("ProtocolNotes",
                "Every packet starts with a fixed header. Its first byte holds the packet type in the high four bits "
                "(1 CONNECT, 2 CONNACK, 3 PUBLISH, 4 PUBACK, 8 SUBSCRIBE, 9 SUBACK, 12 PINGREQ, 13 PINGRESP, 14 "
                "DISCONNECT, among others) and flags in the low four bits. The remaining length follows: the number "
                "of bytes still to come in this packet, written in 1 to 4 bytes of 7 bits each, where a set top bit "
                "means that another length byte follows."),
            QT_TRANSLATE_NOOP("ProtocolNotes",
                "WebSocket message boundaries mean nothing to MQTT. One message may hold several packets, and one "
                "packet may be split over several messages; the inspector joins the pieces and says when a packet "
                "continues in a later message."),
            QT_TRANSLATE_NOOP("ProtocolNotes",
                "The QoS level of a PUBLISH says how hard delivery is tried. QoS 0 is a lone PUBLISH, delivered at "
                "most once. QoS 1 is PUBLISH answered by PUBACK, at least once. QoS 2 is PUBLISH, PUBREC, PUBREL, "
                "PUBCOMP, exactly once. Packets of QoS 1 and 2 carry a packet identifier (1 to 65535) that ties the "
                "answers to their PUBLISH, and SUBSCRIBE and SUBACK carry one too."),
            QT_TRANSLATE_NOOP("ProtocolNotes",
                "CONNECT names the version: protocol level 4 is MQTT 3.1.1 and level 5 is MQTT 5. Version 5 adds "
                "properties to most packets (a message expiry, a topic alias, a content type, user properties and "
                "more), reason codes in the acknowledgements and an AUTH packet; 3.1.1 has none of these."),
            nullptr },
        QT_TRANSLATE_NOOP("ProtocolNotes",
            "MQTT 3.1.1 and MQTT 5.0 (OASIS Standards), chapter 6: Using WebSocket as a network transport"),
        QT_TRANSLATE_NOOP("ProtocolNotes",
            "mqtt.connect(\"ws://localhost:8080/mqtt\").publish(\"room/1\", \"hi\", { qos: 1 })  // MQTT.js") },

    { "protocol-jsonrpc", Protocol::JsonRpc, "JSON-RPC",
        QT_TRANSLATE_NOOP("ProtocolNotes", "JSON-RPC 2.0: requests, notifications and responses"),
        { QT_TRANSLATE_NOOP("ProtocolNotes",
              "JSON-RPC 2.0 is a small convention for remote procedure calls written in JSON. It does not care how "
              "its messages travel; over WebSocket each message holds one JSON-RPC object or a batch of them. "
              "Ethereum nodes (eth_subscribe) and many exchange APIs speak it."),
            QT_TRANSLATE_NOOP("ProtocolNotes",
                "A request is an object with \"jsonrpc\":\"2.0\", a method, optional params (an array or an object) "
                "and an id. The response carries the same id and either a result or an error with a code and a "
                "message, such as -32601 when the method does not exist. The caller chooses the id, a string or a "
                "number, so responses may arrive in any order and are matched by it."),
            QT_TRANSLATE_NOOP("ProtocolNotes",
                "A request without an id is a notification: the sender wants no answer, and the receiver must not "
                "send one. Servers use notifications to push news, such as a new block to a subscriber."),
            QT_TRANSLATE_NOOP("ProtocolNotes",
                "Several requests can go at once as a JSON array, a batch. The responses come back as an array as "
                "well, in any order, with no entry for the notifications. JSON-RPC lets either end act as the client, "
                "so over WebSocket requests can flow both ways."),
            nullptr },
        QT_TRANSLATE_NOOP("ProtocolNotes", "JSON-RPC 2.0 Specification (jsonrpc.org); independent of the transport"),
        QT_TRANSLATE_NOOP("ProtocolNotes",
            "ws.send(JSON.stringify({ jsonrpc: \"2.0\", method: \"subtract\", params: [42, 23], id: 1 }))") },

    { "protocol-graphql", Protocol::GraphQlTransportWs, "GraphQL",
        QT_TRANSLATE_NOOP("ProtocolNotes", "GraphQL over WebSocket: graphql-transport-ws and graphql-ws"),
        { QT_TRANSLATE_NOOP("ProtocolNotes",
              "GraphQL subscriptions need a server that can push results, so GraphQL clients open a WebSocket and "
              "speak one of two JSON protocols, told apart by the subprotocol. The names are confusing: "
              "graphql-transport-ws is the current protocol, made by the graphql-ws library, while the subprotocol "
              "named graphql-ws belongs to the older subscriptions-transport-ws library, which is no longer "
              "maintained."),
            QT_TRANSLATE_NOOP("ProtocolNotes",
                "Every message is a JSON object with a type; most also carry an id and a payload. In "
                "graphql-transport-ws the client starts with connection_init and waits for connection_ack. It then "
                "sends subscribe with an id of its choice and the query in the payload. The server answers with next "
                "messages carrying results for that id, then complete when it is done, or error if the operation "
                "failed."),
            QT_TRANSLATE_NOOP("ProtocolNotes",
                "The client ends an operation early with complete, and either side may send ping, answered by pong. "
                "A broken rule closes the connection with a code from 4400 up: 4400 for an invalid message, 4401 for "
                "a subscribe before connection_ack, 4408 when connection_init never came, 4409 for an id already in "
                "use."),
            QT_TRANSLATE_NOOP("ProtocolNotes",
                "The legacy graphql-ws protocol has the same shape with other words: start instead of subscribe, data "
                "instead of next, stop from the client to end an operation, ka keep-alive messages from the server, "
                "and connection_terminate to leave."),
            nullptr },
        QT_TRANSLATE_NOOP("ProtocolNotes",
            "graphql-ws PROTOCOL.md (subprotocol graphql-transport-ws); subscriptions-transport-ws PROTOCOL.md "
            "(subprotocol graphql-ws)"),
        QT_TRANSLATE_NOOP("ProtocolNotes",
            "createClient({ url }).subscribe({ query: \"subscription { greetings }\" }, sink)  // graphql-ws "
            "library") },

    { "protocol-wamp", Protocol::Wamp, "WAMP",
        QT_TRANSLATE_NOOP("ProtocolNotes", "WAMP v2: routed calls and publish/subscribe"),
        { QT_TRANSLATE_NOOP("ProtocolNotes",
              "WAMP, the Web Application Messaging Protocol, connects application components through a router such "
              "as Crossbar.io. One connection offers two patterns: remote procedure calls, where the router passes a "
              "CALL to whichever component registered that procedure, and publish and subscribe, where the router "
              "delivers each PUBLISH to every subscriber of the topic."),
            QT_TRANSLATE_NOOP("ProtocolNotes",
                "With the subprotocol wamp.2.json every message is a JSON array whose first element is the message "
                "type. [1,\"realm1\",{...}] is HELLO, which joins a realm, and the router answers WELCOME (2) with a "
                "session id. Then come SUBSCRIBE (32) and SUBSCRIBED (33), PUBLISH (16) and EVENT (36), REGISTER "
                "(64), CALL (48), INVOCATION (68), YIELD (70) and RESULT (50), ERROR (8), and GOODBYE (6) to leave."),
            QT_TRANSLATE_NOOP("ProtocolNotes",
                "Requests carry a request id chosen by their sender, and the answer repeats it: CALL 7 is answered by "
                "RESULT 7, or by an ERROR that names CALL and 7. Procedures, topics and errors are named by URIs such "
                "as com.example.add or wamp.error.no_such_procedure. The subprotocol wamp.2.msgpack carries the same "
                "arrays in MessagePack, in binary messages."),
            nullptr },
        QT_TRANSLATE_NOOP("ProtocolNotes",
            "The Web Application Messaging Protocol, version 2 (wamp-proto.org); subprotocols wamp.2.json and "
            "wamp.2.msgpack"),
        QT_TRANSLATE_NOOP("ProtocolNotes",
            "session.call(\"com.example.add\", [2, 3])  // Autobahn|JS sends [48, <request id>, {}, "
            "\"com.example.add\", [2, 3]]") },
};

// What one decoded unit is, by the protocol whose decoder made it and the unit's type as that decoder
// names it. GraphQL's two protocols are told apart: their words differ.
struct UnitText {
    Protocol protocol;
    const char *type;
    const char *text;
};

constexpr UnitText kUnits[] = {
    // Socket.IO: the Engine.IO packet types, then the Socket.IO ones carried in message packets (4).
    { Protocol::SocketIo, "open",
        QT_TRANSLATE_NOOP("ProtocolNotes",
            "Engine.IO open (0): the server's first message, with the session id, pingInterval and pingTimeout.") },
    { Protocol::SocketIo, "close", QT_TRANSLATE_NOOP("ProtocolNotes", "Engine.IO close (1): the session ends.") },
    { Protocol::SocketIo, "ping",
        QT_TRANSLATE_NOOP("ProtocolNotes",
            "Engine.IO ping (2): the server checks that the client is still there; a pong must follow.") },
    { Protocol::SocketIo, "pong",
        QT_TRANSLATE_NOOP(
            "ProtocolNotes", "Engine.IO pong (3): the answer to a ping (3probe answers the 2probe of an upgrade).") },
    { Protocol::SocketIo, "upgrade",
        QT_TRANSLATE_NOOP("ProtocolNotes",
            "Engine.IO upgrade (5): the client moves its session from HTTP long-polling to this WebSocket.") },
    { Protocol::SocketIo, "noop",
        QT_TRANSLATE_NOOP("ProtocolNotes", "Engine.IO noop (6): does nothing; it helps finish an upgrade.") },
    { Protocol::SocketIo, "connect",
        QT_TRANSLATE_NOOP("ProtocolNotes",
            "Socket.IO connect (40): the client joins a namespace, and the server's 40 with a sid lets it in.") },
    { Protocol::SocketIo, "disconnect",
        QT_TRANSLATE_NOOP("ProtocolNotes",
            "Socket.IO disconnect (41): one side leaves a namespace; the WebSocket may stay open for others.") },
    { Protocol::SocketIo, "event",
        QT_TRANSLATE_NOOP(
            "ProtocolNotes", "Socket.IO event (42): what socket.emit() sends, the event's name first in the array.") },
    { Protocol::SocketIo, "ack",
        QT_TRANSLATE_NOOP(
            "ProtocolNotes", "Socket.IO ack (43): the answer to an event that carried an ack id, with the same id.") },
    { Protocol::SocketIo, "connect error",
        QT_TRANSLATE_NOOP("ProtocolNotes",
            "Socket.IO connect error (44): the server refused to let the client join the namespace.") },
    { Protocol::SocketIo, "binary event",
        QT_TRANSLATE_NOOP("ProtocolNotes",
            "Socket.IO binary event (45): an event whose binary arguments follow as binary messages of their own.") },
    { Protocol::SocketIo, "binary ack",
        QT_TRANSLATE_NOOP("ProtocolNotes",
            "Socket.IO binary ack (46): an ack whose binary data follows as binary messages of their own.") },
    { Protocol::SocketIo, "attachment",
        QT_TRANSLATE_NOOP(
            "ProtocolNotes", "A binary attachment: the bytes that the binary event or ack before it announced.") },
    { Protocol::SocketIo, "binary message",
        QT_TRANSLATE_NOOP(
            "ProtocolNotes", "An Engine.IO binary message: binary data sent as it is, with no type in front.") },

    // SockJS frames.
    { Protocol::SockJs, "open", QT_TRANSLATE_NOOP("ProtocolNotes", "o: the server opens the SockJS session.") },
    { Protocol::SockJs, "heartbeat",
        QT_TRANSLATE_NOOP("ProtocolNotes", "h: a heartbeat, sent when the server has had nothing else to send.") },
    { Protocol::SockJs, "messages",
        QT_TRANSLATE_NOOP("ProtocolNotes",
            "Application messages as a JSON array of strings: a[...] from the server, [...] from the client.") },
    { Protocol::SockJs, "message",
        QT_TRANSLATE_NOOP("ProtocolNotes", "A single application message as one JSON string.") },
    { Protocol::SockJs, "close",
        QT_TRANSLATE_NOOP("ProtocolNotes", "c[code,\"reason\"]: the server closes the SockJS session.") },
    { Protocol::SockJs, "empty",
        QT_TRANSLATE_NOOP("ProtocolNotes", "An empty message from the client, which SockJS servers ignore.") },

    // STOMP frames, by command.
    { Protocol::Stomp, "CONNECT",
        QT_TRANSLATE_NOOP("ProtocolNotes",
            "The client opens the STOMP session, listing the versions it accepts in accept-version.") },
    { Protocol::Stomp, "STOMP",
        QT_TRANSLATE_NOOP("ProtocolNotes", "The client opens the STOMP session (STOMP is CONNECT's newer name).") },
    { Protocol::Stomp, "CONNECTED",
        QT_TRANSLATE_NOOP(
            "ProtocolNotes", "The broker accepts the session and names the version and the heart-beats it will use.") },
    { Protocol::Stomp, "SEND",
        QT_TRANSLATE_NOOP("ProtocolNotes", "The client sends a message to the destination in its header.") },
    { Protocol::Stomp, "SUBSCRIBE",
        QT_TRANSLATE_NOOP(
            "ProtocolNotes", "The client subscribes to a destination; the id header names the subscription.") },
    { Protocol::Stomp, "UNSUBSCRIBE",
        QT_TRANSLATE_NOOP("ProtocolNotes", "The client ends the subscription with that id.") },
    { Protocol::Stomp, "MESSAGE",
        QT_TRANSLATE_NOOP(
            "ProtocolNotes", "The broker delivers a message published to a destination the client subscribed to.") },
    { Protocol::Stomp, "RECEIPT",
        QT_TRANSLATE_NOOP("ProtocolNotes",
            "The broker confirms that it processed the client frame whose receipt header matches receipt-id.") },
    { Protocol::Stomp, "ERROR",
        QT_TRANSLATE_NOOP("ProtocolNotes", "The broker reports a problem and then closes the connection.") },
    { Protocol::Stomp, "ACK",
        QT_TRANSLATE_NOOP("ProtocolNotes", "The client confirms that it has consumed a MESSAGE.") },
    { Protocol::Stomp, "NACK",
        QT_TRANSLATE_NOOP("ProtocolNotes", "The client says that it did not consume a MESSAGE.") },
    { Protocol::Stomp, "BEGIN", QT_TRANSLATE_NOOP("ProtocolNotes", "The client starts a transaction.") },
    { Protocol::Stomp, "COMMIT", QT_TRANSLATE_NOOP("ProtocolNotes", "The client commits a transaction.") },
    { Protocol::Stomp, "ABORT", QT_TRANSLATE_NOOP("ProtocolNotes", "The client rolls a transaction back.") },
    { Protocol::Stomp, "DISCONNECT",
        QT_TRANSLATE_NOOP("ProtocolNotes", "The client leaves, usually asking for a RECEIPT first.") },
    { Protocol::Stomp, "heart-beat",
        QT_TRANSLATE_NOOP(
            "ProtocolNotes", "A heart-beat: a bare end of line that only shows that the sender is still alive.") },

    // MQTT control packets.
    { Protocol::Mqtt, "CONNECT",
        QT_TRANSLATE_NOOP("ProtocolNotes",
            "Packet type 1: the client opens the session, with its protocol level, client id and keep-alive.") },
    { Protocol::Mqtt, "CONNACK",
        QT_TRANSLATE_NOOP("ProtocolNotes", "Packet type 2: the broker accepts or refuses the session.") },
    { Protocol::Mqtt, "PUBLISH",
        QT_TRANSLATE_NOOP(
            "ProtocolNotes", "Packet type 3: a message for a topic; its flags hold the QoS, DUP and RETAIN.") },
    { Protocol::Mqtt, "PUBACK",
        QT_TRANSLATE_NOOP("ProtocolNotes", "Packet type 4: the answer that completes a QoS 1 PUBLISH.") },
    { Protocol::Mqtt, "PUBREC",
        QT_TRANSLATE_NOOP("ProtocolNotes", "Packet type 5: the first answer to a QoS 2 PUBLISH.") },
    { Protocol::Mqtt, "PUBREL",
        QT_TRANSLATE_NOOP("ProtocolNotes", "Packet type 6: the publisher releases a QoS 2 message after PUBREC.") },
    { Protocol::Mqtt, "PUBCOMP",
        QT_TRANSLATE_NOOP("ProtocolNotes", "Packet type 7: the last step of the QoS 2 exchange.") },
    { Protocol::Mqtt, "SUBSCRIBE",
        QT_TRANSLATE_NOOP("ProtocolNotes", "Packet type 8: the client subscribes to topic filters, each with a QoS.") },
    { Protocol::Mqtt, "SUBACK",
        QT_TRANSLATE_NOOP("ProtocolNotes", "Packet type 9: the broker grants a QoS, or refuses, for each filter.") },
    { Protocol::Mqtt, "UNSUBSCRIBE",
        QT_TRANSLATE_NOOP("ProtocolNotes", "Packet type 10: the client drops topic filters.") },
    { Protocol::Mqtt, "UNSUBACK",
        QT_TRANSLATE_NOOP("ProtocolNotes", "Packet type 11: the broker confirms an UNSUBSCRIBE.") },
    { Protocol::Mqtt, "PINGREQ",
        QT_TRANSLATE_NOOP("ProtocolNotes", "Packet type 12: the client shows it is alive within its keep-alive.") },
    { Protocol::Mqtt, "PINGRESP", QT_TRANSLATE_NOOP("ProtocolNotes", "Packet type 13: the broker answers a PINGREQ.") },
    { Protocol::Mqtt, "DISCONNECT",
        QT_TRANSLATE_NOOP("ProtocolNotes", "Packet type 14: the session ends on purpose.") },
    { Protocol::Mqtt, "AUTH",
        QT_TRANSLATE_NOOP("ProtocolNotes", "Packet type 15, MQTT 5 only: a step of an extended authentication.") },
    { Protocol::Mqtt, "partial",
        QT_TRANSLATE_NOOP(
            "ProtocolNotes", "The start of a packet whose remaining bytes come in a later WebSocket message.") },

    // JSON-RPC 2.0.
    { Protocol::JsonRpc, "call",
        QT_TRANSLATE_NOOP("ProtocolNotes", "A request: a method and an id, so a response with that id must follow.") },
    { Protocol::JsonRpc, "notification",
        QT_TRANSLATE_NOOP("ProtocolNotes", "A notification: a request without an id, which gets no response.") },
    { Protocol::JsonRpc, "result",
        QT_TRANSLATE_NOOP("ProtocolNotes", "A response with a result, answering the request with the same id.") },
    { Protocol::JsonRpc, "error",
        QT_TRANSLATE_NOOP("ProtocolNotes", "A response with an error code and message instead of a result.") },
    { Protocol::JsonRpc, "batch",
        QT_TRANSLATE_NOOP("ProtocolNotes", "A batch: several requests or responses in one JSON array.") },

    // graphql-transport-ws.
    { Protocol::GraphQlTransportWs, "connection_init",
        QT_TRANSLATE_NOOP("ProtocolNotes", "The client asks to start; nothing else may be sent before the ack.") },
    { Protocol::GraphQlTransportWs, "connection_ack",
        QT_TRANSLATE_NOOP("ProtocolNotes", "The server accepts the connection: operations may begin.") },
    { Protocol::GraphQlTransportWs, "ping",
        QT_TRANSLATE_NOOP("ProtocolNotes", "Either side checks that the other is there; a pong answers.") },
    { Protocol::GraphQlTransportWs, "pong", QT_TRANSLATE_NOOP("ProtocolNotes", "The answer to a ping.") },
    { Protocol::GraphQlTransportWs, "subscribe",
        QT_TRANSLATE_NOOP("ProtocolNotes", "The client starts an operation: its id, and the query in the payload.") },
    { Protocol::GraphQlTransportWs, "next",
        QT_TRANSLATE_NOOP("ProtocolNotes", "A result for the operation with this id; more may follow.") },
    { Protocol::GraphQlTransportWs, "error",
        QT_TRANSLATE_NOOP("ProtocolNotes", "The operation with this id failed before it could run.") },
    { Protocol::GraphQlTransportWs, "complete",
        QT_TRANSLATE_NOOP("ProtocolNotes", "The operation with this id is finished (or, from the client, stopped).") },

    // The legacy graphql-ws subprotocol (subscriptions-transport-ws).
    { Protocol::GraphQlWs, "connection_init",
        QT_TRANSLATE_NOOP("ProtocolNotes", "The client asks to start the connection.") },
    { Protocol::GraphQlWs, "connection_ack", QT_TRANSLATE_NOOP("ProtocolNotes", "The server accepts the connection.") },
    { Protocol::GraphQlWs, "connection_error",
        QT_TRANSLATE_NOOP("ProtocolNotes", "The server refuses the connection.") },
    { Protocol::GraphQlWs, "ka",
        QT_TRANSLATE_NOOP("ProtocolNotes", "A keep-alive from the server, sent again and again while idle.") },
    { Protocol::GraphQlWs, "start",
        QT_TRANSLATE_NOOP(
            "ProtocolNotes", "The client starts an operation with this id (subscribe in the new protocol).") },
    { Protocol::GraphQlWs, "data",
        QT_TRANSLATE_NOOP("ProtocolNotes", "A result for the operation with this id (next in the new protocol).") },
    { Protocol::GraphQlWs, "error", QT_TRANSLATE_NOOP("ProtocolNotes", "The operation with this id failed.") },
    { Protocol::GraphQlWs, "complete",
        QT_TRANSLATE_NOOP("ProtocolNotes", "The server has finished the operation with this id.") },
    { Protocol::GraphQlWs, "stop", QT_TRANSLATE_NOOP("ProtocolNotes", "The client stops the operation with this id.") },
    { Protocol::GraphQlWs, "connection_terminate", QT_TRANSLATE_NOOP("ProtocolNotes", "The client leaves.") },

    // WAMP v2 message types.
    { Protocol::Wamp, "HELLO",
        QT_TRANSLATE_NOOP("ProtocolNotes", "Type 1: the client joins a realm and says which roles it plays.") },
    { Protocol::Wamp, "WELCOME",
        QT_TRANSLATE_NOOP("ProtocolNotes", "Type 2: the router lets the client in and gives it a session id.") },
    { Protocol::Wamp, "ABORT", QT_TRANSLATE_NOOP("ProtocolNotes", "Type 3: joining failed; the reason is a URI.") },
    { Protocol::Wamp, "CHALLENGE",
        QT_TRANSLATE_NOOP("ProtocolNotes", "Type 4: the router asks the client to authenticate.") },
    { Protocol::Wamp, "AUTHENTICATE", QT_TRANSLATE_NOOP("ProtocolNotes", "Type 5: the client answers the challenge.") },
    { Protocol::Wamp, "GOODBYE",
        QT_TRANSLATE_NOOP("ProtocolNotes", "Type 6: one side leaves the realm, and the other answers GOODBYE.") },
    { Protocol::Wamp, "ERROR",
        QT_TRANSLATE_NOOP("ProtocolNotes", "Type 8: a request failed; it names the request's type and id.") },
    { Protocol::Wamp, "PUBLISH",
        QT_TRANSLATE_NOOP("ProtocolNotes", "Type 16: the client publishes an event to a topic.") },
    { Protocol::Wamp, "PUBLISHED",
        QT_TRANSLATE_NOOP("ProtocolNotes", "Type 17: the router confirms a PUBLISH that asked for it.") },
    { Protocol::Wamp, "SUBSCRIBE", QT_TRANSLATE_NOOP("ProtocolNotes", "Type 32: the client subscribes to a topic.") },
    { Protocol::Wamp, "SUBSCRIBED",
        QT_TRANSLATE_NOOP("ProtocolNotes", "Type 33: the router confirms, with a subscription id.") },
    { Protocol::Wamp, "UNSUBSCRIBE", QT_TRANSLATE_NOOP("ProtocolNotes", "Type 34: the client ends a subscription.") },
    { Protocol::Wamp, "UNSUBSCRIBED",
        QT_TRANSLATE_NOOP("ProtocolNotes", "Type 35: the router confirms the end of the subscription.") },
    { Protocol::Wamp, "EVENT",
        QT_TRANSLATE_NOOP("ProtocolNotes", "Type 36: the router delivers a published event to a subscriber.") },
    { Protocol::Wamp, "CALL",
        QT_TRANSLATE_NOOP("ProtocolNotes", "Type 48: the client calls a procedure, named by a URI.") },
    { Protocol::Wamp, "CANCEL", QT_TRANSLATE_NOOP("ProtocolNotes", "Type 49: the caller gives up on a CALL.") },
    { Protocol::Wamp, "RESULT",
        QT_TRANSLATE_NOOP("ProtocolNotes", "Type 50: the router returns a call's result to the caller.") },
    { Protocol::Wamp, "REGISTER",
        QT_TRANSLATE_NOOP("ProtocolNotes", "Type 64: the client offers a procedure for others to call.") },
    { Protocol::Wamp, "REGISTERED",
        QT_TRANSLATE_NOOP("ProtocolNotes", "Type 65: the router confirms, with a registration id.") },
    { Protocol::Wamp, "UNREGISTER", QT_TRANSLATE_NOOP("ProtocolNotes", "Type 66: the client withdraws a procedure.") },
    { Protocol::Wamp, "UNREGISTERED",
        QT_TRANSLATE_NOOP("ProtocolNotes", "Type 67: the router confirms the withdrawal.") },
    { Protocol::Wamp, "INVOCATION",
        QT_TRANSLATE_NOOP("ProtocolNotes", "Type 68: the router passes a call on to the client that registered it.") },
    { Protocol::Wamp, "INTERRUPT",
        QT_TRANSLATE_NOOP("ProtocolNotes", "Type 69: the router tells the callee that the call was cancelled.") },
    { Protocol::Wamp, "YIELD",
        QT_TRANSLATE_NOOP("ProtocolNotes", "Type 70: the callee returns its result to the router.") },
};

QString translate(const char *text)
{
    return text ? QCoreApplication::translate("ProtocolNotes", text) : QString();
}

ProtocolNote fromText(const NoteText &n)
{
    ProtocolNote note;
    note.id = QString::fromLatin1(n.id);
    note.protocol = n.protocol;
    note.name = n.name ? QString::fromUtf8(n.name) : QString();
    note.title = translate(n.title);
    for (const char *const *p = n.paragraphs; *p; ++p)
        note.paragraphs.append(translate(*p));
    note.reference = translate(n.reference);
    note.inCode = translate(n.inCode);
    return note;
}

} // namespace

namespace ProtocolNotes {

QList<ProtocolNote> notes()
{
    QList<ProtocolNote> list;
    list.reserve(qsizetype(std::size(kNotes)));
    for (const NoteText &n : kNotes)
        list.append(fromText(n));
    return list;
}

QStringList noteIds()
{
    QStringList ids;
    for (const NoteText &n : kNotes)
        ids.append(QString::fromLatin1(n.id));
    return ids;
}

ProtocolNote note(const QString &id)
{
    for (const NoteText &n : kNotes) {
        if (id == QLatin1String(n.id))
            return fromText(n);
    }
    return {};
}

QString noteFor(Decode::Protocol protocol)
{
    switch (protocol) {
    case Protocol::None:
        return {};
    case Protocol::SocketIo:
        return SocketIo;
    case Protocol::Stomp:
        return Stomp;
    case Protocol::SockJs:
        return SockJs;
    case Protocol::Mqtt:
        return Mqtt;
    case Protocol::JsonRpc:
        return JsonRpc;
    case Protocol::GraphQlTransportWs:
    case Protocol::GraphQlWs:
        return GraphQl;
    case Protocol::Wamp:
        return Wamp;
    }
    return {};
}

QString unitNote(Decode::Protocol protocol, const QString &type)
{
    for (const UnitText &u : kUnits) {
        if (u.protocol == protocol && type == QLatin1String(u.type))
            return translate(u.text);
    }
    return {};
}

} // namespace ProtocolNotes
