// The client engine against a server that breaks the rules on purpose. For every fault the test
// asserts the client's reaction on the wire (the close frame it sends, or that it drops), the
// recorded violation or error, and that what was captured before the fault is still there.

#include "captureevents.h"
#include "log/capture.h"
#include "net/clientconnection.h"
#include "protocol/closecodes.h"
#include "rawserver.h"

#include <QSignalSpy>
#include <QTest>
#include <functional>

namespace {
using Script = std::function<void(RawServer &)>;

// A valid text frame the server sends first in frame-level cases: it must survive any later fault.
const QByteArray Greeting = QByteArray::fromHex("810548656c6c6f"); // "Hello"

Script acceptThen(const QByteArray &bytes)
{
    return [bytes](RawServer &s) { s.send(s.validResponse() + Greeting + bytes); };
}

QByteArray pattern(int size, char c = 'x')
{
    return QByteArray(size, c);
}
} // namespace

Q_DECLARE_METATYPE(Script)

class tst_HostileServer : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void frameViolations_data();
    void frameViolations();
    void handshakeFailures_data();
    void handshakeFailures();
    void silentServerTimesOut();
    void resetMidFrameKeepsEarlierFrames();
    void framesKnowTheirMessage();
    void dataAfterCloseIsRecorded();
    void lostFramingStopsParsing();
    void violationsKeptOpenWhenAsked();

private:
    struct Run {
        std::unique_ptr<RawServer> server = std::make_unique<RawServer>();
        std::unique_ptr<Capture> capture = std::make_unique<Capture>();
        std::unique_ptr<ClientConnection> client = std::make_unique<ClientConnection>(7);
    };
    // Starts the client against a RawServer running `script`; returns once the client is CLOSED.
    std::unique_ptr<Run> run(const Script &script, ConnectionOptions options = {});
};

std::unique_ptr<tst_HostileServer::Run> tst_HostileServer::run(const Script &script, ConnectionOptions options)
{
    auto r = std::make_unique<Run>();
    r->server->onRequest = script;
    if (!r->server->listen())
        return nullptr;
    r->client->addSink(r->capture.get());
    options.url = r->server->url();
    if (options.closeTimeoutMs == ConnectionOptions().closeTimeoutMs)
        options.closeTimeoutMs = 300; // the hostile server never answers a close frame
    QSignalSpy closed(r->client.get(), &ClientConnection::closed);
    r->client->open(options);
    if (!closed.wait(10'000))
        return nullptr;
    // The client's last bytes and its FIN reach the server through the same event loop.
    if (!QTest::qWaitFor([&r] { return r->server->clientDisconnected(); }, 5000))
        return nullptr;
    return r;
}

void tst_HostileServer::frameViolations_data()
{
    QTest::addColumn<QByteArray>("bytes"); // sent after the 101 response and the greeting
    QTest::addColumn<QString>("rule");
    QTest::addColumn<int>("closeCode"); // the code the client must send back
    QTest::addColumn<int>("maxFrameSize");

    QTest::newRow("reserved opcode 3") << QByteArray::fromHex("8300") << "reserved-opcode" << 1002 << 0;
    QTest::newRow("reserved opcode 11") << QByteArray::fromHex("8b00") << "reserved-opcode" << 1002 << 0;
    QTest::newRow("RSV1 without extension") << QByteArray::fromHex("c10161") << "reserved-bits-set" << 1002 << 0;
    QTest::newRow("RSV3") << QByteArray::fromHex("910161") << "reserved-bits-set" << 1002 << 0;
    QTest::newRow("126-byte ping") << QByteArray::fromHex("897e007e") + pattern(126) << "control-frame-too-long" << 1002 << 0;
    QTest::newRow("fragmented ping") << QByteArray::fromHex("0900") << "control-frame-fragmented" << 1002 << 0;
    QTest::newRow("continuation without start") << QByteArray::fromHex("800161") << "continuation-without-start" << 1002 << 0;
    QTest::newRow("text inside fragmented message")
        << QByteArray::fromHex("010161" "810162") << "data-frame-inside-fragmented-message" << 1002 << 0;
    QTest::newRow("non-minimal 16-bit length") << QByteArray::fromHex("817e0005") + "Hello" << "non-minimal-length" << 1002 << 0;
    QTest::newRow("non-minimal 64-bit length")
        << QByteArray::fromHex("827f0000000000000005") + "Hello" << "non-minimal-length" << 1002 << 0;
    QTest::newRow("masked frame from server")
        << QByteArray::fromHex("818537fa213d7f9f4d5158") << "masked-frame-from-server" << 1002 << 0;
    QTest::newRow("invalid UTF-8 text") << QByteArray::fromHex("8102c0af") << "invalid-utf8-text" << 1007 << 0;
    QTest::newRow("invalid UTF-8 across fragments")
        << QByteArray::fromHex("0102ceba" "8002e1ff") << "invalid-utf8-text" << 1007 << 0;
    QTest::newRow("close payload of 1 byte") << QByteArray::fromHex("880103") << "close-payload-one-byte" << 1002 << 0;
    QTest::newRow("close code 999") << QByteArray::fromHex("880203e7") << "invalid-close-code" << 1002 << 0;
    QTest::newRow("close code 1005") << QByteArray::fromHex("880203ed") << "invalid-close-code" << 1002 << 0;
    QTest::newRow("close code 5000") << QByteArray::fromHex("88021388") << "invalid-close-code" << 1002 << 0;
    QTest::newRow("close reason invalid UTF-8")
        << QByteArray::fromHex("880403e8c0af") << "close-reason-invalid-utf8" << 1007 << 0;
    QTest::newRow("frame over the size limit") << QByteArray::fromHex("827e0800") + pattern(2048) << "frame-too-big" << 1009 << 1024;
    QTest::newRow("message over the size limit")
        << QByteArray::fromHex("027e0258") + pattern(600) + QByteArray::fromHex("807e0258") + pattern(600)
        << "message-too-big" << 1009 << 1024;
}

void tst_HostileServer::frameViolations()
{
    QFETCH(QByteArray, bytes);
    QFETCH(QString, rule);
    QFETCH(int, closeCode);
    QFETCH(int, maxFrameSize);

    ConnectionOptions options;
    if (maxFrameSize) {
        options.limits.maxFrameSize = quint64(maxFrameSize);
        options.limits.maxMessageSize = quint64(maxFrameSize);
    }
    auto r = run(acceptThen(bytes), options);
    QVERIFY(r);

    // Recorded: the violation, named, with the code a strict peer answers.
    const auto violations = eventsOfKind(*r->capture, EventKind::Violation);
    QVERIFY(!violations.isEmpty());
    QCOMPARE(Violation::ruleId(violations.first().violation), rule);
    QCOMPARE(int(violations.first().closeCode), closeCode);
    QVERIFY(!violations.first().text().isEmpty());

    // On the wire: the client answered with a close frame carrying that code.
    const auto sent = r->server->clientFrames();
    QVERIFY(!sent.isEmpty());
    QCOMPARE(sent.last().header.opcode, quint8(Opcode::Close));
    QVERIFY(sent.last().header.masked);
    QCOMPARE(ClosePayload::parse(sent.last().payload).code, quint16(closeCode));
    QVERIFY(sent.last().payload.size() <= 125);

    // Nothing captured before the fault is lost: the greeting is there, byte-exact.
    const auto frames = eventsOfKind(*r->capture, EventKind::Frame);
    QVERIFY(!frames.isEmpty());
    QCOMPARE(frames.first().direction, Direction::Incoming);
    QCOMPARE(frames.first().header.toByteArray() + frames.first().payload.toByteArray(), Greeting);

    // The server never answered the close: not clean, 1006.
    QCOMPARE(r->client->readyState(), ReadyState::Closed);
    QCOMPARE(r->client->wasClean(), false);
    QCOMPARE(r->client->closeCode(), quint16(1006));
}

void tst_HostileServer::handshakeFailures_data()
{
    QTest::addColumn<Script>("script");
    QTest::addColumn<QStringList>("subprotocols");
    QTest::addColumn<QString>("expectedError");
    QTest::addColumn<QByteArray>("expectedResponseStart");

    QTest::newRow("403 with body") << Script([](RawServer &s) {
        s.send("HTTP/1.1 403 Forbidden\r\nContent-Type: text/plain\r\nContent-Length: 12\r\n\r\norigin denied");
    }) << QStringList() << "unexpected status 403"
                                   << QByteArray("HTTP/1.1 403 Forbidden\r\nContent-Type: text/plain\r\nContent-Length: 12\r\n\r\norigin denie");
    QTest::newRow("404 body until close") << Script([](RawServer &s) {
        s.send("HTTP/1.1 404 Not Found\r\n\r\nno such endpoint");
        s.closeTcp();
    }) << QStringList() << "unexpected status 404"
                                          << QByteArray("HTTP/1.1 404 Not Found\r\n\r\nno such endpoint");
    QTest::newRow("wrong accept") << Script([](RawServer &s) {
        s.send("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
               "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n\r\n");
    }) << QStringList() << "Sec-WebSocket-Accept mismatch: expected "
                                  << QByteArray("HTTP/1.1 101 Switching Protocols\r\n");
    QTest::newRow("missing accept") << Script([](RawServer &s) {
        s.send("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n");
    }) << QStringList() << "Sec-WebSocket-Accept" << QByteArray("HTTP/1.1 101 Switching Protocols\r\n");
    QTest::newRow("subprotocol not offered") << Script([](RawServer &s) { s.send(s.validResponse("chat")); })
                                             << QStringList { QStringLiteral("superchat") } << "chat"
                                             << QByteArray("HTTP/1.1 101 Switching Protocols\r\n");
    QTest::newRow("garbage instead of HTTP") << Script([](RawServer &s) { s.send(QByteArray("\x00\x01garbage\r\n\r\n", 13)); })
                                             << QStringList() << "not an HTTP response" << QByteArray("\x00\x01garbage", 9);
    QTest::newRow("oversized headers") << Script([](RawServer &s) {
        s.send("HTTP/1.1 101 Switching Protocols\r\nX-Padding: " + pattern(20'000) + "\r\n\r\n");
    }) << QStringList() << "16384" << QByteArray("HTTP/1.1 101 Switching Protocols\r\nX-Padding: xxx");
    QTest::newRow("closes without answering") << Script([](RawServer &s) { s.closeTcp(); }) << QStringList()
                                              << "without answering" << QByteArray();
}

void tst_HostileServer::handshakeFailures()
{
    QFETCH(Script, script);
    QFETCH(QStringList, subprotocols);
    QFETCH(QString, expectedError);
    QFETCH(QByteArray, expectedResponseStart);

    ConnectionOptions options;
    options.subprotocols = subprotocols;
    auto r = run(script, options);
    QVERIFY(r);
    QCOMPARE(r->client->readyState(), ReadyState::Closed);
    QCOMPARE(r->client->closeCode(), quint16(1006));
    QVERIFY2(r->client->errorString().contains(expectedError), qPrintable(r->client->errorString()));

    // The request went out and the response (whatever it was) is recorded, byte-exact at the start.
    QCOMPARE(eventsOfKind(*r->capture, EventKind::HandshakeRequest).size(), 1);
    const auto responses = eventsOfKind(*r->capture, EventKind::HandshakeResponse);
    if (expectedResponseStart.isEmpty()) {
        QCOMPARE(responses.size(), 0);
    } else {
        QCOMPARE(responses.size(), 1);
        QVERIFY2(responses.first().payload.startsWith(expectedResponseStart),
                 responses.first().payload.first(qMin<qsizetype>(80, responses.first().payload.size())).toByteArray().constData());
    }
    // The error is recorded too, and no frame was ever sent (RFC 6455 §4.1: fail, don't close).
    const auto errors = eventsOfKind(*r->capture, EventKind::Error);
    QVERIFY(!errors.isEmpty());
    QVERIFY(errors.last().text().contains(expectedError));
    QCOMPARE(r->server->clientFrames().size(), 0);
    QTRY_VERIFY(r->server->clientDisconnected());
}

void tst_HostileServer::silentServerTimesOut()
{
    ConnectionOptions options;
    options.handshakeTimeoutMs = 200;
    auto r = run([](RawServer &) {}, options);
    QVERIFY(r);
    QVERIFY2(r->client->errorString().contains(QStringLiteral("handshake timed out after 200 ms")),
             qPrintable(r->client->errorString()));
    QVERIFY(r->client->errorString().contains(QStringLiteral("no response")));
    QCOMPARE(r->client->closeCode(), quint16(1006));
    QTRY_VERIFY(r->server->clientDisconnected());
}

void tst_HostileServer::resetMidFrameKeepsEarlierFrames()
{
    auto r = run([](RawServer &s) {
        s.send(s.validResponse() + Greeting + QByteArray::fromHex("810548"));
        s.resetTcp();
    });
    QVERIFY(r);
    QCOMPARE(r->client->closeCode(), quint16(1006));
    QCOMPARE(r->client->wasClean(), false);
    const auto frames = eventsOfKind(*r->capture, EventKind::Frame);
    QCOMPARE(frames.size(), 1);
    QCOMPARE(frames.first().payload.toByteArray(), QByteArray("Hello"));
    bool reported = false;
    for (const WireEvent &e : eventsOfKind(*r->capture, EventKind::Error))
        reported = reported || e.text().contains(QStringLiteral("middle of a frame: 3 bytes"));
    QVERIFY(reported);
    // The TCP connection was gone: no close frame could be sent.
    QCOMPARE(r->server->clientFrames().size(), 0);
}

// The engine numbers messages as frames arrive and leave: a fragment finds its message in O(1).
void tst_HostileServer::framesKnowTheirMessage()
{
    // "Hello", then "ab" in two fragments with a ping between, an orphan continuation, then close.
    auto r = run(acceptThen(QByteArray::fromHex("010161" "890170" "800162" "80016f" "880203e8")));
    QVERIFY(r);
    const auto in = framesOf(*r->capture, Direction::Incoming);
    QCOMPARE(in.size(), 6);
    QList<quint32> ids;
    for (const WireEvent &e : in)
        ids << e.messageId;
    QCOMPARE(ids, (QList<quint32> { 1, 2, 0, 2, 0, 0 }));
    qsizetype last = -1;
    for (qsizetype i = 0; i < r->capture->count(); ++i) {
        const WireEvent e = r->capture->event(i);
        if (e.kind == EventKind::Frame && e.direction == Direction::Incoming && e.payload == "b")
            last = i;
    }
    QCOMPARE(r->capture->message(last).payload, QByteArray("ab"));
    const auto out = framesOf(*r->capture, Direction::Outgoing);
    QVERIFY(!out.isEmpty()); // the pong and the close: control frames, no message
    for (const WireEvent &e : out)
        QCOMPARE(e.messageId, 0u);
}

void tst_HostileServer::dataAfterCloseIsRecorded()
{
    auto r = run(acceptThen(QByteArray::fromHex("880203e8" "8103616674")));
    QVERIFY(r);
    const auto violations = eventsOfKind(*r->capture, EventKind::Violation);
    QCOMPARE(violations.size(), 1);
    QCOMPARE(violations.first().violation, ViolationRule::DataAfterClose);
    // The late frame is still recorded so the user sees it.
    const auto frames = eventsOfKind(*r->capture, EventKind::Frame);
    QCOMPARE(frames.last().payload.toByteArray(), QByteArray("aft"));
    // The client answered the server's close 1000 with 1000; the closing handshake completed.
    const auto sent = r->server->clientFrames();
    QCOMPARE(sent.size(), 1);
    QCOMPARE(ClosePayload::parse(sent.first().payload).code, quint16(1000));
    QCOMPARE(r->client->closeCode(), quint16(1000));
    QCOMPARE(r->client->wasClean(), true);
}

void tst_HostileServer::lostFramingStopsParsing()
{
    // 64-bit length with the top bit set: nothing after it can be framed.
    auto r = run(acceptThen(QByteArray::fromHex("827f8000000000000001" "8103616263")));
    QVERIFY(r);
    const auto violations = eventsOfKind(*r->capture, EventKind::Violation);
    QCOMPARE(violations.size(), 1);
    QCOMPARE(violations.first().violation, ViolationRule::LengthTopBitSet);
    QCOMPARE(violations.first().header.toByteArray(), QByteArray::fromHex("827f8000000000000001"));
    const auto sent = r->server->clientFrames();
    QCOMPARE(sent.size(), 1);
    QCOMPARE(ClosePayload::parse(sent.first().payload).code, quint16(1002));
    QTRY_VERIFY(r->server->clientDisconnected());
    QCOMPARE(eventsOfKind(*r->capture, EventKind::Frame).size(), 2); // greeting + our close
}

void tst_HostileServer::violationsKeptOpenWhenAsked()
{
    ConnectionOptions options;
    options.closeOnViolation = false;
    auto r = std::make_unique<Run>();
    r->server->onRequest = acceptThen(QByteArray::fromHex("c10161" "810162"));
    QVERIFY(r->server->listen());
    r->client->addSink(r->capture.get());
    options.url = r->server->url();
    QSignalSpy messages(r->client.get(), &ClientConnection::messageReceived);
    QVERIFY(r->client->open(options));
    QTRY_COMPARE(messages.size(), 3); // Hello, a (RSV1, recorded as a violation), b
    QCOMPARE(r->client->readyState(), ReadyState::Open);
    QCOMPARE(eventsOfKind(*r->capture, EventKind::Violation).size(), 1);
    QCOMPARE(r->server->clientFrames().size(), 0);
}

QTEST_GUILESS_MAIN(tst_HostileServer)
#include "tst_hostileserver.moc"
