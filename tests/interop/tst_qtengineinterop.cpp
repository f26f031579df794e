// Qt's QWebSocket as a client engine (QtClientConnection), watched through its in-process relay,
// against independent servers (Debian's node-ws and python3-websockets) and a scripted raw server:
// every signal it emits is an api event with its arguments, the frames are recorded once and
// byte-exact as the server received them, and where Qt's report differs from the wire the log
// says so.

#include "captureevents.h"
#include "log/apicall.h"
#include "log/capture.h"
#include "net/qtclientconnection.h"
#include "peerprocess.h"
#include "protocol/closecodes.h"
#include "protocol/framewriter.h"
#include "rawserver.h"

#include <QJsonObject>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTest>
#include <memory>

namespace {
struct Session {
    std::unique_ptr<Capture> capture = std::make_unique<Capture>();
    std::unique_ptr<QtClientConnection> client = std::make_unique<QtClientConnection>(7);
    Session() { client->addSink(capture.get()); }
};

QList<ApiCall> apiCalls(const Capture &capture)
{
    QList<ApiCall> calls;
    for (const WireEvent &e : eventsOfKind(capture, EventKind::Api)) {
        const std::optional<ApiCall> call = ApiCall::fromJson(e.payload);
        if (call)
            calls << *call;
    }
    return calls;
}

QList<ApiCall> callsOf(const QList<ApiCall> &calls, const QString &signal)
{
    QList<ApiCall> out;
    for (const ApiCall &call : calls)
        if (call.signal == signal)
            out << call;
    return out;
}

// Every write QWebSocket made was reported, each with a byte count.
bool bytesWrittenMissing(const QList<ApiCall> &calls)
{
    const QList<ApiCall> writes = callsOf(calls, QStringLiteral("bytesWritten"));
    for (const ApiCall &call : writes)
        if (call.args.size() != 1 || call.args[0].toDouble() <= 0)
            return true;
    return writes.isEmpty();
}

QStringList signalNames(const QList<ApiCall> &calls, const QStringList &ignored = {})
{
    QStringList names;
    for (const ApiCall &call : calls)
        if (!ignored.contains(call.signal))
            names << call.signal;
    return names;
}

// The bytes a client put on the wire, rebuilt from the capture: the handshake request, then each
// outgoing frame's header and its payload masked again with the header's key.
QByteArray outgoingWireBytes(const Capture &capture)
{
    QByteArray bytes;
    for (qsizetype i = 0; i < capture.count(); ++i) {
        const WireEvent e = capture.event(i);
        if (e.direction != Direction::Outgoing)
            continue;
        if (e.kind == EventKind::HandshakeRequest) {
            bytes += e.payload.toByteArray();
        } else if (e.kind == EventKind::Frame) {
            bytes += e.header.toByteArray();
            QByteArray payload = e.payload.toByteArray();
            if (e.frame.masked)
                applyMask(payload.data(), payload.size(), e.frame.maskingKey);
            bytes += payload;
        }
    }
    return bytes;
}

QByteArray pattern(int size)
{
    QByteArray bytes(size, Qt::Uninitialized);
    for (int i = 0; i < size; ++i)
        bytes[i] = char(i & 0xFF);
    return bytes;
}
} // namespace

class tst_QtEngineInterop : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void signalsAsApiEvents_data();
    void signalsAsApiEvents();
    void frameCaptureIsByteExact();
    void closeCodeQtReportsDifferently_data();
    void closeCodeQtReportsDifferently();
    void refusedHandshake_data();
    void refusedHandshake();
    void refusesWhatQWebSocketCannotDo();
    void refusedAcceptDoesNotHang();
    void relayAnswerIsShownAsSuch();
    void abortWhileConnecting();

private:
    QUrl serverUrl(int peer, const QString &path) const;
    PeerProcess m_node;
    PeerProcess m_python;
    quint16 m_ports[2] = { 0, 0 };
};

void tst_QtEngineInterop::initTestCase()
{
    QVERIFY(m_node.start(PeerProcess::Runtime::Node, QStringLiteral("interop/peers/node_server.js")));
    QVERIFY(m_python.start(PeerProcess::Runtime::Python, QStringLiteral("interop/peers/py_server.py")));
    m_ports[0] = m_node.waitForPort();
    m_ports[1] = m_python.waitForPort();
    QVERIFY(m_ports[0] && m_ports[1]);
}

QUrl tst_QtEngineInterop::serverUrl(int peer, const QString &path) const
{
    return QUrl(QStringLiteral("ws://127.0.0.1:%1%2").arg(m_ports[peer]).arg(path));
}

void tst_QtEngineInterop::signalsAsApiEvents_data()
{
    QTest::addColumn<int>("peer");
    QTest::addRow("node ws") << 0;
    QTest::addRow("python websockets") << 1;
}

// A conversation that makes QWebSocket emit each of its data signals, and the closing handshake.
void tst_QtEngineInterop::signalsAsApiEvents()
{
    QFETCH(int, peer);
    Session s;
    QSignalSpy opened(s.client.get(), &ClientEngine::opened);
    QSignalSpy closed(s.client.get(), &ClientEngine::closed);
    ConnectionOptions options;
    options.engine = ConnectionOptions::Engine::Qt;
    options.url = serverUrl(peer, QStringLiteral("/qt-signals"));
    QVERIFY(s.client->open(options));
    QVERIFY(opened.wait(10'000));

    QVERIFY(s.client->sendText("hello"));
    QVERIFY(s.client->sendBinary(pattern(3)));
    QVERIFY(s.client->ping("abc"));
    QVERIFY(s.client->sendText("cmd:fragment:3:abcdefg"));
    QVERIFY(s.client->sendText("cmd:ping:xy"));
    QTRY_COMPARE_WITH_TIMEOUT(callsOf(apiCalls(*s.capture), QStringLiteral("textMessageReceived")).size(), 3, 10'000);
    QVERIFY(s.client->close(1000, "bye"));
    QVERIFY(closed.wait(10'000));

    const QList<ApiCall> calls = apiCalls(*s.capture);
    // Servers answer in their own order (python pongs before it echoes); what is fixed is the
    // beginning and the end, and which signals came how often. Qt 6.4 emits aboutToClose twice.
    const QStringList names = signalNames(calls, { QStringLiteral("bytesWritten"), QStringLiteral("stateChanged") });
    QCOMPARE(names.first(), QStringLiteral("connected"));
    QCOMPARE(names.sliced(names.size() - 5),
        (QStringList { QStringLiteral("aboutToClose"), QStringLiteral("aboutToClose"), QStringLiteral("disconnected"),
            QStringLiteral("readChannelFinished"), QStringLiteral("(no signal)") }));
    QCOMPARE(names.count(QStringLiteral("textMessageReceived")), 3);
    QCOMPARE(names.count(QStringLiteral("binaryMessageReceived")), 1);
    QCOMPARE(names.count(QStringLiteral("binaryFrameReceived")), 1);
    QCOMPARE(names.count(QStringLiteral("pong")), 1);
    QCOMPARE(names.count(QStringLiteral("(no signal)")), 2); // the ping answered; the close cut short
    QVERIFY(!bytesWrittenMissing(calls));

    const QList<ApiCall> messages = callsOf(calls, QStringLiteral("textMessageReceived"));
    QCOMPARE(messages[0].args, QJsonArray { QStringLiteral("hello") });
    QCOMPARE(messages[1].args, QJsonArray { QStringLiteral("abcdefg") });
    QCOMPARE(messages[2].args, QJsonArray { QStringLiteral("pong:xy") });
    // The fragmented message: its frames one signal each, only the last marked last, then the message.
    QString joined;
    QList<bool> lastFlags;
    bool inFragments = false;
    for (const ApiCall &call : calls) {
        if (call.signal == QLatin1String("textFrameReceived") && call.args[0].toString().startsWith(u'a'))
            inFragments = true;
        if (!inFragments)
            continue;
        if (call.signal == QLatin1String("textMessageReceived"))
            break;
        if (call.signal == QLatin1String("textFrameReceived")) {
            joined += call.args[0].toString();
            lastFlags << call.args[1].toBool();
        }
    }
    QCOMPARE(joined, QStringLiteral("abcdefg"));
    QVERIFY2(lastFlags.size() >= 3, qPrintable(QString::number(lastFlags.size())));
    QCOMPARE(lastFlags.count(true), 1);
    QVERIFY(lastFlags.last());
    QCOMPARE(callsOf(calls, QStringLiteral("binaryMessageReceived")).first().args,
        QJsonArray { ApiCall::bytesArgument(pattern(3)) });
    const ApiCall pong = callsOf(calls, QStringLiteral("pong")).first();
    QCOMPARE(pong.args.size(), 2);
    QVERIFY(pong.args[0].toDouble() >= 0);
    QCOMPARE(pong.args[1], ApiCall::bytesArgument("abc"));
    // The server's ping was answered without a signal, and the log says so next to the pong.
    QVERIFY(callsOf(calls, QStringLiteral("(no signal)")).first().note.contains(QLatin1String("ping with this pong")));
    QCOMPARE(framesIn(*s.capture, 0x9), QList<QByteArray> { "xy" });

    const QStringList states = [&] {
        QStringList out;
        for (const ApiCall &call : callsOf(calls, QStringLiteral("stateChanged")))
            out << call.args[0].toString();
        return out;
    }();
    QCOMPARE(states,
        (QStringList { QStringLiteral("ConnectingState"), QStringLiteral("ConnectedState"),
            QStringLiteral("ClosingState"), QStringLiteral("UnconnectedState") }));

    // Qt 6.4 drops TCP as soon as its close frame is written (measured): the server's reply never
    // crosses, the wire's close is not clean, and the log says why.
    QCOMPARE(framesIn(*s.capture, 0x8), QList<QByteArray>());
    QCOMPARE(ClosePayload::parse(framesOf(*s.capture, Direction::Outgoing).last().payload).code, quint16(1000));
    QVERIFY(!s.client->wasClean());
    const ApiCall disconnected = callsOf(calls, QStringLiteral("disconnected")).first();
    QCOMPARE(disconnected.args, (QJsonArray { 1000, QStringLiteral("bye") }));
    const QList<ApiCall> findings = callsOf(calls, QStringLiteral("(no signal)"));
    QCOMPARE(findings.size(), 2);
    QVERIFY2(findings.last().note.contains(QLatin1String("without waiting for the server's")),
        qPrintable(findings.last().note));
    const QJsonObject seen = (peer == 0 ? m_node : m_python).waitForJson();
    QCOMPARE(seen.value(QLatin1String("code")).toInt(), 1000);
    QCOMPARE(seen.value(QLatin1String("reason")).toString(), QStringLiteral("bye"));

    // Each frame once, as it crossed the wire, with no relay leg left in the log.
    for (qsizetype i = 0; i < s.capture->count(); ++i)
        QCOMPARE(s.capture->event(i).leg, Leg::None);
    QCOMPARE(eventsOfKind(*s.capture, EventKind::HandshakeRequest).size(), 1);
    QCOMPARE(eventsOfKind(*s.capture, EventKind::HandshakeResponse).size(), 1);
    // Each frame's payload once, as the server sent it.
    QByteArray fromServer;
    for (const WireEvent &e : framesOf(*s.capture, Direction::Incoming))
        if (e.frame.opcode <= Opcode::Binary)
            fromServer += e.payload.toByteArray();
    QCOMPARE(fromServer, "hello" + pattern(3) + "abcdefg" + "pong:xy");
}

// What the server received, byte for byte, is what the log shows QWebSocket sent.
void tst_QtEngineInterop::frameCaptureIsByteExact()
{
    RawServer server;
    server.onRequest = [](RawServer &raw) { raw.send(raw.validResponse()); };
    QVERIFY(server.listen());
    Session s;
    QSignalSpy opened(s.client.get(), &ClientEngine::opened);
    ConnectionOptions options;
    options.url = server.url();
    options.url.setPath(QStringLiteral("/exact"));
    options.url.setQuery(QStringLiteral("a=1&b=%20"));
    options.headers.append(HttpHeader { "X-Test", "yes" });
    options.subprotocols << QStringLiteral("chat");
    QVERIFY(s.client->open(options));
    QVERIFY(opened.wait(10'000));

    QVERIFY(s.client->sendText("h\xc3\xa9llo"));
    QVERIFY(s.client->sendBinary(pattern(200)));
    QVERIFY(s.client->sendBinary(pattern(70'000))); // a 64-bit length
    QVERIFY(s.client->ping("p"));
    QVERIFY(s.client->close(4000, "done"));
    QTRY_VERIFY_WITH_TIMEOUT(!server.clientFrames().isEmpty()
            && server.clientFrames().last().header.opcode == Opcode::Close,
        10'000);
    // Everything the relay read from QWebSocket has been recorded once the close frame is.
    QTRY_VERIFY_WITH_TIMEOUT(!framesOf(*s.capture, Direction::Outgoing).isEmpty()
            && framesOf(*s.capture, Direction::Outgoing).last().frame.opcode == Opcode::Close,
        10'000);

    QCOMPARE(outgoingWireBytes(*s.capture), server.received());
    QCOMPARE(server.request().target, QByteArray("/exact?a=1&b=%20"));
    QCOMPARE(HttpHeaderList::value(server.request().headers, "X-Test"), QByteArray("yes"));
    QCOMPARE(HttpHeaderList::value(server.request().headers, "Sec-WebSocket-Protocol"), QByteArray("chat"));
    QCOMPARE(HttpHeaderList::value(server.request().headers, "Host"),
        QStringLiteral("127.0.0.1:%1").arg(server.port()).toLatin1());
}

void tst_QtEngineInterop::closeCodeQtReportsDifferently_data()
{
    QTest::addColumn<int>("peer");
    QTest::addRow("node ws") << 0;
    QTest::addRow("python websockets") << 1;
}

// A server closing with 1012 (Service Restart, valid on the wire): the log shows the code as sent
// and as QWebSocket reported it, and notes where they differ (Qt 6.4 reports 1002).
void tst_QtEngineInterop::closeCodeQtReportsDifferently()
{
    QFETCH(int, peer);
    Session s;
    QSignalSpy opened(s.client.get(), &ClientEngine::opened);
    QSignalSpy closed(s.client.get(), &ClientEngine::closed);
    ConnectionOptions options;
    options.url = serverUrl(peer, QStringLiteral("/qt-1012"));
    QVERIFY(s.client->open(options));
    QVERIFY(opened.wait(10'000));
    QVERIFY(s.client->sendText("cmd:close:1012:restart"));
    QVERIFY(closed.wait(10'000));

    const QList<QByteArray> closes = framesIn(*s.capture, 0x8);
    QCOMPARE(closes.size(), 1);
    const ClosePayload wire = ClosePayload::parse(closes.first());
    QCOMPARE(wire.code, quint16(1012));
    QCOMPARE(wire.reason, QByteArray("restart"));
    QCOMPARE(s.client->closeCode(), quint16(1012)); // the engine reports the wire

    const QList<ApiCall> disconnected = callsOf(apiCalls(*s.capture), QStringLiteral("disconnected"));
    QCOMPARE(disconnected.size(), 1);
    const int reported = disconnected.first().args[0].toInt();
    QCOMPARE(reported, int(CloseCodes::ProtocolError)); // Qt 6.4.2, measured
    QVERIFY2(disconnected.first().note.contains(QLatin1String("1012 Service Restart")),
        qPrintable(disconnected.first().note));
    QVERIFY(disconnected.first().note.contains(QStringLiteral("closeCode() %1").arg(reported)));
}

void tst_QtEngineInterop::refusedHandshake_data()
{
    QTest::addColumn<bool>("serverKeepsConnection");
    QTest::addRow("server closes after 403") << false;
    QTest::addRow("server keeps the connection after 200") << true;
}

// A server that does not upgrade. When it closes, QWebSocket reports an error; when it keeps the
// connection open, Qt 6.4 stays in ConnectingState for ever: the log says so and the connection
// is dropped.
void tst_QtEngineInterop::refusedHandshake()
{
    QFETCH(bool, serverKeepsConnection);
    RawServer server;
    server.onRequest = [serverKeepsConnection](RawServer &raw) {
        if (serverKeepsConnection) {
            raw.send("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: keep-alive\r\n\r\nhi");
        } else {
            raw.send("HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
            raw.closeTcp();
        }
    };
    QVERIFY(server.listen());
    Session s;
    QSignalSpy closed(s.client.get(), &ClientEngine::closed);
    ConnectionOptions options;
    options.url = server.url();
    QVERIFY(s.client->open(options));
    QVERIFY(closed.wait(10'000));
    QCOMPARE(s.client->readyState(), ReadyState::Closed);
    QCOMPARE(eventsOfKind(*s.capture, EventKind::HandshakeResponse).size(), 1);

    const QList<ApiCall> calls = apiCalls(*s.capture);
    const QList<ApiCall> silent = callsOf(calls, QStringLiteral("(no signal)"));
    if (serverKeepsConnection) {
        QCOMPARE(silent.size(), 1);
        QVERIFY2(silent.first().note.contains(QLatin1String("answered 200")), qPrintable(silent.first().note));
        QVERIFY(silent.first().note.contains(QLatin1String("ConnectingState")));
        QCOMPARE(callsOf(calls, QStringLiteral("connected")).size(), 0);
    } else {
        QCOMPARE(silent.size(), 0);
        const QList<ApiCall> errors = callsOf(calls, QStringLiteral("error"));
        QVERIFY(!errors.isEmpty());
        QVERIFY2(errors.first().args[1].toString().contains(QLatin1String("403")),
            qPrintable(errors.first().args[1].toString()));
    }
    QCOMPARE(callsOf(calls, QStringLiteral("disconnected")).size(), 1);
}

void tst_QtEngineInterop::refusesWhatQWebSocketCannotDo()
{
    RawServer server;
    server.onRequest = [](RawServer &raw) { raw.send(raw.validResponse()); };
    QVERIFY(server.listen());
    Session s;
    QSignalSpy opened(s.client.get(), &ClientEngine::opened);
    ConnectionOptions options;
    options.url = server.url();
    QVERIFY(s.client->open(options));
    QVERIFY(opened.wait(10'000));

    const qsizetype before = eventsOfKind(*s.capture, EventKind::Error).size();
    FrameSpec spec;
    spec.opcode = Opcode::Text;
    spec.payload = "x";
    QVERIFY(!s.client->sendFrame(spec));
    QVERIFY(!s.client->pong("p"));
    QVERIFY(!s.client->sendRawBytes("\x81"));
    QVERIFY(!s.client->close(0));
    const QList<WireEvent> errors = eventsOfKind(*s.capture, EventKind::Error);
    QCOMPARE(errors.size(), before + 4);
    QVERIFY(errors[before].text().contains(QLatin1String("hand-made frame")));
    QVERIFY(errors[before + 1].text().contains(QLatin1String("pong")));
    QVERIFY(errors[before + 3].text().contains(QLatin1String("status code")));
    // Nothing of it was written: what the server gets next is the next message, alone.
    QVERIFY(s.client->sendText("sentinel"));
    QTRY_VERIFY_WITH_TIMEOUT(!server.clientFrames().isEmpty(), 10'000);
    const QList<RawServer::ClientFrame> got = server.clientFrames();
    QCOMPARE(got.size(), 1);
    QCOMPARE(got.first().payload, QByteArray("sentinel"));
    QCOMPARE(s.client->readyState(), ReadyState::Open);
}

// A 101 with a wrong Sec-WebSocket-Accept: QWebSocket reports an error and stays connecting; the
// connection is dropped after the grace period, and the log says why.
void tst_QtEngineInterop::refusedAcceptDoesNotHang()
{
    RawServer server;
    server.onRequest = [](RawServer &raw) {
        raw.send("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                 "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n\r\n");
    };
    QVERIFY(server.listen());
    Session s;
    QSignalSpy closed(s.client.get(), &ClientEngine::closed);
    ConnectionOptions options;
    options.url = server.url();
    QVERIFY(s.client->open(options));
    QVERIFY(closed.wait(10'000));
    const QList<ApiCall> calls = apiCalls(*s.capture);
    QVERIFY(!callsOf(calls, QStringLiteral("error")).isEmpty());
    const QList<ApiCall> silent = callsOf(calls, QStringLiteral("(no signal)"));
    QCOMPARE(silent.size(), 1);
    QVERIFY2(silent.first().note.contains(QLatin1String("refused the server's 101 answer")),
        qPrintable(silent.first().note));
    QCOMPARE(s.client->readyState(), ReadyState::Closed);
}

// The server cannot be reached: the relay answers QWebSocket itself. The log shows QWebSocket's
// request and that answer, marked as the relay's, not the server's.
void tst_QtEngineInterop::relayAnswerIsShownAsSuch()
{
    QTcpServer closedPort;
    QVERIFY(closedPort.listen(QHostAddress::LocalHost));
    const quint16 port = closedPort.serverPort();
    closedPort.close();
    Session s;
    QSignalSpy closed(s.client.get(), &ClientEngine::closed);
    ConnectionOptions options;
    options.url = QUrl(QStringLiteral("ws://127.0.0.1:%1/x").arg(port));
    QVERIFY(s.client->open(options));
    QVERIFY(closed.wait(10'000));
    const QList<WireEvent> requests = eventsOfKind(*s.capture, EventKind::HandshakeRequest);
    QCOMPARE(requests.size(), 1);
    QCOMPARE(requests.first().direction, Direction::Outgoing);
    QVERIFY(requests.first().payload.startsWith("GET /x HTTP/1.1\r\n"));
    const QList<WireEvent> responses = eventsOfKind(*s.capture, EventKind::HandshakeResponse);
    QCOMPARE(responses.size(), 1);
    QVERIFY2(responses.first().payload.startsWith("HTTP/1.1 502"), responses.first().payload.toByteArray().constData());
    bool marked = false;
    for (const WireEvent &e : eventsOfKind(*s.capture, EventKind::Error))
        marked = marked || e.text().contains(QLatin1String("the inspector's relay's, not the server's"));
    QVERIFY(marked);
}

// Aborted before QWebSocket reached its relay: the connection still ends, and says so.
void tst_QtEngineInterop::abortWhileConnecting()
{
    Session s;
    QSignalSpy closed(s.client.get(), &ClientEngine::closed);
    ConnectionOptions options;
    options.url = QUrl(QStringLiteral("ws://127.0.0.1:9/"));
    QVERIFY(s.client->open(options));
    s.client->abort(); // at once: nothing has been accepted yet
    QCOMPARE(closed.size(), 1);
    QCOMPARE(s.client->readyState(), ReadyState::Closed);
    QCOMPARE(s.capture->event(s.capture->count() - 1).state, ReadyState::Closed);
}

QTEST_GUILESS_MAIN(tst_QtEngineInterop)
#include "tst_qtengineinterop.moc"
