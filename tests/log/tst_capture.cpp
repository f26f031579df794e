#include "eventfixtures.h"
#include "log/capture.h"
#include "log/capturewriter.h"
#include "protocol/frame.h"

#include <QScopeGuard>
#include <QSignalSpy>
#include <QTest>
#include <QThread>

namespace {
WireEvent makeEvent(EventKind kind, Direction direction, QByteArrayView header, QByteArrayView payload)
{
    WireEvent e;
    e.timeUs = 1795239000123456;
    e.connectionId = 7;
    e.kind = kind;
    e.direction = direction;
    e.header = header;
    if (!header.isEmpty())
        FrameHeader::decode(header, e.frame);
    e.payload = payload;
    return e;
}
} // namespace

class tst_Capture : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void recordAndReadBack_data();
    void recordAndReadBack();
    void payloadSizes_data();
    void payloadSizes();
    void manyPayloadsAcrossChunks();
    void bytesStayValidWhileGrowing();
    void largePayload();
    void clear();
    void grownOncePerEventLoopTurn();
    void overheadPerSmallEvent();
    void messageJoinsItsFrames_data();
    void messageJoinsItsFrames();
    void wholeMessageIsNotCopied();
    void messagesAfterClear();
    void firstOfKind();
    void firstOfKindPerLeg();
    void compressedMessageKeepsBothForms();
    void relayDelayKept_data();
    void relayDelayKept();
    void writerOnAnotherThread();
};

void tst_Capture::recordAndReadBack_data()
{
    QTest::addColumn<int>("kind");
    QTest::addColumn<int>("direction");
    QTest::addColumn<QByteArray>("header");
    QTest::addColumn<QByteArray>("payload");
    QTest::addColumn<int>("violation");
    QTest::addColumn<int>("closeCode");
    QTest::addColumn<int>("state");
    QTest::addColumn<bool>("wasClean");

    QTest::addRow("text frame") << int(EventKind::Frame) << int(Direction::Incoming) << QByteArray::fromHex("8105")
                                << QByteArray("Hello") << 0 << 0 << 0 << false;
    QTest::addRow("masked 16-bit frame") << int(EventKind::Frame) << int(Direction::Outgoing)
                                         << QByteArray::fromHex("82fe00c8a1b2c3d4") << pattern(200, 1) << 0 << 0 << 0
                                         << false;
    QTest::addRow("masked 64-bit header, 14 bytes")
        << int(EventKind::Frame) << int(Direction::Outgoing) << QByteArray::fromHex("f2ff0000000000000003deadbeef")
        << QByteArray("\0\1\2", 3) << 0 << 0 << 0 << false;
    QTest::addRow("empty frame") << int(EventKind::Frame) << int(Direction::Incoming) << QByteArray::fromHex("8900")
                                 << QByteArray() << 0 << 0 << 0 << false;
    QTest::addRow("violation") << int(EventKind::Violation) << int(Direction::Incoming) << QByteArray::fromHex("c100")
                               << QByteArray("RSV1") << int(ViolationRule::ReservedBitsSet) << 1002 << 0 << false;
    QTest::addRow("handshake") << int(EventKind::HandshakeRequest) << int(Direction::Outgoing) << QByteArray()
                               << QByteArray("GET / HTTP/1.1\r\n\r\n") << 0 << 0 << 0 << false;
    QTest::addRow("closed") << int(EventKind::StateChange) << int(Direction::Local) << QByteArray()
                            << QByteArray("CLOSED") << 0 << 1000 << int(ReadyState::Closed) << true;
    QTest::addRow("error") << int(EventKind::Error) << int(Direction::Local) << QByteArray()
                           << QByteArray("\xff\x00", 2) << 0 << 0 << int(ReadyState::Open) << false;
}

void tst_Capture::recordAndReadBack()
{
    QFETCH(int, kind);
    QFETCH(int, direction);
    QFETCH(QByteArray, header);
    QFETCH(QByteArray, payload);
    QFETCH(int, violation);
    QFETCH(int, closeCode);
    QFETCH(int, state);
    QFETCH(bool, wasClean);

    WireEvent e = makeEvent(EventKind(kind), Direction(direction), header, payload);
    e.violation = ViolationRule(violation);
    e.closeCode = quint16(closeCode);
    e.state = ReadyState(state);
    e.wasClean = wasClean;

    const QByteArray originalHeader(header.constData(), header.size()); // deep copies
    const QByteArray originalPayload(payload.constData(), payload.size());
    Capture capture;
    capture.record(e);
    // The capture copies: overwriting the source afterwards changes nothing captured.
    header.fill('\0');
    payload.fill('\0');
    QCOMPARE(capture.count(), 1);
    const WireEvent back = capture.event(0);
    QCOMPARE(back.header.toByteArray(), originalHeader);
    QCOMPARE(back.payload.toByteArray(), originalPayload);
    QCOMPARE(back.timeUs, e.timeUs);
    QCOMPARE(back.connectionId, e.connectionId);
    QCOMPARE(back.kind, e.kind);
    QCOMPARE(back.direction, e.direction);
    QCOMPARE(back.violation, e.violation);
    QCOMPARE(back.closeCode, e.closeCode);
    QCOMPARE(back.state, e.state);
    QCOMPARE(back.wasClean, e.wasClean);
    if (!originalHeader.isEmpty()) {
        FrameHeader expected;
        QVERIFY(FrameHeader::decode(originalHeader, expected));
        QCOMPARE(back.frame.fin, expected.fin);
        QCOMPARE(back.frame.rsv, expected.rsv);
        QCOMPARE(back.frame.opcode, expected.opcode);
        QCOMPARE(back.frame.masked, expected.masked);
        QCOMPARE(back.frame.maskingKey, expected.maskingKey);
        QCOMPARE(back.frame.declaredLength, expected.declaredLength);
        QCOMPARE(back.frame.lengthForm, expected.lengthForm);
        QCOMPARE(back.frame.headerSize, quint8(originalHeader.size()));
    }
}

void tst_Capture::payloadSizes_data()
{
    QTest::addColumn<qsizetype>("size");
    QTest::addRow("1 byte") << qsizetype(1);
    QTest::addRow("125") << qsizetype(125);
    QTest::addRow("64 KiB") << qsizetype(64 * 1024);
    QTest::addRow("1 MiB (largest shared)") << qsizetype(1 << 20);
    QTest::addRow("1 MiB + 1 (own chunk)") << qsizetype((1 << 20) + 1);
    QTest::addRow("4 MiB + 3") << qsizetype((4 << 20) + 3);
}

void tst_Capture::payloadSizes()
{
    QFETCH(qsizetype, size);
    const QByteArray before = pattern(3000, 1);
    const QByteArray payload = pattern(size, 2);
    const QByteArray after = pattern(10, 3);
    const QByteArray header
        = QByteArray::fromHex("827f") + QByteArray::fromHex(QByteArray::number(size, 16).rightJustified(16, '0'));
    Capture capture;
    capture.record(makeEvent(EventKind::Frame, Direction::Incoming, QByteArray::fromHex("8200"), before));
    capture.record(makeEvent(EventKind::Frame, Direction::Incoming, header, payload));
    capture.record(makeEvent(EventKind::Frame, Direction::Incoming, QByteArray::fromHex("8200"), after));
    QCOMPARE(capture.count(), 3);
    QCOMPARE(capture.event(0).payload.toByteArray(), before);
    const WireEvent big = capture.event(1);
    QCOMPARE(big.payload.size(), size);
    QVERIFY(big.payload == QByteArrayView(payload));
    QCOMPARE(big.header.toByteArray(), header);
    QCOMPARE(big.frame.declaredLength, quint64(size));
    QCOMPARE(big.frame.lengthForm, LengthForm::Extended64);
    QCOMPARE(capture.event(2).payload.toByteArray(), after);
    QCOMPARE(capture.payloadBytes(), quint64(before.size() + size + after.size()));
}

void tst_Capture::manyPayloadsAcrossChunks()
{
    // ~13 MiB of payloads of varying sizes fill several shared chunks: each payload must come back
    // whole from whichever chunk it landed in, with its header and decoded fields.
    Capture capture;
    QList<QByteArray> payloads;
    QList<QByteArray> headers;
    qsizetype total = 0;
    for (int i = 0; total < (13 << 20); ++i) {
        const qsizetype size = (i * 7919) % 300000;
        payloads << pattern(size, i);
        QByteArray header = size < 126 ? QByteArray(1, char(0x02)) + char(size)
            : size < 65536
            ? QByteArray::fromHex("027e") + char(size >> 8) + char(size & 0xff)
            : QByteArray::fromHex("827f") + QByteArray::fromHex(QByteArray::number(size, 16).rightJustified(16, '0'));
        if (i % 2)
            header[1] = char(uchar(header[1]) | 0x80), header += QByteArray::fromHex("01020304");
        headers << header;
        capture.record(makeEvent(EventKind::Frame, Direction::Incoming, headers.last(), payloads.last()));
        total += size;
    }
    QCOMPARE(capture.count(), payloads.size());
    for (qsizetype i = 0; i < payloads.size(); ++i) {
        const WireEvent e = capture.event(i);
        QVERIFY2(e.payload == QByteArrayView(payloads[i]), qPrintable(QString::number(i)));
        QCOMPARE(e.header.toByteArray(), headers[i]);
        QCOMPARE(e.frame.declaredLength, quint64(payloads[i].size()));
        QCOMPARE(e.frame.masked, i % 2 == 1);
        QCOMPARE(e.frame.maskingKey, i % 2 ? 0x01020304u : 0u);
        QCOMPARE(e.frame.fin, headers[i][0] < 0);
    }
}

void tst_Capture::bytesStayValidWhileGrowing()
{
    Capture capture;
    const QByteArray first = pattern(1000, 9);
    capture.record(makeEvent(EventKind::Frame, Direction::Incoming, QByteArray::fromHex("827e03e8"), first));
    const WireEvent early = capture.event(0);
    const QByteArray filler = pattern(100000, 10);
    for (int i = 0; i < 200; ++i)
        capture.record(
            makeEvent(EventKind::Frame, Direction::Incoming, QByteArray::fromHex("827f00000000000186a0"), filler));
    QVERIFY(early.payload == QByteArrayView(first));
    QCOMPARE(early.header.toByteArray(), QByteArray::fromHex("827e03e8"));
}

void tst_Capture::largePayload()
{
    const QByteArray payload = pattern(3 * (1 << 20) + 12345, 4);
    Capture capture;
    capture.record(
        makeEvent(EventKind::Frame, Direction::Outgoing, QByteArray::fromHex("82ff00000000003030391a2b3c4d"), payload));
    const WireEvent e = capture.event(0);
    QVERIFY(e.payload == QByteArrayView(payload));
    QCOMPARE(e.frame.maskingKey, 0x1a2b3c4du);
    QCOMPARE(e.frame.headerSize, quint8(14));
}

void tst_Capture::clear()
{
    Capture capture;
    QSignalSpy cleared(&capture, &Capture::cleared);
    for (int i = 0; i < 20000; ++i)
        capture.record(makeEvent(EventKind::Frame, Direction::Incoming, QByteArray::fromHex("8103"), "abc"));
    QCOMPARE(capture.count(), 20000);
    capture.clear();
    QCOMPARE(cleared.count(), 1);
    QCOMPARE(capture.count(), 0);
    QCOMPARE(capture.payloadBytes(), quint64(0));
    QVERIFY(capture.overheadBytes() < 1024);
    capture.record(makeEvent(EventKind::Frame, Direction::Incoming, QByteArray::fromHex("8102"), "hi"));
    QCOMPARE(capture.count(), 1);
    QCOMPARE(capture.firstOfKind(EventKind::Frame), qsizetype(0));
    QCOMPARE(capture.event(0).payload.toByteArray(), QByteArray("hi"));
}

void tst_Capture::grownOncePerEventLoopTurn()
{
    Capture capture;
    QSignalSpy grown(&capture, &Capture::grown);
    const QByteArray header = QByteArray::fromHex("8101"); // the event's views must outlive it
    const WireEvent e = makeEvent(EventKind::Frame, Direction::Incoming, header, "x");
    capture.record(e);
    capture.record(e);
    capture.record(e);
    QCOMPARE(grown.count(), 0); // never from inside record()
    QCoreApplication::sendPostedEvents(&capture, QEvent::MetaCall);
    QCOMPARE(grown.count(), 1); // three events, one signal
    QCoreApplication::sendPostedEvents(&capture, QEvent::MetaCall);
    QCOMPARE(grown.count(), 1); // nothing new: nothing said
    capture.record(e);
    capture.record(e);
    QCoreApplication::sendPostedEvents(&capture, QEvent::MetaCall);
    QCOMPARE(grown.count(), 2);
}

void tst_Capture::overheadPerSmallEvent()
{
    Capture capture;
    const QByteArray header = QByteArray::fromHex("8110");
    const QByteArray payload = "0123456789abcdef";
    constexpr int Events = 200'000;
    for (int i = 0; i < Events; ++i) {
        WireEvent e = makeEvent(EventKind::Frame, Direction::Incoming, header, payload);
        e.messageId = quint32(i + 1); // each a message: the message index counts too
        capture.record(e);
    }
    QCOMPARE(capture.count(), Events);
    QCOMPARE(capture.payloadBytes(), quint64(Events) * 16);
    const double perEvent = double(capture.overheadBytes()) / Events;
    qInfo("overhead: %.1f bytes per event", perEvent);
    QVERIFY2(perEvent < 100, qPrintable(QString::number(perEvent)));
    QCOMPARE(capture.event(Events - 1).payload.toByteArray(), payload);
    QCOMPARE(capture.event(Events / 2).header.toByteArray(), header);
}

// Frames as "d:op[.]:payload:id", d = i or o, op = t text, b binary, c continuation, p ping; '.' clears
// FIN; id the message id the engine gave. `select` is the frame asked about.
void tst_Capture::messageJoinsItsFrames_data()
{
    QTest::addColumn<QString>("frames");
    QTest::addColumn<int>("select");
    QTest::addColumn<int>("opcode");
    QTest::addColumn<QByteArray>("payload");
    QTest::addColumn<int>("count");
    QTest::addColumn<bool>("complete");
    QTest::addRow("single frame") << QStringLiteral("i:t:hello:1") << 0 << int(Opcode::Text) << QByteArray("hello") << 1 << true;
    QTest::addRow("from the first fragment") << QStringLiteral("i:t.:Hel:1 i:c.:lo,:1 i:c:World:1") << 0
                                            << int(Opcode::Text) << QByteArray("Hello,World") << 3 << true;
    QTest::addRow("from the last fragment") << QStringLiteral("i:b.:ab:1 i:c:cd:1") << 1 << int(Opcode::Binary)
                                           << QByteArray("abcd") << 2 << true;
    QTest::addRow("ping and the other direction between fragments")
        << QStringLiteral("i:t.:a:1 i:p:x:0 o:t:zz:1 i:c:b:1") << 3 << int(Opcode::Text) << QByteArray("ab") << 2 << true;
    QTest::addRow("the same id in the other direction is another message")
        << QStringLiteral("o:t.:out:1 i:t:in:1 o:c:put:1") << 2 << int(Opcode::Text) << QByteArray("output") << 2 << true;
    QTest::addRow("still open") << QStringLiteral("i:t.:a:1 i:c.:b:1") << 1 << int(Opcode::Text) << QByteArray("ab") << 2 << false;
    QTest::addRow("abandoned by the next message") << QStringLiteral("i:t.:a:1 i:t:new:2") << 0 << int(Opcode::Text)
                                                    << QByteArray("a") << 1 << false;
    // The old window code scanned backwards and showed the previous message for an orphan.
    QTest::addRow("orphan continuation shows itself") << QStringLiteral("i:t:whole:1 i:c:orphan:0") << 1
                                                      << int(Opcode::Continuation) << QByteArray("orphan") << 1 << true;
    // A relay numbers messages per leg: the same id on the other leg is another message.
    QTest::addRow("relay legs apart") << QStringLiteral("i:t.:ap:1:a i:t:server:1:s i:c:p:1:a") << 2
                                      << int(Opcode::Text) << QByteArray("app") << 2 << true;
    QTest::addRow("relay server leg") << QStringLiteral("i:b.:se:1:s i:t:app:1:a o:c:x:1:s i:c:rver:1:s") << 3
                                      << int(Opcode::Binary) << QByteArray("server") << 2 << true;
    QTest::addRow("control frame shows itself") << QStringLiteral("i:t.:a:1 i:p:ping:0 i:c:b:1") << 1
                                                << int(Opcode::Ping) << QByteArray("ping") << 1 << true;
}

void tst_Capture::messageJoinsItsFrames()
{
    QFETCH(QString, frames);
    QFETCH(int, select);
    Capture capture;
    QList<QByteArray> keep; // the events' views must outlive record()
    for (const QString &f : frames.split(QLatin1Char(' '))) {
        const QStringList part = f.split(QLatin1Char(':'));
        const QChar op = part[1].at(0);
        const quint8 opcode = op == u't' ? Opcode::Text : op == u'b' ? Opcode::Binary : op == u'c' ? Opcode::Continuation : Opcode::Ping;
        const bool fin = !part[1].endsWith(QLatin1Char('.'));
        keep << part[2].toUtf8();
        keep << QByteArray(1, char((fin ? 0x80 : 0) | opcode)) + char(keep.last().size());
        WireEvent e = makeEvent(EventKind::Frame, part[0] == QLatin1String("i") ? Direction::Incoming : Direction::Outgoing,
                                keep.last(), keep[keep.size() - 2]);
        e.messageId = part[3].toUInt();
        if (part.size() > 4)
            e.leg = part[4] == QLatin1String("a") ? Leg::App : Leg::Server;
        capture.record(e);
    }
    const Capture::Message m = capture.message(select);
    QTEST(int(m.opcode), "opcode");
    QTEST(m.payload, "payload");
    QTEST(m.frames, "count");
    QTEST(m.complete, "complete");
}

void tst_Capture::wholeMessageIsNotCopied()
{
    Capture capture;
    const QByteArray header = QByteArray::fromHex("8203");
    WireEvent e = makeEvent(EventKind::Frame, Direction::Incoming, header, "abc");
    e.messageId = 1;
    capture.record(e);
    const Capture::Message m = capture.message(0);
    QCOMPARE(m.payload.constData(), capture.event(0).payload.data());
}

// Message ids count on after clear(): the index must keep working (and stay small) for the new
// messages, and a message whose first frame was cleared away shows its later frames on their own.
void tst_Capture::messagesAfterClear()
{
    Capture capture;
    const QByteArray whole = QByteArray::fromHex("8101"), first = QByteArray::fromHex("0101"),
                     middle = QByteArray::fromHex("0001"), last = QByteArray::fromHex("8001");
    auto frame = [&capture](const QByteArray &header, quint32 id) {
        WireEvent e = makeEvent(EventKind::Frame, Direction::Incoming, header, "x");
        e.messageId = id;
        capture.record(e);
    };
    frame(whole, 1);
    frame(first, 2); // message 2 is under way when the log is cleared
    capture.clear();
    frame(last, 2); // its last frame: its first is gone
    frame(first, 3);
    frame(middle, 3);
    frame(last, 3);
    QCOMPARE(capture.message(0).payload, QByteArray("x"));
    QCOMPARE(capture.message(0).frames, 1);
    const Capture::Message m = capture.message(3);
    QCOMPARE(m.payload, QByteArray("xxx"));
    QCOMPARE(m.frames, 3);
    QVERIFY(m.complete);
    for (quint32 id = 4; id < 1'000'004; ++id)
        frame(whole, id);
    QCOMPARE(capture.message(capture.count() - 1).frames, 1);
    QVERIFY2(double(capture.overheadBytes()) / double(capture.count()) < 100, "the index stays a vector");
}

void tst_Capture::firstOfKind()
{
    Capture capture;
    QCOMPARE(capture.firstOfKind(EventKind::HandshakeResponse), qsizetype(-1));
    capture.record(makeEvent(EventKind::StateChange, Direction::Local, {}, "CONNECTING"));
    capture.record(makeEvent(EventKind::HandshakeRequest, Direction::Outgoing, {}, "GET / HTTP/1.1\r\n\r\n"));
    capture.record(makeEvent(EventKind::HandshakeResponse, Direction::Incoming, {}, "HTTP/1.1 101 x\r\n\r\n"));
    capture.record(makeEvent(EventKind::HandshakeRequest, Direction::Outgoing, {}, "second"));
    QCOMPARE(capture.firstOfKind(EventKind::HandshakeRequest), qsizetype(1));
    QCOMPARE(capture.firstOfKind(EventKind::HandshakeResponse), qsizetype(2));
    QCOMPARE(capture.firstOfKind(EventKind::Frame), qsizetype(-1));
    QCOMPARE(capture.firstOfKind(EventKind::HandshakeRequest, Leg::None), qsizetype(1));
    QCOMPARE(capture.firstOfKind(EventKind::HandshakeRequest, Leg::App), qsizetype(-1));
}

// A relay has two handshakes: the application's request and the one sent on to the server.
void tst_Capture::firstOfKindPerLeg()
{
    Capture capture;
    WireEvent appRequest = makeEvent(EventKind::HandshakeRequest, Direction::Incoming, {}, "app");
    appRequest.leg = Leg::App;
    WireEvent serverRequest = makeEvent(EventKind::HandshakeRequest, Direction::Outgoing, {}, "server");
    serverRequest.leg = Leg::Server;
    capture.record(serverRequest); // any order: each leg keeps its own first
    capture.record(appRequest);
    QCOMPARE(capture.firstOfKind(EventKind::HandshakeRequest, Leg::App), qsizetype(1));
    QCOMPARE(capture.firstOfKind(EventKind::HandshakeRequest, Leg::Server), qsizetype(0));
    QCOMPARE(capture.firstOfKind(EventKind::HandshakeRequest), qsizetype(0));
    QCOMPARE(capture.event(1).leg, Leg::App);
    QCOMPARE(capture.event(0).leg, Leg::Server);
    capture.clear();
    QCOMPARE(capture.firstOfKind(EventKind::HandshakeRequest, Leg::App), qsizetype(-1));
    QCOMPARE(capture.firstOfKind(EventKind::HandshakeRequest), qsizetype(-1));
}

// A compressed message of two frames: each keeps its wire bytes, the final one the inflated
// message too; message() gives the inflated payload and the joined wire bytes.
void tst_Capture::compressedMessageKeepsBothForms()
{
    Capture capture;
    const QByteArray first = QByteArray::fromHex("4103"), last = QByteArray::fromHex("8004");
    WireEvent a;
    a.kind = EventKind::Frame;
    a.direction = Direction::Incoming;
    a.messageId = 1;
    a.header = first;
    QVERIFY(FrameHeader::decode(first, a.frame));
    a.payload = QByteArrayView("\xf2\x48\xcd", 3);
    a.compressed = true;
    capture.record(a);
    WireEvent b = a;
    b.header = last;
    QVERIFY(FrameHeader::decode(last, b.frame));
    b.payload = QByteArrayView("\xc9\xc9\x07\x00", 4);
    b.hasInflated = true;
    b.inflated = "Hello";
    capture.record(b);

    QVERIFY(capture.event(0).compressed && !capture.event(0).hasInflated);
    QCOMPARE(capture.event(1).payload.toByteArray(), QByteArray::fromHex("c9c90700"));
    QCOMPARE(capture.event(1).inflated.toByteArray(), QByteArray("Hello"));
    QCOMPARE(capture.payloadBytes(), quint64(3 + 4 + 5));
    for (qsizetype index : { 0, 1 }) {
        const Capture::Message m = capture.message(index);
        QVERIFY(m.compressed && m.inflated && m.complete);
        QCOMPARE(m.frames, 2);
        QCOMPARE(m.payload, QByteArray("Hello"));
        QCOMPARE(m.wire, QByteArray::fromHex("f248cdc9c90700"));
    }
}

void tst_Capture::relayDelayKept_data()
{
    QTest::addColumn<int>("recorded");
    QTest::addColumn<int>("readBack");
    QTest::addRow("not relayed") << int(WireEvent::NotRelayed) << int(WireEvent::NotRelayed);
    QTest::addRow("held") << int(WireEvent::RelayHeld) << int(WireEvent::RelayHeld);
    QTest::addRow("0 µs") << 0 << 0;
    QTest::addRow("123 µs") << 123 << 123;
    QTest::addRow("last exact µs") << 32'765 << 32'765;
    QTest::addRow("whole ms") << 40'000 << 40'000;
    QTest::addRow("rounded up to the ms") << 40'001 << 41'000;
    QTest::addRow("capped") << 2'000'000'000 << 32'766'000;
}

// Two bytes an event: exact to 32 ms, to the millisecond beyond, never shorter than it was.
void tst_Capture::relayDelayKept()
{
    QFETCH(int, recorded);
    QFETCH(int, readBack);
    WireEvent e = makeEvent(EventKind::Frame, Direction::Incoming, QByteArray::fromHex("8102"), "hi");
    e.leg = Leg::App;
    e.state = ReadyState::Closing;
    e.relayDelayUs = recorded;
    Capture capture;
    capture.record(e);
    const WireEvent back = capture.event(0);
    QCOMPARE(back.relayDelayUs, readBack);
    // Packed beside them, the leg, direction and state are unchanged.
    QCOMPARE(back.leg, Leg::App);
    QCOMPARE(back.direction, Direction::Incoming);
    QCOMPARE(back.state, ReadyState::Closing);
}

QTEST_GUILESS_MAIN(tst_Capture)
// A live connection writes its capture from the networking thread: what it writes becomes visible
// here only once this thread takes what the writer published (at the end of its turn, and every
// PublishEvery events within one), with its bytes and its messages; clear() from here waits for
// the writer's turn to end, and the writer goes on into the empty capture.
void tst_Capture::writerOnAnotherThread()
{
    auto capture = std::make_shared<Capture>();
    QSignalSpy grown(capture.get(), &Capture::grown);
    QThread network;
    network.start();
    CaptureWriter *writer = nullptr;
    auto stop = qScopeGuard([&] {
        if (writer)
            QMetaObject::invokeMethod(writer, [writer] { delete writer; }, Qt::BlockingQueuedConnection);
        network.quit();
        network.wait();
    });
    QObject anchor;
    anchor.moveToThread(&network);
    QMetaObject::invokeMethod(
        &anchor, [&] { writer = new CaptureWriter(capture); }, Qt::BlockingQueuedConnection);
    // One turn of the networking thread writing text frames "<i>", one message each.
    auto writeTurn = [&](int from, int count) {
        QMetaObject::invokeMethod(
            writer,
            [&, from, count] {
                for (int i = from; i < from + count; ++i) {
                    const QByteArray payload = QByteArray::number(i);
                    const QByteArray header = QByteArray(1, char(0x81)) + char(payload.size());
                    WireEvent e = makeEvent(EventKind::Frame, Direction::Incoming, header, payload);
                    e.messageId = quint32(i + 1);
                    writer->record(e);
                }
            },
            Qt::BlockingQueuedConnection);
    };
    const int events = 2 * CaptureWriter::PublishEvery + 100;
    writeTurn(0, events);
    QCOMPARE(capture->count(), 0); // written and published, not yet taken by this thread
    QCOMPARE(capture->firstOfKind(EventKind::Frame), qsizetype(-1));
    QTRY_COMPARE(capture->count(), events);
    QVERIFY(grown.count() >= 1);
    for (const int i : { 0, CaptureWriter::PublishEvery - 1, CaptureWriter::PublishEvery, events - 1 }) {
        QCOMPARE(capture->event(i).payload.toByteArray(), QByteArray::number(i));
        QCOMPARE(capture->message(i).payload, QByteArray::number(i));
    }
    QCOMPARE(capture->firstOfKind(EventKind::Frame), qsizetype(0));
    QCOMPARE(capture->payloadBytes(), quint64(QByteArray::number(0).size()) * 10 + 90 * 2 + 900 * 3 + 9000 * 4
            + quint64(events - 10000) * 5);

    writeTurn(events, 5);
    capture->clear(); // waits for that turn's end, if the writer is still in it
    QCOMPARE(capture->count(), 0);
    writeTurn(events + 5, 3);
    QTRY_COMPARE(capture->count(), 3);
    QCOMPARE(capture->event(0).payload.toByteArray(), QByteArray::number(events + 5));
    QCOMPARE(capture->message(2).payload, QByteArray::number(events + 7));
    QCOMPARE(capture->payloadBytes(), quint64(3 * 5));
}

#include "tst_capture.moc"
