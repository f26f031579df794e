#include "protocol/relayhandshake.h"

#include <QTest>

class tst_RelayHandshake : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void upstreamUrl_data();
    void upstreamUrl();
    void targetThatIsNoPath_data();
    void targetThatIsNoPath();
    void forwardRequest_data();
    void forwardRequest();
    void errorResponseParses();
    void changesListed();
    void connectAuthority_data();
    void connectAuthority();
};

void tst_RelayHandshake::upstreamUrl_data()
{
    QTest::addColumn<QString>("to");
    QTest::addColumn<QByteArray>("target");
    QTest::addColumn<QString>("expected");
    QTest::addRow("root maps to the URL itself") << QStringLiteral("ws://example.com:9000/socket") << QByteArray("/")
                                                 << QStringLiteral("ws://example.com:9000/socket");
    QTest::addRow("path appended") << QStringLiteral("ws://example.com/api") << QByteArray("/chat/room1")
                                   << QStringLiteral("ws://example.com/api/chat/room1");
    QTest::addRow("no double slash") << QStringLiteral("wss://example.com/api/") << QByteArray("/chat")
                                     << QStringLiteral("wss://example.com/api/chat");
    QTest::addRow("empty base path") << QStringLiteral("ws://127.0.0.1:8080") << QByteArray("/chat?x=1")
                                     << QStringLiteral("ws://127.0.0.1:8080/chat?x=1");
    QTest::addRow("queries joined") << QStringLiteral("ws://h/s?token=abc") << QByteArray("/?room=2&x")
                                    << QStringLiteral("ws://h/s?token=abc&room=2&x");
    QTest::addRow("base query kept") << QStringLiteral("ws://h/s?token=abc") << QByteArray("/more")
                                     << QStringLiteral("ws://h/s/more?token=abc");
    QTest::addRow("encoded bytes stay encoded")
        << QStringLiteral("ws://h/") << QByteArray("/a%20b?q=%E2%82%AC") << QStringLiteral("ws://h/a%20b?q=%E2%82%AC");
}

void tst_RelayHandshake::upstreamUrl()
{
    QFETCH(QString, to);
    QFETCH(QByteArray, target);
    QFETCH(QString, expected);
    QString error;
    const auto url = RelayHandshake::upstreamUrl(QUrl(to), target, &error);
    QVERIFY2(url, qPrintable(error));
    QCOMPARE(url->toString(QUrl::FullyEncoded), expected);
}

void tst_RelayHandshake::targetThatIsNoPath_data()
{
    QTest::addColumn<QByteArray>("target");
    QTest::addRow("asterisk") << QByteArray("*");
    QTest::addRow("absolute form") << QByteArray("http://other.example/");
    QTest::addRow("authority form") << QByteArray("other.example:443");
}

void tst_RelayHandshake::targetThatIsNoPath()
{
    QFETCH(QByteArray, target);
    QString error;
    QVERIFY(!RelayHandshake::upstreamUrl(QUrl(QStringLiteral("ws://h/")), target, &error));
    QCOMPARE(error,
        QStringLiteral("request target %1 is not a path; a relay takes requests for paths like /chat")
            .arg(QString::fromLatin1(target)));
}

void tst_RelayHandshake::forwardRequest_data()
{
    QTest::addColumn<QByteArray>("request");
    QTest::addColumn<QString>("upstream");
    QTest::addColumn<QByteArray>("origin");
    QTest::addColumn<QByteArray>("expected");
    QTest::addColumn<bool>("dropExtensions");

    const QByteArray browser = "GET /chat?x=1 HTTP/1.1\r\n"
                               "Host: 127.0.0.1:8765\r\n"
                               "Connection: Upgrade\r\n"
                               "Upgrade: websocket\r\n"
                               "Origin: http://127.0.0.1:8765\r\n"
                               "Sec-WebSocket-Version: 13\r\n"
                               "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                               "Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits\r\n"
                               "X-Odd:   spacing kept  \r\n"
                               "\r\n";
    QTest::addRow("host rewritten, the rest byte-exact")
        << browser << QStringLiteral("wss://echo.example/base/chat?x=1") << QByteArray()
        << QByteArray("GET /base/chat?x=1 HTTP/1.1\r\n"
                      "Host: echo.example\r\n"
                      "Connection: Upgrade\r\n"
                      "Upgrade: websocket\r\n"
                      "Origin: http://127.0.0.1:8765\r\n"
                      "Sec-WebSocket-Version: 13\r\n"
                      "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                      "Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits\r\n"
                      "X-Odd:   spacing kept  \r\n"
                      "\r\n") << false;
    QTest::addRow("origin replaced") << browser << QStringLiteral("ws://10.0.0.2:9001/chat?x=1")
                                     << QByteArray("https://app.example")
                                     << QByteArray(
                                            "GET /chat?x=1 HTTP/1.1\r\n"
                                            "Host: 10.0.0.2:9001\r\n"
                                            "Connection: Upgrade\r\n"
                                            "Upgrade: websocket\r\n"
                                            "Origin: https://app.example\r\n"
                                            "Sec-WebSocket-Version: 13\r\n"
                                            "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                                            "Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits\r\n"
                                            "X-Odd:   spacing kept  \r\n"
                                            "\r\n") << false;
    QTest::addRow("origin added after host, header case kept")
        << QByteArray("GET / HTTP/1.1\r\nhost: a\r\nupgrade: websocket\r\n\r\n") << QStringLiteral("ws://[::1]:81/")
        << QByteArray("null")
        << QByteArray("GET / HTTP/1.1\r\nhost: [::1]:81\r\nOrigin: null\r\nupgrade: websocket\r\n\r\n") << false;
    QTest::addRow("no host at all: origin before the blank line")
        << QByteArray("GET / HTTP/1.0\nUpgrade: websocket\n\n") << QStringLiteral("ws://b/") << QByteArray("o")
        << QByteArray("GET / HTTP/1.0\r\nUpgrade: websocket\nOrigin: o\r\n\n") << false;
    QTest::addRow("repeated origin replaced once")
        << QByteArray("GET / HTTP/1.1\r\nOrigin: a\r\nHost: x\r\nOrigin: b\r\n\r\n") << QStringLiteral("ws://b/")
        << QByteArray("o") << QByteArray("GET / HTTP/1.1\r\nOrigin: o\r\nHost: b\r\n\r\n") << false;
    QTest::addRow("header named like host is not host")
        << QByteArray("GET / HTTP/1.1\r\nHostname: x\r\nHost: y\r\n\r\n") << QStringLiteral("ws://b:80/")
        << QByteArray() << QByteArray("GET / HTTP/1.1\r\nHostname: x\r\nHost: b\r\n\r\n") << false;
    QTest::addRow("extensions left out") << browser << QStringLiteral("ws://h/chat?x=1") << QByteArray()
                                         << QByteArray("GET /chat?x=1 HTTP/1.1\r\n"
                                                       "Host: h\r\n"
                                                       "Connection: Upgrade\r\n"
                                                       "Upgrade: websocket\r\n"
                                                       "Origin: http://127.0.0.1:8765\r\n"
                                                       "Sec-WebSocket-Version: 13\r\n"
                                                       "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                                                       "X-Odd:   spacing kept  \r\n"
                                                       "\r\n")
                                         << true;
}

void tst_RelayHandshake::forwardRequest()
{
    QFETCH(QByteArray, request);
    QFETCH(QString, upstream);
    QFETCH(QByteArray, origin);
    QFETCH(bool, dropExtensions);
    RequestParser parser;
    QCOMPARE(parser.feed(request), RequestParser::Status::Complete);
    const QByteArray forwarded
        = RelayHandshake::forwardRequest(parser.request(), QUrl(upstream), origin, dropExtensions);
    QTEST(forwarded, "expected");
    // What the server receives is a request it can read.
    RequestParser again;
    QCOMPARE(again.feed(forwarded), RequestParser::Status::Complete);
}

void tst_RelayHandshake::errorResponseParses()
{
    const QByteArray bytes = RelayHandshake::errorResponse(502, QStringLiteral("connection refused by h:1"));
    ResponseParser parser;
    QCOMPARE(parser.feed(bytes), ResponseParser::Status::Complete);
    QCOMPARE(parser.response().status, 502);
    QCOMPARE(parser.response().reason, QByteArray("Bad Gateway"));
    QCOMPARE(parser.response().body, QByteArray("connection refused by h:1\n"));
    QCOMPARE(HttpHeaderList::value(parser.response().headers, "connection"), QByteArray("close"));
}

void tst_RelayHandshake::changesListed()
{
    RequestParser app, forwarded;
    QCOMPARE(app.feed("GET /chat HTTP/1.1\r\nHost: 127.0.0.1:8081\r\nOrigin: http://a\r\nX-Same: 1\r\n\r\n"),
        RequestParser::Status::Complete);
    const QByteArray sent = RelayHandshake::forwardRequest(
        app.request(), QUrl(QStringLiteral("wss://example.org/base/chat")), "https://b");
    QCOMPARE(forwarded.feed(sent), RequestParser::Status::Complete);
    const QList<RelayHandshake::Change> changes = RelayHandshake::requestChanges(app.request(), forwarded.request());
    QCOMPARE(changes.size(), 3);
    QCOMPARE(changes[0].what, QByteArray("request target"));
    QCOMPARE(changes[0].before, QByteArray("/chat"));
    QCOMPARE(changes[0].after, QByteArray("/base/chat"));
    QCOMPARE(changes[1].what, QByteArray("Host"));
    QCOMPARE(changes[1].after, QByteArray("example.org"));
    QCOMPARE(changes[2].what, QByteArray("Origin"));
    QCOMPARE(changes[2].before, QByteArray("http://a"));
    QCOMPARE(changes[2].after, QByteArray("https://b"));
    QVERIFY(RelayHandshake::requestChanges(app.request(), app.request()).isEmpty());
}

void tst_RelayHandshake::connectAuthority_data()
{
    QTest::addColumn<QByteArray>("target");
    QTest::addColumn<QString>("host"); // empty: refused
    QTest::addColumn<int>("port");
    QTest::addRow("name") << QByteArray("example.org:443") << QStringLiteral("example.org") << 443;
    QTest::addRow("ipv6") << QByteArray("[::1]:8080") << QStringLiteral("::1") << 8080;
    QTest::addRow("no port") << QByteArray("example.org") << QString() << 0;
    QTest::addRow("port 0") << QByteArray("example.org:0") << QString() << 0;
    QTest::addRow("port too big") << QByteArray("example.org:65536") << QString() << 0;
    QTest::addRow("userinfo") << QByteArray("user@example.org:443") << QString() << 0;
    // Found by fuzz_proxyrequest: QUrl takes NULs inside an IPv6 literal.
    QTest::addRow("NUL in ipv6") << QByteArray("[::1\0\0]:80", 10) << QString() << 0;
    QTest::addRow("not ASCII") << QByteArray("\xc3\xa9x.test:443") << QString() << 0; // a certificate name is ASCII
}

void tst_RelayHandshake::connectAuthority()
{
    QFETCH(QByteArray, target);
    QFETCH(QString, host);
    QFETCH(int, port);
    QString error;
    const auto authority = RelayHandshake::connectAuthority(target, &error);
    QCOMPARE(bool(authority), !host.isEmpty());
    if (authority) {
        QCOMPARE(authority->host, host);
        QCOMPARE(int(authority->port), port);
    } else {
        QVERIFY(error.startsWith(QStringLiteral("CONNECT target ")));
    }
}

QTEST_GUILESS_MAIN(tst_RelayHandshake)
#include "tst_relayhandshake.moc"
