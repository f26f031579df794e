// The client engine against hostile permessage-deflate servers, scripted byte by byte: a deflate
// bomb, RSV1 where RFC 7692 forbids it, data that does not inflate, and extension answers that are
// unoffered, malformed or out of range. Each case checks what the client recorded and what it sent
// back on the wire.

#include "captureevents.h"
#include "log/capture.h"
#include "net/clientconnection.h"
#include "protocol/messagedeflate.h"
#include "rawserver.h"

#include <QFile>
#include <QSignalSpy>
#include <QTest>

#include <functional>

namespace {

QByteArray acceptDeflate(const RawServer &s, QByteArrayView answer = "permessage-deflate")
{
    return Handshake::buildResponse(s.requestKey(), {}, { { "Sec-WebSocket-Extensions", answer.toByteArray() } });
}

// An unmasked server frame with the minimal length form.
QByteArray serverFrame(quint8 firstByte, const QByteArray &payload)
{
    QByteArray out(1, char(firstByte));
    const qsizetype n = payload.size();
    if (n < 126) {
        out += char(n);
    } else if (n <= 0xFFFF) {
        out += char(126);
        out += char(n >> 8);
        out += char(n & 0xFF);
    } else {
        out += char(127);
        for (int shift = 56; shift >= 0; shift -= 8)
            out += char((quint64(n) >> shift) & 0xFF);
    }
    return out + payload;
}

// 64 MiB of zeros as one DEFLATE stream of about 64 KiB, built from 1 MiB pieces so that the test
// itself never holds the 64 MiB: with context takeover each piece continues the stream, and the
// 00 00 ff ff tail that compress() removed goes back between them.
QByteArray deflateBomb()
{
    MessageDeflater deflater(15, false, 9);
    const QByteArray zeros(1 << 20, '\0');
    QByteArray bomb;
    for (int i = 0; i < 64; ++i) {
        if (i > 0)
            bomb += QByteArray::fromHex("0000ffff");
        bomb += deflater.compress(zeros);
    }
    return bomb;
}

// Peak resident memory of this process so far (VmHWM), in bytes; 0 when unknown.
qint64 peakResidentBytes()
{
    QFile status(QStringLiteral("/proc/self/status"));
    if (!status.open(QIODevice::ReadOnly))
        return 0;
    for (const QByteArray &line : status.readAll().split('\n')) {
        if (line.startsWith("VmHWM:"))
            return line.mid(6).trimmed().split(' ').first().toLongLong() * 1024;
    }
    return 0;
}

struct Run {
    Capture capture;
    ClientConnection client { 1 };
    Run() { client.addSink(&capture); }
    // Connects to `server` with the default options (the browser's offer) changed by `adjust`, and
    // waits for OPEN; false when it did not open.
    bool openTo(const RawServer &server, const std::function<void(ConnectionOptions &)> &adjust = {})
    {
        ConnectionOptions options;
        options.url = server.url();
        if (adjust)
            adjust(options);
        QSignalSpy opened(&client, &ClientConnection::opened);
        return client.open(options) && opened.wait(5000);
    }
    QStringList rules() const
    {
        QStringList ids;
        for (const WireEvent &e : eventsOfKind(capture, EventKind::Violation))
            ids << Violation::ruleId(e.violation);
        return ids;
    }
};

} // namespace

class tst_ClientDeflate : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void offerIsSentAsBrowsersSendIt();
    void noOfferWhenSwitchedOff();
    void hostileFrames_data();
    void hostileFrames();
    void deflateBombIsRefusedWithLittleMemory();
    void badAnswersFailTheHandshake_data();
    void badAnswersFailTheHandshake();
    void compressedCraftedFrameUsesTheConnectionStream();
};

void tst_ClientDeflate::offerIsSentAsBrowsersSendIt()
{
    RawServer server;
    server.onRequest = [](RawServer &s) { s.send(acceptDeflate(s, "permessage-deflate; server_no_context_takeover")); };
    QVERIFY(server.listen());
    Run run;
    QVERIFY(run.openTo(server));
    QCOMPARE(HttpHeaderList::values(server.request().headers, "Sec-WebSocket-Extensions"),
        QList<QByteArray> { "permessage-deflate; client_max_window_bits" });
    QVERIFY(run.client.deflate().has_value());
    QVERIFY(run.client.deflate()->serverNoContextTakeover);
    // "Hello" goes out compressed (RFC 7692 §7.2.3.1's bytes), masked, RSV1 set.
    QVERIFY(run.client.sendText("Hello"));
    QTRY_COMPARE(server.clientFrames().size(), 1);
    const RawServer::ClientFrame frame = server.clientFrames().first();
    QCOMPARE(frame.header.rsv, quint8(Rsv::Rsv1));
    QVERIFY(frame.header.masked);
    QCOMPARE(frame.payload, QByteArray::fromHex("f248cdc9c90700"));
    // The state change says what was agreed.
    bool saidSo = false;
    for (const WireEvent &e : eventsOfKind(run.capture, EventKind::StateChange))
        saidSo = saidSo || e.text() == QStringLiteral("OPEN (permessage-deflate)");
    QVERIFY(saidSo);
}

void tst_ClientDeflate::noOfferWhenSwitchedOff()
{
    RawServer server;
    server.onRequest = [](RawServer &s) { s.send(s.validResponse()); };
    QVERIFY(server.listen());
    Run run;
    QVERIFY(run.openTo(server, [](ConnectionOptions &o) { o.deflate.reset(); }));
    QVERIFY(!HttpHeaderList::contains(server.request().headers, "Sec-WebSocket-Extensions"));
    QVERIFY(!run.client.deflate().has_value());
    QVERIFY(run.client.sendText("Hello"));
    QTRY_COMPARE(server.clientFrames().size(), 1);
    QCOMPARE(server.clientFrames().first().header.rsv, quint8(0));
    QCOMPARE(server.clientFrames().first().payload, QByteArray("Hello"));
}

void tst_ClientDeflate::hostileFrames_data()
{
    QTest::addColumn<QByteArray>("frames");
    QTest::addColumn<QStringList>("rules");
    QTest::addColumn<int>("closeCode"); // what the client answers with
    const QByteArray hello = QByteArray::fromHex("f248cdc9c90700");
    QTest::addRow("RSV1 on a ping") << serverFrame(0xc9, "hi")
                                    << QStringList { QStringLiteral("compressed-control-frame") } << 1002;
    QTest::addRow("RSV1 on a continuation") << serverFrame(0x41, hello.first(3)) + serverFrame(0xc0, hello.sliced(3))
                                            << QStringList { QStringLiteral("compressed-continuation") } << 1002;
    QTest::addRow("data that does not inflate") << serverFrame(0xc1, QByteArray::fromHex("ff00ff00"))
                                                << QStringList { QStringLiteral("invalid-compressed-data") } << 1007;
    QTest::addRow("inflated text that is not UTF-8") << serverFrame(0xc1, MessageDeflater(15, true).compress("ok \xff"))
                                                     << QStringList { QStringLiteral("invalid-utf8-text") } << 1007;
}

void tst_ClientDeflate::hostileFrames()
{
    QFETCH(QByteArray, frames);
    QFETCH(QStringList, rules);
    QFETCH(int, closeCode);
    RawServer server;
    server.onRequest = [frames](RawServer &s) { s.send(acceptDeflate(s) + frames); };
    QVERIFY(server.listen());
    Run run;
    ConnectionOptions options;
    options.url = server.url();
    QVERIFY(run.client.open(options));
    QTRY_VERIFY_WITH_TIMEOUT(!server.clientFrames().isEmpty(), 5000);
    QCOMPARE(run.rules(), rules);
    const RawServer::ClientFrame close = server.clientFrames().first();
    QCOMPARE(close.header.opcode, quint8(Opcode::Close));
    QCOMPARE((uchar(close.payload[0]) << 8) | uchar(close.payload[1]), closeCode);
}

void tst_ClientDeflate::deflateBombIsRefusedWithLittleMemory()
{
    const QByteArray bomb = deflateBomb();
    QVERIFY2(bomb.size() < 128 * 1024, qPrintable(QString::number(bomb.size())));
    RawServer server;
    server.onRequest = [&bomb](RawServer &s) { s.send(acceptDeflate(s) + serverFrame(0xc2, bomb)); };
    QVERIFY(server.listen());
    Run run;
    ConnectionOptions options;
    options.url = server.url();
    options.limits.maxMessageSize = 1 << 20;
    const qint64 peakBefore = peakResidentBytes();
    QVERIFY(run.client.open(options));
    QTRY_VERIFY_WITH_TIMEOUT(!server.clientFrames().isEmpty(), 10'000);
    const qint64 peakAfter = peakResidentBytes();
    QCOMPARE(run.rules(), QStringList { QStringLiteral("message-too-big") });
    const RawServer::ClientFrame close = server.clientFrames().first();
    QCOMPARE((uchar(close.payload[0]) << 8) | uchar(close.payload[1]), 1009);
    // The message would inflate to 64 MiB; the client stopped at its 1 MiB limit.
    if (peakBefore > 0)
        QVERIFY2(peakAfter - peakBefore < 16 << 20,
            qPrintable(QStringLiteral("peak memory grew by %1 bytes").arg(peakAfter - peakBefore)));
    const auto frames = framesOf(run.capture, Direction::Incoming);
    QCOMPARE(frames.size(), 1);
    QVERIFY(frames.first().compressed && !frames.first().hasInflated);
}

void tst_ClientDeflate::badAnswersFailTheHandshake_data()
{
    QTest::addColumn<bool>("offer");
    QTest::addColumn<QByteArray>("answer");
    QTest::addColumn<QString>("failure");
    QTest::addRow("not offered")
        << false << QByteArray("permessage-deflate")
        << QStringLiteral("server selected extension \"permessage-deflate\" which the client did not offer");
    QTest::addRow("malformed") << true << QByteArray("evil; x=\"\\")
                               << QStringLiteral("Sec-WebSocket-Extensions is malformed: a backslash ends the header "
                                                 "inside the quoted-string opened at byte 9");
    QTest::addRow("window bits 7") << true << QByteArray("permessage-deflate; client_max_window_bits=7")
                                   << QStringLiteral("permessage-deflate response: client_max_window_bits must be a "
                                                     "number from 8 to 15, not \"7\" (RFC 7692 §7.1.2.2)");
}

void tst_ClientDeflate::badAnswersFailTheHandshake()
{
    QFETCH(bool, offer);
    QFETCH(QByteArray, answer);
    QFETCH(QString, failure);
    RawServer server;
    server.onRequest = [answer](RawServer &s) { s.send(acceptDeflate(s, answer)); };
    QVERIFY(server.listen());
    Run run;
    ConnectionOptions options;
    options.url = server.url();
    if (!offer)
        options.deflate.reset();
    QSignalSpy opened(&run.client, &ClientConnection::opened);
    QSignalSpy closed(&run.client, &ClientConnection::closed);
    QVERIFY(run.client.open(options));
    QVERIFY(closed.wait(5000));
    QCOMPARE(opened.size(), 0);
    QCOMPARE(run.client.handshakeCheck().failures, QStringList { failure });
    QCOMPARE(run.rules(), QStringList { QStringLiteral("handshake-failed") });
}

// A hand-made frame compressed on purpose goes through the connection's own stream: with context
// takeover, the next ordinary message refers back into it, and the peer inflates both.
void tst_ClientDeflate::compressedCraftedFrameUsesTheConnectionStream()
{
    RawServer server;
    server.onRequest = [](RawServer &s) { s.send(acceptDeflate(s)); };
    QVERIFY(server.listen());
    Run run;
    QVERIFY(run.openTo(server));
    FrameSpec spec;
    spec.rsv = Rsv::Rsv1;
    spec.payload = "Hello";
    QVERIFY(run.client.sendFrame(spec, true));
    QVERIFY(run.client.sendText("Hello"));
    QTRY_COMPARE(server.clientFrames().size(), 2);
    QCOMPARE(server.clientFrames()[0].payload, QByteArray::fromHex("f248cdc9c90700"));
    QCOMPARE(server.clientFrames()[1].payload, QByteArray::fromHex("f200110000")); // RFC 7692 §7.2.3.2
    MessageInflater inflater(false, 1024);
    QByteArray out;
    for (const RawServer::ClientFrame &f : server.clientFrames()) {
        QCOMPARE(inflater.feed(f.payload, out), MessageInflater::Result::Ok);
        QCOMPARE(inflater.finish(out), MessageInflater::Result::Ok);
    }
    QCOMPARE(out, QByteArray("HelloHello"));
}

QTEST_GUILESS_MAIN(tst_ClientDeflate)
#include "tst_clientdeflate.moc"
