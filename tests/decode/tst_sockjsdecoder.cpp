// SockJsDecoder over a connection's messages: the session captured from sockjs 0.3.24 (the version
// tests/package.json pins) with a client speaking the websocket transport as sockjs-client does,
// STOMP frames inside as Spring's STOMP over SockJS carries them, what else the messages may be, and
// what is not SockJS.

#include "decode/sockjsdecoder.h"
#include "decode/sockjsframe.h"

#include <QTest>

using namespace Decode;

Q_DECLARE_METATYPE(Decode::Sender)

namespace {

QString str(const char *s)
{
    return QString::fromUtf8(s);
}

// A STOMP frame as one message of a client frame, as sockjs-client writes it.
QByteArray fromClient(const QByteArray &message)
{
    return '[' + SockJs::quote(message) + ']';
}

} // namespace

class tst_SockJsDecoder : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void session();
    void summaries_data();
    void summaries();
    void invalid_data();
    void invalid();
    void innerStompErrors();
    void stompVersionAcrossFrames();
    void splitStompFrame();
    void jsonMessageFields();
    void tooManyMessages();
};

// sockjs 0.3.24, captured: the client sent STOMP frames, the server answered CONNECTED and a
// MESSAGE, echoed the rest, and closed with 3000 "Go away!".
void tst_SockJsDecoder::session()
{
    struct Step {
        Sender sender;
        QByteArray payload;
        const char *summary;
    };
    const Sender C = Sender::Client;
    const Sender S = Sender::Server;
    const QList<Step> steps {
        { S, "o", "SockJS open" },
        { C, R"(["CONNECT\naccept-version:1.2,1.1,1.0\nheart-beat:10000,10000\n\n\u0000"])",
            "SockJS 1 message: STOMP CONNECT versions 1.2,1.1,1.0 heart-beat 10000,10000" },
        { S, R"(a["CONNECTED\nversion:1.2\nheart-beat:0,0\n\n\u0000"])",
            "SockJS 1 message: STOMP CONNECTED version 1.2 heart-beat 0,0" },
        { C, R"(["SUBSCRIBE\nid:sub-0\ndestination:/topic/chat\n\n\u0000"])",
            "SockJS 1 message: STOMP SUBSCRIBE /topic/chat id sub-0" },
        { S,
            "a[\"MESSAGE\\ndestination:/topic/chat\\ncontent-type:text/plain;charset=UTF-8\\nsubscription:sub-0\\n"
            "message-id:0d1ee5c6-1\\ncontent-length:17\\n\\nhello, w\xc3\xb6rld\\ud83d\\ude00\\u0000\"]",
            "SockJS 1 message: STOMP MESSAGE /topic/chat from sub-0 17 B \"hello, w\xc3\xb6rld\xf0\x9f\x98\x80\"" },
        { C, R"(["a","b\u2028c"])", R"(SockJS 2 messages: "a" · "b\u2028c")" },
        { S, R"(a["a"])", R"(SockJS 1 message: "a")" },
        { S, R"(a["b\u2028c"])", R"(SockJS 1 message: "b\u2028c")" },
        { C, R"("single")", R"(SockJS 1 message: "single")" },
        { S, R"(a["single"])", R"(SockJS 1 message: "single")" },
        { S, "h", "SockJS heartbeat" },
        { C, R"(["bye"])", R"(SockJS 1 message: "bye")" },
        { S, R"(c[3000,"Go away!"])", R"(SockJS close 3000 "Go away!")" },
    };
    SockJsDecoder decoder;
    QStringList correlations;
    for (qsizetype i = 0; i < steps.size(); ++i) {
        const Decoded d = decoder.decode(steps[i].sender, false, steps[i].payload);
        QVERIFY2(d.ok(), qPrintable(QStringLiteral("step %1: %2").arg(i).arg(d.summary())));
        QCOMPARE(d.protocol, Protocol::SockJs);
        QCOMPARE(d.units.size(), 1);
        QCOMPARE(d.summary(), str(steps[i].summary));
        correlations += d.correlationTexts();
    }
    QCOMPARE(correlations, QStringList({ str("request connect"), str("answer connect") }));
    // The STOMP state (the agreed version) is the decoder's state; nothing else carries over.
    QCOMPARE(decoder.state(Sender::Client), QByteArray("2"));
    QCOMPARE(decoder.state(Sender::Server), QByteArray("2"));

    // Shaped like a frame, with a command STOMP does not have: STOMP's error, not plain text.
    const Decoded bogus = decoder.decode(Sender::Client, false, R"(["BOGUS\nreceipt:r-1\n\n\u0000"])");
    QVERIFY(!bogus.ok());
    QCOMPARE(bogus.units.first().innerProtocol, Protocol::Stomp);
    QVERIFY2(bogus.summary().contains(QStringLiteral("unknown command \"BOGUS\"")), qPrintable(bogus.summary()));
}

void tst_SockJsDecoder::summaries_data()
{
    QTest::addColumn<Sender>("sender");
    QTest::addColumn<QByteArray>("payload");
    QTest::addColumn<QString>("type");
    QTest::addColumn<QString>("summary");
    QTest::addColumn<QStringList>("innerTypes");

    QTest::addRow("two STOMP frames")
        << Sender::Client
        << QByteArray(R"(["SEND\ndestination:/app/chat\ncontent-length:2\n\nhi\u0000",)"
                      R"("SUBSCRIBE\nid:sub-1\ndestination:/topic/x\n\n\u0000"])")
        << str("messages") << str("2 messages: STOMP SEND /app/chat 2 B \"hi\" · STOMP SUBSCRIBE /topic/x id sub-1")
        << QStringList({ str("SEND"), str("SUBSCRIBE") });
    QTest::addRow("STOMP heart-beat") << Sender::Client << QByteArray(R"(["\n"])") << str("messages")
                                      << str("1 message: STOMP heart-beat") << QStringList({ str("heart-beat") });
    QTest::addRow("two frames in one message")
        << Sender::Server << QByteArray(R"(a["RECEIPT\nreceipt-id:1\n\n\u0000RECEIPT\nreceipt-id:2\n\n\u0000"])")
        << str("messages") << str("1 message: STOMP RECEIPT 1 + RECEIPT 2")
        << QStringList({ str("RECEIPT"), str("RECEIPT") });
    QTest::addRow("old m frame") << Sender::Server << QByteArray(R"(m"RECEIPT\nreceipt-id:1\n\n\u0000")")
                                 << str("message") << str("1 message: STOMP RECEIPT 1")
                                 << QStringList({ str("RECEIPT") });
    QTest::addRow("JSON messages") << Sender::Server << QByteArray(R"(a["{\"user\": \"ann\"}","[1, 2]"])")
                                   << str("messages") << str(R"(2 messages: {"user":"ann"} · [1,2])") << QStringList();
    QTest::addRow("more than four") << Sender::Server << QByteArray(R"(a["1","2","3","4","5","6"])") << str("messages")
                                    << str("6 messages: 1 · 2 · 3 · 4 · 2 more") << QStringList();
    QTest::addRow("no messages") << Sender::Server << QByteArray("a[]") << str("messages") << str("no messages")
                                 << QStringList();
    QTest::addRow("text that names a command")
        << Sender::Server << QByteArray(R"(a["SEND me a postcard"])") << str("messages")
        << str(R"(1 message: "SEND me a postcard")") << QStringList();
    QTest::addRow("empty client message") << Sender::Client << QByteArray() << str("empty")
                                          << str("empty message (SockJS servers ignore it)") << QStringList();
    QTest::addRow("another connection") << Sender::Server << QByteArray(R"(c[2010,"Another connection still open"])")
                                        << str("close") << str(R"(close 2010 "Another connection still open")")
                                        << QStringList();
    QTest::addRow("display rule in a close reason")
        << Sender::Server << QByteArray("c[1000,\"a\\u202eb\\n\"]") << str("close") << str(R"(close 1000 "a\u202eb\n")")
        << QStringList();
}

void tst_SockJsDecoder::summaries()
{
    QFETCH(Sender, sender);
    QFETCH(QByteArray, payload);
    QFETCH(QString, type);
    QFETCH(QString, summary);
    QFETCH(QStringList, innerTypes);
    SockJsDecoder decoder;
    const Decoded d = decoder.decode(sender, false, payload);
    QVERIFY2(d.ok(), qPrintable(d.summary()));
    QCOMPARE(d.units.size(), 1);
    const Unit &u = d.units[0];
    QCOMPARE(u.type, type);
    QCOMPARE(u.summary, summary);
    QStringList inner;
    for (const Unit &i : u.inner)
        inner << i.type;
    QCOMPARE(inner, innerTypes);
    QCOMPARE(u.innerProtocol, innerTypes.isEmpty() ? Protocol::None : Protocol::Stomp);
    QVERIFY(!u.summary.contains(QLatin1Char('\n')));
}

void tst_SockJsDecoder::invalid_data()
{
    QTest::addColumn<Sender>("sender");
    QTest::addColumn<bool>("binary");
    QTest::addColumn<QByteArray>("payload");
    QTest::addColumn<QString>("type"); // empty: the message as a whole is not SockJS
    QTest::addColumn<QString>("error");

    QTest::addRow("binary") << Sender::Server << true << QByteArray("o") << QString()
                            << str("SockJS frames are text, but this is a binary message of 1 byte");
    QTest::addRow("unknown frame") << Sender::Server << false << QByteArray("x") << QString()
                                   << str("not a SockJS frame: it starts with \"x\", not o, h, a, m or c");
    QTest::addRow("raw STOMP, no SockJS")
        << Sender::Server << false << QByteArrayLiteral("CONNECTED\nversion:1.2\n\n\0") << QString()
        << str("not a SockJS frame: it starts with \"C\", not o, h, a, m or c");
    QTest::addRow("broken array") << Sender::Server << false << QByteArray("a[1]") << str("messages")
                                  << str("the array frame is not a JSON array of strings: item 1 of the array is not a "
                                         "string: it starts with \"1\" at byte 2");
    QTest::addRow("broken close") << Sender::Server << false << QByteArray("c[3000]") << str("close")
                                  << str("the close frame is not [code,\"reason\"]: expected ',' at byte 6, not \"]\"");
    QTest::addRow("open with more") << Sender::Server << false << QByteArray("open") << str("open")
                                    << str("the o frame is the letter alone, but \"pen\" follows");
    QTest::addRow("client text") << Sender::Client << false << QByteArray("hello") << QString()
                                 << str("not a SockJS client frame: a client sends a JSON array of strings or one JSON "
                                        "string, and this starts with \"h\"");
    QTest::addRow("client broken array")
        << Sender::Client << false << QByteArray(R"(["a")") << str("messages")
        << str("not a JSON array of strings: expected ',' or ']', but the message ends");
}

void tst_SockJsDecoder::invalid()
{
    QFETCH(Sender, sender);
    QFETCH(bool, binary);
    QFETCH(QByteArray, payload);
    QFETCH(QString, type);
    QFETCH(QString, error);
    SockJsDecoder decoder;
    const Decoded d = decoder.decode(sender, binary, payload);
    QCOMPARE(d.protocol, Protocol::SockJs);
    QVERIFY(!d.ok());
    if (type.isEmpty()) {
        QCOMPARE(d.error, error);
        QVERIFY(d.units.isEmpty());
    } else {
        QVERIFY(d.error.isEmpty());
        QCOMPARE(d.units.size(), 1);
        QCOMPARE(d.units[0].type, type);
        QCOMPARE(d.units[0].error, error);
    }
}

// A STOMP frame inside that is broken: the SockJS frame is fine, its inner unit says what is wrong.
void tst_SockJsDecoder::innerStompErrors()
{
    SockJsDecoder decoder;
    const Decoded d = decoder.decode(Sender::Client, false, fromClient(QByteArrayLiteral("SEND\n\nhi\0")));
    QVERIFY(!d.ok());
    QVERIFY(d.units[0].error.isEmpty());
    QCOMPARE(d.units[0].inner.size(), 1);
    QCOMPARE(d.units[0].inner[0].error, str("SEND without the required destination header"));
    QCOMPARE(
        d.units[0].summary, str("1 message: STOMP SEND 2 B \"hi\" (SEND without the required destination header)"));

    const Decoded unknown = decoder.decode(Sender::Server, false, QByteArray(R"(a["RECEIPT\n\n\u0000\u0000"])"));
    QCOMPARE(unknown.units[0].inner.size(), 2);
    QCOMPARE(unknown.units[0].inner[1].type, str("invalid"));
    QCOMPARE(unknown.units[0].inner[1].error, str("a stray NUL byte where a frame should start"));
}

// The version the CONNECTED inside agreed decides the escapes of the frames that follow.
void tst_SockJsDecoder::stompVersionAcrossFrames()
{
    SockJsDecoder decoder;
    decoder.decode(Sender::Server, false, QByteArray(R"(a["CONNECTED\nversion:1.1\n\n\u0000"])"));
    QCOMPARE(decoder.state(Sender::Client), QByteArray("1"));
    const Decoded d
        = decoder.decode(Sender::Client, false, fromClient(QByteArrayLiteral("SEND\ndestination:/a\\rb\n\n\0")));
    QCOMPARE(d.units[0].inner[0].error, str("header \"destination\": \\r is no escape in STOMP 1.1 (1.2 added it)"));
}

// stompjs over SockJS with splitLargeFrames (what the option is for: Spring buffers the pieces): each
// piece is one SockJS message, and a piece that does not look like STOMP still continues the frame.
void tst_SockJsDecoder::splitStompFrame()
{
    const QByteArray whole
        = QByteArrayLiteral("SEND\ndestination:/app/upload\ncontent-length:20000\n\n") + QByteArray(20000, 'x') + '\0';
    const QByteArrayList frames { fromClient(whole.first(8192)), fromClient(whole.sliced(8192, 8192)),
        fromClient(whole.sliced(16384)), fromClient(QByteArrayLiteral("DISCONNECT\n\n\0")) };
    SockJsDecoder original;
    QList<Decoded> results;
    for (const QByteArray &frame : frames) {
        const QByteArray saved = original.state(Sender::Client);
        results << original.decode(Sender::Client, false, frame);
        SockJsDecoder again;
        again.setState(Sender::Client, saved);
        QCOMPARE(again.decode(Sender::Client, false, frame), results.last());
    }
    QCOMPARE(results[0].units[0].summary,
        str("1 message: STOMP SEND /app/upload, unfinished: 8 KiB so far in 1 message, the rest in the next message"));
    QCOMPARE(results[1].units[0].inner[0].type, str("SEND"));
    QCOMPARE(results[2].units[0].summary,
        QStringLiteral("1 message: STOMP SEND /app/upload 19.5 KiB \"%1…\" (split across 3 messages)")
            .arg(QString(40, QLatin1Char('x'))));
    QVERIFY(results[2].ok());
    QCOMPARE(results[3].units[0].summary, str("1 message: STOMP DISCONNECT"));
    QCOMPARE(original.state(Sender::Client), QByteArray());
}

void tst_SockJsDecoder::jsonMessageFields()
{
    SockJsDecoder decoder;
    const Decoded d = decoder.decode(Sender::Server, false, QByteArray(R"(a["{\"a\":[1,2]}","text"])"));
    const QList<Field> &f = d.units[0].fields;
    QCOMPARE(f.size(), 2);
    QCOMPARE(f[0], Field(str("frame"), str("a")));
    QCOMPARE(f[1].name, str("messages"));
    QCOMPARE(f[1].value, str("2"));
    QCOMPARE(f[1].children[0], Field(str("[0]"), str("{\"a\":[1,2]}"), jsonFields("{\"a\":[1,2]}")));
    QCOMPARE(f[1].children[1], Field(str("[1]"), str("text")));

    const Decoded close = decoder.decode(Sender::Server, false, QByteArray(R"(c[3000,"Go away!"])"));
    QCOMPARE(close.units[0].fields,
        QList<Field>(
            { Field(str("frame"), str("c")), Field(str("code"), str("3000")), Field(str("reason"), str("Go away!")) }));
}

// A frame of more messages than any peer sends: the first thousand are decoded, the rest counted.
void tst_SockJsDecoder::tooManyMessages()
{
    QByteArray frame = "a[";
    for (int i = 0; i < 1001; ++i)
        frame += i == 0 ? "\"\\n\"" : ",\"\\n\"";
    frame += ']';
    SockJsDecoder decoder;
    const Decoded d = decoder.decode(Sender::Server, false, frame);
    QCOMPARE(d.units.size(), 1);
    QCOMPARE(d.units[0].error, str("only the first 1000 of its 1001 messages are decoded"));
    QCOMPARE(d.units[0].inner.size(), 1000);
    QCOMPARE(d.units[0].summary,
        str("1001 messages: STOMP heart-beat · STOMP heart-beat · STOMP heart-beat · STOMP heart-beat · 997 more"));
    QCOMPARE(d.units[0].fields[1].value, str("1001"));
    QCOMPARE(d.units[0].fields[1].children.last(), Field(str("(more)"), str("not decoded: 1")));
    // The parser itself keeps every message unless told otherwise.
    QCOMPARE(SockJs::parseServer(frame)->messages.size(), 1001);
    QCOMPARE(SockJs::parseServer(frame, nullptr, 10)->omitted, 991);
}

QTEST_GUILESS_MAIN(tst_SockJsDecoder)
#include "tst_sockjsdecoder.moc"
