#include "probe/probepresets.h"

#include "protocol/closecodes.h"

#include <QCoreApplication>

namespace {

// Translation context for the presets' titles, descriptions and expectations (ProbePresets is a
// namespace). Ids and RFC section numbers stay as they are.
struct Tr {
    Q_DECLARE_TR_FUNCTIONS(ProbePresets)
};

using ProbePresets::Expectation;
using ProbePresets::Preset;

// One fixed masking key for every preset frame: the bytes of a preset are then the same on every
// run, so the tests can check them and two captures of one probe can be compared byte for byte.
// (RFC 6455 §5.3 wants unpredictable keys against proxy cache poisoning; a probe is not that.)
constexpr quint32 PresetMaskingKey = 0x37fa213d;

FrameSpec frame(quint8 opcode, const QByteArray &payload, bool fin = true, quint8 rsv = 0)
{
    FrameSpec spec;
    spec.fin = fin;
    spec.rsv = rsv;
    spec.opcode = opcode;
    spec.mask = true;
    spec.maskingKey = PresetMaskingKey;
    spec.payload = payload;
    return spec;
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
    return list;
}

} // namespace

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
