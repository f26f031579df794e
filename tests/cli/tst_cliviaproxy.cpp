// wsinspector-cli through real proxies: Debian's tinyproxy (HTTP CONNECT with Basic
// authentication) and microsocks (SOCKS5 with user name and password), to node-ws. Each engine
// reaches the server through them, the proxy's own log shows the tunnel, wrong or missing
// credentials fail with what the proxy said, and the environment's proxy variables are followed
// (loopback servers and no_proxy hosts directly; --via-proxy none ignores them).

#include "clirun.h"
#include "peerprocess.h"
#include "proxypeers.h"

#include <QNetworkInterface>
#include <QTest>

class tst_CliViaProxy : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void cleanup();
    void throughHttpProxy_data();
    void throughHttpProxy();
    void throughSocks5_data();
    void throughSocks5();
    void proxyRefusals_data();
    void proxyRefusals();
    void environment();
    void loopbackIgnoresTheEnvironment();
    void unusableEnvironmentValue();
    void usageErrors_data();
    void usageErrors();

private:
    QStringList echoRun(const QString &url) const;
    static const QStringList ProxyVariables;

    PeerProcess m_node; // node-ws echo server on every address
    quint16 m_nodePort = 0;
    TinyProxy m_http;
    MicroSocks m_socks;
};

const QStringList tst_CliViaProxy::ProxyVariables { QStringLiteral("http_proxy"), QStringLiteral("https_proxy"),
    QStringLiteral("all_proxy"), QStringLiteral("no_proxy"), QStringLiteral("HTTP_PROXY"), QStringLiteral("HTTPS_PROXY"),
    QStringLiteral("ALL_PROXY"), QStringLiteral("NO_PROXY") };

void tst_CliViaProxy::initTestCase()
{
    QVERIFY(m_node.start(PeerProcess::Runtime::Node, QStringLiteral("cli/peers/ws_echo_server.js"), { QStringLiteral("0.0.0.0") }));
    m_nodePort = m_node.waitForPort();
    QVERIFY2(m_nodePort != 0, "node-ws echo server did not start");
    QVERIFY(m_http.start("alice", "s3cret"));
    QVERIFY(m_socks.start(QStringLiteral("bob"), QStringLiteral("p4ss")));
    cleanup(); // whatever the machine's shell exports does not decide these tests
}

void tst_CliViaProxy::cleanup()
{
    for (const QString &name : ProxyVariables)
        qunsetenv(name.toLatin1().constData());
}

// Sends "through the proxy", expects it back, closes: exit 0 when all of that crossed.
QStringList tst_CliViaProxy::echoRun(const QString &url) const
{
    return { url, QStringLiteral("--format"), QStringLiteral("jsonl"), QStringLiteral("--send"), QStringLiteral("through the proxy"),
             QStringLiteral("--expect"), QStringLiteral("^through the proxy$"), QStringLiteral("--close"), QStringLiteral("1000") };
}

// The state texts of a jsonl run, in order.
static QStringList stateTexts(const CliRun &run)
{
    QStringList texts;
    for (const QJsonObject &o : run.jsonLines())
        if (o.value(QStringLiteral("kind")) == QLatin1String("state"))
            texts << o.value(QStringLiteral("message")).toString();
    return texts;
}

void tst_CliViaProxy::throughHttpProxy_data()
{
    QTest::addColumn<QString>("engine");
    QTest::newRow("inspector") << "inspector";
    QTest::newRow("qt (its relay goes through the proxy)") << "qt";
}

void tst_CliViaProxy::throughHttpProxy()
{
    QFETCH(QString, engine);
    const QString url = QStringLiteral("ws://127.0.0.1:%1/").arg(m_nodePort);
    const CliRun run = runCli(echoRun(url) + QStringList { QStringLiteral("--engine"), engine, QStringLiteral("--via-proxy"),
                                                           QStringLiteral("http://alice:s3cret@127.0.0.1:%1").arg(m_http.port()) });
    // QWebSocket cuts the closing handshake short (exit 3, as without a proxy): what matters here is
    // that the echo came back through the tunnel.
    QVERIFY2(run.exitCode == (engine == QLatin1String("qt") ? 3 : 0), qPrintable(run.describe()));
    QCOMPARE(run.frames("in").value(0).value(QStringLiteral("text")).toString(), QStringLiteral("through the proxy"));
    const QString opened = QStringLiteral("tunnel to 127.0.0.1:%1 opened by the HTTP proxy 127.0.0.1:%2 as \"alice\": 200 ")
                               .arg(m_nodePort)
                               .arg(m_http.port());
    QVERIFY2(stateTexts(run).join(QLatin1Char('\n')).contains(opened), qPrintable(run.describe()));
    QVERIFY2(m_http.tunnelled("127.0.0.1:" + QByteArray::number(m_nodePort)), m_http.log().constData());
    QVERIFY(!run.out.contains("s3cret")); // the password is never recorded
}

void tst_CliViaProxy::throughSocks5_data()
{
    QTest::addColumn<QString>("scheme");
    QTest::addColumn<QString>("host");
    QTest::newRow("socks5, name looked up here") << "socks5" << "localhost";
    QTest::newRow("socks5h, by the proxy") << "socks5h" << "localhost";
    QTest::newRow("address") << "socks5" << "127.0.0.1";
}

void tst_CliViaProxy::throughSocks5()
{
    QFETCH(QString, scheme);
    QFETCH(QString, host);
    // The node server listens on 0.0.0.0: "localhost" reaches it as 127.0.0.1.
    const QString url = QStringLiteral("ws://%1:%2/").arg(host).arg(m_nodePort);
    const CliRun run = runCli(echoRun(url) + QStringList { QStringLiteral("--via-proxy"),
                                                           QStringLiteral("%1://bob:p4ss@127.0.0.1:%2").arg(scheme).arg(m_socks.port()) });
    QVERIFY2(run.exitCode == 0, qPrintable(run.describe()));
    QCOMPARE(run.frames("in").value(0).value(QStringLiteral("text")).toString(), QStringLiteral("through the proxy"));
    QVERIFY2(stateTexts(run).value(0).contains(QStringLiteral("through the SOCKS5 proxy 127.0.0.1:%1").arg(m_socks.port())),
             qPrintable(run.describe()));
}

void tst_CliViaProxy::proxyRefusals_data()
{
    QTest::addColumn<QString>("proxy"); // %1: the tinyproxy port, %2: microsocks's
    QTest::addColumn<QString>("target"); // %1: node's port
    QTest::addColumn<QString>("expected");
    QTest::newRow("http, no credentials") << "http://127.0.0.1:%1" << "ws://127.0.0.1:%1/"
                                          << "answered 407 Proxy Authentication Required: give a user name and password";
    QTest::newRow("http, wrong password") << "http://alice:nope@127.0.0.1:%1" << "ws://127.0.0.1:%1/"
                                          << "the user name and password were not accepted";
    QTest::newRow("http, server not reachable") << "http://alice:s3cret@127.0.0.1:%1" << "ws://127.0.0.1:1/"
                                                << "refused the tunnel to 127.0.0.1:1: 500 ";
    QTest::newRow("socks5, wrong password") << "socks5://bob:nope@127.0.0.1:%2" << "ws://127.0.0.1:%1/"
                                            << "did not accept the user name and password";
    QTest::newRow("socks5, no credentials") << "socks5://127.0.0.1:%2" << "ws://127.0.0.1:%1/"
                                            << "asks for a user name and password";
    QTest::newRow("socks5, server not reachable") << "socks5://bob:p4ss@127.0.0.1:%2" << "ws://127.0.0.1:1/"
                                                  << "connection to 127.0.0.1:1 refused through the SOCKS5 proxy";
    QTest::newRow("no proxy there") << "http://127.0.0.1:1" << "ws://127.0.0.1:%1/"
                                    << "connection refused by the HTTP proxy 127.0.0.1:1 (is it running?)";
}

void tst_CliViaProxy::proxyRefusals()
{
    QFETCH(QString, proxy);
    QFETCH(QString, target);
    QFETCH(QString, expected);
    const QString proxyUrl = QString(proxy).replace(QLatin1String("%1"), QString::number(m_http.port()))
                                 .replace(QLatin1String("%2"), QString::number(m_socks.port()));
    const CliRun run = runCli({ QString(target).replace(QLatin1String("%1"), QString::number(m_nodePort)), QStringLiteral("--via-proxy"), proxyUrl, QStringLiteral("--send"), QStringLiteral("x") });
    QVERIFY2(run.exitCode == 1, qPrintable(run.describe()));
    QVERIFY2(run.err.contains(expected.toUtf8()), qPrintable(run.describe()));
    QVERIFY2(run.out.contains(expected.toUtf8()), qPrintable(run.describe())); // recorded in the log too
    QVERIFY(!run.err.contains("nope") && !run.out.contains("nope"));
}

void tst_CliViaProxy::environment()
{
    // A server the environment's proxy applies to: this machine by one of its non-loopback addresses.
    QString address;
    for (const QHostAddress &a : QNetworkInterface::allAddresses())
        if (a.protocol() == QAbstractSocket::IPv4Protocol && !a.isLoopback() && !a.isLinkLocal())
            address = a.toString();
    if (address.isEmpty())
        QSKIP("this machine has no non-loopback IPv4 address to reach node-ws by");
    const QString url = QStringLiteral("ws://%1:%2/").arg(address).arg(m_nodePort);
    const QByteArray authority = address.toLatin1() + ':' + QByteArray::number(m_nodePort);

    qputenv("http_proxy", QStringLiteral("http://alice:s3cret@127.0.0.1:%1").arg(m_http.port()).toLatin1());
    qputenv("https_proxy", "http://127.0.0.1:1"); // wss:// only: not this one
    CliRun run = runCli(echoRun(url));
    QVERIFY2(run.exitCode == 0, qPrintable(run.describe()));
    QVERIFY2(m_http.tunnelled(authority), m_http.log().constData());
    QVERIFY2(stateTexts(run).value(0).contains(QLatin1String("through the HTTP proxy")), qPrintable(run.describe()));

    // no_proxy names the server: directly, though the proxy variable says otherwise.
    qputenv("http_proxy", "http://127.0.0.1:1");
    qputenv("no_proxy", "example.org, " + address.toLatin1());
    run = runCli(echoRun(url));
    QVERIFY2(run.exitCode == 0, qPrintable(run.describe()));
    QVERIFY2(!stateTexts(run).value(0).contains(QLatin1String("proxy")), qPrintable(run.describe()));

    // --via-proxy none: directly, whatever the environment says.
    qunsetenv("no_proxy");
    run = runCli(echoRun(url) + QStringList { QStringLiteral("--via-proxy"), QStringLiteral("none") });
    QVERIFY2(run.exitCode == 0, qPrintable(run.describe()));

    // And without it the dead proxy named is used, and says so.
    run = runCli(echoRun(url));
    QVERIFY2(run.exitCode == 1, qPrintable(run.describe()));
    QVERIFY2(run.err.contains("connection refused by the HTTP proxy 127.0.0.1:1"), qPrintable(run.describe()));
}

void tst_CliViaProxy::loopbackIgnoresTheEnvironment()
{
    qputenv("all_proxy", "socks5://127.0.0.1:1"); // nothing listens there
    const CliRun run = runCli(echoRun(QStringLiteral("ws://127.0.0.1:%1/").arg(m_nodePort)));
    QVERIFY2(run.exitCode == 0, qPrintable(run.describe()));
    QVERIFY2(!stateTexts(run).value(0).contains(QLatin1String("proxy")), qPrintable(run.describe()));
}

void tst_CliViaProxy::unusableEnvironmentValue()
{
    qputenv("HTTPS_PROXY", "socks4://proxy.example:1080");
    const CliRun run = runCli(echoRun(QStringLiteral("wss://example.org/")));
    QVERIFY2(run.exitCode == 1, qPrintable(run.describe()));
    QVERIFY2(run.err.contains("the environment's HTTPS_PROXY: \"socks4://proxy.example:1080\": SOCKS4 is not supported"),
             qPrintable(run.describe()));
}

void tst_CliViaProxy::usageErrors_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QString>("expected");
    QTest::newRow("https proxy") << QStringList { QStringLiteral("--via-proxy"), QStringLiteral("https://p:443"), QStringLiteral("ws://h/") }
                                 << "--via-proxy: \"https://p:443\": a proxy reached over TLS";
    QTest::newRow("unknown scheme") << QStringList { QStringLiteral("--via-proxy"), QStringLiteral("gopher://p"), QStringLiteral("ws://h/") }
                                    << "--via-proxy: \"gopher://p\": unknown proxy scheme";
    QTest::newRow("with --serve") << QStringList { QStringLiteral("--serve"), QStringLiteral("0"), QStringLiteral("--via-proxy"),
                                                   QStringLiteral("http://p:1") }
                                  << "--via-proxy is a client option; it cannot be used with --serve";
}

void tst_CliViaProxy::usageErrors()
{
    QFETCH(QStringList, args);
    QFETCH(QString, expected);
    const CliRun run = runCli(args);
    QVERIFY2(run.exitCode == 2, qPrintable(run.describe()));
    QVERIFY2(run.err.contains(expected.toUtf8()), qPrintable(run.describe()));
}

QTEST_GUILESS_MAIN(tst_CliViaProxy)
#include "tst_cliviaproxy.moc"
