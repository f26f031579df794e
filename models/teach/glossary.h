#pragma once

// Short explanations shown beside the panes, written for someone who learned WebSockets from the
// usual browser tutorials (open/message/error/close, readyState, bufferedAmount, close codes,
// subprotocols) and now sees the same things as bytes. Each topic ties what the wire shows to what
// a browser script sees, and gently corrects what tutorials commonly get wrong (ws.close() without
// a code does not send 1000; WebSocket is not covered by CORS; Socket.IO is not plain WebSocket).

#include "teach/framelayout.h"

#include <QByteArrayView>
#include <QLatin1String>
#include <QList>
#include <QString>
#include <QStringList>
#include <QtGlobal>

struct GlossaryEntry {
    QString id; // "ready-state", "close-1006" ...
    QString title; // "readyState: 0 CONNECTING, 1 OPEN, 2 CLOSING, 3 CLOSED"
    QString text; // 2-5 plain sentences
    QString rfc; // where the wire side is specified: "RFC 6455 §7.4.1"
    QString inBrowser; // one line: what a browser script writes or sees ("ws.bufferedAmount ...")

    bool isValid() const { return !id.isEmpty(); }
};

namespace Glossary {

// Topic ids. Close codes outside this list are reached through closeCodeTopic(): every code 0-65535
// has an entry ("close-4000"), written from CloseCodes for codes without a hand-written one.
inline constexpr QLatin1String Events("events");
inline constexpr QLatin1String ReadyState("ready-state");
inline constexpr QLatin1String BufferedAmount("buffered-amount");
inline constexpr QLatin1String BinaryType("binary-type");
inline constexpr QLatin1String WasClean("was-clean");
inline constexpr QLatin1String CloseCodesOverview("close-codes");
inline constexpr QLatin1String OpeningHandshake("opening-handshake");
inline constexpr QLatin1String SecWebSocketKey("sec-websocket-key");
inline constexpr QLatin1String Origin("origin");
inline constexpr QLatin1String Subprotocols("subprotocols");
inline constexpr QLatin1String Extensions("extensions");
inline constexpr QLatin1String WsAndWss("ws-and-wss");
inline constexpr QLatin1String Opcodes("opcodes");
inline constexpr QLatin1String PayloadLength("payload-length");
inline constexpr QLatin1String Masking("masking");
inline constexpr QLatin1String Fragmentation("fragmentation");
inline constexpr QLatin1String PingPong("ping-pong");
inline constexpr QLatin1String ClosingHandshake("closing-handshake");
inline constexpr QLatin1String SocketIo("socket-io");

// Every hand-written topic in reading order, the five close codes learners meet first
// (1000, 1001, 1006, 1009, 1011) included.
QList<GlossaryEntry> entries();
QStringList topicIds();

// The entry for `id`, or an invalid entry for an unknown id. "close-N" works for any N in 0-65535.
GlossaryEntry entry(const QString &id);

// "close-1000"; entry(closeCodeTopic(code)) == closeCode(code).
QString closeCodeTopic(quint16 code);
// The hand-written entry for 1000/1001/1006/1009/1011, otherwise one built from CloseCodes::info().
GlossaryEntry closeCode(quint16 code);

// Which topic explains a frame header field (FIN -> fragmentation, RSV1 -> extensions ...); empty for None.
QString topicForField(FrameLayout::FieldId id);
// Which topic explains a handshake header ("Sec-WebSocket-Protocol" -> subprotocols); empty when none does.
QString topicForHeader(QByteArrayView name);

} // namespace Glossary
