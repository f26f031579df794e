// Independent clients (Debian's node-ws and python3-websockets) against `wsinspector-cli --serve`,
// the embedded server run headless: echo and broadcast modes, and what the server prints.

#include "peerprocess.h"

#include <QJsonArray>
#include <QProcess>
#include <QTest>

namespace {
// The server, as a user runs it, printing jsonl so the test can read what it saw.
class ServeProcess {
public:
    bool start(const QString &mode)
    {
        m_process.start(QStringLiteral(WSI_CLI_PATH),
                        { QStringLiteral("--serve"), QStringLiteral("0"), QStringLiteral("--mode"), mode,
                          QStringLiteral("--format"), QStringLiteral("jsonl") });
        if (!m_process.waitForStarted(5000))
            return false;
        const QJsonObject first = nextJson();
        m_url = first.value(QStringLiteral("url")).toString();
        return first.value(QStringLiteral("kind")).toString() == QStringLiteral("listening") && !m_url.isEmpty()
            && first.value(QStringLiteral("mode")).toString() == mode;
    }
    QString url() const { return m_url; }
    QJsonObject nextJson(int timeoutMs = 10'000)
    {
        QElapsedTimer timer;
        timer.start();
        while (!m_process.canReadLine() && timer.elapsed() < timeoutMs && m_process.state() == QProcess::Running)
            m_process.waitForReadyRead(int(timeoutMs - timer.elapsed()));
        return QJsonDocument::fromJson(m_process.readLine()).object();
    }
    // The next printed event of `kind` (others are skipped).
    QJsonObject next(const QString &kind)
    {
        for (int i = 0; i < 100; ++i) {
            const QJsonObject o = nextJson();
            if (o.isEmpty() || o.value(QStringLiteral("kind")).toString() == kind)
                return o;
        }
        return {};
    }
    ~ServeProcess()
    {
        m_process.terminate();
        if (!m_process.waitForFinished(5000))
            m_process.kill();
    }

private:
    QProcess m_process;
    QString m_url;
};

// Runs a client script to completion and returns the JSON objects it printed.
QList<QJsonObject> runClient(PeerProcess::Runtime runtime, const QString &url, const QStringList &commands)
{
    PeerProcess client;
    const QString script = runtime == PeerProcess::Runtime::Node ? QStringLiteral("interop/peers/node_client.js")
                                                                 : QStringLiteral("interop/peers/py_client.py");
    if (!client.start(runtime, script, QStringList { url } + commands))
        return {};
    QList<QJsonObject> out;
    for (QJsonObject o = client.waitForJson(20'000); !o.isEmpty(); o = client.waitForJson(20'000)) {
        out << o;
        if (o.value(QStringLiteral("event")).toString() == QStringLiteral("close"))
            break;
    }
    return out;
}

QStringList summary(const QList<QJsonObject> &events)
{
    QStringList out;
    for (const QJsonObject &e : events) {
        QString line = e.value(QStringLiteral("event")).toString();
        if (e.contains(QStringLiteral("type")))
            line += QLatin1Char(' ') + e.value(QStringLiteral("type")).toString();
        if (e.contains(QStringLiteral("hex")))
            line += QLatin1Char(' ') + e.value(QStringLiteral("hex")).toString();
        if (e.contains(QStringLiteral("code")))
            line += QLatin1Char(' ') + QString::number(e.value(QStringLiteral("code")).toInt());
        out << line;
    }
    return out;
}
} // namespace

class tst_ServeInterop : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void echo_data();
    void echo();
    void broadcastReachesEveryClient();
};

void tst_ServeInterop::echo_data()
{
    QTest::addColumn<int>("runtime");
    QTest::newRow("node-ws client") << int(PeerProcess::Runtime::Node);
    QTest::newRow("python-websockets client") << int(PeerProcess::Runtime::Python);
}

void tst_ServeInterop::echo()
{
    QFETCH(int, runtime);
    ServeProcess server;
    QVERIFY(server.start(QStringLiteral("echo")));
    const QList<QJsonObject> seen = runClient(PeerProcess::Runtime(runtime), server.url(),
                                              { QStringLiteral("text=68656c6c6f"), QStringLiteral("binary=00ff10"),
                                                QStringLiteral("ping=6869"), QStringLiteral("wait=2"),
                                                QStringLiteral("close=4000,bye") });
    // python-websockets reports a pong as soon as it arrives, ahead of messages its reader has not
    // handed out yet, so only the first and last events have a fixed place.
    QStringList events = summary(seen);
    QCOMPARE(events.size(), 5);
    QCOMPARE(events.takeFirst(), QStringLiteral("open"));
    QCOMPARE(events.takeLast(), QStringLiteral("close 4000"));
    events.sort();
    QCOMPARE(events, QStringList({ QStringLiteral("message binary 00ff10"), QStringLiteral("message text 68656c6c6f"),
                                   QStringLiteral("pong 6869") }));

    // The server printed the client's exact handshake request, and every frame both ways as it
    // crossed the wire: the client's masked, the server's not, including the pong QWebSocketServer
    // sends without telling its application, and the closing handshake.
    const QJsonObject request = server.next(QStringLiteral("handshake-request"));
    QVERIFY(request.value(QStringLiteral("raw")).toString().startsWith(QStringLiteral("GET / HTTP/1.1\r\n")));
    QVERIFY(request.value(QStringLiteral("raw")).toString().endsWith(QStringLiteral("\r\n\r\n")));
    QStringList frames;
    for (QJsonObject frame = server.next(QStringLiteral("frame")); !frame.isEmpty();
         frame = server.next(QStringLiteral("frame"))) {
        const bool in = frame.value(QStringLiteral("dir")) == QLatin1String("in");
        QCOMPARE(frame.value(QStringLiteral("masked")).toBool(), in);
        const QString payload = frame.contains(QStringLiteral("text"))
            ? frame.value(QStringLiteral("text")).toString()
            : QString::fromLatin1(QByteArray::fromBase64(frame.value(QStringLiteral("b64")).toString().toLatin1()).toHex());
        frames << frame.value(QStringLiteral("dir")).toString() + QLatin1Char(' ')
                + frame.value(QStringLiteral("type")).toString() + QLatin1Char(' ') + payload;
        if (frames.size() == 8)
            break;
    }
    // Each side's frames in order (the echoes may interleave with the client's next frames).
    auto side = [&frames](const QString &dir) {
        QStringList out;
        for (const QString &f : std::as_const(frames))
            if (f.startsWith(dir + QLatin1Char(' ')))
                out << f.mid(dir.size() + 1);
        return out;
    };
    QCOMPARE(side(QStringLiteral("in")),
        QStringList({ QStringLiteral("text hello"), QStringLiteral("binary 00ff10"), QStringLiteral("ping 6869"),
            QStringLiteral("close 0fa0627965") }));
    QCOMPARE(side(QStringLiteral("out")),
        QStringList({ QStringLiteral("text hello"), QStringLiteral("binary 00ff10"), QStringLiteral("pong 6869"),
            QStringLiteral("close 0fa0627965") }));
}

void tst_ServeInterop::broadcastReachesEveryClient()
{
    ServeProcess server;
    QVERIFY(server.start(QStringLiteral("broadcast")));
    // The listener (python) waits for one message; the talker (node) connects once the listener is in.
    PeerProcess listener;
    QVERIFY(listener.start(PeerProcess::Runtime::Python, QStringLiteral("interop/peers/py_client.py"),
                           { server.url(), QStringLiteral("wait=1") }));
    QCOMPARE(listener.waitForJson().value(QStringLiteral("event")).toString(), QStringLiteral("open"));
    QVERIFY(!server.next(QStringLiteral("handshake-request")).isEmpty());

    const QList<QJsonObject> talker = runClient(PeerProcess::Runtime::Node, server.url(),
                                                { QStringLiteral("text=6869206576657279626f6479"), QStringLiteral("wait=1") });
    // The sender gets its own message back, as in the chat room of the classic tutorials...
    QCOMPARE(summary(talker), QStringList({ QStringLiteral("open"), QStringLiteral("message text 6869206576657279626f6479"),
                                            QStringLiteral("close 1000") }));
    // ...and so does the other client.
    const QJsonObject heard = listener.waitForJson();
    QCOMPARE(heard.value(QStringLiteral("event")).toString(), QStringLiteral("message"));
    QCOMPARE(heard.value(QStringLiteral("hex")).toString(), QStringLiteral("6869206576657279626f6479"));
}

QTEST_GUILESS_MAIN(tst_ServeInterop)
#include "tst_serveinterop.moc"
