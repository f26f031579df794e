#pragma once

#include "protocol/frame.h"
#include "protocol/messagedeflate.h"
#include "text/utf8validator.h"

#include <QByteArray>
#include <QByteArrayView>

#include <memory>

// One complete frame as parsed. Views point into the parser's buffers (or straight into the bytes given
// to feed()) and are valid only during the callback that receives them.
struct ParsedFrame {
    FrameHeader header;
    QByteArrayView headerBytes; // exact bytes as on the wire (2..14)
    QByteArrayView payload; // unmasked
    QByteArrayView maskedPayload; // the bytes as on the wire; empty unless keepMaskedPayload and masked
    // 0 for the first (or only) frame of a message; 1, 2, ... for continuations, up to Limits::maxFragments:
    // every frame past that limit (the message is dropped) carries maxFragments.
    int fragmentIndex = 0;
    // permessage-deflate: the frame belongs to a message sent compressed (its first frame had RSV1).
    bool compressed = false;
    // The final frame of a compressed message that inflated: the whole message, inflated.
    bool hasInflated = false;
    QByteArrayView inflated;
};

// Receives what the parser finds, in wire order.
class FrameParserHandler {
public:
    virtual ~FrameParserHandler() = default;
    virtual void onFrame(const ParsedFrame &frame) = 0;
    // A whole data message: an unfragmented text/binary frame, or the final fragment of one.
    // `opcode` is the message's (text or binary), `fragments` how many frames carried it. A
    // compressed message (permessage-deflate) is given inflated.
    virtual void onMessage(quint8 opcode, QByteArrayView payload, int fragments) = 0;
    // A rule broken. `headerBytes` are those of the offending frame when there is one (may be empty).
    // A violation is reported before onFrame() of the frame that broke it, if that frame is delivered.
    virtual void onViolation(const Violation &violation, QByteArrayView headerBytes) = 0;
};

// Incremental RFC 6455 frame parser. Bytes may arrive one at a time or many frames at once.
// Never allocates from a declared length: payload buffers grow only as bytes arrive, and a declared
// length over the limit is reported (1009) before any payload is buffered.
//
// After a violation that keeps the byte stream in sync (reserved bits or opcode, bad UTF-8, masked
// frame from a server, bad close payload, ...) parsing goes on so the inspector can show what the
// peer sent next. After one that loses sync (64-bit length with the top bit set, frame over the
// size limit), the parser stops: isStopped() is true and further bytes are ignored.
//
// What a handler can rely on:
// - Order per frame: onViolation() for each rule the frame breaks, then onFrame(), then onMessage()
//   if the frame completes a message. Header rules are checked in a fixed order: length top bit,
//   masking direction, RSV bits, reserved opcode, control length, control FIN, non-minimal length,
//   fragmentation state, frame size, fragment count, message size; then UTF-8, then close payload.
// - Header violations (and FrameTooBig) are reported as soon as the header is complete, before any
//   payload arrives; invalid UTF-8 as soon as the impossible byte arrives, so a violation may come
//   long before onFrame() of its frame.
// - isStopped() is already true inside onViolation() of the violation that stops the parser.
// - A message with invalid UTF-8, over maxMessageSize or over maxFragments (each reported at most
//   once per message) is dropped: its frames are still delivered, but onMessage() is not called for
//   it. Violations of header rules (RSV, masking, non-minimal length) leave the content intact:
//   onMessage() is still called.
// - A text/binary frame inside an unfinished fragmented message abandons that message (no
//   onMessage()) and starts a new one. Continuations without a message, reserved opcodes and control
//   frames are delivered with fragmentIndex 0 and never belong to a message.
// - Text messages whose first frame has an RSV bit set are not UTF-8 checked: an extension
//   transformed the payload, so only its decoder can judge the text.
// - With permessage-deflate (setPerMessageDeflate()), RSV1 on a message's first frame means
//   compressed: each frame is inflated as it completes, before onFrame(); the message size limit
//   counts inflated bytes and is enforced while inflating (a deflate bomb is stopped at the limit,
//   never inflated whole); a text message is UTF-8 checked after inflating. RSV1 on a control or
//   continuation frame is a violation (RFC 7692 §6.1), data that does not inflate another (1007).
// - Frames after the peer's close frame are not flagged here (the connection knows its closing state).
// - reset() may be called from a callback: the rest of the current feed() is then discarded.
class FrameParser {
public:
    enum class Role {
        Client, // we are the client: frames come from a server and must not be masked
        Server, // we are the server: frames come from a client and must be masked
    };

    struct Limits {
        quint64 maxFrameSize = 64ull << 20;
        quint64 maxMessageSize = 64ull << 20;
        int maxFragments = 1 << 20; // frames per message
    };

    FrameParser(Role role, FrameParserHandler *handler);

    void setLimits(const Limits &limits);
    const Limits &limits() const { return m_limits; }
    // RSV bits an extension negotiated in the handshake allows (Rsv:: bits); others are violations.
    void setAllowedRsv(quint8 bits) { m_allowedRsv = bits; }
    // permessage-deflate negotiated (RFC 7692): RSV1 allowed on a data message's first frame, which
    // is then inflated. `peerNoContextTakeover`: the peer resets its window for every message.
    void setPerMessageDeflate(bool enabled, bool peerNoContextTakeover = false);
    bool perMessageDeflate() const { return m_inflater != nullptr; }
    // Report the masked bytes as well (costs a copy per masked frame).
    void setKeepMaskedPayload(bool keep) { m_keepMasked = keep; }

    void feed(QByteArrayView bytes);
    bool isStopped() const { return m_stopped; }
    // True while a fragmented message has started and not finished.
    bool inFragmentedMessage() const { return m_messageOpcode != 0; }
    // Bytes received but not yet part of a complete frame.
    qsizetype pendingBytes() const;
    // A frame's header has been read and its payload is still arriving: what comes next on the wire
    // is more of that payload (a violation reported now cut the frame short).
    bool insideFramePayload() const;
    void reset();

private:
    // Implementation details are the implementer's choice; keep this class free of Qt signals: the
    // command-line companion feeds it a million frames a second.
    // What the header of the frame being parsed decided, kept until the frame is complete.
    struct FrameContext {
        FrameHeader header;
        int fragmentIndex = 0;
        bool inMessage = false; // text/binary/continuation that belongs to the message being tracked
        bool validateUtf8 = false; // payload goes through m_utf8
    };

    bool parseComplete(const char *data, const FrameContext &decoded);
    qsizetype feedPending(const char *data, qsizetype size);
    bool beginFrame(FrameContext &ctx, QByteArrayView headerBytes);
    bool finishFrame(const FrameContext &ctx, QByteArrayView headerBytes, QByteArrayView payload,
        QByteArrayView maskedPayload, bool utf8AlreadyChecked);
    bool checkUtf8(QByteArrayView chunk, QByteArrayView headerBytes);
    bool inflateFrame(QByteArrayView payload, bool fin, QByteArrayView headerBytes);
    void keepWindowInStep(QByteArrayView payload, bool fin);
    bool checkClosePayload(QByteArrayView payload, QByteArrayView headerBytes);
    bool report(ViolationRule rule, quint16 closeCode, const QString &description, QByteArrayView headerBytes);
    QString fragmentsSoFar() const;
    void startMessage(const FrameHeader &header);
    void dropMessage();
    void endMessage();
    void stop();

    Role m_role;
    FrameParserHandler *m_handler;
    Limits m_limits;
    quint8 m_allowedRsv = 0;
    bool m_keepMasked = false;
    bool m_stopped = false;
    quint8 m_messageOpcode = 0; // opcode of the fragmented message in progress, 0 if none
    qint64 m_fragmentCount = 0; // frames of the message in progress; stops at maxFragments + 1
    quint64 m_messageSize = 0;
    QByteArray m_buffer; // bytes of an incomplete frame
    QByteArray m_message; // reassembled payload of a fragmented message in progress
    Utf8Validator m_utf8;

    FrameContext m_pending; // valid when m_pendingHeaderDone
    bool m_pendingHeaderDone = false; // m_buffer holds a complete header and part of the payload
    QByteArray m_scratch; // unmasked payload of a masked frame parsed in place; masked copy otherwise
    quint32 m_generation = 0; // bumped by reset(), so a reset() from a callback ends the current feed()
    bool m_messageDropped = false; // the message in progress is broken: frames still reported, no onMessage
    bool m_messageSizeReported = false;
    bool m_fragmentsReported = false;
    bool m_validateMessage = false; // text message without extension-transformed payload
    qint64 m_utf8Fed = 0; // message bytes fed to m_utf8

    // permessage-deflate
    std::unique_ptr<MessageInflater> m_inflater; // set while negotiated
    bool m_peerNoContextTakeover = false;
    bool m_compressedMessage = false; // the message in progress came with RSV1
    bool m_validateInflated = false; // ... and is text: its inflated bytes go through m_utf8
    QByteArray m_inflated; // the message in progress, inflated so far
};
