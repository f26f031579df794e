// A real browser through the reverse relay: headless Chromium from Debian loads a page from a
// local HTTP server, and the page's script opens a ws:// connection to the relay in front of a
// node-ws echo server, exchanges a text and a binary message and closes. The capture must show
// Chromium's own handshake (its User-Agent, its permessage-deflate offer) and every frame, the
// compressed ones inflated on both legs.

#include "captureevents.h"
#include "log/capture.h"
#include "net/relayserver.h"
#include "peerprocess.h"

#include <QProcess>
#include <QStandardPaths>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>

namespace {

// Serves `page` for every request, one request per connection.
class PageServer : public QObject {
public:
    explicit PageServer(QByteArray page)
        : m_page(std::move(page))
    {
        connect(&server, &QTcpServer::newConnection, this, [this] {
            QTcpSocket *socket = server.nextPendingConnection();
            connect(socket, &QTcpSocket::readyRead, socket, [this, socket] {
                m_requests[socket] += socket->readAll();
                if (!m_requests[socket].contains("\r\n\r\n"))
                    return;
                const bool favicon = m_requests[socket].startsWith("GET /favicon");
                const QByteArray body = favicon ? QByteArray() : m_page;
                socket->write(QByteArray(favicon ? "HTTP/1.1 404 Not Found\r\n" : "HTTP/1.1 200 OK\r\n")
                    + "Content-Type: text/html; charset=utf-8\r\nContent-Length: " + QByteArray::number(body.size())
                    + "\r\nConnection: close\r\n\r\n" + body);
                socket->disconnectFromHost();
            });
            connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
        });
    }
    QTcpServer server;

private:
    QByteArray m_page;
    QHash<QTcpSocket *, QByteArray> m_requests;
};


} // namespace

class tst_BrowserRelay : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void chromiumThroughTheRelay();
};

void tst_BrowserRelay::chromiumThroughTheRelay()
{
    const QString chromium = QStandardPaths::findExecutable(QStringLiteral("chromium"));
    QVERIFY2(!chromium.isEmpty(), "chromium is not installed (scripts/packages/test.txt)");

    PeerProcess echo;
    QVERIFY(echo.start(PeerProcess::Runtime::Node, QStringLiteral("net/peers/node_echo_server.js")));
    const quint16 echoPort = echo.waitForPort();
    QVERIFY(echoPort != 0);

    RelayOptions options;
    options.to = QUrl(QStringLiteral("ws://127.0.0.1:%1/echo").arg(echoPort));
    RelayServer relay(options);
    Capture capture;
    int finished = 0;
    connect(&relay, &RelayServer::sessionStarted, this, [&capture](RelaySession *s) { s->addSink(&capture); });
    connect(&relay, &RelayServer::sessionFinished, this, [&finished] { ++finished; });
    QVERIFY2(relay.listen(), qPrintable(relay.errorString()));

    const QByteArray page = "<!doctype html><title>relay test</title><script>\n"
                            "const ws = new WebSocket('ws://127.0.0.1:"
        + QByteArray::number(relay.port())
        + "/');\n"
          "ws.binaryType = 'arraybuffer';\n"
          "let echoes = 0;\n"
          "ws.onopen = () => { ws.send('hello from chromium, hello from chromium');"
          " ws.send(new Uint8Array([1, 2, 3, 250])); };\n"
          "ws.onmessage = () => { if (++echoes === 2) ws.close(1000, 'done'); };\n"
          "</script>\n";
    PageServer pages(page);
    QVERIFY(pages.server.listen(QHostAddress::LocalHost, 0));

    QTemporaryDir profile;
    QProcess browser;
    browser.setProcessChannelMode(QProcess::MergedChannels);
    browser.start(chromium,
        { QStringLiteral("--headless=new"), QStringLiteral("--no-sandbox"), QStringLiteral("--disable-gpu"),
            QStringLiteral("--no-first-run"), QStringLiteral("--disable-extensions"),
            QStringLiteral("--user-data-dir=") + profile.path(),
            QStringLiteral("http://127.0.0.1:%1/index.html").arg(pages.server.serverPort()) });
    QVERIFY2(browser.waitForStarted(20'000), qPrintable(browser.errorString()));
    // The page closes its connection itself once both echoes came back.
    QTRY_VERIFY2_WITH_TIMEOUT(finished == 1, browser.readAll().right(2000).constData(), 60'000);
    browser.kill();
    browser.waitForFinished(10'000);

    const auto requests = eventsOfKind(capture, EventKind::HandshakeRequest);
    QVERIFY(!requests.isEmpty());
    const QByteArray request = requests.first().payload.toByteArray();
    QCOMPARE(requests.first().leg, Leg::App);
    QVERIFY2(request.contains("Chrome/"), request.constData()); // Chromium's own request
    QVERIFY2(
        request.contains("Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits"), request.constData());
    const auto frames = eventsOfKind(capture, EventKind::Frame);
    QList<QByteArray> appMessages, serverMessages;
    bool compressed = false;
    for (const WireEvent &e : frames) {
        if (e.frame.opcode != Opcode::Text && e.frame.opcode != Opcode::Binary)
            continue;
        compressed = compressed || e.compressed;
        (e.leg == Leg::App ? appMessages : serverMessages) << e.content().toByteArray();
    }
    const QList<QByteArray> sent { "hello from chromium, hello from chromium", QByteArray("\x01\x02\x03\xfa", 4) };
    QCOMPARE(appMessages, sent);
    QCOMPARE(serverMessages, sent);
    QVERIFY2(compressed, "Chromium and node-ws agreed on permessage-deflate; the relay showed the frames inflated");
    QVERIFY(eventsOfKind(capture, EventKind::Violation).isEmpty());
    const QString closed = eventsOfKind(capture, EventKind::StateChange).last().text();
    QVERIFY2(
        closed.contains(QLatin1String("CLOSED: 1000")) && closed.contains(QLatin1String("application closed first")),
        qPrintable(closed));
    QVERIFY(onLeg(frames, Leg::App).first().frame.masked); // a browser masks its frames
}

QTEST_GUILESS_MAIN(tst_BrowserRelay)
#include "tst_browserrelay.moc"
