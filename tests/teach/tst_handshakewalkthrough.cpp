#include "teach/glossary.h"
#include "teach/handshakewalkthrough.h"
#include "text/displaytext.h"

#include <QTest>

namespace {

using Kind = WalkthroughStep::Kind;
using Stage = WalkthroughStep::Stage;
using Transport = HandshakeWalkthrough::Transport;

// RFC 6455 §1.3, byte for byte.
const QByteArray RfcRequest = "GET /chat HTTP/1.1\r\n"
                              "Host: server.example.com\r\n"
                              "Upgrade: websocket\r\n"
                              "Connection: Upgrade\r\n"
                              "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                              "Origin: http://example.com\r\n"
                              "Sec-WebSocket-Protocol: chat, superchat\r\n"
                              "Sec-WebSocket-Version: 13\r\n"
                              "\r\n";
const QByteArray RfcResponse = "HTTP/1.1 101 Switching Protocols\r\n"
                               "Upgrade: websocket\r\n"
                               "Connection: Upgrade\r\n"
                               "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n"
                               "Sec-WebSocket-Protocol: chat\r\n"
                               "\r\n";

// A minimal valid pair, for the cases that vary one thing.
const QByteArray PlainRequest = "GET / HTTP/1.1\r\n"
                                "Host: 127.0.0.1:8080\r\n"
                                "Upgrade: websocket\r\n"
                                "Connection: Upgrade\r\n"
                                "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                                "Sec-WebSocket-Version: 13\r\n"
                                "\r\n";

QByteArray response101(QByteArrayView extra = {}, QByteArrayView accept = "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=")
{
    return "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: "
        + accept.toByteArray() + "\r\n" + extra.toByteArray() + "\r\n";
}

// "req 20+24" / "resp 34+18": compact and exact.
QStringList spanList(const QList<HandshakeSpan> &spans)
{
    QStringList list;
    for (const HandshakeSpan &s : spans)
        list.append(QStringLiteral("%1 %2+%3").arg(s.inResponse ? u"resp" : u"req").arg(s.offset).arg(s.length));
    return list;
}

QList<Kind> kinds(const HandshakeWalkthrough &w)
{
    QList<Kind> list;
    for (const WalkthroughStep &s : w.steps())
        list.append(s.kind);
    return list;
}

const WalkthroughStep *find(const HandshakeWalkthrough &w, Kind kind, const QString &header = {})
{
    for (const WalkthroughStep &s : w.steps()) {
        if (s.kind == kind && (header.isEmpty() || s.headerName == header))
            return &s;
    }
    return nullptr;
}

// Every span must name bytes that exist, and its text must be those bytes (printable), except
// folded headers, whose text joins their lines with a space.
void checkSpans(const HandshakeWalkthrough &w, const QByteArray &request, const QByteArray &response)
{
    for (const WalkthroughStep &step : w.steps()) {
        for (const HandshakeSpan &s : step.spans) {
            const QByteArray &bytes = s.inResponse ? response : request;
            QVERIFY2(s.offset >= 0 && s.length > 0 && s.offset + s.length <= bytes.size(), qPrintable(step.title));
            const QByteArray slice = bytes.sliced(s.offset, s.length);
            if (!slice.contains('\n')) {
                QCOMPARE(s.text, DisplayText::line(slice));
                QVERIFY(!slice.endsWith('\r'));
            }
        }
        QVERIFY(!step.title.isEmpty());
        QVERIFY2(!step.explanation.isEmpty(), qPrintable(step.title));
        for (const QString &topic : step.topics)
            QVERIFY2(Glossary::entry(topic).isValid(), qPrintable(topic));
        for (const QString &text : QStringList { step.title, step.explanation, step.inBrowser } + step.details) {
            const bool control
                = std::any_of(text.cbegin(), text.cend(), [](QChar c) { return c.category() == QChar::Other_Control; });
            QVERIFY2(!control, qPrintable(text));
        }
    }
}

} // namespace

class tst_HandshakeWalkthrough : public QObject {
    Q_OBJECT

private slots:
    void rfcExample_data();
    void rfcExample();
    void rfcExampleAccept();
    void rfcExampleFrames();
    void empty();
    void missingResponse();
    void refused_data();
    void refused();
    void badAccept();
    void missingRequestHeaders();
    void otherHeaders();
    void repeatedHeader();
    void transport_data();
    void transport();
    void socketIoPath();
    void responseNotHttp();
    void foldedResponseHeader();
    void bareLineFeeds();
    void offersNotTakenUp();
    void unofferedSubprotocol();
    void incompleteRequest();
    void peerBytesArePlainText();
};

void tst_HandshakeWalkthrough::rfcExample_data()
{
    QTest::addColumn<int>("index");
    QTest::addColumn<Kind>("kind");
    QTest::addColumn<Stage>("stage");
    QTest::addColumn<QString>("header");
    QTest::addColumn<QString>("title");
    QTest::addColumn<QStringList>("spans");
    QTest::addColumn<QString>("topic");

    int i = 0;
    auto row = [&i](const char *name, Kind kind, Stage stage, const char *header, const char *title,
                   std::initializer_list<const char *> spans, QLatin1String topic) {
        QStringList spanTexts;
        for (const char *s : spans)
            spanTexts.append(QString::fromLatin1(s));
        QTest::addRow("%d %s", i, name) << i << kind << stage << QString::fromLatin1(header)
                                        << QString::fromLatin1(title) << spanTexts << QString(topic);
        ++i;
    };
    row("connect", Kind::Connect, Stage::Request, "", "The client connects and sends an HTTP GET", { "req 0+18" },
        Glossary::OpeningHandshake);
    row("host", Kind::RequestHeader, Stage::RequestHeaders, "Host", "Host: server.example.com", { "req 20+24" },
        Glossary::OpeningHandshake);
    row("upgrade", Kind::RequestHeader, Stage::RequestHeaders, "Upgrade", "Upgrade: websocket", { "req 46+18" },
        Glossary::OpeningHandshake);
    row("connection", Kind::RequestHeader, Stage::RequestHeaders, "Connection", "Connection: Upgrade", { "req 66+19" },
        Glossary::OpeningHandshake);
    row("key", Kind::RequestHeader, Stage::RequestHeaders, "Sec-WebSocket-Key",
        "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==", { "req 87+43" }, Glossary::SecWebSocketKey);
    row("origin", Kind::RequestHeader, Stage::RequestHeaders, "Origin", "Origin: http://example.com", { "req 132+26" },
        Glossary::Origin);
    row("protocol", Kind::RequestHeader, Stage::RequestHeaders, "Sec-WebSocket-Protocol",
        "Sec-WebSocket-Protocol: chat, superchat", { "req 160+39" }, Glossary::Subprotocols);
    row("version", Kind::RequestHeader, Stage::RequestHeaders, "Sec-WebSocket-Version", "Sec-WebSocket-Version: 13",
        { "req 201+25" }, Glossary::OpeningHandshake);
    row("accept", Kind::ComputeAccept, Stage::Accept, "", "The server computes Sec-WebSocket-Accept",
        { "req 87+43", "resp 75+50" }, Glossary::SecWebSocketKey);
    row("status", Kind::Status, Stage::Response, "", "HTTP/1.1 101 Switching Protocols", { "resp 0+32" },
        Glossary::OpeningHandshake);
    row("response upgrade", Kind::ResponseHeader, Stage::Response, "Upgrade", "Upgrade: websocket", { "resp 34+18" },
        Glossary::OpeningHandshake);
    row("response connection", Kind::ResponseHeader, Stage::Response, "Connection", "Connection: Upgrade",
        { "resp 54+19" }, Glossary::OpeningHandshake);
    row("response accept", Kind::ResponseHeader, Stage::Response, "Sec-WebSocket-Accept",
        "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=", { "resp 75+50" }, Glossary::SecWebSocketKey);
    row("response protocol", Kind::ResponseHeader, Stage::Response, "Sec-WebSocket-Protocol",
        "Sec-WebSocket-Protocol: chat", { "resp 127+28" }, Glossary::Subprotocols);
    row("frames", Kind::Frames, Stage::Frames, "", "From here on: frames, not HTTP", {}, Glossary::Events);
}

void tst_HandshakeWalkthrough::rfcExample()
{
    QFETCH(int, index);
    QFETCH(Kind, kind);
    QFETCH(Stage, stage);
    QFETCH(QString, header);
    QFETCH(QString, title);
    QFETCH(QStringList, spans);
    QFETCH(QString, topic);

    const HandshakeWalkthrough w(RfcRequest, RfcResponse);
    QCOMPARE(w.steps().size(), 15);
    const WalkthroughStep &step = w.steps().at(index);
    QCOMPARE(step.kind, kind);
    QCOMPARE(step.stage, stage);
    QCOMPARE(step.headerName, header);
    QCOMPARE(step.title, title);
    QCOMPARE(spanList(step.spans), spans);
    QVERIFY(!step.topics.isEmpty());
    QCOMPARE(step.topics.first(), topic);
    QVERIFY2(!step.warning, qPrintable(step.explanation));
    checkSpans(w, RfcRequest, RfcResponse);
}

void tst_HandshakeWalkthrough::rfcExampleAccept()
{
    const HandshakeWalkthrough w(RfcRequest, RfcResponse);
    QVERIFY(w.requestParsed());
    QVERIFY(w.responseParsed());
    QCOMPARE(w.status(), 101);
    QVERIFY(w.accept().passed());

    const WalkthroughStep *accept = find(w, Kind::ComputeAccept);
    QVERIFY(accept);
    QCOMPARE(accept->details,
        QStringList({ QStringLiteral("key:          dGhlIHNhbXBsZSBub25jZQ=="),
            QStringLiteral("key + GUID:   dGhlIHNhbXBsZSBub25jZQ==258EAFA5-E914-47DA-95CA-C5AB0DC85B11"),
            QStringLiteral("SHA-1:        b37a4f2cc0624f1690f64606cf385945b2bec4ea"),
            QStringLiteral("base64:       s3pPLMBiTxaQ9kYGzzhZRbK+xOo="),
            QStringLiteral("server sent:  s3pPLMBiTxaQ9kYGzzhZRbK+xOo=  (matches)") }));
    QVERIFY(accept->explanation.contains(QStringLiteral("exactly the expected value")));

    const WalkthroughStep *key = find(w, Kind::RequestHeader, QStringLiteral("Sec-WebSocket-Key"));
    QVERIFY(key);
    // "the sample nonce" is what the RFC's key decodes to.
    QCOMPARE(key->details,
        QStringList { QStringLiteral("decoded: 74 68 65 20 73 61 6d 70 6c 65 20 6e 6f 6e 63 65 (16 bytes)") });

    const WalkthroughStep *protocol = find(w, Kind::RequestHeader, QStringLiteral("Sec-WebSocket-Protocol"));
    QVERIFY(protocol);
    QCOMPARE(protocol->inBrowser, QStringLiteral("new WebSocket(url, [\"chat\", \"superchat\"])"));
    QVERIFY(protocol->explanation.contains(QStringLiteral("offers 2 subprotocols in order of preference: chat, "
                                                          "superchat")));
    const WalkthroughStep *chosen = find(w, Kind::ResponseHeader, QStringLiteral("Sec-WebSocket-Protocol"));
    QVERIFY(chosen);
    QCOMPARE(chosen->inBrowser, QStringLiteral("ws.protocol === \"chat\""));
}

void tst_HandshakeWalkthrough::rfcExampleFrames()
{
    const HandshakeWalkthrough w(RfcRequest, RfcResponse);
    QVERIFY(w.upgraded());
    const WalkthroughStep &last = w.steps().last();
    QCOMPARE(last.kind, Kind::Frames);
    QVERIFY(last.explanation.contains(QStringLiteral("frames in both directions")));
    QVERIFY(last.explanation.contains(QStringLiteral("Socket.IO")));
    QCOMPARE(last.inBrowser, QStringLiteral("The open event fires now and readyState becomes 1 (OPEN)"));
    QVERIFY(last.topics.contains(QString(Glossary::SocketIo)));

    const WalkthroughStep &first = w.steps().first();
    QVERIFY(first.explanation.contains(QStringLiteral("\"GET /chat HTTP/1.1\"")));
    QVERIFY(first.explanation.contains(QStringLiteral("\"/chat\" picks the WebSocket endpoint on server.example.com")));
}

void tst_HandshakeWalkthrough::empty()
{
    const HandshakeWalkthrough w({}, {});
    QVERIFY(w.isEmpty());
    QVERIFY(!w.upgraded());
    QCOMPARE(w.status(), 0);
    QVERIFY(HandshakeWalkthrough().isEmpty());
}

void tst_HandshakeWalkthrough::missingResponse()
{
    const HandshakeWalkthrough w(RfcRequest, {});
    QCOMPARE(kinds(w),
        QList<Kind>({ Kind::Connect, Kind::RequestHeader, Kind::RequestHeader, Kind::RequestHeader, Kind::RequestHeader,
            Kind::RequestHeader, Kind::RequestHeader, Kind::RequestHeader, Kind::ComputeAccept, Kind::Status,
            Kind::Frames }));
    QVERIFY(!w.responseParsed());
    QVERIFY(!w.upgraded());

    const WalkthroughStep *accept = find(w, Kind::ComputeAccept);
    QCOMPARE(spanList(accept->spans), QStringList { QStringLiteral("req 87+43") });
    QVERIFY(accept->explanation.endsWith(QStringLiteral("No response arrived, so there is nothing to compare with.")));
    QCOMPARE(accept->details.size(), 4); // computed, but nothing to compare with
    QVERIFY(!accept->warning);

    const WalkthroughStep *status = find(w, Kind::Status);
    QCOMPARE(status->title, QStringLiteral("No response arrived"));
    QVERIFY(status->spans.isEmpty());
    QVERIFY(status->warning);
    QVERIFY(status->topics.contains(QStringLiteral("close-1006")));

    const WalkthroughStep &frames = w.steps().last();
    QCOMPARE(frames.title, QStringLiteral("No frames: there was no handshake"));
    QVERIFY(frames.warning);
    QCOMPARE(frames.inBrowser, QStringLiteral("error, then close with code 1006 and wasClean false"));
    checkSpans(w, RfcRequest, {});
}

void tst_HandshakeWalkthrough::refused_data()
{
    QTest::addColumn<QByteArray>("response");
    QTest::addColumn<QString>("title");
    QTest::addColumn<QString>("meaning"); // the status step's explanation starts with it
    QTest::addColumn<QList<Kind>>("responseKinds"); // after the status step, before Frames
    QTest::addColumn<QStringList>("statusSpans");

    const QByteArray html = "<h1>Forbidden</h1>";
    QTest::addRow("403 with a body") << QByteArray(
        "HTTP/1.1 403 Forbidden\r\nContent-Type: text/html\r\nContent-Length: 18\r\n\r\n" + html)
                                     << QStringLiteral("HTTP/1.1 403 Forbidden")
                                     << QStringLiteral("403 Forbidden: the server refused the connection.")
                                     << QList<Kind> { Kind::OtherResponseHeaders }
                                     << QStringList { QStringLiteral("resp 0+22"), QStringLiteral("resp 71+18") };
    QTest::addRow("200: not a WebSocket endpoint")
        << QByteArray("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n") << QStringLiteral("HTTP/1.1 200 OK")
        << QStringLiteral("200 OK is an ordinary HTTP answer") << QList<Kind> { Kind::OtherResponseHeaders }
        << QStringList { QStringLiteral("resp 0+15") };
    QTest::addRow("404") << QByteArray("HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n")
                         << QStringLiteral("HTTP/1.1 404 Not Found")
                         << QStringLiteral("404 Not Found: there is no "
                                           "WebSocket endpoint at this path")
                         << QList<Kind> { Kind::OtherResponseHeaders } << QStringList { QStringLiteral("resp 0+22") };
    QTest::addRow("426 with versions") << QByteArray(
        "HTTP/1.1 426 Upgrade Required\r\nSec-WebSocket-Version: 13, 8\r\nContent-Length: 0\r\n\r\n")
                                       << QStringLiteral("HTTP/1.1 426 Upgrade Required")
                                       << QStringLiteral("426 Upgrade Required")
                                       << QList<Kind> { Kind::ResponseHeader, Kind::OtherResponseHeaders }
                                       << QStringList { QStringLiteral("resp 0+29") };
    QTest::addRow("redirect") << QByteArray("HTTP/1.1 302 Found\r\nLocation: wss://example.com/\r\n\r\n")
                              << QStringLiteral("HTTP/1.1 302 Found")
                              << QStringLiteral(
                                     "The server redirects to \"wss://example.com/\". Browsers do not follow")
                              << QList<Kind> { Kind::OtherResponseHeaders }
                              << QStringList { QStringLiteral("resp 0+18") };
    QTest::addRow("no reason phrase") << QByteArray("HTTP/1.1 503\r\n\r\n") << QStringLiteral("HTTP/1.1 503")
                                      << QStringLiteral("503: a proxy or load balancer") << QList<Kind> {}
                                      << QStringList { QStringLiteral("resp 0+12") };
}

void tst_HandshakeWalkthrough::refused()
{
    QFETCH(QByteArray, response);
    QFETCH(QString, title);
    QFETCH(QString, meaning);
    QFETCH(QList<Kind>, responseKinds);
    QFETCH(QStringList, statusSpans);

    const HandshakeWalkthrough w(PlainRequest, response);
    QVERIFY(w.responseParsed());
    QVERIFY(!w.upgraded());

    const QList<Kind> all = kinds(w);
    const qsizetype statusIndex = all.indexOf(Kind::Status);
    QCOMPARE(statusIndex, 7); // connect, 5 headers, accept
    QCOMPARE(all.sliced(statusIndex + 1, all.size() - statusIndex - 2), responseKinds);
    QCOMPARE(all.last(), Kind::Frames);

    const WalkthroughStep &status = w.steps().at(statusIndex);
    QCOMPARE(status.title, title);
    QVERIFY2(status.explanation.startsWith(meaning), qPrintable(status.explanation));
    QVERIFY(status.explanation.endsWith(
        QStringLiteral("Only 101 opens a WebSocket; a browser script never sees this status code.")));
    QCOMPARE(spanList(status.spans), statusSpans);
    QVERIFY(status.warning);

    const WalkthroughStep *accept = find(w, Kind::ComputeAccept);
    QVERIFY(accept->explanation.contains(QStringLiteral("answered %1 instead of 101").arg(w.status())));
    QVERIFY(!accept->warning);

    const WalkthroughStep &frames = w.steps().last();
    QCOMPARE(frames.title, QStringLiteral("No frames: the connection was not upgraded"));
    QVERIFY(frames.warning);
    checkSpans(w, PlainRequest, response);
}

void tst_HandshakeWalkthrough::badAccept()
{
    const QByteArray response = response101({}, "AAAAAAAAAAAAAAAAAAAAAAAAAAA=");
    const HandshakeWalkthrough w(PlainRequest, response);
    QCOMPARE(w.status(), 101);
    QVERIFY(!w.upgraded());

    const WalkthroughStep *accept = find(w, Kind::ComputeAccept);
    QVERIFY(accept->warning);
    QCOMPARE(accept->details.last(), QStringLiteral("server sent:  AAAAAAAAAAAAAAAAAAAAAAAAAAA=  (does not match)"));
    const WalkthroughStep *header = find(w, Kind::ResponseHeader, QStringLiteral("Sec-WebSocket-Accept"));
    QVERIFY(header->warning);
    QVERIFY(header->explanation.contains(QStringLiteral("expected s3pPLMBiTxaQ9kYGzzhZRbK+xOo=")));
    QVERIFY(!find(w, Kind::Status)->warning);

    const WalkthroughStep &frames = w.steps().last();
    QCOMPARE(frames.title, QStringLiteral("No frames: the client must fail the connection"));
    QVERIFY(frames.explanation.contains(QStringLiteral("Sec-WebSocket-Accept mismatch")));
    QVERIFY(frames.warning);
}

void tst_HandshakeWalkthrough::missingRequestHeaders()
{
    const QByteArray request = "GET / HTTP/1.1\r\nHost: example.com\r\nUpgrade: websocket\r\n\r\n";
    const HandshakeWalkthrough w(request, {});
    QCOMPARE(kinds(w),
        QList<Kind>({ Kind::Connect, Kind::RequestHeader, Kind::RequestHeader, Kind::MissingRequestHeader,
            Kind::MissingRequestHeader, Kind::MissingRequestHeader, Kind::ComputeAccept, Kind::Status, Kind::Frames }));
    QStringList missing;
    for (const WalkthroughStep &s : w.steps()) {
        if (s.kind == Kind::MissingRequestHeader) {
            missing.append(s.headerName);
            QVERIFY(s.warning);
            QVERIFY(s.spans.isEmpty());
        }
    }
    QCOMPARE(missing,
        QStringList({ QStringLiteral("Connection"), QStringLiteral("Sec-WebSocket-Key"),
            QStringLiteral("Sec-WebSocket-Version") }));
    const WalkthroughStep *accept = find(w, Kind::ComputeAccept);
    QCOMPARE(accept->title, QStringLiteral("Nothing to compute: no Sec-WebSocket-Key"));
    QVERIFY(accept->warning);
}

void tst_HandshakeWalkthrough::otherHeaders()
{
    const QByteArray request = "GET / HTTP/1.1\r\n"
                               "Host: a\r\n" // 16
                               "User-Agent: x\r\n" // 25
                               "Upgrade: websocket\r\n" // 40
                               "Connection: Upgrade\r\n" // 60
                               "Cookie: s=1\r\n" // 81
                               "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n" // 94
                               "Sec-WebSocket-Version: 13\r\n" // 139
                               "cookie: t=2\r\n" // 166
                               "\r\n";
    const HandshakeWalkthrough w(request, response101("Server: test\r\nSet-Cookie: a=b\r\n"));
    const WalkthroughStep *other = find(w, Kind::OtherRequestHeaders);
    QVERIFY(other);
    QCOMPARE(other->title, QStringLiteral("Other headers: User-Agent, Cookie"));
    QCOMPARE(spanList(other->spans),
        QStringList({ QStringLiteral("req 25+13"), QStringLiteral("req 81+11"), QStringLiteral("req 166+11") }));
    QVERIFY(other->explanation.contains(QStringLiteral("cookies")));
    QVERIFY(!other->warning);
    // The other headers come after every WebSocket header.
    QCOMPARE(kinds(w).indexOf(Kind::OtherRequestHeaders), 6);

    const WalkthroughStep *otherResponse = find(w, Kind::OtherResponseHeaders);
    QVERIFY(otherResponse);
    QCOMPARE(otherResponse->title, QStringLiteral("Other headers: Server, Set-Cookie"));
    QCOMPARE(
        spanList(otherResponse->spans), QStringList({ QStringLiteral("resp 127+12"), QStringLiteral("resp 141+15") }));
    QVERIFY(w.upgraded());
    checkSpans(w, request, response101("Server: test\r\nSet-Cookie: a=b\r\n"));
}

void tst_HandshakeWalkthrough::repeatedHeader()
{
    const QByteArray request = "GET / HTTP/1.1\r\n"
                               "Host: a\r\n"
                               "Upgrade: websocket\r\n"
                               "Connection: Upgrade\r\n"
                               "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                               "Sec-WebSocket-Protocol: soap\r\n" // 111
                               "Sec-WebSocket-Version: 13\r\n"
                               "Sec-WebSocket-Protocol: wamp\r\n" // 168
                               "\r\n";
    const HandshakeWalkthrough w(request, response101("Sec-WebSocket-Protocol: wamp\r\n"));
    const WalkthroughStep *protocol = find(w, Kind::RequestHeader, QStringLiteral("Sec-WebSocket-Protocol"));
    QCOMPARE(spanList(protocol->spans), QStringList({ QStringLiteral("req 111+28"), QStringLiteral("req 168+28") }));
    QVERIFY(protocol->explanation.contains(QStringLiteral("offers 2 subprotocols in order of preference: soap, wamp")));
    QVERIFY(protocol->explanation.endsWith(QStringLiteral("The header appears 2 times; the lists add up.")));
    QVERIFY(!protocol->warning);
    // Still one step for the name, placed where it first appeared.
    QCOMPARE(kinds(w).count(Kind::RequestHeader), 6);
    QCOMPARE(w.steps().at(5).headerName, QStringLiteral("Sec-WebSocket-Protocol"));
    QVERIFY(w.upgraded());
    checkSpans(w, request, response101("Sec-WebSocket-Protocol: wamp\r\n"));
}

void tst_HandshakeWalkthrough::transport_data()
{
    QTest::addColumn<Transport>("transport");
    QTest::addColumn<QString>("sentence");
    QTest::addRow("unknown") << Transport::Unknown
                             << QStringLiteral("(for a wss:// URL, a TLS handshake then encrypts everything below)");
    QTest::addRow("ws://") << Transport::Tcp << QStringLiteral("The URL is ws://, so there is no TLS");
    QTest::addRow("wss://") << Transport::Tls << QStringLiteral("because the URL is wss://, ran a TLS handshake");
}

void tst_HandshakeWalkthrough::transport()
{
    QFETCH(Transport, transport);
    QFETCH(QString, sentence);
    const HandshakeWalkthrough w(PlainRequest, response101(), transport);
    QVERIFY2(w.steps().first().explanation.contains(sentence), qPrintable(w.steps().first().explanation));
    QVERIFY(w.upgraded());
}

void tst_HandshakeWalkthrough::socketIoPath()
{
    QByteArray request = PlainRequest;
    request.replace("GET / ", "GET /socket.io/?EIO=4&transport=websocket ");
    const HandshakeWalkthrough w(request, {});
    const WalkthroughStep &connect = w.steps().first();
    QVERIFY(connect.explanation.contains(QStringLiteral("Socket.IO, which is not plain WebSocket")));
    QVERIFY(connect.topics.contains(QString(Glossary::SocketIo)));

    const HandshakeWalkthrough plain(PlainRequest, {});
    QVERIFY(!plain.steps().first().explanation.contains(QStringLiteral("Socket.IO")));
}

void tst_HandshakeWalkthrough::responseNotHttp()
{
    const QByteArray response = "SSH-2.0-OpenSSH_9.2\r\n";
    const HandshakeWalkthrough w(PlainRequest, response);
    QVERIFY(!w.responseParsed());
    const WalkthroughStep *status = find(w, Kind::Status);
    QCOMPARE(status->title, QStringLiteral("The answer is not a valid HTTP response"));
    QVERIFY(status->explanation.startsWith(QStringLiteral("The server sent 21 bytes, but not an HTTP response")));
    QCOMPARE(spanList(status->spans), QStringList { QStringLiteral("resp 0+19") });
    QCOMPARE(status->spans.first().text, QStringLiteral("SSH-2.0-OpenSSH_9.2"));
    QVERIFY(status->warning);
    QCOMPARE(w.steps().last().title, QStringLiteral("No frames: there was no handshake"));
    checkSpans(w, PlainRequest, response);
}

void tst_HandshakeWalkthrough::foldedResponseHeader()
{
    const QByteArray response = "HTTP/1.1 101 Switching Protocols\r\n"
                                "Upgrade: websocket\r\n"
                                "Connection:\r\n" // 54
                                "  Upgrade\r\n" // 67
                                "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n"
                                "\r\n";
    const HandshakeWalkthrough w(PlainRequest, response);
    const WalkthroughStep *connection = find(w, Kind::ResponseHeader, QStringLiteral("Connection"));
    QCOMPARE(spanList(connection->spans), QStringList { QStringLiteral("resp 54+22") });
    QCOMPARE(connection->spans.first().text, QStringLiteral("Connection: Upgrade"));
    QCOMPARE(spanList(find(w, Kind::ResponseHeader, QStringLiteral("Sec-WebSocket-Accept"))->spans),
        QStringList { QStringLiteral("resp 78+50") });
    QVERIFY(w.upgraded());
    checkSpans(w, PlainRequest, response);
}

void tst_HandshakeWalkthrough::bareLineFeeds()
{
    const QByteArray request = "GET / HTTP/1.1\nHost: a\nUpgrade: websocket\nConnection: Upgrade\n"
                               "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\nSec-WebSocket-Version: 13\n\n";
    const HandshakeWalkthrough w(request, {});
    QCOMPARE(spanList(w.steps().at(0).spans), QStringList { QStringLiteral("req 0+14") });
    QCOMPARE(spanList(w.steps().at(1).spans), QStringList { QStringLiteral("req 15+7") });
    QCOMPARE(spanList(w.steps().at(2).spans), QStringList { QStringLiteral("req 23+18") });
    QCOMPARE(spanList(w.steps().at(4).spans), QStringList { QStringLiteral("req 62+43") });
    checkSpans(w, request, {});
}

void tst_HandshakeWalkthrough::offersNotTakenUp()
{
    QByteArray request = PlainRequest;
    request.replace("\r\n\r\n",
        "\r\nSec-WebSocket-Protocol: soap, wamp\r\n"
        "Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits\r\n\r\n");
    const HandshakeWalkthrough w(request, response101());
    QVERIFY(w.upgraded());
    QStringList titles;
    for (const WalkthroughStep &s : w.steps()) {
        if (s.kind == Kind::MissingResponseHeader) {
            titles.append(s.title);
            QVERIFY2(!s.warning, qPrintable(s.title)); // allowed: the connection opens anyway
        }
    }
    QCOMPARE(titles, QStringList({ QStringLiteral("No subprotocol chosen"), QStringLiteral("No extension accepted") }));
    const WalkthroughStep *extensions = find(w, Kind::RequestHeader, QStringLiteral("Sec-WebSocket-Extensions"));
    QVERIFY(extensions->explanation.contains(QStringLiteral("RSV1")));
    QCOMPARE(find(w, Kind::MissingResponseHeader, QStringLiteral("Sec-WebSocket-Protocol"))->inBrowser,
        QStringLiteral("ws.protocol === \"\""));
}

void tst_HandshakeWalkthrough::unofferedSubprotocol()
{
    const QByteArray response = response101("Sec-WebSocket-Protocol: mqtt\r\n");
    const HandshakeWalkthrough w(PlainRequest, response);
    QVERIFY(!w.upgraded());
    const WalkthroughStep *chosen = find(w, Kind::ResponseHeader, QStringLiteral("Sec-WebSocket-Protocol"));
    QVERIFY(chosen->warning);
    QVERIFY(chosen->explanation.contains(QStringLiteral("the client offered none")));
    QVERIFY(w.steps().last().explanation.contains(QStringLiteral("mqtt")));
}

void tst_HandshakeWalkthrough::incompleteRequest()
{
    const QByteArray request = "GET / HTTP/1.1\r\nHost: a\r\n";
    const HandshakeWalkthrough w(request, {});
    QVERIFY(!w.requestParsed());
    QCOMPARE(kinds(w), QList<Kind>({ Kind::Connect, Kind::Status, Kind::Frames }));
    const WalkthroughStep &connect = w.steps().first();
    QVERIFY(connect.warning);
    QVERIFY(connect.explanation.contains(QStringLiteral("it does not end with a blank line")));
    QCOMPARE(spanList(connect.spans), QStringList { QStringLiteral("req 0+14") });

    const HandshakeWalkthrough noRequest({}, response101());
    QCOMPARE(noRequest.steps().first().title, QStringLiteral("No request was recorded"));
    QVERIFY(!noRequest.upgraded());
    QCOMPARE(noRequest.steps().last().title, QStringLiteral("No frames: the client must fail the connection"));
}

void tst_HandshakeWalkthrough::peerBytesArePlainText()
{
    const QByteArray response = "HTTP/1.1 101 Switching\x1b[31m Protocols\r\n"
                                "Upgrade: websocket\r\n"
                                "Connection: Upgrade\r\n"
                                "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n"
                                "X-Evil: \x07\xff\r\n"
                                "\r\n";
    const HandshakeWalkthrough w(PlainRequest, response);
    QCOMPARE(find(w, Kind::Status)->title, QStringLiteral("HTTP/1.1 101 Switching\\x1b[31m Protocols"));
    QCOMPARE(find(w, Kind::OtherResponseHeaders)->spans.first().text, QStringLiteral("X-Evil: \\x07\\xff"));
    checkSpans(w, PlainRequest, response);

    // A bidi override in the status line and a header: escaped wherever the walk-through quotes them.
    const QByteArray spoofed = "HTTP/1.1 101 Switching\xe2\x80\xae Protocols\r\n"
                               "Upgrade: websocket\r\n"
                               "Connection: Upgrade\r\n"
                               "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n"
                               "X-Name: a\xe2\x81\xa6" "b\r\n"
                               "\r\n";
    const HandshakeWalkthrough v(PlainRequest, spoofed);
    QCOMPARE(find(v, Kind::Status)->title, QStringLiteral("HTTP/1.1 101 Switching\\u202e Protocols"));
    QCOMPARE(find(v, Kind::OtherResponseHeaders)->spans.first().text, QStringLiteral("X-Name: a\\u2066b"));
    for (const WalkthroughStep &step : v.steps()) {
        QString all = step.title + step.explanation + step.details.join(QString()) + step.inBrowser;
        for (const HandshakeSpan &span : step.spans)
            all += span.text;
        QVERIFY2(!all.contains(QChar(0x202E)) && !all.contains(QChar(0x2066)), qPrintable(step.title));
    }
}

QTEST_GUILESS_MAIN(tst_HandshakeWalkthrough)
#include "tst_handshakewalkthrough.moc"
