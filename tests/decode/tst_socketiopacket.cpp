// Engine.IO v4 and Socket.IO v4 packets as socket.io 4 writes them over its websocket transport
// (the frames below are what the study notes' chat puts on the wire), and what is not one, with
// the reason.

#include "decode/socketiopacket.h"

#include <QTest>

using namespace SocketIo;

class tst_SocketIoPacket : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void engine_data();
    void engine();
    void packet_data();
    void packet();
    void invalid_data();
    void invalid();
};

void tst_SocketIoPacket::engine_data()
{
    QTest::addColumn<QByteArray>("frame");
    QTest::addColumn<QString>("type");
    QTest::addColumn<QByteArray>("data");
    QTest::addRow("open") << QByteArray(R"(0{"sid":"lv_VI97HAXpY6yYWAAAC","upgrades":[],"pingInterval":25000,"pingTimeout":20000,"maxPayload":1000000})")
                          << "open"
                          << QByteArray(R"({"sid":"lv_VI97HAXpY6yYWAAAC","upgrades":[],"pingInterval":25000,"pingTimeout":20000,"maxPayload":1000000})");
    QTest::addRow("ping") << QByteArray("2") << "ping" << QByteArray();
    QTest::addRow("pong") << QByteArray("3") << "pong" << QByteArray();
    QTest::addRow("probe") << QByteArray("2probe") << "ping" << QByteArray("probe");
    QTest::addRow("message") << QByteArray(R"(42["chat message","hi"])") << "message" << QByteArray(R"(2["chat message","hi"])");
    QTest::addRow("close") << QByteArray("1") << "close" << QByteArray();
    QTest::addRow("noop") << QByteArray("6") << "noop" << QByteArray();
}

void tst_SocketIoPacket::engine()
{
    QFETCH(QByteArray, frame);
    QFETCH(QString, type);
    QFETCH(QByteArray, data);
    QString error;
    const auto p = parseEngine(frame, &error);
    QVERIFY2(p, qPrintable(error));
    QCOMPARE(typeName(p->type), type);
    QCOMPARE(p->data, data);
}

void tst_SocketIoPacket::packet_data()
{
    QTest::addColumn<QByteArray>("data"); // an Engine.IO message's data
    QTest::addColumn<QString>("type");
    QTest::addColumn<QByteArray>("nsp");
    QTest::addColumn<qint64>("ackId"); // -1: none
    QTest::addColumn<int>("attachments");
    QTest::addColumn<QByteArray>("payload");
    QTest::addColumn<QString>("summary");
    QTest::addRow("connect") << QByteArray("0") << "connect" << QByteArray("/") << -1LL << 0 << QByteArray() << "connect";
    QTest::addRow("connect with auth, namespace")
        << QByteArray(R"(0/admin,{"token":"123"})") << "connect" << QByteArray("/admin") << -1LL << 0
        << QByteArray(R"({"token":"123"})") << R"(connect {"token":"123"} on /admin)";
    QTest::addRow("connected, the server's answer")
        << QByteArray(R"(0{"sid":"oSO0OpakMV_3jnilAAAA"})") << "connect" << QByteArray("/") << -1LL << 0
        << QByteArray(R"({"sid":"oSO0OpakMV_3jnilAAAA"})") << R"(connect {"sid":"oSO0OpakMV_3jnilAAAA"})";
    QTest::addRow("disconnect from a namespace") << QByteArray("1/admin,") << "disconnect" << QByteArray("/admin") << -1LL << 0
                                                 << QByteArray() << "disconnect on /admin";
    QTest::addRow("the chat's event") << QByteArray(R"(2["chat message","hi"])") << "event" << QByteArray("/") << -1LL << 0
                                      << QByteArray(R"(["chat message","hi"])") << R"(event "chat message" ["hi"])";
    QTest::addRow("event asking for an ack, spaces kept")
        << QByteArray(R"(223["hello", 1, {"a": true}])") << "event" << QByteArray("/") << 23LL << 0
        << QByteArray(R"(["hello", 1, {"a": true}])") << R"(event "hello" [1,{"a":true}] ack 23)";
    QTest::addRow("event without arguments") << QByteArray(R"(2/chat,["ping"])") << "event" << QByteArray("/chat") << -1LL << 0
                                             << QByteArray(R"(["ping"])") << R"(event "ping" [] on /chat)";
    QTest::addRow("ack") << QByteArray(R"(323["ok"])") << "ack" << QByteArray("/") << 23LL << 0 << QByteArray(R"(["ok"])")
                         << R"(ack 23 ["ok"])";
    QTest::addRow("connect error") << QByteArray(R"(4{"message":"Not authorized"})") << "connect error" << QByteArray("/")
                                   << -1LL << 0 << QByteArray(R"({"message":"Not authorized"})")
                                   << R"(connect error {"message":"Not authorized"})";
    QTest::addRow("binary event") << QByteArray(R"(51-["upload",{"_placeholder":true,"num":0}])") << "binary event"
                                  << QByteArray("/") << -1LL << 1 << QByteArray(R"(["upload",{"_placeholder":true,"num":0}])")
                                  << R"(binary event "upload" [{"_placeholder":true,"num":0}] +1 attachment)";
    QTest::addRow("binary ack in a namespace") << QByteArray(R"(62-/files,7[{"_placeholder":true,"num":0},{"_placeholder":true,"num":1}])")
                                               << "binary ack" << QByteArray("/files") << 7LL << 2
                                               << QByteArray(R"([{"_placeholder":true,"num":0},{"_placeholder":true,"num":1}])")
                                               << R"(binary ack 7 [{"_placeholder":true,"num":0},{"_placeholder":true,"num":1}] +2 attachments on /files)";
    // What the peer sends goes through the display rule: a bidi override in an event name is shown, not obeyed.
    QTest::addRow("event name with a bidi control") << QByteArray("2[\"a\xe2\x80\xae" "b\"]") << "event" << QByteArray("/") << -1LL << 0
                                                    << QByteArray("[\"a\xe2\x80\xae" "b\"]") << R"(event "a\u202eb" [])";
}

void tst_SocketIoPacket::packet()
{
    QFETCH(QByteArray, data);
    QFETCH(QString, type);
    QFETCH(QByteArray, nsp);
    QFETCH(qint64, ackId);
    QFETCH(int, attachments);
    QFETCH(QByteArray, payload);
    QFETCH(QString, summary);
    QString error;
    const auto p = parse(data, &error);
    QVERIFY2(p, qPrintable(error));
    QCOMPARE(typeName(p->type), type);
    QCOMPARE(p->nsp, nsp);
    QCOMPARE(p->ackId.has_value(), ackId >= 0);
    if (ackId >= 0)
        QCOMPARE(qint64(*p->ackId), ackId);
    QCOMPARE(p->attachments, attachments);
    QCOMPARE(p->data, payload);
    QCOMPARE(SocketIo::summary(*p), summary);
}

void tst_SocketIoPacket::invalid_data()
{
    QTest::addColumn<QByteArray>("data");
    QTest::addColumn<QString>("error");
    QTest::addRow("empty") << QByteArray() << "not a Socket.IO packet: the message is empty";
    QTest::addRow("type 7") << QByteArray("7") << "not a Socket.IO packet: it starts with \"7\", not a type from 0 to 6";
    QTest::addRow("plain text") << QByteArray("hello") << "not a Socket.IO packet: it starts with \"h\", not a type from 0 to 6";
    QTest::addRow("not JSON") << QByteArray("2[\"a\",]") << "the payload is not JSON: ";
    QTest::addRow("event without a name") << QByteArray("2[1,2]") << "not a valid event: an event is an array led by the event's name";
    QTest::addRow("event not an array") << QByteArray("2{\"a\":1}") << "not a valid event: an event is an array led by the event's name";
    QTest::addRow("ack not an array") << QByteArray("31\"ok\"") << "not a valid ack: an ack carries an array";
    QTest::addRow("disconnect with data") << QByteArray("1{}") << "not a valid disconnect: a disconnect carries no payload";
    QTest::addRow("connect with an array") << QByteArray("0[]") << "not a valid connect: a connect carries an object or nothing";
    QTest::addRow("binary without a count") << QByteArray("5[\"a\"]")
                                            << "a binary packet's attachment count must be digits followed by '-'";
    QTest::addRow("ack id too long") << QByteArray("21234567890123456[\"a\"]") << "the ack id 1234567890123456 is too long";
}

void tst_SocketIoPacket::invalid()
{
    QFETCH(QByteArray, data);
    QFETCH(QString, error);
    QString why;
    QVERIFY(!parse(data, &why));
    QVERIFY2(why.startsWith(error), qPrintable(why));
}

QTEST_GUILESS_MAIN(tst_SocketIoPacket)
#include "tst_socketiopacket.moc"
