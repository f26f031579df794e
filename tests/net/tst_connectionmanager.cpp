// Sessions as the window uses them: several connections at once, the same URL twice (two chat
// clients on the broadcast server), each with its own capture, log and counters; a closed
// connection keeps its log until removed.

#include "net/connectionmanager.h"
#include "net/embeddedserver.h"
#include "net/relayserver.h"
#include "log/capturewriter.h"
#include "captureevents.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTest>
#include <QElapsedTimer>
#include <QFile>
#include <QTemporaryDir>
#include <QScopeGuard>
#include <QThread>
#include <QWebSocket>
#include <QWebSocketServer>

class tst_ConnectionManager : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void twoChatClientsOnTheSameUrl();
    void closedSessionKeepsItsLogUntilRemoved();
    void badUrlStillMakesASessionWithTheError();
    void trafficCounters();
    void relayedConnectionsBecomeSessions();
    void ownConnectionAnswersWhileTheWindowStalls();
    void embeddedServerEchoesWhileTheWindowStalls();
    void clearNotesEveryEventFirst();
    void qtEngineSessionOnTheNetworkThread();
    void interceptThroughTheSession();
    void interceptQWebSocketConnection();
    void openAHarFile();
};

namespace {
ConnectionOptions optionsFor(const QUrl &url)
{
    ConnectionOptions options;
    options.url = url;
    return options;
}
} // namespace

void tst_ConnectionManager::twoChatClientsOnTheSameUrl()
{
    EmbeddedServer server;
    server.setMode(EmbeddedServer::Mode::Broadcast);
    QVERIFY(server.start());
    ConnectionManager manager;
    QAbstractItemModelTester tester(&manager, QAbstractItemModelTester::FailureReportingMode::QtTest);
    ClientSession *alice = manager.open(optionsFor(server.url()));
    ClientSession *bob = manager.open(optionsFor(server.url()));
    QCOMPARE(manager.rowCount(), 2);
    QVERIFY(alice->id() != bob->id());
    QTRY_COMPARE(alice->readyState(), ReadyState::Open);
    QTRY_COMPARE(bob->readyState(), ReadyState::Open);
    QTRY_COMPARE(server.clients().size(), 2);

    QVERIFY(alice->sendText("hi bob"));
    QTRY_VERIFY(!messagesIn(*bob->capture()).isEmpty());
    QCOMPARE(messagesIn(*bob->capture()).first(), QByteArray("hi bob"));
    // Each session keeps its own capture: Alice's has her outgoing frame, Bob's does not.
    auto countOutgoingFrames = [](ClientSession *s) {
        int n = 0;
        for (qsizetype i = 0; i < s->capture()->count(); ++i) {
            const WireEvent e = s->capture()->event(i);
            n += e.kind == EventKind::Frame && e.direction == Direction::Outgoing ? 1 : 0;
        }
        return n;
    };
    QCOMPARE(countOutgoingFrames(alice), 1);
    QCOMPARE(countOutgoingFrames(bob), 0);
    QVERIFY(manager.data(manager.index(0), Qt::DisplayRole).toString().contains(QStringLiteral("[OPEN]")));
}

void tst_ConnectionManager::closedSessionKeepsItsLogUntilRemoved()
{
    EmbeddedServer server;
    QVERIFY(server.start());
    ConnectionManager manager;
    QAbstractItemModelTester tester(&manager, QAbstractItemModelTester::FailureReportingMode::QtTest);
    ClientSession *session = manager.open(optionsFor(server.url()));
    QTRY_COMPARE(session->readyState(), ReadyState::Open);
    QVERIFY(session->close(1000, "bye"));
    QTRY_COMPARE(session->readyState(), ReadyState::Closed);
    session->log()->flushPending();
    const int rows = session->log()->rowCount();
    QVERIFY(rows >= 6); // state, request, response, open, close out, close in, ... closed
    QCOMPARE(manager.rowCount(), 1);
    QCOMPARE(manager.data(manager.index(0), ConnectionManager::StateRole).toInt(), int(ReadyState::Closed));

    QSignalSpy removed(&manager, &QAbstractItemModel::rowsRemoved);
    manager.remove(0);
    QCOMPARE(removed.size(), 1);
    QCOMPARE(manager.rowCount(), 0);
}

void tst_ConnectionManager::badUrlStillMakesASessionWithTheError()
{
    ConnectionManager manager;
    ClientSession *session = manager.open(optionsFor(QUrl(QStringLiteral("http://example.com/"))));
    QCOMPARE(manager.rowCount(), 1);
    // The connection runs on the networking thread: its error comes back with the first batch.
    QTRY_COMPARE(session->capture()->count(), 1);
    QCOMPARE(session->readyState(), ReadyState::Closed);
    QCOMPARE(session->capture()->event(0).kind, EventKind::Error);
    QVERIFY(manager.data(manager.index(0), Qt::ToolTipRole).toString().contains(QStringLiteral("unsupported scheme")));
}

void tst_ConnectionManager::trafficCounters()
{
    EmbeddedServer server;
    QVERIFY(server.start());
    ConnectionManager manager;
    ClientSession *session = manager.open(optionsFor(server.url()));
    QTRY_COMPARE(session->readyState(), ReadyState::Open);
    QVERIFY(session->sendText("12345"));
    QVERIFY(session->sendBinary(QByteArray(200, 'x')));
    QVERIFY(session->ping("p"));
    QTRY_COMPARE(messagesIn(*session->capture()).size(), 2);
    QTRY_COMPARE(session->stats().in.frames, quint64(3)); // two echoes and the pong

    const TrafficStats &stats = session->stats();
    QCOMPARE(stats.out.messages, quint64(2));
    QCOMPARE(stats.out.frames, quint64(3));
    QCOMPARE(stats.in.messages, quint64(2));
    // Wire bytes: masked client frames carry 4 key bytes; 200 bytes need the 16-bit length form.
    const quint64 requestBytes = quint64(session->capture()->event(1).payload.size());
    QCOMPARE(stats.out.bytes, requestBytes + (6 + 5) + (8 + 200) + (6 + 1));
    QVERIFY(stats.openedAtUs > 0);
    QCOMPARE(stats.closedAtUs, 0);
}

// A relay started here lists each application connection as a session of its own, next to the
// user's connections; the session keeps its log after the relayed connection ends.
void tst_ConnectionManager::relayedConnectionsBecomeSessions()
{
    EmbeddedServer server;
    QVERIFY(server.start());
    ConnectionManager manager;
    QAbstractItemModelTester tester(&manager, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QSignalSpy relaysChanged(&manager, &ConnectionManager::relaysChanged);
    RelayOptions options;
    options.to = server.url();
    QString error;
    RelayServer *relay = manager.startRelay(options, QHostAddress(QHostAddress::LocalHost), 0, &error);
    QVERIFY2(relay, qPrintable(error));
    QCOMPARE(manager.relays().size(), 1);

    ClientSession *own = manager.open(optionsFor(relay->url())); // the application, as far as the relay knows
    QTRY_COMPARE(manager.rowCount(), 2);
    ClientSession *relayed = manager.session(1);
    QCOMPARE(relayed->kind(), ClientSession::Kind::Relay);
    QVERIFY(relayed->id() != own->id());
    QVERIFY(!relayed->canSend()); // nothing to send on: it is the application's connection
    QVERIFY(!relayed->sendText("refused"));
    QTRY_COMPARE(own->readyState(), ReadyState::Open);
    QTRY_COMPARE(relayed->readyState(), ReadyState::Open);
    const QString title = manager.data(manager.index(1), Qt::DisplayRole).toString();
    QVERIFY2(title.contains(QStringLiteral("app 127.0.0.1:")) && title.contains(QStringLiteral("\u21c4 %1").arg(server.url().toDisplayString())),
        qPrintable(title));
    QVERIFY(relayed->handshakeRequest().contains("Host: 127.0.0.1:" + QByteArray::number(relay->port())));
    QVERIFY(relayed->handshakeResponse().startsWith("HTTP/1.1 101"));

    QVERIFY(own->sendText("through the relay"));
    QTRY_VERIFY(relayed->capture()->count() > 0 && [&] {
        for (qsizetype i = 0; i < relayed->capture()->count(); ++i) {
            const WireEvent e = relayed->capture()->event(i);
            if (e.kind == EventKind::Frame && e.leg == Leg::Server && e.payload == "through the relay")
                return true;
        }
        return false;
    }());
    // Counted once each, where they arrived: the program's message toward the server, the echo back.
    QTRY_COMPARE(relayed->stats().in.messages, quint64(1));
    QCOMPARE(relayed->stats().out.messages, quint64(1));
    QCOMPARE(relayed->stats().out.bytes, own->stats().out.bytes);
    QCOMPARE(relayed->stats().in.bytes, own->stats().in.bytes);
    QVERIFY(relayed->stats().openedAtUs != 0); // the elapsed time counts from the 101
    own->disconnectFromPeer();
    QTRY_COMPARE(relayed->readyState(), ReadyState::Closed);
    QTRY_COMPARE(relay->runningCount(), 0); // the relay let go of it; the log stays
    QVERIFY(relayed->capture()->count() > 0);
    QVERIFY(relay->thread() != QThread::currentThread()); // it ran on the networking thread
    manager.stopRelays();
    QVERIFY(manager.relays().isEmpty());
    QVERIFY(relaysChanged.size() >= 3);
}


// The user's own connection runs on the networking thread: while the window's thread is busy
// (a long layout, a slow disk), it still answers the server's ping at once. The server runs on a
// thread of its own too, so that only the client could be in the way.
void tst_ConnectionManager::ownConnectionAnswersWhileTheWindowStalls()
{
    QThread serverThread;
    serverThread.start();
    auto *server = new QWebSocketServer(QStringLiteral("pinger"), QWebSocketServer::NonSecureMode);
    server->moveToThread(&serverThread);
    const auto stopServer = qScopeGuard([&] {
        QMetaObject::invokeMethod(server, [server] { delete server; }, Qt::BlockingQueuedConnection);
        serverThread.quit();
        serverThread.wait();
    });
    std::atomic<qint64> pongAfterMs = -1;
    QWebSocket *peer = nullptr;
    QMetaObject::invokeMethod(
        server,
        [&] {
            QVERIFY(server->listen(QHostAddress::LocalHost, 0));
            connect(server, &QWebSocketServer::newConnection, server, [&] {
                peer = server->nextPendingConnection();
                connect(peer, &QWebSocket::pong, server, [&](quint64 elapsedMs) { pongAfterMs = qint64(elapsedMs); });
            });
        },
        Qt::BlockingQueuedConnection);
    const QUrl url(QStringLiteral("ws://127.0.0.1:%1/").arg(server->serverPort()));

    ConnectionManager manager;
    ClientSession *session = manager.open(optionsFor(url));
    QTRY_COMPARE(session->readyState(), ReadyState::Open);
    QTRY_VERIFY(peer);
    QMetaObject::invokeMethod(server, [&] { peer->ping("are you there"); });
    // The window's thread stalls: it runs no event loop for this long (the stall is the test,
    // not a wait for something).
    constexpr int StallMs = 600;
    QElapsedTimer stall;
    stall.start();
    while (stall.elapsed() < StallMs && pongAfterMs < 0)
        QThread::msleep(5);
    const qint64 answeredAfterStallMs = stall.elapsed();
    QVERIFY2(pongAfterMs >= 0 && answeredAfterStallMs < StallMs,
        qPrintable(QStringLiteral("no pong during a %1 ms stall of the window's thread").arg(StallMs)));
    // Recorded there too, once the window reads its batches again.
    QTRY_COMPARE(framesIn(*session->capture(), Opcode::Ping), QList<QByteArray> { "are you there" });
    QCOMPARE(framesOf(*session->capture(), Direction::Outgoing).last().frame.opcode, Opcode::Pong);
}

// The embedded server runs on the networking thread too: a client on a thread of its own gets its
// echo while the window's thread is busy.
void tst_ConnectionManager::embeddedServerEchoesWhileTheWindowStalls()
{
    ConnectionManager manager;
    EmbeddedServer *server = manager.embeddedServer();
    QVERIFY(server->thread() != QThread::currentThread());
    QVERIFY2(server->start(), qPrintable(server->errorString())); // called from here, run there
    const QUrl url = server->url();
    QCOMPARE(url.port(), int(server->serverPort()));

    QThread clientThread;
    clientThread.start();
    auto *client = new QWebSocket;
    client->moveToThread(&clientThread);
    const auto stopClient = qScopeGuard([&] {
        QMetaObject::invokeMethod(client, [client] { delete client; }, Qt::BlockingQueuedConnection);
        clientThread.quit();
        clientThread.wait();
    });
    std::atomic<bool> open = false;
    std::atomic<bool> echoed = false;
    QMetaObject::invokeMethod(client, [&] {
        connect(client, &QWebSocket::connected, client, [&] { open = true; });
        connect(client, &QWebSocket::textMessageReceived, client, [&](const QString &text) {
            echoed = text == QLatin1String("echo me");
        });
        client->open(url);
    });
    QTRY_VERIFY(open);
    QTRY_COMPARE(server->clients().size(), 1);
    QMetaObject::invokeMethod(client, [client] { client->sendTextMessage(QStringLiteral("echo me")); });
    constexpr int StallMs = 600; // the window's thread runs no event loop meanwhile: the stall is the test
    QElapsedTimer stall;
    stall.start();
    while (stall.elapsed() < StallMs && !echoed)
        QThread::msleep(5);
    QVERIFY2(echoed, qPrintable(QStringLiteral("no echo during a %1 ms stall of the window's thread").arg(StallMs)));
}

// A session learns its connection's state from the captured events, which a networking thread
// writes. Clear forgets the events: those the window had not read yet (still being published, or
// past the session's slice) are noted first, so the session is not left OPEN by a connection that
// closed, nor its counters short.
void tst_ConnectionManager::clearNotesEveryEventFirst()
{
    std::shared_ptr<Capture> capture = ClientSession::newCapture();
    ClientSession::Relayed relayed;
    relayed.appPeer = QStringLiteral("127.0.0.1:1");
    relayed.target = QUrl(QStringLiteral("ws://127.0.0.1:2/"));
    ClientSession session(9, relayed, capture);
    QThread network;
    network.start();
    QObject anchor;
    anchor.moveToThread(&network);
    CaptureWriter *writer = nullptr;
    auto stop = qScopeGuard([&] {
        if (writer)
            QMetaObject::invokeMethod(writer, [writer] { delete writer; }, Qt::BlockingQueuedConnection);
        QMetaObject::invokeMethod(&anchor, [&] { anchor.moveToThread(qApp->thread()); }, Qt::BlockingQueuedConnection);
        network.quit();
        network.wait();
    });
    const int frames = 3 * 32768; // more than the session takes in a turn
    const QByteArray header = QByteArray::fromHex("8101");
    QMetaObject::invokeMethod(
        &anchor,
        [&] {
            writer = new CaptureWriter(capture);
            WireEvent state;
            state.connectionId = 9;
            state.kind = EventKind::StateChange;
            state.direction = Direction::Local;
            state.leg = Leg::App;
            state.state = ReadyState::Open;
            writer->record(state);
            for (int i = 0; i < frames; ++i) {
                WireEvent e;
                e.connectionId = 9;
                e.kind = EventKind::Frame;
                e.direction = Direction::Incoming;
                e.leg = Leg::App;
                e.header = header;
                FrameHeader::decode(header, e.frame);
                e.payload = "x";
                e.messageId = quint32(i + 1);
                writer->record(e);
            }
            state.state = ReadyState::Closed;
            writer->record(state);
        },
        Qt::BlockingQueuedConnection);
    QCOMPARE(session.readyState(), ReadyState::Connecting); // nothing taken yet
    capture->clear();
    QCOMPARE(capture->count(), 0);
    QCOMPARE(session.readyState(), ReadyState::Closed);
    // Frames the application sent travel toward the server: counted out.
    QCOMPARE(session.stats().out.frames, quint64(frames));
    QCOMPARE(session.stats().out.messages, quint64(frames));
}



// A session run by QWebSocket: on the networking thread like any other, with its frames and its
// api events in the session's capture; it cannot craft frames; removing it while open is safe.
void tst_ConnectionManager::qtEngineSessionOnTheNetworkThread()
{
    EmbeddedServer server;
    QVERIFY(server.start());
    ConnectionManager manager;
    ConnectionOptions options = optionsFor(server.url());
    options.engine = ConnectionOptions::Engine::Qt;
    ClientSession *session = manager.open(options);
    QVERIFY(session->title().contains(QStringLiteral("(QWebSocket)")));
    QVERIFY(session->canSend());
    QVERIFY(!session->canCraftFrames());
    QTRY_COMPARE(session->readyState(), ReadyState::Open);
    QVERIFY(session->sendText("hi from Qt"));
    QTRY_COMPARE(messagesIn(*session->capture()), QList<QByteArray> { "hi from Qt" });
    // QWebSocket reported the echo through its signal, recorded in the same capture.
    const auto echoReported = [session] {
        for (const WireEvent &e : eventsOfKind(*session->capture(), EventKind::Api))
            if (e.payload.contains(R"(["hi from Qt"],"signal":"textMessageReceived")"))
                return true;
        return false;
    };
    QTRY_VERIFY(echoReported());
    QCOMPARE(framesOf(*session->capture(), Direction::Outgoing).size(), 1);
    manager.remove(0);
    QCOMPARE(manager.rowCount(), 0);
}

// The window's path to intercept: commands from the GUI thread reach the relayed session on the
// relays' thread, and the held messages come back as a model fed from the capture.
void tst_ConnectionManager::interceptThroughTheSession()
{
    EmbeddedServer server;
    QVERIFY(server.start());
    ConnectionManager manager;
    RelayOptions options;
    options.to = server.url();
    options.interceptable = true;
    QString error;
    RelayServer *relay = manager.startRelay(options, QHostAddress(QHostAddress::LocalHost), 0, &error);
    QVERIFY2(relay, qPrintable(error));
    ClientSession *app = manager.open(optionsFor(relay->url()));
    QTRY_COMPARE(manager.rowCount(), 2);
    ClientSession *relayed = manager.session(1);
    QVERIFY(relayed->canIntercept());
    QVERIFY(!app->canIntercept());
    QAbstractItemModelTester tester(relayed->heldMessages(), QAbstractItemModelTester::FailureReportingMode::QtTest);
    QTRY_COMPARE(relayed->readyState(), ReadyState::Open);
    QVERIFY(relayed->setIntercept(Leg::App, true, false));
    // The command crosses to the relays' thread; a ping through the relay comes back after it.
    QVERIFY(app->ping("after the command"));
    QTRY_VERIFY(!framesIn(*app->capture(), 0xA).isEmpty());

    QVERIFY(app->sendText("hold me"));
    QTRY_COMPARE(relayed->heldMessages()->rowCount(), 1);
    const HeldMessagesModel::Held held = relayed->heldMessages()->held(0);
    QCOMPARE(held.from, Leg::App);
    QCOMPARE(held.payload, QByteArray("hold me"));
    QVERIFY(messagesIn(*app->capture()).isEmpty()); // the server has not seen it, so no echo
    QVERIFY(relayed->forwardHeld(Leg::App, held.hold, QByteArray("changed")));
    QTRY_COMPARE(messagesIn(*app->capture()), QList<QByteArray> { "changed" });
    QTRY_COMPARE(relayed->heldMessages()->rowCount(), 0);

    QVERIFY(relayed->inject(Leg::App, [] {
        FrameSpec frame;
        frame.opcode = Opcode::Text;
        frame.mask = false;
        frame.payload = "from the inspector";
        return frame;
    }()));
    QTRY_COMPARE(messagesIn(*app->capture()), (QList<QByteArray> { "changed", "from the inspector" }));
}

// A connection on Qt's QWebSocket, opened to allow intercept: its relay inside the process holds
// what QWebSocket sends, and the edit is what reaches the server (whose echo proves it). The log
// keeps QWebSocket's frame and the one sent on, with the decision between them.
void tst_ConnectionManager::interceptQWebSocketConnection()
{
    EmbeddedServer server;
    QVERIFY(server.start());
    ConnectionManager manager;
    ConnectionOptions options = optionsFor(server.url());
    options.engine = ConnectionOptions::Engine::Qt;
    ConnectionOptions plain = options;
    options.interceptable = true;
    ClientSession *qt = manager.open(options);
    QVERIFY(qt->canIntercept());
    QVERIFY(!manager.open(plain)->canIntercept());
    QTRY_COMPARE(qt->readyState(), ReadyState::Open);
    QVERIFY(qt->setIntercept(Leg::App, true, false));
    // The command crosses to the networking thread; a ping's pong comes back after it.
    QVERIFY(qt->ping("after the command"));
    QTRY_VERIFY(!framesIn(*qt->capture(), 0xA).isEmpty());

    QVERIFY(qt->sendText("hold me"));
    QTRY_COMPARE(qt->heldMessages()->rowCount(), 1);
    const HeldMessagesModel::Held held = qt->heldMessages()->held(0);
    QCOMPARE(held.from, Leg::App);
    QCOMPARE(held.payload, QByteArray("hold me"));
    QVERIFY(qt->forwardHeld(Leg::App, held.hold, QByteArray("changed")));
    QTRY_COMPARE(messagesIn(*qt->capture()), QList<QByteArray> { "changed" });
    QTRY_COMPARE(qt->heldMessages()->rowCount(), 0);
    QStringList out;
    for (const WireEvent &e : framesOf(*qt->capture(), Direction::Outgoing))
        if (e.frame.opcode == 0x1)
            out << QString::fromUtf8(e.payload);
    QCOMPARE(out, (QStringList { QStringLiteral("hold me"), QStringLiteral("changed") }));
    // Two messages, not one: the relay's edit does not join QWebSocket's original.
    QList<quint32> ids;
    for (const WireEvent &e : framesOf(*qt->capture(), Direction::Outgoing))
        if (e.frame.opcode == 0x1)
            ids << e.messageId;
    QCOMPARE(ids.size(), 2);
    QVERIFY(ids.at(0) != ids.at(1));
    // And no note that QWebSocket did what the relay did.
    for (const WireEvent &e : eventsOfKind(*qt->capture(), EventKind::Api))
        QVERIFY2(!e.payload.contains(QByteArrayView("by itself")), e.payload.toByteArray().constData());

    // Inject toward QWebSocket (the application's leg): it receives a message the server never sent.
    QVERIFY(qt->inject(Leg::App, [] {
        FrameSpec frame;
        frame.opcode = Opcode::Text;
        frame.mask = false;
        frame.payload = "from the inspector";
        return frame;
    }()));
    QTRY_COMPARE(messagesIn(*qt->capture()), (QList<QByteArray> { "changed", "from the inspector" }));
}

QTEST_GUILESS_MAIN(tst_ConnectionManager)
void tst_ConnectionManager::openAHarFile()
{
    // File > Open Capture takes a browser's HAR as it takes a session file: a session of its own.
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(QStringLiteral("chrome.har"));
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(R"({"log":{"entries":[{"_resourceType":"websocket","startedDateTime":"2026-11-21T05:30:00.123Z",
        "request":{"method":"GET","url":"ws://example.com/ws","httpVersion":"HTTP/1.1","headers":[{"name":"Host","value":"example.com"}]},
        "response":{"status":101,"statusText":"Switching Protocols","httpVersion":"HTTP/1.1","headers":[]},
        "_webSocketMessages":[{"type":"receive","time":1795239000.3,"opcode":1,"data":"from chrome"}]}]}})");
    file.close();
    ConnectionManager manager;
    QStringList errors;
    ClientSession *session = manager.openFile(path, &errors);
    QVERIFY2(session, qPrintable(errors.join(QLatin1Char('\n'))));
    QVERIFY(errors.isEmpty());
    QCOMPARE(session->capture()->count(), 5);
    QCOMPARE(session->capture()->message(4).payload, QByteArray("from chrome"));

    // A pcapng file is refused with the reason, and no session is made of it.
    const QString pcapng = dir.filePath(QStringLiteral("wire.pcapng"));
    QFile wire(pcapng);
    QVERIFY(wire.open(QIODevice::WriteOnly));
    wire.write(QByteArray::fromHex("0a0d0d0a"));
    wire.close();
    QVERIFY(!manager.openFile(pcapng, &errors));
    QVERIFY2(errors.value(0).contains(QLatin1String("cannot be read back")), qPrintable(errors.value(0)));
}

#include "tst_connectionmanager.moc"
