#include "protocol/handshake.h"

#include <QRandomGenerator>
#include <QTest>

namespace {

constexpr QByteArrayView RfcKey = "dGhlIHNhbXBsZSBub25jZQ==";
constexpr QByteArrayView RfcAccept = "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=";

enum class Split { Whole, ByteByByte, Random };

// Everything a ResponseParser reports, so that different ways of feeding can be compared at once.
struct Outcome {
    ResponseParser::Status status = ResponseParser::Status::NeedMore;
    QString error;
    qsizetype consumed = 0;
    QByteArray version, reason, body, raw;
    int code = 0;
    QList<QByteArray> headers; // "name=value"

    bool operator==(const Outcome &) const = default;
};

char *toString(const Outcome &o)
{
    QByteArray text = "status " + QByteArray::number(int(o.status)) + ", error \"" + o.error.toUtf8() + "\", consumed "
        + QByteArray::number(o.consumed) + ", code " + QByteArray::number(o.code) + ", raw " + o.raw.toHex(' ');
    return qstrdup(text.constData());
}

Outcome outcomeOf(const ResponseParser &parser, ResponseParser::Status status)
{
    Outcome o;
    o.status = status;
    o.error = parser.errorString();
    o.consumed = parser.consumed();
    const HttpResponse &r = parser.response();
    o.version = r.version;
    o.code = r.status;
    o.reason = r.reason;
    o.body = r.body;
    o.raw = r.raw;
    for (const HttpHeader &h : r.headers)
        o.headers.append(h.name + '=' + h.value);
    return o;
}

// Feeds `bytes` in the given way, stopping at Complete or Error as a client engine does; then
// calls finish() if asked and the parser still wants more.
Outcome parse(QByteArrayView bytes, Split split, bool finish = false, quint32 seed = 1, qsizetype maxHeader = 16 * 1024,
    qsizetype maxBody = 64 * 1024)
{
    ResponseParser parser(maxHeader, maxBody);
    auto status = ResponseParser::Status::NeedMore;
    QRandomGenerator random(seed);
    qsizetype pos = 0;
    while (pos < bytes.size() && status == ResponseParser::Status::NeedMore) {
        qsizetype n = bytes.size() - pos;
        if (split == Split::ByteByByte)
            n = 1;
        else if (split == Split::Random)
            n = qMin(n, qsizetype(random.bounded(1, 12)));
        status = parser.feed(bytes.sliced(pos, n));
        pos += n;
    }
    if (finish && status == ResponseParser::Status::NeedMore)
        status = parser.finish();
    return outcomeOf(parser, status);
}

QByteArray ok101(QByteArrayView accept = RfcAccept)
{
    return "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: "
        + accept.toByteArray() + "\r\n\r\n";
}

} // namespace

class tst_Handshake : public QObject {
    Q_OBJECT

private slots:
    void acceptFor_data();
    void acceptFor();
    void generateKey();
    void headerList();
    void buildRequest_data();
    void buildRequest();
    void buildResponse();
    void responseSplits_data();
    void responseSplits();
    void chunkedBodyEndsWithItsLastChunk_data();
    void chunkedBodyEndsWithItsLastChunk();
    void repeatedHeadersKeptInOrder();
    void bareLineFeeds();
    void framesAfterHeadNotConsumed();
    void checkResponse_data();
    void checkResponse();
    void deflateAgreement_data();
    void deflateAgreement();
    void non101Body_data();
    void non101Body();
    void headerLimit_data();
    void headerLimit();
    void badResponse_data();
    void badResponse();
    void finishBeforeHead();
    void request_data();
    void request();
    void badRequest_data();
    void badRequest();
};

void tst_Handshake::acceptFor_data()
{
    QTest::addColumn<QByteArray>("key");
    QTest::addColumn<QByteArray>("accept");
    QTest::addRow("RFC 6455 section 1.3") << RfcKey.toByteArray() << RfcAccept.toByteArray();
    QTest::addRow("second key") << QByteArray("x3JJHMbDL1EzLkh9GBhXDw==") << QByteArray("HSmrc0sMlYUkAGmm5OPpG2HaGWk=");
    QTest::addRow("bytes 1..16") << QByteArray("AQIDBAUGBwgJCgsMDQ4PEA==")
                                 << QByteArray("C/0nmHhBztSRGR1CwL6Tf4ZjwpY=");
}

void tst_Handshake::acceptFor()
{
    QFETCH(QByteArray, key);
    QFETCH(QByteArray, accept);
    QCOMPARE(Handshake::acceptFor(key), accept);
}

void tst_Handshake::generateKey()
{
    const QByteArray a = Handshake::generateKey();
    const QByteArray b = Handshake::generateKey();
    QCOMPARE(a.size(), 24);
    QCOMPARE(QByteArray::fromBase64(a).size(), 16);
    QCOMPARE(QByteArray::fromBase64(a).toBase64(), a);
    QVERIFY(a != b);
}

void tst_Handshake::headerList()
{
    const HttpHeaders headers { { "Connection", "keep-alive" }, { "X-A", "1" }, { "connection", " Upgrade ,, close" } };
    QCOMPARE(HttpHeaderList::value(headers, "CONNECTION"), QByteArray("keep-alive"));
    QCOMPARE(HttpHeaderList::values(headers, "connection"), QList<QByteArray>({ "keep-alive", " Upgrade ,, close" }));
    QCOMPARE(HttpHeaderList::tokens(headers, "Connection"), QList<QByteArray>({ "keep-alive", "Upgrade", "close" }));
    QVERIFY(HttpHeaderList::contains(headers, "x-a"));
    QVERIFY(!HttpHeaderList::contains(headers, "X-B"));
    QCOMPARE(HttpHeaderList::value(headers, "X-B"), QByteArray());
}

void tst_Handshake::buildRequest_data()
{
    QTest::addColumn<QString>("url");
    QTest::addColumn<QString>("origin");
    QTest::addColumn<QStringList>("subprotocols");
    QTest::addColumn<QStringList>("extensions");
    QTest::addColumn<HttpHeaders>("extra");
    QTest::addColumn<QByteArray>("expected");

    const QByteArray common
        = "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
          "Sec-WebSocket-Version: 13\r\n";

    QTest::addRow("RFC example") << QStringLiteral("ws://server.example.com/chat") << QString() << QStringList()
                                 << QStringList() << HttpHeaders()
                                 << "GET /chat HTTP/1.1\r\nHost: server.example.com\r\n" + common + "\r\n";
    QTest::addRow("no path, default port")
        << QStringLiteral("ws://127.0.0.1:80") << QString() << QStringList() << QStringList() << HttpHeaders()
        << "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n" + common + "\r\n";
    QTest::addRow("port and query") << QStringLiteral("ws://localhost:8080/a/b?x=1&y=two#frag") << QString()
                                    << QStringList() << QStringList() << HttpHeaders()
                                    << "GET /a/b?x=1&y=two HTTP/1.1\r\nHost: localhost:8080\r\n" + common + "\r\n";
    QTest::addRow("wss default port") << QStringLiteral("wss://echo.example:443/") << QString() << QStringList()
                                      << QStringList() << HttpHeaders()
                                      << "GET / HTTP/1.1\r\nHost: echo.example\r\n" + common + "\r\n";
    QTest::addRow("ws on 443 keeps port")
        << QStringLiteral("ws://echo.example:443/") << QString() << QStringList() << QStringList() << HttpHeaders()
        << "GET / HTTP/1.1\r\nHost: echo.example:443\r\n" + common + "\r\n";
    QTest::addRow("wss on 80 keeps port")
        << QStringLiteral("wss://echo.example:80/") << QString() << QStringList() << QStringList() << HttpHeaders()
        << "GET / HTTP/1.1\r\nHost: echo.example:80\r\n" + common + "\r\n";
    QTest::addRow("IPv6 with port") << QStringLiteral("ws://[::1]:9001/s") << QString() << QStringList()
                                    << QStringList() << HttpHeaders()
                                    << "GET /s HTTP/1.1\r\nHost: [::1]:9001\r\n" + common + "\r\n";
    QTest::addRow("IPv6 default port") << QStringLiteral("wss://[2001:db8::7]/") << QString() << QStringList()
                                       << QStringList() << HttpHeaders()
                                       << "GET / HTTP/1.1\r\nHost: [2001:db8::7]\r\n" + common + "\r\n";
    QTest::addRow("encoded path") << QStringLiteral("ws://h/a b/%C3%A9?q=%20") << QString() << QStringList()
                                  << QStringList() << HttpHeaders()
                                  << "GET /a%20b/%C3%A9?q=%20 HTTP/1.1\r\nHost: h\r\n" + common + "\r\n";
    QTest::addRow("all options") << QStringLiteral("ws://localhost:9000/chat") << QStringLiteral("http://example.com")
                                 << QStringList { QStringLiteral("chat"), QStringLiteral("superchat") }
                                 << QStringList { QStringLiteral("permessage-deflate; client_max_window_bits"),
                                        QStringLiteral("x-test") }
                                 << HttpHeaders { { "Cookie", "a=1" }, { "host", "evil" },
                                        { "X-Bad", "a\r\nInjected: 1" }, { "X-Two", "2" } }
                                 << "GET /chat HTTP/1.1\r\nHost: localhost:9000\r\n" + common
            + "Origin: http://example.com\r\nSec-WebSocket-Protocol: chat, superchat\r\n"
              "Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits, x-test\r\n"
              "Cookie: a=1\r\nX-Two: 2\r\n\r\n";
    QTest::addRow("extra Origin allowed when none set")
        << QStringLiteral("ws://h/") << QString() << QStringList() << QStringList()
        << HttpHeaders { { "Origin", "null" } } << "GET / HTTP/1.1\r\nHost: h\r\n" + common + "Origin: null\r\n\r\n";
}

void tst_Handshake::buildRequest()
{
    QFETCH(QString, url);
    QFETCH(QString, origin);
    QFETCH(QStringList, subprotocols);
    QFETCH(QStringList, extensions);
    QFETCH(HttpHeaders, extra);
    QFETCH(QByteArray, expected);

    ClientHandshakeOptions options;
    options.url = QUrl(url);
    options.origin = origin;
    options.subprotocols = subprotocols;
    options.extensions = extensions;
    options.extraHeaders = extra;
    const QByteArray request = Handshake::buildRequest(options, RfcKey);
    QCOMPARE(request, expected);

    // What we build, we parse back.
    RequestParser parser;
    QCOMPARE(parser.feed(request), RequestParser::Status::Complete);
    QCOMPARE(parser.request().raw, request);
    QCOMPARE(parser.consumed(), request.size());
    QCOMPARE(parser.request().method, QByteArray("GET"));
    QCOMPARE(HttpHeaderList::value(parser.request().headers, "sec-websocket-key"), RfcKey.toByteArray());
}

void tst_Handshake::buildResponse()
{
    QCOMPARE(Handshake::buildResponse(RfcKey), ok101());
    const QByteArray withProtocol = Handshake::buildResponse(RfcKey, "chat", { { "Server", "wsi" } });
    QCOMPARE(withProtocol,
        QByteArray("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                   "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\nSec-WebSocket-Protocol: chat\r\n"
                   "Server: wsi\r\n\r\n"));
    ResponseParser parser;
    QCOMPARE(parser.feed(withProtocol), ResponseParser::Status::Complete);
    const HandshakeCheck check = Handshake::checkResponse(parser.response(), RfcKey, { QStringLiteral("chat") }, {});
    QVERIFY2(check.ok, qPrintable(check.failures.join(QLatin1Char('\n'))));
    QCOMPARE(check.selectedSubprotocol, QByteArray("chat"));
}

void tst_Handshake::responseSplits_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<bool>("finish");
    QTest::addColumn<int>("status");
    QTest::addColumn<int>("code");

    QTest::addRow("101") << ok101() << false << int(ResponseParser::Status::Complete) << 101;
    QTest::addRow("101 + frame") << ok101() + "\x81\x02hi" << false << int(ResponseParser::Status::Complete) << 101;
    QTest::addRow("404 with body") << QByteArray("HTTP/1.1 404 Not Found\r\nContent-Length: 9\r\n\r\nnot here!extra")
                                   << false << int(ResponseParser::Status::Complete) << 404;
    QTest::addRow("500 until close") << QByteArray("HTTP/1.0 500 Oops\r\nServer: x\r\n\r\nsomething broke") << true
                                     << int(ResponseParser::Status::Complete) << 500;
    QTest::addRow("bare LF") << QByteArray("HTTP/1.1 101 OK\nUpgrade: websocket\nConnection: upgrade\n\n") << false
                             << int(ResponseParser::Status::Complete) << 101;
    QTest::addRow("mixed endings") << QByteArray("HTTP/1.1 200 OK\r\nA: 1\nContent-Length: 2\n\r\nokNEXT") << false
                                   << int(ResponseParser::Status::Complete) << 200;
    QTest::addRow("folded header") << QByteArray("HTTP/1.1 101 Switching\r\nX-Long: one\r\n  two\r\n\r\n") << false
                                   << int(ResponseParser::Status::Complete) << 101;
    QTest::addRow("malformed header") << QByteArray("HTTP/1.1 101 Switching\r\nNo colon here\r\n\r\n") << false
                                      << int(ResponseParser::Status::Error) << 101;
}

void tst_Handshake::responseSplits()
{
    QFETCH(QByteArray, bytes);
    QFETCH(bool, finish);
    QFETCH(int, status);
    QFETCH(int, code);

    const Outcome whole = parse(bytes, Split::Whole, finish);
    QCOMPARE(int(whole.status), status);
    QCOMPARE(whole.code, code);
    QCOMPARE(parse(bytes, Split::ByteByByte, finish), whole);
    for (quint32 seed = 1; seed <= 50; ++seed)
        QVERIFY2(parse(bytes, Split::Random, finish, seed) == whole, qPrintable(QString::number(seed)));
}

void tst_Handshake::chunkedBodyEndsWithItsLastChunk_data()
{
    QTest::addColumn<QByteArray>("head");
    QTest::addColumn<QByteArray>("body"); // what belongs to the response
    QTest::addColumn<QByteArray>("after"); // what follows it on the connection
    QTest::addColumn<bool>("complete"); // without finish()

    const QByteArray chunked = "HTTP/1.1 200 OK\r\nContent-Type: application/json; charset=UTF-8\r\nTransfer-Encoding: chunked\r\n\r\n";
    // sockjs-node's reply to GET /info on a connection kept open, and the next request's answer.
    QTest::addRow("SockJS /info") << chunked << QByteArray("12\r\n{\"websocket\":true}\r\n0\r\n\r\n")
                                  << QByteArray("HTTP/1.1 204 No Content\r\n\r\n") << true;
    QTest::addRow("several chunks, upper-case size") << chunked << QByteArray("A\r\n0123456789\r\n3\r\nabc\r\n0\r\n\r\n")
                                                     << QByteArray("NEXT") << true;
    QTest::addRow("extensions and trailers")
        << chunked << QByteArray("5;name=\"v\"\r\nhello\r\n0;last\r\nX-Checksum: 1\r\nX-More: 2\r\n\r\n") << QByteArray("NEXT")
        << true;
    QTest::addRow("a CRLF inside a chunk is data") << chunked << QByteArray("4\r\n\r\n\r\n\r\n0\r\n\r\n") << QByteArray() << true;
    QTest::addRow("gzip, then chunked")
        << QByteArray("HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\nTransfer-Encoding: chunked\r\n\r\n")
        << QByteArray("2\r\n\x1f\x8b\r\n0\r\n\r\n") << QByteArray("NEXT") << true;
    // Not ending in chunked, not framed as chunked, or not finished: read until the connection ends.
    QTest::addRow("chunked, then gzip")
        << QByteArray("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked, gzip\r\n\r\n") << QByteArray("2\r\nab\r\n0\r\n\r\nNEXT")
        << QByteArray() << false;
    QTest::addRow("broken framing") << chunked << QByteArray("zz\r\nhello\r\n0\r\n\r\n") << QByteArray() << false;
    QTest::addRow("no last chunk yet") << chunked << QByteArray("5\r\nhello\r\n") << QByteArray() << false;
}

void tst_Handshake::chunkedBodyEndsWithItsLastChunk()
{
    QFETCH(QByteArray, head);
    QFETCH(QByteArray, body);
    QFETCH(QByteArray, after);
    QFETCH(bool, complete);
    const QByteArray bytes = head + body + after;
    const Outcome whole = parse(bytes, Split::Whole);
    QCOMPARE(whole.status, complete ? ResponseParser::Status::Complete : ResponseParser::Status::NeedMore);
    if (complete) {
        QCOMPARE(whole.consumed, head.size() + body.size());
        QCOMPARE(whole.body, body); // as sent: the framing is read, not undone
        QCOMPARE(whole.raw, head + body);
    } else {
        const Outcome finished = parse(bytes, Split::Whole, true);
        QCOMPARE(finished.status, ResponseParser::Status::Complete);
        QCOMPARE(finished.body, body + after);
    }
    QCOMPARE(parse(bytes, Split::ByteByByte), whole);
    for (quint32 seed = 1; seed <= 50; ++seed)
        QVERIFY2(parse(bytes, Split::Random, false, seed) == whole, qPrintable(QString::number(seed)));
}

void tst_Handshake::repeatedHeadersKeptInOrder()
{
    const QByteArray bytes = "HTTP/1.1 101 Switching Protocols\r\nSet-Cookie: a=1\r\nUpgrade:websocket\r\n"
                             "set-cookie:   b=2  \r\nConnection: Upgrade\r\nSET-COOKIE: c=3\r\n"
                             "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n\r\n";
    const Outcome o = parse(bytes, Split::Whole);
    QCOMPARE(o.status, ResponseParser::Status::Complete);
    QCOMPARE(o.headers,
        QList<QByteArray>({ "Set-Cookie=a=1", "Upgrade=websocket", "set-cookie=b=2", "Connection=Upgrade",
            "SET-COOKIE=c=3", "Sec-WebSocket-Accept=s3pPLMBiTxaQ9kYGzzhZRbK+xOo=" }));
    ResponseParser parser;
    parser.feed(bytes);
    QCOMPARE(
        HttpHeaderList::values(parser.response().headers, "Set-Cookie"), QList<QByteArray>({ "a=1", "b=2", "c=3" }));
    QVERIFY(Handshake::checkResponse(parser.response(), RfcKey, {}, {}).ok);
    QCOMPARE(parser.response().version, QByteArray("HTTP/1.1"));
    QCOMPARE(parser.response().reason, QByteArray("Switching Protocols"));
}

void tst_Handshake::bareLineFeeds()
{
    const QByteArray bytes = "HTTP/1.1 101 Switching Protocols\nUpgrade: websocket\r\nConnection: Upgrade\n"
                             "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\n\n"
        + QByteArray("\x81\x00", 2);
    ResponseParser parser;
    QCOMPARE(parser.feed(bytes), ResponseParser::Status::Complete);
    QCOMPARE(parser.consumed(), bytes.size() - 2);
    QCOMPARE(parser.response().raw, bytes.first(bytes.size() - 2)); // line endings kept as sent
    QCOMPARE(parser.response().headers.size(), 3);
    QCOMPARE(parser.response().headers.at(0).value, QByteArray("websocket"));
    QVERIFY(Handshake::checkResponse(parser.response(), RfcKey, {}, {}).ok);
}

void tst_Handshake::framesAfterHeadNotConsumed()
{
    const QByteArray head = ok101();
    const QByteArray frames = QByteArray("\x81\x05hello\x89\x00", 9);
    const QByteArray bytes = head + frames;
    for (Split split : { Split::Whole, Split::ByteByByte, Split::Random }) {
        const Outcome o = parse(bytes, split);
        QCOMPARE(o.status, ResponseParser::Status::Complete);
        QCOMPARE(o.consumed, head.size());
        QCOMPARE(o.raw, head);
        QCOMPARE(o.body, QByteArray());
    }
    // Bytes fed after completion are left alone.
    ResponseParser parser;
    QCOMPARE(parser.feed(bytes), ResponseParser::Status::Complete);
    QCOMPARE(parser.feed(frames), ResponseParser::Status::Complete);
    QCOMPARE(parser.consumed(), head.size());
    QCOMPARE(bytes.sliced(parser.consumed()), frames);
}

void tst_Handshake::checkResponse_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<QStringList>("offeredProtocols");
    QTest::addColumn<QStringList>("offeredExtensions");
    QTest::addColumn<QStringList>("failures");
    QTest::addColumn<QByteArray>("received");
    QTest::addColumn<QByteArray>("protocol");

    const QByteArray head = "HTTP/1.1 101 Switching Protocols\r\n";
    const QByteArray upgrade = "Upgrade: websocket\r\n";
    const QByteArray connection = "Connection: Upgrade\r\n";
    const QByteArray accept = "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n";
    const QStringList none;
    const QStringList chat { QStringLiteral("chat"), QStringLiteral("v2.chat") };
    const QStringList deflate { QStringLiteral("permessage-deflate; client_max_window_bits") };
    const QByteArray A = RfcAccept.toByteArray();

    QTest::addRow("ok") << head + upgrade + connection + accept + "\r\n"
                        << none << none << QStringList() << A << QByteArray();
    QTest::addRow("ok, case-insensitive names and values")
        << head + "UPGRADE: WebSocket\r\nconnection: keep-alive, upgrade\r\nsec-websocket-accept: " + A + "\r\n\r\n"
        << none << none << QStringList() << A << QByteArray();
    QTest::addRow("ok, subprotocol and extension")
        << head + upgrade + connection + accept + "Sec-WebSocket-Protocol: v2.chat\r\n"
            + "Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits=15\r\n\r\n"
        << chat << deflate << QStringList() << A << QByteArray("v2.chat");
    QTest::addRow("ok, offered subprotocol not selected") << head + upgrade + connection + accept + "\r\n"
                                                          << chat << none << QStringList() << A << QByteArray();
    QTest::addRow("403") << QByteArray("HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n") << none << none
                         << QStringList { QStringLiteral(
                                "unexpected status 403 Forbidden (expected 101 Switching Protocols)") }
                         << QByteArray() << QByteArray();
    QTest::addRow("200 without reason") << QByteArray("HTTP/1.1 200\r\nContent-Length: 0\r\n\r\n") << none << none
                                        << QStringList { QStringLiteral(
                                               "unexpected status 200 (expected 101 Switching Protocols)") }
                                        << QByteArray() << QByteArray();
    QTest::addRow("accept mismatch") << head + upgrade + connection
            + "Sec-WebSocket-Accept: AAAAAAAAAAAAAAAAAAAAAAAAAAA=\r\n\r\n"
                                     << none << none
                                     << QStringList { QStringLiteral(
                                            "Sec-WebSocket-Accept mismatch: expected s3pPLMBiTxaQ9kYGzzhZRbK+xOo=, got "
                                            "AAAAAAAAAAAAAAAAAAAAAAAAAAA=") }
                                     << QByteArray("AAAAAAAAAAAAAAAAAAAAAAAAAAA=") << QByteArray();
    QTest::addRow("missing accept") << head + upgrade + connection + "\r\n"
                                    << none << none
                                    << QStringList { QStringLiteral("missing Sec-WebSocket-Accept header") }
                                    << QByteArray() << QByteArray();
    QTest::addRow("two accepts") << head + upgrade + connection + accept + accept + "\r\n"
                                 << none << none
                                 << QStringList { QStringLiteral("2 Sec-WebSocket-Accept headers, expected one") } << A
                                 << QByteArray();
    QTest::addRow("missing upgrade") << head + connection + accept + "\r\n"
                                     << none << none << QStringList { QStringLiteral("missing Upgrade header") } << A
                                     << QByteArray();
    QTest::addRow("upgrade h2c") << head + "Upgrade: h2c\r\n" + connection + accept + "\r\n"
                                 << none << none
                                 << QStringList { QStringLiteral("Upgrade header is \"h2c\", expected \"websocket\"") }
                                 << A << QByteArray();
    QTest::addRow("missing connection") << head + upgrade + accept + "\r\n"
                                        << none << none << QStringList { QStringLiteral("missing Connection header") }
                                        << A << QByteArray();
    QTest::addRow("connection keep-alive")
        << head + upgrade + "Connection: keep-alive\r\n" + accept + "\r\n"
        << none << none
        << QStringList { QStringLiteral("Connection header is \"keep-alive\", expected it to contain \"Upgrade\"") }
        << A << QByteArray();
    QTest::addRow("subprotocol not offered")
        << head + upgrade + connection + accept + "Sec-WebSocket-Protocol: chat\r\n\r\n"
        << none << none
        << QStringList { QStringLiteral("server selected subprotocol \"chat\" which the client did not offer") } << A
        << QByteArray("chat");
    QTest::addRow("subprotocol differs in case")
        << head + upgrade + connection + accept + "Sec-WebSocket-Protocol: Chat\r\n\r\n"
        << chat << none
        << QStringList { QStringLiteral("server selected subprotocol \"Chat\" which the client did not offer") } << A
        << QByteArray("Chat");
    QTest::addRow("two subprotocols") << head + upgrade + connection + accept
            + "Sec-WebSocket-Protocol: chat, v2.chat\r\n\r\n"
                                      << chat << none
                                      << QStringList { QStringLiteral(
                                             "server selected more than one subprotocol: \"chat, v2.chat\"") }
                                      << A << QByteArray("chat, v2.chat");
    QTest::addRow("extension not offered")
        << head + upgrade + connection + accept + "Sec-WebSocket-Extensions: permessage-deflate\r\n\r\n"
        << none << none
        << QStringList { QStringLiteral(
               "server selected extension \"permessage-deflate\" which the client did not offer") }
        << A << QByteArray();
    QTest::addRow("one of two extensions not offered")
        << head + upgrade + connection + accept
            + "Sec-WebSocket-Extensions: permessage-deflate; server_no_context_takeover\r\n"
              "Sec-WebSocket-Extensions: x-webkit-deflate-frame\r\n\r\n"
        << none << deflate
        << QStringList { QStringLiteral(
               "server selected extension \"x-webkit-deflate-frame\" which the client did not offer") }
        << A << QByteArray();
    // Malformed headers fail the handshake: a parser that dropped what it could not read would let
    // an unoffered extension through.
    QTest::addRow("backslash ends a quoted value")
        << head + upgrade + connection + accept + "Sec-WebSocket-Extensions: evil; x=\"\\\r\n\r\n"
        << none << deflate << QStringList { QStringLiteral("Sec-WebSocket-Extensions is malformed: a backslash ends the header inside the "
                                        "quoted-string opened at byte 9") } << A
        << QByteArray();
    QTest::addRow("unclosed quote swallows the next header")
        << head + upgrade + connection + accept
            + "Sec-WebSocket-Extensions: permessage-deflate; x=\"abc\r\nSec-WebSocket-Extensions: evil\r\n\r\n"
        << none << deflate << QStringList { QStringLiteral("Sec-WebSocket-Extensions is malformed: Sec-WebSocket-Extensions header 1 of "
                                        "2: the quoted-string opened at byte 23 is not closed") } << A
        << QByteArray();
    QTest::addRow("permessage-deflate accepted twice")
        << head + upgrade + connection + accept
            + "Sec-WebSocket-Extensions: permessage-deflate, permessage-deflate; server_no_context_takeover\r\n\r\n"
        << none << deflate
        << QStringList { QStringLiteral("server accepted extension \"permessage-deflate\" more than once") } << A
        << QByteArray();
    QTest::addRow("window bits out of range")
        << head + upgrade + connection + accept + "Sec-WebSocket-Extensions: permessage-deflate; server_max_window_bits=16\r\n\r\n"
        << none << deflate
        << QStringList { QStringLiteral("permessage-deflate response: server_max_window_bits must be a number from 8 "
                                        "to 15, not \"16\" (RFC 7692 §7.1.2.1)") }
        << A << QByteArray();
    QTest::addRow("misspelled parameter")
        << head + upgrade + connection + accept + "Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bit=10\r\n\r\n"
        << none << deflate
        << QStringList { QStringLiteral("permessage-deflate response: unknown parameter \"client_max_window_bit\" (RFC "
                                        "7692 §7.1 defines four)") }
        << A << QByteArray();
    QTest::addRow("repeated parameter")
        << head + upgrade + connection + accept
            + "Sec-WebSocket-Extensions: permessage-deflate; server_no_context_takeover; server_no_context_takeover\r\n\r\n"
        << none << deflate
        << QStringList { QStringLiteral("permessage-deflate response: the parameter \"server_no_context_takeover\" is "
                                        "given more than once (RFC 7692 §7)") }
        << A << QByteArray();
    QTest::addRow("client_max_window_bits not offered")
        << head + upgrade + connection + accept + "Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits=9\r\n\r\n"
        << none << QStringList { QStringLiteral("permessage-deflate") }
        << QStringList { QStringLiteral("permessage-deflate response: client_max_window_bits was not offered, so the "
                                        "server may not send it (RFC 7692 §7.1.2.2)") }
        << A << QByteArray();
    QTest::addRow("second of two offers fits")
        << head + upgrade + connection + accept + "Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits=9\r\n\r\n"
        << none << QStringList { QStringLiteral("permessage-deflate, permessage-deflate; client_max_window_bits") }
        << QStringList() << A << QByteArray();
    QTest::addRow("everything wrong")
        << head + "Upgrade: h2c\r\nSec-WebSocket-Accept: bad\r\nSec-WebSocket-Protocol: chat\r\n\r\n"
        << none << none
        << QStringList { QStringLiteral("Upgrade header is \"h2c\", expected \"websocket\""),
               QStringLiteral("missing Connection header"),
               QStringLiteral("Sec-WebSocket-Accept mismatch: expected s3pPLMBiTxaQ9kYGzzhZRbK+xOo=, got bad"),
               QStringLiteral("server selected subprotocol \"chat\" which the client did not offer") }
        << QByteArray("bad") << QByteArray("chat");
    QTest::addRow("bidi override escaped, other text kept")
        << head + "Upgrade: \xc3\xa9\xe2\x80\xaetekcosbew\r\n" + connection + accept + "\r\n"
        << none << none
        << QStringList { QStringLiteral("Upgrade header is \"\u00e9\\u202etekcosbew\", expected \"websocket\"") } << A
        << QByteArray();
    QTest::addRow("control bytes escaped")
        << head + "Upgrade: web\x01socket\r\n" + connection + accept + "\r\n"
        << none << none
        << QStringList { QStringLiteral("Upgrade header is \"web\\x01socket\", expected \"websocket\"") } << A
        << QByteArray();
}

void tst_Handshake::checkResponse()
{
    QFETCH(QByteArray, bytes);
    QFETCH(QStringList, offeredProtocols);
    QFETCH(QStringList, offeredExtensions);
    QFETCH(QStringList, failures);
    QFETCH(QByteArray, received);
    QFETCH(QByteArray, protocol);

    ResponseParser parser;
    QCOMPARE(parser.feed(bytes), ResponseParser::Status::Complete);
    const HandshakeCheck check
        = Handshake::checkResponse(parser.response(), RfcKey, offeredProtocols, offeredExtensions);
    QCOMPARE(check.failures, failures);
    QCOMPARE(check.ok, failures.isEmpty());
    QCOMPARE(check.expectedAccept, RfcAccept.toByteArray());
    QCOMPARE(check.receivedAccept, received);
    QCOMPARE(check.selectedSubprotocol, protocol);
}

void tst_Handshake::non101Body_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<bool>("finish");
    QTest::addColumn<qsizetype>("maxBody");
    QTest::addColumn<int>("status");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<qsizetype>("consumed");

    const int complete = int(ResponseParser::Status::Complete);
    const int needMore = int(ResponseParser::Status::NeedMore);
    const QByteArray h404 = "HTTP/1.1 404 Not Found\r\nContent-Type: text/plain\r\nContent-Length: 13\r\n\r\n";
    QTest::addRow("Content-Length") << h404 + "no such path\n"
                                    << false << qsizetype(1024) << complete << QByteArray("no such path\n")
                                    << h404.size() + 13;
    QTest::addRow("Content-Length, then more bytes")
        << h404 + "no such path\nHTTP/1.1 200 OK" << false << qsizetype(1024) << complete
        << QByteArray("no such path\n") << h404.size() + 13;
    QTest::addRow("Content-Length, partial")
        << h404 + "no such" << false << qsizetype(1024) << needMore << QByteArray("no such") << h404.size() + 7;
    QTest::addRow("Content-Length, partial, finished")
        << h404 + "no such" << true << qsizetype(1024) << complete << QByteArray("no such") << h404.size() + 7;
    QTest::addRow("Content-Length beyond the kept limit")
        << h404 + "no such path\n"
        << false << qsizetype(4) << complete << QByteArray("no s") << h404.size() + 13;
    const QByteArray h204 = "HTTP/1.1 204 No Content\r\nServer: t\r\n\r\n";
    QTest::addRow("204") << h204 + "\x81\x00" << false << qsizetype(1024) << complete << QByteArray() << h204.size();
    const QByteArray h304 = "HTTP/1.1 304 Not Modified\r\nContent-Length: 50\r\n\r\n";
    QTest::addRow("304 ignores Content-Length")
        << h304 << false << qsizetype(1024) << complete << QByteArray() << h304.size();
    const QByteArray zero = "HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n";
    QTest::addRow("Content-Length: 0") << zero << false << qsizetype(1024) << complete << QByteArray() << zero.size();
    const QByteArray close = "HTTP/1.1 503 Service Unavailable\r\nConnection: close\r\n\r\n";
    QTest::addRow("until close, open") << close + "try later" << false << qsizetype(1024) << needMore
                                       << QByteArray("try later") << close.size() + 9;
    QTest::addRow("until close, finished")
        << close + "try later" << true << qsizetype(1024) << complete << QByteArray("try later") << close.size() + 9;
    QTest::addRow("until close, kept limit")
        << close + "try later" << true << qsizetype(3) << complete << QByteArray("try") << close.size() + 9;
    const QByteArray chunked = "HTTP/1.1 502 Bad Gateway\r\nTransfer-Encoding: chunked\r\nContent-Length: 2\r\n\r\n";
    QTest::addRow("Transfer-Encoding wins")
        << chunked + "3\r\nabc\r\n0\r\n\r\n"
        << true << qsizetype(1024) << complete << QByteArray("3\r\nabc\r\n0\r\n\r\n") << chunked.size() + 13;
}

void tst_Handshake::non101Body()
{
    QFETCH(QByteArray, bytes);
    QFETCH(bool, finish);
    QFETCH(qsizetype, maxBody);
    QFETCH(int, status);
    QFETCH(QByteArray, body);
    QFETCH(qsizetype, consumed);

    const Outcome whole = parse(bytes, Split::Whole, finish, 1, 16 * 1024, maxBody);
    QCOMPARE(int(whole.status), status);
    QCOMPARE(whole.body, body);
    QCOMPARE(whole.consumed, consumed);
    QVERIFY(whole.raw.endsWith("\r\n\r\n" + body));
    QCOMPARE(whole.raw.size(), bytes.indexOf("\r\n\r\n") + 4 + body.size());
    QCOMPARE(parse(bytes, Split::ByteByByte, finish, 1, 16 * 1024, maxBody), whole);
    for (quint32 seed = 1; seed <= 20; ++seed)
        QCOMPARE(parse(bytes, Split::Random, finish, seed, 16 * 1024, maxBody), whole);
}

void tst_Handshake::headerLimit_data()
{
    QTest::addColumn<qsizetype>("limit");
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<int>("status");
    QTest::addColumn<QString>("error");

    const QByteArray head = ok101(); // 129 bytes
    QVERIFY(head.size() == 129);
    QTest::addRow("fits exactly") << qsizetype(129) << head + "\x81\x00" << int(ResponseParser::Status::Complete)
                                  << QString();
    QTest::addRow("one byte over") << qsizetype(128) << head << int(ResponseParser::Status::Error)
                                   << QStringLiteral("headers exceed 128 bytes");
    QTest::addRow("never ending") << qsizetype(1024) << "HTTP/1.1 101 OK\r\n" + QByteArray(2000, 'x')
                                  << int(ResponseParser::Status::Error) << QStringLiteral("headers exceed 1024 bytes");
    QTest::addRow("default limit") << qsizetype(16 * 1024)
                                   << "HTTP/1.1 101 OK\r\nX-Big: " + QByteArray(16 * 1024, 'y') + "\r\n\r\n"
                                   << int(ResponseParser::Status::Error)
                                   << QStringLiteral("headers exceed 16384 bytes");
}

void tst_Handshake::headerLimit()
{
    QFETCH(qsizetype, limit);
    QFETCH(QByteArray, bytes);
    QFETCH(int, status);
    QFETCH(QString, error);

    const Outcome whole = parse(bytes, Split::Whole, false, 1, limit);
    QCOMPARE(int(whole.status), status);
    QCOMPARE(whole.error, error);
    QCOMPARE(parse(bytes, Split::ByteByByte, false, 1, limit), whole);
    QCOMPARE(parse(bytes, Split::Random, false, 7, limit), whole);

    // What arrived is kept for the record, but never more than one byte past the limit.
    ResponseParser parser(limit);
    parser.feed(bytes);
    QCOMPARE(parser.receivedBytes(), bytes.first(qMin(bytes.size(), limit + 1)));
}

void tst_Handshake::badResponse_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<QString>("error");

    QTest::addRow("text") << QByteArray("Hello world\r\n")
                          << QStringLiteral(
                                 "not an HTTP response: first bytes are 48 65 6c 6c 6f 20 77 6f 72 6c 64 0d 0a "
                                 "(\"Hello world\\r\\n\")");
    QTest::addRow("long text") << QByteArray("SSH-2.0-OpenSSH_9.2p1 Debian-2\r\n")
                               << QStringLiteral(
                                      "not an HTTP response: first bytes are 53 53 48 2d 32 2e 30 2d 4f 70 65 "
                                      "6e 53 53 48 5f ... (\"SSH-2.0-OpenSSH_\")");
    QTest::addRow("TLS alert") << QByteArray("\x15\x03\x01\x00\x02\x02\x46", 7)
                               << QStringLiteral("not an HTTP response: first bytes are 15 03 01 00 02 02 46 "
                                                 "(\"\\x15\\x03\\x01\\x00\\x02\\x02F\")");
    QTest::addRow("invalid UTF-8") << QByteArray("\xff\xfe<\"")
                                   << QStringLiteral("not an HTTP response: first bytes are ff fe 3c 22 "
                                                     "(\"\\xff\\xfe<\\\"\")");
    QTest::addRow("lowercase http") << QByteArray("http/1.1 101 OK\r\n\r\n")
                                    << QStringLiteral("not an HTTP response: first bytes are 68 74 74 70 2f 31 2e 31 "
                                                      "20 31 30 31 20 4f 4b 0d ... (\"http/1.1 101 OK\\r\")");
    QTest::addRow("bad status code") << QByteArray("HTTP/1.1 1O1 Switching Protocols\r\n\r\n")
                                     << QStringLiteral("malformed status line \"HTTP/1.1 1O1 Switching Protocols\"");
    QTest::addRow("HTTP/2 preface") << QByteArray("HTTP/2.0\r\n\r\n")
                                    << QStringLiteral("malformed status line \"HTTP/2.0\"");
    QTest::addRow("header without colon") << QByteArray("HTTP/1.1 101 OK\r\nUpgrade websocket\r\n\r\n")
                                          << QStringLiteral("malformed header line \"Upgrade websocket\"");
    QTest::addRow("space before colon") << QByteArray("HTTP/1.1 101 OK\r\nUpgrade : websocket\r\n\r\n")
                                        << QStringLiteral("malformed header line \"Upgrade : websocket\"");
    QTest::addRow("fold first") << QByteArray("HTTP/1.1 101 OK\r\n folded\r\n\r\n")
                                << QStringLiteral("obsolete line folding in header line \" folded\"");
    QTest::addRow("bad Content-Length") << QByteArray("HTTP/1.1 404 No\r\nContent-Length: 12abc\r\n\r\n")
                                        << QStringLiteral("invalid Content-Length \"12abc\"");
    QTest::addRow("conflicting Content-Length")
        << QByteArray("HTTP/1.1 404 No\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n")
        << QStringLiteral("conflicting Content-Length headers: \"1, 2\"");
}

void tst_Handshake::badResponse()
{
    QFETCH(QByteArray, bytes);
    QFETCH(QString, error);

    const Outcome whole = parse(bytes, Split::Whole);
    QCOMPARE(whole.status, ResponseParser::Status::Error);
    QCOMPARE(whole.error, error);

    // Once in Error, the parser stays there.
    ResponseParser parser;
    parser.feed(bytes);
    QCOMPARE(parser.receivedBytes(), bytes);
    QCOMPARE(parser.feed(ok101()), ResponseParser::Status::Error);
    QCOMPARE(parser.finish(), ResponseParser::Status::Error);
    QCOMPARE(parser.errorString(), error);
}

void tst_Handshake::finishBeforeHead()
{
    ResponseParser empty;
    QCOMPARE(empty.finish(), ResponseParser::Status::Error);
    QCOMPARE(empty.errorString(), QStringLiteral("connection closed before any response bytes arrived"));
    QVERIFY(!empty.headComplete());

    ResponseParser partial;
    QCOMPARE(partial.feed("HTTP/1.1 101 Swi"), ResponseParser::Status::NeedMore);
    QCOMPARE(partial.finish(), ResponseParser::Status::Error);
    QCOMPARE(partial.errorString(),
        QStringLiteral("connection closed after 16 bytes of an incomplete response head: first bytes are "
                       "48 54 54 50 2f 31 2e 31 20 31 30 31 20 53 77 69 (\"HTTP/1.1 101 Swi\")"));

    ResponseParser headOnly;
    QCOMPARE(headOnly.feed("HTTP/1.1 500 Down\r\n\r\n"), ResponseParser::Status::NeedMore);
    QVERIFY(headOnly.headComplete());
    QCOMPARE(headOnly.finish(), ResponseParser::Status::Complete);
    QCOMPARE(headOnly.response().status, 500);
    QCOMPARE(headOnly.response().reason, QByteArray("Down"));
}

void tst_Handshake::request_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<QByteArray>("target");
    QTest::addColumn<int>("headers");

    const QByteArray qt = "GET /path?x=1 HTTP/1.1\r\nHost: 127.0.0.1:4711\r\nUpgrade: websocket\r\n"
                          "Connection: Upgrade\r\nSec-WebSocket-Key: AQIDBAUGBwgJCgsMDQ4PEA==\r\n"
                          "Sec-WebSocket-Version: 13\r\n\r\n";
    QTest::addRow("typical") << qt << QByteArray("/path?x=1") << 5;
    QTest::addRow("bare LF") << QByteArray("GET / HTTP/1.1\nHost: h\n\n") << QByteArray("/") << 1;
    QTest::addRow("no headers") << QByteArray("OPTIONS * HTTP/1.0\r\n\r\n") << QByteArray("*") << 0;
}

void tst_Handshake::request()
{
    QFETCH(QByteArray, bytes);
    QFETCH(QByteArray, target);
    QFETCH(int, headers);

    const QByteArray trailing = "\x81\x85garbage";
    for (int step : { 0, 1, 3 }) {
        RequestParser parser;
        auto status = RequestParser::Status::NeedMore;
        const QByteArray all = bytes + trailing;
        for (qsizetype pos = 0; pos < all.size() && status == RequestParser::Status::NeedMore;) {
            const qsizetype n = step == 0 ? all.size() : qMin(qsizetype(step), all.size() - pos);
            status = parser.feed(QByteArrayView(all).sliced(pos, n));
            pos += n;
        }
        QCOMPARE(status, RequestParser::Status::Complete);
        QCOMPARE(parser.request().raw, bytes);
        QCOMPARE(parser.consumed(), bytes.size());
        QCOMPARE(parser.request().target, target);
        QCOMPARE(parser.request().headers.size(), headers);
    }
}

void tst_Handshake::badRequest_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<qsizetype>("limit");
    QTest::addColumn<QString>("error");

    QTest::addRow("TLS ClientHello") << QByteArray("\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03", 11)
                                     << qsizetype(16 * 1024)
                                     << QStringLiteral(
                                            "not an HTTP request: first bytes are 16 03 01 02 00 01 00 01 fc "
                                            "03 03 (\"\\x16\\x03\\x01\\x02\\x00\\x01\\x00\\x01\\xfc\\x03\\x03\")");
    QTest::addRow("leading space") << QByteArray(" GET / HTTP/1.1\r\n\r\n") << qsizetype(16 * 1024)
                                   << QStringLiteral("not an HTTP request: first bytes are 20 47 45 54 20 2f 20 48 54 "
                                                     "54 50 2f 31 2e 31 0d ... (\" GET / HTTP/1.1\\r\")");
    QTest::addRow("bad request line") << QByteArray("GET /a b HTTP/1.1\r\n\r\n") << qsizetype(16 * 1024)
                                      << QStringLiteral("malformed request line \"GET /a b HTTP/1.1\"");
    QTest::addRow("folding") << QByteArray("GET / HTTP/1.1\r\nA: 1\r\n 2\r\n\r\n") << qsizetype(16 * 1024)
                             << QStringLiteral("obsolete line folding in header line \" 2\"");
    QTest::addRow("bare CR in a value") << QByteArray("GET / HTTP/1.1\r\nX: a\rHost: evil\r\n\r\n")
                                        << qsizetype(16 * 1024)
                                        << QStringLiteral("bare CR (not followed by LF) at byte 20 of the request head");
    QTest::addRow("bare CR ending the line") << QByteArray("GET / HTTP/1.1\r\r\n\r\n") << qsizetype(16 * 1024)
                                             << QStringLiteral("bare CR (not followed by LF) at byte 14 of the request head");
    QTest::addRow("too big") << "GET / HTTP/1.1\r\nX: " + QByteArray(100, 'a') << qsizetype(64)
                             << QStringLiteral("headers exceed 64 bytes");
}

void tst_Handshake::badRequest()
{
    QFETCH(QByteArray, bytes);
    QFETCH(qsizetype, limit);
    QFETCH(QString, error);

    RequestParser parser(limit);
    QCOMPARE(parser.feed(bytes), RequestParser::Status::Error);
    QCOMPARE(parser.errorString(), error);
}

void tst_Handshake::deflateAgreement_data()
{
    QTest::addColumn<QString>("offer");
    QTest::addColumn<QByteArray>("answer");
    QTest::addColumn<QList<int>>("agreed"); // server nct, client nct, server bits, client bits
    QTest::addRow("browser offer, bare answer") << QStringLiteral("permessage-deflate; client_max_window_bits")
                                                << QByteArray("permessage-deflate") << QList<int> { 0, 0, 15, 15 };
    QTest::addRow("node ws style answer")
        << QStringLiteral("permessage-deflate; client_max_window_bits")
        << QByteArray("permessage-deflate; server_no_context_takeover; server_max_window_bits=10; client_max_window_bits=12")
        << QList<int> { 1, 0, 10, 12 };
    QTest::addRow("we asked for no context takeover")
        << QStringLiteral("permessage-deflate; client_no_context_takeover")
        << QByteArray("PerMessage-Deflate; client_no_context_takeover") << QList<int> { 0, 1, 15, 15 };
    QTest::addRow("our own window announced") << QStringLiteral("permessage-deflate; client_max_window_bits=11")
                                              << QByteArray("permessage-deflate") << QList<int> { 0, 0, 15, 11 };
}

void tst_Handshake::deflateAgreement()
{
    QFETCH(QString, offer);
    QFETCH(QByteArray, answer);
    QFETCH(QList<int>, agreed);
    ResponseParser parser;
    QCOMPARE(parser.feed("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                         "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\nSec-WebSocket-Extensions: "
            + answer + "\r\n\r\n"),
        ResponseParser::Status::Complete);
    const HandshakeCheck check = Handshake::checkResponse(parser.response(), RfcKey, {}, { offer });
    QVERIFY2(check.ok, qPrintable(check.failures.join(QLatin1Char('\n'))));
    QVERIFY(check.deflate.has_value());
    QCOMPARE(check.acceptedExtensions.size(), 1);
    QCOMPARE(QList<int>({ int(check.deflate->serverNoContextTakeover), int(check.deflate->clientNoContextTakeover),
                 check.deflate->serverMaxWindowBits, check.deflate->clientMaxWindowBits }),
        agreed);
}

QTEST_GUILESS_MAIN(tst_Handshake)
#include "tst_handshake.moc"
