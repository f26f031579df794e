#include "probe/probepresets.h"

#include "protocol/closecodes.h"
#include "protocol/messagedeflate.h"

#include <QCoreApplication>

namespace {

// Translation context for the presets' titles, descriptions and expectations (ProbePresets is a
// namespace). Ids and RFC section numbers stay as they are.
struct Tr {
    Q_DECLARE_TR_FUNCTIONS(ProbePresets)
};

using ProbePresets::Expectation;
using ProbePresets::Preset;

FrameSpec frame(quint8 opcode, const QByteArray &payload, bool fin = true, quint8 rsv = 0)
{
    return ProbePresets::maskedFrame(opcode, payload, fin, rsv);
}

FrameSpec closeFrame(quint16 code, const QByteArray &reason = {})
{
    return frame(Opcode::Close, FrameWriter::closePayload(code, reason));
}

Expectation closeWith(QList<quint16> codes, const QString &text, bool dropAccepted = true)
{
    Expectation e;
    e.kind = Expectation::Kind::Close;
    e.closeCodes = std::move(codes);
    e.dropAccepted = dropAccepted;
    e.text = text;
    return e;
}

Expectation echoOf(const QByteArray &message, const QString &text)
{
    Expectation e;
    e.kind = Expectation::Kind::Echo;
    e.echo = message;
    e.dropAccepted = false;
    e.text = text;
    return e;
}

Preset preset(const char *id, const QString &title, const QString &description, const char *section,
    QList<FrameSpec> frames, Expectation expected)
{
    Preset p;
    p.id = QString::fromLatin1(id);
    p.title = title;
    p.description = description;
    p.rfcSection = QString::fromLatin1(section);
    p.frames = std::move(frames);
    p.expected = std::move(expected);
    return p;
}

// "κόσμε" (Greek "cosmos"), the classic UTF-8 test word: 2- and 3-byte sequences.
const QByteArray Kosme = QByteArrayLiteral("\xce\xba\xe1\xbd\xb9\xcf\x83\xce\xbc\xce\xb5");

// Text that compresses like real traffic (1 MiB of it for the large probes).
QByteArray compressibleText(qsizetype size)
{
    static const char *words[] = { "frame ", "mask ", "\xce\xba\xcf\x8c\xcf\x83\xce\xbc\xce\xb5 ", "ping ", "{\"id\":",
        "42}, ", "deflate ", "window " };
    QByteArray out;
    out.reserve(size + 16);
    for (int i = 0; out.size() < size; ++i)
        out += words[(i * 7 + i / 5) % 8];
    out.truncate(size);
    while (!out.isEmpty() && (uchar(out.back()) & 0xC0) == 0x80) // keep whole characters
        out.chop(1);
    while (!out.isEmpty() && uchar(out.back()) >= 0xC0)
        out.chop(1);
    return out;
}

using Offer = PerMessageDeflate::Offer;

Offer offer(bool noContextTakeover, std::optional<int> windowBits = std::nullopt)
{
    Offer o;
    o.clientNoContextTakeover = noContextTakeover;
    o.serverNoContextTakeover = noContextTakeover;
    o.clientMaxWindowBits = true;
    o.clientMaxWindowBitsValue = windowBits;
    o.serverMaxWindowBits = windowBits;
    return o;
}

// The frames of `messages`, each compressed whole (RFC 7692 §7.2.1) through one stream as the offer
// says, RSV1 on each message's first frame, split into frames of `fragmentSize` compressed bytes.
QList<FrameSpec> compressedFrames(const Offer &o, const QList<QByteArray> &messages, qsizetype fragmentSize = 0)
{
    MessageDeflater deflater(o.clientMaxWindowBitsValue.value_or(15), o.clientNoContextTakeover);
    QList<FrameSpec> frames;
    for (const QByteArray &m : messages) {
        QList<FrameSpec> parts = FrameWriter::fragment(Opcode::Text, deflater.compress(m), fragmentSize, true);
        parts.first().rsv = Rsv::Rsv1;
        for (FrameSpec &part : parts)
            part.maskingKey = ProbePresets::MaskingKey;
        frames += parts;
    }
    return frames;
}

Preset deflatePreset(const char *id, const QString &title, const QString &description, const char *section,
    QList<FrameSpec> frames, Expectation expected, const Offer &o)
{
    Preset p = preset(id, title, description, section, std::move(frames), std::move(expected));
    p.rfcDocument = QStringLiteral("RFC 7692");
    p.deflate = o;
    return p;
}

Expectation echoOfMessages(const QList<QByteArray> &messages, const QString &text)
{
    Expectation e = echoOf(messages.join(), text);
    e.messages = int(messages.size());
    return e;
}

// In the spirit of Autobahn|Testsuite's sections 12 and 13: compressed echoes with and without
// context takeover, small and large, two window sizes, a fragmented compressed message, and two
// misuses a strict server refuses. Each offers permessage-deflate; a server that declines makes
// the probe not applicable.
QList<Preset> deflatePresets()
{
    QList<Preset> list;
    const QList<QByteArray> small { "Hello", "Hello", compressibleText(300), "Hello, Hello, Hello" };
    const QString echoesAll = Tr::tr("echoes every message, each compressed or not as it likes");
    for (const bool nct : { false, true }) {
        const Offer o = offer(nct);
        list << deflatePreset(nct ? "deflate-small-no-context-takeover" : "deflate-small",
            nct ? Tr::tr("Compressed small messages, no context takeover → echo")
                : Tr::tr("Compressed small messages, context takeover → echo"),
            nct ? Tr::tr("Four short text messages, each compressed on its own (client_no_context_takeover, and the "
                         "server asked for server_no_context_takeover).")
                : Tr::tr("Four short text messages compressed through one stream: the later ones refer back into the "
                         "earlier ones, so the server must keep its window from message to message."),
            "7.2", compressedFrames(o, small), echoOfMessages(small, echoesAll), o);
    }
    const QList<QByteArray> large { compressibleText(1 << 20) };
    for (const bool nct : { false, true }) {
        const Offer o = offer(nct);
        list << deflatePreset(nct ? "deflate-1mib-no-context-takeover" : "deflate-1mib",
            nct ? Tr::tr("Compressed 1 MiB message, no context takeover → echo")
                : Tr::tr("Compressed 1 MiB message → echo"),
            Tr::tr("One text message of 1 MiB, compressed to a few KiB. The server inflates it whole and echoes it."),
            "7.2", compressedFrames(o, large), echoOfMessages(large, echoesAll), o);
    }
    for (const int bits : { 9, 15 }) {
        const Offer o = offer(false, bits);
        const QByteArray id = "deflate-window-bits-" + QByteArray::number(bits);
        const QList<QByteArray> messages { compressibleText(4000), compressibleText(4000) };
        list << deflatePreset(id.constData(), Tr::tr("Compressed with %1-bit windows → echo").arg(bits),
            Tr::tr("Offers client_max_window_bits=%1 and server_max_window_bits=%1, then sends two 4000-byte messages "
                   "compressed with a %2 window. The server must accept the sizes or refuse the offer, and echo.")
                .arg(bits)
                .arg(bits == 9 ? QStringLiteral("512-byte") : QStringLiteral("32 KiB")),
            "7.1.2", compressedFrames(o, messages), echoOfMessages(messages, echoesAll), o);
    }
    {
        const Offer o = offer(false);
        const QList<QByteArray> message { compressibleText(2000) };
        list << deflatePreset("deflate-fragmented", Tr::tr("Compressed message in fragments → echo"),
            Tr::tr("One 2000-byte text message, compressed, then split into frames of 16 compressed bytes: RSV1 on "
                   "the first frame only (RFC 7692 §6.1)."),
            "6.1", compressedFrames(o, message, 16), echoOfMessages(message, echoesAll), o);
    }
    {
        const Offer o = offer(false);
        list << deflatePreset("deflate-rsv1-ping", Tr::tr("RSV1 on a ping → close 1002"),
            Tr::tr("With permessage-deflate agreed, a ping \"Hello\" with RSV1 set: only data messages are "
                   "compressed, so the server must fail the connection."),
            "6.1", { frame(Opcode::Ping, QByteArrayLiteral("Hello"), true, Rsv::Rsv1) },
            closeWith({ CloseCodes::ProtocolError },
                Tr::tr("fails the connection: close 1002 Protocol Error (or drops TCP)")),
            o);
        // node's ws answers 1007, python's websockets 1002: both fail the connection as they must.
        list << deflatePreset("deflate-invalid-data", Tr::tr("Compressed data that does not inflate → close"),
            Tr::tr("A text frame with RSV1 whose payload FF 00 FF 00 is not DEFLATE data (a reserved block type). "
                   "The server must fail the connection."),
            "7.2.2", { frame(Opcode::Text, QByteArray::fromHex("ff00ff00"), true, Rsv::Rsv1) },
            closeWith({ CloseCodes::InvalidPayloadData, CloseCodes::ProtocolError },
                Tr::tr("fails the connection: close 1007 or 1002 (or drops TCP)")),
            o);
    }
    return list;
}

QList<Preset> buildAll()
{
    const QByteArray hello = QByteArrayLiteral("Hello");
    const QString fail1002 = Tr::tr("fails the connection: close 1002 Protocol Error (or drops TCP)");
    QList<Preset> list;

    // Reserved bits: §5.2 "MUST be 0 unless an extension is negotiated"; none is offered here.
    const struct {
        const char *id;
        quint8 bit;
        int number;
    } rsvBits[] = { { "rsv1-set", Rsv::Rsv1, 1 }, { "rsv2-set", Rsv::Rsv2, 2 }, { "rsv3-set", Rsv::Rsv3, 3 } };
    for (const auto &r : rsvBits) {
        list << preset(r.id, Tr::tr("RSV%1 set without an extension → close 1002").arg(r.number),
            Tr::tr("A text frame \"Hello\" with RSV%1 set. No extension was negotiated, so the "
                   "server must fail the connection rather than echo it.")
                .arg(r.number),
            "5.2", { frame(Opcode::Text, hello, true, r.bit) }, closeWith({ CloseCodes::ProtocolError }, fail1002));
    }

    // Reserved opcodes, two non-control (3, 7) and two control (11, 15): §5.2 "MUST _Fail_".
    for (const quint8 opcode : { quint8(0x3), quint8(0x7), quint8(0xB), quint8(0xF) }) {
        const QByteArray id = "reserved-opcode-" + QByteArray::number(opcode);
        list << preset(id.constData(), Tr::tr("Reserved opcode %1 → close 1002").arg(opcode),
            (Opcode::isControl(opcode) ? Tr::tr("A frame with the reserved control opcode %1 (0x%2) carrying "
                                                "\"Hello\". The meaning is undefined, so the server must fail "
                                                "the connection.")
                                       : Tr::tr("A frame with the reserved data opcode %1 (0x%2) carrying "
                                                "\"Hello\". The meaning is undefined, so the server must fail "
                                                "the connection."))
                .arg(opcode)
                .arg(opcode, 0, 16),
            "5.2", { frame(opcode, hello) }, closeWith({ CloseCodes::ProtocolError }, fail1002));
    }

    list << preset("ping-126-bytes", Tr::tr("Ping with a 126-byte payload → close 1002"),
        Tr::tr("A ping whose payload is 126 bytes (16-bit length form). Control frames carry at "
               "most 125 bytes, so the server must not answer with a pong."),
        "5.5", { frame(Opcode::Ping, QByteArray(126, '*')) }, closeWith({ CloseCodes::ProtocolError }, fail1002));

    list << preset("ping-fragmented", Tr::tr("Fragmented ping → close 1002"),
        Tr::tr("A ping split in two: ping without FIN (\"ping\"), then a continuation with FIN "
               "(\"!\"). Control frames must not be fragmented."),
        "5.5",
        { frame(Opcode::Ping, QByteArrayLiteral("ping"), false), frame(Opcode::Continuation, QByteArrayLiteral("!")) },
        closeWith({ CloseCodes::ProtocolError }, fail1002));

    list << preset("continuation-without-start", Tr::tr("Continuation with nothing to continue → close 1002"),
        Tr::tr("A continuation frame with FIN (\"Hello\") while no fragmented message is in "
               "progress."),
        "5.4", { frame(Opcode::Continuation, hello) }, closeWith({ CloseCodes::ProtocolError }, fail1002));

    list << preset("text-inside-fragmented-message", Tr::tr("Text frame inside a fragmented message → close 1002"),
        Tr::tr("A text frame without FIN (\"Hello, \") starts a message, then a second text frame "
               "(\"world\") arrives where only a continuation may."),
        "5.4",
        { frame(Opcode::Text, QByteArrayLiteral("Hello, "), false), frame(Opcode::Text, QByteArrayLiteral("world")) },
        closeWith({ CloseCodes::ProtocolError }, fail1002));

    const QString fail1007 = Tr::tr("fails the connection: close 1007 Invalid Payload Data (or drops TCP)");
    // κόσμε, then U+D800 encoded as ED A0 80 (a surrogate: never valid UTF-8), then "edited".
    const QByteArray badUtf8 = Kosme + QByteArrayLiteral("\xed\xa0\x80") + QByteArrayLiteral("edited");
    list << preset("invalid-utf8", Tr::tr("Invalid UTF-8 in a text message → close 1007"),
        Tr::tr("A text frame \"κόσμε\" followed by ED A0 80 (an encoded surrogate, not UTF-8) and "
               "\"edited\"."),
        "8.1", { frame(Opcode::Text, badUtf8) }, closeWith({ CloseCodes::InvalidPayloadData }, fail1007));
    list << preset("invalid-utf8-in-fragment", Tr::tr("Invalid UTF-8 in a later fragment → close 1007"),
        Tr::tr("A fragmented text message: \"κόσμε\" (valid) without FIN, then a continuation "
               "with ED A0 80 \"edited\". The message as a whole is not UTF-8."),
        "8.1",
        { frame(Opcode::Text, Kosme, false),
            frame(Opcode::Continuation, QByteArrayLiteral("\xed\xa0\x80") + QByteArrayLiteral("edited")) },
        closeWith({ CloseCodes::InvalidPayloadData }, fail1007));

    // Valid but tricky: the fragment boundaries fall inside the 3-byte ό (E1 BD B9) and the 2-byte
    // σ (CF 83). UTF-8 is a property of the whole message (§5.6), so a server that validates each
    // fragment on its own wrongly rejects this.
    list << preset("utf8-split-code-point", Tr::tr("Valid UTF-8 split inside a code point → echo"),
        Tr::tr("\"κόσμε\" in three fragments cut inside code points: CE BA E1 | BD B9 CF | 83 CE "
               "BC CE B5. Valid: the server echoes \"κόσμε\"."),
        "5.6",
        { frame(Opcode::Text, Kosme.first(3), false), frame(Opcode::Continuation, Kosme.sliced(3, 3), false),
            frame(Opcode::Continuation, Kosme.sliced(6)) },
        echoOf(Kosme, Tr::tr("echoes \"κόσμε\": UTF-8 is checked over the whole message, not per frame")));

    // Valid but tricky: §5.4 lets control frames sit between fragments. A correct server also answers
    // the ping with a pong; the verdict only asks for the echo of the message (the pong, if any, is
    // shown in what was seen) so that the expectation stays "one message back".
    list << preset("ping-between-fragments", Tr::tr("Ping between fragments of a message → echo"),
        Tr::tr("\"Hello, \" without FIN, a ping \"probe\", then a continuation \"world\" with FIN. "
               "Valid: the server answers the ping and echoes \"Hello, world\"."),
        "5.4",
        { frame(Opcode::Text, QByteArrayLiteral("Hello, "), false), frame(Opcode::Ping, QByteArrayLiteral("probe")),
            frame(Opcode::Continuation, QByteArrayLiteral("world")) },
        echoOf(
            QByteArrayLiteral("Hello, world"), Tr::tr("echoes \"Hello, world\" (and answers the ping with a pong)")));

    list << preset("close-1-byte-payload", Tr::tr("Close with a 1-byte payload → close 1002"),
        Tr::tr("A close frame whose payload is the single byte 03: a status code needs two bytes."), "5.5.1",
        { frame(Opcode::Close, QByteArrayLiteral("\x03")) }, closeWith({ CloseCodes::ProtocolError }, fail1002));

    // Codes that must never appear in a close frame (§7.4.1 reserved, §7.4.2 ranges).
    const struct {
        quint16 code;
        const char *why;
    } badCodes[] = {
        { 999, QT_TRANSLATE_NOOP("ProbePresets", "below 1000: not used") },
        { 1004, QT_TRANSLATE_NOOP("ProbePresets", "reserved") },
        { 1005, QT_TRANSLATE_NOOP("ProbePresets", "reserved for \"no status code\", never sent") },
        { 1006, QT_TRANSLATE_NOOP("ProbePresets", "reserved for \"closed abnormally\", never sent") },
        { 1015, QT_TRANSLATE_NOOP("ProbePresets", "reserved for \"TLS handshake failure\", never sent") },
        { 1016, QT_TRANSLATE_NOOP("ProbePresets", "in 1016-2999, reserved for future RFCs") },
        { 5000, QT_TRANSLATE_NOOP("ProbePresets", "above 4999: not a valid status code") },
    };
    for (const auto &c : badCodes) {
        const QByteArray id = "close-code-" + QByteArray::number(c.code);
        list << preset(id.constData(), Tr::tr("Close with code %1 → close 1002").arg(c.code),
            Tr::tr("A close frame with status code %1 (%2).")
                .arg(c.code)
                .arg(QCoreApplication::translate("ProbePresets", c.why)),
            "7.4", { closeFrame(c.code) }, closeWith({ CloseCodes::ProtocolError }, fail1002));
    }

    // 2 + 124 = 126 bytes: one over the control-frame limit, so this is a §5.5 violation even though
    // the code is fine.
    list << preset("close-reason-124-bytes", Tr::tr("Close reason of 124 bytes → close 1002"),
        Tr::tr("A close frame 1000 with a 124-byte reason: the payload is 126 bytes, over the "
               "125-byte limit of control frames."),
        "5.5", { closeFrame(CloseCodes::NormalClosure, QByteArray(124, 'r')) },
        closeWith({ CloseCodes::ProtocolError }, fail1002));

    list << preset("close-reason-invalid-utf8", Tr::tr("Close reason that is not UTF-8 → close 1007"),
        Tr::tr("A close frame 1000 whose reason is \"κόσμε\" ED A0 80 \"edited\" (not UTF-8)."), "5.5.1",
        { closeFrame(CloseCodes::NormalClosure, badUtf8) }, closeWith({ CloseCodes::InvalidPayloadData }, fail1007));

    FrameSpec unmasked = frame(Opcode::Text, hello);
    unmasked.mask = false;
    unmasked.maskingKey.reset();
    list << preset("unmasked-client-frame", Tr::tr("Unmasked client frame → close 1002"),
        Tr::tr("A text frame \"Hello\" without the MASK bit: every client frame must be masked."), "5.1", { unmasked },
        closeWith({ CloseCodes::ProtocolError }, fail1002));

    list << preset("data-after-close", Tr::tr("Data after close → close 1000, no echo"),
        Tr::tr("A close frame 1000, then a text frame \"Hello\". After a close frame nothing more "
               "may be sent; the server answers the close and ignores the text."),
        "5.5.1", { closeFrame(CloseCodes::NormalClosure), frame(Opcode::Text, hello) },
        closeWith(
            { CloseCodes::NormalClosure }, Tr::tr("answers the close with 1000 and never echoes \"Hello\""), false));

    // Valid closes: the server must complete the closing handshake (a drop is wrong). It typically
    // echoes the code (§5.5.1); 1000 is also a correct answer.
    list << preset("close-empty", Tr::tr("Close without a status code → close"),
        Tr::tr("A close frame with an empty payload (valid: the code is optional). The server "
               "answers with a close frame, empty (seen as 1005) or 1000."),
        "5.5.1", { frame(Opcode::Close, {}) },
        closeWith({ CloseCodes::NoStatusReceived, CloseCodes::NormalClosure },
            Tr::tr("completes the closing handshake (empty close or 1000)"), false));
    list << preset("close-code-1012", Tr::tr("Close with code 1012 Service Restart → close 1012"),
        Tr::tr("A close frame with 1012 (IANA-registered, valid on the wire though not in RFC "
               "6455). A server that knows only RFC 6455's list wrongly answers 1002."),
        "7.4.2", { closeFrame(CloseCodes::ServiceRestart) },
        closeWith({ CloseCodes::ServiceRestart, CloseCodes::NormalClosure },
            Tr::tr("completes the closing handshake with 1012 (or 1000)"), false));
    list << preset("close-code-4000", Tr::tr("Close with private-use code 4000 → close 4000"),
        Tr::tr("A close frame with 4000 (private use, valid on the wire) and reason \"bye\"."), "7.4.2",
        { closeFrame(4000, QByteArrayLiteral("bye")) },
        closeWith(
            { 4000, CloseCodes::NormalClosure }, Tr::tr("completes the closing handshake with 4000 (or 1000)"), false));
    list += deflatePresets();
    return list;
}

} // namespace

FrameSpec ProbePresets::maskedFrame(quint8 opcode, const QByteArray &payload, bool fin, quint8 rsv)
{
    FrameSpec spec;
    spec.fin = fin;
    spec.rsv = rsv;
    spec.opcode = opcode;
    spec.mask = true;
    spec.maskingKey = MaskingKey;
    spec.payload = payload;
    return spec;
}

QList<Preset> ProbePresets::all()
{
    static const QList<Preset> presets = buildAll();
    return presets;
}

Preset ProbePresets::byId(const QString &id)
{
    for (const Preset &p : all()) {
        if (p.id == id)
            return p;
    }
    return {};
}
