// The command line's checks for scripts and CI (--expect, --expect-timeout, --wait, --run test files
// with --junit) against real
// servers: Debian's python3-websockets, which stops echoing once it has read the client's close (so
// only waiting shows the echo), and node-ws. Asserts exit codes, what reaches standard error when a
// check fails, and the frames sent and received.

#include "clirun.h"
#include "peerprocess.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>
#include <QXmlStreamReader>

class tst_CliChecks : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void waitShowsTheEchoAPythonServerSends();
    void expectations_data();
    void expectations();
    void serverClosingFirstFailsTheCheck();
    void usageErrors_data();
    void usageErrors();
    void testFiles();
    void testFileThatDoesNotParse();

private:
    QString pythonUrl() const { return QStringLiteral("ws://127.0.0.1:%1/").arg(m_pythonPort); }
    QString nodeUrl() const { return QStringLiteral("ws://127.0.0.1:%1/").arg(m_nodePort); }
    PeerProcess m_python; // python3-websockets echo server
    PeerProcess m_node; // node-ws echo server
    quint16 m_pythonPort = 0;
    quint16 m_nodePort = 0;
};

namespace {
QStringList texts(const CliRun &run, const char *dir)
{
    QStringList out;
    // Both servers agree on permessage-deflate: a compressed message's text is its "inflated".
    for (const QJsonObject &frame : run.frames(dir)) {
        for (const char *key : { "inflated", "text" }) {
            if (frame.contains(QLatin1String(key))) {
                out << frame.value(QLatin1String(key)).toString();
                break;
            }
        }
    }
    return out;
}
} // namespace

void tst_CliChecks::initTestCase()
{
    QVERIFY(m_python.start(PeerProcess::Runtime::Python, QStringLiteral("interop/peers/py_echo_server.py")));
    m_pythonPort = m_python.waitForPort();
    QVERIFY2(m_pythonPort != 0, "python3-websockets echo server did not start");
    QVERIFY(m_node.start(PeerProcess::Runtime::Node, QStringLiteral("cli/peers/ws_echo_server.js")));
    m_nodePort = m_node.waitForPort();
    QVERIFY2(m_nodePort != 0, "node-ws echo server did not start");
}

void tst_CliChecks::waitShowsTheEchoAPythonServerSends()
{
    const QStringList send { QStringLiteral("--format"), QStringLiteral("jsonl"), QStringLiteral("--send"), QStringLiteral("hello") };
    // Closing at once: websockets reads the close before it sends the echo, and sends none.
    const CliRun atOnce = runCli(QStringList { pythonUrl() } + send + QStringList { QStringLiteral("--close"), QStringLiteral("1000") });
    QCOMPARE(atOnce.exitCode, 0);
    QCOMPARE(texts(atOnce, "in"), QStringList());
    // Waiting first: the echo arrives, then the close.
    const CliRun waited = runCli(QStringList { pythonUrl() } + send + QStringList { QStringLiteral("--wait"), QStringLiteral("1000") });
    QVERIFY2(waited.exitCode == 0, waited.err.constData());
    QCOMPARE(texts(waited, "in"), QStringList { QStringLiteral("hello") });
    const QList<QJsonObject> out = waited.frames("out");
    QCOMPARE(out.size(), 2);
    QCOMPARE(out.last().value(QLatin1String("close_code")).toInt(), 1000); // --wait ends with a normal close
}

void tst_CliChecks::expectations_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<int>("exitCode");
    QTest::addColumn<QString>("error"); // standard error's last line, for a failed check

    const QString expect = QStringLiteral("--expect"), send = QStringLiteral("--send");
    QTest::addRow("in order") << QStringList { send, QStringLiteral("hello"), send, QStringLiteral("world"), expect,
        QStringLiteral("^hel"), expect, QStringLiteral("wor") } << 0 << QString();
    QTest::addRow("binary as hex") << QStringList { QStringLiteral("--send-binary"), QStringLiteral("01 ff 20"), expect,
        QStringLiteral("^01 ff 20$") } << 0 << QString();
    QTest::addRow("a later message for each")
        << QStringList { send, QStringLiteral("hello"), send, QStringLiteral("world"), expect, QStringLiteral("wor"), expect,
               QStringLiteral("hel"), QStringLiteral("--expect-timeout"), QStringLiteral("300") }
        << 4 << QStringLiteral("wsinspector-cli: expected #2 of 2, /hel/, within 300 ms; nothing else was received");
    QTest::addRow("what came instead")
        << QStringList { send, QStringLiteral("hello"), send, QStringLiteral("bidi \u202e"), expect, QStringLiteral("^bye"),
               QStringLiteral("--expect-timeout"), QStringLiteral("300") }
        << 4
        << QStringLiteral("wsinspector-cli: expected #1 of 1, /^bye/, within 300 ms; received instead (2): \"hello\", "
                          "\"bidi \\u202e\"");
}

void tst_CliChecks::expectations()
{
    QFETCH(QStringList, args);
    QFETCH(int, exitCode);
    QFETCH(QString, error);
    for (const QString &url : { pythonUrl(), nodeUrl() }) {
        const CliRun run = runCli(QStringList { url, QStringLiteral("--format"), QStringLiteral("jsonl") } + args);
        QVERIFY2(run.exitCode == exitCode, qPrintable(url + QLatin1Char(' ') + QString::fromUtf8(run.err)));
        const QList<QByteArray> lines = run.err.trimmed().split('\n');
        if (!error.isEmpty())
            QCOMPARE(QString::fromUtf8(lines.last()), error);
        // Either way the run ended with the client's clean close.
        QCOMPARE(run.frames("out").last().value(QLatin1String("close_code")).toInt(), 1000);
    }
}

void tst_CliChecks::serverClosingFirstFailsTheCheck()
{
    // The CLI's own server closes each client after answering one message.
    QProcess server;
    server.start(QStringLiteral(WSI_CLI_PATH), { QStringLiteral("--serve=0"), QStringLiteral("--close-after"), QStringLiteral("1:4000") });
    QVERIFY(server.waitForStarted());
    QVERIFY(server.waitForReadyRead(10'000));
    const QByteArray first = server.readLine().trimmed();
    const QString url = QString::fromUtf8(first.split(' ').value(2));
    QVERIFY2(url.startsWith(QLatin1String("ws://")), first.constData());
    const CliRun run = runCli({ url, QStringLiteral("--send"), QStringLiteral("one"), QStringLiteral("--expect"), QStringLiteral("one"),
        QStringLiteral("--expect"), QStringLiteral("two") });
    server.kill();
    server.waitForFinished(5'000);
    QCOMPARE(run.exitCode, 4);
    QCOMPARE(QString::fromUtf8(run.err.trimmed().split('\n').last()),
        QStringLiteral("wsinspector-cli: expected #2 of 2, /two/, before the connection closed; nothing else was received"));
}

void tst_CliChecks::usageErrors_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QString>("error");
    const QString url = QStringLiteral("ws://127.0.0.1:1/");
    QTest::addRow("bad regex") << QStringList { url, QStringLiteral("--expect"), QStringLiteral("(") }
                               << QStringLiteral("--expect: \"(\" is not a regular expression: missing closing parenthesis at offset 1");
    QTest::addRow("bad wait") << QStringList { url, QStringLiteral("--wait"), QStringLiteral("soon") }
                              << QStringLiteral("--wait: \"soon\" is not a number of milliseconds (0 to 86400000)");
    QTest::addRow("bad timeout") << QStringList { url, QStringLiteral("--expect-timeout=-1") }
                                 << QStringLiteral("--expect-timeout: \"-1\" is not a number of milliseconds (0 to 86400000)");
    QTest::addRow("junit without run") << QStringList { url, QStringLiteral("--junit"), QStringLiteral("r.xml") }
                                       << QStringLiteral("--junit only applies with --run");
    QTest::addRow("send with run") << QStringList { url, QStringLiteral("--run"), QStringLiteral("a.wst"), QStringLiteral("--send"), QStringLiteral("x") }
                                   << QStringLiteral("--send cannot be used with --run: the test file says what to send and expect");
    QTest::addRow("expect with serve") << QStringList { QStringLiteral("--serve"), QStringLiteral("--expect"), QStringLiteral("x") }
                                       << QStringLiteral("--expect is a client option; it cannot be used with --serve");
}

void tst_CliChecks::usageErrors()
{
    QFETCH(QStringList, args);
    QFETCH(QString, error);
    const CliRun run = runCli(args);
    QCOMPARE(run.exitCode, 2);
    QCOMPARE(QString::fromUtf8(run.err.split('\n').first()), QStringLiteral("wsinspector-cli: ") + error);
}

namespace {
QString writeFile(const QTemporaryDir &dir, const char *name, const QByteArray &text)
{
    QFile file(dir.filePath(QLatin1String(name)));
    if (!file.open(QIODevice::WriteOnly) || file.write(text) != text.size())
        return {};
    return file.fileName();
}
} // namespace

// Two files in one run against each server: one passes every kind of step, one fails at an expect;
// the JUnit file says so, with the failing line and the transcript.
void tst_CliChecks::testFiles()
{
    QTemporaryDir dir;
    const QString pass = writeFile(dir, "echo.wst",
        "# every step an echo server can pass\n"
        "send hello\n"
        "expect ^hello$\n"
        "send-binary 01 02 ff\n"
        "expect ^01 02 ff$\n"
        "ping keepalive\n"
        "expect-pong keepalive\n"
        "send late\\u{20AC}\n"
        "wait 200\n"
        "expect ^late\u20ac$\n" // arrived during the wait, kept for this step
        "close 4000 done\n"
        "expect-close 4000\n");
    const QString fail = writeFile(dir, "wrong.wst", "send hello\ntimeout 300\nexpect ^bye$\n");
    QVERIFY(!pass.isEmpty() && !fail.isEmpty());
    for (const QString &url : { pythonUrl(), nodeUrl() }) {
        const QString junit = dir.filePath(QStringLiteral("report.xml"));
        const CliRun run = runCli({ url, QStringLiteral("--run"), pass, QStringLiteral("--run"), fail, QStringLiteral("--junit"), junit,
            QStringLiteral("--format"), QStringLiteral("jsonl") });
        QVERIFY2(run.exitCode == 4, qPrintable(url + QLatin1Char(' ') + QString::fromUtf8(run.err)));
        const QStringList err = QString::fromUtf8(run.err).trimmed().split(u'\n');
        QCOMPARE(err.size(), 3);
        QVERIFY2(err[0].startsWith(QStringLiteral("wsinspector-cli: PASS %1 (11 steps, ").arg(pass)), qPrintable(err[0]));
        QCOMPARE(err[1], QStringLiteral("wsinspector-cli: FAIL %1: line 3: expect ^bye$: nothing matched within 300 ms; received instead (1): \"hello\"").arg(fail));
        QCOMPARE(err[2], QStringLiteral("wsinspector-cli: 1 of 2 test files passed"));
        // Each file ran on a connection of its own, printed as usual.
        QSet<int> connections;
        for (const QJsonObject &o : run.jsonLines())
            connections << o.value(QLatin1String("conn")).toInt();
        QCOMPARE(connections, QSet<int>({ 1, 2 }));

        QFile file(junit);
        QVERIFY(file.open(QIODevice::ReadOnly));
        QXmlStreamReader xml(&file);
        QStringList cases;
        while (!xml.atEnd()) {
            if (xml.readNext() != QXmlStreamReader::StartElement)
                continue;
            if (xml.name() == QLatin1String("testcase"))
                cases << xml.attributes().value(QLatin1String("name")).toString();
            else if (xml.name() == QLatin1String("failure"))
                cases << xml.attributes().value(QLatin1String("message")).toString();
            else if (xml.name() == QLatin1String("system-out"))
                cases << xml.readElementText().split(u'\n').value(1); // the first step after OPEN
        }
        QVERIFY2(!xml.hasError(), qPrintable(xml.errorString()));
        QCOMPARE(cases, QStringList({ pass, QStringLiteral("\u2192 send hello"), fail,
                            QStringLiteral("line 3: expect ^bye$: nothing matched within 300 ms; received instead (1): \"hello\""),
                            QStringLiteral("\u2192 send hello") }));
    }
}

void tst_CliChecks::testFileThatDoesNotParse()
{
    QTemporaryDir dir;
    const QString bad = writeFile(dir, "bad.wst", "send x\nexepct y\n");
    const CliRun run = runCli({ nodeUrl(), QStringLiteral("--run"), bad });
    QCOMPARE(run.exitCode, 2);
    QCOMPARE(QString::fromUtf8(run.err.trimmed()),
        QStringLiteral("wsinspector-cli: --run: %1: line 2: \"exepct\" is not a step (send, send-binary, ping, pong, expect, "
                       "expect-pong, expect-close, wait, close, timeout)").arg(bad));
    QVERIFY(run.out.isEmpty()); // nothing was run
}

QTEST_GUILESS_MAIN(tst_CliChecks)
#include "tst_clichecks.moc"
