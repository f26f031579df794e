#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QList>
#include <QString>

#include <optional>

// The SockJS websocket transport (`/<prefix>/<server>/<session>/websocket`, sockjs-protocol 0.3):
// each WebSocket text message is one SockJS frame. The server sends `o` (open), `h` (heartbeat),
// `a["...","..."]` (messages, each a JSON string), `m"..."` (one message; early protocol versions)
// and `c[3000,"Go away!"]` (close); the client sends a JSON array of strings, or one JSON string.
// Pure parsing with errors a person can act on; what the messages carry (STOMP, for Spring) is the
// decoder's business.
namespace SockJs {

struct Frame {
    enum class Type : quint8 {
        Open, // o
        Heartbeat, // h
        Messages, // a[...] from the server, [...] from the client
        Message, // m"..." from the server, "..." from the client
        Close, // c[code,"reason"]
        Empty, // an empty message from the client: sockjs-node and Spring ignore it
    };
    Type type = Type::Messages;
    // The messages as UTF-8. A lone surrogate escape (\ud800), which JSON allows and JavaScript
    // sends, is kept as its three-byte form (ED A0 80): not UTF-8, so shown as bytes, never U+FFFD.
    QList<QByteArray> messages;
    qsizetype omitted = 0; // messages past the parser's maxMessages: read and checked, not kept
    qint64 closeCode = 0;
    QByteArray closeReason;
    friend bool operator==(const Frame &, const Frame &) = default;
};

// nullopt and a reason ("not a SockJS frame: ...", "the array frame is not a JSON array of strings:
// ...") when the message is not a frame the server may send. With `maxMessages` >= 0 an array's
// messages past that many are checked and counted in `omitted`, not kept.
std::optional<Frame> parseServer(QByteArrayView message, QString *error = nullptr, qsizetype maxMessages = -1);
// The same for what a client sends: a JSON array of strings, one JSON string, or nothing.
std::optional<Frame> parseClient(QByteArrayView message, QString *error = nullptr, qsizetype maxMessages = -1);

// The frame as the server writes it (sockjs-node: `o`, `h`, `a` + the quoted strings joined by
// commas in brackets, `c` + JSON.stringify([code, reason])).
QByteArray encodeServer(const Frame &frame);
// The frame as the client writes it: Messages as a JSON array, Message as one JSON string, Empty as
// nothing (sockjs-client sends `["..."]`, one message per frame).
QByteArray encodeClient(const Frame &frame);
// A JSON string as sockjs-node's utils.quote() writes it: JSON.stringify's escapes, plus \uXXXX for
// the characters the protocol says some browsers mangle (U+200C–200F, U+2028–202F, U+2060–206F,
// U+FFF0–FFFF, and every UTF-16 surrogate, so a character beyond U+FFFF goes as its escaped pair).
// Bytes that are not UTF-8 (other than a lone surrogate's form) go as \ufffd.
QByteArray quote(QByteArrayView text);

QString typeName(Frame::Type type); // "open", "heartbeat", "messages", "message", "close", "empty"

} // namespace SockJs
