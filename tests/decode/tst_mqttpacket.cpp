// MQTT 3.1, 3.1.1 and 5 control packets, one whole packet at a time: every type in each version as
// the real libraries write them, and what is not a packet, each with its reason.
//
// Sources of the bytes:
// - "mqtt-packet": the fixtures of mqtt-packet 9.0.2's test.js (the parser and generator inside both
//   MQTT.js 5 and aedes), named as there;
// - "MQTT.js": captured from MQTT.js 5.16.0 in Node.js 20 connecting over ws 8.23.1 to aedes 0.51.3
//   (MQTT 3.1 and 3.1.1) or, for MQTT 5, which aedes does not speak, to a broker written with
//   mqtt-packet 9.0.2 (client id "sensor-1", keep-alive 60 s, the tests/package.json versions).
//   MQTT.js sends each field as a WebSocket message of its own; the messages of one packet are
//   joined here (tst_mqttdecoder replays them as they came).

#include "decode/mqttpacket.h"

#include <QTest>

using namespace Mqtt;

namespace {

QByteArray hex(const char *text)
{
    return QByteArray::fromHex(QByteArray(text));
}

// The fields as an indented outline, "name: value" a line, to compare a whole structure at once.
void render(const QList<Decode::Field> &fields, int depth, QString &out)
{
    for (const Decode::Field &f : fields) {
        out += QString(depth * 2, QLatin1Char(' ')) + f.name + QStringLiteral(": ") + f.value + QLatin1Char('\n');
        render(f.children, depth + 1, out);
    }
}

QString render(const QList<Decode::Field> &fields)
{
    QString out;
    render(fields, 0, out);
    return out;
}

FixedHeader headerOf(const QByteArray &bytes)
{
    FixedHeader h;
    readFixedHeader(bytes, &h);
    return h;
}

} // namespace

class tst_MqttPacket : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void parse_data();
    void parse();
    void invalid_data();
    void invalid();
    void fixedHeader_data();
    void fixedHeader();
    void nonMinimalLengthParses();
    void connectFields();
    void connAckFields();
    void publishFields();
    void subscribeFields();
    void ackFields();
    void guessedV311ConnAckUnderV5();
    void encode_data();
    void encode();
    void templates();
    void reasonNames();
    void properties();
    void correlations_data();
    void correlations();
};

void tst_MqttPacket::parse_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<int>("version"); // the connection's, for packets other than CONNECT
    QTest::addColumn<QString>("type");
    QTest::addColumn<QString>("summary");

    // CONNECT
    QTest::addRow("mqtt-packet minimal connect (3.1)")
        << hex("101200064d51497364700300001e000474657374") << 4 << "CONNECT"
        << R"(CONNECT client "test" MQTT 3.1 keep-alive 30 s)";
    QTest::addRow("mqtt-packet connect MQTT bridge 131")
        << hex("101200064d51497364708300001e000474657374") << 4 << "CONNECT"
        << R"(CONNECT client "test" MQTT 3.1 bridge keep-alive 30 s)";
    QTest::addRow("mqtt-packet connect MQTT bridge 132")
        << hex("101200064d51497364708400001e000474657374") << 4 << "CONNECT"
        << R"(CONNECT client "test" MQTT 3.1.1 bridge keep-alive 30 s)";
    QTest::addRow("mqtt-packet connect MQTT 5") << hex(
        "107d00044d5154540536001e2f11000004d22101b027000000642201c8190117012600047465737400047465737415000474657374160004"
        "010203040004746573742f18000004d2010002000010e103000474657374080005746f70696309000401020304260004746573740004"
        "746573740005746f706963000404030201") << 4
                                                << "CONNECT"
                                                << R"(CONNECT client "test" MQTT 5 keep-alive 30 s clean will topic)";
    QTest::addRow("mqtt-packet connect MQTT 5 w/o will properties")
        << hex("104e00044d5154540536001e2f11000004d22101b027000000642201c81901170126000474657374000474657374150004746573741600"
               "0401020304000474657374000005746f706963000404030201")
        << 4 << "CONNECT"
        << R"(CONNECT client "test" MQTT 5 keep-alive 30 s clean will topic)";
    QTest::addRow("mqtt-packet no clientId with 3.1.1") << hex("100c00044d5154540402001e0000") << 4 << "CONNECT"
                                                        << R"(CONNECT client "" MQTT 3.1.1 keep-alive 30 s clean)";
    QTest::addRow("mqtt-packet no clientId with 5.0") << hex("101000044d5154540502003c032100140000") << 4 << "CONNECT"
                                                      << R"(CONNECT client "" MQTT 5 keep-alive 60 s clean)";
    QTest::addRow("mqtt-packet utf-8 clientId")
        << hex("101700044d5154540402001e000bc5a6c497c59b74f09f9c84") << 4 << "CONNECT"
        << QString::fromUtf8(R"(CONNECT client "Ŧėśt🜄" MQTT 3.1.1 keep-alive 30 s clean)");
    QTest::addRow("mqtt-packet default connect") << hex("101000044d51545404020000000474657374") << 4 << "CONNECT"
                                                 << R"(CONNECT client "test" MQTT 3.1.1 keep-alive 0 s clean)";
    QTest::addRow("mqtt-packet empty will payload")
        << hex("102f00064d514973647003f6001e0004746573740005746f70696300000008757365726e616d65000870617373776f7264")
        << 4 << "CONNECT"
        << R"(CONNECT client "test" MQTT 3.1 keep-alive 30 s clean user "username" will topic)";
    QTest::addRow("mqtt-packet empty string username and password payload")
        << hex("101600064d514973647003c2001e00047465737400000000") << 4 << "CONNECT"
        << R"(CONNECT client "test" MQTT 3.1 keep-alive 30 s clean user "")";
    QTest::addRow("mqtt-packet maximal connect")
        << hex("103600064d514973647003f6001e0004746573740005746f70696300077061796c6f61640008757365726e616d6500087061737"
               "3776f7264")
        << 4 << "CONNECT"
        << R"(CONNECT client "test" MQTT 3.1 keep-alive 30 s clean user "username" will topic)";
    QTest::addRow("mqtt-packet max connect with special chars")
        << hex("103900064d514973647003f6001e000474652474000674c3b27069630008706179c2a36f61640008752465726e346d650009703"
               "424247730c2a364")
        << 4 << "CONNECT"
        << QString::fromUtf8(R"(CONNECT client "te$t" MQTT 3.1 keep-alive 30 s clean user "u$ern4me" will tòpic)");
    QTest::addRow("MQTT.js 3.1.1 connect") << hex("101400044d5154540402003c000873656e736f722d31") << 4 << "CONNECT"
                                           << R"(CONNECT client "sensor-1" MQTT 3.1.1 keep-alive 60 s clean)";
    QTest::addRow("MQTT.js 3.1 connect") << hex("101600064d514973647003 02003c000873656e736f722d31") << 4 << "CONNECT"
                                         << R"(CONNECT client "sensor-1" MQTT 3.1 keep-alive 60 s clean)";
    QTest::addRow("MQTT.js 5 connect, user, password, will")
        << hex("105500044d51545405ee003c1011 0000012c 26 0003 617070 0003 777369 0008 73656e736f722d31 05 18 0000000a"
               "0010 73656e736f72732f312f737461747573 0007 6f66666c696e65 0005 616c696365 0006 736563726574")
        << 4 << "CONNECT"
        << R"(CONNECT client "sensor-1" MQTT 5 keep-alive 60 s clean user "alice" will sensors/1/status)";

    // CONNACK
    QTest::addRow("mqtt-packet Version 4 CONACK") << hex("20020001") << 4 << "CONNACK"
                                                  << "CONNACK refused: unacceptable protocol version (1)";
    QTest::addRow("mqtt-packet Version 5 CONACK") << hex("2003008c00") << 5 << "CONNACK"
                                                  << "CONNACK refused: Bad authentication method (0x8C)";
    QTest::addRow("aedes refusing MQTT 5 (mqtt-packet Version 4 CONACK in Version 5 mode)")
        << hex("20020001") << 5 << "CONNACK"
        << "CONNACK refused: unacceptable protocol version (1)";
    QTest::addRow("mqtt-packet connack with return code 0") << hex("20020000") << 4 << "CONNACK"
                                                            << "CONNACK accepted";
    QTest::addRow("mqtt-packet session present bit set") << hex("20020100") << 4 << "CONNACK"
                                                         << "CONNACK accepted session present";
    QTest::addRow("mqtt-packet connack with return code 5") << hex("20020005") << 4 << "CONNACK"
                                                            << "CONNACK refused: not authorized (5)";
    QTest::addRow("mqtt-packet Version 5 CONNACK test 3") << hex("2003010000") << 5 << "CONNACK"
                                                          << "CONNACK accepted session present";
    // mqtt-packet's "connack MQTT 5 with properties" says Maximum QoS 2, which MQTT 5 (3.2.2.3.4) calls a
    // Protocol Error (see invalid()): here with Maximum QoS 1.
    QTest::addRow("mqtt-packet connack MQTT 5 with properties, Maximum QoS 1") << hex(
        "205700005411000004d22101b0240125012700000064120004746573742201c81f00047465737426000474657374000474657374280129"
        "012a001304d21a0004746573741c0004746573741500047465737416000401020304") << 5
                                                                               << "CONNACK"
                                                                               << R"(CONNACK accepted "test")";
    QTest::addRow("MQTT 5 connack as mqtt-packet writes it")
        << hex("2018000015 22000a 13003c 26 0006 62726f6b6572 0004 6d6f636b") << 5 << "CONNACK"
        << "CONNACK accepted";

    // PUBLISH
    QTest::addRow("mqtt-packet minimal publish") << hex("300a00047465737474657374") << 4 << "PUBLISH"
                                                 << R"(PUBLISH test QoS 0 4 B "test")";
    QTest::addRow("mqtt-packet maximal publish") << hex("3d0c000474657374000a74657374") << 4 << "PUBLISH"
                                                 << R"(PUBLISH test QoS 2 id 10 retain dup 4 B "test")";
    QTest::addRow("mqtt-packet empty publish") << hex("3006000474657374") << 4 << "PUBLISH"
                                               << "PUBLISH test QoS 0 0 B";
    QTest::addRow("mqtt-packet 2KB publish packet")
        << hex("308610000474657374") + QByteArray(2048, '\0') << 4 << "PUBLISH"
        << QString::fromUtf8("PUBLISH test QoS 0 2 KiB 00 00 00 00 00 00 00 00 …");
    QTest::addRow("mqtt-packet publish MQTT 5 properties") << hex(
        "3d56000474657374000a49010102000010e1230064080005746f706963090004010203042600047465737400047465737426000474"
        "657374000474657374260004746573740004746573740b780300047465737474657374")
                                                           << 5 << "PUBLISH"
                                                           << R"(PUBLISH test QoS 2 id 10 retain dup 4 B "test")";
    QTest::addRow("mqtt-packet publish MQTT 5 with multiple same properties")
        << hex("3d40000474657374000a33010102000010e1230064080005746f70696309000401020304260004746573740004746573740b780b790b7a"
               "0300047465737474657374")
        << 5 << "PUBLISH"
        << R"(PUBLISH test QoS 2 id 10 retain dup 4 B "test")";
    QTest::addRow("mqtt-packet duplicate user property with an empty value")
        << hex("30120001740d2600016100002600016100016278") << 5 << "PUBLISH"
        << R"(PUBLISH t QoS 0 1 B "x")";
    QTest::addRow("mqtt-packet properties with 0-4 byte varbyte")
        << hex("3d1b000474657374000a0e01000b80010b8080010b8080800174657374") << 5 << "PUBLISH"
        << R"(PUBLISH test QoS 2 id 10 retain dup 4 B "test")";
    QTest::addRow("mqtt-packet properties with max value varbyte")
        << hex("3d16000474657374000a0901000b010bffffff7f74657374") << 5 << "PUBLISH"
        << R"(PUBLISH test QoS 2 id 10 retain dup 4 B "test")";
    QTest::addRow("MQTT.js publish QoS 1") << hex("3211000973656e736f72732f3174d432312e35") << 4 << "PUBLISH"
                                           << R"(PUBLISH sensors/1 QoS 1 id 29908 4 B "21.5")";
    QTest::addRow("MQTT.js publish QoS 0 binary") << hex("300e000973656e736f72732f330001ff") << 4 << "PUBLISH"
                                                  << "PUBLISH sensors/3 QoS 0 3 B 00 01 ff";
    QTest::addRow("MQTT.js 5 publish QoS 2 with properties")
        << hex("342a000973656e736f72732f3274d607010102 0000003c 7b2274223a32312e352c22756e6974223a2243227d") << 5
        << "PUBLISH"
        << R"(PUBLISH sensors/2 QoS 2 id 29910 21 B "{\"t\":21.5,\"unit\":\"C\"}")";
    QTest::addRow("MQTT 5 publish by topic alias") << hex("300a000003230003 74657374") << 5 << "PUBLISH"
                                                   << R"(PUBLISH (topic alias 3) QoS 0 4 B "test")";

    // PUBACK, PUBREC, PUBREL, PUBCOMP
    QTest::addRow("mqtt-packet puback") << hex("40020002") << 4 << "PUBACK"
                                        << "PUBACK id 2";
    QTest::addRow("mqtt-packet puback without reason (5)") << hex("40020002") << 5 << "PUBACK"
                                                           << "PUBACK id 2";
    QTest::addRow("mqtt-packet Version 5 PUBACK test 2.1") << hex("4003002a00") << 5 << "PUBACK"
                                                           << "PUBACK id 42";
    QTest::addRow("mqtt-packet Version 5 PUBACK test 3") << hex("4004002a0000") << 5 << "PUBACK"
                                                         << "PUBACK id 42";
    QTest::addRow("mqtt-packet puback with reason") << hex("400400021000") << 5 << "PUBACK"
                                                    << "PUBACK id 2 No matching subscribers (0x10)";
    QTest::addRow("mqtt-packet puback MQTT 5 properties")
        << hex("4018000210141f00047465737426000474657374000474657374") << 5 << "PUBACK"
        << R"(PUBACK id 2 No matching subscribers (0x10) "test")";
    QTest::addRow("mqtt-packet pubrec") << hex("50020002") << 4 << "PUBREC"
                                        << "PUBREC id 2";
    QTest::addRow("mqtt-packet pubrec MQTT 5 properties")
        << hex("5018000210141f00047465737426000474657374000474657374") << 5 << "PUBREC"
        << R"(PUBREC id 2 No matching subscribers (0x10) "test")";
    QTest::addRow("mqtt-packet pubrel") << hex("62020002") << 4 << "PUBREL"
                                        << "PUBREL id 2";
    QTest::addRow("mqtt-packet pubrel MQTT5 properties")
        << hex("6218000292141f00047465737426000474657374000474657374") << 5 << "PUBREL"
        << R"(PUBREL id 2 Packet Identifier not found (0x92) "test")";
    QTest::addRow("mqtt-packet pubcomp") << hex("70020002") << 4 << "PUBCOMP"
                                         << "PUBCOMP id 2";
    QTest::addRow("mqtt-packet pubcomp MQTT 5 properties")
        << hex("7018000292141f00047465737426000474657374000474657374") << 5 << "PUBCOMP"
        << R"(PUBCOMP id 2 Packet Identifier not found (0x92) "test")";
    QTest::addRow("MQTT.js 5 pubrel, reason and no properties") << hex("620474d60000") << 5 << "PUBREL"
                                                                << "PUBREL id 29910";

    // SUBSCRIBE, SUBACK, UNSUBSCRIBE, UNSUBACK
    QTest::addRow("mqtt-packet subscribe to one topic") << hex("8209000600047465737400") << 4 << "SUBSCRIBE"
                                                        << "SUBSCRIBE id 6 test QoS 0";
    QTest::addRow("mqtt-packet subscribe to one topic by MQTT 5")
        << hex("821a0006100b91012600047465737400047465737400047465737418") << 5 << "SUBSCRIBE"
        << "SUBSCRIBE id 6 test QoS 0 retain as published retain handling 1";
    QTest::addRow("mqtt-packet subscribe to three topics")
        << hex("82170006000474657374000004756573740100047466737402") << 4 << "SUBSCRIBE"
        << "SUBSCRIBE id 6 test QoS 0, uest QoS 1, tfst QoS 2";
    QTest::addRow("mqtt-packet subscribe to 3 topics by MQTT 5")
        << hex("82280006100b910126000474657374000474657374000474657374180004756573740100047466737406") << 5
        << "SUBSCRIBE"
        << "SUBSCRIBE id 6 test QoS 0 retain as published retain handling 1, uest QoS 1, tfst QoS 2 no local";
    QTest::addRow("MQTT.js subscribe") << hex("820e74d3000973656e736f72732f2301") << 4 << "SUBSCRIBE"
                                       << "SUBSCRIBE id 29907 sensors/# QoS 1";
    QTest::addRow("mqtt-packet suback") << hex("90050006000102") << 4 << "SUBACK"
                                        << "SUBACK id 6 granted QoS 0, granted QoS 1, granted QoS 2";
    QTest::addRow("suback failure (3.1.1)") << hex("9003000680") << 4 << "SUBACK"
                                            << "SUBACK id 6 Failure (0x80)";
    QTest::addRow("mqtt-packet suback (5)")
        << hex("900700060000010280") << 5 << "SUBACK"
        << "SUBACK id 6 granted QoS 0, granted QoS 1, granted QoS 2, Unspecified error (0x80)";
    QTest::addRow("mqtt-packet suback MQTT 5")
        << hex("901b0006141f0004746573742600047465737400047465737400010280") << 5 << "SUBACK"
        << R"(SUBACK id 6 granted QoS 0, granted QoS 1, granted QoS 2, Unspecified error (0x80) "test")";
    QTest::addRow("aedes suback") << hex("900374d301") << 4 << "SUBACK"
                                  << "SUBACK id 29907 granted QoS 1";
    QTest::addRow("mqtt-packet unsubscribe") << hex("a20e0007000474667374000474657374") << 4 << "UNSUBSCRIBE"
                                             << "UNSUBSCRIBE id 7 tfst, test";
    QTest::addRow("mqtt-packet unsubscribe MQTT 5")
        << hex("a21c00070d26000474657374000474657374000474667374000474657374") << 5 << "UNSUBSCRIBE"
        << "UNSUBSCRIBE id 7 tfst, test";
    QTest::addRow("mqtt-packet unsuback") << hex("b0020008") << 4 << "UNSUBACK"
                                          << "UNSUBACK id 8";
    QTest::addRow("mqtt-packet unsuback MQTT 5")
        << hex("b0190008141f000474657374260004746573740004746573740080") << 5 << "UNSUBACK"
        << R"(UNSUBACK id 8 Success (0x00), Unspecified error (0x80) "test")";

    // PINGREQ, PINGRESP, DISCONNECT, AUTH
    QTest::addRow("mqtt-packet pingreq") << hex("c000") << 4 << "PINGREQ"
                                         << "PINGREQ";
    QTest::addRow("mqtt-packet pingresp") << hex("d000") << 4 << "PINGRESP"
                                          << "PINGRESP";
    QTest::addRow("mqtt-packet pingreq (5)") << hex("c000") << 5 << "PINGREQ"
                                             << "PINGREQ";
    QTest::addRow("mqtt-packet disconnect") << hex("e000") << 4 << "DISCONNECT"
                                            << "DISCONNECT";
    QTest::addRow("mqtt-packet Version 5 DISCONNECT test 1") << hex("e000") << 5 << "DISCONNECT"
                                                             << "DISCONNECT";
    QTest::addRow("mqtt-packet Version 5 DISCONNECT test 2") << hex("e00100") << 5 << "DISCONNECT"
                                                             << "DISCONNECT";
    QTest::addRow("mqtt-packet Version 5 DISCONNECT test 3") << hex("e0020000") << 5 << "DISCONNECT"
                                                             << "DISCONNECT";
    QTest::addRow("mqtt-packet disconnect MQTT 5")
        << hex("e022002011000000911f000474657374260004746573740004746573741c000474657374") << 5 << "DISCONNECT"
        << R"(DISCONNECT "test")";
    QTest::addRow("MQTT.js 5 end with a session expiry") << hex("e007000511 00000000") << 5 << "DISCONNECT"
                                                         << "DISCONNECT";
    QTest::addRow("disconnect, server shutting down (5)") << hex("e0028b00") << 5 << "DISCONNECT"
                                                          << "DISCONNECT Server shutting down (0x8B)";
    QTest::addRow("mqtt-packet auth MQTT 5")
        << hex("f024002215000474657374160004000102031f00047465737426000474657374000474657374") << 5 << "AUTH"
        << R"(AUTH Success (0x00) method "test" "test")";
    QTest::addRow("mqtt-packet minimal Success AUTH") << hex("f000") << 5 << "AUTH"
                                                      << "AUTH Success (0x00)";
    QTest::addRow("auth, continue") << hex("f00a1808150005534352414d") << 5 << "AUTH"
                                    << R"(AUTH Continue authentication (0x18) method "SCRAM")";
}

void tst_MqttPacket::parse()
{
    QFETCH(QByteArray, bytes);
    QFETCH(int, version);
    QFETCH(QString, type);
    QFETCH(QString, summary);
    QString error;
    const auto p = Mqtt::parse(bytes, Version(version), &error);
    QVERIFY2(p, qPrintable(error));
    QCOMPARE(typeName(p->type), type);
    QCOMPARE(Mqtt::summary(*p), summary);
    // Written out again, the same bytes (all of these use the shortest forms), and read back the same.
    QCOMPARE(Mqtt::encode(*p).toHex(), bytes.toHex());
    QCOMPARE(Mqtt::parse(Mqtt::encode(*p), Version(version)), p);
    // Every field is shown: at least the fixed header and, but for the empty packets, more.
    const QList<Decode::Field> f = fields(*p, headerOf(bytes));
    QVERIFY(!f.isEmpty());
    QCOMPARE(f.first().name, QStringLiteral("fixed header"));
}

void tst_MqttPacket::invalid_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<int>("version");
    QTest::addColumn<QString>("error");

    // The fixed header
    QTest::addRow("mqtt-packet Not supported: type 0") << hex(
        "000100") << 4 << "the first byte 0x00 gives packet type 0, which is reserved: this is not an MQTT packet";
    QTest::addRow("mqtt-packet Invalid variable byte integer: 10 ff ff ff ff")
        << hex("10ffffffff") << 4 << "the remaining length of a CONNECT runs past 4 bytes (10 ff ff ff ff)";
    QTest::addRow("mqtt-packet Invalid variable byte integer: 10 ff ff ff 80")
        << hex("10ffffff80") << 4 << "the remaining length of a CONNECT runs past 4 bytes (10 ff ff ff 80)";
    QTest::addRow("the length ends early") << hex("30ff") << 4 << "PUBLISH: the bytes end inside the remaining length";
    QTest::addRow("no bytes") << QByteArray() << 4 << "no bytes: an MQTT packet has at least 2";
    QTest::addRow("cut short") << hex("3211000973656e736f72") << 4
                               << "PUBLISH: the remaining length says 17 bytes, 8 bytes follow";
    QTest::addRow("bytes after the packet")
        << hex("c000c000") << 4 << "PINGREQ: 2 bytes follow the end its remaining length gives";
    QTest::addRow("mqtt-packet connect flags 0x2")
        << hex("120a00044d5154540302001e") << 4
        << "the first byte 0x12 is a CONNECT with the flags 0010, where the spec requires 0000 [MQTT-2.2.2-2]";
    QTest::addRow("mqtt-packet connack flags 0x1")
        << hex("21020005") << 4 << "the first byte 0x21 is a CONNACK with the flags 0001, where the spec requires 0000";
    QTest::addRow("mqtt-packet QoS 3") << hex(
        "3606000474657374") << 4 << "the first byte 0x36 is a PUBLISH with both QoS bits set (QoS 3) [MQTT-3.3.1-4]";
    QTest::addRow("mqtt-packet puback flags")
        << hex("41020002") << 4 << "the first byte 0x41 is a PUBACK with the flags 0001";
    QTest::addRow("mqtt-packet pubrec flags")
        << hex("51020002") << 4 << "the first byte 0x51 is a PUBREC with the flags 0001";
    QTest::addRow("mqtt-packet pubrel flags")
        << hex("60020002") << 4 << "the first byte 0x60 is a PUBREL with the flags 0000, where the spec requires 0010";
    QTest::addRow("mqtt-packet pubcomp flags")
        << hex("71020002") << 4 << "the first byte 0x71 is a PUBCOMP with the flags 0001";
    QTest::addRow("mqtt-packet subscribe flags")
        << hex("8009000600047465737400") << 4
        << "the first byte 0x80 is a SUBSCRIBE with the flags 0000, where the spec requires 0010";
    QTest::addRow("mqtt-packet unsubscribe flags")
        << hex("a00e0007000474667374000474657374") << 4 << "the first byte 0xA0 is an UNSUBSCRIBE with the flags 0000";
    QTest::addRow("mqtt-packet unsuback flags")
        << hex("b1020008") << 4 << "the first byte 0xB1 is an UNSUBACK with the flags 0001";
    QTest::addRow("mqtt-packet pingreq flags")
        << hex("c100") << 4 << "the first byte 0xC1 is a PINGREQ with the flags 0001";
    QTest::addRow("mqtt-packet pingresp flags")
        << hex("d100") << 4 << "the first byte 0xD1 is a PINGRESP with the flags 0001";
    QTest::addRow("mqtt-packet disconnect flags")
        << hex("e100") << 4 << "the first byte 0xE1 is a DISCONNECT with the flags 0001";

    // CONNECT
    QTest::addRow("mqtt-packet Cannot parse protocolId")
        << hex("100400064d51") << 4 << "CONNECT: the protocol name's length says 6 bytes, only 2 bytes left";
    QTest::addRow("mqtt-packet protocol name longer than the packet")
        << hex("1008000f4d5149736470") << 4 << "CONNECT: the protocol name's length says 15 bytes, only 6 bytes left";
    QTest::addRow("mqtt-packet missing protocol version")
        << hex("100800064d5149736470") << 4 << "CONNECT: the protocol level is missing";
    QTest::addRow("mqtt-packet missing connect flags")
        << hex("100900064d514973647003") << 4 << "CONNECT: the connect flags byte is missing";
    QTest::addRow("mqtt-packet missing keepalive")
        << hex("100a00064d514973647003f6") << 4 << "CONNECT: the keep alive needs 2 bytes, only 0 bytes left";
    QTest::addRow("missing client id") << hex("100c00064d514973647003f6001e") << 4
                                       << "CONNECT: the client identifier's length needs 2 bytes, only 0 bytes left";
    QTest::addRow("mqtt-packet 'missing will topic': a client id of two NULs")
        << hex("101000064d514973647003f6001e00020000") << 4 << "CONNECT: the client identifier contains U+0000";
    QTest::addRow("mqtt-packet 'missing will payload': a will topic of two NULs")
        << hex("101700064d514973647003f6001e0005746f70696300020000") << 4 << "CONNECT: the will topic contains U+0000";
    QTest::addRow("mqtt-packet 'missing username': the will payload cut")
        << hex("101d00064d514973647003f6001e000474657374000574 6f70696300077061") << 4
        << "CONNECT: the will payload's length says 7 bytes, only 2 bytes left";
    QTest::addRow("missing password") << hex("101c00064d514973647003c2001e0004746573740008757365726e616d65") << 4
                                      << "CONNECT: the password's length needs 2 bytes, only 0 bytes left";
    QTest::addRow("mqtt-packet Connect flag bit 0 must be 0")
        << hex("100a00044d5154540303001e") << 4 << "CONNECT: the connect flags' reserved bit 0 is set [MQTT-3.1.2-3]";
    QTest::addRow("mqtt-packet Will Retain without Will")
        << hex("100a00044d5154540322001e") << 4
        << "CONNECT: the Will Retain flag is set without the Will flag [MQTT-3.1.2-11]";
    QTest::addRow("mqtt-packet Will QoS 2 without Will")
        << hex("100a00044d5154540312001e") << 4 << "CONNECT: the Will QoS is 2 without the Will flag [MQTT-3.1.2-11]";
    QTest::addRow("mqtt-packet Will QoS 1 without Will")
        << hex("100a00044d515454030a001e") << 4 << "CONNECT: the Will QoS is 1 without the Will flag";
    QTest::addRow("Will QoS 3") << hex("100a00044d515454031e001e") << 4 << "CONNECT: the Will QoS is 3 [MQTT-3.1.2-14]";
    QTest::addRow("password without user name (3.1.1)")
        << hex("100e00044d5154540442003c00000000") << 4
        << "CONNECT: the Password flag is set without the User Name flag, which only MQTT 5 allows";
    QTest::addRow("mqtt-packet Invalid protocolId")
        << hex("101200064141414141410300000a000474657374") << 4
        << R"(CONNECT: the protocol name "AAAAAA" is neither "MQTT" nor "MQIsdp")";
    QTest::addRow("mqtt-packet Invalid protocol version")
        << hex("101200064d51497364700100000a000474657374") << 4
        << "CONNECT: protocol level 1 is none of 3 (MQTT 3.1), 4 (MQTT 3.1.1) and 5 (MQTT 5)";
    QTest::addRow("mqtt-packet v5 connect without payload")
        << hex("100b00044d5154540502000000") << 5
        << "CONNECT: the client identifier's length needs 2 bytes, only 0 bytes left";
    QTest::addRow("bytes after the password") << hex("101300044d51545404c2003c0000000161000162ff") << 4
                                              << "CONNECT: 1 byte left over after the password, where a CONNECT ends";
    QTest::addRow("client id not UTF-8") << hex("100e00044d5154540402003c0002c328") << 4
                                         << "CONNECT: the client identifier is not valid UTF-8: 2 bytes: c3 28";

    // CONNACK
    QTest::addRow("mqtt-packet connack flags 7-1")
        << hex("20020205") << 4 << "CONNACK: the acknowledge flags' reserved bits 7-1 are set (0x02) [MQTT-3.2.2-1]";
    QTest::addRow("connack return code 6")
        << hex("20020006") << 4 << "CONNACK: return code 6 is not one a CONNACK may carry in MQTT 3.1.1";
    QTest::addRow("connack of MQTT 5 read as 3.1.1")
        << hex("2003000000") << 4 << "CONNACK: a CONNACK is 2 bytes long in MQTT 3.1.1, this one 3";
    QTest::addRow("mqtt-packet Version 5 CONNACK test 1: no reason code")
        << hex("200101") << 5 << "CONNACK: the reason code is missing";
    QTest::addRow("connack reason code of a PUBACK (5)")
        << hex("2003001000") << 5 << "CONNACK: reason code 0x10 is not one a CONNACK may carry";
    QTest::addRow("mqtt-packet connack MQTT 5 with properties: Maximum QoS 2")
        << hex("205700005411000004d22101b0240225012700000064120004746573742201c81f00047465737426000474657374000474657374280129"
               "012a001304d21a0004746573741c0004746573741500047465737416000401020304")
        << 5 << "CONNACK: the Maximum QoS property is 2; only 0 and 1 are allowed";
    QTest::addRow("session present on a refusal")
        << hex("20020105") << 4 << "CONNACK: Session Present is set on a refusal";

    // PUBLISH
    QTest::addRow("DUP on QoS 0") << hex("3806000474657374") << 4
                                  << "PUBLISH: DUP is set on a QoS 0 PUBLISH [MQTT-3.3.1-2]";
    QTest::addRow("wildcard in a topic name")
        << hex("300500032f2b2f") << 4
        << R"(PUBLISH: the topic name "/+/" contains a wildcard (+ or #), which only topic filters may)";
    QTest::addRow("packet identifier 0") << hex("32080004746573740000") << 4
                                         << "PUBLISH: packet identifier 0 is not allowed [MQTT-2.3.1-1]";
    QTest::addRow("empty topic name (3.1.1)")
        << hex("3004000068 69") << 4 << "PUBLISH: the topic name is empty [MQTT-4.7.3-1]";
    QTest::addRow("empty topic name without alias (5)")
        << hex("3005000000 6869") << 5 << "PUBLISH: the topic name is empty and no Topic Alias stands for it";
    QTest::addRow("topic name not UTF-8") << hex("30040002c328") << 4 << "PUBLISH: the topic name is not valid UTF-8";
    QTest::addRow("topic length past the end")
        << hex("300400097465") << 4 << "PUBLISH: the topic name's length says 9 bytes, only 2 bytes left";
    QTest::addRow("mqtt-packet Unknown property") << hex(
        "3d3c000474657374000a2f7e0102000010e1230064080005746f70696309000401020304260004746573740004746573740b7803000474"
        "65737474657374") << 5 << "PUBLISH: property identifier 0x7E is not one MQTT 5 defines";
    QTest::addRow("property length past the end")
        << hex("3008000174 09 0100 7878") << 5 << "PUBLISH: the property length says 9 bytes, only 4 bytes left";
    QTest::addRow("property value cut")
        << hex("3007000174 02 0200 78") << 5
        << "PUBLISH: the Message Expiry Interval property needs 4 bytes, only 1 byte left";
    QTest::addRow("repeated Content Type") << hex("300d000174 08 03000161 03000162 78") << 5
                                           << "PUBLISH: the Content Type property appears more than once";
    QTest::addRow("Payload Format Indicator 2")
        << hex("3007000174 02 0102 78") << 5
        << "PUBLISH: the Payload Format Indicator property is 2; only 0 and 1 are allowed";
    QTest::addRow("Topic Alias 0") << hex("3008000174 03 230000 78") << 5
                                   << "PUBLISH: the Topic Alias property is 0, which is not allowed";
    QTest::addRow("Session Expiry Interval in a PUBLISH")
        << hex("300a000174 05 1100000001 78") << 5
        << "PUBLISH: the Session Expiry Interval property (0x11) does not belong in a PUBLISH";
    QTest::addRow("User Property value not UTF-8")
        << hex("300c000174 08 260001610002c328") << 5 << "PUBLISH: the User Property's value is not valid UTF-8";
    QTest::addRow("property identifier past 4 bytes")
        << hex("3008000174 04 ffffffff") << 5 << "PUBLISH: the property identifier runs past 4 bytes";

    // The acknowledgements
    QTest::addRow("mqtt-packet Invalid puback reason code")
        << hex("400400021100") << 5 << "PUBACK: reason code 0x11 is not one a PUBACK may carry";
    QTest::addRow("mqtt-packet Invalid pubrel reason code 0x11")
        << hex("620400021100") << 5 << "PUBREL: reason code 0x11 is not one a PUBREL may carry";
    QTest::addRow("mqtt-packet Invalid pubrel reason code 0x10")
        << hex("620400021000") << 5 << "PUBREL: reason code 0x10 is not one a PUBREL may carry";
    QTest::addRow("mqtt-packet Invalid pubcomp reason code")
        << hex("700400021000") << 5 << "PUBCOMP: reason code 0x10 is not one a PUBCOMP may carry";
    QTest::addRow("an MQTT 5 puback read as 3.1.1")
        << hex("400400021000") << 4 << "PUBACK: 2 bytes left over after the packet identifier, where a PUBACK ends";
    QTest::addRow("puback id 0") << hex("40020000") << 4 << "PUBACK: packet identifier 0 is not allowed";
    QTest::addRow("puback with a Topic Alias")
        << hex("400700020003230001") << 5 << "PUBACK: the Topic Alias property (0x23) does not belong in a PUBACK";
    QTest::addRow("puback cut in its identifier")
        << hex("400100") << 4 << "PUBACK: the packet identifier needs 2 bytes, only 1 byte left";

    // SUBSCRIBE and the others
    QTest::addRow("mqtt-packet subscribe without payload")
        << hex("8200") << 5 << "SUBSCRIBE: the packet identifier needs 2 bytes, only 0 bytes left";
    QTest::addRow("subscribe without a filter")
        << hex("82020001") << 4 << "SUBSCRIBE: a SUBSCRIBE without a topic filter [MQTT-3.8.3-3]";
    QTest::addRow("mqtt-packet subscribe QoS 3")
        << hex("8209000600047465737403") << 4 << R"(SUBSCRIBE: the options of "test" ask for QoS 3)";
    QTest::addRow("mqtt-packet subscribe bits 7-6 (5)")
        << hex("820a00060000047465737480") << 5 << R"(SUBSCRIBE: the options of "test" set reserved bits 7-6 (0x80))";
    QTest::addRow("mqtt-packet retain handling 3")
        << hex("820a00060000047465737430") << 5 << R"(SUBSCRIBE: the options of "test" ask for Retain Handling 3)";
    QTest::addRow("mqtt-packet subscribe bits 7-2 (3.1.1)")
        << hex("8209000600047465737408") << 4 << R"(SUBSCRIBE: the options of "test" set reserved bits 7-2 (0x08))";
    QTest::addRow("mqtt-packet Malformed Subscribe Payload")
        << hex("820e007b000a68696a6b6c2f6d6e6f00") << 4 << "SUBSCRIBE: the topic filter contains U+0000";
    QTest::addRow("filter past the end") << hex("8207007b0004746573") << 4
                                         << "SUBSCRIBE: the topic filter's length says 4 bytes, only 3 bytes left";
    QTest::addRow("subscription options missing")
        << hex("8206007b00027465") << 4 << R"(SUBSCRIBE: the subscription options of "te" is missing)";
    QTest::addRow("empty filter") << hex("8205007b000000") << 4 << "SUBSCRIBE: an empty topic filter [MQTT-4.7.3-1]";
    QTest::addRow("Subscription Identifier 0")
        << hex("8209007b 02 0b00 000174 00") << 5
        << "SUBSCRIBE: the Subscription Identifier property is 0, which is not allowed";
    QTest::addRow("two Subscription Identifiers in a SUBSCRIBE")
        << hex("820b007b 04 0b010b02 000174 00") << 5
        << "SUBSCRIBE: the Subscription Identifier property appears more than once";
    QTest::addRow("mqtt-packet suback without payload")
        << hex("9000") << 5 << "SUBACK: the packet identifier needs 2 bytes, only 0 bytes left";
    QTest::addRow("suback without codes") << hex("90020006") << 4 << "SUBACK: a SUBACK without a return code";
    QTest::addRow("mqtt-packet Invalid suback QoS")
        << hex("9006000600010203") << 4 << "SUBACK: return code 0x03 is not one a SUBACK may carry in MQTT 3.1.1";
    QTest::addRow("mqtt-packet Invalid suback code (5)")
        << hex("9006000600010279") << 5 << "SUBACK: reason code 0x79 is not one a SUBACK may carry";
    QTest::addRow("mqtt-packet unsubscribe without payload")
        << hex("a200") << 5 << "UNSUBSCRIBE: the packet identifier needs 2 bytes, only 0 bytes left";
    QTest::addRow("unsubscribe without a filter")
        << hex("a2020007") << 4 << "UNSUBSCRIBE: an UNSUBSCRIBE without a topic filter [MQTT-3.10.3-2]";
    QTest::addRow("mqtt-packet unsuback without payload (5)")
        << hex("b000") << 5 << "UNSUBACK: the packet identifier needs 2 bytes, only 0 bytes left";
    QTest::addRow("mqtt-packet unsuback of 1 byte (3.1.1)")
        << hex("b00101") << 4 << "UNSUBACK: the packet identifier needs 2 bytes, only 1 byte left";
    QTest::addRow("unsuback without codes (5)")
        << hex("b003000800") << 5 << "UNSUBACK: an MQTT 5 UNSUBACK without a reason code";
    QTest::addRow("mqtt-packet Invalid unsuback code")
        << hex("b00400080084") << 5 << "UNSUBACK: reason code 0x84 is not one an UNSUBACK may carry";
    QTest::addRow("pingreq with a body") << hex("c00100") << 4 << "PINGREQ: a PINGREQ has no body, this one has 1 byte";
    QTest::addRow("disconnect with a body (3.1.1)")
        << hex("e00100") << 4 << "DISCONNECT: a DISCONNECT has no body in MQTT 3.1.1, this one has 1 byte";
    QTest::addRow("mqtt-packet Invalid disconnect reason code")
        << hex("e0020500") << 5 << "DISCONNECT: reason code 0x05 is not one a DISCONNECT may carry";
    QTest::addRow("mqtt-packet Invalid auth reason code")
        << hex("f0021700") << 5 << "AUTH: reason code 0x17 is not one an AUTH may carry";
    QTest::addRow("mqtt-packet auth in 3.1.1")
        << hex("f024002215000474657374160004000102031f00047465737426000474657374000474657374") << 4
        << "AUTH: AUTH exists only in MQTT 5, and the connection speaks MQTT 3.1.1";
    QTest::addRow("auth with a will property") << hex(
        "f007180518 00000000") << 5 << "AUTH: the Will Delay Interval property (0x18) does not belong in an AUTH";
}

void tst_MqttPacket::invalid()
{
    QFETCH(QByteArray, bytes);
    QFETCH(int, version);
    QFETCH(QString, error);
    QString why;
    QVERIFY(!Mqtt::parse(bytes, Version(version), &why));
    QVERIFY2(why.startsWith(error), qPrintable(why));
}

void tst_MqttPacket::fixedHeader_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<int>("status"); // HeaderStatus
    QTest::addColumn<int>("type");
    QTest::addColumn<qint64>("packetSize"); // -1: not known
    QTest::addColumn<QString>("error");
    const int complete = int(HeaderStatus::Complete), incomplete = int(HeaderStatus::Incomplete),
              invalid = int(HeaderStatus::Invalid);
    QTest::addRow("nothing") << QByteArray() << incomplete << 1 << -1LL << QString();
    QTest::addRow("first byte only") << hex("10") << incomplete << 1 << -1LL << QString();
    QTest::addRow("one length byte") << hex("1014") << complete << 1 << 22LL << QString();
    QTest::addRow("mqtt-packet 2KB publish: two length bytes") << hex("308610") << complete << 3 << 2057LL << QString();
    QTest::addRow("length continues") << hex("3086") << incomplete << 3 << -1LL << QString();
    QTest::addRow("mqtt-packet max payload publish") << hex("30ffffff7f") << complete << 3 << 268435460LL << QString();
    QTest::addRow("three of four length bytes") << hex("30ffffff") << incomplete << 3 << -1LL << QString();
    QTest::addRow("mqtt-packet 5th length byte")
        << hex("30ffffffff01") << invalid << 3 << -1LL
        << "the remaining length of a PUBLISH runs past 4 bytes (30 ff ff ff ff)";
    QTest::addRow("type 0 with nothing else")
        << hex("00") << invalid << 1 << -1LL << "the first byte 0x00 gives packet type 0";
    QTest::addRow("flags checked before the length")
        << hex("63") << invalid << 6 << -1LL
        << "the first byte 0x63 is a PUBREL with the flags 0011, where the spec requires 0010";
    QTest::addRow("text 'hello' is a PUBREL with wrong flags")
        << QByteArray("hello") << invalid << 6 << -1LL << "the first byte 0x68 is a PUBREL with the flags 1000";
    QTest::addRow("JSON '{' is a PUBACK with wrong flags")
        << QByteArray("{\"a\":1}") << invalid << 7 << -1LL << "the first byte 0x7B is a PUBCOMP with the flags 1011";
}

void tst_MqttPacket::fixedHeader()
{
    QFETCH(QByteArray, bytes);
    QFETCH(int, status);
    QFETCH(int, type);
    QFETCH(qint64, packetSize);
    QFETCH(QString, error);
    FixedHeader h;
    QString why;
    QCOMPARE(int(readFixedHeader(bytes, &h, &why)), status);
    QVERIFY2(why.startsWith(error), qPrintable(why));
    if (!bytes.isEmpty())
        QCOMPARE(int(h.type), type);
    QCOMPARE(h.lengthKnown, packetSize >= 0);
    if (packetSize >= 0)
        QCOMPARE(h.packetSize(), packetSize);
}

void tst_MqttPacket::nonMinimalLengthParses()
{
    // A remaining length of 0 written in two bytes: allowed by the header reader (the framing is
    // clear), shown in the fields, and written back in its shortest form.
    const QByteArray bytes = hex("c08000");
    FixedHeader h;
    QCOMPARE(readFixedHeader(bytes, &h), HeaderStatus::Complete);
    QVERIFY(!h.minimalLength);
    QCOMPARE(h.packetSize(), 3);
    const auto p = Mqtt::parse(bytes, Version::V311);
    QVERIFY(p);
    QCOMPARE(Mqtt::encode(*p), hex("c000"));
    QVERIFY(
        render(fields(*p, h)).contains(QStringLiteral("remaining length: 0 (written in 2 bytes, more than it needs)")));
    // A limit below the spec's refuses the packet as soon as its length is known.
    QString why;
    QCOMPARE(readFixedHeader(hex("308002"), &h, &why, 255), HeaderStatus::Invalid);
    QCOMPARE(why, QStringLiteral("a PUBLISH whose remaining length says 256 bytes, above the limit of 255 bytes"));
}

void tst_MqttPacket::connectFields()
{
    // mqtt-packet "connect MQTT 5": every CONNECT property, a will with every will property.
    const QByteArray bytes
        = hex("107d00044d5154540536001e2f11000004d22101b027000000642201c8190117012600047465737400047465737415"
              "000474657374160004010203040004746573742f18000004d2010002000010e103000474657374080005746f706963"
              "09000401020304260004746573740004746573740005746f706963000404030201");
    const auto p = Mqtt::parse(bytes, Version::V311);
    QVERIFY(p);
    QCOMPARE(p->version, Version::V5);
    QCOMPARE(render(fields(*p, headerOf(bytes))), QString::fromUtf8(R"(fixed header: 2 bytes
  packet type: 1 (CONNECT)
  flags: 0000
  remaining length: 125
protocol name: MQTT
protocol level: 5 (MQTT 5)
connect flags: 0x36
  user name: 0
  password: 0
  will retain: 1
  will QoS: 2
  will: 1
  clean start: 1
  reserved: 0
keep alive: 30 s
properties: 9 properties
  Session Expiry Interval: 1234 s
  Receive Maximum: 432
  Maximum Packet Size: 100
  Topic Alias Maximum: 456
  Request Response Information: 1
  Request Problem Information: 1
  User Property: 
    test: test
  Authentication Method: test
  Authentication Data: 4 bytes: 01 02 03 04
client identifier: test
will: topic
  will properties: 7 properties
    Will Delay Interval: 1234 s
    Payload Format Indicator: 0
    Message Expiry Interval: 4321 s
    Content Type: test
    Response Topic: topic
    Correlation Data: 4 bytes: 01 02 03 04
    User Property: 
      test: test
  will topic: topic
  will payload: 4 bytes: 04 03 02 01
  will QoS: 2
  will retain: 1
)"));

    // MQTT.js 5 with a user name and a password: the password is shown, as it crossed, under its name.
    const QByteArray js
        = hex("105500044d51545405ee003c10110000012c260003617070000377736900087365 6e736f722d310518"
              "0000000a001073656e736f72732f312f7374617475730007 6f66666c696e650005616c6963650006736563726574");
    const auto q = Mqtt::parse(js, Version::V311);
    QVERIFY(q);
    const QString text = render(fields(*q, headerOf(js)));
    QVERIFY2(text.contains(QStringLiteral("\nuser name: alice\npassword: secret\n")), qPrintable(text));
    QVERIFY2(text.contains(QStringLiteral("  User Property: \n    app: wsi\n")), qPrintable(text));
    QCOMPARE(q->password, QByteArrayLiteral("secret"));
    QCOMPARE(q->will->qos, 1);
    QVERIFY(q->will->retain);
}

void tst_MqttPacket::connAckFields()
{
    // mqtt-packet "connack MQTT 5 with properties and doubled user properties": both kept, in order
    // (with Maximum QoS 1 for the fixture's 2, which MQTT 5 does not allow).
    const QByteArray bytes
        = hex("206400006111000004d22101b0240125012700000064120004746573742201c81f00047465737426000474657374000"
              "47465737426000474657374000474657374280129012a001304d21a0004746573741c000474657374150004746573"
              "7416000401020304");
    const auto p = Mqtt::parse(bytes, Version::V5);
    QVERIFY(p);
    QCOMPARE(render(fields(*p, headerOf(bytes))), QString::fromUtf8(R"(fixed header: 2 bytes
  packet type: 2 (CONNACK)
  flags: 0000
  remaining length: 100
acknowledge flags: 0x00
  session present: 0
reason code: 0x00 (Success)
properties: 18 properties
  Session Expiry Interval: 1234 s
  Receive Maximum: 432
  Maximum QoS: 1
  Retain Available: 1
  Maximum Packet Size: 100
  Assigned Client Identifier: test
  Topic Alias Maximum: 456
  Reason String: test
  User Property: 
    test: test
  User Property: 
    test: test
  Wildcard Subscription Available: 1
  Subscription Identifier Available: 1
  Shared Subscription Available: 0
  Server Keep Alive: 1234 s
  Response Information: test
  Server Reference: test
  Authentication Method: test
  Authentication Data: 4 bytes: 01 02 03 04
)"));
}

void tst_MqttPacket::publishFields()
{
    // MQTT.js 5's QoS 2 publish with a JSON payload: its structure under the payload.
    const QByteArray bytes
        = hex("342a000973656e736f72732f3274d6070101020000003c7b2274223a32312e352c22756e6974223a2243227d");
    const auto p = Mqtt::parse(bytes, Version::V5);
    QVERIFY(p);
    QCOMPARE(render(fields(*p, headerOf(bytes))), QStringLiteral(R"(fixed header: 2 bytes
  packet type: 3 (PUBLISH)
  flags: 0100
    DUP: 0
    QoS: 2
    RETAIN: 0
  remaining length: 42
topic name: sensors/2
packet identifier: 29910
properties: 2 properties
  Payload Format Indicator: 1
  Message Expiry Interval: 60 s
payload: {"t":21.5,"unit":"C"}
  t: 21.5
  unit: C
)"));
    // mqtt-packet "publish MQTT 5 with multiple same properties": the Subscription Identifiers all kept.
    const auto q = Mqtt::parse(
        hex("3d40000474657374000a33010102000010e1230064080005746f70696309000401020304260004746573740004746573740b7"
            "80b790b7a0300047465737474657374"),
        Version::V5);
    QVERIFY(q);
    QList<quint32> ids;
    for (const Property &prop : q->properties)
        if (prop.id == 0x0B)
            ids << prop.number;
    QCOMPARE(ids, (QList<quint32> { 120, 121, 122 }));
    // A binary payload shows as hex.
    const QByteArray binary = hex("300e000973656e736f72732f330001ff");
    const QString text = render(fields(*Mqtt::parse(binary, Version::V311), headerOf(binary)));
    QVERIFY2(text.endsWith(QStringLiteral("payload: 3 bytes: 00 01 ff\n")), qPrintable(text));
}

void tst_MqttPacket::subscribeFields()
{
    // MQTT.js 5: subscribe('sensors/#', { qos: 1, nl: true, rap: true, rh: 1, properties: { subscriptionIdentifier: 7 }
    // }).
    const QByteArray bytes = hex("821174d4020b07000973656e736f72732f231d");
    const auto p = Mqtt::parse(bytes, Version::V5);
    QVERIFY(p);
    QCOMPARE(Mqtt::summary(*p),
        QStringLiteral("SUBSCRIBE id 29908 sensors/# QoS 1 no local retain as published retain handling 1"));
    QCOMPARE(render(fields(*p, headerOf(bytes))), QStringLiteral(R"(fixed header: 2 bytes
  packet type: 8 (SUBSCRIBE)
  flags: 0010
  remaining length: 17
packet identifier: 29908
properties: 1 property
  Subscription Identifier: 7
topic filter: sensors/#
  options: 0x1D
  maximum QoS: 1
  no local: 1
  retain as published: 1
  retain handling: 1 (send retained messages on a new subscription only)
)"));
}

void tst_MqttPacket::ackFields()
{
    // A left-out reason code says so; a sent one is shown as sent.
    const auto implied = Mqtt::parse(hex("4002002a"), Version::V5);
    QVERIFY(implied && !implied->hasReasonCode && !implied->hasProperties);
    QVERIFY(render(fields(*implied, headerOf(hex("4002002a"))))
                .endsWith(QStringLiteral(
                    "packet identifier: 42\nreason code: 0x00 (Success) (left out: the packet ends before it)\n")));
    const auto sent = Mqtt::parse(hex("4003002a00"), Version::V5);
    QVERIFY(sent && sent->hasReasonCode && !sent->hasProperties);
    QVERIFY(render(fields(*sent, headerOf(hex("4003002a00"))))
                .endsWith(QStringLiteral("packet identifier: 42\nreason code: 0x00 (Success)\n")));
    const QByteArray suback = hex("9003000680");
    QVERIFY(render(fields(*Mqtt::parse(suback, Version::V311), headerOf(suback)))
                .endsWith(QStringLiteral("return code: 0x80 (Failure)\n")));
}

void tst_MqttPacket::guessedV311ConnAckUnderV5()
{
    // aedes answers MQTT.js 5's version 5 CONNECT with this 3.1.1 CONNACK (captured): read as what it is.
    const auto p = Mqtt::parse(hex("20020001"), Version::V5);
    QVERIFY(p);
    QCOMPARE(p->version, Version::V311);
    QCOMPARE(p->reasonCode, 1);
    QCOMPARE(reasonName(Type::ConnAck, 1, p->version), QStringLiteral("unacceptable protocol version"));
}

void tst_MqttPacket::encode_data()
{
    QTest::addColumn<Packet>("packet");
    QTest::addColumn<QByteArray>("bytes");
    // MQTT.js 5's defaults with clientId "sensor-1" (captured, 3.1.1, 5 and 3.1).
    QTest::addRow("connect 3.1.1") << Mqtt::connect("sensor-1", 60, true, Version::V311)
                                   << hex("101400044d5154540402003c000873656e736f722d31");
    QTest::addRow("connect 5") << Mqtt::connect("sensor-1", 60, true, Version::V5)
                               << hex("101500044d5154540502003c00000873656e736f722d31");
    QTest::addRow("connect 3.1") << Mqtt::connect("sensor-1", 60, true, Version::V31)
                                 << hex("101600064d514973647003 02003c000873656e736f722d31");
    // mqtt-packet "empty string password payload" minus the 3.1 name: user name and password.
    QTest::addRow("connect with user and password") << Mqtt::connect("test", 30, true, Version::V311,
        QByteArray("username"), QByteArray()) << hex("101c00044d51545404c2001e0004746573740008757365726e616d650000");
    QTest::addRow("connect, no clean start")
        << Mqtt::connect("test", 30, false, Version::V311) << hex("101000044d5154540400001e000474657374");
    QTest::addRow("connect 5 with a password alone") << Mqtt::connect("", 0, true, Version::V5, std::nullopt,
        QByteArray("pw")) << hex("101100044d51545405420000000000000270 77");
    // MQTT.js: subscribe('sensors/#', { qos: 1 }) with its packet id 29907 (captured).
    QTest::addRow("subscribe 3.1.1") << Mqtt::subscribe(0x74d3, "sensors/#", 1, Version::V311)
                                     << hex("820e74d3000973656e736f72732f2301");
    QTest::addRow("subscribe 5") << Mqtt::subscribe(1, "a", 2, Version::V5) << hex("8207000100000161 02");
    // MQTT.js: publish('sensors/1', '21.5', { qos: 1 }) as packet 29908 (captured).
    QTest::addRow("publish QoS 1") << Mqtt::publish("sensors/1", "21.5", 1, false, 0x74d4, Version::V311)
                                   << hex("3211000973656e736f72732f3174d432312e35");
    QTest::addRow("publish QoS 0 binary") << Mqtt::publish("sensors/3", hex("0001ff"), 0, false, 7, Version::V311)
                                          << hex("300e000973656e736f72732f330001ff");
    QTest::addRow("publish retained 5") << Mqtt::publish("t", "x", 0, true, 0, Version::V5) << hex("310500017400 78");
    QTest::addRow("pingreq") << Mqtt::pingReq() << hex("c000");
    QTest::addRow("disconnect 3.1.1") << Mqtt::disconnect(Version::V311) << hex("e000");
    QTest::addRow("disconnect 5") << Mqtt::disconnect(Version::V5) << hex("e000");
    // Longer than 127 bytes: two length bytes.
    QTest::addRow("publish of 200 bytes") << Mqtt::publish("t", QByteArray(200, 'a'), 0, false, 0, Version::V311)
                                          << hex("30cb01000174") + QByteArray(200, 'a');
}

void tst_MqttPacket::encode()
{
    QFETCH(Packet, packet);
    QFETCH(QByteArray, bytes);
    QCOMPARE(Mqtt::encode(packet).toHex(), bytes.toHex());
    // Read back, every field as built.
    QString error;
    const auto back = Mqtt::parse(bytes, packet.version, &error);
    QVERIFY2(back, qPrintable(error));
    QCOMPARE(*back, packet);
}

void tst_MqttPacket::templates()
{
    for (const Version version : { Version::V311, Version::V5 }) {
        const QList<Decode::ComposerTemplate> list = Mqtt::templates(version);
        QStringList names;
        for (const auto &t : list)
            names << t.name;
        QCOMPARE(names,
            (QStringList { QStringLiteral("CONNECT (MQTT 3.1.1)"), QStringLiteral("CONNECT (MQTT 5)"),
                QStringLiteral("SUBSCRIBE"), QStringLiteral("PUBLISH"), QStringLiteral("PINGREQ"),
                QStringLiteral("DISCONNECT") }));
        for (const auto &t : list) {
            const Version as = t.name == QLatin1String("CONNECT (MQTT 3.1.1)") ? Version::V311 : version;
            QString error;
            const auto p = Mqtt::parse(t.text, as, &error);
            QVERIFY2(p, qPrintable(t.name + QStringLiteral(": ") + error));
            QVERIFY2(t.name.startsWith(typeName(p->type)), qPrintable(t.name));
        }
    }
    QCOMPARE(Mqtt::templates(Version::V311).at(0).text, hex("101700044d5154540402003c000b7773696e73706563746f72"));
    QCOMPARE(Mqtt::templates(Version::V311).at(1).text, hex("101800044d5154540502003c00000b7773696e73706563746f72"));
    QCOMPARE(Mqtt::templates(Version::V311).at(2).text, hex("820b0001000674657374 2f2301"));
    QCOMPARE(Mqtt::templates(Version::V5).at(2).text, hex("820c000100000674657374 2f2301"));
}

void tst_MqttPacket::reasonNames()
{
    QCOMPARE(reasonName(Type::ConnAck, 0, Version::V311), QStringLiteral("Connection accepted"));
    QCOMPARE(reasonName(Type::ConnAck, 4, Version::V311), QStringLiteral("bad user name or password"));
    QCOMPARE(reasonName(Type::ConnAck, 6, Version::V311), QString());
    QCOMPARE(reasonName(Type::SubAck, 0x80, Version::V311), QStringLiteral("Failure"));
    QCOMPARE(reasonName(Type::SubAck, 0x80, Version::V5), QStringLiteral("Unspecified error"));
    QCOMPARE(reasonName(Type::ConnAck, 0x00, Version::V5), QStringLiteral("Success"));
    QCOMPARE(reasonName(Type::Disconnect, 0x00, Version::V5), QStringLiteral("Normal disconnection"));
    QCOMPARE(reasonName(Type::SubAck, 0x00, Version::V5), QStringLiteral("Granted QoS 0"));
    QCOMPARE(reasonName(Type::Disconnect, 0x04, Version::V5), QStringLiteral("Disconnect with Will Message"));
    QCOMPARE(reasonName(Type::ConnAck, 0x04, Version::V5), QString());
    QCOMPARE(reasonName(Type::ConnAck, 0x9F, Version::V5), QStringLiteral("Connection rate exceeded"));
    QCOMPARE(reasonName(Type::PubRel, 0x92, Version::V5), QStringLiteral("Packet Identifier not found"));
    QCOMPARE(reasonName(Type::PubAck, 0x92, Version::V5), QString());
    QCOMPARE(reasonName(Type::Auth, 0x19, Version::V5), QStringLiteral("Re-authenticate"));
    QCOMPARE(reasonName(Type::PingReq, 0x00, Version::V5), QString());
    // Every code of table 2-6 has a name somewhere.
    int named = 0;
    for (int code = 0; code < 256; ++code)
        for (int t = 1; t <= 15; ++t)
            if (!reasonName(Type(t), quint8(code), Version::V5).isEmpty()) {
                ++named;
                break;
            }
    QCOMPARE(named, 43);
}

void tst_MqttPacket::properties()
{
    // Every property identifier of MQTT 5's table 2-4, with its type.
    const QList<std::pair<int, PropertyType>> spec {
        { 0x01, PropertyType::Byte },
        { 0x02, PropertyType::FourByte },
        { 0x03, PropertyType::Utf8String },
        { 0x08, PropertyType::Utf8String },
        { 0x09, PropertyType::BinaryData },
        { 0x0B, PropertyType::VariableByteInteger },
        { 0x11, PropertyType::FourByte },
        { 0x12, PropertyType::Utf8String },
        { 0x13, PropertyType::TwoByte },
        { 0x15, PropertyType::Utf8String },
        { 0x16, PropertyType::BinaryData },
        { 0x17, PropertyType::Byte },
        { 0x18, PropertyType::FourByte },
        { 0x19, PropertyType::Byte },
        { 0x1A, PropertyType::Utf8String },
        { 0x1C, PropertyType::Utf8String },
        { 0x1F, PropertyType::Utf8String },
        { 0x21, PropertyType::TwoByte },
        { 0x22, PropertyType::TwoByte },
        { 0x23, PropertyType::TwoByte },
        { 0x24, PropertyType::Byte },
        { 0x25, PropertyType::Byte },
        { 0x26, PropertyType::Utf8StringPair },
        { 0x27, PropertyType::FourByte },
        { 0x28, PropertyType::Byte },
        { 0x29, PropertyType::Byte },
        { 0x2A, PropertyType::Byte },
    };
    int defined = 0;
    for (int id = 0; id < 256; ++id)
        if (propertyType(quint8(id)))
            ++defined;
    QCOMPARE(defined, spec.size());
    for (const auto &[id, type] : spec) {
        QCOMPARE(propertyType(quint8(id)), std::optional<PropertyType>(type));
        QVERIFY(!propertyName(quint8(id)).isEmpty());
    }
    QCOMPARE(propertyName(0x26), QStringLiteral("User Property"));
    QCOMPARE(propertyName(0x04), QString());
}

void tst_MqttPacket::correlations_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<int>("version");
    QTest::addColumn<QStringList>("expected"); // "role key"
    QTest::addRow("connect") << hex("101400044d5154540402003c000873656e736f722d31") << 4
                             << QStringList { QStringLiteral("request connect") };
    QTest::addRow("connack") << hex("20020000") << 4 << QStringList { QStringLiteral("answer connect") };
    QTest::addRow("publish QoS 0") << hex("300a00047465737474657374") << 4 << QStringList {};
    QTest::addRow("publish QoS 1") << hex("3211000973656e736f72732f3174d432312e35") << 4
                                   << QStringList { QStringLiteral("request packet 29908") };
    QTest::addRow("puback") << hex("40020005") << 4 << QStringList { QStringLiteral("answer packet 5") };
    QTest::addRow("pubrec") << hex("50020005") << 4 << QStringList { QStringLiteral("progress packet 5") };
    QTest::addRow("pubrec refusing (5)") << hex("5003000580") << 5 << QStringList { QStringLiteral("answer packet 5") };
    QTest::addRow("pubrel") << hex("62020005") << 4 << QStringList { QStringLiteral("continue packet 5") };
    QTest::addRow("pubcomp") << hex("70020005") << 4 << QStringList { QStringLiteral("answer packet 5") };
    QTest::addRow("subscribe") << hex("8209000600047465737400") << 4
                               << QStringList { QStringLiteral("request packet 6") };
    QTest::addRow("suback") << hex("90050006000102") << 4 << QStringList { QStringLiteral("answer packet 6") };
    QTest::addRow("unsubscribe") << hex("a20e0007000474667374000474657374") << 4
                                 << QStringList { QStringLiteral("request packet 7") };
    QTest::addRow("unsuback") << hex("b0020007") << 4 << QStringList { QStringLiteral("answer packet 7") };
    QTest::addRow("pingreq") << hex("c000") << 4 << QStringList { QStringLiteral("request ping") };
    QTest::addRow("pingresp") << hex("d000") << 4 << QStringList { QStringLiteral("answer ping") };
    QTest::addRow("disconnect") << hex("e000") << 4 << QStringList {};
}

void tst_MqttPacket::correlations()
{
    QFETCH(QByteArray, bytes);
    QFETCH(int, version);
    QFETCH(QStringList, expected);
    const auto p = Mqtt::parse(bytes, Version(version));
    QVERIFY(p);
    QStringList got;
    for (const Decode::Correlation &c : Mqtt::correlations(*p)) {
        const char *role = c.role == Decode::Correlation::Role::Request ? "request"
            : c.role == Decode::Correlation::Role::Answer               ? "answer"
            : c.role == Decode::Correlation::Role::Continue             ? "continue"
                                                                        : "progress";
        got << QString::fromLatin1(role) + QLatin1Char(' ') + QString::fromUtf8(c.key);
    }
    QCOMPARE(got, expected);
}

QTEST_GUILESS_MAIN(tst_MqttPacket)
#include "tst_mqttpacket.moc"
