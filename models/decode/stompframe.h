#pragma once

#include "decode/decoded.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QList>
#include <QString>

#include <optional>
#include <utility>

// STOMP 1.0, 1.1 and 1.2 frames as they cross a WebSocket (stomp.github.io): one WebSocket message
// holds whole frames, one after another, and heart-beats (bare line ends). Pure parsing and writing
// with errors a person can act on; the state a connection needs (the version CONNECTED agreed, a
// frame that stomp.js split across messages) belongs to StompDecoder.
namespace Stomp {

// Which rules decode header values: 1.0 has no escapes, 1.1 has \n \c \\, 1.2 adds \r. Unknown (no
// CONNECTED seen yet) decodes the escapes of 1.2 but keeps a value with any other backslash as sent,
// since it may be 1.0's plain text.
enum class Version : quint8 { Unknown, V1_0, V1_1, V1_2 };
QString versionName(Version version); // "1.2"; "unknown"
// The CONNECTED frame's `version` header: "1.2" -> V1_2; a missing header means 1.0 (STOMP 1.1
// "Protocol Negotiation"); nullopt for a value that is no version we know.
std::optional<Version> versionFromHeader(const std::optional<QByteArray> &value);

struct Frame {
    QByteArray command;
    // In the order sent, repeats kept, names and values decoded (escapes undone where the version
    // has them; never in CONNECT, STOMP and CONNECTED frames, as STOMP 1.1 and 1.2 say).
    QList<std::pair<QByteArray, QByteArray>> headers;
    QByteArray body;

    // The value that counts: a repeated header's first entry (STOMP 1.2 "Repeated Header Entries").
    std::optional<QByteArray> header(QByteArrayView name) const;
    friend bool operator==(const Frame &, const Frame &) = default;
};

bool isKnownCommand(QByteArrayView command);
bool isClientCommand(QByteArrayView command); // CONNECT STOMP SEND SUBSCRIBE ... DISCONNECT
bool isServerCommand(QByteArrayView command); // CONNECTED MESSAGE RECEIPT ERROR
bool bodyAllowed(QByteArrayView command); // SEND, MESSAGE and ERROR only
// True when the bytes start with a known command and a line end, or are only line ends (a
// heart-beat): what a carrier (SockJS) uses to tell a STOMP frame from other text.
bool looksLikeStomp(QByteArrayView bytes);

// One thing a message holds.
struct Item {
    enum class Kind : quint8 {
        Frame, // a frame, NUL-terminated (it may still have errors: an unknown command, a bad header)
        Heartbeat, // a run of line ends between frames, or a whole message of them
        Unfinished, // the message ends inside a frame: `frame` holds what was read, `error` what is missing
        Invalid, // bytes that are no frame (stray NULs, a command line cut by a NUL)
    };
    Kind kind = Kind::Frame;
    Frame frame;
    qsizetype offset = 0; // the bytes of the message this item covers
    qsizetype size = 0;
    // Why the frame is broken: "no NUL terminator after 23 bytes", "header line 2 has no colon: \"x\"";
    // several reasons joined with "; ". Empty for a good frame or a heart-beat.
    QString error;
    bool headersComplete = false; // the blank line after the headers was read (always for Frame)
    qsizetype bodyOffset = -1; // where the body starts in the message, -1 before the blank line
};

// Every item of one message, in order; `version` chooses the header escapes. Line ends right after
// a frame's NUL belong to that frame (the grammar's `NULL *( EOL )`); any other run of line ends is
// a heart-beat. A frame that stops early is the last item (Unfinished). With `maxItems` >= 0 it
// stops after that many items: the rest of the message is then not covered.
QList<Item> parse(QByteArrayView message, Version version, qsizetype maxItems = -1);
// A frame keeps its first MaxHeaders header lines; more are counted in its error, not kept.
constexpr int MaxHeaders = 1000;
// The command and headers of the frame that starts `message`, for a frame still arriving: its body
// is neither searched nor copied. Unfinished, with headersComplete and bodyOffset once the blank
// line came; a Frame only when a NUL ended it in its headers.
Item readHead(QByteArrayView message, Version version);

// The frame as bytes: the command, each header escaped as `version` says (never in CONNECT, STOMP
// and CONNECTED), a blank line, the body and the NUL. Adds nothing: a body that may hold a NUL needs
// its own content-length header. A header name or value 1.0 or 1.1 cannot write (a line end in it)
// comes out as the peers would write it, broken.
QByteArray encode(const Frame &frame, Version version = Version::V1_2);
// The composer's ready-made frames, by name ("CONNECT", "SUBSCRIBE", "SEND", ...), as bytes to send.
QList<std::pair<QString, QByteArray>> templates();

// One line for the log, peer text by the display rule: `SEND /topic/chat 12 B "hello"`,
// `MESSAGE /topic/chat from sub-0 12 B "hello"`, `CONNECTED version 1.2 heart-beat 10000,10000`,
// `ERROR "Bad destination"`.
QString summary(const Frame &frame);
// What pairs the frame with others: CONNECT/STOMP with CONNECTED ("connect"); a client frame's
// `receipt` with the RECEIPT (or ERROR) whose `receipt-id` is the same ("receipt 77"); a MESSAGE's
// `ack` (STOMP 1.2, client acknowledgement) with the ACK or NACK whose `id` is the same ("ack 12").
QList<Decode::Correlation> correlations(const Frame &frame);
// Problems of a well-framed frame under `version`: a header a command needs ("SEND without the required
// destination header"), a body where none is allowed. Empty when none.
QStringList problems(const Frame &frame, Version version);

} // namespace Stomp
