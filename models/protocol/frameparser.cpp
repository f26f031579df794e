#include "protocol/frameparser.h"

#include "protocol/closecodes.h"

#include <QCoreApplication>
#include <QStringList>
#include <QtEndian>
#include <cstring>
#include <limits>

// How the parser is organised, and why:
//
// - Fast path. While no partial frame is buffered, every frame that lies complete in the input is
//   parsed in place: header and payload views point into the caller's bytes. Unmasked frames (what a
//   client receives) are never copied; masked ones are unmasked into m_scratch, which is reused.
//   Only the incomplete tail of an input goes to m_buffer (the slow path), one frame at a time.
// - Header first. Everything a header can break is reported as soon as the header is complete,
//   before any payload byte is buffered; this is where a declared length over the limit stops the
//   parser without allocating anything for it.
// - Fail-fast UTF-8. A text payload arriving in pieces is unmasked in place and validated piece by
//   piece, so invalid UTF-8 is reported at the first impossible byte, not when the frame ends.
// - Message state (fragment count, size, UTF-8 validator, reassembly buffer) lives from the header of
//   a message's first frame to the end of its final frame, whether or not it is fragmented.

namespace {

// Translation context for the violation descriptions (FrameParser is not a QObject). They are
// translated only when a rule is broken, never for a frame that is fine.
struct Tr {
    Q_DECLARE_TR_FUNCTIONS(FrameParser)
};

// Buffers that grew past this for one big frame or message are released afterwards instead of being
// kept for the next one.
constexpr qsizetype kKeepCapacity = 1 << 20;

constexpr quint16 kProtocolError = 1002;
constexpr quint16 kInvalidData = 1007;
constexpr quint16 kTooBig = 1009;

QString frameName(quint8 opcode)
{
    return Tr::tr("%1 frame").arg(Opcode::name(opcode));
}

QString rsvNames(quint8 bits)
{
    QStringList names;
    if (bits & Rsv::Rsv1)
        names << QStringLiteral("RSV1");
    if (bits & Rsv::Rsv2)
        names << QStringLiteral("RSV2");
    if (bits & Rsv::Rsv3)
        names << QStringLiteral("RSV3");
    return names.join(Tr::tr(" and "));
}

// Qt 6.4's resize(0) reallocates even an empty array's header; a million small messages a second
// make that a measurable share of the parse, so empty buffers are left alone.
void empty(QByteArray &buffer)
{
    if (!buffer.isEmpty())
        buffer.resize(0);
}

void releaseOrKeep(QByteArray &buffer)
{
    if (buffer.isEmpty())
        return;
    if (buffer.capacity() > kKeepCapacity)
        buffer.clear();
    else
        buffer.resize(0); // keeps the allocation for the next frame
}

} // namespace

FrameParser::FrameParser(Role role, FrameParserHandler *handler)
    : m_role(role)
    , m_handler(handler)
{
}

void FrameParser::setLimits(const Limits &limits)
{
    m_limits = limits;
    if (m_inflater)
        m_inflater->setMaxMessageBytes(limits.maxMessageSize); // the window and any message in progress stay
}

void FrameParser::setPerMessageDeflate(bool enabled, bool peerNoContextTakeover)
{
    m_peerNoContextTakeover = peerNoContextTakeover;
    if (enabled) {
        m_inflater = std::make_unique<MessageInflater>(peerNoContextTakeover, m_limits.maxMessageSize);
    } else {
        m_inflater.reset();
        m_compressedMessage = false;
        m_validateInflated = false;
    }
}

qsizetype FrameParser::pendingBytes() const
{
    return m_buffer.size();
}

bool FrameParser::insideFramePayload() const
{
    return m_pendingHeaderDone
        && quint64(m_buffer.size() - m_pending.header.headerSize) < m_pending.header.declaredLength;
}

void FrameParser::reset()
{
    ++m_generation;
    m_stopped = false;
    m_buffer.clear();
    m_scratch.clear();
    m_pendingHeaderDone = false;
    m_pending = FrameContext();
    endMessage();
    m_message.clear();
    m_inflated.clear();
    if (m_inflater)
        m_inflater->reset();
}

void FrameParser::feed(QByteArrayView bytes)
{
    const char *p = bytes.data();
    qsizetype n = bytes.size();
    while (n > 0 && !m_stopped) {
        if (m_buffer.isEmpty() && n >= 2) {
            const int headerSize = FrameHeader::sizeFromFirstTwoBytes(QByteArrayView(p, 2));
            if (n >= headerSize) {
                FrameContext ctx;
                FrameHeader::decode(QByteArrayView(p, headerSize), ctx.header);
                if (quint64(n - headerSize) >= ctx.header.declaredLength) {
                    const qsizetype total = headerSize + qsizetype(ctx.header.declaredLength);
                    if (!parseComplete(p, ctx))
                        return;
                    p += total;
                    n -= total;
                    continue;
                }
            }
        }
        const qsizetype used = feedPending(p, n);
        if (used < 0)
            return;
        p += used;
        n -= used;
    }
}

// A whole frame at `data` (header already decoded into `decoded`), parsed without copying it.
bool FrameParser::parseComplete(const char *data, const FrameContext &decoded)
{
    FrameContext ctx = decoded;
    const FrameHeader &h = ctx.header;
    const QByteArrayView headerBytes(data, h.headerSize);
    if (!beginFrame(ctx, headerBytes))
        return false;

    const qsizetype length = qsizetype(h.declaredLength);
    const QByteArrayView wire(data + h.headerSize, length);
    QByteArrayView payload = wire;
    QByteArrayView maskedPayload;
    if (h.masked) {
        if (m_scratch.size() < length)
            m_scratch.resize(length);
        if (length > 0) {
            std::memcpy(m_scratch.data(), wire.data(), length);
            applyMask(m_scratch.data(), length, h.maskingKey);
        }
        payload = QByteArrayView(m_scratch.constData(), length);
        if (m_keepMasked)
            maskedPayload = wire; // the caller's bytes are the masked ones: no copy needed
    }
    const bool ok = finishFrame(ctx, headerBytes, payload, maskedPayload, false);
    if (ok && m_scratch.size() > kKeepCapacity)
        m_scratch.clear();
    return ok;
}

// Takes bytes for the one incomplete frame in m_buffer (or starts one). Returns how many bytes it
// used, or -1 when parsing must not go on (stopped, or reset() from a callback).
qsizetype FrameParser::feedPending(const char *data, qsizetype size)
{
    qsizetype used = 0;
    if (!m_pendingHeaderDone) {
        if (m_buffer.size() < 2) {
            const qsizetype take = qMin(2 - m_buffer.size(), size);
            m_buffer.append(data, take);
            used += take;
            if (m_buffer.size() < 2)
                return used;
        }
        const int headerSize = FrameHeader::sizeFromFirstTwoBytes(m_buffer);
        if (m_buffer.size() < headerSize) {
            const qsizetype take = qMin(headerSize - m_buffer.size(), size - used);
            m_buffer.append(data + used, take);
            used += take;
            if (m_buffer.size() < headerSize)
                return used;
        }
        m_pending = FrameContext();
        FrameHeader::decode(m_buffer, m_pending.header);
        if (!beginFrame(m_pending, m_buffer))
            return -1;
        m_pendingHeaderDone = true;
    }

    const FrameHeader &h = m_pending.header;
    const qsizetype headerSize = h.headerSize;
    const quint64 have = quint64(m_buffer.size() - headerSize);
    // The buffer grows only by what arrived, never by what the header promises.
    const qsizetype take = qsizetype(qMin<quint64>(h.declaredLength - have, quint64(size - used)));
    if (take > 0) {
        m_buffer.append(data + used, take);
        used += take;
        char *chunk = m_buffer.data() + headerSize + have;
        // Unmasking in place as bytes arrive lets the UTF-8 check run before the frame is complete.
        if (h.masked)
            applyMask(chunk, take, h.maskingKey, have);
        if (m_pending.validateUtf8
            && !checkUtf8(QByteArrayView(chunk, take), QByteArrayView(m_buffer).first(headerSize)))
            return -1;
    }
    if (quint64(m_buffer.size() - headerSize) < h.declaredLength)
        return used;

    const QByteArrayView headerBytes = QByteArrayView(m_buffer).first(headerSize);
    const QByteArrayView payload = QByteArrayView(m_buffer).sliced(headerSize);
    QByteArrayView maskedPayload;
    if (h.masked && m_keepMasked) {
        m_scratch.resize(payload.size());
        if (!payload.isEmpty()) {
            std::memcpy(m_scratch.data(), payload.data(), payload.size());
            applyMask(m_scratch.data(), payload.size(), h.maskingKey);
        }
        maskedPayload = QByteArrayView(m_scratch.constData(), payload.size());
    }
    if (!finishFrame(m_pending, headerBytes, payload, maskedPayload, true))
        return -1;
    m_pendingHeaderDone = false;
    releaseOrKeep(m_buffer);
    if (m_scratch.size() > kKeepCapacity)
        m_scratch.clear();
    return used;
}

bool FrameParser::report(ViolationRule rule, quint16 closeCode, const QString &description, QByteArrayView headerBytes)
{
    const quint32 generation = m_generation;
    Violation violation;
    violation.rule = rule;
    violation.closeCode = closeCode;
    violation.description = description;
    m_handler->onViolation(violation, headerBytes);
    return generation == m_generation;
}

// Checks everything the header alone can break, in a fixed order, and updates the message state.
// Returns false when parsing must not go on.
bool FrameParser::beginFrame(FrameContext &ctx, QByteArrayView headerBytes)
{
    const FrameHeader &h = ctx.header;
    const bool control = Opcode::isControl(h.opcode);
    const bool reserved = Opcode::isReserved(h.opcode);

    // A length that large cannot be buffered or skipped: where the next frame starts is unknown, so
    // nothing else in this header is worth reporting.
    if (h.lengthForm == LengthForm::Extended64 && (h.declaredLength >> 63) != 0) {
        m_stopped = true; // before the report: a handler deciding how to answer asks isStopped()
        const bool alive = report(ViolationRule::LengthTopBitSet, kProtocolError,
            Tr::tr("64-bit payload length 0x%1 has its most significant bit set; the frame's end cannot "
                   "be found, parsing stops")
                .arg(h.declaredLength, 16, 16, QLatin1Char('0')),
            headerBytes);
        if (alive)
            stop();
        return false;
    }

    if (m_role == Role::Client && h.masked) {
        if (!report(ViolationRule::MaskedFrameFromServer, kProtocolError,
                Tr::tr("%1 from the server is masked (key %2); servers must not mask frames")
                    .arg(frameName(h.opcode))
                    .arg(h.maskingKey, 8, 16, QLatin1Char('0')),
                headerBytes))
            return false;
    } else if (m_role == Role::Server && !h.masked) {
        if (!report(ViolationRule::UnmaskedFrameFromClient, kProtocolError,
                Tr::tr("%1 from the client is not masked; clients must mask every frame").arg(frameName(h.opcode)),
                headerBytes))
            return false;
    }

    const quint8 allowedRsv = m_allowedRsv | (m_inflater ? quint8(Rsv::Rsv1) : quint8(0));
    if (const quint8 forbidden = h.rsv & quint8(~allowedRsv); forbidden != 0) {
        if (!report(ViolationRule::ReservedBitsSet, kProtocolError,
                ((forbidden & (forbidden - 1))
                        ? Tr::tr("%1 set on a %2 without a negotiated extension that defines them")
                        : Tr::tr("%1 set on a %2 without a negotiated extension that defines it"))
                    .arg(rsvNames(forbidden), frameName(h.opcode)),
                headerBytes))
            return false;
    }

    // RFC 7692 §6.1: permessage-deflate gives RSV1 a meaning on a data message's first frame only.
    if (m_inflater && (h.rsv & Rsv::Rsv1) && !reserved) {
        if (control) {
            if (!report(ViolationRule::CompressedControlFrame, kProtocolError,
                    Tr::tr("RSV1 set on a %1; permessage-deflate compresses data messages only, never control "
                           "frames")
                        .arg(frameName(h.opcode)),
                    headerBytes))
                return false;
        } else if (h.opcode == Opcode::Continuation) {
            if (!report(ViolationRule::CompressedContinuation, kProtocolError,
                    Tr::tr("RSV1 set on a continuation frame; permessage-deflate marks a compressed message on "
                           "its first frame only"),
                    headerBytes))
                return false;
        }
    }

    if (reserved) {
        if (!report(ViolationRule::ReservedOpcode, kProtocolError,
                (control ? Tr::tr("opcode %1 is reserved (control frame); no extension defines it")
                         : Tr::tr("opcode %1 is reserved (non-control frame); no extension defines it"))
                    .arg(h.opcode),
                headerBytes))
            return false;
    }

    // Opcodes 11-15 are control frames by their high bit (§5.5), so the control rules apply to them too.
    if (control && h.declaredLength > 125) {
        if (!report(ViolationRule::ControlFrameTooLong, kProtocolError,
                Tr::tr("%1 with %2-byte payload; control frames carry at most 125")
                    .arg(frameName(h.opcode))
                    .arg(h.declaredLength),
                headerBytes))
            return false;
    }
    if (control && !h.fin) {
        if (!report(ViolationRule::ControlFrameFragmented, kProtocolError,
                Tr::tr("%1 with FIN=0; control frames must not be fragmented").arg(frameName(h.opcode)), headerBytes))
            return false;
    }

    if (h.lengthForm == LengthForm::Extended16 && h.declaredLength < 126) {
        if (!report(ViolationRule::NonMinimalLength, kProtocolError,
                Tr::tr("payload length %1 written in the 16-bit form; lengths up to 125 must use the "
                       "7-bit field")
                    .arg(h.declaredLength),
                headerBytes))
            return false;
    } else if (h.lengthForm == LengthForm::Extended64 && h.declaredLength < 65536) {
        if (!report(ViolationRule::NonMinimalLength, kProtocolError,
                Tr::tr("payload length %1 written in the 64-bit form; lengths up to 65535 must use a "
                       "shorter form")
                    .arg(h.declaredLength),
                headerBytes))
            return false;
    }

    // DataAfterClose is not checked here: the connection knows when the closing handshake started
    // (it may also be told by the user's own close), so the client engine reports it.

    // Fragmentation. Control frames interleave freely; reserved opcodes have no defined meaning, so
    // they neither start, continue nor interrupt a message.
    if (!control && !reserved) {
        if (h.opcode == Opcode::Continuation) {
            if (m_messageOpcode == 0) {
                if (!report(ViolationRule::ContinuationWithoutStart, kProtocolError,
                        Tr::tr("continuation frame with no fragmented message in progress"), headerBytes))
                    return false;
            } else {
                ctx.inMessage = true;
                // Past the limit the message is dropped and its exact length in frames is of no use, so the
                // count stops one past the limit: a peer can send empty continuations forever (2^31 of them
                // are only 4 GiB), and a count that followed them would overflow.
                ctx.fragmentIndex = int(qMin<qint64>(m_fragmentCount, qMax(m_limits.maxFragments, 1)));
                if (m_fragmentCount <= m_limits.maxFragments)
                    ++m_fragmentCount;
                m_messageSize = h.declaredLength > std::numeric_limits<quint64>::max() - m_messageSize
                    ? std::numeric_limits<quint64>::max()
                    : m_messageSize + h.declaredLength;
            }
        } else {
            if (m_messageOpcode != 0) {
                // The unfinished message can never be delivered as sent; the new frame starts a new one,
                // which is how the peer evidently meant it.
                if (!report(ViolationRule::DataFrameInsideFragmentedMessage, kProtocolError,
                        Tr::tr("%1 while a fragmented %2 message is unfinished (%3 so far); only "
                               "continuation and control frames may come before its final fragment")
                            .arg(frameName(h.opcode), Opcode::name(m_messageOpcode), fragmentsSoFar()),
                        headerBytes))
                    return false;
                endMessage();
            }
            startMessage(h);
            ctx.inMessage = true;
        }
    }

    if (h.declaredLength > m_limits.maxFrameSize) {
        m_stopped = true;
        const bool alive = report(ViolationRule::FrameTooBig, kTooBig,
            Tr::tr("%1 declares a %2-byte payload; the frame size limit is %3 bytes, parsing stops")
                .arg(frameName(h.opcode))
                .arg(h.declaredLength)
                .arg(m_limits.maxFrameSize),
            headerBytes);
        if (alive)
            stop();
        return false;
    }

    if (ctx.inMessage) {
        const quint8 messageOpcode = m_messageOpcode != 0 ? m_messageOpcode : h.opcode;
        if (!m_fragmentsReported && m_fragmentCount > m_limits.maxFragments) {
            m_fragmentsReported = true;
            dropMessage();
            if (!report(ViolationRule::TooManyFragments, kTooBig,
                    Tr::tr("%1 message has more than %2 fragments")
                        .arg(Opcode::name(messageOpcode))
                        .arg(m_limits.maxFragments),
                    headerBytes))
                return false;
        }
        if (!m_messageSizeReported && m_messageSize > m_limits.maxMessageSize) {
            m_messageSizeReported = true;
            dropMessage();
            if (!report(ViolationRule::MessageTooBig, kTooBig,
                    Tr::tr("%1 message reaches %2 bytes with this frame; the message size limit is %3 bytes")
                        .arg(Opcode::name(messageOpcode))
                        .arg(m_messageSize)
                        .arg(m_limits.maxMessageSize),
                    headerBytes))
                return false;
        }
        ctx.validateUtf8 = m_validateMessage && m_utf8.result() != Utf8Validator::Result::Invalid;
    }
    return true;
}

bool FrameParser::finishFrame(const FrameContext &ctx, QByteArrayView headerBytes, QByteArrayView payload,
    QByteArrayView maskedPayload, bool utf8AlreadyChecked)
{
    const FrameHeader &h = ctx.header;
    const quint32 generation = m_generation;

    const bool compressed = ctx.inMessage && m_compressedMessage && m_inflater;
    if (compressed && !m_messageDropped && !inflateFrame(payload, h.fin, headerBytes))
        return false;
    if (compressed && m_messageDropped)
        keepWindowInStep(payload, h.fin);

    if (ctx.validateUtf8) {
        if (!utf8AlreadyChecked && !checkUtf8(payload, headerBytes))
            return false;
        if (h.fin && m_utf8.result() == Utf8Validator::Result::Incomplete) {
            dropMessage();
            if (!report(ViolationRule::InvalidUtf8Text, kInvalidData,
                    Tr::tr("text message of %1 bytes ends inside a UTF-8 sequence").arg(m_utf8Fed), headerBytes))
                return false;
        }
    }

    if (h.opcode == Opcode::Close) {
        if (!checkClosePayload(payload, headerBytes))
            return false;
    }

    ParsedFrame frame;
    frame.header = h;
    frame.headerBytes = headerBytes;
    frame.payload = payload;
    frame.maskedPayload = maskedPayload;
    frame.fragmentIndex = ctx.fragmentIndex;
    frame.compressed = compressed;
    if (compressed && h.fin && !m_messageDropped) {
        frame.hasInflated = true;
        frame.inflated = m_inflated;
    }
    m_handler->onFrame(frame);
    if (generation != m_generation)
        return false;

    if (!ctx.inMessage)
        return true;
    if (!h.fin) {
        if (!m_messageDropped && !compressed) // a compressed message is kept inflated
            m_message.append(payload);
        return true;
    }
    if (!m_messageDropped) {
        if (compressed) {
            m_handler->onMessage(m_messageOpcode ? m_messageOpcode : h.opcode, m_inflated,
                                 ctx.fragmentIndex == 0 ? 1 : int(m_fragmentCount));
        } else if (ctx.fragmentIndex == 0) {
            m_handler->onMessage(h.opcode, payload, 1);
        } else {
            m_message.append(payload);
            // Not dropped, so the count is within maxFragments and fits an int.
            m_handler->onMessage(m_messageOpcode, m_message, int(m_fragmentCount));
        }
        if (generation != m_generation)
            return false;
    }
    endMessage();
    return true;
}

// Feeds message bytes to the validator; reports the first invalid byte once. Returns false when
// parsing must not go on.
bool FrameParser::checkUtf8(QByteArrayView chunk, QByteArrayView headerBytes)
{
    if (m_utf8.result() == Utf8Validator::Result::Invalid)
        return true;
    const qint64 chunkStart = m_utf8Fed;
    m_utf8Fed += chunk.size();
    if (m_utf8.feed(chunk) != Utf8Validator::Result::Invalid)
        return true;
    const qint64 offset = m_utf8.invalidOffset();
    const auto bad = quint8(chunk[offset - chunkStart]);
    const bool inflated = m_compressedMessage;
    dropMessage();
    return report(ViolationRule::InvalidUtf8Text, kInvalidData,
        (inflated ? Tr::tr("text message, once inflated, is not valid UTF-8: byte 0x%1 at offset %2 cannot appear "
                           "there")
                  : Tr::tr("text message is not valid UTF-8: byte 0x%1 at offset %2 cannot appear there"))
            .arg(bad, 2, 16, QLatin1Char('0'))
            .arg(offset),
        headerBytes);
}

// Inflates one frame of a compressed message into m_inflated (and the tail after its final frame),
// then checks the new text. Returns false when parsing must not go on.
bool FrameParser::inflateFrame(QByteArrayView payload, bool fin, QByteArrayView headerBytes)
{
    const qsizetype before = m_inflated.size();
    MessageInflater::Result result = m_inflater->feed(payload, m_inflated);
    if (result == MessageInflater::Result::Ok && fin)
        result = m_inflater->finish(m_inflated);
    if (result != MessageInflater::Result::Ok) {
        const QString why = m_inflater->errorString();
        const quint64 wireBytes = m_inflater->messageInBytes();
        m_inflater->reset(); // the stream is lost; a later message starts a new one
        dropMessage();
        if (result == MessageInflater::Result::TooBig) {
            m_messageSizeReported = true;
            return report(ViolationRule::MessageTooBig, kTooBig,
                Tr::tr("compressed message: %1 (after %2 compressed bytes)").arg(why).arg(wireBytes), headerBytes);
        }
        return report(ViolationRule::InvalidCompressedData, kInvalidData,
            Tr::tr("compressed message: %1 (after %2 compressed bytes)").arg(why).arg(wireBytes), headerBytes);
    }
    if (!m_validateInflated)
        return true;
    if (!checkUtf8(QByteArrayView(m_inflated).sliced(before), headerBytes))
        return false;
    if (fin && !m_messageDropped && m_utf8.result() == Utf8Validator::Result::Incomplete) {
        dropMessage();
        return report(ViolationRule::InvalidUtf8Text, kInvalidData,
            Tr::tr("text message of %1 bytes, once inflated, ends inside a UTF-8 sequence").arg(m_utf8Fed),
            headerBytes);
    }
    return true;
}

// A compressed message that is being dropped (a rule broken) still goes through the inflater, its
// output thrown away, so that with context takeover the next message finds the window the peer
// compressed it against. Only a stream that cannot be inflated any more is reset.
void FrameParser::keepWindowInStep(QByteArrayView payload, bool fin)
{
    MessageInflater::Result result = m_inflater->feed(payload, m_inflated);
    if (result == MessageInflater::Result::Ok && fin)
        result = m_inflater->finish(m_inflated);
    m_inflated.resize(0);
    if (result != MessageInflater::Result::Ok)
        m_inflater->reset();
}

bool FrameParser::checkClosePayload(QByteArrayView payload, QByteArrayView headerBytes)
{
    if (payload.size() == 1) {
        return report(ViolationRule::ClosePayloadOneByte, kProtocolError,
            Tr::tr("close frame with a 1-byte payload; a close payload is empty or starts with a 2-byte "
                   "status code"),
            headerBytes);
    }
    if (payload.size() < 2)
        return true;

    const ClosePayload close = ClosePayload::parse(payload);
    if (!CloseCodes::isValidOnWire(close.code)) {
        const QString description = CloseCodes::isReserved(close.code)
            ? Tr::tr("close code %1 must never be sent in a close frame: it is reserved for APIs to report "
                     "locally")
                  .arg(CloseCodes::label(close.code))
            : Tr::tr("close code %1 is not valid on the wire (valid: 1000-1003, 1007-1014, 3000-4999)")
                  .arg(CloseCodes::label(close.code));
        if (!report(ViolationRule::InvalidCloseCode, kProtocolError, description, headerBytes))
            return false;
    }

    Utf8Validator reason;
    if (reason.feed(close.reason) == Utf8Validator::Result::Valid)
        return true;
    const QString description = reason.result() == Utf8Validator::Result::Invalid
        ? Tr::tr("close reason is not valid UTF-8: byte 0x%1 at offset %2 cannot appear there")
              .arg(quint8(close.reason[reason.invalidOffset()]), 2, 16, QLatin1Char('0'))
              .arg(reason.invalidOffset())
        : Tr::tr("close reason is not valid UTF-8: it ends inside a UTF-8 sequence");
    return report(ViolationRule::CloseReasonInvalidUtf8, kInvalidData, description, headerBytes);
}

QString FrameParser::fragmentsSoFar() const
{
    if (m_fragmentCount > m_limits.maxFragments)
        return Tr::tr("more than %1 fragments").arg(m_limits.maxFragments);
    return m_fragmentCount == 1 ? Tr::tr("1 fragment") : Tr::tr("%1 fragments").arg(m_fragmentCount);
}

void FrameParser::startMessage(const FrameHeader &header)
{
    m_messageOpcode = header.fin ? 0 : header.opcode;
    m_fragmentCount = 1;
    m_messageSize = header.declaredLength;
    m_messageDropped = false;
    m_messageSizeReported = false;
    m_fragmentsReported = false;
    // With an RSV bit set the payload is transformed by an extension (permessage-deflate compresses
    // it); only its decoder can check the text, so validating the raw bytes would report noise.
    m_validateMessage = header.opcode == Opcode::Text && header.rsv == 0;
    m_compressedMessage = m_inflater && (header.rsv & Rsv::Rsv1);
    m_validateInflated = m_compressedMessage && header.opcode == Opcode::Text;
    // A message abandoned half inflated left the stream mid-block: start afresh (with context
    // takeover the peer's next message may then refer to a window this side no longer has).
    if (m_compressedMessage && m_inflater->messageInBytes() > 0)
        m_inflater->reset();
    empty(m_inflated);
    m_utf8.reset();
    m_utf8Fed = 0;
    empty(m_message);
}

void FrameParser::dropMessage()
{
    m_messageDropped = true;
    m_message.clear(); // nothing will be delivered: free it now
    m_inflated.clear();
}

void FrameParser::endMessage()
{
    m_messageOpcode = 0;
    m_fragmentCount = 0;
    m_messageSize = 0;
    m_messageDropped = false;
    m_messageSizeReported = false;
    m_fragmentsReported = false;
    m_validateMessage = false;
    m_validateInflated = false;
    m_compressedMessage = false;
    releaseOrKeep(m_message);
    releaseOrKeep(m_inflated);
}

// Frees what a stopped parser will never use. Called after the stopping violation was reported, as
// its header bytes may live in m_buffer.
void FrameParser::stop()
{
    m_stopped = true;
    m_buffer.clear();
    m_message.clear();
    m_inflated.clear();
    m_scratch.clear();
    m_pendingHeaderDone = false;
}
