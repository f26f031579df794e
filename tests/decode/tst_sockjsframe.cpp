// SockJS websocket-transport frames. The server frames marked "sockjs 0.3.24" are what the sockjs
// package tests/package.json pins wrote in a capture on loopback (a client on
// /stomp/123/abcdefgh/websocket, the server writing STOMP frames and echoing); the client frames are
// what sockjs-client's WebSocketTransport writes ('[' + quote(message) + ']'); Spring's frames follow
// its SockJsFrame and AbstractSockJsMessageCodec.

#include "decode/sockjsframe.h"

#include <QTest>

using namespace SockJs;
using Type = SockJs::Frame::Type;

Q_DECLARE_METATYPE(SockJs::Frame::Type)

namespace {

QString str(const char *s)
{
    return QString::fromUtf8(s);
}

} // namespace

class tst_SockJsFrame : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void server_data();
    void server();
    void client_data();
    void client();
    void invalidServer_data();
    void invalidServer();
    void invalidClient_data();
    void invalidClient();
    void quote_data();
    void quote();
    void typeNames();
};

void tst_SockJsFrame::server_data()
{
    QTest::addColumn<QByteArray>("message");
    QTest::addColumn<Type>("type");
    QTest::addColumn<QByteArrayList>("messages");
    QTest::addColumn<qint64>("code");
    QTest::addColumn<QByteArray>("reason");
    QTest::addColumn<bool>("canonical"); // encodeServer() writes these exact bytes back

    QTest::addRow("open (sockjs 0.3.24)")
        << QByteArray("o") << Type::Open << QByteArrayList() << 0LL << QByteArray() << true;
    QTest::addRow("heartbeat") << QByteArray("h") << Type::Heartbeat << QByteArrayList() << 0LL << QByteArray() << true;
    QTest::addRow("CONNECTED (sockjs 0.3.24)")
        << QByteArray(R"(a["CONNECTED\nversion:1.2\nheart-beat:0,0\n\n\u0000"])") << Type::Messages
        << QByteArrayList { QByteArrayLiteral("CONNECTED\nversion:1.2\nheart-beat:0,0\n\n\0") } << 0LL << QByteArray()
        << true;
    // UTF-8 as it is, and U+1F600 as sockjs-node's utils.quote writes it: its UTF-16 halves escaped.
    QTest::addRow("MESSAGE (sockjs 0.3.24)")
        << QByteArray(
               "a[\"MESSAGE\\ndestination:/topic/chat\\ncontent-type:text/plain;charset=UTF-8\\nsubscription:sub-0\\n"
               "message-id:0d1ee5c6-1\\ncontent-length:17\\n\\nhello, w\xc3\xb6rld\\ud83d\\ude00\\u0000\"]")
        << Type::Messages
        << QByteArrayList { QByteArrayLiteral(
               "MESSAGE\ndestination:/topic/chat\ncontent-type:text/plain;charset=UTF-8\nsubscription:sub-0\n"
               "message-id:0d1ee5c6-1\ncontent-length:17\n\nhello, w\xc3\xb6rld\xf0\x9f\x98\x80\0") }
        << 0LL << QByteArray() << true;
    QTest::addRow("U+2028 escaped (sockjs 0.3.24)") << QByteArray(R"(a["b\u2028c"])") << Type::Messages
                                                    << QByteArrayList { QByteArray("b\xe2\x80\xa8"
                                                                                   "c") }
                                                    << 0LL << QByteArray() << true;
    QTest::addRow("close (sockjs 0.3.24)") << QByteArray(R"(c[3000,"Go away!"])") << Type::Close << QByteArrayList()
                                           << 3000LL << QByteArray("Go away!") << true;
    QTest::addRow("another connection (sockjs-node, Spring)")
        << QByteArray(R"(c[2010,"Another connection still open"])") << Type::Close << QByteArrayList() << 2010LL
        << QByteArray("Another connection still open") << true;
    QTest::addRow("two messages") << QByteArray(R"(a["x","y"])") << Type::Messages << QByteArrayList { "x", "y" } << 0LL
                                  << QByteArray() << true;
    QTest::addRow("no messages") << QByteArray("a[]") << Type::Messages << QByteArrayList() << 0LL << QByteArray()
                                 << true;
    QTest::addRow("white space") << QByteArray("a[ \"x\" ,\n\"y\" ] ") << Type::Messages << QByteArrayList { "x", "y" }
                                 << 0LL << QByteArray() << false;
    QTest::addRow("single message, old") << QByteArray(R"(m"hello")") << Type::Message << QByteArrayList { "hello" }
                                         << 0LL << QByteArray() << true;
    QTest::addRow("JSON escapes") << QByteArray(R"(a["\"\\\/\b\f\n\r\t\u0041\u00e9"])") << Type::Messages
                                  << QByteArrayList { QByteArray("\"\\/\b\f\n\r\tA\xc3\xa9") } << 0LL << QByteArray()
                                  << false;
    // JSON allows a lone surrogate escape, and JavaScript sends one: kept as its three bytes.
    QTest::addRow("lone surrogate") << QByteArray(R"(a["a\ud800b"])") << Type::Messages
                                    << QByteArrayList { QByteArray("a\xed\xa0\x80"
                                                                   "b") }
                                    << 0LL << QByteArray() << true;
    QTest::addRow("high surrogate before a non-surrogate escape")
        << QByteArray(R"(a["\ud83d\u0041"])") << Type::Messages
        << QByteArrayList { QByteArray("\xed\xa0\xbd"
                                       "A") }
        << 0LL << QByteArray() << false;
    QTest::addRow("negative close code") << QByteArray(R"(c[-1,""])") << Type::Close << QByteArrayList() << -1LL
                                         << QByteArray() << true;
}

void tst_SockJsFrame::server()
{
    QFETCH(QByteArray, message);
    QFETCH(Type, type);
    QFETCH(QByteArrayList, messages);
    QFETCH(qint64, code);
    QFETCH(QByteArray, reason);
    QFETCH(bool, canonical);
    QString error;
    const auto f = parseServer(message, &error);
    QVERIFY2(f, qPrintable(error));
    QCOMPARE(f->type, type);
    QCOMPARE(f->messages, messages);
    QCOMPARE(f->closeCode, code);
    QCOMPARE(f->closeReason, reason);
    const QByteArray written = encodeServer(*f);
    if (canonical)
        QCOMPARE(written, message);
    QCOMPARE(parseServer(written), f);
}

void tst_SockJsFrame::client_data()
{
    QTest::addColumn<QByteArray>("message");
    QTest::addColumn<Type>("type");
    QTest::addColumn<QByteArrayList>("messages");
    QTest::addColumn<bool>("canonical");

    QTest::addRow("CONNECT as sockjs-client sends it")
        << QByteArray(R"(["CONNECT\naccept-version:1.2,1.1,1.0\nheart-beat:10000,10000\n\n\u0000"])") << Type::Messages
        << QByteArrayList { QByteArrayLiteral("CONNECT\naccept-version:1.2,1.1,1.0\nheart-beat:10000,10000\n\n\0") }
        << true;
    QTest::addRow("two messages") << QByteArray(R"(["a","b\u2028c"])") << Type::Messages
                                  << QByteArrayList { "a",
                                         QByteArray("b\xe2\x80\xa8"
                                                    "c") }
                                  << true;
    // sockjs-node: a message that does not start with '[' is one message.
    QTest::addRow("one JSON string") << QByteArray(R"("single")") << Type::Message << QByteArrayList { "single" }
                                     << true;
    QTest::addRow("no messages") << QByteArray("[]") << Type::Messages << QByteArrayList() << true;
    QTest::addRow("white space around") << QByteArray(" [\"x\"]\n") << Type::Messages << QByteArrayList { "x" }
                                        << false;
    // sockjs-node and Spring ignore an empty message.
    QTest::addRow("empty") << QByteArray() << Type::Empty << QByteArrayList() << true;
}

void tst_SockJsFrame::client()
{
    QFETCH(QByteArray, message);
    QFETCH(Type, type);
    QFETCH(QByteArrayList, messages);
    QFETCH(bool, canonical);
    QString error;
    const auto f = parseClient(message, &error);
    QVERIFY2(f, qPrintable(error));
    QCOMPARE(f->type, type);
    QCOMPARE(f->messages, messages);
    const QByteArray written = encodeClient(*f);
    if (canonical)
        QCOMPARE(written, message);
    QCOMPARE(parseClient(written), f);
}

void tst_SockJsFrame::invalidServer_data()
{
    QTest::addColumn<QByteArray>("message");
    QTest::addColumn<QString>("error");

    QTest::addRow("empty") << QByteArray() << str("not a SockJS frame: the message is empty");
    QTest::addRow("unknown type") << QByteArray("x")
                                  << str("not a SockJS frame: it starts with \"x\", not o, h, a, m or c");
    QTest::addRow("a client frame") << QByteArray(R"(["a"])")
                                    << str("not a SockJS frame: it starts with \"[\", not o, h, a, m or c");
    QTest::addRow("upper case") << QByteArray("O")
                                << str("not a SockJS frame: it starts with \"O\", not o, h, a, m or c");
    QTest::addRow("open with more") << QByteArray("o\n") << str("the o frame is the letter alone, but \"\\n\" follows");
    QTest::addRow("heartbeat twice") << QByteArray("hh") << str("the h frame is the letter alone, but \"h\" follows");
    QTest::addRow("a alone") << QByteArray(
        "a") << str("the array frame is not a JSON array of strings: expected '[', but the message ends");
    QTest::addRow("a, array open") << QByteArray(
        "a[") << str("the array frame is not a JSON array of strings: expected a string, but the message ends");
    QTest::addRow("a number in the array") << QByteArray("a[1]")
                                           << str("the array frame is not a JSON array of strings: item 1 of the array "
                                                  "is not a string: it starts with \"1\" at byte 2");
    QTest::addRow("trailing comma") << QByteArray(R"(a["x",])")
                                    << str("the array frame is not a JSON array of strings: item 2 of the array is not "
                                           "a string: it starts with \"]\" at byte 6");
    QTest::addRow("bytes after the array")
        << QByteArray(R"(a["x"]junk)")
        << str("the array frame is not a JSON array of strings: \"junk\" after the JSON value at byte 6");
    QTest::addRow("array not closed") << QByteArray(
        R"(a["x")") << str("the array frame is not a JSON array of strings: expected ',' or ']', but the message ends");
    QTest::addRow("string not closed") << QByteArray(
        R"(a["x])") << str("the array frame is not a JSON array of strings: the string at byte 2 has no closing quote");
    QTest::addRow("bad escape") << QByteArray(
        R"(a["\x"])") << str("the array frame is not a JSON array of strings: \\x at byte 3 is no JSON escape");
    QTest::addRow("bad \\u") << QByteArray(R"(a["\u12g4"])")
                             << str("the array frame is not a JSON array of strings: a \\u escape at byte 3 has a "
                                    "character that is not a hex digit");
    QTest::addRow("short \\u")
        << QByteArray(R"(a["\u12)")
        << str("the array frame is not a JSON array of strings: a \\u escape at byte 3 has fewer than four hex digits");
    QTest::addRow("raw line feed") << QByteArray("a[\"a\nb\"]")
                                   << str("the array frame is not a JSON array of strings: a raw control character \\n "
                                          "at byte 4: JSON strings escape them");
    QTest::addRow("raw NUL") << QByteArray("a[\"a\0b\"]", 8)
                             << str("the array frame is not a JSON array of strings: a raw control character \\x00 at "
                                    "byte 4: JSON strings escape them");
    QTest::addRow("not UTF-8") << QByteArray("a[\"\xff\"]")
                               << str("the array frame is not a JSON array of strings: byte 3 is not UTF-8");
    QTest::addRow("m alone") << QByteArray("m")
                             << str("the message frame is not a JSON string: expected a string, but the message ends");
    QTest::addRow("m with an array") << QByteArray(
        R"(m["x"])") << str("the message frame is not a JSON string: expected a string at byte 1, not \"[\"");
    QTest::addRow("close without reason")
        << QByteArray("c[3000]") << str("the close frame is not [code,\"reason\"]: expected ',' at byte 6, not \"]\"");
    QTest::addRow("close code a string")
        << QByteArray(R"(c["3000","x"])")
        << str("the close frame is not [code,\"reason\"]: expected a number at byte 2, not \"\\\"\"");
    QTest::addRow("close code with a fraction")
        << QByteArray(R"(c[3000.5,"x"])")
        << str("the close frame is not [code,\"reason\"]: the number at byte 2 is not a whole number");
    QTest::addRow("close code with a leading zero") << QByteArray(R"(c[03000,"x"])")
                                                    << str("the close frame is not [code,\"reason\"]: the number at "
                                                           "byte 2 has a leading zero, which JSON does not allow");
    QTest::addRow("close code too large")
        << QByteArray(R"(c[1234567890,"x"])")
        << str("the close frame is not [code,\"reason\"]: the number at byte 2 is too large for a close code");
    QTest::addRow("close reason not a string") << QByteArray(
        "c[3000,x]") << str("the close frame is not [code,\"reason\"]: expected a string at byte 7, not \"x\"");
    // Spring's SockJsFrame.closeFrame() puts the reason between quotes without escaping it.
    QTest::addRow("close reason Spring did not escape") << QByteArray(
        R"(c[3000,"say "hi""])") << str("the close frame is not [code,\"reason\"]: expected ']' at byte 13, not \"h\"");
}

void tst_SockJsFrame::invalidServer()
{
    QFETCH(QByteArray, message);
    QFETCH(QString, error);
    QString why;
    QVERIFY(!parseServer(message, &why));
    QCOMPARE(why, error);
}

void tst_SockJsFrame::invalidClient_data()
{
    QTest::addColumn<QByteArray>("message");
    QTest::addColumn<QString>("error");

    QTest::addRow("text") << QByteArray("hello")
                          << str("not a SockJS client frame: a client sends a JSON array of strings or one JSON "
                                 "string, and this starts with \"h\"");
    QTest::addRow("object") << QByteArray("{}")
                            << str("not a SockJS client frame: a client sends a JSON array of strings or one JSON "
                                   "string, and this starts with \"{\"");
    QTest::addRow("a server frame") << QByteArray(R"(a["x"])")
                                    << str("not a SockJS client frame: a client sends a JSON array of strings or one "
                                           "JSON string, and this starts with \"a\"");
    QTest::addRow("white space only") << QByteArray(" \n")
                                      << str("not a SockJS client frame: a client sends a JSON array of strings or one "
                                             "JSON string, and this is only white space");
    QTest::addRow("number in the array")
        << QByteArray(R"(["a",1])")
        << str("not a JSON array of strings: item 2 of the array is not a string: it starts with \"1\" at byte 5");
    QTest::addRow("array not closed") << QByteArray(R"(["a")")
                                      << str("not a JSON array of strings: expected ',' or ']', but the message ends");
    QTest::addRow("string not closed") << QByteArray(R"("abc)")
                                       << str("not a JSON string: the string at byte 0 has no closing quote");
    QTest::addRow("two strings") << QByteArray(R"("a""b")")
                                 << str("not a JSON string: \"\\\"b\\\"\" after the JSON value at byte 3");
}

void tst_SockJsFrame::invalidClient()
{
    QFETCH(QByteArray, message);
    QFETCH(QString, error);
    QString why;
    QVERIFY(!parseClient(message, &why));
    QCOMPARE(why, error);
}

void tst_SockJsFrame::quote_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<QByteArray>("quoted");
    QTest::addRow("plain") << QByteArray("hello") << QByteArray(R"("hello")");
    QTest::addRow("JSON.stringify's escapes")
        << QByteArrayLiteral("\"\\\b\f\n\r\t\0\x1b/") << QByteArray(R"("\"\\\b\f\n\r\t\u0000\u001b/")");
    QTest::addRow("DEL and Latin-1 as they are") << QByteArray("\x7f\xc3\xb6") << QByteArray("\"\x7f\xc3\xb6\"");
    QTest::addRow("sockjs-node's extra escapes") << QByteArray("\xe2\x80\x8c\xe2\x80\xa8\xe2\x81\xa0\xef\xbf\xbf")
                                                 << QByteArray(R"("\u200c\u2028\u2060\uffff")");
    QTest::addRow("beyond U+FFFF as a pair") << QByteArray("\xf0\x9f\x98\x80") << QByteArray(R"("\ud83d\ude00")");
    QTest::addRow("lone surrogate") << QByteArray("\xed\xa0\x80") << QByteArray(R"("\ud800")");
    QTest::addRow("not UTF-8") << QByteArray("a\xff"
                                             "b")
                               << QByteArray(R"("a\ufffdb")");
}

void tst_SockJsFrame::quote()
{
    QFETCH(QByteArray, text);
    QFETCH(QByteArray, quoted);
    QCOMPARE(SockJs::quote(text), quoted);
}

void tst_SockJsFrame::typeNames()
{
    QCOMPARE(typeName(Type::Open), str("open"));
    QCOMPARE(typeName(Type::Heartbeat), str("heartbeat"));
    QCOMPARE(typeName(Type::Messages), str("messages"));
    QCOMPARE(typeName(Type::Message), str("message"));
    QCOMPARE(typeName(Type::Close), str("close"));
    QCOMPARE(typeName(Type::Empty), str("empty"));
}

QTEST_GUILESS_MAIN(tst_SockJsFrame)
#include "tst_sockjsframe.moc"
