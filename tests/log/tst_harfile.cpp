// HAR files: what HarWriter writes is what Chrome DevTools writes for a WebSocket (checked field by
// field and typed as Chrome types them), HarReader gives back every event of it byte for byte, and
// HarReader reads a Chrome export and a Firefox export (handshakes only) as their browsers wrote
// them. Bad input is named, entry and message, and what is good is kept.

#include "eventfixtures.h"
#include "captureevents.h"
#include "log/capture.h"
#include "log/harreader.h"
#include "log/harwriter.h"
#include "log/sessionfile.h"

#include <QBuffer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

class tst_HarFile : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void chromeFields();
    void everyEventReadBack();
    void relayLegsAreEntriesOfTheirOwn();
    void chromeExport();
    void firefoxExport();
    void badInput_data();
    void badInput();
};

namespace {

const QByteArray Request = "GET /chat?room=a%20b&x=1 HTTP/1.1\r\nHost: example.com:8080\r\nUpgrade: websocket\r\n"
                           "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                           "Sec-WebSocket-Version: 13\r\nX-Caf\xc3\xa9: cr\xe8me\r\n\r\n";
const QByteArray Response = "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                            "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n\r\n";

// Records a client's conversation: the time of each event is `ms` after fixedTime().
class Conversation {
public:
    explicit Conversation(Capture &capture, quint32 connection = 1, Leg leg = Leg::None)
        : m_capture(capture)
        , m_connection(connection)
        , m_leg(leg)
    {
    }
    void event(int ms, EventKind kind, Direction direction, const QByteArray &payload, ReadyState state = ReadyState::Connecting)
    {
        WireEvent e = simpleEvent(kind, direction, payload);
        e.timeUs = fixedTime() + ms * 1000;
        e.connectionId = m_connection;
        e.leg = m_leg;
        e.state = state;
        m_capture.record(e);
    }
    void frame(int ms, Direction direction, quint8 opcode, const QByteArray &payload, bool fin = true)
    {
        FrameSpec spec;
        spec.fin = fin;
        spec.opcode = opcode;
        spec.mask = direction == Direction::Outgoing;
        spec.maskingKey = 0x1a2b3c4d;
        spec.payload = payload;
        const EncodedFrame encoded = FrameWriter::encode(spec);
        WireEvent e = frameEvent(direction, encoded.header(), payload);
        e.timeUs = fixedTime() + ms * 1000;
        e.connectionId = m_connection;
        e.leg = m_leg;
        m_capture.record(e);
    }

private:
    Capture &m_capture;
    quint32 m_connection;
    Leg m_leg;
};

void recordConversation(Capture &capture)
{
    Conversation c(capture);
    c.event(0, EventKind::HandshakeRequest, Direction::Outgoing, Request);
    c.event(3, EventKind::HandshakeResponse, Direction::Incoming, Response);
    c.event(3, EventKind::StateChange, Direction::Local, "OPEN", ReadyState::Open);
    c.frame(5, Direction::Outgoing, Opcode::Text, "hello \"you\"");
    c.frame(6, Direction::Incoming, Opcode::Binary, QByteArray::fromHex("00ff10"));
    c.frame(7, Direction::Incoming, Opcode::Text, "caf\xc3", false); // split inside a code point
    c.frame(8, Direction::Incoming, Opcode::Continuation, "\xa9 au lait");
    c.frame(9, Direction::Outgoing, Opcode::Ping, "still there?");
    c.frame(10, Direction::Incoming, Opcode::Pong, "still there?");
    c.event(11, EventKind::Violation, Direction::Incoming, "reserved opcode 3");
    c.event(12, EventKind::Error, Direction::Local, "the server closed the TCP connection");
    c.frame(13, Direction::Incoming, Opcode::Close, FrameWriter::closePayload(1000, "bye"));
    c.event(14, EventKind::StateChange, Direction::Local, "CLOSED: 1000", ReadyState::Closed);
}

QJsonObject harOf(const Capture &capture, const SessionHeader &header = {})
{
    QBuffer buffer;
    buffer.open(QIODevice::WriteOnly);
    QString error;
    if (!HarWriter::write(capture, header, &buffer, &error))
        qFatal("HarWriter failed: %s", qPrintable(error));
    QJsonParseError parse;
    const QJsonDocument doc = QJsonDocument::fromJson(buffer.data(), &parse);
    if (parse.error != QJsonParseError::NoError)
        qFatal("not JSON: %s", qPrintable(parse.errorString()));
    return doc.object();
}


QByteArray harText(const QJsonObject &log)
{
    return QJsonDocument(QJsonObject { { QStringLiteral("log"), log } }).toJson();
}

} // namespace

void tst_HarFile::chromeFields()
{
    Capture capture;
    recordConversation(capture);
    SessionHeader header;
    header.url = QStringLiteral("ws://example.com:8080/chat?room=a%20b&x=1");
    header.tool = QStringLiteral("wsinspector-cli test");
    const QJsonObject log = harOf(capture, header).value(QStringLiteral("log")).toObject();
    QCOMPARE(log.value(QStringLiteral("version")).toString(), QStringLiteral("1.2"));
    QCOMPARE(log.value(QStringLiteral("creator")).toObject().value(QStringLiteral("name")).toString(), QStringLiteral("WebSocket Inspector"));
    const QJsonArray entries = log.value(QStringLiteral("entries")).toArray();
    QCOMPARE(entries.size(), 1);
    const QJsonObject entry = entries.first().toObject();
    QCOMPARE(entry.value(QStringLiteral("_resourceType")).toString(), QStringLiteral("websocket"));
    QCOMPARE(entry.value(QStringLiteral("startedDateTime")).toString(), QStringLiteral("2026-11-21T05:30:00.123Z"));
    QCOMPARE(entry.value(QStringLiteral("time")).toDouble(), 14.0);
    const QJsonObject request = entry.value(QStringLiteral("request")).toObject();
    QCOMPARE(request.value(QStringLiteral("method")).toString(), QStringLiteral("GET"));
    QCOMPARE(request.value(QStringLiteral("url")).toString(), QStringLiteral("ws://example.com:8080/chat?room=a%20b&x=1"));
    QCOMPARE(request.value(QStringLiteral("httpVersion")).toString(), QStringLiteral("HTTP/1.1"));
    QCOMPARE(request.value(QStringLiteral("headersSize")).toInt(), Request.size());
    const QJsonArray headers = request.value(QStringLiteral("headers")).toArray();
    QCOMPARE(headers.size(), 6);
    QCOMPARE(headers[0].toObject().value(QStringLiteral("name")).toString(), QStringLiteral("Host"));
    QCOMPARE(headers[0].toObject().value(QStringLiteral("value")).toString(), QStringLiteral("example.com:8080"));
    // A header that is not UTF-8 is read as Latin-1, so the file stays JSON.
    QCOMPARE(headers[5].toObject().value(QStringLiteral("value")).toString(), QStringLiteral("cr\u00e8me"));
    QCOMPARE(headers[5].toObject().value(QStringLiteral("name")).toString(), QStringLiteral("X-Caf\u00e9"));
    const QJsonArray query = request.value(QStringLiteral("queryString")).toArray();
    QCOMPARE(query.size(), 2);
    QCOMPARE(query[0].toObject().value(QStringLiteral("value")).toString(), QStringLiteral("a b"));
    const QJsonObject response = entry.value(QStringLiteral("response")).toObject();
    QCOMPARE(response.value(QStringLiteral("status")).toInt(), 101);
    QCOMPARE(response.value(QStringLiteral("statusText")).toString(), QStringLiteral("Switching Protocols"));
    QCOMPARE(response.value(QStringLiteral("headers")).toArray().size(), 3);
    const QJsonObject timings = entry.value(QStringLiteral("timings")).toObject();
    QCOMPARE(timings.value(QStringLiteral("wait")).toDouble(), 3.0);
    QCOMPARE(timings.value(QStringLiteral("receive")).toDouble(), 11.0);
    QCOMPARE(timings.value(QStringLiteral("dns")).toDouble(), -1.0);

    // Whole data messages and errors, as Chrome writes them: nothing of control frames.
    const QJsonArray messages = entry.value(QStringLiteral("_webSocketMessages")).toArray();
    QCOMPARE(messages.size(), 4);
    const double t0 = double(fixedTime()) / 1e6;
    const auto check = [&](int i, const char *type, int ms, int opcode, const QString &data) {
        const QJsonObject m = messages[i].toObject();
        QCOMPARE(m.value(QStringLiteral("type")).toString(), QLatin1String(type));
        QVERIFY(m.value(QStringLiteral("time")).isDouble());
        QVERIFY(qAbs(m.value(QStringLiteral("time")).toDouble() - (t0 + ms / 1000.0)) < 0.0006);
        QCOMPARE(m.value(QStringLiteral("opcode")).toInt(), opcode);
        QCOMPARE(m.value(QStringLiteral("data")).toString(), data);
    };
    check(0, "send", 5, 1, QStringLiteral("hello \"you\""));
    check(1, "receive", 6, 2, QStringLiteral("AP8Q")); // base64 of 00 ff 10
    check(2, "receive", 8, 1, QStringLiteral("caf\u00e9 au lait")); // once, whole, at its last frame
    check(3, "error", 12, -1, QStringLiteral("the server closed the TCP connection"));
    QCOMPARE(log.value(QStringLiteral("_wsinspectorSession")).toObject().value(QStringLiteral("tool")).toString(),
             QStringLiteral("wsinspector-cli test"));
}

void tst_HarFile::everyEventReadBack()
{
    Capture capture;
    recordConversation(capture);
    SessionHeader header;
    header.url = QStringLiteral("ws://example.com:8080/chat");
    header.extra.insert(QStringLiteral("role"), QStringLiteral("server")); // as --serve writes it
    header.extra.insert(QStringLiteral("note"), QJsonObject { { QStringLiteral("a"), 1 } });
    const QJsonObject har = harOf(capture, header);
    Capture back;
    const HarReader::Result result = HarReader::read(QJsonDocument(har).toJson(), back);
    QVERIFY2(result.ok(), qPrintable(result.errors.join(QLatin1Char('\n'))));
    QCOMPARE(result.eventsLoaded, capture.count());
    QCOMPARE(result.header.url, header.url);
    QCOMPARE(result.header.extra, header.extra);
    QCOMPARE(jsonlLinesOf(back), jsonlLinesOf(capture)); // every field of every event, the frame headers too
    // The messages are numbered again: the fragmented one is one message.
    QCOMPARE(back.message(6).payload, QByteArray("caf\xc3\xa9 au lait"));
}

void tst_HarFile::relayLegsAreEntriesOfTheirOwn()
{
    Capture capture;
    Conversation app(capture, 1, Leg::App);
    Conversation server(capture, 1, Leg::Server);
    app.event(0, EventKind::HandshakeRequest, Direction::Incoming, Request);
    server.event(1, EventKind::HandshakeRequest, Direction::Outgoing, Request);
    server.event(2, EventKind::HandshakeResponse, Direction::Incoming, Response);
    app.event(3, EventKind::HandshakeResponse, Direction::Outgoing, Response);
    app.frame(4, Direction::Incoming, Opcode::Text, "from the app");
    server.frame(5, Direction::Outgoing, Opcode::Text, "from the app");
    server.frame(6, Direction::Incoming, Opcode::Text, "from the server");
    app.frame(7, Direction::Outgoing, Opcode::Text, "from the server");
    const QJsonArray entries = harOf(capture).value(QStringLiteral("log")).toObject().value(QStringLiteral("entries")).toArray();
    QCOMPARE(entries.size(), 2);
    QStringList seen;
    for (const QJsonValue &entry : entries) {
        const QJsonObject e = entry.toObject();
        QStringList types;
        for (const QJsonValue &m : e.value(QStringLiteral("_webSocketMessages")).toArray())
            types << m.toObject().value(QStringLiteral("type")).toString() + QLatin1Char(' ') + m.toObject().value(QStringLiteral("data")).toString();
        seen << e.value(QStringLiteral("_wsinspectorLeg")).toString() + QStringLiteral(": ") + types.join(QStringLiteral(", "));
    }
    // On either leg the application is the client: what it sent is "send".
    QCOMPARE(seen, QStringList({ QStringLiteral("app: send from the app, receive from the server"),
                                 QStringLiteral("server: send from the app, receive from the server") }));
    Capture back;
    QVERIFY(HarReader::read(QJsonDocument(harOf(capture)).toJson(), back).ok());
    QCOMPARE(jsonlLinesOf(back), jsonlLinesOf(capture));
}

void tst_HarFile::chromeExport()
{
    // The shape of a Chrome DevTools export of a WebSocket (devtools-frontend's HAR Log.ts):
    // httpVersion "websocket" when it had no raw headers, times in seconds, binary in base64.
    const QByteArray chrome = R"({"log":{"version":"1.2","creator":{"name":"WebInspector","version":"537.36"},"pages":[],"entries":[
      {"startedDateTime":"2026-11-21T05:30:00.123Z","time":10.5,"_resourceType":"document",
       "request":{"method":"GET","url":"https://example.com/","httpVersion":"HTTP/1.1","headers":[]},
       "response":{"status":200,"statusText":"OK","httpVersion":"HTTP/1.1","headers":[]}},
      {"_initiator":{"type":"script"},"_priority":null,"_resourceType":"websocket","cache":{},"connection":"443",
       "request":{"method":"GET","url":"wss://example.com/socket?token=abc","httpVersion":"websocket",
         "headers":[{"name":"Host","value":"example.com"},{"name":"Upgrade","value":"websocket"}],
         "queryString":[{"name":"token","value":"abc"}],"cookies":[],"headersSize":-1,"bodySize":0},
       "response":{"status":101,"statusText":"Switching Protocols","httpVersion":"websocket",
         "headers":[{"name":"Upgrade","value":"websocket"}],"cookies":[],"content":{"size":0,"mimeType":"x-unknown"},
         "redirectURL":"","headersSize":-1,"bodySize":-1,"_transferSize":0,"_error":null},
       "serverIPAddress":"","startedDateTime":"2026-11-21T05:30:01.000Z","time":2500,
       "timings":{"blocked":-1,"dns":-1,"ssl":-1,"connect":-1,"send":0,"wait":20,"receive":2480,"_blocked_queueing":-1},
       "_webSocketMessages":[
         {"type":"send","time":1795239001.25,"opcode":1,"data":"{\"op\":\"subscribe\"}"},
         {"type":"receive","time":1795239001.5,"opcode":2,"data":"AAEC/w=="},
         {"type":"error","time":1795239002,"opcode":-1,"data":"net::ERR_CONNECTION_RESET"}]}]}})";
    Capture capture;
    const HarReader::Result result = HarReader::read(chrome, capture);
    QVERIFY2(result.ok(), qPrintable(result.errors.join(QLatin1Char('\n'))));
    QCOMPARE(result.header.url, QStringLiteral("wss://example.com/socket?token=abc"));
    QCOMPARE(result.header.tool, QStringLiteral("WebInspector 537.36 (HAR)"));
    QCOMPARE(capture.count(), 8); // note, TLS, request, response, OPEN, two frames, the error
    const WireEvent note = capture.event(0);
    QCOMPARE(note.kind, EventKind::StateChange);
    QVERIFY(note.text().contains(QLatin1String("00000000")));
    QCOMPARE(capture.event(1).kind, EventKind::TlsInfo); // wss://: marked so, for the exports after
    const WireEvent request = capture.event(2);
    QCOMPARE(request.kind, EventKind::HandshakeRequest);
    QCOMPARE(request.payload, QByteArrayView("GET /socket?token=abc HTTP/1.1\r\nHost: example.com\r\nUpgrade: websocket\r\n\r\n"));
    QCOMPARE(request.timeUs, qint64(1795239001000000));
    const WireEvent response = capture.event(3);
    QCOMPARE(response.payload, QByteArrayView("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n\r\n"));
    QCOMPARE(response.timeUs, qint64(1795239001020000));
    QCOMPARE(capture.event(4).state, ReadyState::Open);
    const WireEvent sent = capture.event(5);
    QCOMPARE(sent.direction, Direction::Outgoing);
    QCOMPARE(sent.timeUs, qint64(1795239001250000));
    QCOMPARE(sent.header.toByteArray().toHex(), QByteArray("819200000000")); // FIN text, masked, key 0, 18 bytes
    QCOMPARE(sent.payload, QByteArrayView("{\"op\":\"subscribe\"}"));
    const WireEvent received = capture.event(6);
    QCOMPARE(received.direction, Direction::Incoming);
    QCOMPARE(received.header.toByteArray().toHex(), QByteArray("8204"));
    QCOMPARE(received.payload.toByteArray().toHex(), QByteArray("000102ff"));
    QCOMPARE(capture.message(6).payload.toHex(), QByteArray("000102ff"));
    const WireEvent error = capture.event(7);
    QCOMPARE(error.kind, EventKind::Error);
    QCOMPARE(error.payload, QByteArrayView("net::ERR_CONNECTION_RESET"));
}

void tst_HarFile::firefoxExport()
{
    // Firefox's har-builder: local time with its offset, version 1.1, no WebSocket messages.
    const QByteArray firefox = R"({"log":{"version":"1.1","creator":{"name":"Firefox","version":"128.0"},"browser":{"name":"Firefox","version":"128.0"},
      "pages":[],"entries":[{"startedDateTime":"2026-11-21T07:30:00.500+02:00","time":3,
       "request":{"bodySize":0,"method":"GET","url":"ws://localhost:8080/","httpVersion":"HTTP/1.1",
         "headers":[{"name":"Host","value":"localhost:8080"},{"name":"Sec-WebSocket-Version","value":"13"}],"cookies":[],"queryString":[],"headersSize":80},
       "response":{"status":101,"statusText":"Switching Protocols","httpVersion":"HTTP/1.1",
         "headers":[{"name":"Connection","value":"Upgrade"}],"cookies":[],"content":{"mimeType":"","size":0},"redirectURL":"","headersSize":60,"bodySize":0},
       "cache":{},"timings":{"blocked":0,"dns":0,"connect":1,"ssl":0,"send":0,"wait":2,"receive":0},"time":3,"_securityState":"insecure",
       "serverIPAddress":"127.0.0.1","connection":"8080"}]}})";
    Capture capture;
    const HarReader::Result result = HarReader::read(firefox, capture);
    QVERIFY2(result.ok(), qPrintable(result.errors.join(QLatin1Char('\n'))));
    QCOMPARE(capture.count(), 4);
    QVERIFY(capture.event(0).text().contains(QLatin1String("Firefox does not export")));
    QCOMPARE(capture.event(1).timeUs, qint64(1795239000500000)); // 05:30:00.5 UTC
    QCOMPARE(capture.event(1).payload,
             QByteArrayView("GET / HTTP/1.1\r\nHost: localhost:8080\r\nSec-WebSocket-Version: 13\r\n\r\n"));
    QCOMPARE(capture.event(2).timeUs, qint64(1795239000502000));
    QCOMPARE(capture.event(3).state, ReadyState::Open);
}

void tst_HarFile::badInput_data()
{
    QTest::addColumn<QByteArray>("har");
    QTest::addColumn<QString>("error"); // a fragment of the first error
    QTest::addColumn<int>("events"); // what is kept

    const QByteArray entryStart = R"({"log":{"entries":[{"_resourceType":"websocket","startedDateTime":"2026-11-21T05:30:00.000Z",
        "request":{"method":"GET","url":"ws://h/","httpVersion":"HTTP/1.1","headers":[]},
        "response":{"status":101,"statusText":"","httpVersion":"HTTP/1.1","headers":[]},"_webSocketMessages":[)";
    const QByteArray good = R"({"type":"receive","time":1,"opcode":1,"data":"ok"})";
    QTest::newRow("not JSON") << QByteArray("{\"log\":") << "not valid JSON" << 0;
    QTest::newRow("no log") << QByteArray("{\"entries\":[]}") << "not a HAR file" << 0;
    QTest::newRow("no websocket") << QByteArray(R"({"log":{"entries":[{"request":{"url":"https://x/"}}]}})") << "no WebSocket connection" << 0;
    QTest::newRow("bad base64") << entryStart + R"({"type":"receive","time":1,"opcode":2,"data":"@@@"},)" + good + "]}]}}"
                                << "entry 1, message 1: the data of a binary message (opcode 2) is not base64" << 5;
    QTest::newRow("bad opcode") << entryStart + R"({"type":"send","time":1,"opcode":99,"data":""},)" + good + "]}]}}"
                                << "opcode 99 is not a WebSocket opcode" << 5;
    QTest::newRow("bad type") << entryStart + R"({"type":"sent","time":1,"opcode":1,"data":""},)" + good + "]}]}}"
                              << "type \"sent\" is none of send, receive, error" << 5;
    QTest::newRow("time not a number") << entryStart + R"({"type":"send","time":"1","opcode":1,"data":""},)" + good + "]}]}}"
                                       << "entry 1, message 1: not {type, time, opcode, data}" << 5;
    QTest::newRow("bad own event") << QByteArray(R"({"log":{"entries":[{"_resourceType":"websocket","_wsinspectorEvents":[{"kind":"framez"},)"
                                                 R"({"time":"2026-11-21T05:30:00.123456Z","us":1,"conn":1,"dir":"local","kind":"error","message":"kept"}]}]}})")
                                   << "entry 1, event 1: " << 1;
}

void tst_HarFile::badInput()
{
    QFETCH(QByteArray, har);
    QFETCH(QString, error);
    QFETCH(int, events);
    Capture capture;
    const HarReader::Result result = HarReader::read(har, capture);
    QVERIFY(!result.ok());
    QVERIFY2(result.errors.first().contains(error), qPrintable(result.errors.first()));
    QCOMPARE(capture.count(), events);
}

QTEST_GUILESS_MAIN(tst_HarFile)
#include "tst_harfile.moc"
