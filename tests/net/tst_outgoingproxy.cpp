// The proxy an outgoing connection goes through: proxy URLs as curl and the environment write
// them (and the ones refused, with why), the environment's choice for each server (https_proxy,
// http_proxy, all_proxy, no_proxy, loopback always direct), and the CONNECT exchange with an HTTP
// proxy byte for byte, with what each of its answers means.

#include "net/httpproxytunnel.h"
#include "net/outgoingproxy.h"

#include <QTest>

class tst_OutgoingProxy : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void fromUrl_data();
    void fromUrl();
    void refusedUrls_data();
    void refusedUrls();
    void descriptionNeverHasThePassword();
    void environment_data();
    void environment();
    void environmentValueUnusable();
    void bypasses_data();
    void bypasses();
    void connectRequest_data();
    void connectRequest();
    void tunnelOpensOnA2xxAnswerFedInPieces();
    void bytesAfterTheAnswerAreLeftOver();
    void refusals_data();
    void refusals();
    void proxyClosingEarly();
};

void tst_OutgoingProxy::fromUrl_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<int>("kind");
    QTest::addColumn<QString>("host");
    QTest::addColumn<int>("port");
    QTest::addColumn<QString>("user");
    QTest::addColumn<QString>("password");
    QTest::addColumn<bool>("proxyResolves");
    const int http = int(OutgoingProxy::Kind::Http), socks = int(OutgoingProxy::Kind::Socks5);
    QTest::newRow("http") << "http://proxy.corp:3128" << http << "proxy.corp" << 3128 << "" << "" << true;
    QTest::newRow("no scheme is http") << "10.0.0.1:8080" << http << "10.0.0.1" << 8080 << "" << "" << true;
    QTest::newRow("no port is 1080") << "http://proxy.corp" << http << "proxy.corp" << 1080 << "" << "" << true;
    QTest::newRow("credentials, percent-encoded") << "http://al%40ice:p%3Ass@proxy:3128" << http << "proxy" << 3128
                                                  << "al@ice" << "p:ss" << true;
    QTest::newRow("trailing slash") << "http://proxy:3128/" << http << "proxy" << 3128 << "" << "" << true;
    QTest::newRow("socks5 looks names up here") << "socks5://127.0.0.1:1080" << socks << "127.0.0.1" << 1080 << "" << ""
                                                << false;
    QTest::newRow("socks5h lets the proxy") << "SOCKS5H://u:p@[::1]:9050" << socks << "::1" << 9050 << "u" << "p" << true;
}

void tst_OutgoingProxy::fromUrl()
{
    QFETCH(QString, text);
    QString error;
    const auto proxy = OutgoingProxy::fromUrl(text, &error);
    QVERIFY2(proxy, qPrintable(error));
    QFETCH(int, kind);
    QFETCH(QString, host);
    QFETCH(int, port);
    QFETCH(QString, user);
    QFETCH(QString, password);
    QFETCH(bool, proxyResolves);
    QCOMPARE(int(proxy->kind), kind);
    QCOMPARE(proxy->host, host);
    QCOMPARE(int(proxy->port), port);
    QCOMPARE(proxy->user, user);
    QCOMPARE(proxy->password, password);
    QCOMPARE(proxy->proxyResolvesNames, proxyResolves);
    QCOMPARE(proxy->tunnelsHere(), kind == int(OutgoingProxy::Kind::Http));
    if (!proxy->tunnelsHere()) {
        const QNetworkProxy qt = proxy->networkProxy();
        QCOMPARE(qt.type(), QNetworkProxy::Socks5Proxy);
        QCOMPARE(qt.hostName(), host);
        QCOMPARE(int(qt.port()), port);
        QCOMPARE(qt.user(), user);
        QCOMPARE(qt.password(), password);
        QCOMPARE(bool(qt.capabilities() & QNetworkProxy::HostNameLookupCapability), proxyResolves);
    }
}

void tst_OutgoingProxy::refusedUrls_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("expected"); // a part of the error
    QTest::newRow("empty") << "  " << "no proxy given";
    QTest::newRow("https") << "https://user:secret@proxy:443" << "TLS inside TLS";
    QTest::newRow("socks4") << "socks4://proxy:1080" << "SOCKS4 is not supported";
    QTest::newRow("unknown scheme") << "ftp://proxy:21" << "unknown proxy scheme \"ftp\"";
    QTest::newRow("no host") << "http://:3128" << "names no proxy host";
    QTest::newRow("port 0") << "http://proxy:0" << "port 0";
    QTest::newRow("path") << "http://proxy:3128/wpad.dat" << "no path or query";
    QTest::newRow("bad port") << "http://proxy:99999" << "is not a proxy URL";
    QTest::newRow("bad port, with a password") << "http://user:secret@proxy:99999" << "\"http://user:***@proxy:99999\" is not a proxy URL";
    QTest::newRow("bad escape, with a password, no scheme") << "user:secret@proxy:3128/%zz" << "is not a proxy URL";
}

void tst_OutgoingProxy::refusedUrls()
{
    QFETCH(QString, text);
    QFETCH(QString, expected);
    QString error;
    QVERIFY(!OutgoingProxy::fromUrl(text, &error));
    QVERIFY2(error.contains(expected), qPrintable(error));
    QVERIFY2(!error.contains(QLatin1String("secret")), qPrintable(error)); // a password is never repeated
}

void tst_OutgoingProxy::descriptionNeverHasThePassword()
{
    const auto proxy = OutgoingProxy::fromUrl(QStringLiteral("http://alice:s3cret@10.1.2.3:3128"), nullptr);
    QVERIFY(proxy);
    QCOMPARE(proxy->description(), QStringLiteral("HTTP proxy 10.1.2.3:3128 as \"alice\""));
    QCOMPARE(proxy->urlWithoutPassword(), QStringLiteral("http://alice@10.1.2.3:3128"));
    const auto socks = OutgoingProxy::fromUrl(QStringLiteral("socks5://[fd00::1]:1080"), nullptr);
    QVERIFY(socks);
    QCOMPARE(socks->description(), QStringLiteral("SOCKS5 proxy [fd00::1]:1080 (server names looked up here)"));
}

void tst_OutgoingProxy::environment_data()
{
    QTest::addColumn<QByteArrayList>("variables"); // NAME=value
    QTest::addColumn<QString>("target");
    QTest::addColumn<QString>("expected"); // the proxy's host:port, or "direct"
    const QByteArrayList all { "https_proxy=http://secure:1", "http_proxy=http://plain:2", "all_proxy=socks5://any:3" };
    QTest::newRow("wss uses https_proxy") << all << "wss://example.org/" << "secure:1";
    QTest::newRow("ws uses http_proxy") << all << "ws://example.org/" << "plain:2";
    QTest::newRow("all_proxy otherwise") << QByteArrayList { "all_proxy=socks5h://any:3" } << "wss://example.org/" << "any:3";
    QTest::newRow("upper case") << QByteArrayList { "HTTPS_PROXY=http://upper:4" } << "wss://example.org/" << "upper:4";
    QTest::newRow("lower case first") << QByteArrayList { "HTTPS_PROXY=http://upper:4", "https_proxy=http://lower:5" }
                                      << "wss://example.org/" << "lower:5";
    QTest::newRow("empty value is unset") << QByteArrayList { "https_proxy=", "all_proxy=http://any:3" }
                                          << "wss://example.org/" << "any:3";
    QTest::newRow("nothing set") << QByteArrayList {} << "wss://example.org/" << "direct";
    QTest::newRow("localhost is direct") << all << "ws://localhost:8080/" << "direct";
    QTest::newRow("127.0.0.2 is direct") << all << "ws://127.0.0.2:8080/" << "direct";
    QTest::newRow("::1 is direct") << all << "ws://[::1]:8080/" << "direct";
    QTest::newRow("a.localhost is direct") << all << "ws://app.localhost/" << "direct";
    QTest::newRow("no_proxy domain") << all + QByteArrayList { "no_proxy=corp.example,.internal" } << "wss://ws.corp.example/"
                                     << "direct";
    QTest::newRow("no_proxy not a suffix of a word") << all + QByteArrayList { "no_proxy=corp.example" }
                                                     << "wss://notcorp.example/" << "secure:1";
    QTest::newRow("NO_PROXY upper case") << all + QByteArrayList { "NO_PROXY=10.0.0.0/8" } << "ws://10.2.3.4/" << "direct";
    QTest::newRow("no_proxy star") << all + QByteArrayList { "no_proxy=*" } << "wss://example.org/" << "direct";
}

void tst_OutgoingProxy::environment()
{
    QFETCH(QByteArrayList, variables);
    QFETCH(QString, target);
    QFETCH(QString, expected);
    QProcessEnvironment environment;
    for (const QByteArray &variable : std::as_const(variables)) {
        const qsizetype equals = variable.indexOf('=');
        environment.insert(QString::fromLatin1(variable.left(equals)), QString::fromLatin1(variable.mid(equals + 1)));
    }
    ProxySetting setting; // the environment's, by default
    QString problem;
    const auto proxy = setting.proxyFor(QUrl(target), &problem, environment);
    QVERIFY2(problem.isEmpty(), qPrintable(problem));
    QCOMPARE(proxy ? QStringLiteral("%1:%2").arg(proxy->host).arg(proxy->port) : QStringLiteral("direct"), expected);

    // A fixed proxy applies to every server, loopback too; none means none.
    setting.source = ProxySetting::Source::Fixed;
    setting.fixed = *OutgoingProxy::fromUrl(QStringLiteral("http://fixed:9"), nullptr);
    QCOMPARE(setting.proxyFor(QUrl(target), &problem, environment)->host, QStringLiteral("fixed"));
    setting.source = ProxySetting::Source::Direct;
    QVERIFY(!setting.proxyFor(QUrl(target), &problem, environment));
}

void tst_OutgoingProxy::environmentValueUnusable()
{
    QProcessEnvironment environment;
    environment.insert(QStringLiteral("HTTPS_PROXY"), QStringLiteral("https://proxy:443"));
    QString problem;
    QVERIFY(!ProxySetting().proxyFor(QUrl(QStringLiteral("wss://example.org/")), &problem, environment));
    QVERIFY2(problem.startsWith(QLatin1String("the environment's HTTPS_PROXY: ")), qPrintable(problem));
    QVERIFY2(problem.contains(QLatin1String("TLS inside TLS")), qPrintable(problem));
    // A value Qt cannot parse is quoted without its password.
    environment.insert(QStringLiteral("HTTPS_PROXY"), QStringLiteral("http://alice:s3cret@proxy.corp:3128/%zz"));
    QVERIFY(!ProxySetting().proxyFor(QUrl(QStringLiteral("wss://example.org/")), &problem, environment));
    QVERIFY2(problem.contains(QLatin1String("alice:***@proxy.corp")) && !problem.contains(QLatin1String("s3cret")), qPrintable(problem));
}

void tst_OutgoingProxy::bypasses_data()
{
    QTest::addColumn<QString>("noProxy");
    QTest::addColumn<QString>("host");
    QTest::addColumn<int>("port");
    QTest::addColumn<bool>("bypassed");
    QTest::newRow("exact name") << "example.org" << "example.org" << 443 << true;
    QTest::newRow("subdomain") << "example.org" << "ws.example.org" << 443 << true;
    QTest::newRow("leading dot") << ".example.org" << "ws.example.org" << 443 << true;
    QTest::newRow("leading dot, the domain itself") << ".example.org" << "example.org" << 443 << true;
    QTest::newRow("star dot") << "*.example.org" << "a.b.example.org" << 443 << true;
    QTest::newRow("case") << "EXAMPLE.org" << "Ws.Example.ORG" << 443 << true;
    QTest::newRow("another domain") << "example.org" << "example.com" << 443 << false;
    QTest::newRow("spaces and commas") << " a.test ,  b.test c.test" << "c.test" << 80 << true;
    QTest::newRow("IPv4") << "192.0.2.7" << "192.0.2.7" << 80 << true;
    QTest::newRow("IPv4 other") << "192.0.2.7" << "192.0.2.8" << 80 << false;
    QTest::newRow("CIDR") << "192.0.2.0/24" << "192.0.2.200" << 80 << true;
    QTest::newRow("CIDR outside") << "192.0.2.0/24" << "192.0.3.1" << 80 << false;
    QTest::newRow("IPv6") << "fd00::1" << "fd00::1" << 80 << true;
    QTest::newRow("IPv6 CIDR") << "fd00::/8" << "fd12::5" << 80 << true;
    QTest::newRow("name entry does not match an address") << "example.org" << "192.0.2.1" << 80 << false;
    QTest::newRow("port matches") << "example.org:8443" << "example.org" << 8443 << true;
    QTest::newRow("port differs") << "example.org:8443" << "example.org" << 443 << false;
    QTest::newRow("bracketed IPv6 with port") << "[fd00::1]:8080" << "fd00::1" << 8080 << true;
    QTest::newRow("empty list") << "" << "example.org" << 443 << false;
    QTest::newRow("trailing dot") << "example.org" << "ws.example.org." << 443 << true;
    QTest::newRow("international name, entry in ASCII") << "xn--bcher-kva.example" << QStringLiteral("bücher.example") << 443 << true;
    QTest::newRow("international name, entry in Unicode") << QStringLiteral("bücher.example") << "xn--bcher-kva.example" << 443 << true;
}

void tst_OutgoingProxy::bypasses()
{
    QFETCH(QString, noProxy);
    QFETCH(QString, host);
    QFETCH(int, port);
    QFETCH(bool, bypassed);
    QCOMPARE(ProxySetting::bypasses(noProxy, host, quint16(port)), bypassed);
}

void tst_OutgoingProxy::connectRequest_data()
{
    QTest::addColumn<QString>("proxy");
    QTest::addColumn<QString>("host");
    QTest::addColumn<int>("port");
    QTest::addColumn<QByteArray>("expected");
    QTest::newRow("no credentials") << "http://p:3128" << "example.org" << 443
                                    << QByteArray("CONNECT example.org:443 HTTP/1.1\r\nHost: example.org:443\r\n\r\n");
    // base64("alice:s3cret") = YWxpY2U6czNjcmV0
    QTest::newRow("basic") << "http://alice:s3cret@p:3128" << "10.0.0.5" << 8080
                           << QByteArray("CONNECT 10.0.0.5:8080 HTTP/1.1\r\nHost: 10.0.0.5:8080\r\n"
                                         "Proxy-Authorization: Basic YWxpY2U6czNjcmV0\r\n\r\n");
    QTest::newRow("IPv6 bracketed") << "http://p" << "fd00::1" << 80
                                    << QByteArray("CONNECT [fd00::1]:80 HTTP/1.1\r\nHost: [fd00::1]:80\r\n\r\n");
    QTest::newRow("international name as ASCII") << "http://p" << QStringLiteral("bücher.example") << 443
                                                 << QByteArray("CONNECT xn--bcher-kva.example:443 HTTP/1.1\r\n"
                                                               "Host: xn--bcher-kva.example:443\r\n\r\n");
}

void tst_OutgoingProxy::connectRequest()
{
    QFETCH(QString, proxy);
    QFETCH(QString, host);
    QFETCH(int, port);
    QFETCH(QByteArray, expected);
    const HttpProxyTunnel tunnel(*OutgoingProxy::fromUrl(proxy, nullptr), host, quint16(port));
    QCOMPARE(tunnel.request(), expected);
}

void tst_OutgoingProxy::tunnelOpensOnA2xxAnswerFedInPieces()
{
    HttpProxyTunnel tunnel(*OutgoingProxy::fromUrl(QStringLiteral("http://p:3128"), nullptr), QStringLiteral("h"), 80);
    const QByteArray answer = "HTTP/1.1 200 Connection established\r\nProxy-agent: test\r\n\r\n";
    for (qsizetype i = 0; i + 1 < answer.size(); ++i)
        QCOMPARE(tunnel.feed(answer.sliced(i, 1)), HttpProxyTunnel::Status::NeedMore);
    QCOMPARE(tunnel.feed(answer.right(1)), HttpProxyTunnel::Status::Open);
    QVERIFY(tunnel.leftover().isEmpty());
    QVERIFY(tunnel.strayBytesText().isEmpty());
    QCOMPARE(tunnel.openedText(), QStringLiteral("tunnel to h:80 opened by the HTTP proxy p:3128: 200 Connection established"));
    // Once open, nothing more is the proxy's.
    QCOMPARE(tunnel.feed("HTTP/1.1 500 x\r\n\r\n"), HttpProxyTunnel::Status::Open);
}

void tst_OutgoingProxy::bytesAfterTheAnswerAreLeftOver()
{
    HttpProxyTunnel tunnel(*OutgoingProxy::fromUrl(QStringLiteral("http://p:3128"), nullptr), QStringLiteral("h"), 80);
    QCOMPARE(tunnel.feed("HTTP/1.0 200 OK\r\n"), HttpProxyTunnel::Status::NeedMore);
    QCOMPARE(tunnel.feed("\r\n\x16\x03\x01"), HttpProxyTunnel::Status::Open);
    QCOMPARE(tunnel.leftover(), QByteArray("\x16\x03\x01"));
    QCOMPARE(tunnel.strayBytesText(), QStringLiteral("3 byte(s) came through the tunnel before the client spoke: the answer of "
                                                     "the HTTP proxy p:3128 to CONNECT was not followed by the server's silence"));
}

void tst_OutgoingProxy::refusals_data()
{
    QTest::addColumn<QString>("proxy");
    QTest::addColumn<QByteArray>("answer");
    QTest::addColumn<QString>("expected");
    QTest::newRow("407 without credentials")
        << "http://p:1" << QByteArray("HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm=\"x\"\r\n\r\n")
        << "the HTTP proxy p:1 answered 407 Proxy Authentication Required: give a user name and password in the proxy URL "
           "(http://user:password@host:port)";
    QTest::newRow("407 with credentials")
        << "http://u:pw@p:1" << QByteArray("HTTP/1.1 407 Nope\r\nProxy-Authenticate: Basic realm=\"x\"\r\nContent-Length: 3\r\n\r\nabc")
        << "the HTTP proxy p:1 as \"u\" answered 407 Nope: the user name and password were not accepted";
    QTest::newRow("407 NTLM only")
        << "http://u:pw@p:1" << QByteArray("HTTP/1.1 407 Auth\r\nProxy-Authenticate: NTLM\r\nProxy-Authenticate: Negotiate\r\n\r\n")
        << "the HTTP proxy p:1 as \"u\" answered 407 Auth: it asks for NTLM, Negotiate authentication, which is not "
           "supported here (Basic is)";
    QTest::newRow("401 with credentials (tinyproxy)")
        << "http://u:pw@p:1" << QByteArray("HTTP/1.0 401 Unauthorized\r\n\r\n")
        << "the HTTP proxy p:1 as \"u\" answered 401 Unauthorized: the user name and password were not accepted";
    QTest::newRow("403")
        << "http://p:1" << QByteArray("HTTP/1.1 403 Forbidden\r\n\r\n") << "the HTTP proxy p:1 refused the tunnel to h:443: 403 Forbidden";
    QTest::newRow("reason with control bytes is shown safely")
        << "http://p:1" << QByteArray("HTTP/1.1 502 Bad\x1b[31mGateway\r\n\r\n")
        << "the HTTP proxy p:1 refused the tunnel to h:443: 502 Bad\\x1b[31mGateway";
    QTest::newRow("not HTTP")
        << "http://p:1" << QByteArray("SSH-2.0-OpenSSH_9.2\r\n\r\n") << "the HTTP proxy p:1 did not answer CONNECT in HTTP: ";
}

void tst_OutgoingProxy::refusals()
{
    QFETCH(QString, proxy);
    QFETCH(QByteArray, answer);
    QFETCH(QString, expected);
    HttpProxyTunnel tunnel(*OutgoingProxy::fromUrl(proxy, nullptr), QStringLiteral("h"), 443);
    QCOMPARE(tunnel.feed(answer), HttpProxyTunnel::Status::Refused);
    QVERIFY2(tunnel.refusal().startsWith(expected), qPrintable(tunnel.refusal()));
    QVERIFY(!tunnel.refusal().contains(QLatin1String("pw")));
}

void tst_OutgoingProxy::proxyClosingEarly()
{
    HttpProxyTunnel tunnel(*OutgoingProxy::fromUrl(QStringLiteral("http://p:3128"), nullptr), QStringLiteral("h"), 80);
    QCOMPARE(tunnel.endedEarlyText(), QStringLiteral("the HTTP proxy p:3128 closed the connection without answering CONNECT h:80"));
    tunnel.feed("HTTP/1.1 200");
    QCOMPARE(tunnel.endedEarlyText(),
             QStringLiteral("the HTTP proxy p:3128 closed the connection in the middle of its answer to CONNECT h:80"));
}

QTEST_GUILESS_MAIN(tst_OutgoingProxy)
#include "tst_outgoingproxy.moc"
