#include "probe/framelint.h"

#include <QtTest>

using namespace Qt::StringLiterals;

using Enc = FrameSpec::LengthEncoding;
using Frames = QList<FrameSpec>;

Q_DECLARE_METATYPE(Frames)

namespace {

constexpr quint32 kKey = 0x37fa213d;

FrameSpec frame(quint8 opcode, const QByteArray &payload, bool fin = true)
{
    FrameSpec s;
    s.opcode = opcode;
    s.payload = payload;
    s.fin = fin;
    s.maskingKey = kKey;
    return s;
}

FrameSpec withRsv(FrameSpec s, quint8 rsv)
{
    s.rsv = rsv;
    return s;
}

FrameSpec unmasked(FrameSpec s)
{
    s.mask = false;
    return s;
}

FrameSpec withEncoding(FrameSpec s, Enc encoding)
{
    s.lengthEncoding = encoding;
    return s;
}

FrameSpec declaring(FrameSpec s, quint64 length, Enc encoding = Enc::Minimal)
{
    s.declaredLength = length;
    s.lengthEncoding = encoding;
    return s;
}

FrameSpec keyed(FrameSpec s, quint32 key)
{
    s.maskingKey = key;
    return s;
}

QByteArray closeBody(quint16 code, const QByteArray &reason = {})
{
    return FrameWriter::closePayload(code, reason);
}

// "frame rule code", plus " misaligned" when the server read a header where none was written.
QStringList describe(const QList<FrameLint::Finding> &findings)
{
    QStringList out;
    for (const FrameLint::Finding &f : findings) {
        QString line = QStringLiteral("%1 %2 %3").arg(f.frameIndex).arg(f.ruleId).arg(f.closeCode);
        if (f.misaligned)
            line += QStringLiteral(" misaligned");
        out << line;
    }
    return out;
}

} // namespace

class tst_FrameLint : public QObject {
    Q_OBJECT

private slots:
    void rules_data();
    void rules();
    void ruleSectionsAndTexts();
    void answerTexts_data();
    void answerTexts();
    void declaredLengthExplained_data();
    void declaredLengthExplained();
    void misalignedReadIsParsed();
    void misalignedGarbageIsCounted();
    void negotiatedRsvAllowed();
    void limitsFromContext();
    void randomKeyDoesNotChangeRules();
    void emptyList();
};

void tst_FrameLint::rules_data()
{
    QTest::addColumn<Frames>("frames");
    QTest::addColumn<int>("messageInProgress");
    QTest::addColumn<QStringList>("findings");
    QTest::addColumn<QString>("answer");
    QTest::addColumn<int>("answerFrame");

    const QByteArray hello("hello");
    const QStringList none;

    QTest::addRow("valid text") << Frames { frame(Opcode::Text, hello) } << 0 << none << u"accept"_s << -1;
    QTest::addRow("valid empty binary") << Frames { frame(Opcode::Binary, {}) } << 0 << none << u"accept"_s << -1;
    QTest::addRow("valid ping 125") << Frames { frame(Opcode::Ping, QByteArray(125, 'p')) } << 0 << none << u"accept"_s
                                    << -1;
    QTest::addRow("valid close 1000") << Frames { frame(Opcode::Close, closeBody(1000, "bye")) } << 0 << none
                                      << u"accept"_s << -1;
    QTest::addRow("valid close 4999") << Frames { frame(Opcode::Close, closeBody(4999)) } << 0 << none << u"accept"_s
                                      << -1;
    QTest::addRow("valid 16-bit minimal")
        << Frames { frame(Opcode::Binary, QByteArray(126, 'x')) } << 0 << none << u"accept"_s << -1;
    QTest::addRow("valid forced 64-bit at 65536")
        << Frames { withEncoding(frame(Opcode::Binary, QByteArray(65536, 'x')), Enc::Force64) } << 0 << none
        << u"accept"_s << -1;
    QTest::addRow("unfinished first fragment")
        << Frames { frame(Opcode::Text, hello, false) } << 0 << none << u"accept"_s << -1;

    QTest::addRow("rsv1") << Frames { withRsv(frame(Opcode::Text, hello), Rsv::Rsv1) } << 0
                          << QStringList { u"0 reserved-bits-set 1002"_s } << u"1002"_s << 0;
    QTest::addRow("rsv2+rsv3") << Frames { withRsv(frame(Opcode::Binary, hello), Rsv::Rsv2 | Rsv::Rsv3) } << 0
                               << QStringList { u"0 reserved-bits-set 1002"_s } << u"1002"_s << 0;
    QTest::addRow("opcode 3") << Frames { frame(3, hello) } << 0 << QStringList { u"0 reserved-opcode 1002"_s }
                              << u"1002"_s << 0;
    QTest::addRow("opcode 7") << Frames { frame(7, {}) } << 0 << QStringList { u"0 reserved-opcode 1002"_s }
                              << u"1002"_s << 0;
    QTest::addRow("opcode 0xB") << Frames { frame(0xB, hello) } << 0 << QStringList { u"0 reserved-opcode 1002"_s }
                                << u"1002"_s << 0;
    // Opcodes 11-15 are control frames by their high bit: the control rules apply to them as well.
    QTest::addRow("opcode 0xF, 126 bytes")
        << Frames { frame(0xF, QByteArray(126, 'x')) } << 0
        << QStringList { u"0 reserved-opcode 1002"_s, u"0 control-frame-too-long 1002"_s } << u"1002"_s << 0;
    QTest::addRow("ping 126 bytes") << Frames { frame(Opcode::Ping, QByteArray(126, 'p')) } << 0
                                    << QStringList { u"0 control-frame-too-long 1002"_s } << u"1002"_s << 0;
    QTest::addRow("pong 200 bytes") << Frames { frame(Opcode::Pong, QByteArray(200, 'p')) } << 0
                                    << QStringList { u"0 control-frame-too-long 1002"_s } << u"1002"_s << 0;
    QTest::addRow("ping without FIN") << Frames { frame(Opcode::Ping, hello, false) } << 0
                                      << QStringList { u"0 control-frame-fragmented 1002"_s } << u"1002"_s << 0;
    QTest::addRow("unmasked") << Frames { unmasked(frame(Opcode::Text, hello)) } << 0
                              << QStringList { u"0 unmasked-frame-from-client 1002"_s } << u"1002"_s << 0;
    QTest::addRow("unmasked rsv1 opcode 3, in the parser's order")
        << Frames { unmasked(withRsv(frame(3, hello), Rsv::Rsv1)) } << 0
        << QStringList { u"0 unmasked-frame-from-client 1002"_s, u"0 reserved-bits-set 1002"_s,
               u"0 reserved-opcode 1002"_s }
        << u"1002"_s << 0;
    QTest::addRow("forced 16-bit for 5 bytes") << Frames { withEncoding(frame(Opcode::Text, hello), Enc::Force16) } << 0
                                               << QStringList { u"0 non-minimal-length 1002"_s } << u"1002"_s << 0;
    QTest::addRow("forced 64-bit for 200 bytes")
        << Frames { withEncoding(frame(Opcode::Binary, QByteArray(200, 'x')), Enc::Force64) } << 0
        << QStringList { u"0 non-minimal-length 1002"_s } << u"1002"_s << 0;
    QTest::addRow("invalid UTF-8") << Frames { frame(Opcode::Text, "ab\xff") } << 0
                                   << QStringList { u"0 invalid-utf8-text 1007"_s } << u"1007"_s << 0;
    QTest::addRow("text ending inside a code point") << Frames { frame(Opcode::Text, "caf\xc3") } << 0
                                                     << QStringList { u"0 invalid-utf8-text 1007"_s } << u"1007"_s << 0;
    QTest::addRow("close with 1 byte") << Frames { frame(Opcode::Close, "\x03") } << 0
                                       << QStringList { u"0 close-payload-one-byte 1002"_s } << u"1002"_s << 0;
    QTest::addRow("close 1005") << Frames { frame(Opcode::Close, closeBody(1005)) } << 0
                                << QStringList { u"0 invalid-close-code 1002"_s } << u"1002"_s << 0;
    QTest::addRow("close 999") << Frames { frame(Opcode::Close, closeBody(999)) } << 0
                               << QStringList { u"0 invalid-close-code 1002"_s } << u"1002"_s << 0;
    QTest::addRow("close reason bad UTF-8") << Frames { frame(Opcode::Close, closeBody(1000, "\xc0\xaf")) } << 0
                                            << QStringList { u"0 close-reason-invalid-utf8 1007"_s } << u"1007"_s << 0;

    // Fragmentation needs the connection's context.
    QTest::addRow("continuation alone") << Frames { frame(Opcode::Continuation, hello) } << 0
                                        << QStringList { u"0 continuation-without-start 1002"_s } << u"1002"_s << 0;
    QTest::addRow("continuation in a message")
        << Frames { frame(Opcode::Continuation, hello) } << int(Opcode::Text) << none << u"accept"_s << -1;
    QTest::addRow("text inside a message")
        << Frames { frame(Opcode::Text, hello) } << int(Opcode::Binary)
        << QStringList { u"0 data-frame-inside-fragmented-message 1002"_s } << u"1002"_s << 0;
    QTest::addRow("ping inside a message")
        << Frames { frame(Opcode::Ping, hello) } << int(Opcode::Text) << none << u"accept"_s << -1;
    QTest::addRow("continuation with a code point split from before")
        << Frames { frame(Opcode::Continuation, "\xa9!") } << int(Opcode::Text)
        << QStringList { u"0 invalid-utf8-text 1007"_s } << u"1007"_s << 0;

    QTest::addRow("sequence: fragments around a ping, code point split") << Frames {
        frame(Opcode::Text, "caf\xc3", false), frame(Opcode::Ping, "p"), frame(Opcode::Continuation, "\xa9!")
    } << 0 << none << u"accept"_s << -1;
    QTest::addRow("sequence: second text before FIN")
        << Frames { frame(Opcode::Text, "a", false), frame(Opcode::Text, "b") } << 0
        << QStringList { u"1 data-frame-inside-fragmented-message 1002"_s } << u"1002"_s << 1;
    QTest::addRow("sequence: the first fatal rule decides")
        << Frames { frame(Opcode::Text, hello), frame(Opcode::Ping, QByteArray(126, 'p')),
               withRsv(frame(Opcode::Text, hello), Rsv::Rsv2) }
        << 0 << QStringList { u"1 control-frame-too-long 1002"_s, u"2 reserved-bits-set 1002"_s } << u"1002"_s << 1;
    QTest::addRow("sequence: 1007 before 1002")
        << Frames { frame(Opcode::Text, "\xff"), unmasked(frame(Opcode::Binary, hello)) } << 0
        << QStringList { u"0 invalid-utf8-text 1007"_s, u"1 unmasked-frame-from-client 1002"_s } << u"1007"_s << 0;
    // Not a rule the parser checks: only the connection knows a close went by.
    QTest::addRow("sequence: data after close")
        << Frames { frame(Opcode::Close, closeBody(1000)), frame(Opcode::Text, hello), frame(Opcode::Pong, {}) } << 0
        << QStringList { u"1 data-after-close 0"_s } << u"accept"_s << -1;

    // What only the lint sees: the header lies about the payload behind it.
    QTest::addRow("declared longer, alone")
        << Frames { declaring(frame(Opcode::Text, hello), 10) } << 0
        << QStringList { u"0 declared-length-exceeds-payload 0"_s } << u"wait"_s << 0;
    QTest::addRow("declared 0 with payload, rest read as a header")
        << Frames { keyed(declaring(frame(Opcode::Binary, QByteArray::fromHex("8980000000")), 0), 0) } << 0
        << QStringList { u"0 declared-length-below-payload 0"_s } << u"wait"_s << 0;
    QTest::addRow("top bit set: framing lost")
        << Frames { declaring(frame(Opcode::Binary, hello), 0x8000000000000000ull, Enc::Force64) } << 0
        << QStringList { u"0 declared-length-exceeds-payload 0"_s, u"0 length-top-bit-set 1002"_s } << u"drop"_s << 0;
    QTest::addRow("over the frame size limit")
        << Frames { declaring(frame(Opcode::Binary, hello), 100ull << 20, Enc::Force64) } << 0
        << QStringList { u"0 declared-length-exceeds-payload 0"_s, u"0 frame-too-big 1009"_s } << u"drop"_s << 0;
    QTest::addRow("forced 16-bit cannot hold 70000")
        << Frames { keyed(withEncoding(frame(Opcode::Binary, QByteArray(70000, '\0')), Enc::Force16), 0) } << 0
        << QStringList { u"0 declared-length-below-payload 0"_s, u"0 unmasked-frame-from-client 1002 misaligned"_s,
               u"0 continuation-without-start 1002 misaligned"_s }
        << u"1002"_s << 0;
}

void tst_FrameLint::rules()
{
    QFETCH(Frames, frames);
    QFETCH(int, messageInProgress);
    QFETCH(QStringList, findings);
    QFETCH(QString, answer);
    QFETCH(int, answerFrame);

    FrameLint::Context context;
    context.messageInProgress = quint8(messageInProgress);
    const FrameLint::Result result = FrameLint::check(frames, context);
    QStringList got = describe(result.findings);
    // Zeros read as headers repeat the same two rules every 2 bytes: compare the first of each.
    got.removeDuplicates();
    QCOMPARE(got, findings);
    QCOMPARE(result.answer.shortText(), answer);
    QCOMPARE(result.answer.frameIndex, answerFrame);
    QCOMPARE(result.isValid(), findings.isEmpty());
    QVERIFY(!result.answer.text.isEmpty());
    if (frames.size() == 1)
        QCOMPARE(FrameLint::check(frames.first(), context).findings.size(), result.findings.size());
}

void tst_FrameLint::ruleSectionsAndTexts()
{
    const FrameLint::Result result = FrameLint::check(withRsv(frame(Opcode::Text, "hi"), Rsv::Rsv1));
    QCOMPARE(result.findings.size(), 1);
    const FrameLint::Finding &f = result.findings.first();
    QCOMPARE(f.rule, ViolationRule::ReservedBitsSet);
    QCOMPARE(f.rfcSection, QStringLiteral("5.2"));
    QCOMPARE(f.description, QStringLiteral("RSV1 set on a text frame without a negotiated extension that defines it"));
    QVERIFY(!f.stopsParsing);
    QVERIFY(!f.misaligned);

    const FrameLint::Finding unmaskedFinding = FrameLint::check(unmasked(frame(Opcode::Binary, "x"))).findings.value(0);
    QCOMPARE(unmaskedFinding.rfcSection, QStringLiteral("5.1"));
    const FrameLint::Finding longPing = FrameLint::check(frame(Opcode::Ping, QByteArray(126, 'p'))).findings.value(0);
    QCOMPARE(longPing.rfcSection, QStringLiteral("5.5"));
    QCOMPARE(
        longPing.description, QStringLiteral("ping frame with 126-byte payload; control frames carry at most 125"));
}

void tst_FrameLint::answerTexts_data()
{
    QTest::addColumn<Frames>("frames");
    QTest::addColumn<QString>("text");

    QTest::addRow("text") << Frames { frame(Opcode::Text, "hi") } << u"accepts the frame"_s;
    QTest::addRow("ping") << Frames { frame(Opcode::Ping, "hi") }
                          << u"accepts the frame; answers the ping with a pong carrying the same payload"_s;
    QTest::addRow("close") << Frames { frame(Opcode::Close, closeBody(1000)) }
                           << u"accepts the frame; answers the close frame with its own and closes the connection"_s;
    QTest::addRow("unfinished") << Frames { frame(Opcode::Binary, "a", false), frame(Opcode::Ping, {}) }
                                << u"accepts all 2 frames; answers the ping with a pong carrying the same payload; "
                                   "waits for the rest of the message (continuation frames, the last with FIN set)"_s;
    QTest::addRow("rsv1") << Frames { withRsv(frame(Opcode::Text, "hi"), Rsv::Rsv1) }
                          << u"fails the connection with a close frame: 1002 Protocol Error (the frame, "
                             "reserved-bits-set)"_s;
    QTest::addRow("second frame 1007") << Frames { frame(Opcode::Text, "ok"), frame(Opcode::Text, "\xed\xa0\x80") }
                                       << u"fails the connection with a close frame: 1007 Invalid Payload Data (frame "
                                          "2, invalid-utf8-text)"_s;
    QTest::addRow("top bit")
        << Frames { declaring(frame(Opcode::Binary, {}), ~0ull, Enc::Force64) }
        << u"drops the connection: framing is lost, it cannot tell where the next frame starts "
           "(the frame, length-top-bit-set); at most a close with 1002 Protocol Error comes first"_s;
    QTest::addRow("wait") << Frames { declaring(frame(Opcode::Binary, "abc"), 126, Enc::Force16) }
                          << u"waits for 123 more bytes to complete the frame; a server with a read timeout drops the "
                             "connection when it expires"_s;
}

void tst_FrameLint::answerTexts()
{
    QFETCH(Frames, frames);
    QFETCH(QString, text);
    QCOMPARE(FrameLint::check(frames).answer.text, text);
}

void tst_FrameLint::declaredLengthExplained_data()
{
    QTest::addColumn<Frames>("frames");
    QTest::addColumn<QString>("description");
    QTest::addColumn<QString>("answer");
    QTest::addColumn<quint64>("missing");

    QTest::addRow("alone") << Frames { declaring(frame(Opcode::Text, "hello"), 10) }
                           << u"The frame declares 10 bytes of payload but carries 5: the server waits for 5 more "
                              "bytes and reads whatever is sent next (the next frame's header included) as the rest "
                              "of this payload"_s
                           << u"wait"_s << quint64(5);
    // Frame 2 is 9 bytes (2 header, 4 key, 3 payload); frame 1 swallows 2 of them, then the server reads
    // a header at byte 2 of frame 2: its key 8a 80 00 00 is a masked empty pong, whose key takes the
    // next 4 bytes; 1 byte is left, half a header.
    QTest::addRow("swallows the next header")
        << Frames { declaring(frame(Opcode::Binary, "hello"), 7), keyed(frame(Opcode::Text, "abc"), 0x8a800000) }
        << u"Frame 1 declares 7 bytes of payload but carries 5: the server reads the bytes that follow as the rest "
           "of this payload (the first 2 bytes of frame 2)"_s
        << u"wait"_s << quint64(1);
    QTest::addRow("swallows a whole frame, then waits")
        << Frames { declaring(frame(Opcode::Binary, "hello"), 30), frame(Opcode::Text, "abc") }
        << u"Frame 1 declares 30 bytes of payload but carries 5: the server reads the bytes that follow as the rest "
           "of this payload (all of frame 2), then waits for 16 more bytes"_s
        << u"wait"_s << quint64(16);
    QTest::addRow("top bit set")
        << Frames { declaring(frame(Opcode::Binary, "hello"), 0x8000000000000000ull, Enc::Force64) }
        << u"The frame declares 9223372036854775808 bytes of payload but carries 5: a length this large is refused "
           u"as soon as the header arrives"_s
        << u"drop"_s << quint64(0);
    QTest::addRow("forced 16-bit overflow")
        << Frames { keyed(withEncoding(frame(Opcode::Binary, QByteArray(65538, '\0')), Enc::Force16), 0) }
        << u"The frame declares 2 bytes of payload but carries 65538 (the forced 16-bit length field cannot hold "
           "65538; it carries its low 16 bits): the server takes the first 2 bytes as the payload and reads the "
           "remaining 65536 bytes (still masked) as the frames that follow; what it finds there is listed as "
           "misaligned"_s
        << u"1002"_s << quint64(0);
}

void tst_FrameLint::declaredLengthExplained()
{
    QFETCH(Frames, frames);
    QFETCH(QString, description);
    QFETCH(QString, answer);
    QFETCH(quint64, missing);

    const FrameLint::Result result = FrameLint::check(frames);
    QVERIFY(!result.findings.isEmpty());
    QCOMPARE(result.findings.first().description, description);
    QCOMPARE(result.findings.first().rfcSection, QStringLiteral("5.2"));
    QCOMPARE(result.answer.shortText(), answer);
    QCOMPARE(result.answer.missingBytes, missing);
}

void tst_FrameLint::misalignedReadIsParsed()
{
    // Declared 2 of 6 payload bytes, key 0 (so the masked bytes are the plain ones): the last four bytes
    // 83 02 "ok" are what the server takes for the next frame, an unmasked frame of reserved opcode 3.
    FrameSpec spec = keyed(declaring(frame(Opcode::Binary, QByteArray("ab\x83\x02ok", 6)), 2), 0);
    const FrameLint::Result result = FrameLint::check(spec);
    QCOMPARE(describe(result.findings),
        (QStringList { u"0 declared-length-below-payload 0"_s, u"0 unmasked-frame-from-client 1002 misaligned"_s,
            u"0 reserved-opcode 1002 misaligned"_s }));
    QCOMPARE(result.findings[1].description,
        QStringLiteral("misaligned, a frame header read at byte 8 of the frame (in its payload): reserved-3 frame from "
                       "the client is not masked; clients must mask every frame"));
    QCOMPARE(result.answer.shortText(), QStringLiteral("1002"));

    // The same trick hiding a valid masked ping (89 80 + key 0) behind the declared end is accepted.
    spec.payload = QByteArray("ab\x89\x80\0\0\0\0", 8);
    const FrameLint::Result ping = FrameLint::check(spec);
    QCOMPARE(describe(ping.findings), QStringList { u"0 declared-length-below-payload 0"_s });
    QCOMPARE(ping.answer.shortText(), QStringLiteral("accept"));
    QCOMPARE(
        ping.answer.text, QStringLiteral("accepts the frame; answers the ping with a pong carrying the same payload"));
}

void tst_FrameLint::misalignedGarbageIsCounted()
{
    // 65536 zero bytes read as headers: 32768 empty unmasked continuations of 2 bytes, two rules each.
    // The first 16 such frames are listed, the rest counted.
    FrameSpec spec = keyed(withEncoding(frame(Opcode::Binary, QByteArray(65536 + 4464, '\0')), Enc::Force16), 0);
    const FrameLint::Result result = FrameLint::check(spec);
    QCOMPARE(result.findings.size(), 1 + 16 * 2);
    QCOMPARE(result.omittedFindings, (32768 - 16) * 2);
    QCOMPARE(result.answer.shortText(), u"1002"_s);
}

void tst_FrameLint::negotiatedRsvAllowed()
{
    FrameLint::Context context;
    context.allowedRsv = Rsv::Rsv1;
    QVERIFY(FrameLint::check(withRsv(frame(Opcode::Text, "x"), Rsv::Rsv1), context).isValid());
    QCOMPARE(describe(FrameLint::check(withRsv(frame(Opcode::Text, "x"), Rsv::Rsv2), context).findings),
        QStringList { u"0 reserved-bits-set 1002"_s });
}

void tst_FrameLint::limitsFromContext()
{
    FrameLint::Context context;
    context.limits.maxFrameSize = 4;
    const FrameLint::Result result = FrameLint::check(frame(Opcode::Binary, "hello"), context);
    QCOMPARE(describe(result.findings), QStringList { u"0 frame-too-big 1009"_s });
    QVERIFY(result.findings.first().stopsParsing);
    QCOMPARE(result.answer.kind, FrameLint::Answer::Kind::Drop);
    QCOMPARE(result.answer.closeCode, quint16(1009));
}

void tst_FrameLint::randomKeyDoesNotChangeRules()
{
    FrameSpec spec = withRsv(frame(3, "hello"), Rsv::Rsv3);
    spec.maskingKey.reset(); // drawn when sent
    const FrameLint::Result result = FrameLint::check(spec);
    QCOMPARE(describe(result.findings), (QStringList { u"0 reserved-bits-set 1002"_s, u"0 reserved-opcode 1002"_s }));
}

void tst_FrameLint::emptyList()
{
    const FrameLint::Result result = FrameLint::check(Frames {});
    QVERIFY(result.isValid());
    QCOMPARE(result.answer.shortText(), QStringLiteral("accept"));
}

QTEST_GUILESS_MAIN(tst_FrameLint)
#include "tst_framelint.moc"
