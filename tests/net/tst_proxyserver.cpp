// The HTTP proxy, driven by a scripted client over raw TCP and by curl (an independent HTTP
// client): CONNECT tunnels with a WebSocket upgrade inside are relayed and recorded, TLS and other
// bytes pass through unchanged, absolute-form requests reach their servers in origin form.

#include "captureevents.h"
#include "log/capture.h"
#include "net/localcertificateauthority.h"
#include "net/proxyserver.h"
#include "protocol/framewriter.h"
#include "rawclient.h"
#include "rawserver.h"

#include <QProcess>
#include <QSignalSpy>
#include <QSslConfiguration>
#include <QSslSocket>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTcpSocket>
#include <QTest>

namespace {

// A TCP server that keeps every byte it receives and answers with a fixed reply.
class ByteServer : public QObject {
public:
    explicit ByteServer(QByteArray reply = {})
        : m_reply(std::move(reply))
    {
        connect(&server, &QTcpServer::newConnection, this, [this] {
            QTcpSocket *socket = server.nextPendingConnection();
            connect(socket, &QTcpSocket::readyRead, this, [this, socket] {
                received += socket->readAll();
                if (!m_reply.isEmpty() && received.contains("\r\n\r\n")) {
                    socket->write(std::exchange(m_reply, {}));
                    socket->disconnectFromHost();
                }
            });
        });
    }
    QTcpServer server;
    QByteArray received;

private:
    QByteArray m_reply;
};


const QByteArray Established = "HTTP/1.1 200 Connection established\r\n\r\n";

QByteArray upgrade(QByteArrayView target, quint16 hostPort)
{
    return "GET " + target.toByteArray() + " HTTP/1.1\r\nHost: 127.0.0.1:" + QByteArray::number(hostPort)
        + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
          "Sec-WebSocket-Version: 13\r\n\r\n";
}

struct Fixture {
    explicit Fixture(const QStringList &noIntercept = {}, const QStringList &insecureHosts = {},
        std::shared_ptr<LocalCertificateAuthority> authority = {})
    {
        ProxyOptions options;
        options.noIntercept = noIntercept;
        options.insecureHosts = insecureHosts;
        options.sniffTimeoutMs = 3'000; // longer than any stall of a loaded machine between CONNECT and TLS
        proxy = std::make_unique<ProxyServer>(options);
        proxy->setCertificateAuthority(std::move(authority));
        QObject::connect(proxy.get(), &ProxyServer::sessionStarted, proxy.get(), [this](RelaySession *s) {
            s->addSink(&capture);
            ++relayed;
        });
        QObject::connect(proxy.get(), &ProxyServer::tunnelStarted, proxy.get(), [this](RelaySession *s) {
            s->addSink(&capture);
            ++tunnels;
        });
        QObject::connect(proxy.get(), &ProxyServer::refused, proxy.get(),
            [this](const QString &, const QString &why) { refusals << why; });
    }
    std::unique_ptr<ProxyServer> proxy;
    Capture capture;
    int relayed = 0;
    int tunnels = 0;
    QStringList refusals;
};

// A certificate authority in a directory of its own, made for one test.
struct Authority {
    Authority()
    {
        QString error;
        ca = LocalCertificateAuthority::openOrCreate(dir.path(), &error);
        if (!ca)
            qWarning("%s", qPrintable(error));
    }
    QTemporaryDir dir;
    std::shared_ptr<LocalCertificateAuthority> ca;
};

// A wss:// server whose certificate no system CA has signed (its own authority made it).
struct UntrustedTlsServer {
    explicit UntrustedTlsServer(std::function<void(RawServer &)> onRequest)
    {
        const auto leaf = authority.ca ? authority.ca->certificateFor(QStringLiteral("127.0.0.1"), nullptr) : std::nullopt;
        ready = leaf.has_value();
        if (ready)
            server.useTls(leaf->certificate, leaf->key);
        server.onRequest = std::move(onRequest);
    }
    bool ready = false; // its certificate was made
    Authority authority;
    RawServer server;
};

// A client of the proxy that asks for a tunnel, then speaks TLS in it, trusting `ca`.
struct TlsClient : QObject {
    TlsClient(quint16 proxyPort, quint16 serverPort, const QList<QSslCertificate> &trusted)
    {
        connect(&socket, &QSslSocket::readyRead, this, [this] {
            if (socket.isEncrypted())
                received += socket.readAll();
            else
                connectAnswer += socket.readAll();
        });
        connect(&socket, &QSslSocket::sslErrors, this, [this](const QList<QSslError> &errors) {
            for (const QSslError &e : errors)
                sslErrors << e.errorString();
        });
        connect(&socket, &QSslSocket::disconnected, this, [this] { gone = true; });
        QSslConfiguration config = socket.sslConfiguration();
        config.setCaCertificates(trusted);
        socket.setSslConfiguration(config);
        socket.connectToHost(QHostAddress::LocalHost, proxyPort);
        socket.write("CONNECT 127.0.0.1:" + QByteArray::number(serverPort) + " HTTP/1.1\r\n\r\n");
    }
    void startTls() { socket.startClientEncryption(); }
    QSslSocket socket;
    QByteArray connectAnswer;
    QByteArray received;
    QStringList sslErrors;
    bool gone = false;
};

bool saidSomething(const Capture &capture, EventKind kind, Leg leg, QLatin1String text)
{
    for (const WireEvent &e : eventsOfKind(capture, kind))
        if (e.leg == leg && e.text().contains(text))
            return true;
    return false;
}

} // namespace

class tst_ProxyServer : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void connectThenPlainWebSocketIsRelayed();
    void connectWithTlsPassesThrough();
    void tlsTerminatedAndWebSocketRelayed();
    void untrustedServerCertificateAnswered502();
    void clientDistrustingTheAuthorityIsReported();
    void curlHttpsPageThroughTerminatedTls();
    void noInterceptPassesThrough();
    void absoluteFormUpgradeIsRelayed();
    void plainRequestPassedOn();
    void curlThroughTheProxy();
    void badRequestsRefused_data();
    void badRequestsRefused();
};

void tst_ProxyServer::connectThenPlainWebSocketIsRelayed()
{
    RawServer server;
    QVERIFY(server.listen());
    server.onRequest = [](RawServer &s) { s.send(s.validResponse() + QByteArray::fromHex("8102") + "hi"); };
    Fixture f;
    QVERIFY(f.proxy->listen());
    QCOMPARE(f.proxy->url().toString(), QStringLiteral("http://127.0.0.1:%1").arg(f.proxy->port()));
    RawClient client(f.proxy->port());
    QVERIFY(client.socket.waitForConnected(5000));
    client.socket.write("CONNECT 127.0.0.1:" + QByteArray::number(server.port())
        + " HTTP/1.1\r\nHost: 127.0.0.1:" + QByteArray::number(server.port()) + "\r\n\r\n");
    QTRY_COMPARE(client.received, Established);
    client.socket.write(upgrade("/chat?x=1", server.port()));
    QTRY_VERIFY(client.received.endsWith(QByteArray::fromHex("8102") + "hi"));
    QCOMPARE(server.request().target, QByteArray("/chat?x=1"));
    QCOMPARE(f.relayed, 1);
    QCOMPARE(f.tunnels, 0);
    const auto frames = eventsOfKind(f.capture, EventKind::Frame);
    QCOMPARE(frames.size(), 1);
    QCOMPARE(frames[0].leg, Leg::Server);
    QCOMPARE(frames[0].payload.toByteArray(), QByteArray("hi"));
}

void tst_ProxyServer::connectWithTlsPassesThrough()
{
    ByteServer server;
    QVERIFY(server.server.listen(QHostAddress::LocalHost, 0));
    Fixture f;
    QVERIFY(f.proxy->listen());
    RawClient client(f.proxy->port());
    QVERIFY(client.socket.waitForConnected(5000));
    client.socket.write("CONNECT 127.0.0.1:" + QByteArray::number(server.server.serverPort()) + " HTTP/1.1\r\n\r\n");
    QTRY_COMPARE(client.received, Established);
    const QByteArray hello = QByteArray::fromHex("160301020001000001fc0303") + QByteArray(500, '\x5a');
    client.socket.write(hello);
    QTRY_COMPARE(server.received, hello); // byte for byte, nothing added
    QCOMPARE(f.tunnels, 1);
    QCOMPARE(f.relayed, 0);
    bool said = false;
    for (const WireEvent &e : eventsOfKind(f.capture, EventKind::StateChange))
        said = said || e.text().contains(QLatin1String("TLS, passed through uninspected"));
    QVERIFY(said);
}

// wss:// through CONNECT: the proxy shows the client a certificate its own authority signed for
// the host, relays the decrypted upgrade to the server over TLS, and records both legs.
void tst_ProxyServer::tlsTerminatedAndWebSocketRelayed()
{
    UntrustedTlsServer upstream([](RawServer &s) { s.send(s.validResponse() + QByteArray::fromHex("8102") + "hi"); });
    QVERIFY(upstream.ready && upstream.server.listen());
    Authority proxyCa;
    QVERIFY(proxyCa.ca);
    Fixture f({}, { QStringLiteral("127.0.0.1") }, proxyCa.ca);
    QVERIFY(f.proxy->intercepts());
    QVERIFY(f.proxy->listen());
    TlsClient client(f.proxy->port(), upstream.server.port(), { proxyCa.ca->certificate() });
    QTRY_COMPARE(client.connectAnswer, Established);
    client.startTls();
    QTRY_VERIFY2(client.socket.isEncrypted(), qPrintable(client.sslErrors.join(u'\n')));
    QVERIFY(client.sslErrors.isEmpty());
    QCOMPARE(client.socket.peerCertificate().issuerInfo(QSslCertificate::CommonName),
        proxyCa.ca->certificate().subjectInfo(QSslCertificate::CommonName));
    client.socket.write(upgrade("/chat?room=1", upstream.server.port()) + QByteArray::fromHex("818000000000"));
    QTRY_VERIFY(client.received.endsWith(QByteArray::fromHex("8102") + "hi"));
    QVERIFY(client.received.startsWith("HTTP/1.1 101"));
    QCOMPARE(upstream.server.request().target, QByteArray("/chat?room=1"));
    QTRY_COMPARE(upstream.server.clientFrames().size(), 1);
    QCOMPARE(f.relayed, 1);
    QCOMPARE(f.tunnels, 0);
    const auto frames = eventsOfKind(f.capture, EventKind::Frame);
    QCOMPARE(frames.size(), 2);
    QCOMPARE(frames[0].leg, Leg::App);
    QCOMPARE(frames[1].leg, Leg::Server);
    QCOMPARE(frames[1].payload.toByteArray(), QByteArray("hi"));
    QVERIFY(saidSomething(f.capture, EventKind::TlsInfo, Leg::Server, QLatin1String("certificate errors allowed")));
    QVERIFY(saidSomething(f.capture, EventKind::TlsInfo, Leg::Server, QLatin1String("TLS established with 127.0.0.1")));
}

// The server's certificate fails verification and no one allowed that: the client, inside the
// terminated TLS, is told why in a 502.
void tst_ProxyServer::untrustedServerCertificateAnswered502()
{
    UntrustedTlsServer upstream([](RawServer &s) { s.send(s.validResponse()); });
    QVERIFY(upstream.ready && upstream.server.listen());
    Authority proxyCa;
    Fixture f({}, {}, proxyCa.ca);
    QVERIFY(f.proxy->listen());
    TlsClient client(f.proxy->port(), upstream.server.port(), { proxyCa.ca->certificate() });
    QTRY_COMPARE(client.connectAnswer, Established);
    client.startTls();
    QTRY_VERIFY(client.socket.isEncrypted());
    client.socket.write(upgrade("/", upstream.server.port()));
    QTRY_VERIFY(client.gone);
    QVERIFY2(client.received.startsWith("HTTP/1.1 502"), client.received.constData());
    QVERIFY2(client.received.contains("TLS certificate of 127.0.0.1 rejected"), client.received.constData());
    QVERIFY(saidSomething(f.capture, EventKind::Error, Leg::Server, QLatin1String("--insecure-host")));
    QCOMPARE(upstream.server.request().target, QByteArray()); // nothing reached it
}

// A client that does not trust the inspector's authority drops the TLS handshake: the proxy says
// so, naming the host and what to do.
void tst_ProxyServer::clientDistrustingTheAuthorityIsReported()
{
    Authority proxyCa;
    Fixture f({}, {}, proxyCa.ca);
    QVERIFY(f.proxy->listen());
    TlsClient client(f.proxy->port(), 9, {}); // trusts nothing
    QTRY_COMPARE(client.connectAnswer, Established);
    client.startTls();
    QTRY_VERIFY(!client.sslErrors.isEmpty());
    QTRY_COMPARE(f.refusals.size(), 1);
    QVERIFY2(f.refusals.first().contains(QLatin1String("TLS with the client for 127.0.0.1 failed")),
        qPrintable(f.refusals.first()));
    QVERIFY(f.refusals.first().contains(QLatin1String("--export-ca")));
    QCOMPARE(f.relayed + f.tunnels, 0);
}

// curl, trusting the exported authority, fetches an https:// page through the proxy: TLS is
// terminated, the request is not an upgrade, so it goes on to the server over TLS, unparsed.
void tst_ProxyServer::curlHttpsPageThroughTerminatedTls()
{
    const QByteArray page = "HTTP/1.1 200 OK\r\nContent-Length: 12\r\nConnection: close\r\n\r\nover TLS ok\n";
    UntrustedTlsServer upstream([page](RawServer &s) {
        s.send(page);
        s.closeTcp();
    });
    QVERIFY(upstream.ready && upstream.server.listen());
    Authority proxyCa;
    QString error;
    const QString caFile = proxyCa.dir.filePath(QStringLiteral("exported.pem"));
    QVERIFY2(proxyCa.ca->exportCertificate(caFile, &error), qPrintable(error));
    Fixture f({}, { QStringLiteral("127.0.0.*") }, proxyCa.ca);
    QVERIFY(f.proxy->listen());
    QProcess curl;
    curl.start(QStringLiteral("curl"),
        { QStringLiteral("-sS"), QStringLiteral("--max-time"), QStringLiteral("20"), QStringLiteral("--cacert"), caFile,
            QStringLiteral("-x"), f.proxy->url().toString(),
            QStringLiteral("https://127.0.0.1:%1/page").arg(upstream.server.port()) });
    QVERIFY2(curl.waitForStarted(10'000), "curl is missing (scripts/packages/test.txt)");
    QSignalSpy done(&curl, &QProcess::finished);
    QVERIFY(done.wait(30'000));
    QVERIFY2(curl.exitCode() == 0, curl.readAllStandardError().constData());
    QCOMPARE(curl.readAllStandardOutput(), QByteArray("over TLS ok\n"));
    QCOMPARE(upstream.server.request().target, QByteArray("/page"));
    QCOMPARE(f.tunnels, 1);
    QVERIFY(saidSomething(f.capture, EventKind::StateChange, Leg::App, QLatin1String("TLS terminated; not a WebSocket")));
}

void tst_ProxyServer::noInterceptPassesThrough()
{
    ByteServer server;
    QVERIFY(server.server.listen(QHostAddress::LocalHost, 0));
    Fixture f({ QStringLiteral("127.0.0.*") });
    QVERIFY(f.proxy->matchesNoIntercept(QStringLiteral("127.0.0.1")));
    QVERIFY(!f.proxy->matchesNoIntercept(QStringLiteral("example.org")));
    ProxyServer bank(ProxyOptions { {}, { QStringLiteral("*.bank.example") }, {}, 500 });
    QVERIFY(bank.matchesNoIntercept(QStringLiteral("www.bank.example.")));  // the same name, fully qualified
    QVERIFY(bank.matchesNoIntercept(QStringLiteral("WWW.Bank.Example")));
    QVERIFY(f.proxy->listen());
    RawClient client(f.proxy->port());
    QVERIFY(client.socket.waitForConnected(5000));
    client.socket.write("CONNECT 127.0.0.1:" + QByteArray::number(server.server.serverPort()) + " HTTP/1.1\r\n\r\n");
    QTRY_COMPARE(client.received, Established);
    const QByteArray request = upgrade("/", server.server.serverPort());
    client.socket.write(request);
    QTRY_COMPARE(server.received, request); // not rewritten, not relayed
    QCOMPARE(f.relayed, 0);
    QCOMPARE(f.tunnels, 1);
}

void tst_ProxyServer::absoluteFormUpgradeIsRelayed()
{
    RawServer server;
    QVERIFY(server.listen());
    server.onRequest = [](RawServer &s) { s.send(s.validResponse()); };
    Fixture f;
    QVERIFY(f.proxy->listen());
    RawClient client(f.proxy->port());
    QVERIFY(client.socket.waitForConnected(5000));
    client.socket.write(
        upgrade("http://127.0.0.1:" + QByteArray::number(server.port()) + "/socket?a=b", server.port()));
    QTRY_VERIFY(client.received.startsWith("HTTP/1.1 101"));
    QCOMPARE(server.request().target, QByteArray("/socket?a=b")); // origin form for the server
    QCOMPARE(f.relayed, 1);
}

void tst_ProxyServer::plainRequestPassedOn()
{
    const QByteArray page = "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nConnection: close\r\n\r\nhello";
    ByteServer server(page);
    QVERIFY(server.server.listen(QHostAddress::LocalHost, 0));
    Fixture f;
    QVERIFY(f.proxy->listen());
    RawClient client(f.proxy->port());
    QVERIFY(client.socket.waitForConnected(5000));
    client.socket.write("GET http://127.0.0.1:" + QByteArray::number(server.server.serverPort())
        + "/index.html HTTP/1.1\r\nHost: 127.0.0.1\r\nProxy-Connection: keep-alive\r\nAccept: */*\r\n\r\n");
    QTRY_VERIFY(client.gone);
    QCOMPARE(client.received, page);
    QCOMPARE(server.received,
        QByteArray("GET /index.html HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: */*\r\nConnection: close\r\n\r\n"));
    QCOMPARE(f.tunnels, 1);
}

// curl, an independent HTTP client, uses the proxy for a page (absolute form) as browsers do.
void tst_ProxyServer::curlThroughTheProxy()
{
    const QByteArray page
        = "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 16\r\n\r\nthrough a proxy\n";
    ByteServer server(page);
    QVERIFY(server.server.listen(QHostAddress::LocalHost, 0));
    Fixture f;
    QVERIFY(f.proxy->listen());
    QProcess curl;
    curl.start(QStringLiteral("curl"),
        { QStringLiteral("-sS"), QStringLiteral("--max-time"), QStringLiteral("20"), QStringLiteral("-x"),
            f.proxy->url().toString(), QStringLiteral("http://127.0.0.1:%1/page").arg(server.server.serverPort()) });
    QVERIFY2(curl.waitForStarted(10'000), "curl is missing (scripts/packages/test.txt)");
    QSignalSpy done(&curl, &QProcess::finished);
    QVERIFY(done.wait(30'000));
    QCOMPARE(curl.exitCode(), 0);
    QCOMPARE(curl.readAllStandardOutput(), QByteArray("through a proxy\n"));
    QVERIFY(server.received.startsWith("GET /page HTTP/1.1\r\n"));
}

void tst_ProxyServer::badRequestsRefused_data()
{
    QTest::addColumn<QByteArray>("request");
    QTest::addColumn<QByteArray>("status");
    QTest::addColumn<QString>("why");
    QTest::addRow("origin form") << QByteArray("GET /index.html HTTP/1.1\r\nHost: x\r\n\r\n") << QByteArray("400")
                                 << QStringLiteral("a proxy takes absolute URLs");
    QTest::addRow("CONNECT without port") << QByteArray("CONNECT example.org HTTP/1.1\r\n\r\n") << QByteArray("400")
                                          << QStringLiteral("CONNECT target example.org is not host:port");
    QTest::addRow("ftp") << QByteArray("GET ftp://example.org/ HTTP/1.1\r\n\r\n") << QByteArray("400")
                         << QStringLiteral("is not an absolute http://, https://, ws:// or wss:// URL");
    QTest::addRow("bare CR") << QByteArray("GET http://a/ HTTP/1.1\r\nX: 1\r2\r\n\r\n") << QByteArray("400")
                             << QStringLiteral("bare CR");
}

void tst_ProxyServer::badRequestsRefused()
{
    QFETCH(QByteArray, request);
    QFETCH(QByteArray, status);
    QFETCH(QString, why);
    Fixture f;
    QVERIFY(f.proxy->listen());
    RawClient client(f.proxy->port());
    QVERIFY(client.socket.waitForConnected(5000));
    client.socket.write(request);
    QTRY_VERIFY(client.gone);
    QVERIFY2(client.received.startsWith("HTTP/1.1 " + status), client.received.constData());
    QVERIFY2(client.received.contains(why.toUtf8()), client.received.constData());
    QCOMPARE(f.refusals.size(), 1);
    QVERIFY(f.refusals.first().contains(why));
}

QTEST_GUILESS_MAIN(tst_ProxyServer)
#include "tst_proxyserver.moc"
