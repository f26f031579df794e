#pragma once

#include <QByteArrayView>
#include <QString>

// How a payload is shown to a person: which form suits it (text, hex, a decoded close frame) and
// what to say about it. Every row, label and pane that previews a payload asks here, so a binary
// frame, an invalid text frame or a close frame reads the same in the log, the timeline, the
// server panel and the payload view. Peer bytes always pass through DisplayText.
namespace PayloadPreview {

// "01 02 ff …": the first `maxBytes` bytes as hex pairs.
QString hex(QByteArrayView bytes, qsizetype maxBytes);
// The first line of a handshake (request line or status line), CR LF dropped, display rule applied.
QString firstLine(QByteArrayView bytes, qsizetype maxChars);
// One line for a close payload: "1000 Normal Closure: bye", "(no status code)", "(malformed: 03)".
QString closeLine(QByteArrayView payload, qsizetype maxChars);
// One line for a frame or message payload of `opcode`: close decoded, binary as hex, text through
// the display rule; continuation and control payloads as text when they are UTF-8, else as hex.
QString frameLine(quint8 opcode, QByteArrayView payload, qsizetype maxChars);
// permessage-deflate: how big the wire bytes are next to the message they inflate to, as a share
// of the inflated size ("23%"; "-" for an empty message).
QString wireShare(qint64 wireBytes, qint64 inflatedBytes);
// The line above a data message's payload: frames joined or unfinished; for a compressed message,
// its size on the wire and inflated, or that it could not be inflated. Empty: nothing to say.
struct MessageShape {
    int frames = 1;
    bool complete = true;
    bool compressed = false;
    bool inflated = false;
    qint64 wireBytes = 0;
    qint64 inflatedBytes = 0;
};
QString messageNote(const MessageShape &message);

// A close payload explained over several lines (code, name, meaning, reason, what a strict peer
// does). `badReasonByte` receives the offset of the first reason byte that is not UTF-8, or -1.
QString closeDetails(QByteArrayView payload, qint64 *badReasonByte = nullptr);

// What the payload view's Text tab shows of a payload: a prefix cut on a code point boundary that
// stays within `textLimit` bytes (and within `longLineLimit` when lines are too long to lay out
// quickly), in the display form with line breaks kept.
struct TextPlan {
    QString text;
    qsizetype shownBytes = 0;
    bool truncated = false;
    bool longLines = false; // a line is longer than LongLine characters: wrap anywhere
    qint64 firstInvalid = -1; // offset of the first byte that is not UTF-8 in the shown part, or -1
    bool jsonCandidate = false; // valid UTF-8 within the limit and an object or array: worth Pretty/Tree
};
constexpr qsizetype LongLine = 4096;
TextPlan planText(quint8 opcode, QByteArrayView payload, qint64 textLimit, qint64 longLineLimit);

// True when `payload` cannot be text: bytes that are not UTF-8, or, in the final frame of a message
// (`final`), a code point cut at the end. A first fragment may end inside a code point that the
// next fragment completes (RFC 6455 allows it): that is not invalid.
bool breaksUtf8(QByteArrayView payload, bool final);

// The longest prefix of at most `limit` bytes that does not end inside a UTF-8 sequence.
QByteArrayView utf8Prefix(QByteArrayView bytes, qint64 limit);
// Length of the longest line (bytes between line feeds).
qsizetype longestLine(QByteArrayView bytes);

} // namespace PayloadPreview
