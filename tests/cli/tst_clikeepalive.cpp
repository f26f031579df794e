// wsinspector-cli --keepalive: against node-ws, which answers every ping, the connection stays
// open and every ping is answered; against a server that completes the handshake and then says
// nothing more, the first unanswered ping's deadline drops the connection, the log says why, and
// the exit status is 3.

#include "clirun.h"
#include "peerprocess.h"
#include "rawserver.h"

#include <QElapsedTimer>
#include <QTest>

class tst_CliKeepAlive : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void answeredPingsKeepTheConnection();
    void silentServerIsFoundDead();
    void usageErrors_data();
    void usageErrors();

private:
    PeerProcess m_node; // node-ws echo server
    quint16 m_nodePort = 0;
};

void tst_CliKeepAlive::initTestCase()
{
    QVERIFY(m_node.start(PeerProcess::Runtime::Node, QStringLiteral("cli/peers/ws_echo_server.js")));
    m_nodePort = m_node.waitForPort();
    QVERIFY2(m_nodePort != 0, "node-ws echo server did not start");
}

void tst_CliKeepAlive::answeredPingsKeepTheConnection()
{
    const CliRun run = runCli({ QStringLiteral("ws://127.0.0.1:%1/").arg(m_nodePort), QStringLiteral("--format"), QStringLiteral("jsonl"),
                                QStringLiteral("--keepalive"), QStringLiteral("0.1"), QStringLiteral("--pong-timeout"), QStringLiteral("2000"),
                                QStringLiteral("--wait"), QStringLiteral("1000"), QStringLiteral("--close"), QStringLiteral("1000") });
    QVERIFY2(run.exitCode == 0, qPrintable(run.describe()));
    QStringList pings, pongs; // control frames' payloads are in "b64" (jsonlwriter.h)
    for (const QJsonObject &f : run.frames("out"))
        if (f.value(QStringLiteral("type")) == QLatin1String("ping"))
            pings << QString::fromUtf8(QByteArray::fromBase64(f.value(QStringLiteral("b64")).toString().toLatin1()));
    for (const QJsonObject &f : run.frames("in"))
        if (f.value(QStringLiteral("type")) == QLatin1String("pong"))
            pongs << QString::fromUtf8(QByteArray::fromBase64(f.value(QStringLiteral("b64")).toString().toLatin1()));
    QVERIFY2(pings.size() >= 4, qPrintable(pings.join(QLatin1Char(','))));
    QCOMPARE(pings.first(), QStringLiteral("keepalive 1"));
    QCOMPARE(pings.value(1), QStringLiteral("keepalive 2"));
    // node-ws answers each ping with its payload; the last may still be on its way at the close.
    QVERIFY2(pongs.size() >= pings.size() - 1, qPrintable(run.describe()));
    QCOMPARE(pongs.first(), QStringLiteral("keepalive 1"));
}

void tst_CliKeepAlive::silentServerIsFoundDead()
{
    RawServer server;
    server.onRequest = [](RawServer &s) { s.send(s.validResponse()); }; // then nothing, ever
    QVERIFY(server.listen());
    QElapsedTimer clock;
    clock.start();
    const CliRun run = runCli({ server.url().toString(), QStringLiteral("--format"), QStringLiteral("jsonl"),
                                QStringLiteral("--keepalive"), QStringLiteral("0.2"), QStringLiteral("--pong-timeout"), QStringLiteral("300") });
    QVERIFY2(run.exitCode == 3, qPrintable(run.describe()));
    QVERIFY2(clock.elapsed() < 20'000, "the dead connection was not given up");
    QVERIFY2(run.last("error").value(QStringLiteral("message")).toString().toUtf8().contains("no pong within 300 ms of ping \"keepalive 1\""),
             qPrintable(run.describe()));
    QVERIFY2(run.err.contains("--keepalive: no pong within 300 ms"), qPrintable(run.describe()));
    QCOMPARE(run.last("state").value(QStringLiteral("state")).toString(), QStringLiteral("CLOSED"));
    // The server got the one ping, masked, with its payload, and then the TCP connection ended.
    QTRY_VERIFY(server.clientDisconnected());
    const auto frames = server.clientFrames();
    QCOMPARE(frames.size(), 1);
    QCOMPARE(frames.first().header.opcode, Opcode::Ping);
    QVERIFY(frames.first().header.masked);
    QCOMPARE(frames.first().payload, QByteArray("keepalive 1"));
}

void tst_CliKeepAlive::usageErrors_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QString>("said");
    QTest::newRow("not seconds") << QStringList { QStringLiteral("--keepalive"), QStringLiteral("soon") } << "\"soon\" is not a number of seconds";
    QTest::newRow("too often") << QStringList { QStringLiteral("--keepalive"), QStringLiteral("0.001") } << "(0.05 to 86400)";
    QTest::newRow("zero timeout") << QStringList { QStringLiteral("--keepalive"), QStringLiteral("1"), QStringLiteral("--pong-timeout"), QStringLiteral("0") }
                                  << "--pong-timeout: \"0\" is not a number of milliseconds";
    QTest::newRow("timeout alone") << QStringList { QStringLiteral("--pong-timeout"), QStringLiteral("100") } << "--pong-timeout applies to --keepalive";
}

void tst_CliKeepAlive::usageErrors()
{
    QFETCH(QStringList, args);
    QFETCH(QString, said);
    const CliRun run = runCli(QStringList { QStringLiteral("ws://127.0.0.1:9/") } + args);
    QVERIFY2(run.exitCode == 2, qPrintable(run.describe()));
    QVERIFY2(run.err.contains(said.toUtf8()), qPrintable(run.describe()));
}

QTEST_GUILESS_MAIN(tst_CliKeepAlive)
#include "tst_clikeepalive.moc"
