// The command line as a Socket.IO v4 client (--socketio) against a real socket.io 4 server (npm,
// pinned in tests/package.json; tests/decode/peers/socketio_chat_server.js, the tutorial's chat):
// it joins, emits with acks, hears another client's broadcast, reads binary events with their
// attachments, is let into a namespace or refused, and is dropped when it stops answering pings.
// Every message is checked as --decode prints it in jsonl.

#include "clirun.h"
#include "net/clientsession.h"
#include "peerprocess.h"

#include <QJsonArray>
#include <QTest>

namespace {

QString url(quint16 port)
{
    return QStringLiteral("http://127.0.0.1:%1").arg(port);
}

// The decoded units of the frames one way, as "type summary" lines in order.
QStringList decoded(const QList<QJsonObject> &frames)
{
    QStringList out;
    for (const QJsonObject &frame : frames) {
        const QJsonObject d = frame.value(QStringLiteral("decoded")).toObject();
        if (d.isEmpty())
            continue;
        for (const QJsonValue &unit : d.value(QStringLiteral("units")).toArray())
            out << unit.toObject().value(QStringLiteral("summary")).toString();
    }
    return out;
}

QList<QJsonObject> jsonObjects(const QByteArray &output)
{
    QList<QJsonObject> list;
    for (const QByteArray &line : output.split('\n'))
        if (!line.isEmpty())
            list << QJsonDocument::fromJson(line).object();
    return list;
}

QList<QJsonObject> framesOf(const QList<QJsonObject> &events, const char *dir)
{
    QList<QJsonObject> list;
    for (const QJsonObject &o : events)
        if (o.value(QStringLiteral("kind")) == QLatin1String("frame") && o.value(QStringLiteral("dir")) == QLatin1String(dir))
            list << o;
    return list;
}

} // namespace

class tst_SocketIoInterop : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void joinEmitAck();
    void broadcastFromAnotherClient();
    void binaryEventWithAttachments();
    void namespaceLetIn();
    void namespaceRefused();
    void silentClientIsDropped();
    void windowSessionJoins();
    void usageErrors_data();
    void usageErrors();

private:
    PeerProcess m_server;
    quint16 m_port = 0;
};

void tst_SocketIoInterop::initTestCase()
{
    QVERIFY(m_server.start(PeerProcess::Runtime::Node, QStringLiteral("decode/peers/socketio_chat_server.js")));
    m_port = m_server.waitForPort();
    QVERIFY2(m_port, "the socket.io server did not start (npm packages: scripts/install-npm-peers.sh)");
}

void tst_SocketIoInterop::joinEmitAck()
{
    const CliRun run = runCli({ QStringLiteral("--socketio"), url(m_port), QStringLiteral("--emit"), QStringLiteral("ping with ack"),
                                QStringLiteral("\"\""), QStringLiteral("--close"), QStringLiteral("1000"), QStringLiteral("--format"),
                                QStringLiteral("jsonl") });
    QVERIFY2(run.exitCode == 0, qPrintable(run.describe()));
    const QStringList out = decoded(run.frames("out"));
    const QStringList in = decoded(run.frames("in"));
    QCOMPARE(out.value(0), QStringLiteral("connect"));
    QCOMPARE(out.value(1), QStringLiteral(R"(event "ping with ack" [""] ack 0)"));
    QVERIFY2(in.value(0).startsWith(QStringLiteral("open sid ")), qPrintable(in.join(QLatin1Char('\n'))));
    QVERIFY2(in.value(0).endsWith(QStringLiteral("ping every 25 s, timeout 20 s")), qPrintable(in.value(0)));
    QVERIFY2(in.value(1).startsWith(QStringLiteral("connect {\"sid\":\"")), qPrintable(in.value(1)));
    QCOMPARE(in.value(2), QStringLiteral(R"(ack 0 ["pong"])"));
    // The URL opened: Engine.IO's websocket transport at socket.io's default path.
    const QJsonObject request = run.last("handshake-request");
    QVERIFY(request.value(QStringLiteral("raw")).toString().startsWith(QStringLiteral("GET /socket.io/?EIO=4&transport=websocket HTTP/1.1")));
    // The pairing keys are there for scripts: the emit asked, the ack answered.
    const QJsonObject ack = run.frames("in").at(2).value(QStringLiteral("decoded")).toObject();
    const QJsonObject correlation = ack.value(QStringLiteral("units")).toArray().first().toObject().value(QStringLiteral("correlations")).toArray().first().toObject();
    QCOMPARE(correlation.value(QStringLiteral("role")).toString(), QStringLiteral("answer"));
    QCOMPARE(correlation.value(QStringLiteral("key")).toString(), QStringLiteral("ack / 0"));
}

void tst_SocketIoInterop::broadcastFromAnotherClient()
{
    // A listener stays joined (no --close) until told to stop.
    QProcess listener;
    listener.start(QStringLiteral(WSI_CLI_PATH), { QStringLiteral("--socketio"), url(m_port), QStringLiteral("--format"), QStringLiteral("jsonl") });
    QVERIFY(listener.waitForStarted(10'000));
    QByteArray heard;
    // Joined once the server's connect came back.
    QTRY_VERIFY_WITH_TIMEOUT((heard += listener.readAllStandardOutput()).contains(R"("summary":"Socket.IO connect {\"sid\":)"), 15'000);

    const CliRun speaker = runCli({ QStringLiteral("--socketio"), url(m_port), QStringLiteral("--emit"), QStringLiteral("chat message"),
                                    QStringLiteral("\"hello from B\""), QStringLiteral("--close"), QStringLiteral("1000"),
                                    QStringLiteral("--format"), QStringLiteral("jsonl") });
    QVERIFY2(speaker.exitCode == 0, qPrintable(speaker.describe()));
    QTRY_VERIFY_WITH_TIMEOUT((heard += listener.readAllStandardOutput()).contains(R"(event \"chat message\" [\"hello from B\"])"), 15'000);
    listener.terminate(); // SIGTERM: the CLI closes with 1000
    QVERIFY(listener.waitForFinished(10'000));
    heard += listener.readAllStandardOutput();
    QCOMPARE(listener.exitCode(), 0);
    const QStringList in = decoded(framesOf(jsonObjects(heard), "in"));
    QVERIFY2(in.contains(QStringLiteral(R"(event "chat message" ["hello from B"])")), qPrintable(in.join(QLatin1Char('\n'))));
}

void tst_SocketIoInterop::binaryEventWithAttachments()
{
    // The server answers "binary please" with a binary event of two attachments (4 bytes, then
    // ff 00 80), each a binary frame of its own after the packet.
    const CliRun run = runCli({ QStringLiteral("--socketio"), url(m_port), QStringLiteral("--emit"), QStringLiteral("binary please"),
                                QStringLiteral("4"), QStringLiteral("--emit"), QStringLiteral("ping with ack"), QStringLiteral("1"),
                                QStringLiteral("--close"), QStringLiteral("1000"), QStringLiteral("--format"), QStringLiteral("jsonl") });
    QVERIFY2(run.exitCode == 0, qPrintable(run.describe()));
    const QStringList in = decoded(run.frames("in"));
    const qsizetype event = in.indexOf(QRegularExpression(QStringLiteral(R"(^binary event "binary" .* \+2 attachments$)")));
    QVERIFY2(event >= 0, qPrintable(in.join(QLatin1Char('\n'))));
    QVERIFY2(in.value(event + 1).startsWith(QStringLiteral("attachment 1 of 2, 4 bytes, of binary event \"binary\"")), qPrintable(in.value(event + 1)));
    QVERIFY2(in.value(event + 2).startsWith(QStringLiteral("attachment 2 of 2, 3 bytes")), qPrintable(in.value(event + 2)));
    // The attachments' bytes, as fields.
    const QList<QJsonObject> frames = run.frames("in");
    QJsonObject second;
    for (const QJsonObject &f : frames)
        if (f.value(QStringLiteral("type")) == QLatin1String("binary"))
            second = f;
    QCOMPARE(second.value(QStringLiteral("b64")).toString(), QStringLiteral("/wCA"));
    const QJsonArray fields = second.value(QStringLiteral("decoded")).toObject().value(QStringLiteral("units")).toArray().first().toObject().value(QStringLiteral("fields")).toArray();
    QCOMPARE(fields.last().toObject().value(QStringLiteral("value")).toString(), QStringLiteral("3 bytes: ff 00 80"));
}

void tst_SocketIoInterop::namespaceLetIn()
{
    const CliRun run = runCli({ QStringLiteral("--socketio"), url(m_port), QStringLiteral("--namespace"), QStringLiteral("/admin"),
                                QStringLiteral("--auth"), QStringLiteral(R"({"token":"secret"})"), QStringLiteral("--emit"),
                                QStringLiteral("stats"), QStringLiteral("\"\""), QStringLiteral("--close"), QStringLiteral("1000"),
                                QStringLiteral("--format"), QStringLiteral("jsonl") });
    QVERIFY2(run.exitCode == 0, qPrintable(run.describe()));
    const QStringList out = decoded(run.frames("out"));
    const QStringList in = decoded(run.frames("in"));
    QCOMPARE(out.value(0), QStringLiteral(R"(connect {"token":"secret"} on /admin)"));
    QCOMPARE(out.value(1), QStringLiteral(R"(event "stats" [""] ack 0 on /admin)"));
    QVERIFY2(in.value(1).startsWith(QStringLiteral("connect {\"sid\":\"")) && in.value(1).endsWith(QStringLiteral(" on /admin")), qPrintable(in.value(1)));
    QVERIFY2(QRegularExpression(QStringLiteral(R"(^ack 0 \[\{"clients":\d+\}\] on /admin$)")).match(in.value(2)).hasMatch(), qPrintable(in.value(2)));
}

void tst_SocketIoInterop::namespaceRefused()
{
    const CliRun run = runCli({ QStringLiteral("--socketio"), url(m_port), QStringLiteral("--namespace"), QStringLiteral("/admin"),
                                QStringLiteral("--auth"), QStringLiteral(R"({"token":"wrong"})"), QStringLiteral("--emit"),
                                QStringLiteral("stats"), QStringLiteral("\"\""), QStringLiteral("--format"), QStringLiteral("jsonl") });
    QCOMPARE(run.exitCode, 3);
    QVERIFY2(run.err.contains("Socket.IO: the server refused namespace /admin: unauthorized"), qPrintable(run.describe()));
    const QStringList in = decoded(run.frames("in"));
    QCOMPARE(in.value(1), QStringLiteral(R"(connect error {"message":"unauthorized","data":{"reason":"bad token"}} on /admin)"));
    // The refused event was never sent.
    QCOMPARE(decoded(run.frames("out")), QStringList { QStringLiteral(R"(connect {"token":"wrong"} on /admin)") });
    QCOMPARE(run.last("state").value(QStringLiteral("close_code")).toInt(), 1000);
}

void tst_SocketIoInterop::silentClientIsDropped()
{
    // A server that pings every 300 ms and waits 200 ms for the pong: a client that stays silent
    // is dropped by the server, which the log shows as pings without pongs, then the server's close.
    PeerProcess strict;
    QVERIFY(strict.start(PeerProcess::Runtime::Node, QStringLiteral("decode/peers/socketio_chat_server.js"),
                         { QStringLiteral("--ping-interval"), QStringLiteral("300"), QStringLiteral("--ping-timeout"), QStringLiteral("200") }));
    const quint16 port = strict.waitForPort();
    QVERIFY(port);
    const CliRun silent = runCli({ QStringLiteral("--socketio"), url(port), QStringLiteral("--no-engine-pong"), QStringLiteral("--format"),
                                   QStringLiteral("jsonl") },
                                 15'000);
    QVERIFY2(silent.exitCode == 0 || silent.exitCode == 3, qPrintable(silent.describe())); // it ended by itself
    const QStringList in = decoded(silent.frames("in"));
    QVERIFY2(in.contains(QStringLiteral("ping")), qPrintable(in.join(QLatin1Char('\n'))));
    QVERIFY2(!decoded(silent.frames("out")).contains(QStringLiteral("pong")), qPrintable(silent.describe()));
    const QJsonObject disconnect = strict.waitForJson();
    QCOMPARE(disconnect.value(QStringLiteral("event")).toString(), QStringLiteral("connect"));
    QCOMPARE(strict.waitForJson().value(QStringLiteral("reason")).toString(), QStringLiteral("ping timeout"));

    // The same with pongs: still joined after several pings, until told to stop.
    QProcess answering;
    answering.start(QStringLiteral(WSI_CLI_PATH), { QStringLiteral("--socketio"), url(port), QStringLiteral("--format"), QStringLiteral("jsonl") });
    QVERIFY(answering.waitForStarted(10'000));
    QByteArray out;
    QTRY_VERIFY_WITH_TIMEOUT((out += answering.readAllStandardOutput()).count(R"("summary":"Socket.IO pong")") >= 4, 15'000);
    QCOMPARE(answering.state(), QProcess::Running);
    answering.terminate();
    QVERIFY(answering.waitForFinished(10'000));
    QCOMPARE(answering.exitCode(), 0);
}

void tst_SocketIoInterop::windowSessionJoins()
{
    // The window's Socket.IO mode: the session plays the client from the messages it captures.
    ConnectionOptions options;
    options.url = QUrl(url(m_port));
    options.socketIo = SocketIoClient::Options { "/admin", R"({"token":"secret"})", true };
    ClientSession session(1, options);
    QCOMPARE(session.options().url.toString(), QStringLiteral("ws://127.0.0.1:%1/socket.io/?EIO=4&transport=websocket").arg(m_port));
    QVERIFY(session.emitSocketIo(R"(["stats"])", true)); // queued until the namespace lets it in
    QVERIFY(!session.emitSocketIo("not json", true));
    QVERIFY(!session.emitSocketIo("[1]", true));
    session.start();
    QTRY_COMPARE_WITH_TIMEOUT(session.socketIo()->state(), SocketIoClient::State::Joined, 15'000);
    QTRY_COMPARE_WITH_TIMEOUT(session.socketIo()->acksAwaited(), 0, 15'000);
    QVERIFY(session.emitSocketIo(R"(["ping with ack", [1, 2]])", true));
    QTRY_COMPARE_WITH_TIMEOUT(session.socketIo()->acksAwaited(), 0, 15'000);

    // The log reads it as Socket.IO, and pairs each emit with its ack.
    ProtocolDecoding *decoding = session.decoding();
    decoding->flushPending();
    QCOMPARE(decoding->protocol(), Decode::Protocol::SocketIo);
    qsizetype emitted = -1;
    qsizetype acked = -1;
    for (qsizetype i = 0; i < session.capture()->count(); ++i) {
        const QString summary = decoding->decodedAt(i).summary();
        if (summary == QLatin1String(R"(Socket.IO event "ping with ack" [[1,2]] ack 1 on /admin)"))
            emitted = i;
        if (summary.startsWith(QLatin1String("Socket.IO ack 1 [")))
            acked = i;
    }
    QVERIFY(emitted >= 0);
    QVERIFY(acked > emitted);
    QCOMPARE(decoding->pairsOf(emitted).size(), 1);
    QCOMPARE(decoding->pairsOf(emitted).first().answer, acked);

    session.disconnectFromPeer();
    QTRY_COMPARE_WITH_TIMEOUT(session.readyState(), ReadyState::Closed, 15'000);
}

void tst_SocketIoInterop::usageErrors_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QString>("message");
    QTest::addRow("namespace without --socketio") << QStringList { QStringLiteral("ws://h/"), QStringLiteral("--namespace"), QStringLiteral("/a") }
                                                  << "--namespace only applies with --socketio";
    QTest::addRow("namespace without slash") << QStringList { QStringLiteral("--socketio"), QStringLiteral("ws://h/"), QStringLiteral("--namespace"), QStringLiteral("a") }
                                             << "--namespace: \"a\" does not start with /";
    QTest::addRow("auth not JSON") << QStringList { QStringLiteral("--socketio"), QStringLiteral("ws://h/"), QStringLiteral("--auth"), QStringLiteral("{token}") }
                                   << "--auth: JSON error at position 2";
    QTest::addRow("auth not an object") << QStringList { QStringLiteral("--socketio"), QStringLiteral("ws://h/"), QStringLiteral("--auth"), QStringLiteral("[1]") }
                                        << "--auth: Socket.IO's auth is a JSON object";
    QTest::addRow("emit argument not JSON") << QStringList { QStringLiteral("--socketio"), QStringLiteral("ws://h/"), QStringLiteral("--emit"), QStringLiteral("chat"), QStringLiteral("hi") }
                                            << "--emit: the argument of chat is not JSON";
    QTest::addRow("emit without argument") << QStringList { QStringLiteral("--socketio"), QStringLiteral("ws://h/"), QStringLiteral("--emit"), QStringLiteral("chat") }
                                           << "--emit chat: the JSON argument is missing";
    QTest::addRow("unknown decoder") << QStringList { QStringLiteral("ws://h/"), QStringLiteral("--decode"), QStringLiteral("xmpp") }
                                     << "--decode: \"xmpp\" is not one of auto, none, socketio, stomp";
}

void tst_SocketIoInterop::usageErrors()
{
    QFETCH(QStringList, args);
    QFETCH(QString, message);
    const CliRun run = runCli(args);
    QCOMPARE(run.exitCode, 2);
    QVERIFY2(QString::fromUtf8(run.err).contains(message), qPrintable(run.describe()));
}

QTEST_GUILESS_MAIN(tst_SocketIoInterop)
#include "tst_socketiointerop.moc"
