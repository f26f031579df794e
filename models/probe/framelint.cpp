#include "probe/framelint.h"

#include "protocol/closecodes.h"
#include "text/sizeformat.h"

#include <QCoreApplication>
#include <QStringList>

namespace {

// Translation context for findings and answers (FrameLint is a namespace). Rule ids and RFC
// section numbers stay as they are, and so does Answer::shortText() ("accept", "wait", "drop").
struct Tr {
    Q_DECLARE_TR_FUNCTIONS(FrameLint)
};

// Frames are numbered from 1 for people; a single frame needs no number at all.
QString frameLabel(int index, int count)
{
    return count == 1 ? Tr::tr("the frame") : Tr::tr("frame %1").arg(index + 1);
}

QString moreBytes(quint64 n)
{
    return n == 1 ? Tr::tr("1 more byte") : Tr::tr("%1 more bytes").arg(n);
}

// Reading garbage as headers repeats itself every few bytes; a strict server stopped at the first
// fatal rule long before, so a few of these frames explain enough.
constexpr int kMaxMisalignedFrames = 16;

// One frame of the list, as it will be on the wire.
struct Placed {
    qint64 start = 0; // offset of its first byte in the stream
    qint64 headerSize = 0;
    qint64 payloadSize = 0;
    quint64 declared = 0; // what its header says
    qint64 end() const { return start + headerSize + payloadSize; }
};

// Collects what the parser reports about the frame being fed.
class Collector : public FrameParserHandler {
public:
    void onFrame(const ParsedFrame &frame) override
    {
        if (!collecting)
            return;
        const quint8 opcode = frame.header.opcode;
        if (closeSeen && !Opcode::isControl(opcode)) {
            // The parser leaves this to the connection, which knows when the closing handshake began.
            FrameLint::Finding f;
            f.rule = ViolationRule::DataAfterClose;
            f.ruleId = Violation::ruleId(f.rule);
            f.rfcSection = Violation::rfcSection(f.rule);
            f.description = Tr::tr("%1 frame after the close frame; no data may follow a close. The server "
                                   "has already begun the closing handshake and ignores it")
                                .arg(Opcode::name(opcode));
            add(f);
        }
        if (opcode == Opcode::Close)
            closeSeen = true;
        else if (opcode == Opcode::Ping)
            ++pings;
        ++frames;
    }

    void onMessage(quint8, QByteArrayView, int) override { }

    void onViolation(const Violation &violation, QByteArrayView) override
    {
        if (!collecting)
            return;
        FrameLint::Finding f;
        f.rule = violation.rule;
        f.ruleId = Violation::ruleId(violation.rule);
        f.rfcSection = Violation::rfcSection(violation.rule);
        f.closeCode = violation.closeCode;
        f.description = misaligned ? misalignedPrefix + violation.description : violation.description;
        f.stopsParsing = parser->isStopped();
        add(f);
    }

    void add(FrameLint::Finding f)
    {
        f.frameIndex = owner;
        f.misaligned = misaligned;
        if (omitting) {
            ++omitted;
            if (!firstOmittedFatal && (f.closeCode != 0 || f.stopsParsing))
                firstOmittedFatal = f;
            return;
        }
        out->append(f);
    }

    bool collecting = false;
    int owner = 0;
    bool misaligned = false;
    bool omitting = false; // counted, not listed
    int omitted = 0;
    std::optional<FrameLint::Finding> firstOmittedFatal;
    QString misalignedPrefix;
    bool closeSeen = false;
    int pings = 0;
    int frames = 0;
    const FrameParser *parser = nullptr;
    QList<FrameLint::Finding> *out = nullptr;
};

// The header declares a length other than the payload behind it: the parser cannot know, it reads
// on as the header says. Explains where the server's reading goes wrong.
std::optional<FrameLint::Finding> lengthMismatch(const QList<Placed> &placed, const QList<FrameSpec> &frames, int index,
    qint64 streamSize, const FrameParser::Limits &limits)
{
    const Placed &p = placed[index];
    const quint64 actual = quint64(p.payloadSize);
    if (p.declared == actual)
        return std::nullopt;

    const int count = int(placed.size());
    const FrameSpec &spec = frames[index];
    FrameLint::Finding f;
    f.rfcSection = QStringLiteral("5.2");
    f.frameIndex = index;
    QString why;
    if (!spec.declaredLength && spec.lengthEncoding == FrameSpec::LengthEncoding::Force16)
        why = Tr::tr(" (the forced 16-bit length field cannot hold %1; it carries its low 16 bits)").arg(actual);

    if (p.declared > actual) {
        f.ruleId = QStringLiteral("declared-length-exceeds-payload");
        const quint64 missing = p.declared - actual;
        QString consequence;
        QStringList taken;
        const qint64 payloadEnd = p.end();
        // Saturating: a declared length near 2^64 reaches past any stream.
        const quint64 room = quint64(streamSize - payloadEnd);
        const qint64 declaredEnd = missing >= room ? streamSize : payloadEnd + qint64(missing);
        for (int j = index + 1; j < count && placed[j].start < declaredEnd; ++j) {
            const qint64 n = qMin(placed[j].end(), declaredEnd) - placed[j].start;
            taken << (n == placed[j].end() - placed[j].start
                    ? Tr::tr("all of frame %1").arg(j + 1)
                    : Tr::tr("the first %1 of frame %2").arg(SizeFormat::bytes(quint64(n))).arg(j + 1));
        }
        if ((p.declared >> 63) != 0 || p.declared > limits.maxFrameSize) {
            // The parser refuses such a header before reading any payload: its rule follows.
            consequence = Tr::tr(": a length this large is refused as soon as the header arrives");
        } else if (!taken.isEmpty()) {
            consequence = Tr::tr(": the server reads the bytes that follow as the rest of this payload (%1)")
                              .arg(taken.join(QStringLiteral(", ")));
            if (missing > room)
                consequence += Tr::tr(", then waits for %1").arg(moreBytes(missing - room));
        } else {
            consequence = Tr::tr(": the server waits for %1 and reads whatever is sent next (the next "
                                 "frame's header included) as the rest of this payload")
                              .arg(moreBytes(missing));
        }
        f.description = Tr::tr("%1 declares %2 of payload but carries %3%4%5")
                            .arg(frameLabel(index, count), SizeFormat::bytes(p.declared))
                            .arg(actual)
                            .arg(why, consequence);
    } else {
        f.ruleId = QStringLiteral("declared-length-below-payload");
        const quint64 extra = actual - p.declared;
        f.description = Tr::tr("%1 declares %2 of payload but carries %3%4: the server takes the first %5 as "
                               "the payload and reads the remaining %6 (still masked) as the frames that "
                               "follow; what it finds there is listed as misaligned")
                            .arg(frameLabel(index, count), SizeFormat::bytes(p.declared))
                            .arg(actual)
                            .arg(why, SizeFormat::bytes(p.declared), SizeFormat::bytes(extra));
    }
    f.description[0] = f.description[0].toUpper();
    return f;
}

QString acceptText(const Collector &c, int frameCount, bool messageUnfinished)
{
    QStringList parts;
    parts << (frameCount == 1 ? Tr::tr("accepts the frame") : Tr::tr("accepts all %1 frames").arg(frameCount));
    if (c.pings == 1)
        parts << Tr::tr("answers the ping with a pong carrying the same payload");
    else if (c.pings > 1)
        parts << Tr::tr("answers each ping with a pong carrying the same payload");
    if (c.closeSeen)
        parts << Tr::tr("answers the close frame with its own and closes the connection");
    else if (messageUnfinished)
        parts << Tr::tr("waits for the rest of the message (continuation frames, the last with FIN set)");
    return parts.join(QStringLiteral("; "));
}

} // namespace

QString FrameLint::Answer::shortText() const
{
    switch (kind) {
    case Kind::Accept:
        return QStringLiteral("accept");
    case Kind::Wait:
        return QStringLiteral("wait");
    case Kind::Close:
        return QString::number(closeCode);
    case Kind::Drop:
        return QStringLiteral("drop");
    }
    return QString();
}

FrameLint::Result FrameLint::check(const FrameSpec &frame, const Context &context)
{
    return check(QList<FrameSpec> { frame }, context);
}

FrameLint::Result FrameLint::check(const QList<FrameSpec> &frames, const Context &context)
{
    Result result;
    const int count = int(frames.size());
    if (count == 0)
        return result;

    // The stream exactly as it will be written.
    QByteArray stream;
    QList<Placed> placed;
    placed.reserve(count);
    for (const FrameSpec &spec : frames) {
        FrameSpec keyed = spec;
        if (keyed.mask && !keyed.maskingKey)
            keyed.maskingKey = DefaultLintKey;
        const EncodedFrame encoded = FrameWriter::encode(keyed);
        FrameHeader header;
        FrameHeader::decode(encoded.header(), header);
        Placed p;
        p.start = stream.size();
        p.headerSize = encoded.headerSize;
        p.payloadSize = spec.payload.size();
        p.declared = header.declaredLength;
        placed.append(p);
        stream.append(encoded.bytes);
    }

    Collector collector;
    FrameParser parser(FrameParser::Role::Server, &collector);
    collector.parser = &parser;
    collector.out = &result.findings;
    parser.setLimits(context.limits);
    parser.setAllowedRsv(context.allowedRsv);
    parser.setPerMessageDeflate(context.perMessageDeflate);

    if (context.messageInProgress != 0) {
        // Puts the parser in the state the connection is in: an empty first fragment, valid and unseen.
        FrameSpec start;
        start.fin = false;
        start.opcode = context.messageInProgress;
        start.maskingKey = DefaultLintKey;
        parser.feed(FrameWriter::encode(start).bytes);
    }
    collector.collecting = true;

    // Fed one frame (as the server delimits them) at a time, so that every report belongs to the
    // bytes that caused it, even when a lying length shifts the server's idea of where frames start.
    const qint64 size = stream.size();
    qint64 pos = 0;
    // Translated once: garbage read as headers comes round every few bytes.
    const QString misalignedInHeader = Tr::tr("misaligned, a frame header read at byte %1 of %2 (in its header): ");
    const QString misalignedInPayload = Tr::tr("misaligned, a frame header read at byte %1 of %2 (in its payload): ");
    int owner = 0;
    int misalignedFrames = 0;
    while (pos < size && !parser.isStopped()) {
        while (owner + 1 < count && placed[owner + 1].start <= pos)
            ++owner;
        const bool aligned = placed[owner].start == pos;
        if (!aligned)
            ++misalignedFrames;
        collector.omitting = !aligned && misalignedFrames > kMaxMisalignedFrames;
        if (aligned) {
            if (auto f = lengthMismatch(placed, frames, owner, size, context.limits))
                result.findings.append(*f);
        }
        collector.owner = owner;
        collector.misaligned = !aligned;
        if (!aligned) {
            const qint64 offset = pos - placed[owner].start;
            collector.misalignedPrefix = (offset < placed[owner].headerSize ? misalignedInHeader : misalignedInPayload)
                                             .arg(offset)
                                             .arg(frameLabel(owner, count));
        }

        const QByteArrayView rest = QByteArrayView(stream).sliced(pos);
        const int headerSize = FrameHeader::sizeFromFirstTwoBytes(rest);
        FrameHeader header;
        if (headerSize == 0 || !FrameHeader::decode(rest, header)) {
            // Not even a whole header left: the server waits for the rest of it.
            parser.feed(rest);
            result.answer.kind = Answer::Kind::Wait;
            result.answer.frameIndex = owner;
            result.answer.missingBytes = quint64((headerSize == 0 ? 2 : headerSize) - rest.size());
            break;
        }
        const quint64 available = quint64(rest.size() - headerSize);
        if (header.declaredLength > available) {
            parser.feed(rest);
            if (!parser.isStopped()) {
                result.answer.kind = Answer::Kind::Wait;
                result.answer.frameIndex = owner;
                result.answer.missingBytes = header.declaredLength - available;
            }
            pos = size;
        } else {
            const qint64 frameSize = headerSize + qint64(header.declaredLength);
            parser.feed(rest.first(frameSize));
            pos += frameSize;
        }
    }

    result.omittedFindings = collector.omitted;
    // The first rule that fails the connection decides; lesser findings only annotate.
    QList<Finding> candidates = result.findings;
    if (collector.firstOmittedFatal)
        candidates.append(*collector.firstOmittedFatal);
    for (const Finding &f : std::as_const(candidates)) {
        if (f.closeCode == 0 && !f.stopsParsing)
            continue;
        Answer &a = result.answer;
        a.kind = f.stopsParsing ? Answer::Kind::Drop : Answer::Kind::Close;
        a.closeCode = f.closeCode;
        a.frameIndex = f.frameIndex;
        a.missingBytes = 0;
        const QString where = QStringLiteral("%1, %2").arg(frameLabel(f.frameIndex, count), f.ruleId);
        if (a.kind == Answer::Kind::Close) {
            a.text
                = Tr::tr("fails the connection with a close frame: %1 (%2)").arg(CloseCodes::label(f.closeCode), where);
        } else {
            a.text = Tr::tr("drops the connection: framing is lost, it cannot tell where the next frame "
                            "starts (%1); at most a close with %2 comes first")
                         .arg(where, CloseCodes::label(f.closeCode ? f.closeCode : quint16(CloseCodes::ProtocolError)));
        }
        return result;
    }
    Answer &a = result.answer;
    if (a.kind == Answer::Kind::Wait) {
        a.text = Tr::tr("waits for %1 to complete %2; a server with a read timeout drops the connection "
                        "when it expires")
                     .arg(moreBytes(a.missingBytes), frameLabel(a.frameIndex, count));
        return result;
    }
    a.kind = Answer::Kind::Accept;
    a.frameIndex = -1;
    a.text = acceptText(collector, count, parser.inFragmentedMessage());
    return result;
}
