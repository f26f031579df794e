// Runs the real wsinspector-cli binary against real servers: its own --serve, Debian's node-ws, and a
// scripted Node server that misbehaves on purpose. Asserts the jsonl output field by field, the exit
// codes, --capture files, --stdin and Ctrl-C.

#include "log/capture.h"
#include "log/sessionfile.h"
#include "net/localcertificateauthority.h"
#include "captureevents.h"
#include "clirun.h"
#include "peerprocess.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>
#include <csignal>

namespace {

// The part of a jsonl line after "us":..., which is the same in every run.
QByteArray afterTime(const QByteArray &line)
{
    const qsizetype conn = line.indexOf(",\"conn\":");
    return conn < 0 ? QByteArray() : line.mid(conn + 1);
}

QString urlFor(quint16 port)
{
    return QStringLiteral("ws://127.0.0.1:%1/").arg(port);
}

// Waits until the process has printed a line containing `needle`; returns all output so far.
bool waitForOutput(QProcess &process, QByteArray &seen, const QByteArray &needle, int timeoutMs = 20'000)
{
    QElapsedTimer timer;
    timer.start();
    while (!seen.contains(needle)) {
        if (timer.elapsed() > timeoutMs || process.state() == QProcess::NotRunning)
            return false;
        process.waitForReadyRead(int(std::max<qint64>(1, timeoutMs - timer.elapsed())));
        seen += process.readAllStandardOutput();
    }
    return true;
}

} // namespace

class tst_Cli : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void usageErrors_data();
    void usageErrors();
    void helpAndVersion();
    void againstItsOwnServer_data();
    void againstItsOwnServer();
    void serveTextFormat();
    void serveDecodesClientsAsClients();
    void relayPrintsBothLegs();
    void relayAppliesInterceptRules();
    void exportCa();
    void proxyTerminatesTlsForNodeWs();
    void againstNodeWsKeepsSendOrder();
    void textFormatAgainstNodeWs();
    void compressionAgainstNodeWs();
    void peerTextReachesTheTerminalEscaped();
    void qtEngineAgainstNodeWs();
    void exitCodes_data();
    void exitCodes();
    void captureFile();
    void captureFileUnwritable();
    void stdinLines_data();
    void stdinLines();
    void interruptClosesCleanly_data();
    void interruptClosesCleanly();
    void secondInterruptAborts();

private:
    PeerProcess m_echo; // node-ws echo server shared by the tests
    quint16 m_echoPort = 0;
    QTemporaryDir m_dir;
};

void tst_Cli::initTestCase()
{
    QVERIFY2(QFile::exists(QStringLiteral(WSI_CLI_PATH)), WSI_CLI_PATH);
    QVERIFY(m_echo.start(PeerProcess::Runtime::Node, QStringLiteral("cli/peers/ws_echo_server.js")));
    m_echoPort = m_echo.waitForPort();
    QVERIFY2(m_echoPort != 0, "node-ws echo server did not start (is node-ws installed?)");
}

void tst_Cli::usageErrors_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QString>("message");

    const QString url = QStringLiteral("ws://127.0.0.1:1/");
    QTest::addRow("close code not a number") << QStringList { QStringLiteral("--close"), QStringLiteral("abc"), url }
                                             << QStringLiteral("--close: code \"abc\" is not a number");
    QTest::addRow("close code out of range") << QStringList { QStringLiteral("--close"), QStringLiteral("70000:x"),
        url } << QStringLiteral("--close: code 70000 is out of range 0-65535");
    QTest::addRow("send-binary not hex") << QStringList { QStringLiteral("--send-binary"), QStringLiteral("zz"), url }
                                         << QStringLiteral("--send-binary: invalid hex digit 'z' at position 1");
    QTest::addRow("send-binary odd") << QStringList { QStringLiteral("--send-binary=abc"), url }
                                     << QStringLiteral(
                                            "--send-binary: odd number of hex digits in 'abc' at position 1: "
                                            "each byte needs two digits");
    // QChar::isDigit() took these once: hex digits are ASCII.
    QTest::addRow("send-binary Arabic-Indic digits")
        << QStringList { QStringLiteral("--send-binary"), QStringLiteral("\u0661\u0662"), url }
        << QStringLiteral("--send-binary: invalid hex digit '\u0661' at position 1");
    QTest::addRow("deflate unknown parameter")
        << QStringList { QStringLiteral("--deflate"), QStringLiteral("server_window=10"), url }
        << QStringLiteral("--deflate: unknown permessage-deflate parameter server_window");
    QTest::addRow("deflate bits out of range")
        << QStringList { QStringLiteral("--deflate"), QStringLiteral("server_max_window_bits=16"), url }
        << QStringLiteral("--deflate: server_max_window_bits needs a value from 8 to 15");
    QTest::addRow("missing URL") << QStringList { QStringLiteral("--send"), QStringLiteral("x") }
                                 << QStringLiteral("missing URL");
    QTest::addRow("send without value") << QStringList { url, QStringLiteral("--send") }
                                        << QStringLiteral("--send needs a value");
    QTest::addRow("unknown option") << QStringList { QStringLiteral("--bogus"), url }
                                    << QStringLiteral("unknown option \"--bogus\"");
    QTest::addRow("bad format") << QStringList { QStringLiteral("--format"), QStringLiteral("xml"), url }
                                << QStringLiteral("--format: \"xml\" is not text or jsonl");
    QTest::addRow("bad header") << QStringList { QStringLiteral("-H"), QStringLiteral("NoColon"), url }
                                << QStringLiteral("-H/--header: \"NoColon\" is not \"Name: value\"");
    QTest::addRow("negative fragment size") << QStringList { QStringLiteral("--fragment-size"), QStringLiteral("-1"),
        url } << QStringLiteral("--fragment-size: \"-1\" is not a number");
    QTest::addRow("zero timeout") << QStringList { QStringLiteral("--handshake-timeout=0"), url }
                                  << QStringLiteral("--handshake-timeout: must be at least 1 ms");
    QTest::addRow("flag with value") << QStringList { QStringLiteral("--stdin=yes"), url }
                                     << QStringLiteral("--stdin takes no value");
    QTest::addRow("two URLs") << QStringList {
        url, QStringLiteral("ws://127.0.0.1:2/")
    } << QStringLiteral("unexpected argument \"ws://127.0.0.1:2/\" (the URL is already \"%1\")").arg(url);
    QTest::addRow("http scheme") << QStringList { QStringLiteral("http://127.0.0.1/") }
                                 << QStringLiteral("unsupported scheme \"http\": use ws:// or wss://");
    QTest::addRow("client option with serve") << QStringList { QStringLiteral("--serve"), QStringLiteral("--send"),
        QStringLiteral("x") } << QStringLiteral("--send is a client option; it cannot be used with --serve");
    QTest::addRow("serve option without serve") << QStringList { QStringLiteral("--mode"), QStringLiteral("echo"), url }
                                                << QStringLiteral("--mode only applies with --serve");
    QTest::addRow("bad serve port") << QStringList { QStringLiteral("--serve"), QStringLiteral("99999") }
                                    << QStringLiteral("--serve: port \"99999\" is not a number in 0-65535");
    QTest::addRow("bad mode") << QStringList { QStringLiteral("--serve"), QStringLiteral("--mode"),
        QStringLiteral("chat") }
                              << QStringLiteral("--mode: \"chat\" is not echo or broadcast");
    QTest::addRow("bad bind") << QStringList { QStringLiteral("--serve"), QStringLiteral("--bind"),
        QStringLiteral("nowhere") }
                              << QStringLiteral("--bind: \"nowhere\" is not an IP address");
    QTest::addRow("empty capture with serve") << QStringList {
        QStringLiteral("--serve"), QStringLiteral("0"), QStringLiteral("--capture="),
    } << QStringLiteral("--capture: the file name is empty");
    const QString relay = QStringLiteral("--relay"), to = QStringLiteral("--to");
    QTest::addRow("relay without --to") << QStringList { relay, QStringLiteral("0") }
                                        << QStringLiteral("--relay needs --to URL: the server to relay to");
    QTest::addRow("relay with a URL") << QStringList { relay, to, url, url }
                                      << QStringLiteral("--relay takes the server's URL after --to (got \"%1\")").arg(url);
    QTest::addRow("relay to http") << QStringList { relay, to, QStringLiteral("http://h/") }
                                   << QStringLiteral("--to: unsupported scheme \"http\": use ws:// or wss://");
    QTest::addRow("relay with send") << QStringList { relay, to, url, QStringLiteral("--send"), QStringLiteral("x") }
                                     << QStringLiteral("--send is a client option; it cannot be used with --relay");
    QTest::addRow("relay with mode") << QStringList { relay, to, url, QStringLiteral("--mode"), QStringLiteral("echo") }
                                     << QStringLiteral("--mode is a --serve option; it cannot be used with --relay");
    QTest::addRow("relay with subprotocol") << QStringList { relay, to, url, QStringLiteral("-s"), QStringLiteral("chat") }
                                            << QStringLiteral(
                                                   "-s/--subprotocol cannot be used with --relay: the application offers its own");
    QTest::addRow("relay and serve") << QStringList { relay, to, url, QStringLiteral("--serve") }
                                     << QStringLiteral("--relay and --serve cannot be used together");
    QTest::addRow("bad relay port") << QStringList { relay, QStringLiteral("70000"), to, url }
                                    << QStringLiteral("--relay: port \"70000\" is not a number in 0-65535");
    QTest::addRow("to without relay") << QStringList { to, url, url } << QStringLiteral("--to only applies with --relay");
    QTest::addRow("proxy with a URL") << QStringList { QStringLiteral("--proxy"), url }
                                      << QStringLiteral("--proxy takes no URL or subprotocol: its clients bring their own");
    QTest::addRow("proxy with --to") << QStringList { QStringLiteral("--proxy"), to, url }
                                     << QStringLiteral("--to is for --relay; a proxy's clients name their servers themselves");
    QTest::addRow("bad no-intercept") << QStringList { QStringLiteral("--proxy"), QStringLiteral("--no-intercept"), QStringLiteral("a/b") }
                                      << QStringLiteral("--no-intercept: \"a/b\" is not a host name pattern (letters, digits, '.', '-', and '*' for any run of them)");
    QTest::addRow("no-intercept without proxy") << QStringList { QStringLiteral("--no-intercept"), QStringLiteral("x"), url }
                                                << QStringLiteral("--no-intercept only applies with --proxy");
    QTest::addRow("bad insecure-host") << QStringList { QStringLiteral("--proxy"), QStringLiteral("--insecure-host"), QStringLiteral("") }
                                       << QStringLiteral("--insecure-host: the host pattern is empty");
    QTest::addRow("insecure-host without proxy") << QStringList { QStringLiteral("--insecure-host"), QStringLiteral("x"), url }
                                                 << QStringLiteral("--insecure-host only applies with --proxy (-k accepts every certificate error)");
    QTest::addRow("export-ca with more") << QStringList { QStringLiteral("--export-ca"), QStringLiteral("x.pem"), url }
                                         << QStringLiteral("--export-ca takes nothing but its file");
    QTest::addRow("intercept rule without relay")
        << QStringList { QStringLiteral("--intercept-rule"), QStringLiteral(WSI_TEST_DATA "/cli/rules/upper.json"), url }
        << QStringLiteral("--intercept-rule only applies with --relay or --proxy");
    QTest::addRow("intercept rule file missing")
        << QStringList { relay, to, url, QStringLiteral("--intercept-rule"), QStringLiteral("/nonexistent/rules.json") }
        << QStringLiteral("--intercept-rule: cannot read /nonexistent/rules.json: No such file or directory");
    QTest::addRow("intercept rule file not rules")
        << QStringList { relay, to, url, QStringLiteral("--intercept-rule"),
               QStringLiteral(WSI_TEST_DATA "/cli/peers/ws_echo_server.js") }
        << QStringLiteral("--intercept-rule: " WSI_TEST_DATA "/cli/peers/ws_echo_server.js: not JSON: illegal value at offset 1");
    QTest::addRow("unknown engine") << QStringList { QStringLiteral("--engine"), QStringLiteral("libwebsockets"), url }
                                    << QStringLiteral("--engine: \"libwebsockets\" is not an engine (inspector or qt)");
    QTest::addRow("qt engine with deflate") << QStringList { QStringLiteral("--engine=qt"), QStringLiteral("--deflate="), url }
                                            << QStringLiteral("--deflate cannot be used with --engine qt: QWebSocket offers no extensions");
    QTest::addRow("qt engine without auto-pong")
        << QStringList { QStringLiteral("--engine=qt"), QStringLiteral("--no-auto-pong"), url }
        << QStringLiteral("--no-auto-pong cannot be used with --engine qt: QWebSocket always answers pings");
    QTest::addRow("engine with relay")
        << QStringList { QStringLiteral("--relay"), QStringLiteral("--to"), url, QStringLiteral("--engine=qt") }
        << QStringLiteral("--engine applies to a client or to --serve; a relay watches the application's own engine");
    QTest::addRow("bind without serve or relay") << QStringList { QStringLiteral("--bind"), QStringLiteral("::1"), url }
                                                 << QStringLiteral("--bind only applies with --serve, --relay or --proxy");
}

void tst_Cli::usageErrors()
{
    QFETCH(QStringList, args);
    QFETCH(QString, message);
    const CliRun run = runCli(args);
    QVERIFY2(run.exitCode == 2, qPrintable(run.describe()));
    QCOMPARE(run.out, QByteArray());
    const QList<QByteArray> errLines = run.err.split('\n');
    QCOMPARE(QString::fromUtf8(errLines.value(0)), QStringLiteral("wsinspector-cli: ") + message);
}

void tst_Cli::helpAndVersion()
{
    const CliRun help = runCli({ QStringLiteral("--help") });
    QCOMPARE(help.exitCode, 0);
    QVERIFY(help.out.startsWith("Usage: wsinspector-cli [options] URL\n"));
    QVERIFY(help.out.contains("--send-binary HEX"));
    QVERIFY(help.out.contains("Exit status: 0 clean close; 1 connection or handshake failure; 2 usage error;"));
    const CliRun version = runCli({ QStringLiteral("--version") });
    QCOMPARE(version.exitCode, 0);
    QCOMPARE(version.out, QByteArray("wsinspector-cli 0.1.0\n"));
}

void tst_Cli::againstItsOwnServer_data()
{
    QTest::addColumn<QString>("engine"); // --serve --engine; empty: the default
    QTest::addRow("default (qt)") << QString();
    QTest::addRow("inspector") << QStringLiteral("inspector");
}

void tst_Cli::againstItsOwnServer()
{
    QFETCH(QString, engine);
    QProcess server;
    const QString capturePath = m_dir.filePath(QStringLiteral("served-%1.jsonl").arg(engine));
    QStringList args { QStringLiteral("--serve"), QStringLiteral("0"), QStringLiteral("--format"), QStringLiteral("jsonl"),
        QStringLiteral("--capture"), capturePath };
    if (!engine.isEmpty())
        args << QStringLiteral("--engine") << engine;
    server.start(QStringLiteral(WSI_CLI_PATH), args);
    QVERIFY(server.waitForStarted());
    QByteArray serverOut;
    QVERIFY2(waitForOutput(server, serverOut, "\n"), server.readAllStandardError().constData());
    const QJsonObject listening = QJsonDocument::fromJson(serverOut.left(serverOut.indexOf('\n'))).object();
    QCOMPARE(listening.value(QStringLiteral("kind")).toString(), QStringLiteral("listening"));
    QCOMPARE(listening.value(QStringLiteral("mode")).toString(), QStringLiteral("echo"));
    QCOMPARE(listening.value(QStringLiteral("engine")).toString(), engine.isEmpty() ? QStringLiteral("qt") : engine);
    const QString url = listening.value(QStringLiteral("url")).toString();
    QVERIFY2(
        url.startsWith(QStringLiteral("ws://127.0.0.1:")) && url.endsWith(u'/') && !url.endsWith(QStringLiteral(":0/")),
        qPrintable(url));

    const CliRun run = runCli({ QStringLiteral("--format"), QStringLiteral("jsonl"), url, QStringLiteral("--send"),
        QStringLiteral("hello"), QStringLiteral("--close"), QStringLiteral("1000:bye") });
    QVERIFY2(run.exitCode == 0, qPrintable(run.describe()));
    const QList<QJsonObject> in = run.frames("in");
    QVERIFY2(in.size() == 2, qPrintable(run.describe()));
    QCOMPARE(in[0].value(QStringLiteral("type")).toString(), QStringLiteral("text"));
    // The inspector's engine accepts the client's permessage-deflate offer: the echo is compressed.
    QCOMPARE(in[0].value(engine.isEmpty() ? QLatin1String("text") : QLatin1String("inflated")).toString(), QStringLiteral("hello"));
    QCOMPARE(in[1].value(QStringLiteral("close_code")).toInt(), 1000);
    // Qt echoes the client's reason; the inspector's engine echoes the code alone.
    QCOMPARE(in[1].value(QStringLiteral("close_reason")).toString(), engine.isEmpty() ? QStringLiteral("bye") : QString());

    // The server printed the very request bytes the client sent, and every frame both ways: what
    // the client received is what the server says it sent.
    QVERIFY2(waitForOutput(server, serverOut, "\"state\":\"CLOSED\""), serverOut.constData());
    QByteArray clientRequest;
    for (const QJsonObject &o : run.jsonLines()) {
        if (o.value(QStringLiteral("kind")) == QLatin1String("handshake-request"))
            clientRequest = o.value(QStringLiteral("raw")).toString().toUtf8();
    }
    QVERIFY(clientRequest.startsWith("GET / HTTP/1.1\r\n"));
    QByteArray serverRequest;
    QStringList serverFrames;
    for (const QByteArray &line : serverOut.split('\n')) {
        const QJsonObject o = QJsonDocument::fromJson(line).object();
        QVERIFY2(o.value(QStringLiteral("kind")) != QLatin1String("error"), line.constData());
        if (o.value(QStringLiteral("kind")) == QLatin1String("handshake-request"))
            serverRequest = o.value(QStringLiteral("raw")).toString().toUtf8();
        if (o.value(QStringLiteral("kind")) == QLatin1String("frame")) {
            QCOMPARE(o.value(QStringLiteral("conn")).toInt(), 1);
            serverFrames << o.value(QStringLiteral("dir")).toString() + QLatin1Char(' ')
                    + o.value(QStringLiteral("type")).toString() + QLatin1Char(' ')
                    + o.value(QStringLiteral("header")).toString();
        }
    }
    QCOMPARE(serverRequest, clientRequest);
    QStringList clientFrames; // the same frames, seen from the other end
    for (const QJsonObject &o : run.jsonLines()) {
        if (o.value(QStringLiteral("kind")) == QLatin1String("frame"))
            clientFrames << (o.value(QStringLiteral("dir")) == QLatin1String("in") ? QStringLiteral("out ") : QStringLiteral("in "))
                    + o.value(QStringLiteral("type")).toString() + QLatin1Char(' ')
                    + o.value(QStringLiteral("header")).toString();
    }
    QCOMPARE(serverFrames.size(), 4);
    // Each direction in its order (the client sends both frames before it reads the echo).
    for (const QString &dir : { QStringLiteral("in "), QStringLiteral("out ") })
        QCOMPARE(serverFrames.filter(QRegularExpression(QLatin1Char('^') + dir)),
            clientFrames.filter(QRegularExpression(QLatin1Char('^') + dir)));

    server.terminate(); // SIGTERM: stops cleanly
    QVERIFY(server.waitForFinished(10'000));
    QCOMPARE(server.exitStatus(), QProcess::NormalExit);
    QCOMPARE(server.exitCode(), 0);

    // --capture kept what was printed: the same request and frames, in a session file.
    Capture capture;
    const SessionFileReader::Result read = SessionFileReader::load(capturePath, capture);
    QVERIFY2(read.ok(), qPrintable(read.errors.join(u'\n')));
    QCOMPARE(read.header.url, url);
    QCOMPARE(eventsOfKind(capture, EventKind::HandshakeRequest).size(), 1);
    QCOMPARE(eventsOfKind(capture, EventKind::HandshakeRequest).at(0).payload.toByteArray(), clientRequest);
    QStringList captured;
    for (const WireEvent &e : eventsOfKind(capture, EventKind::Frame))
        captured << QLatin1String(directionKey(e.direction)) + QLatin1Char(' ') + QLatin1String(Opcode::key(e.frame.opcode))
                + QLatin1Char(' ') + QString::fromLatin1(e.header.toByteArray().toHex());
    QCOMPARE(captured, serverFrames);
}

void tst_Cli::serveTextFormat()
{
    QProcess server;
    server.start(QStringLiteral(WSI_CLI_PATH),
        { QStringLiteral("--serve=0"), QStringLiteral("--mode"), QStringLiteral("broadcast") });
    QVERIFY(server.waitForStarted());
    QByteArray out;
    QVERIFY(waitForOutput(server, out, "\n"));
    const QByteArray first = out.left(out.indexOf('\n'));
    QVERIFY2(
        first.startsWith("listening on ws://127.0.0.1:") && first.endsWith("/ (broadcast mode)"), first.constData());
    ::kill(pid_t(server.processId()), SIGINT);
    QVERIFY(server.waitForFinished(10'000));
    QCOMPARE(server.exitCode(), 0);
}

// --serve decodes each client's messages as the client's: graphql-transport-ws lets only a client
// send connection_init, so the client's reads clean and the echo server's copy is flagged.
void tst_Cli::serveDecodesClientsAsClients()
{
    QProcess server;
    server.start(QStringLiteral(WSI_CLI_PATH), { QStringLiteral("--serve=0"), QStringLiteral("--format"), QStringLiteral("jsonl"),
                                                   QStringLiteral("--subprotocol"), QStringLiteral("graphql-transport-ws") });
    QVERIFY(server.waitForStarted());
    QByteArray out;
    QVERIFY(waitForOutput(server, out, "\n"));
    const QString url = QJsonDocument::fromJson(out.left(out.indexOf('\n'))).object().value(QLatin1String("url")).toString();
    QVERIFY2(url.startsWith(QLatin1String("ws://127.0.0.1:")), out.constData());
    const CliRun client = runCli({ url, QStringLiteral("--subprotocol"), QStringLiteral("graphql-transport-ws"), QStringLiteral("--send"),
        QStringLiteral(R"({"type":"connection_init"})"), QStringLiteral("--close"), QStringLiteral("1000") });
    QVERIFY2(client.exitCode == 0, qPrintable(client.describe()));
    QVERIFY(waitForOutput(server, out, "\"state\":\"CLOSED\""));
    ::kill(pid_t(server.processId()), SIGINT);
    QVERIFY(server.waitForFinished(10'000));
    out += server.readAllStandardOutput();

    QStringList decoded; // dir, then the decoded summary, of each decoded frame
    for (const QByteArray &line : out.split('\n')) {
        const QJsonObject e = QJsonDocument::fromJson(line).object();
        if (e.contains(QLatin1String("decoded")))
            decoded << e.value(QLatin1String("dir")).toString() + QLatin1Char(' ')
                    + e.value(QLatin1String("decoded")).toObject().value(QLatin1String("summary")).toString();
    }
    QCOMPARE(decoded.size(), 2);
    QCOMPARE(decoded[0], QStringLiteral("in graphql-transport-ws connection_init"));
    QVERIFY2(decoded[1].startsWith(QLatin1String("out graphql-transport-ws connection_init (")), qPrintable(decoded[1]));
}

// --relay between this CLI as the application and node-ws as the server: the first line says
// where it listens and where it relays to; every event names its leg.
void tst_Cli::relayPrintsBothLegs()
{
    QProcess relay;
    relay.start(QStringLiteral(WSI_CLI_PATH),
        { QStringLiteral("--relay"), QStringLiteral("0"), QStringLiteral("--to"), urlFor(m_echoPort) + QStringLiteral("base"),
            QStringLiteral("--format"), QStringLiteral("jsonl") });
    QVERIFY(relay.waitForStarted());
    QByteArray out;
    QVERIFY(waitForOutput(relay, out, "\n"));
    const QJsonObject listening = QJsonDocument::fromJson(out.left(out.indexOf('\n'))).object();
    QCOMPARE(listening.value(QLatin1String("kind")).toString(), QStringLiteral("listening"));
    QCOMPARE(listening.value(QLatin1String("to")).toString(), urlFor(m_echoPort) + QStringLiteral("base"));
    const QString relayUrl = listening.value(QLatin1String("url")).toString();
    QVERIFY2(relayUrl.startsWith(QLatin1String("ws://127.0.0.1:")), qPrintable(relayUrl));

    const CliRun app = runCli({ relayUrl + QStringLiteral("chat"), QStringLiteral("--send"), QStringLiteral("through"),
        QStringLiteral("--close"), QStringLiteral("1000") });
    QVERIFY2(app.exitCode == 0, qPrintable(app.describe()));
    QVERIFY(waitForOutput(relay, out, "\"state\":\"CLOSED\""));
    ::kill(pid_t(relay.processId()), SIGINT);
    QVERIFY(relay.waitForFinished(10'000));
    QCOMPARE(relay.exitCode(), 0);
    out += relay.readAllStandardOutput();

    QStringList seen; // leg, dir, kind of each event, and the text frames' contents
    for (const QByteArray &line : out.split('\n').mid(1)) {
        if (line.isEmpty())
            continue;
        const QJsonObject e = QJsonDocument::fromJson(line).object();
        QVERIFY2(e.contains(QLatin1String("leg")), line.constData());
        const QString kind = e.value(QLatin1String("kind")).toString();
        if (kind != QLatin1String("frame") && !kind.startsWith(QLatin1String("handshake")))
            continue;
        QString entry = e.value(QLatin1String("leg")).toString() + QLatin1Char(' ') + e.value(QLatin1String("dir")).toString()
            + QLatin1Char(' ') + kind;
        if (e.contains(QLatin1String("text")) || e.contains(QLatin1String("inflated")))
            entry += QLatin1Char(' ') + e.value(QLatin1String(e.contains(QLatin1String("inflated")) ? "inflated" : "text")).toString();
        seen << entry;
    }
    // Each leg in its own order (the two legs' frames interleave as the peers' timing has it).
    auto leg = [&seen](const QString &name) {
        QStringList out;
        for (const QString &entry : std::as_const(seen))
            if (entry.startsWith(name + QLatin1Char(' ')))
                out << entry;
        return out;
    };
    QCOMPARE(leg(QStringLiteral("app")),
        (QStringList { QStringLiteral("app in handshake-request"), QStringLiteral("app out handshake-response"),
            QStringLiteral("app in frame through"), QStringLiteral("app in frame") }));
    QCOMPARE(leg(QStringLiteral("server")),
        (QStringList { QStringLiteral("server out handshake-request"), QStringLiteral("server in handshake-response"),
            QStringLiteral("server in frame through"), QStringLiteral("server in frame") }));
    QCOMPARE(seen.size(), 8);
    QVERIFY(out.contains("GET /base/chat HTTP/1.1"));
}

// --export-ca makes the certificate authority in the user's data directory on first use, then
// keeps it: the second export writes the same certificate.
// --intercept-rule: the server gets the changed message, the application the changed echo, and
// the relay prints what it changed.
void tst_Cli::relayAppliesInterceptRules()
{
    QProcess relay;
    relay.start(QStringLiteral(WSI_CLI_PATH),
        { QStringLiteral("--relay"), QStringLiteral("0"), QStringLiteral("--to"), urlFor(m_echoPort),
            QStringLiteral("--intercept-rule"), QStringLiteral(WSI_TEST_DATA "/cli/rules/upper.json"),
            QStringLiteral("--format"), QStringLiteral("jsonl") });
    QVERIFY(relay.waitForStarted());
    QByteArray out;
    QVERIFY(waitForOutput(relay, out, "\n"));
    const QString relayUrl = QJsonDocument::fromJson(out.left(out.indexOf('\n'))).object().value(QLatin1String("url")).toString();
    const CliRun app = runCli({ relayUrl, QStringLiteral("--format"), QStringLiteral("jsonl"), QStringLiteral("--send"),
        QStringLiteral("hello 42"), QStringLiteral("--close"), QStringLiteral("1000") });
    QVERIFY2(app.exitCode == 0, qPrintable(app.describe()));
    const QList<QJsonObject> echoes = app.frames("in");
    QVERIFY(!echoes.isEmpty());
    QCOMPARE(echoes.first().value(QLatin1String("text")).toString(), QStringLiteral("HELLO <42>"));
    QVERIFY(waitForOutput(relay, out, "\"state\":\"CLOSED\""));
    ::kill(pid_t(relay.processId()), SIGINT);
    QVERIFY(relay.waitForFinished(10'000));
    out += relay.readAllStandardOutput();
    QStringList edits;
    for (const QByteArray &line : out.split('\n')) {
        const QJsonObject e = QJsonDocument::fromJson(line).object();
        if (e.value(QLatin1String("kind")).toString() == QLatin1String("intercept")
            && e.value(QLatin1String("action")).toString() == QLatin1String("edited")
            && e.value(QLatin1String("message_id")).toInt() > 0)
            edits << e.value(QLatin1String("leg")).toString() + QLatin1Char(' ')
                    + QString::number(e.value(QLatin1String("rules")).toArray().first().toInt());
        if (e.value(QLatin1String("kind")).toString() == QLatin1String("frame")
            && e.value(QLatin1String("dir")).toString() == QLatin1String("out")
            && e.value(QLatin1String("leg")).toString() == QLatin1String("server"))
            QCOMPARE(e.value(QLatin1String("text")).toString(), QStringLiteral("HELLO 42"));
    }
    QCOMPARE(edits, (QStringList { QStringLiteral("app 1"), QStringLiteral("server 2") }));
}

void tst_Cli::exportCa()
{
    QTemporaryDir home;
    auto run = [&home](const QString &file) {
        QProcess process;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("XDG_DATA_HOME"), home.path());
        process.setProcessEnvironment(env);
        process.start(QStringLiteral(WSI_CLI_PATH), { QStringLiteral("--export-ca"), file });
        process.waitForFinished(30'000);
        return std::pair { process.exitCode(), process.readAllStandardOutput() + process.readAllStandardError() };
    };
    const QString first = home.filePath(QStringLiteral("first.pem")), second = home.filePath(QStringLiteral("second.pem"));
    const auto [code, out] = run(first);
    QVERIFY2(code == 0, out.constData());
    QVERIFY2(out.startsWith("made the certificate authority in " + home.path().toUtf8() + "/wsinspector/ca"), out.constData());
    const auto [code2, out2] = run(second);
    QVERIFY2(code2 == 0 && out2.startsWith("using the certificate authority"), out2.constData());
    QFile a(first), b(second);
    QVERIFY(a.open(QIODevice::ReadOnly) && b.open(QIODevice::ReadOnly));
    const QByteArray pem = a.readAll();
    QVERIFY(pem.startsWith("-----BEGIN CERTIFICATE-----"));
    QCOMPARE(b.readAll(), pem);
    QVERIFY(!(QFile::permissions(home.filePath(QStringLiteral("wsinspector/ca/ca-key.pem")))
        & (QFileDevice::ReadGroup | QFileDevice::ReadOther)));
}

// --proxy as a Node program meets it: node-ws reaches a wss:// server (node https, its own
// certificate) through CONNECT, trusting the CA that --export-ca wrote. The proxy terminates TLS,
// reaches the server over TLS (allowed by --insecure-host), and prints both legs' frames.
void tst_Cli::proxyTerminatesTlsForNodeWs()
{
    QTemporaryDir data;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("XDG_DATA_HOME"), data.path());
    QString error;
    const auto siteCa = LocalCertificateAuthority::openOrCreate(data.filePath(QStringLiteral("site-ca")), &error);
    QVERIFY2(siteCa, qPrintable(error));
    const auto site = siteCa->certificateFor(QStringLiteral("127.0.0.1"), &error);
    QVERIFY2(site, qPrintable(error));
    QFile cert(data.filePath(QStringLiteral("site.pem"))), key(data.filePath(QStringLiteral("site-key.pem")));
    QVERIFY(cert.open(QIODevice::WriteOnly) && cert.write(site->certificate.toPem()) > 0);
    QVERIFY(key.open(QIODevice::WriteOnly) && key.write(site->key.toPem()) > 0);
    cert.close();
    key.close();
    PeerProcess server;
    QVERIFY(server.start(PeerProcess::Runtime::Node, QStringLiteral("interop/peers/node_https_echo_server.js"),
        { cert.fileName(), key.fileName() }));
    const quint16 serverPort = server.waitForPort();
    QVERIFY(serverPort != 0);

    QProcess proxy;
    proxy.setProcessEnvironment(env);
    proxy.start(QStringLiteral(WSI_CLI_PATH),
        { QStringLiteral("--proxy"), QStringLiteral("0"), QStringLiteral("--insecure-host"), QStringLiteral("127.0.0.1"),
            QStringLiteral("--format"), QStringLiteral("jsonl") });
    QVERIFY(proxy.waitForStarted());
    QByteArray out;
    QVERIFY(waitForOutput(proxy, out, "\n"));
    const QJsonObject listening = QJsonDocument::fromJson(out.left(out.indexOf('\n'))).object();
    QCOMPARE(listening.value(QLatin1String("mode")).toString(), QStringLiteral("proxy"));
    const QUrl proxyUrl(listening.value(QLatin1String("url")).toString());
    QByteArray said;
    const QByteArray expected
        = "terminating TLS with the certificate authority in " + data.path().toUtf8() + "/wsinspector/ca (made now";
    QTRY_VERIFY2((said += proxy.readAllStandardError()).contains(expected), said.constData());

    const QString caFile = data.filePath(QStringLiteral("ca.pem"));
    QProcess exporter;
    exporter.setProcessEnvironment(env);
    exporter.start(QStringLiteral(WSI_CLI_PATH), { QStringLiteral("--export-ca"), caFile });
    QVERIFY(exporter.waitForFinished(30'000) && exporter.exitCode() == 0);

    PeerProcess client;
    QVERIFY(client.start(PeerProcess::Runtime::Node, QStringLiteral("interop/peers/node_proxy_client.js"),
        { QString::number(proxyUrl.port()), QStringLiteral("wss://127.0.0.1:%1/echo").arg(serverPort), caFile,
            QStringLiteral("through the proxy") }));
    const QByteArray echoed = client.waitForLine(20'000);
    QVERIFY2(echoed.contains("\"data\":\"through the proxy\""), echoed.constData());
    QVERIFY(waitForOutput(proxy, out, "\"state\":\"CLOSED\""));
    ::kill(pid_t(proxy.processId()), SIGINT);
    QVERIFY(proxy.waitForFinished(10'000));
    QCOMPARE(proxy.exitCode(), 0);
    out += proxy.readAllStandardOutput();

    QStringList frames;
    QByteArray request;
    for (const QByteArray &line : out.split('\n').mid(1)) {
        const QJsonObject e = QJsonDocument::fromJson(line).object();
        const QString kind = e.value(QLatin1String("kind")).toString();
        if (kind == QLatin1String("handshake-request") && e.value(QLatin1String("leg")).toString() == QLatin1String("app"))
            request = e.value(QLatin1String("raw")).toString().toUtf8();
        if (kind == QLatin1String("frame") && e.value(QLatin1String("type")).toString() == QLatin1String("text"))
            frames << e.value(QLatin1String("leg")).toString() + QLatin1Char(' ')
                    + e.value(QLatin1String(e.contains(QLatin1String("inflated")) ? "inflated" : "text")).toString();
    }
    QVERIFY2(request.startsWith("GET /echo HTTP/1.1\r\n"), request.constData());
    QCOMPARE(frames,
        (QStringList { QStringLiteral("app through the proxy"), QStringLiteral("server through the proxy") }));
}

void tst_Cli::againstNodeWsKeepsSendOrder()
{
    const CliRun run = runCli({ QStringLiteral("--format"), QStringLiteral("jsonl"), QStringLiteral("--send"),
        QStringLiteral("a"), QStringLiteral("--send-binary"), QStringLiteral("01 02 ff"), QStringLiteral("--ping"),
        QStringLiteral("p"), QStringLiteral("--send"), QStringLiteral("hello"), QStringLiteral("--ping"),
        QStringLiteral("--close"), QStringLiteral("4000:done"), urlFor(m_echoPort) });
    QVERIFY2(run.exitCode == 0, qPrintable(run.describe()));

    const QList<QJsonObject> out = run.frames("out");
    QCOMPARE(out.size(), 6);
    const QStringList expectedTypes = { QStringLiteral("text"), QStringLiteral("binary"), QStringLiteral("ping"),
        QStringLiteral("text"), QStringLiteral("ping"), QStringLiteral("close") };
    for (int i = 0; i < out.size(); ++i) {
        QCOMPARE(out[i].value(QStringLiteral("type")).toString(), expectedTypes[i]);
        QCOMPARE(out[i].value(QStringLiteral("masked")).toBool(), true);
        QCOMPARE(out[i].value(QStringLiteral("mask_key")).toString().size(), 8);
        QCOMPARE(out[i].value(QStringLiteral("fin")).toBool(), true);
    }
    QCOMPARE(out[0].value(QStringLiteral("text")).toString(), QStringLiteral("a"));
    QCOMPARE(out[1].value(QStringLiteral("b64")).toString(), QStringLiteral("AQL/"));
    QCOMPARE(out[2].value(QStringLiteral("b64")).toString(), QStringLiteral("cA=="));
    QCOMPARE(out[3].value(QStringLiteral("text")).toString(), QStringLiteral("hello"));
    QCOMPARE(out[4].value(QStringLiteral("b64")).toString(), QString());
    QCOMPARE(out[5].value(QStringLiteral("close_code")).toInt(), 4000);
    QCOMPARE(out[5].value(QStringLiteral("close_reason")).toString(), QStringLiteral("done"));

    // The echoes, pongs and close come back in the same order; the lines are byte-exact.
    QList<QByteArray> in;
    for (const QByteArray &line : run.lines()) {
        if (line.contains("\"dir\":\"in\",\"kind\":\"frame\""))
            in << afterTime(line);
    }
    const QByteArray common = "\"conn\":1,\"dir\":\"in\",\"kind\":\"frame\",\"fin\":true,\"rsv1\":false,\"rsv2\":false,"
                              "\"rsv3\":false,";
    const QList<QByteArray> expected = {
        common
            + "\"opcode\":1,\"type\":\"text\",\"masked\":false,\"mask_key\":null,\"len\":1,\"len_form\":7,\"header\":"
              "\"8101\",\"text\":\"a\"}",
        common
            + "\"opcode\":2,\"type\":\"binary\",\"masked\":false,\"mask_key\":null,\"len\":3,\"len_form\":7,\"header\":"
              "\"8203\",\"b64\":\"AQL/\"}",
        common
            + "\"opcode\":10,\"type\":\"pong\",\"masked\":false,\"mask_key\":null,\"len\":1,\"len_form\":7,\"header\":"
              "\"8a01\",\"b64\":\"cA==\"}",
        common
            + "\"opcode\":1,\"type\":\"text\",\"masked\":false,\"mask_key\":null,\"len\":5,\"len_form\":7,\"header\":"
              "\"8105\",\"text\":\"hello\"}",
        common
            + "\"opcode\":10,\"type\":\"pong\",\"masked\":false,\"mask_key\":null,\"len\":0,\"len_form\":7,\"header\":"
              "\"8a00\",\"b64\":\"\"}",
        common
            + "\"opcode\":8,\"type\":\"close\",\"masked\":false,\"mask_key\":null,\"len\":6,\"len_form\":7,\"header\":"
              "\"8806\","
              "\"close_code\":4000,\"close_name\":\"Private use\",\"close_reason\":\"done\",\"b64\":\"D6Bkb25l\"}",
    };
    QCOMPARE(in, expected);

    const QJsonObject closed = run.last("state");
    QCOMPARE(closed.value(QStringLiteral("state")).toString(), QStringLiteral("CLOSED"));
    QCOMPARE(closed.value(QStringLiteral("close_code")).toInt(), 4000);
    QCOMPARE(closed.value(QStringLiteral("was_clean")).toBool(), true);
}

void tst_Cli::textFormatAgainstNodeWs()
{
    const CliRun run = runCli({ urlFor(m_echoPort), QStringLiteral("--send"), QStringLiteral("Hello"),
        QStringLiteral("--close"), QStringLiteral("1000") });
    QVERIFY2(run.exitCode == 0, qPrintable(run.describe()));
    bool found = false;
    for (const QByteArray &line : run.lines()) {
        // "05:30:00.123456 #1 <- text   FIN ..."
        if (line.size() > 16
            && line.mid(15) == " #1 <- text   FIN rsv=000 op=1 mask=- len=5 (7-bit) hdr=81 05  \"Hello\"")
            found = true;
    }
    QVERIFY2(found, qPrintable(run.describe()));
    QVERIFY(run.out.contains(" #1 -> handshake-request ("));
    QVERIFY(run.out.contains("\n    GET / HTTP/1.1\n"));
    QVERIFY(run.out.contains(" #1 -- CLOSED: 1000 Normal Closure"));
}

// permessage-deflate offered by default: the text output shows the wire bytes and the inflated
// message, jsonl carries both; --no-deflate offers nothing.
void tst_Cli::compressionAgainstNodeWs()
{
    PeerProcess peer;
    QVERIFY(peer.start(PeerProcess::Runtime::Node, QStringLiteral("interop/peers/node_server.js"),
        { QStringLiteral("--deflate"), QStringLiteral("{\"threshold\":0}") }));
    const quint16 port = peer.waitForPort();
    QVERIFY(port);
    const QStringList args { urlFor(port), QStringLiteral("--send"), QStringLiteral("Hello"), QStringLiteral("--close"),
        QStringLiteral("1000") };
    const CliRun text = runCli(args);
    QVERIFY2(text.exitCode == 0, qPrintable(text.describe()));
    QVERIFY2(text.out.contains("\n    Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits\n"),
        qPrintable(text.describe()));
    QVERIFY2(text.out.contains(" #1 <- text   FIN rsv=100 op=1 mask=- len=7 (7-bit) hdr=c1 07  compressed f2 48 cd c9 "
                               "c9 07 00 -> inflated 5 B: \"Hello\"\n"),
        qPrintable(text.describe()));
    QVERIFY(text.out.contains("OPEN (permessage-deflate)"));

    const CliRun jsonl = runCli(args + QStringList { QStringLiteral("--format"), QStringLiteral("jsonl") });
    QVERIFY2(jsonl.exitCode == 0, qPrintable(jsonl.describe()));
    QVERIFY2(jsonl.out.contains("\"dir\":\"in\",\"kind\":\"frame\",\"fin\":true,\"rsv1\":true"),
        qPrintable(jsonl.describe()));
    QVERIFY(jsonl.out.contains(
        "\"header\":\"c107\",\"compressed\":true,\"inflated_len\":5,\"inflated\":\"Hello\",\"b64\":\"8kjNyckHAA==\"}"));

    const CliRun plain = runCli(args + QStringList { QStringLiteral("--no-deflate") });
    QVERIFY2(plain.exitCode == 0, qPrintable(plain.describe()));
    QVERIFY(!plain.out.contains("Sec-WebSocket-Extensions"));
    QVERIFY(plain.out.contains(" #1 <- text   FIN rsv=000 op=1 mask=- len=5 (7-bit) hdr=81 05  \"Hello\"\n"));
}

// QWebSocket as the engine: its frames as they crossed the wire, and its signals as api events.
void tst_Cli::qtEngineAgainstNodeWs()
{
    PeerProcess peer;
    QVERIFY(peer.start(PeerProcess::Runtime::Node, QStringLiteral("interop/peers/node_server.js")));
    const quint16 port = peer.waitForPort();
    QVERIFY(port);
    const CliRun run = runCli({ QStringLiteral("--engine"), QStringLiteral("qt"), QStringLiteral("--format"),
        QStringLiteral("jsonl"), QStringLiteral("--send"), QStringLiteral("hi"), QStringLiteral("--send"),
        QStringLiteral("cmd:close:1000:bye"), urlFor(port) });
    QVERIFY2(run.exitCode == 0, qPrintable(run.describe()));

    const QList<QJsonObject> out = run.frames("out");
    QCOMPARE(out.size(), 3); // two texts, the close reply
    QCOMPARE(out[0].value(QStringLiteral("text")).toString(), QStringLiteral("hi"));
    QCOMPARE(out[0].value(QStringLiteral("masked")).toBool(), true);
    QCOMPARE(out[2].value(QStringLiteral("type")).toString(), QStringLiteral("close"));
    QStringList signalList;
    QJsonArray echoed, disconnected;
    for (const QJsonObject &event : run.jsonLines()) {
        if (event.value(QStringLiteral("kind")).toString() != QLatin1String("api"))
            continue;
        QCOMPARE(event.value(QStringLiteral("dir")).toString(), QStringLiteral("local"));
        const QString signal = event.value(QStringLiteral("signal")).toString();
        signalList << signal;
        if (signal == QLatin1String("textMessageReceived"))
            echoed = event.value(QStringLiteral("args")).toArray();
        if (signal == QLatin1String("disconnected"))
            disconnected = event.value(QStringLiteral("args")).toArray();
    }
    QVERIFY2(signalList.contains(QStringLiteral("connected")), qPrintable(run.describe()));
    QCOMPARE(echoed, QJsonArray { QStringLiteral("hi") });
    QCOMPARE(disconnected, (QJsonArray { 1000, QStringLiteral("bye") }));
    QCOMPARE(run.last("state").value(QStringLiteral("was_clean")).toBool(), true);
}

// A peer cannot reorder, hide or colour what the terminal shows (bidi overrides, zero-width
// characters, ANSI escapes); jsonl keeps the exact text for machines.
void tst_Cli::peerTextReachesTheTerminalEscaped()
{
    PeerProcess peer;
    QVERIFY(peer.start(
        PeerProcess::Runtime::Node, QStringLiteral("cli/peers/raw_server.js"), { QStringLiteral("trojan") }));
    const quint16 port = peer.waitForPort();
    QVERIFY(port);
    const QString url = urlFor(port);
    const CliRun text = runCli({ url });
    QVERIFY2(text.out.contains("\"abc\\u202edef\\u200b\\x1b[31mred\""), qPrintable(text.describe()));
    QVERIFY2(text.out.contains("1000 Normal Closure \"bye\\u202e\""), qPrintable(text.describe()));
    QVERIFY(!text.out.contains("\xe2\x80\xae"));
    QVERIFY(!text.out.contains("\xe2\x80\x8b"));
    QVERIFY(!text.out.contains('\x1b'));
    const CliRun jsonl = runCli({ QStringLiteral("--format"), QStringLiteral("jsonl"), url });
    QVERIFY2(jsonl.out.contains("\"text\":\"abc\xe2\x80\xae"
                                "def\xe2\x80\x8b\\u001b[31mred\""),
        qPrintable(jsonl.describe()));
}

void tst_Cli::exitCodes_data()
{
    QTest::addColumn<QString>("peerMode"); // raw_server.js mode; "refused": no server; "usage": bad option
    QTest::addColumn<int>("exitCode");
    QTest::addColumn<QString>("kind"); // an event that must be there...
    QTest::addColumn<QString>("field"); // ...with this field...
    QTest::addColumn<QString>("value"); // ...starting with this value
    QTest::addColumn<QString>("stderrLine");

    QTest::addRow("0: server closes cleanly")
        << QStringLiteral("close") << 0 << QStringLiteral("state") << QStringLiteral("message")
        << QStringLiteral("CLOSED: 1000 Normal Closure, reason \"done\", wasClean=true") << QString();
    QTest::addRow("1: connection refused")
        << QStringLiteral("refused") << 1 << QStringLiteral("error") << QStringLiteral("message")
        << QStringLiteral("connection refused by 127.0.0.1:")
        << QStringLiteral("wsinspector-cli: connection failed: connection refused by 127.0.0.1:");
    QTest::addRow("1: handshake rejected") << QStringLiteral("reject") << 1 << QStringLiteral("handshake-response")
                                           << QStringLiteral("raw") << QStringLiteral("HTTP/1.1 403 Forbidden\r\n")
                                           << QStringLiteral("wsinspector-cli: connection failed: handshake failed: ");
    QTest::addRow("2: usage") << QStringLiteral("usage") << 2 << QString() << QString() << QString()
                              << QStringLiteral("wsinspector-cli: unknown option \"--nope\"");
    QTest::addRow("3: no close frame")
        << QStringLiteral("drop") << 3 << QStringLiteral("state") << QStringLiteral("message")
        << QStringLiteral("CLOSED: 1006 Abnormal Closure")
        << QStringLiteral("wsinspector-cli: connection closed abnormally (1006 Abnormal Closure, not clean)");
    QTest::addRow("3: violation") << QStringLiteral("rsv") << 3 << QStringLiteral("violation") << QStringLiteral("rule")
                                  << QStringLiteral("reserved-bits-set")
                                  << QStringLiteral(
                                         "wsinspector-cli: 1 protocol violation(s); first: reserved-bits-set: ");
}

void tst_Cli::exitCodes()
{
    QFETCH(QString, peerMode);
    QFETCH(int, exitCode);
    QFETCH(QString, kind);
    QFETCH(QString, field);
    QFETCH(QString, value);
    QFETCH(QString, stderrLine);

    PeerProcess peer;
    QString url;
    QStringList args = { QStringLiteral("--format"), QStringLiteral("jsonl") };
    if (peerMode == QLatin1String("refused")) {
        QTcpServer probe; // a port that was free a moment ago and has no listener now
        QVERIFY(probe.listen(QHostAddress::LocalHost, 0));
        url = urlFor(probe.serverPort());
        probe.close();
    } else if (peerMode == QLatin1String("usage")) {
        url = urlFor(m_echoPort);
        args << QStringLiteral("--nope");
    } else {
        QVERIFY(peer.start(PeerProcess::Runtime::Node, QStringLiteral("cli/peers/raw_server.js"), { peerMode }));
        const quint16 port = peer.waitForPort();
        QVERIFY(port);
        url = urlFor(port);
    }
    const CliRun run = runCli(args << url);
    QVERIFY2(run.exitCode == exitCode, qPrintable(run.describe()));
    if (!kind.isEmpty()) {
        const QJsonObject event = run.last(kind.toUtf8().constData());
        QVERIFY2(event.value(field).toString().startsWith(value), qPrintable(run.describe()));
    }
    if (stderrLine.isEmpty())
        QCOMPARE(run.err, QByteArray());
    else
        QVERIFY2(QString::fromUtf8(run.err).startsWith(stderrLine), qPrintable(run.describe()));
}

void tst_Cli::captureFile()
{
    const QString path = m_dir.filePath(QStringLiteral("session.jsonl"));
    const QString url = urlFor(m_echoPort);
    const CliRun run = runCli({ QStringLiteral("--capture"), path, QStringLiteral("--format"), QStringLiteral("jsonl"),
        QStringLiteral("--send"), QStringLiteral("x"), QStringLiteral("--send-binary"), QStringLiteral("00ff"),
        QStringLiteral("--close"), QStringLiteral("1000"), url });
    QVERIFY2(run.exitCode == 0, qPrintable(run.describe()));

    QFile file(path);
    QVERIFY(file.open(QIODevice::ReadOnly));
    QList<QByteArray> lines = file.readAll().split('\n');
    QCOMPARE(lines.takeLast(), QByteArray()); // ends with a newline
    const QJsonObject header = QJsonDocument::fromJson(lines.takeFirst()).object();
    QCOMPARE(header.value(QStringLiteral("format")).toString(), QStringLiteral("wsinspector-session"));
    QCOMPARE(header.value(QStringLiteral("version")).toInt(), 1);
    QCOMPARE(header.value(QStringLiteral("tool")).toString(), QStringLiteral("wsinspector-cli 0.1.0"));
    QCOMPARE(header.value(QStringLiteral("url")).toString(), url);
    // The file holds exactly the events printed on standard output.
    QCOMPARE(lines, run.lines());

    Capture capture;
    const SessionFileReader::Result result = SessionFileReader::load(path, capture);
    QVERIFY2(result.ok(), qPrintable(result.errors.join(u'\n')));
    QCOMPARE(capture.count(), lines.size());
    int binaryEchoes = 0;
    for (qsizetype i = 0; i < capture.count(); ++i) {
        const WireEvent e = capture.event(i);
        if (e.kind == EventKind::Frame && e.direction == Direction::Incoming && e.frame.opcode == Opcode::Binary) {
            QCOMPARE(e.payload.toByteArray(), QByteArray::fromHex("00ff"));
            QCOMPARE(e.header.toByteArray(), QByteArray::fromHex("8202"));
            ++binaryEchoes;
        }
    }
    QCOMPARE(binaryEchoes, 1);
}

void tst_Cli::captureFileUnwritable()
{
    const CliRun run = runCli({ QStringLiteral("--capture"), m_dir.path(), urlFor(m_echoPort) });
    QVERIFY2(run.exitCode == 2, qPrintable(run.describe()));
    QVERIFY2(run.err.startsWith("wsinspector-cli: --capture: cannot write \"" + m_dir.path().toUtf8() + "\": "),
        run.err.constData());
    QCOMPARE(run.out, QByteArray());
}

void tst_Cli::stdinLines_data()
{
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<QStringList>("extraArgs");
    QTest::addColumn<QStringList>("texts");
    QTest::addColumn<int>("closeCode");

    QTest::addRow("lines, CRLF, empty line, no final newline")
        << QByteArray("one\ntwo\r\n\nthree") << QStringList()
        << QStringList { QStringLiteral("one"), QStringLiteral("two"), QString(), QStringLiteral("three") } << 1000;
    QTest::addRow("after --send, closed with --close")
        << QByteArray("l1\nl2\n")
        << QStringList { QStringLiteral("--send"), QStringLiteral("first"), QStringLiteral("--close"),
               QStringLiteral("4001:eof") }
        << QStringList { QStringLiteral("first"), QStringLiteral("l1"), QStringLiteral("l2") } << 4001;
    QTest::addRow("utf-8") << QByteArray("h\xc3\xa9llo\n") << QStringList()
                           << QStringList { QStringLiteral("h\u00e9llo") } << 1000;
}

void tst_Cli::stdinLines()
{
    QFETCH(QByteArray, input);
    QFETCH(QStringList, extraArgs);
    QFETCH(QStringList, texts);
    QFETCH(int, closeCode);

    const CliRun run = runCli(QStringList { QStringLiteral("--stdin"), QStringLiteral("--format"),
                                  QStringLiteral("jsonl"), urlFor(m_echoPort) }
            + extraArgs,
        60'000, input);
    QVERIFY2(run.exitCode == 0, qPrintable(run.describe()));
    QStringList sent;
    QStringList echoed;
    for (const QJsonObject &o : run.frames("out")) {
        if (o.value(QStringLiteral("type")) == QLatin1String("text"))
            sent << o.value(QStringLiteral("text")).toString();
    }
    for (const QJsonObject &o : run.frames("in")) {
        if (o.value(QStringLiteral("type")) == QLatin1String("text"))
            echoed << o.value(QStringLiteral("text")).toString();
    }
    QCOMPARE(sent, texts);
    QCOMPARE(echoed, texts);
    const QList<QJsonObject> out = run.frames("out");
    QCOMPARE(out.last().value(QStringLiteral("type")).toString(), QStringLiteral("close"));
    QCOMPARE(out.last().value(QStringLiteral("close_code")).toInt(), closeCode);
}

void tst_Cli::interruptClosesCleanly_data()
{
    QTest::addColumn<int>("signalNumber");
    QTest::addRow("SIGINT") << int(SIGINT);
    QTest::addRow("SIGTERM") << int(SIGTERM);
}

void tst_Cli::interruptClosesCleanly()
{
    QFETCH(int, signalNumber);
    QProcess process;
    process.start(QStringLiteral(WSI_CLI_PATH),
        { QStringLiteral("--format"), QStringLiteral("jsonl"), urlFor(m_echoPort), QStringLiteral("--send"),
            QStringLiteral("still here") });
    QVERIFY(process.waitForStarted());
    QByteArray out;
    // Without --close the client stays open; the echo shows it is.
    QVERIFY2(waitForOutput(process, out, "\"dir\":\"in\",\"kind\":\"frame\""), out.constData());
    ::kill(pid_t(process.processId()), signalNumber);
    QVERIFY(process.waitForFinished(10'000));
    out += process.readAllStandardOutput();
    QCOMPARE(process.exitStatus(), QProcess::NormalExit);
    QVERIFY2(process.exitCode() == 0, out.constData());
    QVERIFY(process.readAllStandardError().startsWith("wsinspector-cli: closing with 1000 (Ctrl-C again to abort)"));
    CliRun run;
    run.out = out;
    QCOMPARE(run.frames("out").last().value(QStringLiteral("close_code")).toInt(), 1000);
    QCOMPARE(run.last("state").value(QStringLiteral("was_clean")).toBool(), true);
}

void tst_Cli::secondInterruptAborts()
{
    PeerProcess deaf;
    QVERIFY(
        deaf.start(PeerProcess::Runtime::Node, QStringLiteral("cli/peers/raw_server.js"), { QStringLiteral("deaf") }));
    const quint16 port = deaf.waitForPort();
    QVERIFY(port);
    QProcess process;
    process.start(QStringLiteral(WSI_CLI_PATH),
        { QStringLiteral("--format"), QStringLiteral("jsonl"), QStringLiteral("--close"), QStringLiteral("1000"),
            QStringLiteral("--close-timeout"), QStringLiteral("60000"), urlFor(port) });
    QVERIFY(process.waitForStarted());
    QByteArray out;
    QVERIFY2(waitForOutput(process, out, "\"state\":\"CLOSING\""), out.constData());
    ::kill(pid_t(process.processId()), SIGINT); // the close frame is already out: keep waiting
    QByteArray err;
    process.setReadChannel(QProcess::StandardError);
    while (!err.contains('\n') && process.waitForReadyRead(10'000))
        err += process.readAllStandardError();
    QCOMPARE(err, QByteArray("wsinspector-cli: waiting for the closing handshake (Ctrl-C again to abort)\n"));
    QCOMPARE(process.state(), QProcess::Running);
    ::kill(pid_t(process.processId()), SIGINT);
    QVERIFY(process.waitForFinished(10'000));
    QCOMPARE(process.exitCode(), 3);
    out += process.readAllStandardOutput();
    CliRun run;
    run.out = out;
    const QJsonObject closed = run.last("state");
    QCOMPARE(closed.value(QStringLiteral("state")).toString(), QStringLiteral("CLOSED"));
    QCOMPARE(closed.value(QStringLiteral("close_code")).toInt(), 1006);
    QCOMPARE(closed.value(QStringLiteral("was_clean")).toBool(), false);
    QVERIFY(process.readAllStandardError().startsWith("wsinspector-cli: aborting\n"));
}

QTEST_GUILESS_MAIN(tst_Cli)
#include "tst_cli.moc"
