// MQTT packets written as text (the composer's MQTT packet mode): each text gives exactly the bytes
// the spec lays out (worked out by hand from MQTT 3.1.1 and 5, field by field); every mistake a
// person can make gets its own words and the place it is about; and every packet the real MQTT.js
// client and the real brokers sent in the captured sessions comes back byte for byte through
// toText() and fromText().

#include "capturedsession.h"
#include "decode/mqtttext.h"

#include <QTest>

using namespace Mqtt;

namespace {
QByteArray hex(const char *digits)
{
    return QByteArray::fromHex(digits);
}

// The captured session's packets, each sender's messages joined into one stream and cut where each
// fixed header says (MQTT.js sends the pieces of one packet as messages of their own).
QList<std::pair<QByteArray, Version>> capturedPackets(const QString &name, Version version)
{
    QByteArray stream[2];
    for (const CapturedMessage &m : readCapture(name))
        stream[m.sender == Decode::Sender::Client ? 0 : 1] += m.payload;
    QList<std::pair<QByteArray, Version>> out;
    for (const QByteArray &bytes : stream) {
        qsizetype at = 0;
        while (at < bytes.size()) {
            FixedHeader header;
            if (readFixedHeader(QByteArrayView(bytes).sliced(at), &header) != HeaderStatus::Complete)
                break;
            out << std::pair { bytes.mid(at, header.packetSize()), version };
            at += header.packetSize();
        }
    }
    return out;
}
} // namespace

class tst_MqttText : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void encodes_data();
    void encodes();
    void refuses_data();
    void refuses();
    void capturedPacketsComeBack_data();
    void capturedPacketsComeBack();
    void templatesComeBack();
};

void tst_MqttText::encodes_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QByteArray>("bytes");

    QTest::addRow("PINGREQ") << "PINGREQ" << hex("c000");
    QTest::addRow("lower case, comments, blank lines first") << "# keep the session alive\n\npingreq\n" << hex("c000");
    QTest::addRow("DISCONNECT 3.1.1") << "DISCONNECT" << hex("e000");
    QTest::addRow("DISCONNECT 5 with a reason") << "DISCONNECT\nversion: 5\nreason-code: 0x04" << hex("e00104");
    QTest::addRow("CONNECT 3.1.1")
        << "CONNECT\nclient-id: wsinspector\nkeep-alive: 60\nclean-start: true"
        << hex("101700044d5154540402003c000b7773696e73706563746f72");
    QTest::addRow("CONNECT 3.1 with will, user and binary password")
        << "CONNECT\nversion: 3.1\nclient-id: c1\nkeep-alive: 30\nwill-topic: bye/now\nwill-payload: gone\n"
           "will-qos: 1\nwill-retain: yes\nusername: alice\npassword-hex: 00 01"
        << hex("102a00064d514973647003ee001e0002633100076279652f6e6f770004676f6e650005616c69636500020001");
    QTest::addRow("CONNECT 5 with Session Expiry Interval")
        << "CONNECT\nversion: 5\nclient-id: v5\nkeep-alive: 60\nproperty: session-expiry-interval = 3600"
        << hex("101400044d5154540502003c051100000e1000027635");
    QTest::addRow("PUBLISH QoS 0, payload after the blank line")
        << "PUBLISH\ntopic: test/hello\n\nhi" << hex("300e000a746573742f68656c6c6f6869");
    QTest::addRow("PUBLISH QoS 1 retained, payload with its line end")
        << "PUBLISH\ntopic: a/b\nqos: 1\npacket-id: 7\nretain: true\n\n{\"t\": 21.5}\n"
        << hex("33130003612f6200077b2274223a2032312e357d0a");
    QTest::addRow("PUBLISH 5 with a property by name and a user property")
        << "PUBLISH\nversion: 5\ntopic: sensors/1\nqos: 1\npacket-id: 7\nproperty: Content Type = app/json\n"
           "user-property: origin = lab\n\n{\"t\":1}"
        << hex("322e000973656e736f72732f310007190300086170702f6a736f6e2600066f726967696e00036c61627b2274223a317d");
    QTest::addRow("PUBLISH 5 with binary and numeric properties by id, no payload")
        << "PUBLISH\nversion: 5\ntopic: t\nproperty: 0x09 = ab cd\nproperty: Message Expiry Interval = 60"
        << hex("300e0001740a090002abcd020000003c");
    QTest::addRow("PUBLISH payload-hex") << "PUBLISH\ntopic: test/hello\npayload-hex: 6869"
                                         << hex("300e000a746573742f68656c6c6f6869");
    QTest::addRow("PUBLISH QoS 3 on purpose") << "PUBLISH\ntopic: t\nqos: 3\npacket-id: 0" << hex("36050001740000");
    QTest::addRow("SUBSCRIBE two filters, options under each")
        << "SUBSCRIBE\npacket-id: 1\nfilter: test/#\nqos: 1\nfilter: x" << hex("820f00010006746573742f230100017800");
    QTest::addRow("SUBSCRIBE 5 with subscription options")
        << "SUBSCRIBE\nversion: 5\npacket-id: 2\nfilter: a/#\nqos: 2\nno-local: true\nretain-as-published: true\n"
           "retain-handling: 2"
        << hex("82090002000003612f232e");
    QTest::addRow("UNSUBSCRIBE") << "UNSUBSCRIBE\npacket-id: 3\nfilter: a\nfilter: b" << hex("a2080003000161000162");
    QTest::addRow("PUBACK 5 with a reason code") << "PUBACK\nversion: 5\npacket-id: 9\nreason-code: 16"
                                                 << hex("4003000910");
    QTest::addRow("SUBACK") << "SUBACK\npacket-id: 1\nreason-codes: 1, 0x80" << hex("900400010180");
    // MQTT.js 5 writes a PUBREL's reason code and an empty property length although both may be left out.
    QTest::addRow("PUBREL 5 with an empty property length")
        << "PUBREL\nversion: 5\npacket-id: 59051\nreason-code: 0\nempty-properties: true" << hex("6204e6ab0000");
    QTest::addRow("CRLF line ends") << "PUBLISH\r\ntopic: test/hello\r\n\r\nhi" << hex("300e000a746573742f68656c6c6f6869");
}

void tst_MqttText::encodes()
{
    QFETCH(QString, text);
    QFETCH(QByteArray, bytes);
    const TextPacket read = fromText(text);
    QVERIFY2(read.packet, qPrintable(read.error));
    QCOMPARE(encode(*read.packet).toHex(' '), bytes.toHex(' '));
    // The bytes read back as the packet written (the decoder's view agrees with the composer's).
    const Version version = read.packet->version;
    QString error;
    const auto parsed = parse(bytes, version, &error);
    if (read.packet->qos != 3) // QoS 3 is refused by the reader, as it should be
        QVERIFY2(parsed, qPrintable(error));
}

void tst_MqttText::refuses_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("error");
    QTest::addColumn<int>("errorPos");

    QTest::addRow("empty") << "" << "no packet: write its type on the first line (CONNECT, PUBLISH, SUBSCRIBE, …)" << 0;
    QTest::addRow("no such type") << "\nPUBLISHH" << "line 2: \"PUBLISHH\" is no MQTT packet type (CONNECT, PUBLISH, SUBSCRIBE, PINGREQ, …)" << 1;
    QTest::addRow("not a field") << "PUBLISH\ntopic test" << "line 2: \"topic test\" is not a field: write NAME: VALUE" << 8;
    QTest::addRow("a field of another packet")
        << "PUBLISH\nclient-id: x"
        << "line 2: a PUBLISH has no field \"client-id\"; it has: topic, qos, retain, dup, packet-id, payload-hex" << 19;
    QTest::addRow("fields on PINGREQ") << "PINGREQ\ntopic: x" << "line 2: a PINGREQ has no fields" << 15;
    QTest::addRow("qos out of range") << "PUBLISH\ntopic: t\nqos: high" << "line 3: qos must be a number from 0 to 3, not \"high\"" << 22;
    QTest::addRow("packet id too large") << "PUBACK\npacket-id: 70000" << "line 2: packet-id must be a number from 0 to 65535, not \"70000\"" << 18;
    QTest::addRow("flag") << "PUBLISH\ntopic: t\nretain: maybe" << "line 3: retain must be true or false, not \"maybe\"" << 25;
    QTest::addRow("version") << "PINGREQ\nversion: 4" << "line 2: version must be 3.1, 3.1.1 or 5, not \"4\"" << 17;
    QTest::addRow("property before version 5")
        << "PUBLISH\ntopic: t\nproperty: Content Type = x" << "line 3: properties exist only in MQTT 5: add “version: 5”" << 27;
    QTest::addRow("property without =") << "PUBLISH\nversion: 5\nproperty: Content Type"
                                        << "line 3: a property is written NAME = VALUE" << 29;
    QTest::addRow("unknown property")
        << "PUBLISH\nversion: 5\nproperty: Colour = red"
        << "line 3: \"Colour\" is no MQTT 5 property (Content Type, Message Expiry Interval, …, or its id)" << 29;
    QTest::addRow("property number out of range")
        << "PUBLISH\nversion: 5\nproperty: Topic Alias = 70000"
        << "line 3: Topic Alias must be a number from 0 to 65535, not \"70000\"" << 29;
    QTest::addRow("binary property not hex")
        << "PUBLISH\nversion: 5\nproperty: Correlation Data = xyz"
        << "line 3: Correlation Data is binary: write it as hex digits in pairs (48 69)" << 29;
    QTest::addRow("user property as property")
        << "PUBLISH\nversion: 5\nproperty: User Property = a = b"
        << "line 3: write a user property as “user-property: NAME = VALUE”" << 29;
    QTest::addRow("odd hex") << "PUBLISH\ntopic: t\npayload-hex: 686" << "line 3: payload-hex must be hex digits in pairs (48 69), not \"686\"" << 30;
    QTest::addRow("qos before filter") << "SUBSCRIBE\npacket-id: 1\nqos: 1"
                                      << "line 3: qos belongs to a filter: write the “filter:” line first" << 28;
    QTest::addRow("packet id missing") << "SUBSCRIBE\nfilter: a" << "line 1: a SUBSCRIBE needs a packet id: add “packet-id: 1”" << 0;
    QTest::addRow("QoS 1 without packet id") << "PUBLISH\ntopic: t\nqos: 1" << "line 1: a PUBLISH needs a packet id: add “packet-id: 1”" << 0;
    QTest::addRow("payload on SUBSCRIBE") << "UNSUBSCRIBE\npacket-id: 1\nfilter: a\n\nmore"
                                         << "only a PUBLISH has a payload after the blank line" << 36;
    QTest::addRow("payload twice") << "PUBLISH\ntopic: t\npayload-hex: 00\n\nhi"
                                   << "the payload is given twice: by payload-hex and after the blank line" << 34;
    QTest::addRow("reason codes") << "SUBACK\npacket-id: 1\nreason-codes: 1, two"
                                  << "line 3: reason-codes must be numbers from 0 to 255 separated by commas, not \"two\"" << 34;
    QTest::addRow("peer-like text shown by the display rule")
        << QString::fromUtf8("PUBLISH\ntopic: t\nqos: \u202e1")
        << QStringLiteral("line 3: qos must be a number from 0 to 3, not \"\\u202e1\"") << 22;
}

void tst_MqttText::refuses()
{
    QFETCH(QString, text);
    QFETCH(QString, error);
    QFETCH(int, errorPos);
    const TextPacket read = fromText(text);
    QVERIFY(!read.packet);
    QCOMPARE(read.error, error);
    QCOMPARE(read.errorPos, qsizetype(errorPos));
}

void tst_MqttText::capturedPacketsComeBack_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<int>("version");
    int count = 0;
    for (const auto &[capture, version] : { std::pair { QStringLiteral("mqtt-3.1.1"), Version::V311 },
                                            std::pair { QStringLiteral("mqtt-5"), Version::V5 } }) {
        for (const auto &[bytes, v] : capturedPackets(capture, version)) {
            // What the decoder refuses is no packet to write (the responder's CONNACK with
            // Maximum QoS 2, which MQTT 5 calls a protocol error).
            if (!parse(bytes, v))
                continue;
            QTest::addRow("%s #%d %s", qPrintable(capture), ++count, bytes.left(1).toHex().constData()) << bytes << int(v);
        }
    }
    QVERIFY2(count >= 20, "the captured sessions hold fewer packets than they did");
}

void tst_MqttText::capturedPacketsComeBack()
{
    QFETCH(QByteArray, bytes);
    QFETCH(int, version);
    QString error;
    const auto packet = parse(bytes, Version(version), &error);
    QVERIFY2(packet, qPrintable(error));
    const QString text = toText(*packet);
    const TextPacket read = fromText(text);
    QVERIFY2(read.packet, qPrintable(read.error + QStringLiteral("\n") + text));
    QCOMPARE(encode(*read.packet).toHex(' '), bytes.toHex(' '));
}

void tst_MqttText::templatesComeBack()
{
    for (const Version version : { Version::V311, Version::V5 }) {
        for (const Decode::ComposerTemplate &t : templates(version)) {
            const auto packet = parse(t.text, version);
            QVERIFY2(packet, qPrintable(t.name));
            const TextPacket read = fromText(toText(*packet));
            QVERIFY2(read.packet, qPrintable(t.name + QStringLiteral(": ") + read.error));
            QCOMPARE(encode(*read.packet), t.text);
        }
    }
}

QTEST_GUILESS_MAIN(tst_MqttText)
#include "tst_mqtttext.moc"
