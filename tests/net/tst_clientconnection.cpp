// The client engine's own behaviour: URL checks, the request it sends, options (subprotocols,
// headers, Origin, auto-pong, bufferedAmount), refusals, and wss:// with certificate handling
// against an independent TLS server (python3-websockets).

#include "captureevents.h"
#include "log/capture.h"
#include "net/clientconnection.h"
#include "peerprocess.h"
#include "rawserver.h"

#include <QProcess>
#include <QSignalSpy>
#include <QSslSocket>
#include <QTemporaryDir>
#include <QTest>

class tst_ClientConnection : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void urlProblems_data();
    void urlProblems();
    void badUrlIsRecordedAndRefused();
    void requestCarriesOptions();
    void selectedSubprotocol();
    void clashingHeadersAreReportedNotSent();
    void autoPongOff();
    void autoPongHeldWhileTheBufferIsFull();
    void sendRefusedUnlessOpen();
    void bufferedAmountDrains();
    void closeWhileConnectingAborts();
    void connectionRefused();
    void defaultPorts_data();
    void defaultPorts();
    void tlsCertificateRejectedByDefault();
    void tlsAllowedForThisConnection();

private:
    // One python3-websockets wss:// server with a throwaway certificate, started on first use and
    // shared by the TLS tests. Returns its port, 0 when it could not start.
    quint16 tlsServerPort();

    QTemporaryDir m_tlsDir;
    PeerProcess m_tlsServer;
    quint16 m_tlsPort = 0;
};

void tst_ClientConnection::urlProblems_data()
{
    QTest::addColumn<QString>("url");
    QTest::addColumn<QString>("problem"); // empty: usable

    QTest::newRow("ws") << "ws://127.0.0.1:8080/chat?room=1" << "";
    QTest::newRow("wss default port") << "wss://example.com" << "";
    QTest::newRow("upper-case scheme") << "WS://example.com/" << "";
    QTest::newRow("ipv6") << "ws://[::1]:9000/" << "";
    QTest::newRow("empty") << "" << "no URL given";
    QTest::newRow("http") << "http://example.com/" << "unsupported scheme \"http\": use ws:// or wss://";
    QTest::newRow("ftp") << "ftp://example.com/" << "unsupported scheme \"ftp\"";
    QTest::newRow("no scheme") << "example.com" << "URL has no scheme";
    QTest::newRow("no host") << "ws:///path" << "URL has no host";
    QTest::newRow("port 0") << "ws://example.com:0/" << "bad port 0";
    QTest::newRow("port too big") << "ws://example.com:70000/" << "invalid URL";
    QTest::newRow("port not a number") << "ws://example.com:abc/" << "invalid URL";
    QTest::newRow("fragment") << "ws://example.com/#top" << "must not contain a fragment (#top)";
}

void tst_ClientConnection::urlProblems()
{
    QFETCH(QString, url);
    QFETCH(QString, problem);
    const QString found = ClientConnection::urlProblem(QUrl(url));
    if (problem.isEmpty())
        QCOMPARE(found, QString());
    else
        QVERIFY2(found.contains(problem), qPrintable(found));
}

void tst_ClientConnection::badUrlIsRecordedAndRefused()
{
    Capture capture;
    ClientConnection client(1);
    client.addSink(&capture);
    QSignalSpy errors(&client, &ClientConnection::errorOccurred);
    ConnectionOptions options;
    options.url = QUrl(QStringLiteral("ftp://example.com/"));
    QVERIFY(!client.open(options));
    QCOMPARE(errors.size(), 1);
    QCOMPARE(client.readyState(), ReadyState::Closed);
    const auto recorded = eventsOfKind(capture, EventKind::Error);
    QCOMPARE(recorded.size(), 1);
    QCOMPARE(recorded.first().text(), QStringLiteral("unsupported scheme \"ftp\": use ws:// or wss://"));
}

void tst_ClientConnection::requestCarriesOptions()
{
    RawServer server;
    server.onRequest = [](RawServer &s) { s.send(s.validResponse()); };
    QVERIFY(server.listen());
    Capture capture;
    ClientConnection client(1);
    client.addSink(&capture);
    ConnectionOptions options;
    options.url = QUrl(QStringLiteral("ws://127.0.0.1:%1/chat?room=7").arg(server.port()));
    options.subprotocols = QStringList { QStringLiteral("chat"), QStringLiteral("superchat") };
    options.origin = QStringLiteral("http://example.com");
    options.headers = { { "X-Trace", "1" }, { "Authorization", "Bearer abc" }, { "X-Trace", "2" } };
    QSignalSpy opened(&client, &ClientConnection::opened);
    QVERIFY(client.open(options));
    QVERIFY(opened.wait(5000));

    const HttpRequest &request = server.request();
    QCOMPARE(request.method, QByteArray("GET"));
    QCOMPARE(request.target, QByteArray("/chat?room=7"));
    QCOMPARE(HttpHeaderList::value(request.headers, "host"), QByteArray("127.0.0.1:") + QByteArray::number(server.port()));
    QCOMPARE(HttpHeaderList::value(request.headers, "upgrade").toLower(), QByteArray("websocket"));
    QCOMPARE(HttpHeaderList::value(request.headers, "sec-websocket-version"), QByteArray("13"));
    QCOMPARE(HttpHeaderList::value(request.headers, "sec-websocket-protocol"), QByteArray("chat, superchat"));
    QCOMPARE(HttpHeaderList::value(request.headers, "origin"), QByteArray("http://example.com"));
    QCOMPARE(HttpHeaderList::values(request.headers, "x-trace"), (QList<QByteArray> { "1", "2" }));
    QCOMPARE(HttpHeaderList::value(request.headers, "authorization"), QByteArray("Bearer abc"));
    const QByteArray key = HttpHeaderList::value(request.headers, "sec-websocket-key");
    QCOMPARE(QByteArray::fromBase64(key).size(), 16);
    QCOMPARE(key, client.handshakeKey());

    // What we recorded is exactly what the server received.
    const auto sent = eventsOfKind(capture, EventKind::HandshakeRequest);
    QCOMPARE(sent.size(), 1);
    QCOMPARE(sent.first().payload.toByteArray(), request.raw);
    QVERIFY(client.handshakeCheck().ok);
}

void tst_ClientConnection::selectedSubprotocol()
{
    RawServer server;
    server.onRequest = [](RawServer &s) { s.send(s.validResponse("superchat")); };
    QVERIFY(server.listen());
    Capture capture;
    ClientConnection client(1);
    client.addSink(&capture);
    ConnectionOptions options;
    options.url = server.url();
    options.subprotocols = QStringList { QStringLiteral("chat"), QStringLiteral("superchat") };
    QSignalSpy opened(&client, &ClientConnection::opened);
    QVERIFY(client.open(options));
    QVERIFY(opened.wait(5000));
    QCOMPARE(client.selectedSubprotocol(), QByteArray("superchat"));
    QVERIFY(client.sendsWithoutDelay()); // TCP_NODELAY, as the kernel reports it
    bool announced = false;
    for (const WireEvent &e : eventsOfKind(capture, EventKind::StateChange))
        announced = announced || (e.state == ReadyState::Open && e.text() == QStringLiteral("OPEN (subprotocol superchat)"));
    QVERIFY(announced);
}

void tst_ClientConnection::clashingHeadersAreReportedNotSent()
{
    RawServer server;
    server.onRequest = [](RawServer &s) { s.send(s.validResponse()); };
    QVERIFY(server.listen());
    Capture capture;
    ClientConnection client(1);
    client.addSink(&capture);
    ConnectionOptions options;
    options.url = server.url();
    options.origin = QStringLiteral("http://a.example");
    options.headers = { { "upgrade", "h2c" }, { "Origin", "http://b.example" }, { "X-Split", "a\r\nInjected: 1" },
                        { "X-Kept", "yes" } };
    QSignalSpy opened(&client, &ClientConnection::opened);
    QVERIFY(client.open(options));
    QVERIFY(opened.wait(5000));
    const auto errors = eventsOfKind(capture, EventKind::Error);
    QCOMPARE(errors.size(), 3);
    QCOMPARE(errors[0].text(), QStringLiteral("request header \"upgrade\" not sent: the handshake writes Upgrade itself"));
    QCOMPARE(errors[1].text(), QStringLiteral("request header \"Origin\" not sent: the handshake writes Origin itself"));
    QVERIFY(errors[2].text().contains(QStringLiteral("CR or LF")));
    QCOMPARE(HttpHeaderList::value(server.request().headers, "X-Kept"), QByteArray("yes"));
    QCOMPARE(HttpHeaderList::values(server.request().headers, "Upgrade"), QList<QByteArray> { "websocket" });
    QVERIFY(!HttpHeaderList::contains(server.request().headers, "Injected"));
}

void tst_ClientConnection::autoPongOff()
{
    RawServer server;
    server.onRequest = [](RawServer &s) { s.send(s.validResponse() + QByteArray::fromHex("890268690103") + "abc"); };
    QVERIFY(server.listen());
    Capture capture;
    ClientConnection client(1);
    client.addSink(&capture);
    ConnectionOptions options;
    options.url = server.url();
    options.autoPong = false;
    QSignalSpy pings(&client, &ClientConnection::pingReceived);
    QVERIFY(client.open(options));
    QVERIFY(pings.wait(5000));
    QCOMPARE(pings.first().at(0).toByteArray(), QByteArray("hi"));
    // A text frame sent afterwards arrives before anything we might have answered.
    QVERIFY(client.sendText("after"));
    QTRY_COMPARE(server.clientFrames().size(), 1);
    QCOMPARE(server.clientFrames().first().header.opcode, quint8(Opcode::Text));
    QCOMPARE(server.clientFrames().first().payload, QByteArray("after"));
}

// A peer that floods pings and does not read must not grow the write buffer without bound: above the
// backlog limit, auto-pong waits and then answers only the latest ping (RFC 6455 §5.5.3). With a
// limit of 0, the first pong still waiting in the socket (8 bytes, masked) holds the next ones back.
void tst_ClientConnection::autoPongHeldWhileTheBufferIsFull()
{
    RawServer server;
    server.onRequest = [](RawServer &s) {
        QByteArray pings;
        for (char c = '1'; c <= '5'; ++c)
            pings += QByteArray::fromHex("8902") + 'p' + c;
        s.send(s.validResponse() + pings);
    };
    QVERIFY(server.listen());
    Capture capture;
    ClientConnection client(1);
    client.addSink(&capture);
    ConnectionOptions options;
    options.url = server.url();
    options.pongBacklogLimit = 0;
    QVERIFY(client.open(options));
    QTRY_COMPARE_WITH_TIMEOUT(server.clientFrames().size(), 2, 5000);
    const auto pongs = server.clientFrames();
    QCOMPARE(pongs[0].payload, QByteArray("p1"));
    QCOMPARE(pongs[1].payload, QByteArray("p5")); // the latest ping, once the first pong was written
    QStringList notes;
    for (const WireEvent &e : eventsOfKind(capture, EventKind::Error))
        notes << e.text();
    QCOMPARE(notes.size(), 2);
    QVERIFY2(notes[0].startsWith(QStringLiteral("auto-pong held back: 8 bytes wait to be written")), qPrintable(notes[0]));
    QCOMPARE(notes[1], QStringLiteral("auto-pong resumed: the write buffer drained; answering the latest of 4 held ping(s)"));
}

void tst_ClientConnection::sendRefusedUnlessOpen()
{
    Capture capture;
    ClientConnection client(1);
    client.addSink(&capture);
    QVERIFY(!client.sendText("x"));
    QVERIFY(!client.ping());
    QVERIFY(!client.close(1000));
    QVERIFY(!client.sendFrame(FrameSpec()));
    const auto errors = eventsOfKind(capture, EventKind::Error);
    QCOMPARE(errors.size(), 4);
    QCOMPARE(errors.first().text(), QStringLiteral("not sent: the connection is CLOSED, not OPEN"));
}

void tst_ClientConnection::bufferedAmountDrains()
{
    RawServer server;
    server.onRequest = [](RawServer &s) { s.send(s.validResponse()); };
    QVERIFY(server.listen());
    ClientConnection client(1);
    ConnectionOptions options;
    options.url = server.url();
    QSignalSpy opened(&client, &ClientConnection::opened);
    QVERIFY(client.open(options));
    QVERIFY(opened.wait(5000));
    QVERIFY(client.sendBinary(QByteArray(4 << 20, 'x')));
    // Until the event loop runs, the socket has not handed the bytes to the OS.
    QVERIFY(client.bufferedAmount() > 4 << 20);
    QTRY_COMPARE_WITH_TIMEOUT(client.bufferedAmount(), 0, 10'000);
    QTRY_COMPARE_WITH_TIMEOUT(server.clientFrames().size(), 1, 10'000);
    QCOMPARE(server.clientFrames().first().payload.size(), 4 << 20);
}

void tst_ClientConnection::closeWhileConnectingAborts()
{
    RawServer server; // never answers
    QVERIFY(server.listen());
    ClientConnection client(1);
    ConnectionOptions options;
    options.url = server.url();
    QSignalSpy closed(&client, &ClientConnection::closed);
    QVERIFY(client.open(options));
    QCOMPARE(client.readyState(), ReadyState::Connecting);
    QVERIFY(client.close(1000));
    QCOMPARE(closed.size(), 1);
    QCOMPARE(closed.first().at(0).value<quint16>(), quint16(1006));
    QCOMPARE(closed.first().at(2).toBool(), false);
}

void tst_ClientConnection::connectionRefused()
{
    // A port that was just free: listen, note it, stop listening.
    quint16 port = 0;
    {
        QTcpServer probe;
        QVERIFY(probe.listen(QHostAddress::LocalHost, 0));
        port = probe.serverPort();
    }
    ClientConnection client(1);
    ConnectionOptions options;
    options.url = QUrl(QStringLiteral("ws://127.0.0.1:%1/").arg(port));
    QSignalSpy closed(&client, &ClientConnection::closed);
    QVERIFY(client.open(options));
    QVERIFY(closed.wait(5000));
    QCOMPARE(client.errorString(), QStringLiteral("connection refused by 127.0.0.1:%1 (is a server listening there?)").arg(port));
    QCOMPARE(client.closeCode(), quint16(1006));
}

void tst_ClientConnection::defaultPorts_data()
{
    QTest::addColumn<QString>("url");
    QTest::addColumn<int>("port");
    QTest::addRow("ws") << QStringLiteral("ws://127.0.0.1/") << 80;
    QTest::addRow("wss") << QStringLiteral("wss://127.0.0.1/chat") << 443;
    QTest::addRow("WS upper case") << QStringLiteral("WS://127.0.0.1") << 80;
    QTest::addRow("explicit") << QStringLiteral("wss://127.0.0.1:8443/") << 8443;
}

// Without a port the URL means 80 or 443 (RFC 6455 §3); once it said 65535 (port() is -1).
void tst_ClientConnection::defaultPorts()
{
    QFETCH(QString, url);
    QFETCH(int, port);
    QCOMPARE(int(ClientConnection::portOf(QUrl(url))), port);
    if (url.startsWith(QLatin1String("wss")))
        return; // the state message is the same code path; TLS may be missing here
    ClientConnection client(1);
    Capture capture;
    client.addSink(&capture);
    ConnectionOptions options;
    options.url = QUrl(url);
    QSignalSpy closed(&client, &ClientConnection::closed);
    QVERIFY(client.open(options));
    const QList<WireEvent> states = eventsOfKind(capture, EventKind::StateChange);
    QVERIFY(!states.isEmpty());
    QVERIFY2(states.first().text().endsWith(QStringLiteral("(127.0.0.1:%1)").arg(port)), qPrintable(states.first().text()));
    // Usually nothing listens on port 80 here: the refusal must name it. If something does answer,
    // the connection is simply abandoned.
    if (closed.wait(3000) && client.errorString().startsWith(QLatin1String("connection refused")))
        QCOMPARE(client.errorString(), QStringLiteral("connection refused by 127.0.0.1:80 (is a server listening there?)"));
    client.abort();
    for (const WireEvent &e : eventsOfKind(capture, EventKind::Error))
        QVERIFY2(!e.text().contains(QStringLiteral("65535")), qPrintable(e.text()));
}

quint16 tst_ClientConnection::tlsServerPort()
{
    if (m_tlsPort != 0)
        return m_tlsPort;
    if (!QSslSocket::supportsSsl()) {
        qWarning("no TLS backend");
        return 0;
    }
    const QString cert = m_tlsDir.filePath(QStringLiteral("cert.pem"));
    const QString key = m_tlsDir.filePath(QStringLiteral("key.pem"));
    QProcess openssl;
    openssl.start(QStringLiteral("openssl"),
                  { QStringLiteral("req"), QStringLiteral("-x509"), QStringLiteral("-newkey"), QStringLiteral("rsa:2048"),
                    QStringLiteral("-nodes"), QStringLiteral("-days"), QStringLiteral("1"), QStringLiteral("-subj"),
                    QStringLiteral("/CN=wsinspector-test"), QStringLiteral("-keyout"), key, QStringLiteral("-out"), cert });
    if (!openssl.waitForFinished(60'000) || openssl.exitCode() != 0) {
        qWarning("openssl failed: %s", openssl.readAllStandardError().constData());
        return 0;
    }
    if (!m_tlsServer.start(PeerProcess::Runtime::Python, QStringLiteral("interop/peers/py_server.py"),
                           { QStringLiteral("--tls"), cert, key }))
        return 0;
    m_tlsPort = m_tlsServer.waitForPort();
    return m_tlsPort;
}

void tst_ClientConnection::tlsCertificateRejectedByDefault()
{
    const quint16 port = tlsServerPort();
    QVERIFY(port != 0);
    Capture capture;
    ClientConnection client(1);
    client.addSink(&capture);
    ConnectionOptions options;
    options.url = QUrl(QStringLiteral("wss://127.0.0.1:%1/").arg(port));
    QSignalSpy closed(&client, &ClientConnection::closed);
    QVERIFY(client.open(options));
    QVERIFY(closed.wait(10'000));
    QVERIFY2(client.errorString().startsWith(QStringLiteral("TLS certificate rejected: ")), qPrintable(client.errorString()));
    QVERIFY(client.errorString().contains(QStringLiteral("self signed"), Qt::CaseInsensitive)
            || client.errorString().contains(QStringLiteral("self-signed"), Qt::CaseInsensitive));
    QVERIFY(client.errorString().contains(QStringLiteral("-k/--insecure")));
    // No request ever went out over an untrusted channel.
    QCOMPARE(eventsOfKind(capture, EventKind::HandshakeRequest).size(), 0);
    QCOMPARE(client.closeCode(), quint16(1006));
}

void tst_ClientConnection::tlsAllowedForThisConnection()
{
    const quint16 port = tlsServerPort();
    QVERIFY(port != 0);
    Capture capture;
    ClientConnection client(1);
    client.addSink(&capture);
    ConnectionOptions options;
    options.url = QUrl(QStringLiteral("wss://127.0.0.1:%1/").arg(port));
    options.allowCertificateErrors = true;
    QSignalSpy opened(&client, &ClientConnection::opened);
    QVERIFY(client.open(options));
    QVERIFY(opened.wait(10'000));
    QSignalSpy messages(&client, &ClientConnection::messageReceived);
    QVERIFY(client.sendText("over TLS"));
    QVERIFY(messages.wait(5000));
    QCOMPARE(messages.first().at(1).toByteArray(), QByteArray("over TLS"));

    const auto tls = eventsOfKind(capture, EventKind::TlsInfo);
    QCOMPARE(tls.size(), 2); // the errors the user allowed, then the session details
    QVERIFY(tls[0].text().startsWith(QStringLiteral("certificate errors allowed for this connection by the user")));
    QVERIFY2(tls[1].text().startsWith(QStringLiteral("TLS established: protocol TLSv1.")), qPrintable(tls[1].text()));
    QVERIFY(tls[1].text().contains(QStringLiteral("subject: wsinspector-test")));
    QVERIFY(tls[1].text().contains(QStringLiteral("SHA-256: ")));
}

QTEST_GUILESS_MAIN(tst_ClientConnection)
#include "tst_clientconnection.moc"
