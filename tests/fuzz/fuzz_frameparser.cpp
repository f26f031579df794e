// Fuzz target for FrameParser, built twice: fuzz_frameparser_client (frames from a server) and
// fuzz_frameparser_server (frames from a client), WSI_FUZZ_SERVER_ROLE telling which.
//
// Input: [options] [reset] [chunk plan] [byte stream] (fuzzinput.h). Options: bit 0 keepMaskedPayload,
// bits 1-3 the RSV bits an extension allows, bits 4-6 one of eight sets of limits (limitsFor()),
// bit 7: the handler calls reset() from a callback, the one numbered by the [reset] byte (present
// only then).
//
// The stream is parsed twice, fed whole and in the chunks of the plan; both runs must produce the
// same callbacks, in the same order, with the same bytes, and leave the parser in the same state.
// Both must also match an independent decoder written here from RFC 6455 and the parser's
// documented contract (frameparser.h), not from its code: frames tile the stream exactly, each
// violation comes with its rule, close code and header in the documented order, messages are
// reassembled and dropped as documented, fragment indexes stop at the limit.

#include "fuzzinput.h"
#include "protocol/frameparser.h"

#include <QtEndian>
#include <limits>
#include <vector>

namespace {

constexpr FrameParser::Role kRole = WSI_FUZZ_SERVER_ROLE ? FrameParser::Role::Server : FrameParser::Role::Client;

FrameParser::Limits limitsFor(int choice)
{
    constexpr quint64 defaultSize = 64ull << 20;
    struct Row {
        quint64 frame, message;
        int fragments;
    };
    // Small limits so that short inputs reach them; 0 and INT_MAX as the edges of the setting.
    static constexpr Row rows[8] = {
        { defaultSize, defaultSize, 1 << 20 },
        { 125, 300, 3 },
        { 1000, 1000, 16 },
        { defaultSize, 64, 1 },
        { 0, 0, 0 },
        { 16, 1 << 20, 2 },
        { defaultSize, defaultSize, std::numeric_limits<int>::max() },
        { 65536, 100000, 2 },
    };
    FrameParser::Limits limits;
    limits.maxFrameSize = rows[choice].frame;
    limits.maxMessageSize = rows[choice].message;
    limits.maxFragments = rows[choice].fragments;
    return limits;
}

struct Config {
    bool keepMasked = false;
    quint8 allowedRsv = 0;
    FrameParser::Limits limits;
};

struct Event {
    enum Type : quint8 { Frame, Message, Violation };
    Type type = Frame;
    quint8 code = 0; // Message: opcode; Violation: rule
    int number = 0; // Frame: fragmentIndex; Message: fragments; Violation: close code
    QByteArray header; // Frame, Violation: header bytes
    QByteArray payload; // Frame: unmasked payload; Message: the message
    QByteArray masked; // Frame: maskedPayload
    bool stopped = false; // Violation: isStopped() inside the callback

    bool operator==(const Event &other) const
    {
        return type == other.type && code == other.code && number == other.number && header == other.header
            && payload == other.payload && masked == other.masked && stopped == other.stopped;
    }
    QString toString() const
    {
        switch (type) {
        case Frame:
            return QStringLiteral("frame h=[%1] idx=%2 p=[%3] m=[%4]")
                .arg(hexOf(header), QString::number(number), hexOf(payload), hexOf(masked));
        case Message:
            return QStringLiteral("message op=%1 fragments=%2 p=[%3]").arg(code).arg(number).arg(hexOf(payload));
        case Violation:
            return QStringLiteral("violation %1 code=%2 h=[%3] stopped=%4")
                .arg(Violation::ruleId(ViolationRule(code)))
                .arg(number)
                .arg(hexOf(header))
                .arg(int(stopped));
        }
        return {};
    }
};

struct Outcome {
    std::vector<Event> events;
    bool stopped = false;
    qsizetype pending = 0;
    bool inFragmented = false;

    bool operator==(const Outcome &o) const
    {
        return events == o.events && stopped == o.stopped && pending == o.pending && inFragmented == o.inFragmented;
    }
    QString toString() const
    {
        QString text = QStringLiteral("stopped=%1 pending=%2 inFragmented=%3\n")
                           .arg(int(stopped))
                           .arg(pending)
                           .arg(int(inFragmented));
        for (const Event &e : events)
            text += QStringLiteral("  ") + e.toString() + QLatin1Char('\n');
        return text;
    }
};

// --- The independent decoder ------------------------------------------------------------------

struct Header {
    bool fin = false;
    quint8 rsv = 0, opcode = 0;
    bool masked = false;
    quint32 key = 0;
    quint64 length = 0;
    int lengthBytes = 0; // 0, 2 or 8
    int size = 0;
};

// Returns false while `b` is shorter than the header it starts.
bool decodeHeader(QByteArrayView b, Header &h)
{
    if (b.size() < 2)
        return false;
    const auto b0 = quint8(b[0]), b1 = quint8(b[1]);
    h.fin = b0 & 0x80;
    h.rsv = (b0 >> 4) & 7;
    h.opcode = b0 & 0xF;
    h.masked = b1 & 0x80;
    const int len7 = b1 & 0x7F;
    h.lengthBytes = len7 == 126 ? 2 : len7 == 127 ? 8 : 0;
    h.size = 2 + h.lengthBytes + (h.masked ? 4 : 0);
    if (b.size() < h.size)
        return false;
    h.length = len7 < 126 ? quint64(len7) : 0;
    for (int i = 0; i < h.lengthBytes; ++i)
        h.length = (h.length << 8) | quint8(b[2 + i]);
    h.key = 0;
    for (int i = 0; h.masked && i < 4; ++i)
        h.key = (h.key << 8) | quint8(b[2 + h.lengthBytes + i]);
    return true;
}

// Strict UTF-8 (RFC 3629), fed a byte at a time.
class Utf8 {
public:
    bool invalid = false;
    bool complete() const { return m_need == 0; }
    void reset() { *this = Utf8(); }
    // Returns false at the first byte that cannot be part of valid UTF-8.
    bool feed(quint8 c)
    {
        if (invalid)
            return false;
        if (m_need == 0) {
            m_lo = 0x80;
            m_hi = 0xBF;
            if (c < 0x80)
                return true;
            if (c >= 0xC2 && c <= 0xDF)
                m_need = 1;
            else if (c >= 0xE0 && c <= 0xEF) {
                m_need = 2;
                if (c == 0xE0)
                    m_lo = 0xA0; // overlong
                if (c == 0xED)
                    m_hi = 0x9F; // surrogates
            } else if (c >= 0xF0 && c <= 0xF4) {
                m_need = 3;
                if (c == 0xF0)
                    m_lo = 0x90; // overlong
                if (c == 0xF4)
                    m_hi = 0x8F; // above U+10FFFF
            } else {
                invalid = true;
            }
            return !invalid;
        }
        if (c < m_lo || c > m_hi) {
            invalid = true;
            return false;
        }
        --m_need;
        m_lo = 0x80;
        m_hi = 0xBF;
        return true;
    }
    static bool isValid(QByteArrayView bytes)
    {
        Utf8 v;
        for (char c : bytes)
            if (!v.feed(quint8(c)))
                return false;
        return v.complete();
    }

private:
    int m_need = 0;
    quint8 m_lo = 0x80, m_hi = 0xBF;
};

class Model {
public:
    explicit Model(const Config &config)
        : m_config(config)
    {
    }

    Outcome run(QByteArrayView stream)
    {
        qsizetype pos = 0;
        while (!m_out.stopped && pos < stream.size()) {
            Header h;
            if (!decodeHeader(stream.sliced(pos), h))
                break;
            if (!frame(stream.sliced(pos), h))
                break;
            pos += h.size + qsizetype(h.length);
        }
        m_out.pending = m_out.stopped ? 0 : stream.size() - pos;
        m_out.inFragmented = m_fragmentedOpcode != 0;
        return m_out;
    }

private:
    const Config m_config;
    Outcome m_out;
    QByteArray m_header; // of the frame being decoded
    // The message being tracked (RFC 6455 §5.4), from its first frame to its final one.
    quint8 m_fragmentedOpcode = 0; // opcode of an unfinished fragmented message, 0 if none
    qint64 m_count = 0;
    quint64 m_size = 0;
    bool m_dropped = false, m_sizeReported = false, m_countReported = false, m_checkText = false;
    Utf8 m_utf8;
    QByteArray m_message;

    void violation(ViolationRule rule, int closeCode, bool stops = false)
    {
        Event e;
        e.type = Event::Violation;
        e.code = quint8(rule);
        e.number = closeCode;
        e.header = m_header;
        e.stopped = stops;
        m_out.events.push_back(e);
        if (stops)
            m_out.stopped = true;
    }
    void startMessage(const Header &h)
    {
        m_fragmentedOpcode = h.fin ? 0 : h.opcode;
        m_count = 1;
        m_size = h.length;
        m_dropped = m_sizeReported = m_countReported = false;
        m_checkText = h.opcode == 1 && h.rsv == 0; // RSV set: an extension transformed the text
        m_utf8.reset();
        m_message.clear();
    }
    void endMessage()
    {
        m_fragmentedOpcode = 0;
        m_count = 0;
        m_size = 0;
        m_dropped = m_sizeReported = m_countReported = m_checkText = false;
        m_message.clear();
    }

    // One frame at the start of `bytes`, whose header is complete. Returns false when the frame is
    // incomplete or parsing stops.
    bool frame(QByteArrayView bytes, const Header &h)
    {
        m_header = bytes.first(h.size).toByteArray();
        const FrameParser::Limits &limits = m_config.limits;
        const bool control = h.opcode & 8;
        const bool reserved = (h.opcode >= 3 && h.opcode <= 7) || h.opcode >= 11;

        if (h.lengthBytes == 8 && (h.length >> 63)) {
            violation(ViolationRule::LengthTopBitSet, 1002, true);
            return false;
        }
        if (kRole == FrameParser::Role::Client && h.masked)
            violation(ViolationRule::MaskedFrameFromServer, 1002);
        if (kRole == FrameParser::Role::Server && !h.masked)
            violation(ViolationRule::UnmaskedFrameFromClient, 1002);
        if (h.rsv & ~m_config.allowedRsv)
            violation(ViolationRule::ReservedBitsSet, 1002);
        if (reserved)
            violation(ViolationRule::ReservedOpcode, 1002);
        if (control && h.length > 125)
            violation(ViolationRule::ControlFrameTooLong, 1002);
        if (control && !h.fin)
            violation(ViolationRule::ControlFrameFragmented, 1002);
        if ((h.lengthBytes == 2 && h.length < 126) || (h.lengthBytes == 8 && h.length < 65536))
            violation(ViolationRule::NonMinimalLength, 1002);

        bool inMessage = false;
        int index = 0;
        if (!control && !reserved) {
            if (h.opcode == 0) {
                if (m_fragmentedOpcode == 0) {
                    violation(ViolationRule::ContinuationWithoutStart, 1002);
                } else {
                    inMessage = true;
                    const qint64 cap = qMax(limits.maxFragments, 1);
                    index = int(qMin(m_count, cap));
                    if (m_count <= limits.maxFragments)
                        ++m_count;
                    m_size = h.length > std::numeric_limits<quint64>::max() - m_size
                        ? std::numeric_limits<quint64>::max()
                        : m_size + h.length;
                }
            } else {
                if (m_fragmentedOpcode != 0) {
                    violation(ViolationRule::DataFrameInsideFragmentedMessage, 1002);
                    endMessage();
                }
                startMessage(h);
                inMessage = true;
            }
        }
        if (h.length > limits.maxFrameSize) {
            violation(ViolationRule::FrameTooBig, 1009, true);
            return false;
        }
        bool checkText = false;
        if (inMessage) {
            if (!m_countReported && m_count > limits.maxFragments) {
                m_countReported = m_dropped = true;
                violation(ViolationRule::TooManyFragments, 1009);
            }
            if (!m_sizeReported && m_size > limits.maxMessageSize) {
                m_sizeReported = m_dropped = true;
                violation(ViolationRule::MessageTooBig, 1009);
            }
            checkText = m_checkText && !m_utf8.invalid;
        }

        // Payload: what has arrived of it, unmasked.
        const QByteArrayView wire = bytes.sliced(h.size).first(qMin<quint64>(h.length, quint64(bytes.size() - h.size)));
        QByteArray payload = wire.toByteArray();
        for (qsizetype i = 0; h.masked && i < payload.size(); ++i)
            payload[i] = char(quint8(payload[i]) ^ quint8(h.key >> (24 - 8 * (i % 4))));
        if (checkText) {
            for (char c : std::as_const(payload)) {
                if (!m_utf8.feed(quint8(c))) {
                    m_dropped = true;
                    violation(ViolationRule::InvalidUtf8Text, 1007); // fail-fast: before the frame ends
                    break;
                }
            }
        }
        if (quint64(wire.size()) < h.length)
            return false; // incomplete: the parser waits, its header already judged

        if (checkText && h.fin && !m_utf8.invalid && !m_utf8.complete()) {
            m_dropped = true;
            violation(ViolationRule::InvalidUtf8Text, 1007);
        }
        if (h.opcode == 8 && payload.size() == 1)
            violation(ViolationRule::ClosePayloadOneByte, 1002);
        if (h.opcode == 8 && payload.size() >= 2) {
            const quint16 code = qFromBigEndian<quint16>(payload.constData());
            if (!((code >= 1000 && code <= 1003) || (code >= 1007 && code <= 1014) || (code >= 3000 && code <= 4999)))
                violation(ViolationRule::InvalidCloseCode, 1002);
            if (!Utf8::isValid(QByteArrayView(payload).sliced(2)))
                violation(ViolationRule::CloseReasonInvalidUtf8, 1007);
        }

        Event f;
        f.type = Event::Frame;
        f.number = index;
        f.header = m_header;
        f.payload = payload;
        if (h.masked && m_config.keepMasked)
            f.masked = wire.toByteArray();
        m_out.events.push_back(f);

        if (inMessage) {
            if (!h.fin) {
                if (!m_dropped)
                    m_message += payload;
            } else {
                if (!m_dropped) {
                    Event m;
                    m.type = Event::Message;
                    const bool single = h.opcode != 0;
                    m.code = single ? h.opcode : m_fragmentedOpcode;
                    m.number = single ? 1 : int(m_count);
                    m.payload = single ? payload : m_message + payload;
                    m_out.events.push_back(m);
                }
                endMessage();
            }
        }
        return true;
    }
};

// --- The parser, recorded ---------------------------------------------------------------------

class Recorder : public FrameParserHandler {
public:
    explicit Recorder(const Config &config)
        : m_config(config)
    {
    }
    FrameParser *parser = nullptr;
    Outcome out;
    int resetAt = -1; // calls reset() from the callback that records this event
    int feedIndex = 0; // the feed() call under way
    int resetFeed = -1; // the feed() call during which reset() was called

    void onFrame(const ParsedFrame &f) override
    {
        // The decoded header must say what its bytes say.
        Header h;
        FUZZ_CHECK(decodeHeader(f.headerBytes, h) && h.size == f.headerBytes.size(), hexOf(f.headerBytes));
        const FrameHeader &p = f.header;
        FUZZ_CHECK(p.fin == h.fin && p.rsv == h.rsv && p.opcode == h.opcode && p.masked == h.masked
                && p.maskingKey == h.key && p.declaredLength == h.length && p.headerSize == h.size
                && int(p.lengthForm)
                    == (h.lengthBytes == 0       ? 0
                            : h.lengthBytes == 2 ? 1
                                                 : 2),
            hexOf(f.headerBytes));
        FUZZ_CHECK(quint64(f.payload.size()) == p.declaredLength, hexOf(f.headerBytes));
        Event e;
        e.type = Event::Frame;
        e.number = f.fragmentIndex;
        e.header = f.headerBytes.toByteArray();
        e.payload = f.payload.toByteArray();
        e.masked = f.maskedPayload.toByteArray();
        record(e);
    }
    void onMessage(quint8 opcode, QByteArrayView payload, int fragments) override
    {
        FUZZ_CHECK(quint64(payload.size()) <= m_config.limits.maxMessageSize, QString::number(payload.size()));
        Event e;
        e.type = Event::Message;
        e.code = opcode;
        e.number = fragments;
        e.payload = payload.toByteArray();
        record(e);
    }
    void onViolation(const Violation &v, QByteArrayView headerBytes) override
    {
        FUZZ_CHECK(!v.description.isEmpty(), Violation::ruleId(v.rule));
        Event e;
        e.type = Event::Violation;
        e.code = quint8(v.rule);
        e.number = v.closeCode;
        e.header = headerBytes.toByteArray();
        e.stopped = parser->isStopped();
        record(e);
    }

private:
    const Config m_config;

    void record(const Event &e)
    {
        FUZZ_CHECK(
            resetFeed != feedIndex, QStringLiteral("a callback after reset() in the same feed(): ") + e.toString());
        out.events.push_back(e);
        if (int(out.events.size()) - 1 == resetAt) {
            parser->reset();
            resetFeed = feedIndex;
        }
    }
};

struct Run {
    Outcome outcome;
    int resetFeed = -1; // the chunk during which the handler called reset(), -1 if it did not
};

Run parse(const Config &config, const QList<QByteArrayView> &chunks, int resetAt = -1)
{
    Recorder recorder(config);
    FrameParser parser(kRole, &recorder);
    recorder.parser = &parser;
    recorder.resetAt = resetAt;
    parser.setLimits(config.limits);
    parser.setAllowedRsv(config.allowedRsv);
    parser.setKeepMaskedPayload(config.keepMasked);
    for (QByteArrayView chunk : chunks) {
        parser.feed(chunk);
        ++recorder.feedIndex;
    }
    const int resetFeed = recorder.resetFeed;
    recorder.resetAt = -1;
    recorder.resetFeed = -1;
    recorder.out.stopped = parser.isStopped();
    recorder.out.pending = parser.pendingBytes();
    recorder.out.inFragmented = parser.inFragmentedMessage();

    // reset() forgets everything (a stopped parser, a half frame, an unfinished message): a small
    // message then parses as on a fresh parser.
    const FrameParser::Limits &limits = config.limits;
    if (limits.maxFrameSize >= 2 && limits.maxMessageSize >= 2 && limits.maxFragments >= 1) {
        static const QByteArray fromServer = QByteArray::fromHex("81026f6b");
        static const QByteArray fromClient = QByteArray::fromHex("818237fa213d") + masked("ok", 0x37fa213d);
        const Outcome before = recorder.out;
        recorder.out.events.clear();
        parser.reset();
        parser.feed(kRole == FrameParser::Role::Client ? fromServer : fromClient);
        const std::vector<Event> &after = recorder.out.events;
        FUZZ_CHECK(after.size() == 2 && after[0].type == Event::Frame && after[0].number == 0
                && after[0].payload == "ok" && after[1].type == Event::Message && after[1].payload == "ok"
                && after[1].number == 1 && !parser.isStopped() && parser.pendingBytes() == 0
                && !parser.inFragmentedMessage(),
            QStringLiteral("after reset():\n%1").arg(recorder.out.toString()));
        return { before, resetFeed };
    }
    return { recorder.out, resetFeed };
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    FuzzInput input(data, size);
    const quint8 options = input.takeByte();
    Config config;
    config.keepMasked = options & 1;
    config.allowedRsv = (options >> 1) & 7;
    config.limits = limitsFor((options >> 4) & 7);
    const int resetAt = (options & 0x80) ? input.takeByte() : -1;
    const QList<qsizetype> plan = input.takeChunkPlan();
    const QByteArrayView stream = input.rest();
    const QList<QByteArrayView> chunks = splitByPlan(stream, plan);

    const Outcome expected = Model(config).run(stream);
    if (resetAt < 0 || resetAt >= int(expected.events.size())) {
        const Outcome whole = parse(config, { stream }).outcome;
        const Outcome chunked = parse(config, chunks).outcome;
        FUZZ_CHECK(whole == expected,
            QStringLiteral("fed whole:\n%1independent decoder:\n%2").arg(whole.toString(), expected.toString()));
        FUZZ_CHECK(chunked == whole,
            QStringLiteral("fed whole:\n%1fed in chunks:\n%2").arg(whole.toString(), chunked.toString()));
        return 0;
    }

    // The handler calls reset() from its callback number `resetAt`: the events so far are as without
    // it, the rest of that feed() is discarded, and the later chunks parse as on a fresh parser.
    auto afterReset = [&](QByteArrayView rest) {
        Outcome out = Model(config).run(rest);
        out.events.insert(out.events.begin(), expected.events.begin(), expected.events.begin() + resetAt + 1);
        return out;
    };
    const Run whole = parse(config, { stream }, resetAt);
    const Outcome wholeExpected = afterReset({});
    FUZZ_CHECK(whole.outcome == wholeExpected,
        QStringLiteral("reset() at event %1, fed whole:\n%2expected:\n%3")
            .arg(resetAt)
            .arg(whole.outcome.toString(), wholeExpected.toString()));
    const Run chunked = parse(config, chunks, resetAt);
    FUZZ_CHECK(chunked.resetFeed >= 0 && chunked.resetFeed < chunks.size(), QString::number(chunked.resetFeed));
    const QByteArrayView &resetChunk = chunks[chunked.resetFeed];
    const QByteArrayView rest = stream.sliced(resetChunk.data() + resetChunk.size() - stream.data());
    const Outcome chunkedExpected = afterReset(rest);
    FUZZ_CHECK(chunked.outcome == chunkedExpected,
        QStringLiteral("reset() at event %1 during chunk %2, fed in chunks:\n%3expected:\n%4")
            .arg(resetAt)
            .arg(chunked.resetFeed)
            .arg(chunked.outcome.toString(), chunkedExpected.toString()));
    return 0;
}
