// MqttDecoder: each sender's WebSocket messages as one MQTT byte stream, as real peers send them.
//
// The sessions below were captured from MQTT.js 5.16.0 in Node.js 20 (mqtt-packet 9.0.2 inside)
// connecting over ws 8.23.1 (the tests/package.json versions) and publishing, subscribing, pinging:
// - to aedes 0.51.3 behind ws's createWebSocketStream, as aedes' README shows it (MQTT 3.1.1);
// - to a broker written with mqtt-packet 9.0.2 behind the same stream (MQTT 5, which aedes does
//   not speak);
// - to aedes 0.51.3 behind a stream that joins a packet's writes into one message (_writev), as
//   tests/decode/peers/mqtt_broker.js does (MQTT 3.1, protocol name "MQIsdp").
// One line per packet, "C" from the client, "S" from the server ("--" a comment); each space-separated hex run is
// one WebSocket binary message, as it crossed. MQTT.js (and aedes behind createWebSocketStream)
// sends every field of a packet as a message of its own: ws's stream writes each chunk that
// mqtt-packet's writeToStream writes as one message.

#include "decode/mqttdecoder.h"

#include <QTest>

using namespace Decode;

// Declared before the captures: moc reads raw string literals only inside function bodies.
class tst_MqttDecoder : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void capturedSession_data();
    void capturedSession();
    void partialUnitFields();
    void largePacketInManyMessages();
    void severalPacketsPerMessage_data();
    void severalPacketsPerMessage();
    void splitAtEveryByte_data();
    void splitAtEveryByte();
    void oneByteAtATime();
    void stateRestored_data();
    void stateRestored();
    void stateStableBetweenWholePackets();
    void setStateSanitises();
    void correlations();
    void refusedVersion5();
    void versionGuessed();
    void textMessages();
    void garbage_data();
    void garbage();
    void limit();
    void emptyMessage();
    void briefSummaries();
};

namespace {

const char *const SessionV311 = R"(
C 10 14 0004 4d515454 04 02 003c 0008 73656e736f722d31
S 20 02 00 00
-- subscribe('sensors/#', { qos: 1 })
C 82 0e 74d3 0009 73656e736f72732f23 01
S 90 03 74d3 01
-- publish('sensors/1', '21.5', { qos: 1 }), delivered back to the subscriber
C 32 11 0009 73656e736f72732f31 74d4 32312e35
S 40 02 74d4
S 32 11 0009 73656e736f72732f31 0a4f 32312e35
C 40 02 0a4f
-- publish('sensors/2', '{"t":21.5,"unit":"C"}', { qos: 2 })
C 34 22 0009 73656e736f72732f32 74d5 7b2274223a32312e352c22756e6974223a2243227d
S 50 02 74d5
C 62 02 74d5
S 34 22 0009 73656e736f72732f32 0a50 7b2274223a32312e352c22756e6974223a2243227d
S 70 02 74d5
C 50 02 0a50
S 62 02 0a50
C 70 02 0a50
-- publish('sensors/3', Buffer.from([0, 1, 0xff]), { qos: 0 })
C 30 0e 0009 73656e736f72732f33 0001ff
S 30 0e 0009 73656e736f72732f33 0001ff
-- unsubscribe('sensors/#')
C a2 0d 74d6 0009 73656e736f72732f23
S b0 02 74d6
C c000
S d000
-- end()
C e0 00
)";

const char *const SessionV5 = R"(
-- connect with protocolVersion 5, sessionExpiryInterval 300, userProperties { app: 'wsi' }, user alice,
-- password secret, will sensors/1/status "offline" QoS 1 retained with willDelayInterval 10
C 10 55 0004 4d515454 05 ee 003c 10 11 0000012c 26 0003 617070 0003 777369 0008 73656e736f722d31 05 18 0000000a 0010 73656e736f72732f312f737461747573 0007 6f66666c696e65 0005 616c696365 0006 736563726574
S 20 18 00 00 15 22 000a 13 003c 26 0006 62726f6b6572 0004 6d6f636b
-- subscribe('sensors/#', { qos: 1, nl: true, rap: true, rh: 1, properties: { subscriptionIdentifier: 7 } })
C 82 11 8ed8 02 0b 07 0009 73656e736f72732f23 1d
S 90 04 8ed8 00 01
C 32 29 0009 73656e736f72732f31 8ed9 17 03 000a 746578742f706c61696e 26 0004 756e6974 0001 43 32312e35
S 40 02 8ed9
S 32 2b 0009 73656e736f72732f31 0064 19 0b 07 03 000a 746578742f706c61696e 26 0004 756e6974 0001 43 32312e35
C 40 02 0064
C 34 2a 0009 73656e736f72732f32 8eda 07 01 01 02 0000003c 7b2274223a32312e352c22756e6974223a2243227d
S 50 02 8eda
S 34 2c 0009 73656e736f72732f32 0065 09 0b 07 01 01 02 0000003c 7b2274223a32312e352c22756e6974223a2243227d
C 62 04 8eda 00 00
C 50 04 0065 00 00
S 70 02 8eda
S 62 02 0065
C 70 04 0065 00 00
C a2 0e 8edb 00 0009 73656e736f72732f23
S b0 04 8edb 00 00
C c000
S d000
-- endAsync(false, { reasonCode: 0, properties: { sessionExpiryInterval: 0 } })
C e0 07 00 05 11 00000000
)";

const char *const SessionV31Joined = R"(
C 10 16 0006 4d5149736470 03 02 003c 0008 73656e736f722d31
S 20020000
C 82 0e 3ea4 0009 73656e736f72732f23 01
S 90033ea401
C 32 11 0009 73656e736f72732f31 3ea5 32312e35
S 40023ea5
S 3211000973656e736f72732f31332732312e35
C 40 02 3327
C 34 22 0009 73656e736f72732f32 3ea6 7b2274223a32312e352c22756e6974223a2243227d
S 50023ea6
C 62 02 3ea6
S 3422000973656e736f72732f3233287b2274223a32312e352c22756e6974223a2243227d
S 70023ea6
C 50 02 3328
S 62023328
C 70 02 3328
C 30 0e 0009 73656e736f72732f33 0001ff
S 300e000973656e736f72732f330001ff
C a2 0d 3ea7 0009 73656e736f72732f23
S b0023ea7
C c000
S d000
C e0 00
)";

// MQTT.js 5.16.0 asking aedes 0.51.3 for MQTT 5: aedes answers in the 3.1.1 form, "unacceptable
// protocol version", and closes.
const char *const RefusedV5 = R"(
C 10 15 0004 4d515454 05 02 003c 00 0008 73656e736f722d31
S 20 02 00 01
)";

struct Packet {
    Sender sender;
    QList<QByteArray> messages;
};

QList<Packet> packets(const char *capture)
{
    QList<Packet> out;
    for (const QByteArray &line : QByteArray(capture).split('\n')) {
        if (line.isEmpty() || line.startsWith("--"))
            continue;
        QList<QByteArray> words = line.split(' ');
        Packet p { words.takeFirst() == "S" ? Sender::Server : Sender::Client, {} };
        for (const QByteArray &w : words)
            p.messages << QByteArray::fromHex(w);
        out << p;
    }
    return out;
}

struct Message {
    Sender sender;
    QByteArray bytes;
};

QList<Message> messages(const char *capture)
{
    QList<Message> out;
    for (const Packet &p : packets(capture))
        for (const QByteArray &m : p.messages)
            out << Message { p.sender, m };
    return out;
}

QByteArray stream(const char *capture, Sender sender)
{
    QByteArray out;
    for (const Packet &p : packets(capture))
        if (p.sender == sender)
            out += p.messages.join();
    return out;
}

const QString Continued = QStringLiteral(" (continued from earlier messages)");

QString withoutMark(QString summary)
{
    if (summary.endsWith(Continued))
        summary.chop(Continued.size());
    return summary;
}

// The summaries of the packets the message completed, the continuation mark left out.
QStringList completed(const Decoded &d)
{
    QStringList out;
    for (const Unit &u : d.units)
        if (u.type != QLatin1String("partial"))
            out << withoutMark(u.summary);
    return out;
}

QString fieldValue(const QList<Field> &fields, const QString &name)
{
    for (const Field &f : fields)
        if (f.name == name)
            return f.value;
    return QStringLiteral("(no field %1)").arg(name);
}

QString tag(Sender sender)
{
    return sender == Sender::Client ? QStringLiteral("C ") : QStringLiteral("S ");
}

const QStringList SummariesV311 {
    QStringLiteral(R"(C CONNECT client "sensor-1" MQTT 3.1.1 keep-alive 60 s clean)"),
    QStringLiteral("S CONNACK accepted"),
    QStringLiteral("C SUBSCRIBE id 29907 sensors/# QoS 1"),
    QStringLiteral("S SUBACK id 29907 granted QoS 1"),
    QStringLiteral(R"(C PUBLISH sensors/1 QoS 1 id 29908 4 B "21.5")"),
    QStringLiteral("S PUBACK id 29908"),
    QStringLiteral(R"(S PUBLISH sensors/1 QoS 1 id 2639 4 B "21.5")"),
    QStringLiteral("C PUBACK id 2639"),
    QStringLiteral(R"(C PUBLISH sensors/2 QoS 2 id 29909 21 B "{\"t\":21.5,\"unit\":\"C\"}")"),
    QStringLiteral("S PUBREC id 29909"),
    QStringLiteral("C PUBREL id 29909"),
    QStringLiteral(R"(S PUBLISH sensors/2 QoS 2 id 2640 21 B "{\"t\":21.5,\"unit\":\"C\"}")"),
    QStringLiteral("S PUBCOMP id 29909"),
    QStringLiteral("C PUBREC id 2640"),
    QStringLiteral("S PUBREL id 2640"),
    QStringLiteral("C PUBCOMP id 2640"),
    QStringLiteral("C PUBLISH sensors/3 QoS 0 3 B 00 01 ff"),
    QStringLiteral("S PUBLISH sensors/3 QoS 0 3 B 00 01 ff"),
    QStringLiteral("C UNSUBSCRIBE id 29910 sensors/#"),
    QStringLiteral("S UNSUBACK id 29910"),
    QStringLiteral("C PINGREQ"),
    QStringLiteral("S PINGRESP"),
    QStringLiteral("C DISCONNECT"),
};

const QStringList SummariesV5 {
    QStringLiteral(R"(C CONNECT client "sensor-1" MQTT 5 keep-alive 60 s clean user "alice" will sensors/1/status)"),
    QStringLiteral("S CONNACK accepted"),
    QStringLiteral("C SUBSCRIBE id 36568 sensors/# QoS 1 no local retain as published retain handling 1"),
    QStringLiteral("S SUBACK id 36568 granted QoS 1"),
    QStringLiteral(R"(C PUBLISH sensors/1 QoS 1 id 36569 4 B "21.5")"),
    QStringLiteral("S PUBACK id 36569"),
    QStringLiteral(R"(S PUBLISH sensors/1 QoS 1 id 100 4 B "21.5")"),
    QStringLiteral("C PUBACK id 100"),
    QStringLiteral(R"(C PUBLISH sensors/2 QoS 2 id 36570 21 B "{\"t\":21.5,\"unit\":\"C\"}")"),
    QStringLiteral("S PUBREC id 36570"),
    QStringLiteral(R"(S PUBLISH sensors/2 QoS 2 id 101 21 B "{\"t\":21.5,\"unit\":\"C\"}")"),
    QStringLiteral("C PUBREL id 36570"),
    QStringLiteral("C PUBREC id 101"),
    QStringLiteral("S PUBCOMP id 36570"),
    QStringLiteral("S PUBREL id 101"),
    QStringLiteral("C PUBCOMP id 101"),
    QStringLiteral("C UNSUBSCRIBE id 36571 sensors/#"),
    QStringLiteral("S UNSUBACK id 36571 Success (0x00)"),
    QStringLiteral("C PINGREQ"),
    QStringLiteral("S PINGRESP"),
    QStringLiteral("C DISCONNECT"),
};

const QStringList SummariesV31 {
    QStringLiteral(R"(C CONNECT client "sensor-1" MQTT 3.1 keep-alive 60 s clean)"),
    QStringLiteral("S CONNACK accepted"),
    QStringLiteral("C SUBSCRIBE id 16036 sensors/# QoS 1"),
    QStringLiteral("S SUBACK id 16036 granted QoS 1"),
    QStringLiteral(R"(C PUBLISH sensors/1 QoS 1 id 16037 4 B "21.5")"),
    QStringLiteral("S PUBACK id 16037"),
    QStringLiteral(R"(S PUBLISH sensors/1 QoS 1 id 13095 4 B "21.5")"),
    QStringLiteral("C PUBACK id 13095"),
    QStringLiteral(R"(C PUBLISH sensors/2 QoS 2 id 16038 21 B "{\"t\":21.5,\"unit\":\"C\"}")"),
    QStringLiteral("S PUBREC id 16038"),
    QStringLiteral("C PUBREL id 16038"),
    QStringLiteral(R"(S PUBLISH sensors/2 QoS 2 id 13096 21 B "{\"t\":21.5,\"unit\":\"C\"}")"),
    QStringLiteral("S PUBCOMP id 16038"),
    QStringLiteral("C PUBREC id 13096"),
    QStringLiteral("S PUBREL id 13096"),
    QStringLiteral("C PUBCOMP id 13096"),
    QStringLiteral("C PUBLISH sensors/3 QoS 0 3 B 00 01 ff"),
    QStringLiteral("S PUBLISH sensors/3 QoS 0 3 B 00 01 ff"),
    QStringLiteral("C UNSUBSCRIBE id 16039 sensors/#"),
    QStringLiteral("S UNSUBACK id 16039"),
    QStringLiteral("C PINGREQ"),
    QStringLiteral("S PINGRESP"),
    QStringLiteral("C DISCONNECT"),
};

QStringList ofSender(const QStringList &summaries, Sender sender)
{
    QStringList out;
    for (const QString &s : summaries)
        if (s.startsWith(tag(sender)))
            out << s.mid(2);
    return out;
}

const char *captureNamed(const QString &name)
{
    if (name == QLatin1String("3.1.1"))
        return SessionV311;
    if (name == QLatin1String("5"))
        return SessionV5;
    return SessionV31Joined;
}

const QStringList &summariesNamed(const QString &name)
{
    if (name == QLatin1String("3.1.1"))
        return SummariesV311;
    if (name == QLatin1String("5"))
        return SummariesV5;
    return SummariesV31;
}

} // namespace

void tst_MqttDecoder::capturedSession_data()
{
    QTest::addColumn<QString>("session");
    QTest::addRow("MQTT.js 5 and aedes, MQTT 3.1.1, a message per field") << "3.1.1";
    QTest::addRow("MQTT.js 5 and an mqtt-packet broker, MQTT 5, a message per field") << "5";
    QTest::addRow("MQTT.js 5 and aedes, MQTT 3.1, aedes a message per packet") << "3.1";
}

void tst_MqttDecoder::capturedSession()
{
    QFETCH(QString, session);
    MqttDecoder decoder;
    QStringList summaries;
    for (const Packet &p : packets(captureNamed(session))) {
        qsizetype sofar = 0;
        for (qsizetype i = 0; i < p.messages.size(); ++i) {
            const Decoded d = decoder.decode(p.sender, true, p.messages[i]);
            QVERIFY2(d.ok(), qPrintable(d.summary()));
            QCOMPARE(d.protocol, Protocol::Mqtt);
            QCOMPARE(d.units.size(), 1);
            const Unit &u = d.units.first();
            sofar += p.messages[i].size();
            if (i + 1 < p.messages.size()) {
                // Not the packet's end: the bytes so far, and what is still to come.
                QCOMPARE(u.type, QStringLiteral("partial"));
                QVERIFY2(u.summary.startsWith(sofar == 1 ? QStringLiteral("1 byte of a")
                                                         : QString::number(sofar) + QStringLiteral(" of ")),
                    qPrintable(u.summary));
                QVERIFY2(u.summary.endsWith(QStringLiteral("; the rest follows")), qPrintable(u.summary));
                QVERIFY(u.correlations.isEmpty());
            } else {
                QVERIFY(u.type != QLatin1String("partial"));
                // A packet that took more than one message says so.
                QCOMPARE(u.summary.endsWith(Continued), p.messages.size() > 1);
                QCOMPARE(fieldValue(u.fields, QStringLiteral("reassembled")).startsWith(QStringLiteral("(no field")),
                    p.messages.size() == 1);
                summaries << tag(p.sender) + withoutMark(u.summary);
            }
        }
    }
    QCOMPARE(summaries, summariesNamed(session));
    // Nothing carried at the end, and the version the CONNECT declared kept for both senders.
    const char version = session == QLatin1String("5") ? 5 : session == QLatin1String("3.1.1") ? 4 : 3;
    QCOMPARE(decoder.state(Sender::Client), QByteArray(1, version));
    QCOMPARE(decoder.state(Sender::Server), QByteArray(1, version));
}

void tst_MqttDecoder::partialUnitFields()
{
    // MQTT.js's PUBLISH, the first messages of it.
    MqttDecoder decoder;
    Decoded d = decoder.decode(Sender::Client, true, QByteArray::fromHex("32"));
    QCOMPARE(d.units.first().summary, QStringLiteral("1 byte of a PUBLISH; the rest follows"));
    QCOMPARE(fieldValue(d.units.first().fields, QStringLiteral("packet size")),
        QStringLiteral("not known yet: the remaining length has not ended"));
    QCOMPARE(decoder.state(Sender::Client), QByteArray::fromHex("0032"));
    d = decoder.decode(Sender::Client, true, QByteArray::fromHex("11"));
    d = decoder.decode(Sender::Client, true, QByteArray::fromHex("0009"));
    const Unit &u = d.units.first();
    QCOMPARE(u.summary, QStringLiteral("4 of 19 bytes of a PUBLISH; the rest follows"));
    QCOMPARE(fieldValue(u.fields, QStringLiteral("packet type")), QStringLiteral("3 (PUBLISH)"));
    QCOMPARE(fieldValue(u.fields, QStringLiteral("packet size")), QStringLiteral("19 bytes"));
    QCOMPARE(fieldValue(u.fields, QStringLiteral("bytes so far")), QStringLiteral("4"));
    QCOMPARE(fieldValue(u.fields, QStringLiteral("from earlier messages")), QStringLiteral("2"));
    QCOMPARE(fieldValue(u.fields, QStringLiteral("in this message")), QStringLiteral("2"));
    QCOMPARE(fieldValue(u.fields, QStringLiteral("bytes")), QStringLiteral("32 11 00 09"));
    d = decoder.decode(Sender::Client, true, QByteArray::fromHex("73656e736f72732f3174d432312e35"));
    QCOMPARE(d.units.first().summary,
        QStringLiteral(R"(PUBLISH sensors/1 QoS 1 id 29908 4 B "21.5" (continued from earlier messages))"));
    QCOMPARE(d.units.first().fields.first().name, QStringLiteral("reassembled"));
    QCOMPARE(
        d.units.first().fields.first().value, QStringLiteral("19 bytes: 4 from earlier messages, 15 from this one"));
    QCOMPARE(decoder.state(Sender::Client), QByteArray());
}

void tst_MqttDecoder::largePacketInManyMessages()
{
    // mqtt-packet's "2KB publish packet" in messages of 100 bytes.
    const QByteArray packet = QByteArray::fromHex("308610000474657374") + QByteArray(2048, '\0');
    MqttDecoder decoder;
    for (qsizetype at = 0; at < packet.size(); at += 100) {
        const Decoded d
            = decoder.decode(Sender::Server, true, packet.sliced(at, qMin<qsizetype>(100, packet.size() - at)));
        QCOMPARE(d.units.size(), 1);
        if (at + 100 < packet.size()) {
            QCOMPARE(d.units.first().summary,
                QStringLiteral("%1 of 2057 bytes of a PUBLISH; the rest follows").arg(at + 100));
            QCOMPARE(decoder.state(Sender::Server).size(), 1 + at + 100);
        } else {
            QCOMPARE(d.units.first().summary,
                QString::fromUtf8(
                    "PUBLISH test QoS 0 2 KiB 00 00 00 00 00 00 00 00 … (continued from earlier messages)"));
            QCOMPARE(decoder.state(Sender::Server), QByteArray());
        }
    }
}

void tst_MqttDecoder::severalPacketsPerMessage_data()
{
    QTest::addColumn<QString>("session");
    QTest::addRow("3.1.1") << "3.1.1";
    QTest::addRow("5") << "5";
    QTest::addRow("3.1") << "3.1";
}

void tst_MqttDecoder::severalPacketsPerMessage()
{
    // Each sender's whole stream in one message: a unit per packet, in order, none continued.
    QFETCH(QString, session);
    MqttDecoder decoder;
    const Decoded client = decoder.decode(Sender::Client, true, stream(captureNamed(session), Sender::Client));
    const Decoded server = decoder.decode(Sender::Server, true, stream(captureNamed(session), Sender::Server));
    QVERIFY2(client.ok(), qPrintable(client.summary()));
    QVERIFY2(server.ok(), qPrintable(server.summary()));
    QStringList got;
    for (const Unit &u : client.units)
        got << u.summary;
    QCOMPARE(got, ofSender(summariesNamed(session), Sender::Client));
    got.clear();
    for (const Unit &u : server.units)
        got << u.summary;
    QCOMPARE(got, ofSender(summariesNamed(session), Sender::Server));
}

void tst_MqttDecoder::splitAtEveryByte_data()
{
    QTest::addColumn<QString>("session");
    QTest::addColumn<bool>("server");
    QTest::addRow("3.1.1 client") << "3.1.1" << false;
    QTest::addRow("3.1.1 server") << "3.1.1" << true;
    QTest::addRow("5 client") << "5" << false;
    QTest::addRow("5 server") << "5" << true;
}

void tst_MqttDecoder::splitAtEveryByte()
{
    // One sender's stream in two messages, split after every byte: the same packets as whole. The
    // server's packets are read in the version the client's CONNECT set.
    QFETCH(QString, session);
    QFETCH(bool, server);
    const Sender sender = server ? Sender::Server : Sender::Client;
    const QByteArray bytes = stream(captureNamed(session), sender);
    const QStringList expected = ofSender(summariesNamed(session), sender);
    for (qsizetype at = 1; at < bytes.size(); ++at) {
        MqttDecoder decoder;
        if (server)
            decoder.decode(Sender::Client, true, packets(captureNamed(session)).first().messages.join());
        const Decoded first = decoder.decode(sender, true, bytes.first(at));
        const Decoded second = decoder.decode(sender, true, bytes.sliced(at));
        QVERIFY2(first.ok() && second.ok(), qPrintable(first.summary() + QLatin1Char('\n') + second.summary()));
        QCOMPARE(completed(first) + completed(second), expected);
        // The packet the split cut: a partial unit ends the first message, a continued one starts the second.
        const bool cut = first.units.last().type == QLatin1String("partial");
        QCOMPARE(second.units.first().summary.endsWith(Continued), cut);
        QCOMPARE(decoder.state(sender).size(), 1);
    }
}

void tst_MqttDecoder::oneByteAtATime()
{
    MqttDecoder decoder;
    QStringList got;
    for (const Message &m : messages(SessionV5)) {
        for (char c : m.bytes) {
            const Decoded d = decoder.decode(m.sender, true, QByteArrayView(&c, 1));
            QVERIFY2(d.ok(), qPrintable(d.summary()));
            QCOMPARE(d.units.size(), 1);
            if (d.units.first().type != QLatin1String("partial"))
                got << tag(m.sender) + withoutMark(d.units.first().summary);
        }
    }
    QCOMPARE(got, SummariesV5);
}

void tst_MqttDecoder::stateRestored_data()
{
    QTest::addColumn<QString>("session");
    QTest::addRow("3.1.1") << "3.1.1";
    QTest::addRow("5") << "5";
    QTest::addRow("3.1") << "3.1";
}

void tst_MqttDecoder::stateRestored()
{
    // The log decodes a message again later from the states it saved before it: a fresh decoder
    // given those states decodes it exactly as the original run did, and ends in the same states.
    QFETCH(QString, session);
    MqttDecoder original;
    for (const Message &m : messages(captureNamed(session))) {
        const QByteArray client = original.state(Sender::Client);
        const QByteArray server = original.state(Sender::Server);
        const Decoded first = original.decode(m.sender, true, m.bytes);
        MqttDecoder again;
        again.setState(Sender::Client, client);
        again.setState(Sender::Server, server);
        QCOMPARE(again.state(Sender::Client), client);
        QCOMPARE(again.state(Sender::Server), server);
        QCOMPARE(again.decode(m.sender, true, m.bytes), first);
        QCOMPARE(again.state(Sender::Client), original.state(Sender::Client));
        QCOMPARE(again.state(Sender::Server), original.state(Sender::Server));
    }
}

void tst_MqttDecoder::stateStableBetweenWholePackets()
{
    // The log stores a state each time it changes: with whole packets, it changes once, at the CONNECT.
    MqttDecoder decoder;
    QCOMPARE(decoder.state(Sender::Client), QByteArray());
    QCOMPARE(decoder.state(Sender::Server), QByteArray());
    QList<QByteArray> seen;
    for (const Packet &p : packets(SessionV31Joined)) {
        decoder.decode(p.sender, true, p.messages.join());
        seen << decoder.state(Sender::Client) + '/' + decoder.state(Sender::Server);
    }
    QCOMPARE(seen, QList<QByteArray>(seen.size(), QByteArray("\x03/\x03")));
    // And in 3.1.1 with nothing seen but PINGREQs: nothing at all.
    MqttDecoder fresh;
    for (int i = 0; i < 3; ++i) {
        fresh.decode(Sender::Client, true, QByteArray::fromHex("c000"));
        QCOMPARE(fresh.state(Sender::Client), QByteArray());
    }
}

void tst_MqttDecoder::setStateSanitises()
{
    MqttDecoder decoder;
    // A version byte that is none of ours reads as unknown; the bytes after it are carried.
    decoder.setState(Sender::Client, QByteArray::fromHex("07c0"));
    QCOMPARE(decoder.state(Sender::Client), QByteArray::fromHex("00c0"));
    const Decoded d = decoder.decode(Sender::Client, true, QByteArray::fromHex("00"));
    QCOMPARE(d.summary(), QStringLiteral("MQTT PINGREQ (continued from earlier messages)"));
    decoder.setState(Sender::Client, QByteArray());
    QCOMPARE(decoder.state(Sender::Client), QByteArray());
}

void tst_MqttDecoder::correlations()
{
    MqttDecoder decoder;
    QStringList got;
    for (const Message &m : messages(SessionV311))
        for (const Unit &u : decoder.decode(m.sender, true, m.bytes).units)
            for (const Correlation &c : u.correlations)
                got << tag(m.sender) + roleName(c.role) + QLatin1Char(' ') + QString::fromUtf8(c.key);
    // Each side's packet identifiers are its own: the client's 29908 and the server's 2639 are
    // answered by the other side. QoS 2: the receiver's PUBREC and the publisher's PUBREL advance,
    // the receiver's PUBCOMP ends.
    QCOMPARE(got,
        (QStringList { QStringLiteral("C request connect"), QStringLiteral("S answer connect"),
            QStringLiteral("C request packet 29907"), QStringLiteral("S answer packet 29907"),
            QStringLiteral("C request packet 29908"), QStringLiteral("S answer packet 29908"),
            QStringLiteral("S request packet 2639"), QStringLiteral("C answer packet 2639"),
            QStringLiteral("C request packet 29909"), QStringLiteral("S progress packet 29909"),
            QStringLiteral("C continue packet 29909"), QStringLiteral("S request packet 2640"),
            QStringLiteral("S answer packet 29909"), QStringLiteral("C progress packet 2640"),
            QStringLiteral("S continue packet 2640"), QStringLiteral("C answer packet 2640"),
            QStringLiteral("C request packet 29910"), QStringLiteral("S answer packet 29910"),
            QStringLiteral("C request ping"), QStringLiteral("S answer ping") }));
}

void tst_MqttDecoder::refusedVersion5()
{
    MqttDecoder decoder;
    Decoded last;
    for (const Message &m : messages(RefusedV5))
        last = decoder.decode(m.sender, true, m.bytes);
    QVERIFY(last.ok());
    const Unit &u = last.units.first();
    QCOMPARE(u.summary,
        QStringLiteral("CONNACK refused: unacceptable protocol version (1) (continued from earlier messages)"));
    QCOMPARE(fieldValue(u.fields, QStringLiteral("return code")), QStringLiteral("1 (unacceptable protocol version)"));
    QCOMPARE(fieldValue(u.fields, QStringLiteral("form")),
        QStringLiteral("MQTT 3.1.1, not MQTT 5: a server that does not speak MQTT 5 answers so"));
    QCOMPARE(u.correlations, (QList<Correlation> { { Correlation::Role::Answer, QByteArrayLiteral("connect") } }));
}

void tst_MqttDecoder::versionGuessed()
{
    // A capture that starts after the CONNECT: 3.1.1 is assumed, MQTT 5 taken when only it reads a
    // packet, and the CONNECT, once seen, decides.
    MqttDecoder decoder;
    Decoded d = decoder.decode(Sender::Server, true, QByteArray::fromHex("40020005"));
    QCOMPARE(d.summary(), QStringLiteral("MQTT PUBACK id 5"));
    QCOMPARE(fieldValue(d.units.first().fields, QStringLiteral("version")),
        QStringLiteral("read as MQTT 3.1.1: no CONNECT seen, so the version is assumed"));
    QCOMPARE(decoder.state(Sender::Server), QByteArray());

    d = decoder.decode(Sender::Server, true, QByteArray::fromHex("4003000610"));
    QCOMPARE(d.summary(), QStringLiteral("MQTT PUBACK id 6 No matching subscribers (0x10)"));
    QCOMPARE(fieldValue(d.units.first().fields, QStringLiteral("version")),
        QStringLiteral(
            "read as MQTT 5: no CONNECT seen, and as MQTT 3.1.1 it does not parse (PUBACK: 1 byte left over after "
            "the packet identifier, where a PUBACK ends)"));
    QCOMPARE(decoder.state(Sender::Server), QByteArray("\x85"));
    QCOMPARE(decoder.state(Sender::Client), QByteArray("\x85"));

    // Now read as MQTT 5 first: the same bytes as 3.1.1 would be a SUBACK granting QoS 0 twice.
    d = decoder.decode(Sender::Server, true, QByteArray::fromHex("900400010000"));
    QCOMPARE(d.summary(), QStringLiteral("MQTT SUBACK id 1 granted QoS 0"));
    QCOMPARE(fieldValue(d.units.first().fields, QStringLiteral("version")),
        QStringLiteral("read as MQTT 5: no CONNECT seen, and an earlier packet parsed only as MQTT 5"));

    // An UNSUBACK without reason codes is 3.1.1 only: back to the assumption.
    d = decoder.decode(Sender::Server, true, QByteArray::fromHex("b0020007"));
    QCOMPARE(d.summary(), QStringLiteral("MQTT UNSUBACK id 7"));
    QVERIFY(fieldValue(d.units.first().fields, QStringLiteral("version"))
                .startsWith(QStringLiteral("read as MQTT 3.1.1: no CONNECT seen, and as MQTT 5 it does not parse")));
    QCOMPARE(decoder.state(Sender::Server), QByteArray());

    // The CONNECT decides, for both senders, without guessing.
    decoder.decode(Sender::Client, true, QByteArray::fromHex("101500044d5154540502003c00000873656e736f722d31"));
    QCOMPARE(decoder.state(Sender::Server), QByteArray("\x05"));
    d = decoder.decode(Sender::Server, true, QByteArray::fromHex("900400010000"));
    QCOMPARE(d.summary(), QStringLiteral("MQTT SUBACK id 1 granted QoS 0"));
    QCOMPARE(fieldValue(d.units.first().fields, QStringLiteral("version")), QStringLiteral("(no field version)"));
    // A 3.1.1 UNSUBACK is now an error, not a reason to guess again.
    d = decoder.decode(Sender::Server, true, QByteArray::fromHex("b0020007"));
    QCOMPARE(d.summary(), QStringLiteral("MQTT UNSUBACK, 4 bytes (UNSUBACK: the property length is missing)"));
}

void tst_MqttDecoder::textMessages()
{
    // MQTT over WebSocket is binary; a text message is said to be wrong, and decoded anyway.
    MqttDecoder decoder;
    Decoded d = decoder.decode(Sender::Client, false, QByteArray::fromHex("c000"));
    QCOMPARE(d.units.size(), 2);
    QCOMPARE(d.units.at(0).type, QStringLiteral("text"));
    QCOMPARE(d.units.at(0).error,
        QStringLiteral("MQTT requires binary messages [MQTT-6.0.0-1]; this text message is decoded anyway"));
    QCOMPARE(d.units.at(1).summary, QStringLiteral("PINGREQ"));
    QVERIFY(!d.ok());
    // Text that is not MQTT either: both reasons.
    d = decoder.decode(Sender::Client, false, "hello");
    QVERIFY(d.units.isEmpty());
    QCOMPARE(d.error,
        QStringLiteral(
            "the first byte 0x68 is a PUBREL with the flags 1000, where the spec requires 0010 [MQTT-2.2.2-2]. "
            "5 bytes skipped: decoding resumes with this sender's next message (and this is a text "
            "message: MQTT requires binary messages [MQTT-6.0.0-1])"));
}

void tst_MqttDecoder::garbage_data()
{
    QTest::addColumn<QList<QByteArray>>("messages"); // from the client, in order
    QTest::addColumn<QStringList>("summaries"); // Decoded::summary() of each
    const QString resumes = QStringLiteral("skipped: decoding resumes with this sender's next message");
    QTest::addRow("text before a packet")
        << QList<QByteArray> { "hello", QByteArray::fromHex("c000") }
        << QStringList { QStringLiteral("MQTT: the first byte 0x68 is a PUBREL with the flags 1000, where the "
                                        "spec requires 0010 [MQTT-2.2.2-2]. 5 bytes ")
                   + resumes,
               QStringLiteral("MQTT PINGREQ") };
    QTest::addRow("garbage after a packet")
        << QList<QByteArray> { QByteArray::fromHex("c000") + "hello", QByteArray::fromHex("c000") }
        << QStringList {
               QStringLiteral(
                   "MQTT PINGREQ · 5 bytes skipped: 68 65 6c 6c 6f (the first byte 0x68 is a PUBREL with the flags "
                   "1000, where the spec requires 0010 [MQTT-2.2.2-2]. 5 bytes ")
                   + resumes + QLatin1Char(')'),
               QStringLiteral("MQTT PINGREQ")
           };
    QTest::addRow("type 0 after a packet")
        << QList<QByteArray> { QByteArray::fromHex("c0000000") }
        << QStringList { QStringLiteral("MQTT PINGREQ · 2 bytes skipped: 00 00 (the first byte 0x00 gives packet "
                                        "type 0, which is reserved: this is not an MQTT packet. 2 bytes ")
               + resumes + QLatin1Char(')') };
    QTest::addRow("a length past 4 bytes, across messages")
        << QList<QByteArray> { QByteArray::fromHex("30"), QByteArray::fromHex("ffffffff"), QByteArray::fromHex("c000") }
        << QStringList { QStringLiteral("MQTT 1 byte of a PUBLISH; the rest follows"),
               QStringLiteral("MQTT: the remaining length of a PUBLISH runs past 4 bytes (30 ff ff ff ff). 5 bytes ")
                   + resumes,
               QStringLiteral("MQTT PINGREQ") };
    QTest::addRow("garbage inside the carried packet's length")
        << QList<QByteArray> { QByteArray::fromHex("32"), QByteArray::fromHex("ff") + QByteArray(10, 'x'),
               QByteArray::fromHex("d000") }
        << QStringList { QStringLiteral("MQTT 1 byte of a PUBLISH; the rest follows"),
               QStringLiteral("MQTT 12 of 15490 bytes of a PUBLISH; the rest follows"),
               QStringLiteral("MQTT 14 of 15490 bytes of a PUBLISH; the rest follows") };
    // The framing holds: a packet that does not parse is one unit with its reason, the next is read.
    QTest::addRow("a bad packet between good ones")
        << QList<QByteArray> { QByteArray::fromHex("c000 3006000474657374 3806000474657374 c000") }
        << QStringList { QStringLiteral(
               "MQTT PINGREQ · PUBLISH test QoS 0 0 B · PUBLISH, 8 bytes (PUBLISH: DUP is set on a QoS 0 PUBLISH "
               "[MQTT-3.3.1-2]) · PINGREQ") };
    QTest::addRow("a packet left over after a bad packet")
        << QList<QByteArray> { QByteArray::fromHex("c00100 c000") }
        << QStringList { QStringLiteral(
               "MQTT PINGREQ, 3 bytes (PINGREQ: a PINGREQ has no body, this one has 1 byte) · PINGREQ") };
}

void tst_MqttDecoder::garbage()
{
    QFETCH(QList<QByteArray>, messages);
    QFETCH(QStringList, summaries);
    MqttDecoder decoder;
    QStringList got;
    for (const QByteArray &m : messages)
        got << decoder.decode(Sender::Client, true, m).summary(100);
    QCOMPARE(got, summaries);
}

void tst_MqttDecoder::limit()
{
    MqttDecoder decoder(64);
    const Decoded d = decoder.decode(Sender::Server, true, QByteArray::fromHex("3041") + QByteArray(65, 'a'));
    QCOMPARE(d.error,
        QStringLiteral("a PUBLISH whose remaining length says 65 bytes, above the limit of 64 bytes. 67 bytes skipped: "
                       "decoding resumes with this sender's next message"));
    QCOMPARE(decoder.state(Sender::Server), QByteArray());
    // At the limit: decoded.
    const QByteArray atLimit = QByteArray::fromHex("30400001 74") + QByteArray(61, 'a');
    QCOMPARE(decoder.decode(Sender::Server, true, atLimit).summary(),
        QStringLiteral("MQTT PUBLISH t QoS 0 61 B \"%1…\"").arg(QString(40, QLatin1Char('a'))));
    // The length is refused as soon as it is known, before its bytes come.
    const Decoded early = decoder.decode(Sender::Server, true, QByteArray::fromHex("30ffff7f"));
    QVERIFY(early.error.startsWith(
        QStringLiteral("a PUBLISH whose remaining length says 2097151 bytes, above the limit of 64 bytes")));
}

void tst_MqttDecoder::emptyMessage()
{
    MqttDecoder decoder;
    QCOMPARE(decoder.decode(Sender::Client, true, {}).summary(), QStringLiteral("MQTT empty message"));
    decoder.decode(Sender::Client, true, QByteArray::fromHex("3011"));
    const QByteArray before = decoder.state(Sender::Client);
    QCOMPARE(decoder.decode(Sender::Client, true, {}).summary(),
        QStringLiteral("MQTT 2 of 19 bytes of a PUBLISH; the rest follows"));
    QCOMPARE(decoder.state(Sender::Client), before);
}

void tst_MqttDecoder::briefSummaries()
{
    MqttDecoder decoder;
    auto one = [&](Sender sender, const Mqtt::Packet &p) {
        return decoder.decode(sender, true, Mqtt::encode(p)).units.first().summary;
    };
    QCOMPARE(one(Sender::Client, Mqtt::connect("sensor-1", 60, true, Mqtt::Version::V5)),
        QStringLiteral(R"(CONNECT client "sensor-1" MQTT 5 keep-alive 60 s clean)"));
    Mqtt::Packet connack;
    connack.type = Mqtt::Type::ConnAck;
    connack.version = Mqtt::Version::V5;
    QCOMPARE(one(Sender::Server, connack), QStringLiteral("CONNACK accepted"));
    QCOMPARE(one(Sender::Client, Mqtt::publish("sensors/1", "21.5", 1, false, 5, Mqtt::Version::V5)),
        QStringLiteral(R"(PUBLISH sensors/1 QoS 1 id 5 4 B "21.5")"));
    QCOMPARE(one(Sender::Client, Mqtt::subscribe(1, "sensors/#", 1, Mqtt::Version::V5)),
        QStringLiteral("SUBSCRIBE id 1 sensors/# QoS 1"));
    Mqtt::Packet suback;
    suback.type = Mqtt::Type::SubAck;
    suback.version = Mqtt::Version::V5;
    suback.packetId = 1;
    suback.reasonCodes = { 1 };
    QCOMPARE(one(Sender::Server, suback), QStringLiteral("SUBACK id 1 granted QoS 1"));
    QCOMPARE(one(Sender::Client, Mqtt::pingReq()), QStringLiteral("PINGREQ"));
}

QTEST_GUILESS_MAIN(tst_MqttDecoder)
#include "tst_mqttdecoder.moc"
