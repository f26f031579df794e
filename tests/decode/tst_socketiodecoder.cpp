// A Socket.IO v4 conversation, message by message, as socket.io 4 and socket.io-client 4 put it on
// the wire over the websocket transport: what each message means, the pairs, and the attachments
// of binary packets (state kept between messages, and restored to decode one again).

#include "decode/socketiodecoder.h"

#include <QTest>

using namespace Decode;

Q_DECLARE_METATYPE(Decode::Sender)

class tst_SocketIoDecoder : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void message_data();
    void message();
    void attachments();
    void attachmentsMissing();
    void stateRestored();
    void badState();
    void trackAgreesWithDecode();
};

void tst_SocketIoDecoder::message_data()
{
    QTest::addColumn<Sender>("sender");
    QTest::addColumn<QByteArray>("payload");
    QTest::addColumn<QString>("type");
    QTest::addColumn<QString>("summary");
    QTest::addColumn<QString>("correlation"); // "request KEY" / "answer KEY" / ""
    QTest::addColumn<QString>("error"); // a fragment of the unit's error; empty: none

    const auto S = Sender::Server;
    const auto C = Sender::Client;
    QTest::addRow("open") << S << QByteArray(R"(0{"sid":"lv_VI97HAXpY6yYWAAAC","upgrades":[],"pingInterval":25000,"pingTimeout":20000,"maxPayload":1000000})")
                          << "open" << R"(open sid "lv_VI97HAXpY6yYWAAAC", ping every 25 s, timeout 20 s)" << "" << "";
    QTest::addRow("open without JSON") << S << QByteArray("0") << "open" << "open" << "" << "no JSON object";
    QTest::addRow("ping") << S << QByteArray("2") << "ping" << "ping" << "request eio ping" << "";
    QTest::addRow("pong") << C << QByteArray("3") << "pong" << "pong" << "answer eio ping" << "";
    QTest::addRow("probe") << C << QByteArray("2probe") << "ping" << R"(ping "probe")" << "request eio ping probe" << "";
    QTest::addRow("noop with data") << S << QByteArray("6x") << "noop" << "noop" << "" << "carries no data";
    QTest::addRow("connect") << C << QByteArray("40") << "connect" << "connect" << "request connect /" << "";
    QTest::addRow("connected") << S << QByteArray(R"(40{"sid":"wZX3oN0bSVIhsaknAAAI"})") << "connect"
                               << R"(connect {"sid":"wZX3oN0bSVIhsaknAAAI"})" << "answer connect /" << "";
    QTest::addRow("connect to a namespace") << C << QByteArray(R"(40/admin,{"token":"123"})") << "connect"
                                            << R"(connect {"token":"123"} on /admin)" << "request connect /admin" << "";
    QTest::addRow("connect error") << S << QByteArray(R"(44/admin,{"message":"Not authorized"})") << "connect error"
                                   << R"(connect error {"message":"Not authorized"} on /admin)" << "answer connect /admin" << "";
    QTest::addRow("event") << C << QByteArray(R"(42["chat message","hi"])") << "event" << R"(event "chat message" ["hi"])" << "" << "";
    QTest::addRow("event with ack") << C << QByteArray(R"(421["ping with ack",1])") << "event"
                                    << R"(event "ping with ack" [1] ack 1)" << "request ack / 1" << "";
    QTest::addRow("ack") << S << QByteArray(R"(431["pong"])") << "ack" << R"(ack 1 ["pong"])" << "answer ack / 1" << "";
    QTest::addRow("ack on a namespace") << S << QByteArray(R"(43/admin,7[])") << "ack" << "ack 7 [] on /admin" << "answer ack /admin 7" << "";
    QTest::addRow("disconnect") << C << QByteArray("41") << "disconnect" << "disconnect" << "" << "";
    QTest::addRow("close") << C << QByteArray("1") << "close" << "close" << "" << "";
    QTest::addRow("not Engine.IO") << S << QByteArray("hello") << "invalid" << "hello" << "" << "not an Engine.IO packet";
    QTest::addRow("not Socket.IO") << S << QByteArray("4x") << "message" << "message x" << "" << "not a Socket.IO packet";
    QTest::addRow("event without a name") << C << QByteArray("42[1]") << "message" << "message 2[1]" << "" << "an event is an array led by";
}

void tst_SocketIoDecoder::message()
{
    QFETCH(Sender, sender);
    QFETCH(QByteArray, payload);
    QFETCH(QString, type);
    QFETCH(QString, summary);
    QFETCH(QString, correlation);
    QFETCH(QString, error);
    SocketIoDecoder decoder;
    const Decoded d = decoder.decode(sender, false, payload);
    QCOMPARE(d.protocol, Protocol::SocketIo);
    QCOMPARE(d.units.size(), 1);
    const Unit &u = d.units.first();
    QCOMPARE(u.type, type);
    QCOMPARE(u.summary, summary);
    QCOMPARE(d.summary(), QStringLiteral("Socket.IO ") + (error.isEmpty() ? summary : summary + QStringLiteral(" (") + u.error + QLatin1Char(')')));
    if (error.isEmpty())
        QVERIFY2(u.error.isEmpty(), qPrintable(u.error));
    else
        QVERIFY2(u.error.contains(error), qPrintable(u.error));
    QCOMPARE(d.ok(), error.isEmpty());
    QString got;
    if (!u.correlations.isEmpty()) {
        const Correlation &c = u.correlations.first();
        got = (c.role == Correlation::Role::Request ? QStringLiteral("request ") : QStringLiteral("answer ")) + QString::fromUtf8(c.key);
    }
    QCOMPARE(got, correlation);
    QCOMPARE(decoder.state(sender), QByteArray()); // nothing carried over
}

void tst_SocketIoDecoder::attachments()
{
    // socket.io-client 4: socket.emit("upload", Buffer.from([1,2,3]), "x", Buffer.from("hi"), ack)
    SocketIoDecoder decoder;
    const Decoded event = decoder.decode(Sender::Client, false,
                                         R"(452-3["upload",{"_placeholder":true,"num":0},"x",{"_placeholder":true,"num":1}])");
    QCOMPARE(event.units.first().summary,
             QStringLiteral(R"(binary event "upload" [{"_placeholder":true,"num":0},"x",{"_placeholder":true,"num":1}] ack 3 +2 attachments)"));
    QVERIFY(!decoder.state(Sender::Client).isEmpty());
    QVERIFY(decoder.state(Sender::Server).isEmpty());
    // The server's messages in between do not take the client's attachments.
    QCOMPARE(decoder.decode(Sender::Server, true, QByteArray("\x09", 1)).units.first().type, QStringLiteral("binary message"));
    const Decoded first = decoder.decode(Sender::Client, true, QByteArray("\x01\x02\x03", 3));
    QCOMPARE(first.units.first().type, QStringLiteral("attachment"));
    QVERIFY(first.units.first().summary.startsWith(QStringLiteral("attachment 1 of 2, 3 bytes, of binary event \"upload\"")));
    QCOMPARE(first.units.first().fields.last(), Field(QStringLiteral("data"), QStringLiteral("3 bytes: 01 02 03")));
    const Decoded second = decoder.decode(Sender::Client, true, "hi");
    QVERIFY(second.units.first().summary.startsWith(QStringLiteral("attachment 2 of 2, 2 bytes")));
    QCOMPARE(second.units.first().fields.last(), Field(QStringLiteral("data"), QStringLiteral("hi")));
    QCOMPARE(decoder.state(Sender::Client), QByteArray());
    // All came: the next binary message is Engine.IO's own again.
    QCOMPARE(decoder.decode(Sender::Client, true, "x").units.first().type, QStringLiteral("binary message"));
}

void tst_SocketIoDecoder::attachmentsMissing()
{
    SocketIoDecoder decoder;
    decoder.decode(Sender::Server, false, R"(451-["file",{"_placeholder":true,"num":0}])");
    const Decoded next = decoder.decode(Sender::Server, false, R"(42["chat message","hi"])");
    QCOMPARE(next.units.size(), 2);
    QVERIFY2(next.units[0].error.contains(QStringLiteral("announced 1 binary attachments, but a text message came after 0")), qPrintable(next.units[0].error));
    QCOMPARE(next.units[1].summary, QStringLiteral(R"(event "chat message" ["hi"])"));
    QVERIFY(!next.ok());
    QCOMPARE(decoder.state(Sender::Server), QByteArray());
}

void tst_SocketIoDecoder::stateRestored()
{
    // What a log does to show the second attachment again: restore the state saved before it.
    SocketIoDecoder original;
    original.decode(Sender::Server, false, R"(451-["file",{"_placeholder":true,"num":0},{"_placeholder":true,"num":1}])");
    original.decode(Sender::Server, true, "a");
    const QByteArray saved = original.state(Sender::Server);
    const Decoded expected = original.decode(Sender::Server, true, "bc");

    SocketIoDecoder again;
    again.setState(Sender::Server, saved);
    QCOMPARE(again.state(Sender::Server), saved);
    QCOMPARE(again.decode(Sender::Server, true, "bc"), expected);
    QCOMPARE(again.state(Sender::Server), QByteArray());
}

void tst_SocketIoDecoder::badState()
{
    // A state that is not one the decoder wrote is ignored, never trusted.
    SocketIoDecoder decoder;
    decoder.setState(Sender::Client, QByteArray("\xff\xff\xff\xff junk", 9));
    QCOMPARE(decoder.state(Sender::Client), QByteArray());
    QCOMPARE(decoder.decode(Sender::Client, true, "x").units.first().type, QStringLiteral("binary message"));
}

void tst_SocketIoDecoder::trackAgreesWithDecode()
{
    // The log's pass calls track(), which skips most events' JSON: it must leave the same state and
    // give the same pairs as decode() on every message of a conversation, whatever the message.
    struct Message {
        Sender sender;
        bool binary;
        QByteArray payload;
    };
    const auto C = Sender::Client;
    const auto S = Sender::Server;
    const QList<Message> conversation {
        { S, false, R"(0{"sid":"a","upgrades":[],"pingInterval":25000,"pingTimeout":20000})" },
        { C, false, "40" },
        { S, false, R"(40{"sid":"b"})" },
        { S, false, R"(42["tick",{"n":1}])" },
        { C, false, R"(427["ask",1])" },
        { S, false, R"(437[true])" },
        { C, false, R"(42/chat,["hi"])" },
        { C, false, R"(42/chat,12["hi"])" },
        { S, false, R"(43/chat,12[])" },
        { C, false, "42/chat" },
        { C, false, "42" },
        { C, false, "42abc" },
        { C, false, "42[not json" },
        { C, false, R"(451-["up",{"_placeholder":true,"num":0}])" },
        { C, true, QByteArray("\x00\x01", 2) },
        { C, false, R"(452-["two",{"_placeholder":true,"num":0},{"_placeholder":true,"num":1}])" },
        { C, true, "first of two" },
        { C, false, R"(42["cut short"])" }, // the second attachment never came
        { S, false, R"(42["after"])" },
        { S, false, "2" },
        { C, false, "3" },
        { C, true, "stray binary" },
        { S, false, R"(42/a,9999999999999999["too long an ack"])" },
    };
    SocketIoDecoder decoding;
    SocketIoDecoder tracking;
    for (const Message &m : conversation) {
        const QList<Correlation> expected = decoding.decode(m.sender, m.binary, m.payload).correlations();
        QCOMPARE(tracking.track(m.sender, m.binary, m.payload), expected);
        for (const Sender who : { C, S })
            QVERIFY2(tracking.state(who) == decoding.state(who), m.payload.constData());
    }
}

QTEST_GUILESS_MAIN(tst_SocketIoDecoder)
#include "tst_socketiodecoder.moc"
