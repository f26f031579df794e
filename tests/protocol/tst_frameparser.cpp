#include "protocol/frameparser.h"

#include <QtTest>
#include <functional>
#include <limits>

using Role = FrameParser::Role;

namespace {

constexpr quint32 kKey = 0x37fa213d; // the RFC 6455 §5.7 example key

QByteArray hex(const char *h)
{
    return QByteArray::fromHex(h);
}

QByteArray closeCode(int code)
{
    const char bytes[2] = { char(code >> 8), char(code & 0xFF) };
    return QByteArray(bytes, 2);
}

// Builds frames by hand (independent of FrameWriter): minimal length form.
QByteArray frame(quint8 firstByte, const QByteArray &payload, std::optional<quint32> key = std::nullopt)
{
    QByteArray out;
    out.append(char(firstByte));
    const quint8 maskBit = key ? 0x80 : 0;
    const qsizetype n = payload.size();
    if (n < 126) {
        out.append(char(maskBit | n));
    } else if (n <= 0xFFFF) {
        out.append(char(maskBit | 126));
        out.append(char(n >> 8));
        out.append(char(n & 0xFF));
    } else {
        out.append(char(maskBit | 127));
        for (int shift = 56; shift >= 0; shift -= 8)
            out.append(char((quint64(n) >> shift) & 0xFF));
    }
    if (key) {
        for (int shift = 24; shift >= 0; shift -= 8)
            out.append(char((*key >> shift) & 0xFF));
        out.append(masked(payload, *key));
    } else {
        out.append(payload);
    }
    return out;
}

QByteArray mframe(quint8 firstByte, const QByteArray &payload)
{
    return frame(firstByte, payload, kKey);
}

struct RecordedFrame {
    FrameHeader header;
    QByteArray headerBytes;
    QByteArray payload;
    QByteArray maskedPayload;
    int fragmentIndex = 0;
    bool compressed = false;
    std::optional<QByteArray> inflated;
};

struct RecordedMessage {
    int opcode = 0;
    QByteArray payload;
    int fragments = 0;
};

struct RecordedViolation {
    QString rule;
    int closeCode = 0;
    QString description;
    QByteArray headerBytes;
    bool stoppedDuringCallback = false;
};

// Copies everything it receives (the views die after each call) and keeps a canonical text of every
// callback in order, so that runs with different input splits can be compared exactly.
class Recorder : public FrameParserHandler {
public:
    FrameParser *parser = nullptr;
    QStringList events;
    QList<RecordedFrame> frames;
    QList<RecordedMessage> messages;
    QList<RecordedViolation> violations;
    std::function<void()> onViolationHook;

    void onFrame(const ParsedFrame &f) override
    {
        frames.append({ f.header, f.headerBytes.toByteArray(), f.payload.toByteArray(), f.maskedPayload.toByteArray(),
            f.fragmentIndex, f.compressed,
            f.hasInflated ? std::optional<QByteArray>(f.inflated.toByteArray()) : std::nullopt });
        if (f.compressed) // only then, so that the texts of uncompressed frames stay as they were
            events << QStringLiteral("compressed inflated=%1")
                          .arg(f.hasInflated ? QString::fromLatin1(f.inflated.toByteArray().toHex()) : QStringLiteral("-"));
        const FrameHeader &h = f.header;
        events << QStringLiteral("frame h=%1 fin=%2 rsv=%3 op=%4 mask=%5 key=%6 len=%7 form=%8 idx=%9 p=%10 m=%11")
                      .arg(QString::fromLatin1(f.headerBytes.toByteArray().toHex()))
                      .arg(int(h.fin))
                      .arg(h.rsv)
                      .arg(h.opcode)
                      .arg(int(h.masked))
                      .arg(h.maskingKey, 8, 16, QLatin1Char('0'))
                      .arg(h.declaredLength)
                      .arg(int(h.lengthForm))
                      .arg(f.fragmentIndex)
                      .arg(QString::fromLatin1(f.payload.toByteArray().toHex()),
                          QString::fromLatin1(f.maskedPayload.toByteArray().toHex()));
    }
    void onMessage(quint8 opcode, QByteArrayView payload, int fragments) override
    {
        messages.append({ opcode, payload.toByteArray(), fragments });
        events << QStringLiteral("message op=%1 fragments=%2 p=%3")
                      .arg(opcode)
                      .arg(fragments)
                      .arg(QString::fromLatin1(payload.toByteArray().toHex()));
    }
    void onViolation(const Violation &v, QByteArrayView headerBytes) override
    {
        const bool stopped = parser && parser->isStopped();
        violations.append(
            { Violation::ruleId(v.rule), v.closeCode, v.description, headerBytes.toByteArray(), stopped });
        events << QStringLiteral("violation %1 code=%2 h=%3 stopped=%4: %5")
                      .arg(Violation::ruleId(v.rule))
                      .arg(v.closeCode)
                      .arg(QString::fromLatin1(headerBytes.toByteArray().toHex()))
                      .arg(int(stopped))
                      .arg(v.description);
        if (onViolationHook)
            onViolationHook();
    }

    QStringList ruleIds() const
    {
        QStringList ids;
        for (const auto &v : violations)
            ids << v.rule;
        return ids;
    }
    QList<int> closeCodes() const
    {
        QList<int> codes;
        for (const auto &v : violations)
            codes << v.closeCode;
        return codes;
    }
};

struct Setup {
    Role role = Role::Client;
    quint8 allowedRsv = 0;
    bool keepMasked = false;
    FrameParser::Limits limits;
    bool deflate = false; // permessage-deflate negotiated
    bool peerNoContextTakeover = false;
};

struct Outcome {
    QStringList events;
    bool stopped = false;
    qsizetype pending = 0;
    bool inFragmented = false;
};

// Splits `input` into pieces of the given sizes (the last piece takes the rest).
QList<QByteArray> splitBySizes(const QByteArray &input, const QList<int> &sizes)
{
    QList<QByteArray> pieces;
    qsizetype pos = 0;
    for (int size : sizes) {
        if (pos >= input.size())
            break;
        pieces << input.sliced(pos, qMin<qsizetype>(size, input.size() - pos));
        pos += size;
    }
    if (pos < input.size())
        pieces << input.sliced(pos);
    return pieces;
}

Outcome run(const Setup &setup, const QList<QByteArray> &pieces, Recorder *keep = nullptr)
{
    Recorder local;
    Recorder &recorder = keep ? *keep : local;
    FrameParser parser(setup.role, &recorder);
    recorder.parser = &parser;
    parser.setAllowedRsv(setup.allowedRsv);
    parser.setKeepMaskedPayload(setup.keepMasked);
    parser.setLimits(setup.limits);
    parser.setPerMessageDeflate(setup.deflate, setup.peerNoContextTakeover);
    for (const QByteArray &piece : pieces)
        parser.feed(piece);
    recorder.parser = nullptr;
    return { recorder.events, parser.isStopped(), parser.pendingBytes(), parser.inFragmentedMessage() };
}

// The same input fed all at once, byte by byte, and in seeded random splits; every way must produce
// the same callbacks in the same order and leave the parser in the same state. Returns the
// all-at-once outcome and fills `recorder` from it.
Outcome runAllSplits(const Setup &setup, const QByteArray &input, Recorder *recorder)
{
    const Outcome whole = run(setup, { input }, recorder);

    QList<int> ones(input.size(), 1);
    const Outcome bytewise = run(setup, splitBySizes(input, ones));
    if (bytewise.events != whole.events || bytewise.stopped != whole.stopped || bytewise.pending != whole.pending
        || bytewise.inFragmented != whole.inFragmented) {
        qWarning() << "all at once:" << whole.events << whole.stopped << whole.pending;
        qWarning() << "byte by byte:" << bytewise.events << bytewise.stopped << bytewise.pending;
        return {};
    }
    for (quint32 seed = 1; seed <= 6; ++seed) {
        QRandomGenerator rng(seed);
        QList<int> sizes;
        for (qsizetype total = 0; total < input.size();) {
            // Mostly small pieces that cut headers, with some that span several frames.
            const int size
                = rng.bounded(4) == 0 ? 1 + rng.bounded(int(qMax<qsizetype>(1, input.size()))) : 1 + rng.bounded(7);
            sizes << size;
            total += size;
        }
        const Outcome random = run(setup, splitBySizes(input, sizes));
        if (random.events != whole.events || random.stopped != whole.stopped || random.pending != whole.pending
            || random.inFragmented != whole.inFragmented) {
            qWarning() << "seed" << seed << "sizes" << sizes;
            qWarning() << "all at once:" << whole.events;
            qWarning() << "random:" << random.events;
            return {};
        }
    }
    return whole;
}

} // namespace

class tst_FrameParser : public QObject {
    Q_OBJECT

private slots:
    void rfcExamples_data();
    void rfcExamples();
    void violations_data();
    void violations();
    void descriptions_data();
    void descriptions();
    void callbackOrder();
    void fragmentIndexWithInterleavedControl();
    void dataFrameInsideMessageStartsANewOne();
    void fragmentsPastTheLimit_data();
    void fragmentsPastTheLimit();
    void failFastInsideIncompleteFrame_data();
    void failFastInsideIncompleteFrame();
    void failFastAcrossFragmentBoundary();
    void validCodePointSplitAcrossFragmentsAndFeeds();
    void truncatedSequenceAtEndOfMessage();
    void hugeDeclaredLengthDoesNotAllocate();
    void largeAllowedFrameBuffersOnlyWhatArrived();
    void stoppedParserIgnoresInputUntilReset();
    void keepMaskedPayload_data();
    void keepMaskedPayload();
    void rsvAllowedByExtensionSkipsUtf8Check();
    void compressedMessages_data();
    void compressedMessages();
    void compressedViolations_data();
    void compressedViolations();
    void deflateBombStopsAtTheLimit();
    void compressedTextCheckedAfterInflating();
    void droppedMessageKeepsTheWindowInStep();
    void compressedMessageInterruptedByANewOne();
    void limitsChangedKeepTheWindow();
    void resetFromCallbackEndsFeed();
    void manyFramesInOneFeed();
};

void tst_FrameParser::rfcExamples_data()
{
    QTest::addColumn<int>("role");
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<QStringList>("events");

    // RFC 6455 §5.7, parsed with keepMaskedPayload on.
    QTest::addRow("single-frame unmasked text")
        << int(Role::Client) << hex("810548656c6c6f")
        << QStringList { QStringLiteral("frame h=8105 fin=1 rsv=0 op=1 mask=0 key=00000000 len=5 form=0 idx=0 "
                                        "p=48656c6c6f m="),
               QStringLiteral("message op=1 fragments=1 p=48656c6c6f") };
    QTest::addRow("single-frame masked text")
        << int(Role::Server) << hex("818537fa213d7f9f4d5158")
        << QStringList { QStringLiteral("frame h=818537fa213d fin=1 rsv=0 op=1 mask=1 key=37fa213d len=5 form=0 "
                                        "idx=0 p=48656c6c6f m=7f9f4d5158"),
               QStringLiteral("message op=1 fragments=1 p=48656c6c6f") };
    QTest::addRow("fragmented unmasked text")
        << int(Role::Client) << hex("010348656c80026c6f")
        << QStringList { QStringLiteral(
                             "frame h=0103 fin=0 rsv=0 op=1 mask=0 key=00000000 len=3 form=0 idx=0 p=48656c m="),
               QStringLiteral("frame h=8002 fin=1 rsv=0 op=0 mask=0 key=00000000 len=2 form=0 idx=1 p=6c6f m="),
               QStringLiteral("message op=1 fragments=2 p=48656c6c6f") };
    QTest::addRow("unmasked ping") << int(Role::Client) << hex("890548656c6c6f")
                                   << QStringList { QStringLiteral(
                                          "frame h=8905 fin=1 rsv=0 op=9 mask=0 key=00000000 len=5 form=0 idx=0 "
                                          "p=48656c6c6f m=") };
    QTest::addRow("masked pong") << int(Role::Server) << hex("8a8537fa213d7f9f4d5158")
                                 << QStringList { QStringLiteral(
                                        "frame h=8a8537fa213d fin=1 rsv=0 op=10 mask=1 key=37fa213d len=5 form=0 "
                                        "idx=0 p=48656c6c6f m=7f9f4d5158") };

    QByteArray bin256(256, Qt::Uninitialized);
    for (int i = 0; i < 256; ++i)
        bin256[i] = char(i);
    QTest::addRow("256 bytes binary")
        << int(Role::Client) << (hex("827e0100") + bin256)
        << QStringList { QStringLiteral("frame h=827e0100 fin=1 rsv=0 op=2 mask=0 key=00000000 len=256 form=1 idx=0 "
                                        "p=%1 m=")
                             .arg(QString::fromLatin1(bin256.toHex())),
               QStringLiteral("message op=2 fragments=1 p=%1").arg(QString::fromLatin1(bin256.toHex())) };
}

void tst_FrameParser::rfcExamples()
{
    QFETCH(int, role);
    QFETCH(QByteArray, input);
    QFETCH(QStringList, events);
    Setup setup;
    setup.role = Role(role);
    setup.keepMasked = true;
    Recorder recorder;
    const Outcome outcome = runAllSplits(setup, input, &recorder);
    QCOMPARE(outcome.events, events);
    QVERIFY(!outcome.stopped);
    QCOMPARE(outcome.pending, 0);
    QVERIFY(!outcome.inFragmented);
}

void tst_FrameParser::violations_data()
{
    QTest::addColumn<int>("role");
    QTest::addColumn<int>("allowedRsv");
    QTest::addColumn<QList<qint64>>("limits"); // maxFrameSize, maxMessageSize, maxFragments; empty: defaults
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<QStringList>("rules");
    QTest::addColumn<QList<int>>("codes");
    QTest::addColumn<bool>("stops");
    QTest::addColumn<int>("frames");
    QTest::addColumn<QByteArrayList>("messages"); // payloads of onMessage() calls

    const int client = int(Role::Client); // frames come from a server: unmasked
    const int server = int(Role::Server); // frames come from a client: masked
    const QList<qint64> defaults;
    const QStringList none;
    const QList<int> noCodes;
    const auto rule = [](const char *id) { return QStringList { QString::fromLatin1(id) }; };
    const QByteArray hello = QByteArrayLiteral("Hello");
    const QByteArray text = frame(0x81, hello); // a valid frame to show parsing goes on
    const QByteArrayList noMessage;
    const QByteArrayList helloMessage { hello };

    // Reserved opcodes: the frame is shown, takes no part in any message, parsing goes on.
    for (int op : { 3, 4, 5, 6, 7, 11, 12, 13, 14, 15 })
        QTest::addRow("reserved opcode %d", op)
            << client << 0 << defaults << (frame(quint8(0x80 | op), "x") + text) << rule("reserved-opcode")
            << QList<int> { 1002 } << false << 2 << helloMessage;
    QTest::addRow("reserved opcode 3 masked from client")
        << server << 0 << defaults << mframe(0x83, "x") << rule("reserved-opcode") << QList<int> { 1002 } << false << 1
        << noMessage;

    // RSV bits: the content is intact, so the message is still delivered.
    QTest::addRow("rsv1 on text") << client << 0 << defaults << frame(0xC1, hello) << rule("reserved-bits-set")
                                  << QList<int> { 1002 } << false << 1 << helloMessage;
    QTest::addRow("rsv2 on binary") << client << 0 << defaults << frame(0xA2, hello) << rule("reserved-bits-set")
                                    << QList<int> { 1002 } << false << 1 << helloMessage;
    QTest::addRow("rsv3 on ping") << client << 0 << defaults << frame(0x99, hello) << rule("reserved-bits-set")
                                  << QList<int> { 1002 } << false << 1 << noMessage;
    QTest::addRow("all rsv on continuation")
        << client << 0 << defaults << (frame(0x01, "He") + frame(0xF0, "llo")) << rule("reserved-bits-set")
        << QList<int> { 1002 } << false << 2 << helloMessage;
    QTest::addRow("rsv1 allowed") << client << int(Rsv::Rsv1) << defaults << frame(0xC1, hello) << none << noCodes
                                  << false << 1 << helloMessage;
    QTest::addRow("rsv1 allowed, rsv2 set")
        << client << int(Rsv::Rsv1) << defaults << frame(0xE1, hello) << rule("reserved-bits-set")
        << QList<int> { 1002 } << false << 1 << helloMessage;

    // Control frames.
    QTest::addRow("ping 126 bytes") << client << 0 << defaults << (frame(0x89, QByteArray(126, 'p')) + text)
                                    << rule("control-frame-too-long") << QList<int> { 1002 } << false << 2
                                    << helloMessage;
    QTest::addRow("ping 125 bytes is fine")
        << client << 0 << defaults << frame(0x89, QByteArray(125, 'p')) << none << noCodes << false << 1 << noMessage;
    QTest::addRow("close 126 bytes") << client << 0 << defaults << frame(0x88, hex("03e8") + QByteArray(124, 'r'))
                                     << rule("control-frame-too-long") << QList<int> { 1002 } << false << 1
                                     << noMessage;
    QTest::addRow("pong fin=0") << client << 0 << defaults << (frame(0x0A, hello) + text)
                                << rule("control-frame-fragmented") << QList<int> { 1002 } << false << 2
                                << helloMessage;
    QTest::addRow("ping fin=0 inside a message")
        << client << 0 << defaults << (frame(0x01, "He") + frame(0x09, "") + frame(0x80, "llo"))
        << rule("control-frame-fragmented") << QList<int> { 1002 } << false << 3 << helloMessage;
    QTest::addRow("reserved control opcode 11, 200 bytes, fin=0")
        << client << 0 << defaults << frame(0x0B, QByteArray(200, 'z'))
        << QStringList { QStringLiteral("reserved-opcode"), QStringLiteral("control-frame-too-long"),
               QStringLiteral("control-frame-fragmented") }
        << QList<int> { 1002, 1002, 1002 } << false << 1 << noMessage;

    // Fragmentation.
    QTest::addRow("continuation without start")
        << client << 0 << defaults << (frame(0x80, "lo") + text) << rule("continuation-without-start")
        << QList<int> { 1002 } << false << 2 << helloMessage;
    QTest::addRow("continuation fin=0 without start")
        << client << 0 << defaults << frame(0x00, "lo") << rule("continuation-without-start") << QList<int> { 1002 }
        << false << 1 << noMessage;
    QTest::addRow("text inside fragmented text")
        << client << 0 << defaults << (frame(0x01, "Hel") + frame(0x81, "hi"))
        << rule("data-frame-inside-fragmented-message") << QList<int> { 1002 } << false << 2 << QByteArrayList { "hi" };
    QTest::addRow("binary inside fragmented text, then its continuation")
        << client << 0 << defaults << (frame(0x01, "Hel") + frame(0x02, "ab") + frame(0x80, "cd"))
        << rule("data-frame-inside-fragmented-message") << QList<int> { 1002 } << false << 3
        << QByteArrayList { "abcd" };

    // Length encoding.
    QTest::addRow("5 in 16-bit form") << client << 0 << defaults << (hex("817e0005") + hello)
                                      << rule("non-minimal-length") << QList<int> { 1002 } << false << 1
                                      << helloMessage;
    QTest::addRow("125 in 16-bit form") << client << 0 << defaults << (hex("827e007d") + QByteArray(125, 'b'))
                                        << rule("non-minimal-length") << QList<int> { 1002 } << false << 1
                                        << QByteArrayList { QByteArray(125, 'b') };
    QTest::addRow("126 in 16-bit form is fine")
        << client << 0 << defaults << (hex("827e007e") + QByteArray(126, 'b')) << none << noCodes << false << 1
        << QByteArrayList { QByteArray(126, 'b') };
    QTest::addRow("5 in 64-bit form") << client << 0 << defaults << (hex("817f0000000000000005") + hello)
                                      << rule("non-minimal-length") << QList<int> { 1002 } << false << 1
                                      << helloMessage;
    QTest::addRow("65535 in 64-bit form")
        << client << 0 << defaults << (hex("827f000000000000ffff") + QByteArray(65535, 'b'))
        << rule("non-minimal-length") << QList<int> { 1002 } << false << 1 << QByteArrayList { QByteArray(65535, 'b') };
    QTest::addRow("65536 in 64-bit form is fine")
        << client << 0 << defaults << (hex("827f0000000000010000") + QByteArray(65536, 'b')) << none << noCodes << false
        << 1 << QByteArrayList { QByteArray(65536, 'b') };
    QTest::addRow("64-bit length with top bit set")
        << client << 0 << defaults << (hex("827f8000000000000005") + hello + text) << rule("length-top-bit-set")
        << QList<int> { 1002 } << true << 0 << noMessage;
    QTest::addRow("64-bit length all ones, masked")
        << server << 0 << defaults << (hex("82ffffffffffffffffff37fa213d") + hello) << rule("length-top-bit-set")
        << QList<int> { 1002 } << true << 0 << noMessage;

    // Masking direction.
    QTest::addRow("masked frame from server")
        << client << 0 << defaults << (mframe(0x81, hello) + text) << rule("masked-frame-from-server")
        << QList<int> { 1002 } << false << 2 << QByteArrayList { hello, hello };
    QTest::addRow("unmasked frame from client")
        << server << 0 << defaults << (frame(0x81, hello) + mframe(0x81, hello)) << rule("unmasked-frame-from-client")
        << QList<int> { 1002 } << false << 2 << QByteArrayList { hello, hello };
    QTest::addRow("unmasked close from client")
        << server << 0 << defaults << frame(0x88, hex("03e8")) << rule("unmasked-frame-from-client")
        << QList<int> { 1002 } << false << 1 << noMessage;

    // UTF-8 in text messages.
    QTest::addRow("overlong slash C0 AF")
        << client << 0 << defaults << (frame(0x81, hex("c0af")) + text) << rule("invalid-utf8-text")
        << QList<int> { 1007 } << false << 2 << helloMessage;
    QTest::addRow("overlong E0 80 AF") << client << 0 << defaults << frame(0x81, hex("e080af"))
                                       << rule("invalid-utf8-text") << QList<int> { 1007 } << false << 1 << noMessage;
    QTest::addRow("surrogate ED A0 80") << client << 0 << defaults << frame(0x81, hex("41eda080"))
                                        << rule("invalid-utf8-text") << QList<int> { 1007 } << false << 1 << noMessage;
    QTest::addRow("above U+10FFFF F4 90 80 80, masked")
        << server << 0 << defaults << mframe(0x81, hex("f4908080")) << rule("invalid-utf8-text") << QList<int> { 1007 }
        << false << 1 << noMessage;
    QTest::addRow("lone continuation 80")
        << client << 0 << defaults << frame(0x81, hex("80")) << rule("invalid-utf8-text") << QList<int> { 1007 }
        << false << 1 << noMessage;
    QTest::addRow("truncated at end of message")
        << client << 0 << defaults << frame(0x81, hex("41e282")) << rule("invalid-utf8-text") << QList<int> { 1007 }
        << false << 1 << noMessage;
    QTest::addRow("truncated at end of fragmented message")
        << client << 0 << defaults << (frame(0x01, hex("41")) + frame(0x80, hex("e282"))) << rule("invalid-utf8-text")
        << QList<int> { 1007 } << false << 2 << noMessage;
    QTest::addRow("invalid across fragment boundary, reported once")
        << client << 0 << defaults << (frame(0x01, hex("c3")) + frame(0x00, hex("41")) + frame(0x80, hex("ff")) + text)
        << rule("invalid-utf8-text") << QList<int> { 1007 } << false << 4 << helloMessage;
    QTest::addRow("invalid UTF-8 in binary is fine") << client << 0 << defaults << frame(0x82, hex("c0afff")) << none
                                                     << noCodes << false << 1 << QByteArrayList { hex("c0afff") };
    QTest::addRow("invalid UTF-8 in ping is fine")
        << client << 0 << defaults << frame(0x89, hex("c0afff")) << none << noCodes << false << 1 << noMessage;
    QTest::addRow("valid 4-byte split across fragments")
        << client << 0 << defaults << (frame(0x01, hex("f09f")) + frame(0x80, hex("9880"))) << none << noCodes << false
        << 2 << QByteArrayList { hex("f09f9880") };

    // Close frames.
    QTest::addRow("close 1-byte payload")
        << client << 0 << defaults << frame(0x88, hex("03")) << rule("close-payload-one-byte") << QList<int> { 1002 }
        << false << 1 << noMessage;
    QTest::addRow("close empty is fine") << client << 0 << defaults << frame(0x88, QByteArray()) << none << noCodes
                                         << false << 1 << noMessage;
    for (int code : { 0, 999, 1004, 1005, 1006, 1015, 1016, 2000, 2999, 5000, 65535 }) {
        const QByteArray payload = closeCode(code);
        QTest::addRow("close code %d", code)
            << client << 0 << defaults << (frame(0x88, payload) + text) << rule("invalid-close-code")
            << QList<int> { 1002 } << false << 2 << helloMessage;
    }
    for (int code :
        { 1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 1012, 1013, 1014, 3000, 3999, 4000, 4999 }) {
        const QByteArray payload = closeCode(code) + "fine";
        QTest::addRow("close code %d is valid", code)
            << client << 0 << defaults << frame(0x88, payload) << none << noCodes << false << 1 << noMessage;
    }
    QTest::addRow("close reason invalid UTF-8")
        << client << 0 << defaults << frame(0x88, hex("03e8c0af")) << rule("close-reason-invalid-utf8")
        << QList<int> { 1007 } << false << 1 << noMessage;
    QTest::addRow("close reason truncated UTF-8")
        << client << 0 << defaults << frame(0x88, hex("03e841e282")) << rule("close-reason-invalid-utf8")
        << QList<int> { 1007 } << false << 1 << noMessage;
    QTest::addRow("close code 1005 and invalid reason")
        << client << 0 << defaults << frame(0x88, hex("03edff"))
        << QStringList { QStringLiteral("invalid-close-code"), QStringLiteral("close-reason-invalid-utf8") }
        << QList<int> { 1002, 1007 } << false << 1 << noMessage;

    // Limits.
    QTest::addRow("frame over limit") << client << 0 << QList<qint64> { 10, 100, 100 }
                                      << (frame(0x82, QByteArray(11, 'b')) + text) << rule("frame-too-big")
                                      << QList<int> { 1009 } << true << 0 << noMessage;
    QTest::addRow("frame at limit") << client << 0 << QList<qint64> { 11, 100, 100 } << frame(0x82, QByteArray(11, 'b'))
                                    << none << noCodes << false << 1 << QByteArrayList { QByteArray(11, 'b') };
    QTest::addRow("ping over frame limit") << client << 0 << QList<qint64> { 4, 100, 100 } << frame(0x89, hello)
                                           << rule("frame-too-big") << QList<int> { 1009 } << true << 0 << noMessage;
    QTest::addRow("2^40 declared, default limits")
        << client << 0 << defaults << (hex("827f0000010000000000") + QByteArray(100, 'b')) << rule("frame-too-big")
        << QList<int> { 1009 } << true << 0 << noMessage;
    QTest::addRow("single frame over message limit")
        << client << 0 << QList<qint64> { 100, 5, 100 } << (frame(0x81, "abcdef") + text) << rule("message-too-big")
        << QList<int> { 1009 } << false << 2 << helloMessage;
    QTest::addRow("fragments over message limit")
        << client << 0 << QList<qint64> { 100, 5, 100 } << (frame(0x01, "abc") + frame(0x00, "de") + frame(0x80, "f"))
        << rule("message-too-big") << QList<int> { 1009 } << false << 3 << noMessage;
    QTest::addRow("fragments at message limit")
        << client << 0 << QList<qint64> { 100, 5, 100 } << (frame(0x01, "abc") + frame(0x80, "de")) << none << noCodes
        << false << 2 << QByteArrayList { "abcde" };
    QTest::addRow("too many fragments") << client << 0 << QList<qint64> { 100, 100, 2 }
                                        << (frame(0x01, "a") + frame(0x00, "b") + frame(0x80, "c") + text)
                                        << rule("too-many-fragments") << QList<int> { 1009 } << false << 4
                                        << helloMessage;
    QTest::addRow("fragments at limit") << client << 0 << QList<qint64> { 100, 100, 2 }
                                        << (frame(0x01, "a") + frame(0x80, "b")) << none << noCodes << false << 2
                                        << QByteArrayList { "ab" };

    // Several rules broken by one frame are all reported, in a fixed order.
    QTest::addRow("masked fragmented oversized ping with rsv1 from server")
        << client << 0 << defaults << mframe(0x49, QByteArray(126, 'p'))
        << QStringList { QStringLiteral("masked-frame-from-server"), QStringLiteral("reserved-bits-set"),
               QStringLiteral("control-frame-too-long"), QStringLiteral("control-frame-fragmented") }
        << QList<int> { 1002, 1002, 1002, 1002 } << false << 1 << noMessage;
    QTest::addRow("non-minimal continuation without start")
        << client << 0 << defaults << (hex("807e0002") + "lo")
        << QStringList { QStringLiteral("non-minimal-length"), QStringLiteral("continuation-without-start") }
        << QList<int> { 1002, 1002 } << false << 1 << noMessage;
    QTest::addRow("unmasked oversized text from client")
        << server << 0 << QList<qint64> { 3, 100, 100 } << frame(0x81, hello)
        << QStringList { QStringLiteral("unmasked-frame-from-client"), QStringLiteral("frame-too-big") }
        << QList<int> { 1002, 1009 } << true << 0 << noMessage;
}

void tst_FrameParser::violations()
{
    QFETCH(int, role);
    QFETCH(int, allowedRsv);
    QFETCH(QList<qint64>, limits);
    QFETCH(QByteArray, input);
    QFETCH(QStringList, rules);
    QFETCH(QList<int>, codes);
    QFETCH(bool, stops);
    QFETCH(int, frames);
    QFETCH(QByteArrayList, messages);

    Setup setup;
    setup.role = Role(role);
    setup.allowedRsv = quint8(allowedRsv);
    setup.keepMasked = true;
    if (!limits.isEmpty()) {
        setup.limits.maxFrameSize = quint64(limits[0]);
        setup.limits.maxMessageSize = quint64(limits[1]);
        setup.limits.maxFragments = int(limits[2]);
    }
    Recorder recorder;
    const Outcome outcome = runAllSplits(setup, input, &recorder);
    QVERIFY2(!outcome.events.isEmpty(), "splits disagree (see warnings)");

    QCOMPARE(recorder.ruleIds(), rules);
    QCOMPARE(recorder.closeCodes(), codes);
    QCOMPARE(outcome.stopped, stops);
    QCOMPARE(recorder.frames.size(), frames);
    QByteArrayList delivered;
    for (const RecordedMessage &m : recorder.messages)
        delivered << m.payload;
    QCOMPARE(delivered, messages);
    if (stops)
        QCOMPARE(outcome.pending, 0); // a stopped parser holds nothing

    static const QStringList stopping { QStringLiteral("length-top-bit-set"), QStringLiteral("frame-too-big") };
    for (const RecordedViolation &v : recorder.violations) {
        QVERIFY2(!v.description.isEmpty(), qPrintable(v.rule));
        // Every frame violation names the offending frame by its exact header.
        FrameHeader h;
        QVERIFY2(FrameHeader::decode(v.headerBytes, h), qPrintable(v.rule));
        QCOMPARE(v.headerBytes.size(), int(h.headerSize));
        QVERIFY2(input.contains(v.headerBytes), qPrintable(v.rule));
        // A handler answering a stopping violation can already see that parsing stopped.
        QCOMPARE(v.stoppedDuringCallback, stopping.contains(v.rule));
    }
}

void tst_FrameParser::descriptions_data()
{
    QTest::addColumn<int>("role");
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<QString>("description");

    const int client = int(Role::Client);
    QTest::addRow("ping too long") << client << frame(0x89, QByteArray(126, 'p'))
                                   << QStringLiteral(
                                          "ping frame with 126-byte payload; control frames carry at most 125");
    QTest::addRow("reserved opcode") << client << frame(0x83, "")
                                     << QStringLiteral(
                                            "opcode 3 is reserved (non-control frame); no extension defines it");
    QTest::addRow("reserved control opcode")
        << client << frame(0x8B, "")
        << QStringLiteral("opcode 11 is reserved (control frame); no extension defines it");
    QTest::addRow("rsv1 rsv3") << client << frame(0xD1, "")
                               << QStringLiteral(
                                      "RSV1 and RSV3 set on a text frame without a negotiated extension that "
                                      "defines them");
    QTest::addRow("rsv2") << client << frame(0xA2, "")
                          << QStringLiteral(
                                 "RSV2 set on a binary frame without a negotiated extension that defines it");
    QTest::addRow("fragmented pong") << client << frame(0x0A, "")
                                     << QStringLiteral("pong frame with FIN=0; control frames must not be fragmented");
    QTest::addRow("non-minimal 16") << client << (hex("817e0005") + "Hello")
                                    << QStringLiteral("payload length 5 written in the 16-bit form; lengths up to 125 "
                                                      "must use the 7-bit field");
    QTest::addRow("non-minimal 64") << client << (hex("817f000000000000012c") + QByteArray(300, 'a'))
                                    << QStringLiteral("payload length 300 written in the 64-bit form; lengths up to "
                                                      "65535 must use a shorter form");
    QTest::addRow("top bit") << client << hex("827f8000000000000000")
                             << QStringLiteral("64-bit payload length 0x8000000000000000 has its most significant bit "
                                               "set; the frame's end cannot be found, parsing stops");
    QTest::addRow("masked from server") << client << mframe(0x81, "Hello")
                                        << QStringLiteral("text frame from the server is masked (key 37fa213d); "
                                                          "servers must not mask frames");
    QTest::addRow("unmasked from client") << int(Role::Server) << frame(0x82, "")
                                          << QStringLiteral("binary frame from the client is not masked; clients must "
                                                            "mask every frame");
    QTest::addRow("orphan continuation") << client << frame(0x80, "")
                                         << QStringLiteral("continuation frame with no fragmented message in progress");
    QTest::addRow("data inside message") << client << (frame(0x02, "a") + frame(0x00, "b") + frame(0x81, "c"))
                                         << QStringLiteral("text frame while a fragmented binary message is unfinished "
                                                           "(2 fragments so far); only continuation and control "
                                                           "frames may come before its final fragment");
    QTest::addRow("utf8 F4 90") << client << frame(0x81, hex("cebae1bdb9cf83cebcceb5f4908080"))
                                << QStringLiteral("text message is not valid UTF-8: byte 0x90 at offset 12 cannot "
                                                  "appear there");
    QTest::addRow("utf8 offset counts the whole message")
        << client << (frame(0x01, "abc") + frame(0x80, hex("41ff")))
        << QStringLiteral("text message is not valid UTF-8: byte 0xff at offset 4 cannot appear there");
    QTest::addRow("utf8 truncated") << client << frame(0x81, hex("41e282"))
                                    << QStringLiteral("text message of 3 bytes ends inside a UTF-8 sequence");
    QTest::addRow("close one byte") << client << frame(0x88, hex("03"))
                                    << QStringLiteral("close frame with a 1-byte payload; a close payload is empty or "
                                                      "starts with a 2-byte status code");
    QTest::addRow("close 1005") << client << frame(0x88, hex("03ed"))
                                << QStringLiteral("close code 1005 No Status Received must never be sent in a close "
                                                  "frame: it is reserved for APIs to report locally");
    QTest::addRow("close 999") << client << frame(0x88, hex("03e7"))
                               << QStringLiteral("close code 999 Unused is not valid on the wire (valid: 1000-1003, "
                                                 "1007-1014, 3000-4999)");
    QTest::addRow("close reason") << client << frame(0x88, hex("03e8414243ff"))
                                  << QStringLiteral("close reason is not valid UTF-8: byte 0xff at offset 3 cannot "
                                                    "appear there");
    QTest::addRow("frame too big") << client << hex("827f0000010000000000")
                                   << QStringLiteral("binary frame declares a 1099511627776-byte payload; the frame "
                                                     "size limit is 67108864 bytes, parsing stops");
}

void tst_FrameParser::descriptions()
{
    QFETCH(int, role);
    QFETCH(QByteArray, input);
    Setup setup;
    setup.role = Role(role);
    Recorder recorder;
    QVERIFY(!runAllSplits(setup, input, &recorder).events.isEmpty());
    QCOMPARE(recorder.violations.size(), 1);
    QTEST(recorder.violations[0].description, "description");
}

void tst_FrameParser::callbackOrder()
{
    Setup setup;
    Recorder recorder;
    // violation -> frame -> message; message only after the frame that completes it.
    const Outcome outcome = runAllSplits(setup, frame(0xC1, "a") + frame(0x01, "b") + frame(0x80, "c"), &recorder);
    QCOMPARE(outcome.events.size(), 6);
    QVERIFY(outcome.events[0].startsWith(QStringLiteral("violation reserved-bits-set code=1002 h=c101 stopped=0")));
    QVERIFY(outcome.events[1].startsWith(QStringLiteral("frame h=c101 ")));
    QCOMPARE(outcome.events[2], QStringLiteral("message op=1 fragments=1 p=61"));
    QVERIFY(outcome.events[3].startsWith(QStringLiteral("frame h=0101 ")));
    QVERIFY(outcome.events[4].startsWith(QStringLiteral("frame h=8001 ")));
    QCOMPARE(outcome.events[5], QStringLiteral("message op=1 fragments=2 p=6263"));
}

void tst_FrameParser::fragmentIndexWithInterleavedControl()
{
    Setup setup;
    Recorder recorder;
    const QByteArray input = frame(0x02, "A") + frame(0x00, "B") + frame(0x89, "ping") + frame(0x00, "C")
        + frame(0x8A, "") + frame(0x80, "D");
    // Checked while the message is open, too.
    {
        Recorder r;
        FrameParser parser(Role::Client, &r);
        parser.feed(frame(0x02, "A") + frame(0x89, "p"));
        QVERIFY(parser.inFragmentedMessage());
        parser.feed(frame(0x80, "D"));
        QVERIFY(!parser.inFragmentedMessage());
    }
    const Outcome outcome = runAllSplits(setup, input, &recorder);
    QVERIFY(!outcome.events.isEmpty());
    QCOMPARE(recorder.violations.size(), 0);
    QCOMPARE(recorder.frames.size(), 6);
    const int expectedIndex[] = { 0, 1, 0, 2, 0, 3 };
    for (int i = 0; i < 6; ++i)
        QCOMPARE(recorder.frames[i].fragmentIndex, expectedIndex[i]);
    QCOMPARE(recorder.messages.size(), 1);
    QCOMPARE(recorder.messages[0].opcode, 2);
    QCOMPARE(recorder.messages[0].payload, QByteArrayLiteral("ABCD"));
    QCOMPARE(recorder.messages[0].fragments, 4);
}

// The interrupted message is abandoned (never delivered); the interrupting frame starts the next one,
// and the continuations that follow belong to it.
void tst_FrameParser::dataFrameInsideMessageStartsANewOne()
{
    Setup setup;
    Recorder recorder;
    const QByteArray input = frame(0x01, "Hel") + frame(0x00, "l") + frame(0x02, "ab") + frame(0x80, "cd");
    QVERIFY(!runAllSplits(setup, input, &recorder).events.isEmpty());
    QCOMPARE(recorder.ruleIds(), QStringList { QStringLiteral("data-frame-inside-fragmented-message") });
    QCOMPARE(recorder.violations[0].headerBytes, hex("0202"));
    QCOMPARE(recorder.frames.size(), 4);
    const int expectedIndex[] = { 0, 1, 0, 1 };
    for (int i = 0; i < 4; ++i)
        QCOMPARE(recorder.frames[i].fragmentIndex, expectedIndex[i]);
    QCOMPARE(recorder.messages.size(), 1);
    QCOMPARE(recorder.messages[0].opcode, int(Opcode::Binary));
    QCOMPARE(recorder.messages[0].payload, QByteArrayLiteral("abcd"));
    QCOMPARE(recorder.messages[0].fragments, 2);
}

void tst_FrameParser::fragmentsPastTheLimit_data()
{
    QTest::addColumn<int>("role");
    QTest::addColumn<int>("maxFragments");
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<QList<int>>("indexes"); // fragmentIndex of every frame, in order
    QTest::addColumn<QStringList>("rules");
    QTest::addColumn<QByteArrayList>("messages");
    QTest::addColumn<QList<int>>("fragments"); // of each message
    QTest::addColumn<QString>("lastDescription"); // part of the last violation's text; empty: not checked

    const int client = int(Role::Client);
    const QString tooMany = QStringLiteral("too-many-fragments");
    const QByteArray hello = QByteArrayLiteral("Hello");
    auto repeat = [](const QByteArray &bytes, int times) {
        QByteArray out;
        for (int i = 0; i < times; ++i)
            out += bytes;
        return out;
    };

    // A hostile server's flood of empty continuations (01 00, then 00 00 forever) in miniature: the
    // count must stop at the limit, or 2^31 of them overflow it.
    QTest::addRow("empty continuations past a limit of 2")
        << client << 2 << (hex("0100") + repeat(hex("0000"), 6) + hex("8000") + frame(0x81, hello))
        << QList<int> { 0, 1, 2, 2, 2, 2, 2, 2, 0 } << QStringList { tooMany } << QByteArrayList { hello }
        << QList<int> { 1 } << QStringLiteral("text message has more than 2 fragments");
    QTest::addRow("limit 1: every continuation is past it")
        << client << 1 << (hex("0100") + repeat(hex("0000"), 3) + hex("8000") + frame(0x81, hello))
        << QList<int> { 0, 1, 1, 1, 1, 0 } << QStringList { tooMany } << QByteArrayList { hello } << QList<int> { 1 }
        << QString();
    // After the dropped message, the next one is counted from the start again.
    QTest::addRow("masked, limit 3, then a message within it")
        << int(Role::Server) << 3
        << (mframe(0x02, "a") + repeat(mframe(0x00, "b"), 5) + mframe(0x80, "c") + mframe(0x01, "He")
               + mframe(0x80, "llo"))
        << QList<int> { 0, 1, 2, 3, 3, 3, 3, 0, 1 } << QStringList { tooMany } << QByteArrayList { hello }
        << QList<int> { 2 } << QString();
    QTest::addRow("data frame interrupts the flooded message")
        << client << 2 << (hex("0100") + repeat(hex("0000"), 5) + frame(0x81, hello))
        << QList<int> { 0, 1, 2, 2, 2, 2, 0 }
        << QStringList { tooMany, QStringLiteral("data-frame-inside-fragmented-message") } << QByteArrayList { hello }
        << QList<int> { 1 } << QStringLiteral("(more than 2 fragments so far)");
    QTest::addRow("limit INT_MAX counts as usual")
        << client << std::numeric_limits<int>::max()
        << (frame(0x01, "a") + frame(0x00, "b") + frame(0x00, "c") + frame(0x80, "d")) << QList<int> { 0, 1, 2, 3 }
        << QStringList() << QByteArrayList { "abcd" } << QList<int> { 4 } << QString();
}

// Past maxFragments the message is dropped but its frames are still shown; their index stays at the
// limit, the violation is reported once, and parsing goes on.
void tst_FrameParser::fragmentsPastTheLimit()
{
    QFETCH(int, role);
    QFETCH(int, maxFragments);
    QFETCH(QByteArray, input);
    QFETCH(QList<int>, indexes);
    QFETCH(QByteArrayList, messages);
    QFETCH(QList<int>, fragments);
    QFETCH(QString, lastDescription);

    Setup setup;
    setup.role = Role(role);
    setup.limits.maxFragments = maxFragments;
    Recorder recorder;
    const Outcome outcome = runAllSplits(setup, input, &recorder);
    QVERIFY2(!outcome.events.isEmpty(), "splits disagree (see warnings)");
    QVERIFY(!outcome.stopped);
    QCOMPARE(outcome.pending, 0);
    QVERIFY(!outcome.inFragmented);

    QList<int> seen;
    for (const RecordedFrame &f : std::as_const(recorder.frames))
        seen << f.fragmentIndex;
    QCOMPARE(seen, indexes);
    QTEST(recorder.ruleIds(), "rules");
    QByteArrayList payloads;
    QList<int> counts;
    for (const RecordedMessage &m : std::as_const(recorder.messages)) {
        payloads << m.payload;
        counts << m.fragments;
    }
    QCOMPARE(payloads, messages);
    QCOMPARE(counts, fragments);
    if (!lastDescription.isEmpty())
        QVERIFY2(recorder.violations.last().description.contains(lastDescription),
            qPrintable(recorder.violations.last().description));
}

void tst_FrameParser::failFastInsideIncompleteFrame_data()
{
    QTest::addColumn<int>("role");
    QTest::addColumn<QByteArray>("payload");
    QTest::addColumn<int>("badOffset"); // payload offset of the first impossible byte

    // κόσμε then F4 90 80 80 (above U+10FFFF): impossible as soon as the 90 arrives.
    const QByteArray kosme = hex("cebae1bdb9cf83cebcceb5f4908080") + QByteArray(40, 'x');
    QTest::addRow("kosme F4 90, unmasked") << int(Role::Client) << kosme << 12;
    QTest::addRow("kosme F4 90, masked") << int(Role::Server) << kosme << 12;
    QTest::addRow("C0 first, 16-bit frame") << int(Role::Client) << (hex("c0af") + QByteArray(300, 'y')) << 0;
    QTest::addRow("surrogate deep in a 64 KiB frame, masked")
        << int(Role::Server) << (QByteArray(70000, 'z').replace(50000, 3, hex("eda080"))) << 50001;
}

// The violation must be reported once the bytes up to the bad one have arrived, while most of the
// frame is still missing, and not before.
void tst_FrameParser::failFastInsideIncompleteFrame()
{
    QFETCH(int, role);
    QFETCH(QByteArray, payload);
    QFETCH(int, badOffset);

    const bool mask = Role(role) == Role::Server;
    const QByteArray input = mask ? mframe(0x81, payload) : frame(0x81, payload);
    const int headerSize = FrameHeader::sizeFromFirstTwoBytes(input);
    const int prefix = headerSize + badOffset; // everything before the bad byte

    for (int step : { 1, 3, prefix }) {
        Recorder recorder;
        FrameParser parser(Role(role), &recorder);
        recorder.parser = &parser;
        int fed = 0;
        while (fed < prefix) {
            const int n = qMin(step, prefix - fed);
            parser.feed(input.sliced(fed, n));
            fed += n;
        }
        QCOMPARE(recorder.violations.size(), 0);
        parser.feed(input.sliced(fed, 1));
        ++fed;
        QCOMPARE(recorder.violations.size(), 1);
        QCOMPARE(recorder.violations[0].rule, QStringLiteral("invalid-utf8-text"));
        QCOMPARE(recorder.violations[0].closeCode, 1007);
        QCOMPARE(recorder.violations[0].headerBytes, input.first(headerSize));
        QVERIFY(recorder.violations[0].description.contains(QStringLiteral(" at offset %1 ").arg(badOffset)));
        QCOMPARE(recorder.frames.size(), 0); // the frame is still incomplete
        QCOMPARE(parser.pendingBytes(), qsizetype(fed));
        QVERIFY(!parser.isStopped());
        QVERIFY(parser.insideFramePayload()); // what comes next is the rest of this frame

        // The rest: the frame is still shown, no message, no second report.
        parser.feed(input.sliced(fed));
        QCOMPARE(recorder.violations.size(), 1);
        QCOMPARE(recorder.frames.size(), 1);
        QCOMPARE(recorder.frames[0].payload, payload);
        QCOMPARE(recorder.messages.size(), 0);
        QCOMPARE(parser.pendingBytes(), 0);
        QVERIFY(!parser.insideFramePayload());

        // Parsing goes on with the next message.
        parser.feed(mask ? mframe(0x81, "ok") : frame(0x81, "ok"));
        QCOMPARE(recorder.messages.size(), 1);
        QCOMPARE(recorder.messages[0].payload, QByteArrayLiteral("ok"));
    }
}

void tst_FrameParser::failFastAcrossFragmentBoundary()
{
    Recorder recorder;
    FrameParser parser(Role::Client, &recorder);
    // First fragment ends inside a 3-byte sequence (E2 82); the next fragment starts with 41, which
    // cannot continue it.
    parser.feed(frame(0x01, hex("61e282")));
    QCOMPARE(recorder.violations.size(), 0);
    QCOMPARE(recorder.frames.size(), 1);
    const QByteArray second = frame(0x80, hex("41") + QByteArray(200, 'b'));
    parser.feed(second.first(4 + 1)); // 16-bit header + the 41
    QCOMPARE(recorder.violations.size(), 1);
    QCOMPARE(recorder.violations[0].rule, QStringLiteral("invalid-utf8-text"));
    QCOMPARE(recorder.violations[0].description,
        QStringLiteral("text message is not valid UTF-8: byte 0x41 at offset 3 cannot appear there"));
    QCOMPARE(recorder.violations[0].headerBytes, second.first(4));
    parser.feed(second.sliced(5));
    QCOMPARE(recorder.frames.size(), 2);
    QCOMPARE(recorder.frames[1].fragmentIndex, 1);
    QCOMPARE(recorder.messages.size(), 0);
    QVERIFY(!parser.inFragmentedMessage());
}

void tst_FrameParser::validCodePointSplitAcrossFragmentsAndFeeds()
{
    // U+1F600 (F0 9F 98 80) split 1+3, 2+2 and 3+1 across two fragments, with a ping between them;
    // each input is also cut at every byte position by runAllSplits.
    const QByteArray emoji = hex("f09f9880");
    for (int cut = 1; cut <= 3; ++cut) {
        const QByteArray input
            = frame(0x01, "a" + emoji.first(cut)) + frame(0x89, "") + frame(0x80, emoji.sliced(cut) + "b");
        Setup setup;
        Recorder recorder;
        QVERIFY(!runAllSplits(setup, input, &recorder).events.isEmpty());
        QCOMPARE(recorder.violations.size(), 0);
        QCOMPARE(recorder.messages.size(), 1);
        QCOMPARE(recorder.messages[0].payload, "a" + emoji + "b");
        QCOMPARE(recorder.messages[0].fragments, 2);

        // Every two-way cut of the whole stream, masked.
        Setup masked;
        masked.role = Role::Server;
        const QByteArray maskedInput
            = mframe(0x01, "a" + emoji.first(cut)) + mframe(0x89, "") + mframe(0x80, emoji.sliced(cut) + "b");
        for (qsizetype at = 0; at <= maskedInput.size(); ++at) {
            Recorder r;
            run(masked, { maskedInput.first(at), maskedInput.sliced(at) }, &r);
            QCOMPARE(r.violations.size(), 0);
            QCOMPARE(r.messages.size(), 1);
            QCOMPARE(r.messages[0].payload, "a" + emoji + "b");
        }
    }
}

void tst_FrameParser::truncatedSequenceAtEndOfMessage()
{
    // E2 82 AC (€) missing its last byte at the end of the final fragment: invalid at FIN, even though
    // every byte so far could continue.
    Recorder recorder;
    FrameParser parser(Role::Client, &recorder);
    parser.feed(frame(0x01, hex("e2")));
    parser.feed(frame(0x80, hex("82")));
    QCOMPARE(recorder.ruleIds(), QStringList { QStringLiteral("invalid-utf8-text") });
    QCOMPARE(recorder.violations[0].headerBytes, hex("8001"));
    QCOMPARE(recorder.frames.size(), 2);
    QCOMPARE(recorder.messages.size(), 0);

    // The same bytes with the last one make a valid message afterwards: state was reset.
    parser.feed(frame(0x01, hex("e2")) + frame(0x80, hex("82ac")));
    QCOMPARE(recorder.violations.size(), 1);
    QCOMPARE(recorder.messages.size(), 1);
    QCOMPARE(recorder.messages[0].payload, hex("e282ac"));
}

void tst_FrameParser::hugeDeclaredLengthDoesNotAllocate()
{
    // 2^40 bytes declared; the parser must answer 1009 from the header alone. Reserving the declared
    // size would abort the test with std::bad_alloc.
    const QByteArray header = hex("827f0000010000000000");
    for (int step : { 1, 4, 10 }) {
        Recorder recorder;
        FrameParser parser(Role::Client, &recorder);
        recorder.parser = &parser;
        qsizetype maxPending = 0;
        for (qsizetype i = 0; i < header.size(); i += step) {
            parser.feed(header.sliced(i, qMin<qsizetype>(step, header.size() - i)));
            maxPending = qMax(maxPending, parser.pendingBytes());
        }
        QVERIFY(maxPending < header.size());
        QCOMPARE(recorder.ruleIds(), QStringList { QStringLiteral("frame-too-big") });
        QCOMPARE(recorder.closeCodes(), QList<int> { 1009 });
        QCOMPARE(recorder.violations[0].headerBytes, header);
        QVERIFY(recorder.violations[0].stoppedDuringCallback);
        QVERIFY(parser.isStopped());
        for (int i = 0; i < 10; ++i)
            parser.feed(QByteArray(4096, 'b'));
        QCOMPARE(parser.pendingBytes(), 0);
        QCOMPARE(recorder.frames.size(), 0);
        QCOMPARE(recorder.violations.size(), 1);
    }
}

void tst_FrameParser::largeAllowedFrameBuffersOnlyWhatArrived()
{
    // Limits raised past 2^40: the frame is accepted, and the buffer holds exactly what arrived.
    Recorder recorder;
    FrameParser parser(Role::Server, &recorder);
    FrameParser::Limits limits;
    limits.maxFrameSize = quint64(1) << 41;
    limits.maxMessageSize = quint64(1) << 41;
    parser.setLimits(limits);
    const QByteArray header = hex("82ff000001000000000037fa213d");
    parser.feed(header);
    QCOMPARE(parser.pendingBytes(), header.size());
    const QByteArray chunk(65536, 'c');
    for (int i = 1; i <= 16; ++i) {
        parser.feed(chunk);
        QCOMPARE(parser.pendingBytes(), header.size() + i * chunk.size());
    }
    QCOMPARE(recorder.violations.size(), 0);
    QCOMPARE(recorder.frames.size(), 0);
    QVERIFY(!parser.isStopped());
    parser.reset();
    QCOMPARE(parser.pendingBytes(), 0);
}

void tst_FrameParser::stoppedParserIgnoresInputUntilReset()
{
    Recorder recorder;
    FrameParser parser(Role::Client, &recorder);
    parser.feed(hex("817f") + hex("ffffffffffffffff") + frame(0x81, "lost"));
    QVERIFY(parser.isStopped());
    QCOMPARE(recorder.ruleIds(), QStringList { QStringLiteral("length-top-bit-set") });
    parser.feed(frame(0x81, "still lost"));
    QCOMPARE(recorder.events.size(), 1);
    QCOMPARE(parser.pendingBytes(), 0);

    parser.reset();
    QVERIFY(!parser.isStopped());
    parser.feed(frame(0x81, "back"));
    QCOMPARE(recorder.messages.size(), 1);
    QCOMPARE(recorder.messages[0].payload, QByteArrayLiteral("back"));

    // reset() also forgets a half-received frame and an unfinished message.
    parser.feed(frame(0x01, "par") + frame(0x80, "tial").first(3));
    QVERIFY(parser.inFragmentedMessage());
    QCOMPARE(parser.pendingBytes(), 3);
    parser.reset();
    QVERIFY(!parser.inFragmentedMessage());
    QCOMPARE(parser.pendingBytes(), 0);
    parser.feed(frame(0x80, "x"));
    QCOMPARE(recorder.violations.last().rule, QStringLiteral("continuation-without-start"));
}

void tst_FrameParser::keepMaskedPayload_data()
{
    QTest::addColumn<bool>("keep");
    QTest::addColumn<int>("role");
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<QByteArray>("maskedPayload");
    QTest::addRow("masked, kept") << true << int(Role::Server) << hex("818537fa213d7f9f4d5158") << hex("7f9f4d5158");
    QTest::addRow("masked, not kept") << false << int(Role::Server) << hex("818537fa213d7f9f4d5158") << QByteArray();
    QTest::addRow("unmasked, kept") << true << int(Role::Client) << hex("810548656c6c6f") << QByteArray();
    QTest::addRow("masked from server, kept")
        << true << int(Role::Client) << hex("818537fa213d7f9f4d5158") << hex("7f9f4d5158");
}

void tst_FrameParser::keepMaskedPayload()
{
    QFETCH(bool, keep);
    QFETCH(int, role);
    QFETCH(QByteArray, input);
    Setup setup;
    setup.role = Role(role);
    setup.keepMasked = keep;
    Recorder recorder;
    QVERIFY(!runAllSplits(setup, input, &recorder).events.isEmpty());
    QCOMPARE(recorder.frames.size(), 1);
    QCOMPARE(recorder.frames[0].payload, QByteArrayLiteral("Hello"));
    QTEST(recorder.frames[0].maskedPayload, "maskedPayload");
}

void tst_FrameParser::rsvAllowedByExtensionSkipsUtf8Check()
{
    // With permessage-deflate the payload of an RSV1 text message is compressed: only the decoder can
    // check its UTF-8, so the parser neither reports it nor withholds the message.
    Setup setup;
    setup.allowedRsv = Rsv::Rsv1;
    Recorder recorder;
    const QByteArray deflated = hex("f248cdc9c90700");
    QVERIFY(!runAllSplits(setup, frame(0x41, deflated.first(3)) + frame(0x80, deflated.sliced(3)), &recorder)
                 .events.isEmpty());
    QCOMPARE(recorder.violations.size(), 0);
    QCOMPARE(recorder.messages.size(), 1);
    QCOMPARE(recorder.messages[0].payload, deflated);
    QCOMPARE(recorder.frames[0].header.rsv, quint8(Rsv::Rsv1));
}

// RFC 7692 §7.2.3's examples as frames, with the parser inflating: every split of the input gives
// the same inflated messages, and the frames keep their wire bytes.
void tst_FrameParser::compressedMessages_data()
{
    QTest::addColumn<bool>("noContextTakeover");
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<QList<QByteArray>>("messages");
    QTest::addColumn<QList<int>>("fragments");
    const QByteArray hello = hex("f248cdc9c90700");
    const QByteArray helloAgain = hex("f200110000"); // §7.2.3.2: refers back into the first message
    using Bytes = QList<QByteArray>;
    QTest::addRow("one frame") << false << frame(0xc1, hello) << Bytes { "Hello" } << QList<int> { 1 };
    QTest::addRow("fragmented, RSV1 on the first frame only")
        << false << frame(0x41, hello.first(3)) + frame(0x80, hello.sliced(3)) << Bytes { "Hello" } << QList<int> { 2 };
    QTest::addRow("ping between the fragments")
        << false << frame(0x41, hello.first(3)) + frame(0x89, "p") + frame(0x80, hello.sliced(3)) << Bytes { "Hello" }
        << QList<int> { 2 };
    QTest::addRow("context takeover") << false << frame(0xc1, hello) + frame(0xc1, helloAgain)
                                      << Bytes { "Hello", "Hello" } << QList<int> { 1, 1 };
    QTest::addRow("BFINAL block") << false << frame(0xc1, hex("f348cdc9c9070000")) << Bytes { "Hello" }
                                  << QList<int> { 1 };
    QTest::addRow("stored block") << false << frame(0xc1, hex("000500faff48656c6c6f00")) << Bytes { "Hello" }
                                  << QList<int> { 1 };
    QTest::addRow("empty compressed message") << false << frame(0xc2, hex("00")) << Bytes { "" } << QList<int> { 1 };
    QTest::addRow("uncompressed message between compressed ones")
        << true << frame(0xc1, hello) + frame(0x81, "plain") + frame(0xc1, hello) << Bytes { "Hello", "plain", "Hello" }
        << QList<int> { 1, 1, 1 };
}

void tst_FrameParser::compressedMessages()
{
    QFETCH(bool, noContextTakeover);
    QFETCH(QByteArray, input);
    QFETCH(QList<QByteArray>, messages);
    QFETCH(QList<int>, fragments);
    Setup setup;
    setup.deflate = true;
    setup.peerNoContextTakeover = noContextTakeover;
    Recorder recorder;
    const Outcome outcome = runAllSplits(setup, input, &recorder);
    QVERIFY(!outcome.events.isEmpty());
    QCOMPARE(recorder.ruleIds(), QStringList());
    QCOMPARE(recorder.messages.size(), messages.size());
    for (qsizetype i = 0; i < messages.size(); ++i) {
        QCOMPARE(recorder.messages[i].payload, messages[i]);
        QCOMPARE(recorder.messages[i].fragments, fragments[i]);
    }
    // The final frame of each compressed message carries it inflated; the wire bytes stay as sent.
    QByteArray wire;
    for (const RecordedFrame &f : recorder.frames) {
        wire += f.headerBytes + f.payload;
        if (f.compressed && f.header.fin)
            QVERIFY(f.inflated.has_value());
        else
            QVERIFY(!f.inflated.has_value());
    }
    QCOMPARE(wire, input);
}

void tst_FrameParser::compressedViolations_data()
{
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<QStringList>("rules");
    QTest::addColumn<QList<int>>("codes");
    QTest::addColumn<int>("messages");
    QTest::addColumn<QString>("firstDescription");
    const QByteArray hello = hex("f248cdc9c90700");
    QTest::addRow("RSV1 on a ping") << frame(0xc9, "p") << QStringList { QStringLiteral("compressed-control-frame") }
                                    << QList<int> { 1002 } << 0
                                    << QStringLiteral("RSV1 set on a ping frame; permessage-deflate compresses data "
                                                      "messages only, never control frames");
    QTest::addRow("RSV1 on a close") << frame(0xc8, closeCode(1000))
                                     << QStringList { QStringLiteral("compressed-control-frame") } << QList<int> { 1002 }
                                     << 0 << QString();
    QTest::addRow("RSV1 on a continuation")
        << frame(0x41, hello.first(3)) + frame(0xc0, hello.sliced(3))
        << QStringList { QStringLiteral("compressed-continuation") } << QList<int> { 1002 } << 1
        << QStringLiteral("RSV1 set on a continuation frame; permessage-deflate marks a compressed message on its "
                          "first frame only");
    QTest::addRow("RSV2 is still reserved") << frame(0xe1, hello) << QStringList { QStringLiteral("reserved-bits-set") }
                                            << QList<int> { 1002 } << 1 << QString();
    QTest::addRow("reserved block type")
        << frame(0xc1, hex("ff00")) << QStringList { QStringLiteral("invalid-compressed-data") } << QList<int> { 1007 }
        << 0 << QStringLiteral("compressed message: the compressed data does not inflate: invalid block type (after 2 "
                               "compressed bytes)");
    QTest::addRow("a bad message, then a good one")
        << frame(0xc1, hex("ff00")) + frame(0xc1, hello) << QStringList { QStringLiteral("invalid-compressed-data") }
        << QList<int> { 1007 } << 1 << QString();
}

void tst_FrameParser::compressedViolations()
{
    QFETCH(QByteArray, input);
    QFETCH(QStringList, rules);
    QFETCH(QList<int>, codes);
    QFETCH(int, messages);
    QFETCH(QString, firstDescription);
    Setup setup;
    setup.deflate = true;
    Recorder recorder;
    QVERIFY(!runAllSplits(setup, input, &recorder).events.isEmpty());
    QCOMPARE(recorder.ruleIds(), rules);
    QCOMPARE(recorder.closeCodes(), codes);
    QCOMPARE(recorder.messages.size(), messages);
    if (!firstDescription.isEmpty())
        QCOMPARE(recorder.violations.first().description, firstDescription);
}

void tst_FrameParser::deflateBombStopsAtTheLimit()
{
    // 64 MiB of zeros in about 64 KiB on the wire; the limit counts inflated bytes.
    const QByteArray bomb = MessageDeflater(15, true, 9).compress(QByteArray(64 << 20, '\0'));
    QVERIFY(bomb.size() < 100 * 1024);
    Setup setup;
    setup.deflate = true;
    setup.limits.maxMessageSize = 1 << 20;
    Recorder recorder;
    const Outcome outcome = run(setup, { frame(0xc2, bomb) }, &recorder);
    QCOMPARE(recorder.ruleIds(), QStringList { QStringLiteral("message-too-big") });
    QCOMPARE(recorder.closeCodes(), QList<int> { 1009 });
    QVERIFY2(recorder.violations.first().description.startsWith(
                 QStringLiteral("compressed message: the message inflates to more than 1048576 bytes")),
        qPrintable(recorder.violations.first().description));
    QCOMPARE(recorder.messages.size(), 0);
    QCOMPARE(recorder.frames.size(), 1);
    QVERIFY(!recorder.frames.first().inflated.has_value());
    QVERIFY(!outcome.stopped); // framing is intact: the connection decides what to do
}

void tst_FrameParser::compressedTextCheckedAfterInflating()
{
    // "€" (e2 82 ac) split across two frames of one compressed message, then a text message whose
    // inflated bytes are not UTF-8. Level 0 writes a stored block (5 bytes of block header, then the
    // text as is), so the cut can land exactly after e2 82: the first frame inflates to
    // "price: \xe2\x82", which only the second completes.
    const QByteArray euro = MessageDeflater(15, true, 0).compress("price: \xe2\x82\xac 5");
    QCOMPARE(euro.mid(5, 9), QByteArray("price: \xe2\x82"));
    const QByteArray bad = MessageDeflater(15, true).compress("ab\xff");
    Setup setup;
    setup.deflate = true;
    setup.peerNoContextTakeover = true;
    Recorder recorder;
    const QByteArray input = frame(0x41, euro.first(14)) + frame(0x80, euro.sliced(14)) + frame(0xc1, bad);
    QVERIFY(!runAllSplits(setup, input, &recorder).events.isEmpty());
    QCOMPARE(recorder.messages.size(), 1);
    QCOMPARE(recorder.messages[0].payload, QByteArray("price: \xe2\x82\xac 5"));
    QCOMPARE(recorder.ruleIds(), QStringList { QStringLiteral("invalid-utf8-text") });
    QCOMPARE(recorder.violations[0].description,
        QStringLiteral("text message, once inflated, is not valid UTF-8: byte 0xff at offset 2 cannot appear there"));
}

// With context takeover the next message refers back into a message that was dropped for bad
// UTF-8: the dropped one must still have gone through the inflater.
void tst_FrameParser::droppedMessageKeepsTheWindowInStep()
{
    MessageDeflater deflater(15, false);
    const QByteArray first = deflater.compress("a fairly long sentence \xff that is not UTF-8");
    const QByteArray second = deflater.compress("a fairly long sentence that is");
    Setup setup;
    setup.deflate = true;
    Recorder recorder;
    QVERIFY(!runAllSplits(setup, frame(0xc1, first) + frame(0xc1, second), &recorder).events.isEmpty());
    QCOMPARE(recorder.ruleIds(), QStringList { QStringLiteral("invalid-utf8-text") });
    QCOMPARE(recorder.messages.size(), 1);
    QCOMPARE(recorder.messages[0].payload, QByteArray("a fairly long sentence that is"));
}

// A new data frame abandons an unfinished compressed message: the stream starts afresh, and a
// message compressed on its own then inflates.
void tst_FrameParser::compressedMessageInterruptedByANewOne()
{
    const QByteArray hello = hex("f248cdc9c90700");
    Setup setup;
    setup.deflate = true;
    Recorder recorder;
    QVERIFY(!runAllSplits(setup, frame(0x41, hello.first(3)) + frame(0xc1, hello), &recorder).events.isEmpty());
    QCOMPARE(recorder.ruleIds(), QStringList { QStringLiteral("data-frame-inside-fragmented-message") });
    QCOMPARE(recorder.messages.size(), 1);
    QCOMPARE(recorder.messages[0].payload, QByteArray("Hello"));
}

void tst_FrameParser::limitsChangedKeepTheWindow()
{
    Recorder recorder;
    FrameParser parser(Role::Client, &recorder);
    parser.setPerMessageDeflate(true);
    parser.feed(frame(0xc1, hex("f248cdc9c90700")));
    parser.setLimits({}); // between messages, as the connection may do
    parser.feed(frame(0xc1, hex("f200110000"))); // refers back into the first message
    QCOMPARE(recorder.ruleIds(), QStringList());
    QCOMPARE(recorder.messages.size(), 2);
    QCOMPARE(recorder.messages[1].payload, QByteArray("Hello"));
    // Switched off mid-message, the parser neither inflates nor crashes: RSV1 is a violation again.
    parser.feed(frame(0x41, "x"));
    parser.setPerMessageDeflate(false);
    parser.feed(frame(0x80, "y"));
    parser.feed(frame(0xc1, "z"));
    QCOMPARE(recorder.ruleIds(), QStringList { QStringLiteral("reserved-bits-set") });
}

void tst_FrameParser::resetFromCallbackEndsFeed()
{
    Recorder recorder;
    FrameParser parser(Role::Client, &recorder);
    recorder.onViolationHook = [&] { parser.reset(); };
    // The reserved-opcode frame's violation resets the parser: the rest of that feed is discarded.
    parser.feed(frame(0x83, "x") + frame(0x81, "dropped"));
    QCOMPARE(recorder.ruleIds(), QStringList { QStringLiteral("reserved-opcode") });
    QCOMPARE(recorder.frames.size(), 0);
    QCOMPARE(parser.pendingBytes(), 0);
    // Same from the slow path, with the violation found in a half-received frame.
    parser.feed(frame(0x81, hex("ff") + QByteArray(300, 'x')).first(10));
    QCOMPARE(recorder.violations.size(), 2);
    QCOMPARE(parser.pendingBytes(), 0);
    recorder.onViolationHook = nullptr;
    parser.feed(frame(0x81, "kept"));
    QCOMPARE(recorder.messages.size(), 1);
    QCOMPARE(recorder.messages[0].payload, QByteArrayLiteral("kept"));
}

void tst_FrameParser::manyFramesInOneFeed()
{
    // The shape of the flood the command-line companion sees: many small frames per read, the last
    // one cut. Each read's complete frames come out at once; the cut one when its rest arrives.
    const QByteArray one = frame(0x81, "Hello");
    QByteArray block;
    for (int i = 0; i < 10000; ++i)
        block += one;
    Recorder recorder;
    FrameParser parser(Role::Client, &recorder);
    parser.feed(block.first(block.size() - 3));
    QCOMPARE(recorder.messages.size(), 9999);
    QCOMPARE(parser.pendingBytes(), one.size() - 3);
    parser.feed(block.sliced(block.size() - 3));
    QCOMPARE(recorder.messages.size(), 10000);
    QCOMPARE(recorder.frames.size(), 10000);
    QCOMPARE(parser.pendingBytes(), 0);
    for (const RecordedMessage &m : recorder.messages)
        QCOMPARE(m.payload, QByteArrayLiteral("Hello"));
}

QTEST_GUILESS_MAIN(tst_FrameParser)
#include "tst_frameparser.moc"
