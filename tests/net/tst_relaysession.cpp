// The relay between a scripted application (raw TCP) and a scripted server (RawServer): what each
// side receives must be exactly what the other sent, whatever it was, and the capture must name
// every frame and every violation on the leg where it happened. Real clients and servers on both
// sides are in tests/interop/tst_relayinterop.cpp.

#include "captureevents.h"
#include "log/capture.h"
#include "net/relayserver.h"
#include "protocol/closecodes.h"
#include "protocol/framewriter.h"
#include "protocol/messagedeflate.h"
#include "rawclient.h"
#include "rawserver.h"

#include <QSignalSpy>
#include <QTcpSocket>
#include <QTest>

namespace {

const QByteArray AppKey = "dGhlIHNhbXBsZSBub25jZQ==";

QByteArray appRequest(quint16 relayPort, QByteArrayView target = "/", QByteArrayView extra = {})
{
    return "GET " + target.toByteArray() + " HTTP/1.1\r\nHost: 127.0.0.1:" + QByteArray::number(relayPort)
        + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: " + AppKey
        + "\r\nSec-WebSocket-Version: 13\r\nOrigin: http://app.test\r\n" + extra.toByteArray() + "\r\n";
}

QByteArray frame(quint8 opcode, const QByteArray &payload, bool mask, bool fin = true, quint8 rsv = 0)
{
    FrameSpec spec;
    spec.opcode = opcode;
    spec.payload = payload;
    spec.mask = mask;
    spec.fin = fin;
    spec.rsv = rsv;
    if (mask)
        spec.maskingKey = 0x11223344;
    return FrameWriter::encode(spec).bytes;
}



// The relay with a capture of every session.
struct Fixture {
    explicit Fixture(const QUrl &to, const std::function<void(RelayOptions &)> &adjust = {})
    {
        RelayOptions options;
        options.to = to;
        if (adjust)
            adjust(options);
        relay = std::make_unique<RelayServer>(options);
        QObject::connect(relay.get(), &RelayServer::sessionStarted, relay.get(),
            [this](RelaySession *session) { session->addSink(&capture); });
        QObject::connect(relay.get(), &RelayServer::sessionFinished, relay.get(), [this] { ++finished; });
    }
    Capture capture;
    std::unique_ptr<RelayServer> relay;
    int finished = 0;
    QString closedText() const
    {
        for (const WireEvent &e : eventsOfKind(capture, EventKind::StateChange))
            if (e.state == ReadyState::Closed)
                return e.text();
        return {};
    }
};

} // namespace

class tst_RelaySession : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void forwardsEverythingByteExact_data();
    void forwardsEverythingByteExact();
    void gatedStepsAsideOnce();
    void violationsNamedOnTheirLeg();
    void pathAndQueryAppended();
    void non101AnswerPassedBack();
    void appLeavesDuringTheAnswer();
    void serverUnreachable();
    void badRequestAnswered();
    void serverTooSlow();
    void closingHandshakeBothWays();
    void serverDropsMidFrame();
    void appDropsWithoutClose();
    void compressedBothLegsInflated();
    void largeFrameStreamedThrough();
};

void tst_RelaySession::forwardsEverythingByteExact_data()
{
    QTest::addColumn<bool>("interceptable");
    QTest::addRow("forwarded as read") << false;
    // Through the gates, frame by frame once parsed; the frames sent with the request wait for
    // the gate and go once.
    QTest::addRow("through gates (intercept allowed)") << true;
}

void tst_RelaySession::forwardsEverythingByteExact()
{
    QFETCH(bool, interceptable);
    RawServer server;
    QVERIFY(server.listen());
    const QByteArray serverFrames = frame(Opcode::Text, "hello app", false) + frame(Opcode::Ping, "p", false);
    server.onRequest = [&](RawServer &s) { s.send(s.validResponse() + serverFrames); };
    Fixture f(server.url(), [interceptable](RelayOptions &o) { o.interceptable = interceptable; });
    QVERIFY(f.relay->listen());
    QCOMPARE(f.relay->url().toString(), QStringLiteral("ws://127.0.0.1:%1/").arg(f.relay->port()));

    RawClient app(f.relay->port());
    QVERIFY(app.socket.waitForConnected(5000));
    const QByteArray request = appRequest(f.relay->port());
    const QByteArray appFrames = frame(Opcode::Binary, QByteArray("\0\1\2", 3), true) + frame(Opcode::Pong, "p", true);
    app.socket.write(request + appFrames); // frames in the same packet as the request

    const QByteArray response = Handshake::buildResponse(AppKey);
    QTRY_COMPARE(app.received, response + serverFrames);
    // The server got the request with Host rewritten and nothing else changed, then the frames.
    QCOMPARE(server.request().raw,
        QByteArray(request).replace("Host: 127.0.0.1:" + QByteArray::number(f.relay->port()),
            "Host: 127.0.0.1:" + QByteArray::number(server.port())));
    QTRY_COMPARE(server.received(), server.request().raw + appFrames);
    QCOMPARE(server.clientFrames().size(), 2);
    QCOMPARE(server.clientFrames()[0].payload, QByteArray("\0\1\2", 3));
    QCOMPARE(server.clientFrames()[1].header.opcode, Opcode::Pong);

    // Both requests, the answer on both legs, each side's frames incoming on its own leg.
    const auto requests = eventsOfKind(f.capture, EventKind::HandshakeRequest);
    QCOMPARE(requests.size(), 2);
    QCOMPARE(requests[0].leg, Leg::App);
    QCOMPARE(requests[0].direction, Direction::Incoming);
    QCOMPARE(requests[0].payload.toByteArray(), request);
    QCOMPARE(requests[1].leg, Leg::Server);
    QCOMPARE(requests[1].direction, Direction::Outgoing);
    QCOMPARE(requests[1].payload.toByteArray(), server.request().raw);
    const auto responses = eventsOfKind(f.capture, EventKind::HandshakeResponse);
    QCOMPARE(responses.size(), 2);
    QCOMPARE(responses[0].leg, Leg::Server);
    QCOMPARE(responses[1].leg, Leg::App);
    QCOMPARE(responses[1].direction, Direction::Outgoing);
    QCOMPARE(responses[1].payload.toByteArray(), response);
    const auto frames = eventsOfKind(f.capture, EventKind::Frame);
    QCOMPARE(frames.size(), 4);
    const auto appSide = onLeg(frames, Leg::App), serverSide = onLeg(frames, Leg::Server);
    QCOMPARE(appSide.size(), 2);
    QCOMPARE(appSide[0].payload.toByteArray(), QByteArray("\0\1\2", 3));
    QVERIFY(appSide[0].frame.masked);
    QCOMPARE(appSide[0].messageId, 1u);
    QCOMPARE(serverSide[0].payload.toByteArray(), QByteArray("hello app"));
    QCOMPARE(serverSide[0].messageId, 1u);
    for (const WireEvent &e : frames)
        QCOMPARE(e.direction, Direction::Incoming);
    QVERIFY(eventsOfKind(f.capture, EventKind::Violation).isEmpty());
    QCOMPARE(f.relay->sessions().size(), 1);
    QCOMPARE(f.relay->sessions().first()->readyState(), ReadyState::Open);

    // How long each frame took to go on: the application's came with its request and waited for
    // the server's answer; the server's went on at once; so does a frame the application sends now.
    // Through a gate, frames go on once parsed: no delay is measured.
    for (const WireEvent &e : appSide)
        QCOMPARE(e.relayDelayUs, WireEvent::RelayHeld);
    for (const WireEvent &e : serverSide)
        QVERIFY2(interceptable ? e.relayDelayUs == WireEvent::NotRelayed : e.relayDelayUs >= 0,
            qPrintable(QString::number(e.relayDelayUs)));
    app.socket.write(frame(Opcode::Text, "now", true));
    QTRY_COMPARE(server.clientFrames().size(), 3);
    QTRY_COMPARE(onLeg(eventsOfKind(f.capture, EventKind::Frame), Leg::App).size(), 3);
    QVERIFY(interceptable || onLeg(eventsOfKind(f.capture, EventKind::Frame), Leg::App).last().relayDelayUs >= 0);
    // Events that are not forwarded frames carry none.
    QCOMPARE(requests[0].relayDelayUs, WireEvent::NotRelayed);
}

// Invalid frames reach the other side unchanged; the log names each on the leg that sent it.
// A gated direction whose sender breaks RFC 6455: from the offending frame on, every byte goes
// on once, as it came, in this read and the next.
void tst_RelaySession::gatedStepsAsideOnce()
{
    RawServer server;
    QVERIFY(server.listen());
    server.onRequest = [](RawServer &s) { s.send(s.validResponse()); };
    Fixture f(server.url(), [](RelayOptions &o) { o.interceptable = true; });
    QVERIFY(f.relay->listen());
    RawClient app(f.relay->port());
    QVERIFY(app.socket.waitForConnected(5000));
    app.socket.write(appRequest(f.relay->port()));
    QTRY_VERIFY(app.received.startsWith("HTTP/1.1 101"));
    const QByteArray good = frame(Opcode::Text, "A", true), unmasked = frame(Opcode::Text, "B", false);
    const QByteArray later = frame(Opcode::Text, "C", true);
    app.socket.write(good + unmasked);
    QTRY_COMPARE(server.received(), server.request().raw + good + unmasked);
    app.socket.write(later);
    QTRY_COMPARE(server.received(), server.request().raw + good + unmasked + later);
    bool steppedAside = false;
    for (const WireEvent &e : eventsOfKind(f.capture, EventKind::Intercept))
        steppedAside = steppedAside || e.payload.contains("rules no longer apply");
    QVERIFY(steppedAside);
}

void tst_RelaySession::violationsNamedOnTheirLeg()
{
    RawServer server;
    QVERIFY(server.listen());
    const QByteArray badFromServer = frame(Opcode::Text, "masked", true)
        + frame(Opcode::Text, "rsv", false, true, Rsv::Rsv2) + frame(Opcode::Text, "\xc3\x28", false);
    server.onRequest = [&](RawServer &s) { s.send(s.validResponse() + badFromServer); };
    Fixture f(server.url());
    QVERIFY(f.relay->listen());
    RawClient app(f.relay->port());
    QVERIFY(app.socket.waitForConnected(5000));
    const QByteArray badFromApp = frame(Opcode::Text, "unmasked", false) + frame(0xB, "reserved", true);
    app.socket.write(appRequest(f.relay->port()));
    QTRY_VERIFY(app.received.startsWith("HTTP/1.1 101"));
    app.socket.write(badFromApp);
    QTRY_VERIFY(app.received.endsWith(badFromServer));
    QTRY_VERIFY(server.clientFrames().size() == 2);
    QCOMPARE(server.clientFrames()[0].payload, QByteArray("unmasked"));
    QCOMPARE(server.clientFrames()[1].header.opcode, quint8(0xB));

    const auto violations = eventsOfKind(f.capture, EventKind::Violation);
    QList<QPair<Leg, ViolationRule>> named;
    for (const WireEvent &v : violations)
        named << qMakePair(v.leg, v.violation);
    QCOMPARE(named,
        (QList<QPair<Leg, ViolationRule>> { { Leg::Server, ViolationRule::MaskedFrameFromServer },
            { Leg::Server, ViolationRule::ReservedBitsSet }, { Leg::Server, ViolationRule::InvalidUtf8Text },
            { Leg::App, ViolationRule::UnmaskedFrameFromClient }, { Leg::App, ViolationRule::ReservedOpcode } }));
    // The relay answers nothing itself: the server got exactly two frames, the application no close.
    QVERIFY(!app.received.contains(frame(Opcode::Close, FrameWriter::closePayload(1002, {}), false).left(2)));
}

void tst_RelaySession::pathAndQueryAppended()
{
    RawServer server;
    QVERIFY(server.listen());
    server.onRequest = [](RawServer &s) { s.send(s.validResponse()); };
    QUrl to = server.url();
    to.setPath(QStringLiteral("/base"));
    to.setQuery(QStringLiteral("token=t"));
    Fixture f(to, [](RelayOptions &o) { o.origin = QStringLiteral("https://replaced.test"); });
    QVERIFY(f.relay->listen());
    RawClient app(f.relay->port());
    QVERIFY(app.socket.waitForConnected(5000));
    app.socket.write(appRequest(f.relay->port(), "/chat?room=2"));
    QTRY_VERIFY(app.received.startsWith("HTTP/1.1 101"));
    QCOMPARE(server.request().target, QByteArray("/base/chat?token=t&room=2"));
    QCOMPARE(HttpHeaderList::value(server.request().headers, "origin"), QByteArray("https://replaced.test"));
    QCOMPARE(f.relay->sessions().first()->upstreamUrl().toString(),
        QStringLiteral("ws://127.0.0.1:%1/base/chat?token=t&room=2").arg(server.port()));
}

void tst_RelaySession::non101AnswerPassedBack()
{
    RawServer server;
    QVERIFY(server.listen());
    const QByteArray answer
        = "HTTP/1.1 403 Forbidden\r\nContent-Type: text/plain\r\nContent-Length: 14\r\n\r\nno entry here\n";
    server.onRequest = [&](RawServer &s) {
        s.send(answer);
        s.closeTcp();
    };
    Fixture f(server.url());
    QVERIFY(f.relay->listen());
    RawClient app(f.relay->port());
    QVERIFY(app.socket.waitForConnected(5000));
    app.socket.write(appRequest(f.relay->port()));
    QTRY_VERIFY(app.gone);
    QCOMPARE(app.received, answer);
    QTRY_COMPARE(f.finished, 1);
    const auto responses = eventsOfKind(f.capture, EventKind::HandshakeResponse);
    QCOMPARE(responses.size(), 2);
    QCOMPARE(responses[0].payload.toByteArray(), answer);
    bool said = false;
    for (const WireEvent &e : eventsOfKind(f.capture, EventKind::StateChange))
        said = said || e.text().contains(QLatin1String("the server answered 403 Forbidden"));
    QVERIFY(said);
}

// An application that drops on reading a status line: the relay still reads the server's whole
// answer for the log, then closes the server leg.
void tst_RelaySession::appLeavesDuringTheAnswer()
{
    RawServer server;
    QVERIFY(server.listen());
    const QByteArray head = "HTTP/1.1 401 Unauthorized\r\nContent-Length: 13\r\n\r\n";
    server.onRequest = [&](RawServer &s) { s.send(head); };
    Fixture f(server.url());
    QVERIFY(f.relay->listen());
    RawClient app(f.relay->port());
    QVERIFY(app.socket.waitForConnected(5000));
    app.socket.write(appRequest(f.relay->port()));
    QTRY_VERIFY(app.received.startsWith("HTTP/1.1 401"));
    app.socket.abort();
    QTRY_VERIFY([&] {
        for (const WireEvent &e : eventsOfKind(f.capture, EventKind::StateChange))
            if (e.text().contains(QLatin1String("reading the rest of the server's answer")))
                return true;
        return false;
    }());
    QVERIFY(!server.clientDisconnected());
    server.send("token needed\n");
    QTRY_VERIFY(server.clientDisconnected()); // closed once the answer was complete
    QTRY_COMPARE(f.finished, 1);
    const auto responses = eventsOfKind(f.capture, EventKind::HandshakeResponse);
    QCOMPARE(responses.size(), 1); // none on the application's leg: it had left
    QCOMPARE(responses[0].payload.toByteArray(), head + "token needed\n");
}

void tst_RelaySession::serverUnreachable()
{
    QTcpServer closed;
    QVERIFY(closed.listen(QHostAddress::LocalHost, 0));
    const quint16 port = closed.serverPort();
    closed.close(); // nothing listens there now
    Fixture f(QUrl(QStringLiteral("ws://127.0.0.1:%1/").arg(port)));
    QVERIFY(f.relay->listen());
    RawClient app(f.relay->port());
    QVERIFY(app.socket.waitForConnected(5000));
    app.socket.write(appRequest(f.relay->port()));
    QTRY_VERIFY(app.gone);
    QVERIFY2(app.received.startsWith("HTTP/1.1 502 Bad Gateway\r\n"), app.received.constData());
    QVERIFY(app.received.endsWith(
        QStringLiteral("connection refused by 127.0.0.1:%1 (is the server running?)\n").arg(port).toUtf8()));
    QTRY_COMPARE(f.finished, 1);
    QCOMPARE(onLeg(eventsOfKind(f.capture, EventKind::Error), Leg::Server).size(), 1);
}

void tst_RelaySession::badRequestAnswered()
{
    Fixture f(QUrl(QStringLiteral("ws://127.0.0.1:9/")));
    QVERIFY(f.relay->listen());
    RawClient app(f.relay->port());
    QVERIFY(app.socket.waitForConnected(5000));
    app.socket.write("GET / HTTP/1.1\r\nHost: x\r\nX: a\rb\r\n\r\n");
    QTRY_VERIFY(app.gone);
    QVERIFY2(app.received.startsWith("HTTP/1.1 400 Bad Request\r\n"), app.received.constData());
    QVERIFY(app.received.contains("bare CR"));
    QTRY_COMPARE(f.finished, 1);
    const auto requests = eventsOfKind(f.capture, EventKind::HandshakeRequest);
    QCOMPARE(requests.size(), 1); // what arrived is kept, and nothing went on
    QCOMPARE(requests[0].leg, Leg::App);
}

void tst_RelaySession::serverTooSlow()
{
    RawServer server; // reads the request and never answers
    QVERIFY(server.listen());
    Fixture f(server.url(), [](RelayOptions &o) { o.handshakeTimeoutMs = 300; });
    QVERIFY(f.relay->listen());
    RawClient app(f.relay->port());
    QVERIFY(app.socket.waitForConnected(5000));
    app.socket.write(appRequest(f.relay->port()));
    QTRY_VERIFY(app.gone);
    QVERIFY2(app.received.startsWith("HTTP/1.1 504 Gateway Timeout\r\n"), app.received.constData());
    QTRY_VERIFY(server.clientDisconnected());
    QTRY_COMPARE(f.finished, 1);
}

void tst_RelaySession::closingHandshakeBothWays()
{
    RawServer server;
    QVERIFY(server.listen());
    server.onRequest = [](RawServer &s) { s.send(s.validResponse()); };
    Fixture f(server.url());
    QVERIFY(f.relay->listen());
    RawClient app(f.relay->port());
    QVERIFY(app.socket.waitForConnected(5000));
    app.socket.write(appRequest(f.relay->port()));
    QTRY_VERIFY(app.received.startsWith("HTTP/1.1 101"));
    app.socket.write(frame(Opcode::Close, FrameWriter::closePayload(4001, "done"), true));
    QTRY_COMPARE(server.clientFrames().size(), 1);
    const QByteArray echo = frame(Opcode::Close, FrameWriter::closePayload(4001, {}), false);
    server.send(echo);
    server.closeTcp(); // the server closes TCP first, as RFC 6455 §7.1.1 says
    QTRY_VERIFY(app.received.endsWith(echo));
    QTRY_VERIFY(app.gone);
    QTRY_COMPARE(f.finished, 1);
    const QString closed = f.closedText();
    QVERIFY2(closed.startsWith(QLatin1String("CLOSED: 4001")), qPrintable(closed));
    QVERIFY2(closed.contains(QLatin1String("wasClean=true, application closed first")), qPrintable(closed));
}

void tst_RelaySession::serverDropsMidFrame()
{
    RawServer server;
    QVERIFY(server.listen());
    const QByteArray half = frame(Opcode::Binary, QByteArray(1000, 'x'), false).left(300);
    server.onRequest = [&](RawServer &s) {
        s.send(s.validResponse() + half);
        s.resetTcp();
    };
    Fixture f(server.url());
    QVERIFY(f.relay->listen());
    RawClient app(f.relay->port());
    QVERIFY(app.socket.waitForConnected(5000));
    app.socket.write(appRequest(f.relay->port()));
    QTRY_VERIFY(app.gone);
    QVERIFY(app.received.endsWith(half)); // what did arrive was passed on before the drop
    QTRY_COMPARE(f.finished, 1);
    const QString closed = f.closedText();
    QVERIFY2(closed.contains(QLatin1String("wasClean=false, server dropped the connection first")), qPrintable(closed));
    bool midFrame = false;
    for (const WireEvent &e : eventsOfKind(f.capture, EventKind::Error))
        midFrame = midFrame || (e.leg == Leg::Server && e.text().contains(QLatin1String("in the middle of a frame")));
    QVERIFY(midFrame);
}

void tst_RelaySession::appDropsWithoutClose()
{
    RawServer server;
    QVERIFY(server.listen());
    server.onRequest = [](RawServer &s) { s.send(s.validResponse()); };
    Fixture f(server.url());
    QVERIFY(f.relay->listen());
    RawClient app(f.relay->port());
    QVERIFY(app.socket.waitForConnected(5000));
    app.socket.write(appRequest(f.relay->port()));
    QTRY_VERIFY(app.received.startsWith("HTTP/1.1 101"));
    app.socket.abort();
    QTRY_VERIFY(server.clientDisconnected()); // the server leg is dropped too
    QTRY_COMPARE(f.finished, 1);
    const QString closed = f.closedText();
    QVERIFY2(closed.contains(QLatin1String("1006")), qPrintable(closed));
    QVERIFY2(closed.contains(QLatin1String("application dropped the connection first")), qPrintable(closed));
}

// permessage-deflate negotiated end to end: the bytes pass through compressed, and each leg is
// inflated for the log with its own sender's parameters.
void tst_RelaySession::compressedBothLegsInflated()
{
    RawServer server;
    QVERIFY(server.listen());
    MessageDeflater serverDeflater(15, true); // server_no_context_takeover
    const QByteArray fromServer = "compressed by the server, compressed by the server";
    const QByteArray serverWire = frame(Opcode::Text, serverDeflater.compress(fromServer), false, true, Rsv::Rsv1);
    server.onRequest = [&](RawServer &s) {
        s.send(Handshake::buildResponse(s.requestKey(), {},
                   { { "Sec-WebSocket-Extensions", "permessage-deflate; server_no_context_takeover" } })
            + serverWire);
    };
    Fixture f(server.url());
    QVERIFY(f.relay->listen());
    RawClient app(f.relay->port());
    QVERIFY(app.socket.waitForConnected(5000));
    app.socket.write(
        appRequest(f.relay->port(), "/", "Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits\r\n"));
    QTRY_VERIFY(app.received.endsWith(serverWire));
    MessageDeflater appDeflater(15, false);
    const QByteArray fromApp = "from the application, twice: from the application";
    for (int i = 0; i < 2; ++i) // the second message leans on the first's window
        app.socket.write(frame(Opcode::Text, appDeflater.compress(fromApp), true, true, Rsv::Rsv1));
    QTRY_COMPARE(server.clientFrames().size(), 2);
    QVERIFY(server.clientFrames()[0].header.rsv & Rsv::Rsv1); // passed through compressed

    QTRY_COMPARE(onLeg(eventsOfKind(f.capture, EventKind::Frame), Leg::App).size(), 2);
    const auto appFrames = onLeg(eventsOfKind(f.capture, EventKind::Frame), Leg::App);
    for (const WireEvent &e : appFrames) {
        QVERIFY(e.compressed);
        QVERIFY(e.hasInflated);
        QCOMPARE(e.inflated.toByteArray(), fromApp);
    }
    const auto serverFrames = onLeg(eventsOfKind(f.capture, EventKind::Frame), Leg::Server);
    QCOMPARE(serverFrames.size(), 1);
    QCOMPARE(serverFrames[0].inflated.toByteArray(), fromServer);
    QVERIFY(eventsOfKind(f.capture, EventKind::Violation).isEmpty());
}

// A frame larger than the relay's high-water mark goes through while it arrives, and the relay
// pauses the sender rather than buffering without bound.
void tst_RelaySession::largeFrameStreamedThrough()
{
    RawServer server;
    QVERIFY(server.listen());
    server.onRequest = [](RawServer &s) { s.send(s.validResponse()); };
    Fixture f(server.url(), [](RelayOptions &o) { o.highWaterBytes = 64 * 1024; });
    QVERIFY(f.relay->listen());
    RawClient app(f.relay->port());
    QVERIFY(app.socket.waitForConnected(5000));
    app.socket.write(appRequest(f.relay->port()));
    QTRY_VERIFY(app.received.startsWith("HTTP/1.1 101"));
    QByteArray payload(8 << 20, Qt::Uninitialized);
    for (qsizetype i = 0; i < payload.size(); ++i)
        payload[i] = char(i * 7 + (i >> 12));
    app.socket.write(frame(Opcode::Binary, payload, true));
    QTRY_VERIFY_WITH_TIMEOUT(server.clientFrames().size() == 1, 20000);
    QCOMPARE(server.clientFrames()[0].payload, payload);
    QTRY_COMPARE(onLeg(eventsOfKind(f.capture, EventKind::Frame), Leg::App).size(), 1);
    QCOMPARE(onLeg(eventsOfKind(f.capture, EventKind::Frame), Leg::App)[0].payload.toByteArray(), payload);
}

QTEST_GUILESS_MAIN(tst_RelaySession)
#include "tst_relaysession.moc"
