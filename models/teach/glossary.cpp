#include "teach/glossary.h"

#include "protocol/closecodes.h"

#include <QCoreApplication>

namespace {

// Translation context for the texts built here; the table below is marked with QT_TRANSLATE_NOOP in the
// same context and translated when an entry is made from it.
struct Tr {
    Q_DECLARE_TR_FUNCTIONS(Glossary)
};

struct Topic {
    const char *id;
    const char *title;
    const char *text;
    const char *rfc;
    const char *inBrowser;
};

// Reading order: the browser API a learner already knows, then the handshake, then frames, then
// closing. Texts are UTF-8 (section signs, arrows). Ids stay as they are; a field that is only code
// or section numbers is not marked for translation (fromTopic() passes it through unchanged).
constexpr Topic kTopics[] = {
    { "events", QT_TRANSLATE_NOOP("Glossary", "Browser events: open, message, error, close"),
        QT_TRANSLATE_NOOP("Glossary",
            "Each browser event stands for something you can watch on the wire. open fires once the server's 101 "
            "Switching Protocols response has been checked; message fires once per complete message, after its last "
            "frame has arrived. error fires when something went wrong, such as a refused handshake or a broken "
            "connection, and a close event always follows it. close fires when the connection is gone and carries the "
            "code, the reason and wasClean."),
        "RFC 6455 §4.1, §6.2, §7.1.4",
        QT_TRANSLATE_NOOP("Glossary", "ws.onopen, ws.onmessage, ws.onerror, ws.onclose (or addEventListener)") },
    { "ready-state", QT_TRANSLATE_NOOP("Glossary", "readyState: 0 CONNECTING, 1 OPEN, 2 CLOSING, 3 CLOSED"),
        QT_TRANSLATE_NOOP("Glossary",
            "readyState is the browser's name for where the connection stands, and the four states come straight from "
            "RFC 6455. 0 CONNECTING: new WebSocket() was called and the opening handshake is under way; send() would "
            "throw. 1 OPEN: the 101 response was accepted, the open event fired and messages flow. 2 CLOSING: a close "
            "frame was sent or received and the closing handshake is running. 3 CLOSED: the connection is gone (or "
            "never came up) and the close event fired."),
        "RFC 6455 §4.1, §7.1.3, §7.1.4",
        QT_TRANSLATE_NOOP("Glossary", "if (ws.readyState === WebSocket.OPEN) ws.send(text)  // OPEN is 1") },
    { "buffered-amount", QT_TRANSLATE_NOOP("Glossary", "bufferedAmount: sent by your script, not yet by the network"),
        QT_TRANSLATE_NOOP("Glossary",
            "send() never waits: the browser puts the data in a queue and returns at once. bufferedAmount counts the "
            "bytes of message data in that queue that have not been handed to the network yet (frame headers are not "
            "counted). It grows when a script sends faster than the connection carries data and falls back to 0 as "
            "frames leave, so checking it before sending more keeps a slow link from being flooded. It never appears "
            "on the wire: what this inspector shows are the frames after they left."),
        QT_TRANSLATE_NOOP("Glossary",
            "RFC 6455 §6.1 (sending data); bufferedAmount itself is defined by the WHATWG WebSockets Standard"),
        "if (ws.bufferedAmount === 0) ws.send(moreData())" },
    { "binary-type", QT_TRANSLATE_NOOP("Glossary", "Text and binary messages, and binaryType"),
        QT_TRANSLATE_NOOP("Glossary",
            "On the wire a message is either text (opcode 0x1, always valid UTF-8) or binary (opcode 0x2, any bytes). "
            "A text message reaches a script as a string, a binary one as a Blob or an ArrayBuffer depending on "
            "binaryType (\"blob\" by default, \"arraybuffer\" to read single bytes). binaryType only changes how the "
            "browser hands over received data: nothing about it is sent, and the server never knows. JSON is text: "
            "send(JSON.stringify(obj)) makes a text frame."),
        "RFC 6455 §5.6",
        QT_TRANSLATE_NOOP(
            "Glossary", "ws.binaryType = \"arraybuffer\"; then e.data instanceof ArrayBuffer in onmessage") },
    { "was-clean", QT_TRANSLATE_NOOP("Glossary", "wasClean: did the closing handshake finish?"),
        QT_TRANSLATE_NOOP("Glossary",
            "wasClean is true when both sides exchanged close frames before the TCP connection ended, so the closing "
            "handshake completed. It is false when the connection simply dropped: a crashed process, a lost network, "
            "a proxy cutting an idle connection, or an opening handshake that failed. A close event with wasClean "
            "false almost always has code 1006, because no close frame arrived that could have carried a code. Here a "
            "clean close shows as one close frame in each direction, then CLOSED."),
        "RFC 6455 §7.1.4, §7.1.5", "ws.onclose = (e) => console.log(e.wasClean, e.code, e.reason)" },
    { "close-codes", QT_TRANSLATE_NOOP("Glossary", "Close codes"),
        QT_TRANSLATE_NOOP("Glossary",
            "A close frame may carry a 2-byte status code and a short UTF-8 reason (at most 123 bytes, since a "
            "control frame holds at most 125). 1000-1015 are defined by RFC 6455 and IANA, 3000-3999 are registered "
            "by libraries and frameworks, and 4000-4999 are free for an application's own use. 1005, 1006 and 1015 "
            "are never sent: APIs report them when no code could arrive. In a browser, close() accepts only 1000 and "
            "3000-4999 and throws for every other code, not just for those below 1000."),
        "RFC 6455 §5.5.1, §7.4",
        QT_TRANSLATE_NOOP("Glossary", "ws.close(4000, \"my reason\"); e.code and e.reason in onclose") },
    { "close-1000", QT_TRANSLATE_NOOP("Glossary", "1000 Normal Closure"),
        QT_TRANSLATE_NOOP("Glossary",
            "The connection did what it was opened for and one side closed it on purpose. Many tutorials call 1000 "
            "the default, but ws.close() without arguments sends a close frame with no code at all, and the other "
            "side then reports 1005 (No Status Received). Call ws.close(1000) to send 1000 itself."),
        "RFC 6455 §7.4.1",
        QT_TRANSLATE_NOOP("Glossary", "ws.close(1000, \"done\"); the peer's onclose sees e.code === 1000") },
    { "close-1001", QT_TRANSLATE_NOOP("Glossary", "1001 Going Away"),
        QT_TRANSLATE_NOOP("Glossary",
            "An endpoint is leaving: a server shutting down or restarting, or a browser tab closing or navigating "
            "away from the page. Browsers send it by themselves when the page that owns the socket is unloaded. A "
            "client that receives 1001 from a server can usually reconnect after a short wait."),
        "RFC 6455 §7.4.1",
        QT_TRANSLATE_NOOP(
            "Glossary", "Sent by the browser when the page goes away; scripts cannot send it with close()") },
    { "close-1006", QT_TRANSLATE_NOOP("Glossary", "1006 Abnormal Closure"),
        QT_TRANSLATE_NOOP("Glossary",
            "The connection ended without any close frame: the process died, the network broke, a proxy cut an idle "
            "connection, or the opening handshake failed. 1006 is never sent on the wire; the browser reports it "
            "because no close frame arrived to carry a real code, and wasClean is false. To find the cause, look at "
            "what happened last here: a missing 101, a TLS error, or the TCP connection closing in the middle of "
            "things."),
        "RFC 6455 §7.1.5, §7.4.1", QT_TRANSLATE_NOOP("Glossary", "e.code === 1006 && !e.wasClean in onclose") },
    { "close-1009", QT_TRANSLATE_NOOP("Glossary", "1009 Message Too Big"),
        QT_TRANSLATE_NOOP("Glossary",
            "The receiver refuses a message or frame larger than it is willing to handle. Servers set such a limit to "
            "protect their memory (Node's ws calls it maxPayload, 100 MiB by default) and answer a bigger message "
            "with a close frame carrying 1009. Send smaller messages or split the data into several; this inspector "
            "answers 1009 as well when a frame exceeds its own limit."),
        "RFC 6455 §7.4.1, §10.4",
        QT_TRANSLATE_NOOP("Glossary", "e.code === 1009 in onclose: the message you sent was too big for the server") },
    { "close-1011", QT_TRANSLATE_NOOP("Glossary", "1011 Internal Error"),
        QT_TRANSLATE_NOOP("Glossary",
            "The server hit an unexpected problem, typically an exception in its message handler, and closed instead "
            "of carrying on. It does not mean that what you sent was invalid; the reason text, if any, and the "
            "server's logs say more. Reconnecting may work if the problem was temporary."),
        "RFC 6455 §7.4.1", QT_TRANSLATE_NOOP("Glossary", "e.code === 1011 in onclose: look at the server's logs") },
    { "opening-handshake", QT_TRANSLATE_NOOP("Glossary", "The opening handshake"),
        QT_TRANSLATE_NOOP("Glossary",
            "Every WebSocket connection starts as an ordinary HTTP/1.1 GET request carrying Upgrade: websocket and "
            "Connection: Upgrade. The server answers 101 Switching Protocols and proves it understood by returning "
            "Sec-WebSocket-Accept, computed from the client's Sec-WebSocket-Key. After the blank line that ends the "
            "response, the same TCP connection carries WebSocket frames in both directions and HTTP is over. Any "
            "other status, such as 200, 403 or 404, means the upgrade did not happen."),
        "RFC 6455 §1.3, §4",
        QT_TRANSLATE_NOOP("Glossary", "new WebSocket(\"wss://example.com/chat\") sends the request at once") },
    { "sec-websocket-key", QT_TRANSLATE_NOOP("Glossary", "Sec-WebSocket-Key and Sec-WebSocket-Accept"),
        QT_TRANSLATE_NOOP("Glossary",
            "The client sends 16 random bytes, base64-encoded, as Sec-WebSocket-Key. The server appends the fixed "
            "GUID 258EAFA5-E914-47DA-95CA-C5AB0DC85B11, takes the SHA-1 hash of that text and sends the hash in "
            "base64 as Sec-WebSocket-Accept. This proves that the server really speaks WebSocket, rather than an HTTP "
            "server or a cache replaying an old answer; it is neither authentication nor encryption. A wrong value "
            "makes the browser fail the connection: error, then close with 1006."),
        "RFC 6455 §1.3, §4.1, §4.2.2",
        QT_TRANSLATE_NOOP(
            "Glossary", "Not visible to scripts: the browser's developer tools (Network, WS) show both headers") },
    { "origin", QT_TRANSLATE_NOOP("Glossary", "Origin"),
        QT_TRANSLATE_NOOP("Glossary",
            "Browsers send an Origin header naming the site of the page that opened the socket. WebSocket is not "
            "covered by CORS: any page may open a connection to any server, so the server has to check Origin itself. "
            "A server that skips the check and trusts the user's cookies lets other sites act as that user "
            "(cross-site WebSocket hijacking). Clients outside a browser, like this inspector, send Origin only when "
            "asked to."),
        "RFC 6455 §1.6, §4.1, §10.2",
        QT_TRANSLATE_NOOP("Glossary", "Set by the browser from the page's origin; scripts cannot change it") },
    { "subprotocols", QT_TRANSLATE_NOOP("Glossary", "Subprotocols (Sec-WebSocket-Protocol)"),
        QT_TRANSLATE_NOOP("Glossary",
            "WebSocket only carries messages; it says nothing about what they mean. A subprotocol names an "
            "application protocol on top, such as soap, wamp, STOMP, mqtt or graphql-transport-ws: the client offers "
            "a list in order of preference and the server picks at most one and names it in its response. If the "
            "server picks none, the connection still opens with no subprotocol, and if it names one that was not "
            "offered, the browser fails the connection."),
        "RFC 6455 §1.9, §4.1, §11.3.4",
        QT_TRANSLATE_NOOP("Glossary", "new WebSocket(url, [\"soap\", \"wamp\"]); then ws.protocol says which one") },
    { "extensions", QT_TRANSLATE_NOOP("Glossary", "Extensions (Sec-WebSocket-Extensions)"),
        QT_TRANSLATE_NOOP("Glossary",
            "Extensions change how frames are encoded, so both sides must agree on them in the handshake. The one in "
            "real use is permessage-deflate (RFC 7692): each message is compressed, and its first frame has RSV1 set "
            "to say so. The client offers, the server accepts some in its response (perhaps with parameters), and "
            "only then may RSV bits be set; an RSV bit without a negotiated extension is a protocol error (1002), "
            "and older drafts (deflate-frame, x-webkit-deflate-frame) are no longer offered. This inspector offers "
            "permessage-deflate by default, as browsers do, and shows each compressed message twice, as DEFLATE bytes "
            "on the wire and inflated; its embedded server (Qt's QWebSocketServer) has no compression and never "
            "accepts the offer."),
        "RFC 6455 §5.2, §9; RFC 7692",
        QT_TRANSLATE_NOOP("Glossary", "The browser decides what to offer; scripts can only read ws.extensions") },
    { "ws-and-wss", QT_TRANSLATE_NOOP("Glossary", "ws:// and wss://"),
        QT_TRANSLATE_NOOP("Glossary",
            "ws:// is WebSocket over plain TCP, port 80 by default; wss:// runs the same protocol inside TLS, port "
            "443 by default, just like https://. With wss:// the TLS handshake comes first and everything after it, "
            "the HTTP upgrade included, is encrypted, so proxies on the way can neither read nor alter it. A page "
            "loaded over https:// may only open wss:// connections."),
        "RFC 6455 §3, §4.1", "new WebSocket(\"wss://example.com/chat\")" },
    { "opcodes", QT_TRANSLATE_NOOP("Glossary", "Opcode: what kind of frame"),
        QT_TRANSLATE_NOOP("Glossary",
            "The opcode, the low four bits of the first byte, says how to read the frame: 0x1 text, 0x2 binary, 0x0 "
            "continuation of a fragmented message, 0x8 close, 0x9 ping, 0xA pong. Opcodes from 0x8 up are control "
            "frames, which manage the connection instead of carrying application data. 0x3-0x7 and 0xB-0xF are "
            "reserved, and an endpoint that receives one must fail the connection (1002)."),
        "RFC 6455 §5.2, §11.8",
        QT_TRANSLATE_NOOP("Glossary", "typeof e.data === \"string\" for text; Blob or ArrayBuffer for binary") },
    { "payload-length", QT_TRANSLATE_NOOP("Glossary", "Payload length: 7, 7+16 or 7+64 bits"),
        QT_TRANSLATE_NOOP("Glossary",
            "A payload of 125 bytes or less has its length right in the 7-bit field. The value 126 says the real "
            "length follows as a 16-bit number (up to 65535), and 127 says a 64-bit number follows. The shortest form "
            "that fits must be used, so a 100-byte message has a 2-byte header and a 1000-byte one a 4-byte header, "
            "plus 4 bytes of masking key when a client sends it."),
        "RFC 6455 §5.2",
        QT_TRANSLATE_NOOP(
            "Glossary", "Invisible to scripts; new TextEncoder().encode(text).length is a text message's size") },
    { "masking", QT_TRANSLATE_NOOP("Glossary", "Masking"),
        QT_TRANSLATE_NOOP("Glossary",
            "Every frame a client sends is masked: a fresh 4-byte masking key goes in the header, and payload byte i "
            "is XORed with key byte i mod 4. The server XORs again with the same key to get the data back, since x "
            "XOR k XOR k = x. It is not encryption, as the key travels right beside the data: it keeps a hostile page "
            "from writing bytes that a proxy or cache could mistake for HTTP. Servers must not mask, and wrong "
            "masking in either direction is a protocol error (1002)."),
        "RFC 6455 §5.3, §10.3",
        QT_TRANSLATE_NOOP("Glossary", "Done by the browser for every send(); scripts never see the key") },
    { "fragmentation", QT_TRANSLATE_NOOP("Glossary", "Fragmentation and FIN"),
        QT_TRANSLATE_NOOP("Glossary",
            "A message can be split into several frames: the first has the text or binary opcode, the others have "
            "opcode 0x0 (continuation), and only the last has FIN set. Senders fragment to stream data whose size "
            "they do not know yet or to keep frames small. Control frames (ping, pong, close) may arrive between the "
            "fragments but are never fragmented themselves. The browser joins the fragments and fires a single "
            "message event."),
        "RFC 6455 §5.4",
        QT_TRANSLATE_NOOP("Glossary", "Invisible to scripts: onmessage gets the whole message at once") },
    { "ping-pong", QT_TRANSLATE_NOOP("Glossary", "Ping and pong"),
        QT_TRANSLATE_NOOP("Glossary",
            "A ping (opcode 0x9) asks the other side whether it is still there; the answer is a pong (opcode 0xA) "
            "carrying the same payload. Either side may ping at any time, and servers commonly do so every 20-30 "
            "seconds so that idle connections are not cut by proxies and dead peers are noticed. Browsers answer "
            "pings automatically but have no API to send one, so browser apps that want a heartbeat send small "
            "messages of their own. Both are control frames: at most 125 bytes of payload, never fragmented."),
        "RFC 6455 §5.5.2, §5.5.3",
        QT_TRANSLATE_NOOP("Glossary", "None: the browser answers pings itself (Node's ws has ws.ping() and 'pong')") },
    { "closing-handshake", QT_TRANSLATE_NOOP("Glossary", "The closing handshake"),
        QT_TRANSLATE_NOOP("Glossary",
            "Either side starts closing by sending a close frame (opcode 0x8), usually with a code and a reason. The "
            "other side answers with a close frame of its own, normally echoing the code, and then the server closes "
            "the TCP connection. Data frames that arrive after a close frame are ignored. When both close frames were "
            "exchanged the close is clean (wasClean true); if the connection drops before that, the code is 1006."),
        "RFC 6455 §1.4, §5.5.1, §7",
        QT_TRANSLATE_NOOP(
            "Glossary", "ws.close(1000, \"bye\") starts it; readyState stays 2 (CLOSING) until onclose") },
    { "socket-io", QT_TRANSLATE_NOOP("Glossary", "Socket.IO is not plain WebSocket"),
        QT_TRANSLATE_NOOP("Glossary",
            "Socket.IO is a library with its own protocol (Engine.IO underneath) that uses a WebSocket connection as "
            "one of its transports. Its URL looks like /socket.io/?EIO=4&transport=websocket, it may first talk over "
            "HTTP long-polling, and its messages are text frames with its own prefixes, such as 42[\"chat "
            "message\",\"hi\"], plus its own ping (2) and pong (3) packets. So a plain WebSocket client cannot talk "
            "to a Socket.IO server, and a Socket.IO client cannot talk to a plain WebSocket server such as Node's ws. "
            "socket.emit() and socket.on(\"chat message\") are Socket.IO's events, not WebSocket ones."),
        QT_TRANSLATE_NOOP("Glossary",
            "Not in RFC 6455: Socket.IO is a protocol on top; its WebSocket connection itself follows RFC 6455"),
        QT_TRANSLATE_NOOP("Glossary",
            "const socket = io(); socket.emit(\"chat message\", text)  // Socket.IO, not new WebSocket()") },
};

GlossaryEntry fromTopic(const Topic &t)
{
    const auto translate = [](const char *text) { return QCoreApplication::translate("Glossary", text); };
    return GlossaryEntry { QString::fromLatin1(t.id), translate(t.title), translate(t.text), translate(t.rfc),
        translate(t.inBrowser) };
}

const Topic *findTopic(const QString &id)
{
    for (const Topic &t : kTopics) {
        if (id == QLatin1String(t.id))
            return &t;
    }
    return nullptr;
}

QString closeCodeRfc(quint16 code)
{
    if (code >= 1012 && code <= 1014)
        return QStringLiteral("IANA WebSocket Close Code Number Registry (RFC 6455 §11.7)");
    if (code >= 1000 && code <= 1015)
        return QStringLiteral("RFC 6455 §7.4.1");
    return QStringLiteral("RFC 6455 §7.4.2");
}

// Built from the registry for codes without a hand-written topic, so every code a peer can send
// (or an API can report) gets an explanation of what it means and who may send it.
GlossaryEntry generatedCloseCode(quint16 code)
{
    const CloseCodeInfo info = CloseCodes::info(code);
    GlossaryEntry e;
    e.id = Glossary::closeCodeTopic(code);
    e.title = CloseCodes::label(code);
    QString rule;
    if (info.reserved)
        rule = Tr::tr("It is never sent in a close frame; an API reports it to describe what happened.");
    else if (info.validOnWire)
        rule = Tr::tr("It may be sent in a close frame.");
    else
        rule = Tr::tr("It is not valid in a close frame: a strict peer that receives it answers 1002 (Protocol "
                      "Error).");
    e.text = info.meaning + QLatin1Char(' ') + rule;
    e.rfc = closeCodeRfc(code);
    const bool scriptMaySend = code == 1000 || (code >= 3000 && code <= 4999);
    if (scriptMaySend)
        e.inBrowser = Tr::tr("ws.close(%1, reason) sends it; the peer's onclose sees e.code === %1").arg(code);
    else if (info.reserved || info.validOnWire)
        e.inBrowser = Tr::tr("Seen as e.code in onclose; ws.close(%1) throws (scripts may send only 1000 and "
                             "3000-4999)")
                          .arg(code);
    else
        e.inBrowser
            = Tr::tr("ws.close(%1) throws InvalidAccessError (scripts may send only 1000 and 3000-4999)").arg(code);
    return e;
}

bool sameName(QByteArrayView a, const char *b)
{
    return a.compare(QByteArrayView(b), Qt::CaseInsensitive) == 0;
}

} // namespace

namespace Glossary {

QList<GlossaryEntry> entries()
{
    QList<GlossaryEntry> list;
    list.reserve(qsizetype(std::size(kTopics)));
    for (const Topic &t : kTopics)
        list.append(fromTopic(t));
    return list;
}

QStringList topicIds()
{
    QStringList ids;
    for (const Topic &t : kTopics)
        ids.append(QString::fromLatin1(t.id));
    return ids;
}

QString closeCodeTopic(quint16 code)
{
    return QStringLiteral("close-%1").arg(code);
}

GlossaryEntry closeCode(quint16 code)
{
    if (const Topic *t = findTopic(closeCodeTopic(code)))
        return fromTopic(*t);
    return generatedCloseCode(code);
}

GlossaryEntry entry(const QString &id)
{
    if (const Topic *t = findTopic(id))
        return fromTopic(*t);
    static const QString prefix = QStringLiteral("close-");
    if (id.startsWith(prefix)) {
        const QStringView digits = QStringView(id).sliced(prefix.size());
        bool ok = false;
        const uint code = digits.toUInt(&ok);
        // Only the canonical spelling ("close-1000", not "close-01000" or "close-+1000") is an id.
        if (ok && code <= 0xFFFF && digits == QString::number(code))
            return closeCode(quint16(code));
    }
    return {};
}

QString topicForField(FrameLayout::FieldId id)
{
    using FieldId = FrameLayout::FieldId;
    switch (id) {
    case FieldId::None:
        return {};
    case FieldId::Fin:
        return Fragmentation;
    case FieldId::Rsv1:
    case FieldId::Rsv2:
    case FieldId::Rsv3:
        return Extensions;
    case FieldId::Opcode:
        return Opcodes;
    case FieldId::Mask:
    case FieldId::MaskingKey:
        return Masking;
    case FieldId::PayloadLength:
    case FieldId::ExtendedPayloadLength:
        return PayloadLength;
    case FieldId::Payload:
        return BinaryType;
    }
    return {};
}

QString topicForHeader(QByteArrayView name)
{
    if (sameName(name, "Sec-WebSocket-Key") || sameName(name, "Sec-WebSocket-Accept"))
        return SecWebSocketKey;
    if (sameName(name, "Sec-WebSocket-Protocol"))
        return Subprotocols;
    if (sameName(name, "Sec-WebSocket-Extensions"))
        return Extensions;
    if (sameName(name, "Origin"))
        return Origin;
    if (sameName(name, "Host") || sameName(name, "Upgrade") || sameName(name, "Connection")
        || sameName(name, "Sec-WebSocket-Version"))
        return OpeningHandshake;
    return {};
}

} // namespace Glossary
