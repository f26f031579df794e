#pragma once

#include "protocol/frameparser.h"
#include "protocol/framewriter.h"

#include <QList>
#include <QString>

// What a strict server makes of frames we are about to send. The frames are encoded exactly as
// FrameWriter would send them and fed, as one byte stream, to a FrameParser in the server role, so
// every rule it checks is reported with the close code it answers. Nothing here re-implements those
// rules; FrameLint only adds what a parser cannot tell from the bytes alone: that a header declares
// a payload length different from the payload the crafter put behind it (the parser just reads on),
// and data frames after a close frame (the parser leaves that to the connection).
namespace FrameLint {

// The connection as the frames will find it.
struct Context {
    // Opcode (text or binary) of a fragmented message already started and not finished on this
    // connection; 0 when none. A continuation frame is only valid after one.
    quint8 messageInProgress = 0;
    quint8 allowedRsv = 0; // RSV bits an extension negotiated in the handshake defines
    // permessage-deflate agreed: RSV1 marks a compressed message (first frame only) whose payload
    // must inflate; the frames' payloads are then the compressed bytes.
    bool perMessageDeflate = false;
    FrameParser::Limits limits; // the server's limits; the parser's defaults (64 MiB) unless told
};

struct Finding {
    QString ruleId; // Violation::ruleId() for the parser's rules; "declared-length-exceeds-payload", ...
    QString rfcSection; // "5.2"
    QString description;
    quint16 closeCode = 0; // what a strict server answers this rule with; 0: no close of its own
    ViolationRule rule = ViolationRule::None; // None for the rules only FrameLint sees
    int frameIndex = 0; // the frame (of the list checked) whose bytes broke the rule
    // The server read a frame header where none was written: inside the payload of frame
    // `frameIndex`, after a declared length shorter than the payload.
    bool misaligned = false;
    bool stopsParsing = false; // framing is lost here: nothing after it can be read
};

// The first thing a strict server does about the frames.
struct Answer {
    enum class Kind {
        Accept, // every frame is fine
        Wait, // no rule broken yet, but the last frame is incomplete: the server waits for more bytes
        Close, // fails the connection with a close frame carrying closeCode
        Drop, // framing is lost: it may send closeCode, then drops TCP without a closing handshake
    };
    Kind kind = Kind::Accept;
    quint16 closeCode = 0;
    int frameIndex = -1; // the frame that caused it; -1 for Accept
    quint64 missingBytes = 0; // Wait: how many more bytes complete the frame being read
    QString text; // one sentence: "closes the connection with 1002 Protocol Error"

    // "1002", "drop", "wait", "accept": the short form tests and compact views use.
    QString shortText() const;
};

struct Result {
    QList<Finding> findings; // in the order the server meets them
    // Garbage read as frame headers repeats itself every few bytes: after 16 misaligned frames their
    // findings are only counted here (they still count for the answer).
    int omittedFindings = 0;
    Answer answer;
    bool isValid() const { return findings.isEmpty(); }
};

// A masked spec without a key is encoded with this one (the real key is drawn when it is sent):
// the rules do not depend on the key, only what is read from misaligned bytes does.
constexpr quint32 DefaultLintKey = 0x37fa213d;

Result check(const FrameSpec &frame, const Context &context = {});
// The frames sent back to back on one connection, in order.
Result check(const QList<FrameSpec> &frames, const Context &context = {});

} // namespace FrameLint
