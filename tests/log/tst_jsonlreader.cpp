#include "eventfixtures.h"
#include "log/jsonlreader.h"
#include "log/interceptnote.h"
#include "log/jsonlwriter.h"

#include <QTest>

class tst_JsonlReader : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void parseRoundTrip_data();
    void parseRoundTrip();
    void parseErrors_data();
    void parseErrors();
    void compressedFrameRoundTrip();
    void relayDelayRoundTrip_data();
    void relayDelayRoundTrip();
};

void tst_JsonlReader::parseRoundTrip_data()
{
    QTest::addColumn<int>("kind");
    QTest::addColumn<int>("direction");
    QTest::addColumn<QByteArray>("header");
    QTest::addColumn<QByteArray>("payload");
    QTest::addColumn<int>("rule");
    QTest::addColumn<int>("closeCode");
    QTest::addColumn<int>("state");
    QTest::addColumn<bool>("wasClean");
    QTest::addColumn<int>("leg");

    QTest::addRow("text frame") << int(EventKind::Frame) << int(Direction::Incoming) << QByteArray::fromHex("8105")
                                << QByteArray("Hello") << 0 << 0 << 0 << false << 0;
    QTest::addRow("masked frame") << int(EventKind::Frame) << int(Direction::Outgoing)
                                  << QByteArray::fromHex("81831a2b3c4d") << QByteArray("\xe2\x82\xac") << 0 << 0 << 0
                                  << false << 0;
    QTest::addRow("invalid text frame") << int(EventKind::Frame) << int(Direction::Incoming)
                                        << QByteArray::fromHex("8102") << QByteArray("\xc3\x28") << 0 << 0 << 0
                                        << false << 0;
    QTest::addRow("binary 64-bit") << int(EventKind::Frame) << int(Direction::Incoming)
                                   << QByteArray::fromHex("b27f0000000000000003") << QByteArray("\0\1\2", 3) << 0 << 0
                                   << 0 << false << 0;
    QTest::addRow("close frame") << int(EventKind::Frame) << int(Direction::Incoming) << QByteArray::fromHex("8804")
                                 << QByteArray("\x03\xe8\xff\xfe") << 0 << 0 << 0 << false << 0;
    QTest::addRow("request") << int(EventKind::HandshakeRequest) << int(Direction::Outgoing) << QByteArray()
                             << QByteArray("GET / HTTP/1.1\r\n\r\n") << 0 << 0 << 0 << false << 0;
    QTest::addRow("binary response") << int(EventKind::HandshakeResponse) << int(Direction::Incoming) << QByteArray()
                                     << QByteArray("\x00\xff", 2) << 0 << 0 << 0 << false << 0;
    QTest::addRow("violation") << int(EventKind::Violation) << int(Direction::Incoming) << QByteArray::fromHex("c100")
                               << QByteArray("rsv") << int(ViolationRule::ReservedBitsSet) << 1002 << 0 << false << 0;
    QTest::addRow("violation no code") << int(EventKind::Violation) << int(Direction::Incoming) << QByteArray()
                                       << QByteArray("x") << int(ViolationRule::HandshakeFailed) << 0 << 0 << false << 0;
    QTest::addRow("closed") << int(EventKind::StateChange) << int(Direction::Local) << QByteArray()
                            << QByteArray("CLOSED") << 0 << 1006 << int(ReadyState::Closed) << false << 0;
    QTest::addRow("closed clean") << int(EventKind::StateChange) << int(Direction::Local) << QByteArray()
                                  << QByteArray("CLOSED") << 0 << 1000 << int(ReadyState::Closed) << true << 0;
    QTest::addRow("closing") << int(EventKind::StateChange) << int(Direction::Local) << QByteArray()
                             << QByteArray("CLOSING") << 0 << 0 << int(ReadyState::Closing) << false << 0;
    QTest::addRow("tls") << int(EventKind::TlsInfo) << int(Direction::Local) << QByteArray() << QByteArray("a\nb") << 0
                         << 0 << 0 << false << 0;
    QTest::addRow("error") << int(EventKind::Error) << int(Direction::Outgoing) << QByteArray() << QByteArray("\x80")
                           << 0 << 0 << 0 << false << 0;
    QTest::addRow("relay app leg frame") << int(EventKind::Frame) << int(Direction::Incoming)
                                         << QByteArray::fromHex("81821a2b3c4d") << QByteArray("hi") << 0 << 0 << 0
                                         << false << int(Leg::App);
    QTest::addRow("relay server leg request") << int(EventKind::HandshakeRequest) << int(Direction::Outgoing)
                                              << QByteArray() << QByteArray("GET / HTTP/1.1\r\n\r\n") << 0 << 0
                                              << 0 << false << int(Leg::Server);
    QTest::addRow("api call") << int(EventKind::Api) << int(Direction::Local) << QByteArray()
                              << QByteArray("{\"args\":[1012,\"bye \xe2\x80\xae\",true],\"note\":\"wire: 1012\",\"signal\":\"disconnected\"}")
                              << 0 << 0 << 0 << false << 0;
    QTest::addRow("api call without args") << int(EventKind::Api) << int(Direction::Local) << QByteArray()
                                           << QByteArray(R"({"args":[],"signal":"connected"})") << 0 << 0 << 0
                                           << false << 0;
    QTest::addRow("intercept edit") << int(EventKind::Intercept) << int(Direction::Local) << QByteArray()
                                    << QByteArray(R"({"action":"edited","detail":"5 → 5 bytes","message":3,"rules":[1,2]})")
                                    << 0 << 0 << 0 << false << int(Leg::App);
    QTest::addRow("intercept held") << int(EventKind::Intercept) << int(Direction::Local) << QByteArray()
                                    << InterceptNote { InterceptNote::Action::Held, 4, {}, QStringLiteral("text of 2 bytes"), 7, 1, false, QByteArray("\x00\xff", 2) }.toJson()
                                    << 0 << 0 << 0 << false << int(Leg::Server);
}

void tst_JsonlReader::parseRoundTrip()
{
    QFETCH(int, kind);
    QFETCH(int, direction);
    QFETCH(QByteArray, header);
    QFETCH(QByteArray, payload);
    QFETCH(int, rule);
    QFETCH(int, closeCode);
    QFETCH(int, state);
    QFETCH(bool, wasClean);
    QFETCH(int, leg);

    WireEvent e = simpleEvent(EventKind(kind), Direction(direction), payload);
    e.leg = Leg(leg);
    e.connectionId = 4000000000u;
    e.timeUs = -1234567;
    e.header = header;
    if (!header.isEmpty())
        QVERIFY(FrameHeader::decode(header, e.frame));
    e.violation = ViolationRule(rule);
    e.closeCode = quint16(closeCode);
    e.state = ReadyState(state);
    e.wasClean = wasClean;

    JsonlWriter formatter;
    const QByteArray line = formatter.toJson(e);
    StoredEvent stored;
    QString error;
    QVERIFY2(JsonlReader::parseLine(line, stored, error), qPrintable(error));
    const WireEvent back = stored.event();
    QCOMPARE(back.timeUs, e.timeUs);
    QCOMPARE(back.connectionId, e.connectionId);
    QCOMPARE(back.direction, e.direction);
    QCOMPARE(back.leg, e.leg);
    QCOMPARE(line.contains("\"leg\""), leg != int(Leg::None));
    QCOMPARE(back.kind, e.kind);
    QCOMPARE(back.header.toByteArray(), header);
    QCOMPARE(back.payload.toByteArray(), payload);
    QCOMPARE(back.violation, e.violation);
    QCOMPARE(back.closeCode, e.closeCode);
    QCOMPARE(back.state, e.state);
    QCOMPARE(back.wasClean, e.wasClean);
    if (!header.isEmpty()) {
        QCOMPARE(back.frame.fin, e.frame.fin);
        QCOMPARE(back.frame.rsv, e.frame.rsv);
        QCOMPARE(back.frame.opcode, e.frame.opcode);
        QCOMPARE(back.frame.masked, e.frame.masked);
        QCOMPARE(back.frame.maskingKey, e.frame.maskingKey);
        QCOMPARE(back.frame.declaredLength, e.frame.declaredLength);
        QCOMPARE(back.frame.lengthForm, e.frame.lengthForm);
    }
    // Formatting the parsed event again gives the same bytes.
    QCOMPARE(formatter.toJson(back), line);
}

void tst_JsonlReader::parseErrors_data()
{
    QTest::addColumn<QByteArray>("line");
    QTest::addColumn<QString>("error");

    const QByteArray base = "\"us\":1,\"conn\":1,\"dir\":\"in\",";
    QTest::addRow("not json") << QByteArray("{\"kind\":")
                              << QStringLiteral("not valid JSON: unterminated object at column 9");
    QTest::addRow("array") << QByteArray("[1]") << QStringLiteral("not a JSON object");
    QTest::addRow("no kind") << QByteArray("{" + base + "\"x\":1}") << QStringLiteral("missing field \"kind\"");
    QTest::addRow("unknown kind") << QByteArray("{" + base + "\"kind\":\"framez\"}")
                                  << QStringLiteral("unknown kind \"framez\"");
    QTest::addRow("no us") << QByteArray("{\"kind\":\"error\",\"conn\":1,\"dir\":\"in\",\"message\":\"\"}")
                           << QStringLiteral("missing field \"us\"");
    QTest::addRow("fractional us")
        << QByteArray("{\"kind\":\"error\",\"us\":1.5,\"conn\":1,\"dir\":\"in\"}")
        << QStringLiteral("field \"us\" is not an integer in -9223372036854775807..9223372036854775807");
    QTest::addRow("string conn") << QByteArray("{\"kind\":\"error\",\"us\":1,\"conn\":\"1\",\"dir\":\"in\"}")
                                 << QStringLiteral("field \"conn\" is not an integer in 0..4294967295");
    QTest::addRow("bad dir") << QByteArray("{\"kind\":\"error\",\"us\":1,\"conn\":1,\"dir\":\"up\"}")
                             << QStringLiteral("unknown dir \"up\" (expected in, out or local)");
    QTest::addRow("unknown leg") << QByteArray("{\"kind\":\"error\",\"us\":1,\"conn\":1,\"leg\":\"middle\",\"dir\":\"in\"}")
                                 << QStringLiteral("unknown leg \"middle\" (expected app or server)");
    QTest::addRow("empty leg") << QByteArray("{\"kind\":\"error\",\"us\":1,\"conn\":1,\"leg\":\"\",\"dir\":\"in\"}")
                               << QStringLiteral("unknown leg \"\" (expected app or server)");
    QTest::addRow("frame without header")
        << QByteArray("{" + base + "\"kind\":\"frame\",\"text\":\"x\"}") << QStringLiteral("missing field \"header\"");
    QTest::addRow("header not hex") << QByteArray("{" + base + "\"kind\":\"frame\",\"header\":\"81zz\",\"text\":\"x\"}")
                                    << QStringLiteral("field \"header\" is not hex: \"81zz\"");
    QTest::addRow("header incomplete") << QByteArray(
        "{" + base + "\"kind\":\"frame\",\"header\":\"817e00\",\"b64\":\"\"}")
                                       << QStringLiteral("field \"header\": 3 bytes are not one complete frame header");
    QTest::addRow("header too long") << QByteArray(
        "{" + base + "\"kind\":\"frame\",\"header\":\"810000\",\"b64\":\"\"}")
                                     << QStringLiteral("field \"header\": 3 bytes are not one complete frame header");
    QTest::addRow("no payload") << QByteArray("{" + base + "\"kind\":\"frame\",\"header\":\"8100\"}")
                                << QStringLiteral("frame has neither \"text\" nor \"b64\"");
    QTest::addRow("bad base64") << QByteArray("{" + base + "\"kind\":\"frame\",\"header\":\"8200\",\"b64\":\"@@\"}")
                                << QStringLiteral("field \"b64\" is not base64");
    QTest::addRow("unknown rule") << QByteArray(
        "{" + base + "\"kind\":\"violation\",\"rule\":\"bad-vibes\",\"message\":\"\"}")
                                  << QStringLiteral("unknown rule \"bad-vibes\"");
    QTest::addRow("close code range") << QByteArray(
        "{" + base + "\"kind\":\"violation\",\"rule\":\"none\",\"close_code\":70000,\"message\":\"\"}")
                                      << QStringLiteral("field \"close_code\" is not an integer in 0..65535");
    QTest::addRow("unknown state") << QByteArray("{" + base + "\"kind\":\"state\",\"state\":\"HALF-OPEN\"}")
                                   << QStringLiteral("unknown state \"HALF-OPEN\"");
    QTest::addRow("was_clean not bool") << QByteArray(
        "{" + base + "\"kind\":\"state\",\"state\":\"CLOSED\",\"was_clean\":1}")
                                        << QStringLiteral("field \"was_clean\" is not true or false");
    QTest::addRow("raw missing") << QByteArray("{" + base + "\"kind\":\"handshake-request\"}")
                                 << QStringLiteral("missing field \"raw\" (or \"raw_b64\")");
    QTest::addRow("api without signal") << QByteArray("{" + base + "\"kind\":\"api\",\"args\":[]}")
                                        << QStringLiteral("missing field \"signal\"");
    QTest::addRow("api empty signal") << QByteArray("{" + base + "\"kind\":\"api\",\"signal\":\"\",\"args\":[]}")
                                      << QStringLiteral("field \"signal\" is empty");
    QTest::addRow("api args not array") << QByteArray(
        "{" + base + "\"kind\":\"api\",\"signal\":\"connected\",\"args\":{}}")
                                        << QStringLiteral("field \"args\" is not an array");
    QTest::addRow("intercept unknown action") << QByteArray(
        "{" + base + "\"kind\":\"intercept\",\"action\":\"eaten\",\"message_id\":1,\"rules\":[]}")
                                              << QStringLiteral("unknown action \"eaten\"");
    QTest::addRow("intercept bad rule") << QByteArray(
        "{" + base + "\"kind\":\"intercept\",\"action\":\"edited\",\"message_id\":1,\"rules\":[0]}")
                                        << QStringLiteral("field \"rules\" holds something that is not a rule number");
    QTest::addRow("message not string") << QByteArray("{" + base + "\"kind\":\"error\",\"message\":3}")
                                        << QStringLiteral("field \"message\" is not a string");
}

void tst_JsonlReader::parseErrors()
{
    QFETCH(QByteArray, line);
    QFETCH(QString, error);
    StoredEvent stored;
    QString actual;
    QVERIFY(!JsonlReader::parseLine(line, stored, actual));
    QCOMPARE(actual, error);
}

void tst_JsonlReader::compressedFrameRoundTrip()
{
    const QByteArray header = QByteArray::fromHex("c107");
    WireEvent e = simpleEvent(EventKind::Frame, Direction::Incoming, QByteArray::fromHex("f248cdc9c90700"));
    e.header = header;
    QVERIFY(FrameHeader::decode(header, e.frame));
    e.compressed = true;
    e.hasInflated = true;
    e.inflated = "Hello";
    StoredEvent stored;
    QString error;
    QVERIFY2(JsonlReader::parseLine(JsonlWriter().toJson(e), stored, error), qPrintable(error));
    const WireEvent back = stored.event();
    QVERIFY(back.compressed && back.hasInflated);
    QCOMPARE(back.inflated.toByteArray(), QByteArray("Hello"));
    QCOMPARE(back.payload.toByteArray(), QByteArray::fromHex("f248cdc9c90700"));
    // A length that disagrees with the message is named.
    QByteArray line = JsonlWriter().toJson(e);
    line.replace("\"inflated_len\":5", "\"inflated_len\":6");
    QVERIFY(!JsonlReader::parseLine(line, stored, error));
    QCOMPARE(error, QStringLiteral("field \"inflated_len\" says 6 bytes, but the inflated message has 5"));
}

void tst_JsonlReader::relayDelayRoundTrip_data()
{
    QTest::addColumn<int>("delayUs");
    QTest::addColumn<QByteArray>("field");
    QTest::addRow("not relayed") << int(WireEvent::NotRelayed) << QByteArray();
    QTest::addRow("at once") << 0 << QByteArray(",\"relay_us\":0");
    QTest::addRow("250 µs") << 250 << QByteArray(",\"relay_us\":250");
    QTest::addRow("held") << int(WireEvent::RelayHeld) << QByteArray(",\"relay_held\":true");
}

// A relayed frame keeps how long the relay took to hand it on, through a session file.
void tst_JsonlReader::relayDelayRoundTrip()
{
    QFETCH(int, delayUs);
    QFETCH(QByteArray, field);
    WireEvent e = frameEvent(Direction::Incoming, QByteArray::fromHex("8102"), "hi");
    e.leg = Leg::Server;
    e.relayDelayUs = delayUs;
    const QByteArray line = JsonlWriter().toJson(e);
    if (field.isEmpty())
        QVERIFY2(!line.contains("relay_"), line.constData());
    else
        QVERIFY2(line.contains(field), line.constData());
    StoredEvent stored;
    QString error;
    QVERIFY2(JsonlReader::parseLine(line, stored, error), qPrintable(error));
    QCOMPARE(stored.event().relayDelayUs, delayUs);
    if (field.isEmpty()) {
        QByteArray bad = line;
        bad.replace("\"fin\"", "\"relay_us\":-3,\"fin\"");
        QVERIFY(!JsonlReader::parseLine(bad, stored, error));
        QCOMPARE(error, QStringLiteral("field \"relay_us\" is not an integer in 0..2147483647"));
    }
}

QTEST_GUILESS_MAIN(tst_JsonlReader)
#include "tst_jsonlreader.moc"
