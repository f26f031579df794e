// wsinspector-cli --reconnect against node-ws that restarts: the connection drops when the server
// goes, the attempts while it is away fail and are retried with growing waits, the next connection
// once it is back sends again and gets its echo, and Ctrl-C (SIGTERM) then ends the run cleanly.
// A server that never comes back is given up on after the attempts asked for; a connection closed
// as asked is not reconnected.

#include "clirun.h"
#include "peerprocess.h"

#include "protocol/handshake.h"

#include <QProcess>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>

#include <csignal>

class tst_CliReconnect : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void serverRestarts();
    void givesUpAfterTheAttempts();
    void closedAsAskedIsNotReconnected();
    void endOfInputWhileReconnecting();
    void usageErrors_data();
    void usageErrors();
};

// The command line running in the background, its jsonl events read as they come.
class LiveCli {
public:
    explicit LiveCli(const QStringList &args) { m_process.start(QStringLiteral(WSI_CLI_PATH), args); }
    ~LiveCli()
    {
        m_process.kill();
        m_process.waitForFinished(5'000);
    }
    // Waits for an event that `match` accepts (events already read count); empty on timeout.
    template <typename Match>
    QJsonObject waitFor(Match match, int timeoutMs = 20'000)
    {
        QElapsedTimer clock;
        clock.start();
        for (;;) {
            while (m_process.canReadLine()) {
                const QJsonObject event = QJsonDocument::fromJson(m_process.readLine()).object();
                m_events << event;
                if (match(event))
                    return event;
            }
            if (clock.elapsed() > timeoutMs || m_process.state() == QProcess::NotRunning)
                return {};
            QSignalSpy more(&m_process, &QProcess::readyReadStandardOutput);
            more.wait(int(qMax<qint64>(1, timeoutMs - clock.elapsed())));
        }
    }
    int finish(int timeoutMs = 20'000)
    {
        if (m_process.state() != QProcess::NotRunning)
            m_process.waitForFinished(timeoutMs);
        while (m_process.canReadLine())
            m_events << QJsonDocument::fromJson(m_process.readLine()).object();
        return m_process.exitStatus() == QProcess::NormalExit ? m_process.exitCode() : -2;
    }
    void terminate() { ::kill(pid_t(m_process.processId()), SIGTERM); }
    QByteArray err() { return m_err += m_process.readAllStandardError(); }
    const QList<QJsonObject> &events() const { return m_events; }

private:
    QProcess m_process;
    QList<QJsonObject> m_events;
    QByteArray m_err;
};

static auto echoOn(int connection)
{
    return [connection](const QJsonObject &e) {
        return e.value(QStringLiteral("conn")).toInt() == connection && e.value(QStringLiteral("kind")) == QLatin1String("frame")
            && e.value(QStringLiteral("dir")) == QLatin1String("in") && e.value(QStringLiteral("text")) == QLatin1String("hello again");
    };
}

void tst_CliReconnect::serverRestarts()
{
    auto server = std::make_unique<PeerProcess>();
    QVERIFY(server->start(PeerProcess::Runtime::Node, QStringLiteral("cli/peers/ws_echo_server.js")));
    const quint16 port = server->waitForPort();
    QVERIFY(port != 0);
    LiveCli cli({ QStringLiteral("ws://127.0.0.1:%1/").arg(port), QStringLiteral("--format"), QStringLiteral("jsonl"),
                  QStringLiteral("--send"), QStringLiteral("hello again"), QStringLiteral("--reconnect"), QStringLiteral("50"),
                  QStringLiteral("--reconnect-delay"), QStringLiteral("100:400") });
    QVERIFY2(!cli.waitFor(echoOn(1)).isEmpty(), cli.err().constData());

    server.reset(); // the server goes away: the connection drops
    const QJsonObject dropped = cli.waitFor([](const QJsonObject &e) {
        return e.value(QStringLiteral("conn")).toInt() == 1 && e.value(QStringLiteral("state")) == QLatin1String("CLOSED");
    });
    QVERIFY2(!dropped.isEmpty(), cli.err().constData());
    // While it is away, at least one attempt fails.
    const QJsonObject refused = cli.waitFor([](const QJsonObject &e) {
        return e.value(QStringLiteral("conn")).toInt() == 2 && e.value(QStringLiteral("state")) == QLatin1String("CLOSED");
    });
    QVERIFY2(!refused.isEmpty(), cli.err().constData());

    server = std::make_unique<PeerProcess>(); // back, on the same port
    QVERIFY(server->start(PeerProcess::Runtime::Node, QStringLiteral("cli/peers/ws_echo_server.js"),
                          { QStringLiteral("127.0.0.1"), QString::number(port) }));
    QCOMPARE(server->waitForPort(), port);
    const QJsonObject echoed = cli.waitFor([](const QJsonObject &e) {
        return e.value(QStringLiteral("conn")).toInt() >= 3 && echoOn(e.value(QStringLiteral("conn")).toInt())(e);
    });
    QVERIFY2(!echoed.isEmpty(), cli.err().constData());
    const int last = echoed.value(QStringLiteral("conn")).toInt();

    cli.terminate(); // as Ctrl-C: the close asked for, and no reconnect after it
    QCOMPARE(cli.finish(), 0);
    const QByteArray err = cli.err();
    QVERIFY2(err.contains("#1 closed (1006 Abnormal Closure, not clean); reconnecting in "), err.constData());
    QVERIFY2(err.contains("(attempt 1 of 50)"), err.constData());
    QVERIFY2(err.contains("#2 failed: connection refused by 127.0.0.1:"), err.constData());
    QVERIFY2(!err.contains(QByteArray("#") + QByteArray::number(last) + " closed"), err.constData());

    // Each new connection's CONNECTING line says why it was made, and the waits grew (100, 200,
    // 400 ms, each ±20 %).
    QList<int> waits;
    QJsonObject lastState;
    for (const QJsonObject &e : cli.events()) {
        const int id = e.value(QStringLiteral("conn")).toInt();
        if (e.value(QStringLiteral("state")) == QLatin1String("CONNECTING") && id >= 2) {
            const QString text = e.value(QStringLiteral("message")).toString();
            const QString expected = QStringLiteral("; reconnect, attempt %1 of 50, ").arg(id - 1);
            QVERIFY2(text.contains(expected), qPrintable(text));
            waits << text.section(expected, 1).section(QLatin1Char(' '), 0, 0).toInt();
        }
        if (id == last && e.value(QStringLiteral("kind")) == QLatin1String("state"))
            lastState = e;
    }
    QCOMPARE(waits.size(), last - 1);
    for (qsizetype i = 1; i < qMin<qsizetype>(waits.size(), 3); ++i)
        QVERIFY2(waits[i] > waits[i - 1], qPrintable(QString::number(waits[i]) + QLatin1String(" after ") + QString::number(waits[i - 1])));
    QVERIFY(waits.first() >= 80 && waits.first() <= 120);
    QCOMPARE(lastState.value(QStringLiteral("state")).toString(), QStringLiteral("CLOSED"));
    QCOMPARE(lastState.value(QStringLiteral("was_clean")).toBool(), true);
}

void tst_CliReconnect::givesUpAfterTheAttempts()
{
    const CliRun run = runCli({ QStringLiteral("ws://127.0.0.1:1/"), QStringLiteral("--format"), QStringLiteral("jsonl"),
                                QStringLiteral("--reconnect"), QStringLiteral("2"), QStringLiteral("--reconnect-delay"), QStringLiteral("50:100") });
    QVERIFY2(run.exitCode == 1, qPrintable(run.describe()));
    QStringList connecting;
    for (const QJsonObject &e : run.jsonLines())
        if (e.value(QStringLiteral("state")) == QLatin1String("CONNECTING"))
            connecting << QStringLiteral("#%1 %2").arg(e.value(QStringLiteral("conn")).toInt()).arg(e.value(QStringLiteral("message")).toString());
    QCOMPARE(connecting.size(), 3);
    QVERIFY2(connecting.value(0) == QLatin1String("#1 CONNECTING to ws://127.0.0.1:1/ (127.0.0.1:1)"), qPrintable(connecting.join(QLatin1Char('\n'))));
    QVERIFY2(connecting.value(1).startsWith(QLatin1String("#2 CONNECTING to ws://127.0.0.1:1/ (127.0.0.1:1); reconnect, attempt 1 of 2, ")),
             qPrintable(connecting.join(QLatin1Char('\n'))));
    QVERIFY2(connecting.value(1).endsWith(QLatin1String(" ms after #1 failed: connection refused by 127.0.0.1:1 (is a server listening there?)")),
             qPrintable(connecting.join(QLatin1Char('\n'))));
    QVERIFY2(connecting.value(2).contains(QLatin1String("attempt 2 of 2")), qPrintable(connecting.join(QLatin1Char('\n'))));
    QVERIFY2(run.err.contains("#3 failed: connection refused by 127.0.0.1:1 (is a server listening there?); --reconnect: giving up "
                              "after 2 attempt(s) in a row"),
             qPrintable(run.describe()));
}

void tst_CliReconnect::closedAsAskedIsNotReconnected()
{
    PeerProcess server;
    QVERIFY(server.start(PeerProcess::Runtime::Node, QStringLiteral("cli/peers/ws_echo_server.js")));
    const quint16 port = server.waitForPort();
    const CliRun run = runCli({ QStringLiteral("ws://127.0.0.1:%1/").arg(port), QStringLiteral("--format"), QStringLiteral("jsonl"),
                                QStringLiteral("--reconnect"), QStringLiteral("5"), QStringLiteral("--send"), QStringLiteral("hello again"),
                                QStringLiteral("--wait"), QStringLiteral("200"), QStringLiteral("--close"), QStringLiteral("1000") });
    QVERIFY2(run.exitCode == 0, qPrintable(run.describe()));
    for (const QJsonObject &e : run.jsonLines())
        QCOMPARE(e.value(QStringLiteral("conn")).toInt(), 1);
    QVERIFY2(!run.err.contains("reconnect"), qPrintable(run.describe()));
}

// --stdin --reconnect: standard input ends while the next connection is still being made. Once
// it opens, it closes with 1000 (nothing was left to send) and the run ends; it used to stay open.
void tst_CliReconnect::endOfInputWhileReconnecting()
{
    // Connection 1 is answered, and dropped once the client's line arrives; connection 2's
    // handshake is answered only when the test says so.
    QTcpServer listener;
    QVERIFY(listener.listen(QHostAddress::LocalHost, 0));
    QList<QTcpSocket *> clients;
    QHash<QTcpSocket *, QByteArray> received;
    QByteArray secondRequest;
    connect(&listener, &QTcpServer::newConnection, this, [&] {
        QTcpSocket *socket = listener.nextPendingConnection();
        clients << socket;
        connect(socket, &QTcpSocket::readyRead, this, [&, socket] {
            QByteArray &bytes = received[socket];
            bytes += socket->readAll();
            const qsizetype head = bytes.indexOf("\r\n\r\n");
            if (head < 0)
                return;
            if (socket == clients.first()) {
                if (!socket->property("answered").toBool()) {
                    socket->setProperty("answered", true);
                    RequestParser parser;
                    parser.feed(bytes);
                    socket->write(Handshake::buildResponse(HttpHeaderList::value(parser.request().headers, "Sec-WebSocket-Key")));
                } else if (bytes.size() > head + 4) {
                    socket->abort(); // the line came: drop the connection
                }
            } else if (secondRequest.isEmpty()) {
                secondRequest = bytes.left(head + 4);
            } else if (bytes.size() > secondRequest.size() && quint8(bytes.at(secondRequest.size())) == 0x88) {
                socket->write(QByteArray::fromHex("880203e8")); // the close answered, then TCP closed
                socket->disconnectFromHost();
            }
        });
    });
    QProcess cli;
    cli.start(QStringLiteral(WSI_CLI_PATH), { QStringLiteral("ws://127.0.0.1:%1/").arg(listener.serverPort()), QStringLiteral("--stdin"),
                                              QStringLiteral("--reconnect"), QStringLiteral("3"), QStringLiteral("--reconnect-delay"),
                                              QStringLiteral("50"), QStringLiteral("--format"), QStringLiteral("jsonl") });
    QVERIFY(cli.waitForStarted());
    cli.write("line one\n");
    QTRY_VERIFY_WITH_TIMEOUT(!secondRequest.isEmpty(), 10'000);
    cli.closeWriteChannel();
    // The tool shows nothing when it reads the end of its input: give it the time to.
    QTest::qWait(300);
    RequestParser parser;
    parser.feed(secondRequest);
    clients.last()->write(Handshake::buildResponse(HttpHeaderList::value(parser.request().headers, "Sec-WebSocket-Key")));
    QSignalSpy ended(&cli, &QProcess::finished); // waited for with the event loop running: this test is the server
    QVERIFY2(ended.wait(10'000), "the run did not end after its input did");
    QCOMPARE(cli.exitCode(), 0);
    // Connection 2 got no data message, only the close: 1000.
    const QByteArray frames = received[clients.last()].mid(secondRequest.size());
    QVERIFY2(!frames.isEmpty() && quint8(frames.at(0)) == 0x88, frames.toHex(' ').constData());
    QCOMPARE(clients.size(), 2);
}

void tst_CliReconnect::usageErrors_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QString>("expected");
    const QString url = QStringLiteral("ws://h/");
    QTest::newRow("not a number") << QStringList { url, QStringLiteral("--reconnect"), QStringLiteral("many") }
                                  << "--reconnect: \"many\" is not a number of attempts";
    QTest::newRow("delay without reconnect") << QStringList { url, QStringLiteral("--reconnect-delay"), QStringLiteral("100") }
                                             << "--reconnect-delay applies to --reconnect";
    QTest::newRow("longest below first") << QStringList { url, QStringLiteral("--reconnect"), QStringLiteral("1"),
                                                          QStringLiteral("--reconnect-delay"), QStringLiteral("500:100") }
                                         << "--reconnect-delay: \"500:100\" is not MS or MS:MAX_MS";
    QTest::newRow("with --expect") << QStringList { url, QStringLiteral("--reconnect"), QStringLiteral("1"), QStringLiteral("--expect"),
                                                    QStringLiteral("x") }
                                   << "--reconnect cannot be used with --expect";
}

void tst_CliReconnect::usageErrors()
{
    QFETCH(QStringList, args);
    QFETCH(QString, expected);
    const CliRun run = runCli(args);
    QVERIFY2(run.exitCode == 2, qPrintable(run.describe()));
    QVERIFY2(run.err.contains(expected.toUtf8()), qPrintable(run.describe()));
}

QTEST_GUILESS_MAIN(tst_CliReconnect)
#include "tst_clireconnect.moc"
