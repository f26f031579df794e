// The window's keep-alive and auto-reconnect, through ConnectionManager as the window opens
// connections (on the networking thread): the embedded server stops (1001) and starts again on the
// same port, and the connection comes back as a new session whose CONNECTING line says why; the
// user's Disconnect ends the chain; a server that never comes back is given up on; keep-alive finds a
// silent server dead.

#include "net/connectionmanager.h"
#include "net/embeddedserver.h"
#include "net/reconnector.h"
#include "captureevents.h"
#include "rawserver.h"

#include <QTest>

class tst_Reconnector : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void serverRestarts();
    void givesUp();
    void notWhenTheUserCloses();
    void keepAliveFindsASilentServerDead();
};

namespace {
ConnectionOptions reconnecting(const QUrl &url, int attempts)
{
    ConnectionOptions options;
    options.url = url;
    options.reconnect = ReconnectPolicy { attempts, 30, 120 };
    return options;
}

QString firstStateText(ClientSession *session)
{
    for (qsizetype i = 0; i < session->capture()->count(); ++i) {
        const WireEvent e = session->capture()->event(i);
        if (e.kind == EventKind::StateChange)
            return e.text();
    }
    return {};
}
} // namespace

void tst_Reconnector::serverRestarts()
{
    EmbeddedServer server;
    QVERIFY(server.start());
    const quint16 port = server.url().port();
    ConnectionManager manager;
    ClientSession *first = manager.open(reconnecting(server.url(), 20));
    QTRY_COMPARE(first->readyState(), ReadyState::Open);

    server.stop(); // 1001 Going Away to every client
    QTRY_COMPARE(first->readyState(), ReadyState::Closed);
    QTRY_VERIFY2(manager.count() >= 3, "no attempt failed while the server was away"); // one at least
    QVERIFY2(first->reconnectNote().isEmpty() || first->reconnectNote().startsWith(QLatin1String("reconnecting in")),
             qPrintable(first->reconnectNote()));
    QVERIFY(server.start(QHostAddress::LocalHost, port));
    QTRY_VERIFY_WITH_TIMEOUT(manager.session(manager.count() - 1)->readyState() == ReadyState::Open, 15'000);
    ClientSession *back = manager.session(manager.count() - 1);
    const QString text = firstStateText(back);
    QVERIFY2(text.contains(QStringLiteral("; reconnect, attempt %1 of 20, ").arg(manager.count() - 1)), qPrintable(text));
    QVERIFY2(firstStateText(manager.session(1)).endsWith(QStringLiteral(" ms after #%1 closed").arg(first->id())),
             qPrintable(firstStateText(manager.session(1))));
    QVERIFY(back->reconnectNote().isEmpty());

    // The user's Disconnect: a clean close and no more connections.
    back->disconnectFromPeer();
    QTRY_COMPARE(back->readyState(), ReadyState::Closed);
    QTRY_VERIFY(manager.findChildren<Reconnector *>().isEmpty());
    QCOMPARE(manager.session(manager.count() - 1), back);
}

void tst_Reconnector::givesUp()
{
    ConnectionManager manager;
    ClientSession *first = manager.open(reconnecting(QUrl(QStringLiteral("ws://127.0.0.1:1/")), 2));
    QTRY_COMPARE(manager.count(), 3);
    ClientSession *last = manager.session(2);
    QTRY_COMPARE(last->reconnectNote(), QStringLiteral("gave up reconnecting after 2 attempt(s) in a row"));
    QTRY_VERIFY(manager.findChildren<Reconnector *>().isEmpty());
    QCOMPARE(manager.count(), 3);
    QVERIFY2(firstStateText(manager.session(1)).contains(QStringLiteral("reconnect, attempt 1 of 2, ")), qPrintable(firstStateText(manager.session(1))));
    QVERIFY2(firstStateText(manager.session(1)).contains(QStringLiteral(" ms after #%1 failed: connection refused by 127.0.0.1:1").arg(first->id())),
             qPrintable(firstStateText(manager.session(1))));
    QVERIFY(first->reconnectNote().isEmpty()); // it went on to the next
}

void tst_Reconnector::notWhenTheUserCloses()
{
    EmbeddedServer server;
    QVERIFY(server.start());
    ConnectionManager manager;
    ClientSession *session = manager.open(reconnecting(server.url(), 0));
    QTRY_COMPARE(session->readyState(), ReadyState::Open);
    session->close(4000, "done");
    QTRY_COMPARE(session->readyState(), ReadyState::Closed);
    QTRY_VERIFY(manager.findChildren<Reconnector *>().isEmpty());
    QCOMPARE(manager.count(), 1);
    QVERIFY(session->reconnectNote().isEmpty());
}

void tst_Reconnector::keepAliveFindsASilentServerDead()
{
    RawServer server;
    server.onRequest = [](RawServer &s) { s.send(s.validResponse()); }; // then nothing, ever
    QVERIFY(server.listen());
    ConnectionManager manager;
    ConnectionOptions options;
    options.url = server.url();
    options.keepAliveMs = 100;
    options.pongTimeoutMs = 200;
    ClientSession *session = manager.open(options); // on the networking thread, as in the window
    QTRY_COMPARE(session->readyState(), ReadyState::Open);
    QTRY_COMPARE_WITH_TIMEOUT(session->readyState(), ReadyState::Closed, 10'000);
    QVERIFY2(session->errorString().contains(QLatin1String("no pong within 200 ms of ping \"keepalive 1\"")),
             qPrintable(session->errorString()));
    QTRY_VERIFY(server.clientDisconnected());
    const auto frames = server.clientFrames();
    QCOMPARE(frames.size(), 1);
    QCOMPARE(frames.first().payload, QByteArray("keepalive 1"));
}

QTEST_MAIN(tst_Reconnector)
#include "tst_reconnector.moc"
