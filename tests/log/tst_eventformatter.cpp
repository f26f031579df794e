#include "log/eventformatter.h"
#include "protocol/frame.h"

#include <QDateTime>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRandomGenerator>
#include <QTest>

// 2026-11-21T05:30:00.123456Z
static qint64 fixedTime()
{
    return QDateTime(QDate(2026, 11, 21), QTime(5, 30, 0), Qt::UTC).toMSecsSinceEpoch() * 1000 + 123456;
}

static QByteArray jsonPrefix(const char *dir, const char *kind, quint32 conn = 1)
{
    return QByteArrayLiteral("{\"time\":\"2026-11-21T05:30:00.123456Z\",\"us\":") + QByteArray::number(fixedTime())
        + ",\"conn\":" + QByteArray::number(conn) + ",\"dir\":\"" + dir + "\",\"kind\":\"" + kind + '"';
}

static WireEvent frameEvent(Direction direction, QByteArrayView header, QByteArrayView payload)
{
    WireEvent e;
    e.timeUs = fixedTime();
    e.connectionId = 1;
    e.direction = direction;
    e.kind = EventKind::Frame;
    e.header = header;
    e.payload = payload;
    if (!FrameHeader::decode(header, e.frame))
        qFatal("test header does not decode");
    return e;
}

static WireEvent simpleEvent(EventKind kind, Direction direction, QByteArrayView payload)
{
    WireEvent e;
    e.timeUs = fixedTime();
    e.connectionId = 1;
    e.direction = direction;
    e.kind = kind;
    e.payload = payload;
    return e;
}

class tst_EventFormatter : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void isoTime_data();
    void isoTime();
    void isoTimeMatchesQDateTime();
    void opcodeNamesMatchProtocol();
    void frameJson_data();
    void frameJson();
    void otherKindsJson_data();
    void otherKindsJson();
    void jsonAppendsToExistingContent();
    void jsonString_data();
    void jsonString();
    void randomPayloadsAreValidJsonAndExact();
    void largeEscapedPayload();
    void frameText_data();
    void frameText();
    void otherKindsText_data();
    void otherKindsText();
    void violationText();
    void blockCutThroughCodePoint();
    void messageOutput();
    void parseRoundTrip_data();
    void parseRoundTrip();
    void parseErrors_data();
    void parseErrors();
};

void tst_EventFormatter::isoTime_data()
{
    QTest::addColumn<qint64>("us");
    QTest::addColumn<QByteArray>("expected");
    QTest::addRow("epoch") << qint64(0) << QByteArray("1970-01-01T00:00:00.000000Z");
    QTest::addRow("one us before epoch") << qint64(-1) << QByteArray("1969-12-31T23:59:59.999999Z");
    QTest::addRow("example") << fixedTime() << QByteArray("2026-11-21T05:30:00.123456Z");
    QTest::addRow("leap day") << QDateTime(QDate(2024, 2, 29), QTime(23, 59, 59), Qt::UTC).toMSecsSinceEpoch() * 1000
            + 7 << QByteArray("2024-02-29T23:59:59.000007Z");
    QTest::addRow("2000-03-01") << QDateTime(QDate(2000, 3, 1), QTime(0, 0), Qt::UTC).toMSecsSinceEpoch() * 1000
                                << QByteArray("2000-03-01T00:00:00.000000Z");
    QTest::addRow("2100-02-28") << QDateTime(QDate(2100, 2, 28), QTime(12, 0), Qt::UTC).toMSecsSinceEpoch() * 1000
                                << QByteArray("2100-02-28T12:00:00.000000Z");
}

void tst_EventFormatter::isoTime()
{
    QFETCH(qint64, us);
    QFETCH(QByteArray, expected);
    QCOMPARE(EventFormatter::isoTime(us), expected);
}

void tst_EventFormatter::isoTimeMatchesQDateTime()
{
    // One formatter reused: the per-second cache must follow jumps in both directions.
    EventFormatter formatter;
    QRandomGenerator rng(42);
    for (int i = 0; i < 2000; ++i) {
        const qint64 us = qint64(rng.bounded(Q_UINT64_C(4102444800000000))) - (i % 3 == 0 ? 2000000000000000 : 0);
        WireEvent e = simpleEvent(EventKind::Error, Direction::Local, "x");
        e.timeUs = us;
        const QJsonObject o = QJsonDocument::fromJson(formatter.toJson(e)).object();
        const qint64 ms = us >= 0 ? us / 1000 : -((-us + 999) / 1000);
        const QString expected
            = QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC).toString(QStringLiteral("yyyy-MM-ddTHH:mm:ss"))
            + QStringLiteral(".%1Z").arg(((us % 1000000) + 1000000) % 1000000, 6, 10, QLatin1Char('0'));
        QCOMPARE(o.value(QStringLiteral("time")).toString(), expected);
        QCOMPARE(o.value(QStringLiteral("us")).toInteger(), us);
    }
}

void tst_EventFormatter::opcodeNamesMatchProtocol()
{
    for (quint8 op = 0; op < 16; ++op)
        QCOMPARE(QString::fromLatin1(EventFormatter::opcodeName(op)), Opcode::name(op));
}

void tst_EventFormatter::frameJson_data()
{
    QTest::addColumn<int>("direction");
    QTest::addColumn<QByteArray>("header");
    QTest::addColumn<QByteArray>("payload");
    QTest::addColumn<QByteArray>("expectedFields"); // everything after "kind":"frame"

    const int in = int(Direction::Incoming);
    const int out = int(Direction::Outgoing);
    const QByteArray unmaskedShort = ",\"masked\":false,\"mask_key\":null";

    QTest::addRow("text Hello") << in << QByteArray::fromHex("8105") << QByteArray("Hello")
                                << QByteArray(",\"fin\":true,\"rsv1\":false,\"rsv2\":false,\"rsv3\":false,\"opcode\":1,"
                                              "\"type\":\"text\""
                                       + unmaskedShort
                                       + ",\"len\":5,\"len_form\":7,\"header\":\"8105\",\"text\":\"Hello\"}\n");
    QTest::addRow("masked outgoing text")
        << out << QByteArray::fromHex("81851a2b3c4d") << QByteArray("Hello")
        << QByteArray(",\"fin\":true,\"rsv1\":false,\"rsv2\":false,\"rsv3\":false,"
                      "\"opcode\":1,\"type\":\"text\",\"masked\":true,\"mask_key\":"
                      "\"1a2b3c4d\",\"len\":5,\"len_form\":7,\"header\":\"81851a2b3c4d\","
                      "\"text\":\"Hello\"}\n");
    QTest::addRow("empty text") << in << QByteArray::fromHex("8100") << QByteArray()
                                << QByteArray(",\"fin\":true,\"rsv1\":false,\"rsv2\":false,\"rsv3\":false,\"opcode\":1,"
                                              "\"type\":\"text\""
                                       + unmaskedShort
                                       + ",\"len\":0,\"len_form\":7,\"header\":\"8100\",\"text\":\"\"}\n");
    QTest::addRow("escapes") << in << QByteArray::fromHex("810b") << QByteArray("a\"b\\c\n\r\t\x01\x1f\0", 11)
                             << QByteArray(",\"fin\":true,\"rsv1\":false,\"rsv2\":false,\"rsv3\":false,\"opcode\":1,"
                                           "\"type\":\"text\""
                                    + unmaskedShort
                                    + ",\"len\":11,\"len_form\":7,\"header\":\"810b\","
                                      "\"text\":\"a\\\"b\\\\c\\n\\r\\t\\u0001\\u001f\\u0000\"}\n");
    QTest::addRow("utf8 kept") << in << QByteArray::fromHex("810a")
                               << QByteArray("\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80\x7f")
                               << QByteArray(",\"fin\":true,\"rsv1\":false,\"rsv2\":false,\"rsv3\":false,\"opcode\":1,"
                                             "\"type\":\"text\""
                                      + unmaskedShort
                                      + ",\"len\":10,\"len_form\":7,\"header\":\"810a\","
                                        "\"text\":\"\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80\x7f\"}\n");
    QTest::addRow("invalid utf8 text") << in << QByteArray::fromHex("8103") << QByteArray("\xc3\x28\x41")
                                       << QByteArray(",\"fin\":true,\"rsv1\":false,\"rsv2\":false,\"rsv3\":false,"
                                                     "\"opcode\":1,\"type\":\"text\""
                                              + unmaskedShort
                                              + ",\"len\":3,\"len_form\":7,\"header\":\"8103\",\"b64\":\"wyhB\","
                                                "\"invalid_utf8\":true}\n");
    QTest::addRow("surrogate is invalid") << in << QByteArray::fromHex("8103") << QByteArray("\xed\xa0\x80")
                                          << QByteArray(",\"fin\":true,\"rsv1\":false,\"rsv2\":false,\"rsv3\":false,"
                                                        "\"opcode\":1,\"type\":\"text\""
                                                 + unmaskedShort
                                                 + ",\"len\":3,\"len_form\":7,\"header\":\"8103\",\"b64\":\"7aCA\","
                                                   "\"invalid_utf8\":true}\n");
    QTest::addRow("overlong is invalid") << in << QByteArray::fromHex("8102") << QByteArray("\xc0\x80", 2)
                                         << QByteArray(",\"fin\":true,\"rsv1\":false,\"rsv2\":false,\"rsv3\":false,"
                                                       "\"opcode\":1,\"type\":\"text\""
                                                + unmaskedShort
                                                + ",\"len\":2,\"len_form\":7,\"header\":\"8102\",\"b64\":\"wIA=\","
                                                  "\"invalid_utf8\":true}\n");
    QTest::addRow("above U+10FFFF is invalid")
        << in << QByteArray::fromHex("8104") << QByteArray("\xf4\x90\x80\x80")
        << QByteArray(",\"fin\":true,\"rsv1\":false,\"rsv2\":false,\"rsv3\":false,\"opcode\":1,\"type\":\"text\""
               + unmaskedShort
               + ",\"len\":4,\"len_form\":7,\"header\":\"8104\",\"b64\":\"9JCAgA==\","
                 "\"invalid_utf8\":true}\n");
    QTest::addRow("truncated sequence at end")
        << in << QByteArray::fromHex("0103") << QByteArray("ab\xe2")
        << QByteArray(",\"fin\":false,\"rsv1\":false,\"rsv2\":false,\"rsv3\":false,\"opcode\":1,\"type\":\"text\""
               + unmaskedShort
               + ",\"len\":3,\"len_form\":7,\"header\":\"0103\",\"b64\":\"YWLi\","
                 "\"invalid_utf8\":true}\n");
    QTest::addRow("binary") << in << QByteArray::fromHex("8203") << QByteArray::fromHex("0102ff")
                            << QByteArray(",\"fin\":true,\"rsv1\":false,\"rsv2\":false,\"rsv3\":false,\"opcode\":2,"
                                          "\"type\":\"binary\""
                                   + unmaskedShort
                                   + ",\"len\":3,\"len_form\":7,\"header\":\"8203\",\"b64\":\"AQL/\"}\n");
    QTest::addRow("continuation, ascii still b64")
        << in << QByteArray::fromHex("8002") << QByteArray("hi")
        << QByteArray(
               ",\"fin\":true,\"rsv1\":false,\"rsv2\":false,\"rsv3\":false,\"opcode\":0,\"type\":\"continuation\""
               + unmaskedShort + ",\"len\":2,\"len_form\":7,\"header\":\"8002\",\"b64\":\"aGk=\"}\n");
    QTest::addRow("ping") << out << QByteArray::fromHex("898200000000") << QByteArray("pp")
                          << QByteArray(",\"fin\":true,\"rsv1\":false,\"rsv2\":false,\"rsv3\":false,\"opcode\":9,"
                                        "\"type\":\"ping\",\"masked\":true,\"mask_key\":\"00000000\",\"len\":2,"
                                        "\"len_form\":7,\"header\":\"898200000000\",\"b64\":\"cHA=\"}\n");
    QTest::addRow("reserved opcode and rsv bits")
        << in << QByteArray::fromHex("f300") << QByteArray()
        << QByteArray(",\"fin\":true,\"rsv1\":true,\"rsv2\":true,\"rsv3\":true,\"opcode\":3,\"type\":\"reserved-3\""
               + unmaskedShort + ",\"len\":0,\"len_form\":7,\"header\":\"f300\",\"b64\":\"\"}\n");
    QTest::addRow("rsv2 only, reserved-15")
        << in << QByteArray::fromHex("2f00") << QByteArray()
        << QByteArray(",\"fin\":false,\"rsv1\":false,\"rsv2\":true,\"rsv3\":false,"
                      "\"opcode\":15,\"type\":\"reserved-15\""
               + unmaskedShort + ",\"len\":0,\"len_form\":7,\"header\":\"2f00\",\"b64\":\"\"}\n");
    QTest::addRow("close with reason") << in << QByteArray::fromHex("8805")
                                       << QByteArray("\x03\xe8"
                                                     "bye")
                                       << QByteArray(",\"fin\":true,\"rsv1\":false,\"rsv2\":false,\"rsv3\":false,"
                                                     "\"opcode\":8,\"type\":\"close\""
                                              + unmaskedShort
                                              + ",\"len\":5,\"len_form\":7,\"header\":\"8805\",\"close_code\":1000,"
                                                "\"close_name\":\"Normal Closure\",\"close_reason\":\"bye\","
                                                "\"b64\":\"A+hieWU=\"}\n");
    QTest::addRow("close empty") << in << QByteArray::fromHex("8800") << QByteArray()
                                 << QByteArray(
                                        ",\"fin\":true,\"rsv1\":false,\"rsv2\":false,\"rsv3\":false,\"opcode\":8,"
                                        "\"type\":\"close\""
                                        + unmaskedShort
                                        + ",\"len\":0,\"len_form\":7,\"header\":\"8800\",\"close_code\":null,"
                                          "\"b64\":\"\"}\n");
    QTest::addRow("close one byte") << in << QByteArray::fromHex("8801") << QByteArray("\x03")
                                    << QByteArray(",\"fin\":true,\"rsv1\":false,\"rsv2\":false,\"rsv3\":false,"
                                                  "\"opcode\":8,\"type\":\"close\""
                                           + unmaskedShort
                                           + ",\"len\":1,\"len_form\":7,\"header\":\"8801\",\"close_code\":null,"
                                             "\"b64\":\"Aw==\"}\n");
    QTest::addRow("close reason invalid utf8")
        << in << QByteArray::fromHex("8803") << QByteArray("\x0f\xa0\xff")
        << QByteArray(",\"fin\":true,\"rsv1\":false,\"rsv2\":false,\"rsv3\":false,\"opcode\":8,\"type\":\"close\""
               + unmaskedShort
               + ",\"len\":3,\"len_form\":7,\"header\":\"8803\",\"close_code\":4000,"
                 "\"close_name\":\"Private use\",\"close_reason_b64\":\"/w==\",\"b64\":\"D6D/\"}\n");
    const QByteArray bin200(200, '\x00');
    QTest::addRow("16-bit length") << in << QByteArray::fromHex("827e00c8") << bin200
                                   << QByteArray(
                                          ",\"fin\":true,\"rsv1\":false,\"rsv2\":false,\"rsv3\":false,\"opcode\":2,"
                                          "\"type\":\"binary\""
                                          + unmaskedShort
                                          + ",\"len\":200,\"len_form\":16,\"header\":\"827e00c8\",\"b64\":\""
                                          + bin200.toBase64() + "\"}\n");
    QTest::addRow("64-bit length, non-minimal")
        << in << QByteArray::fromHex("827f0000000000000002") << QByteArray("\x01\x02")
        << QByteArray(",\"fin\":true,\"rsv1\":false,\"rsv2\":false,\"rsv3\":false,\"opcode\":2,\"type\":\"binary\""
               + unmaskedShort + ",\"len\":2,\"len_form\":64,\"header\":\"827f0000000000000002\",\"b64\":\"AQI=\"}\n");
}

void tst_EventFormatter::frameJson()
{
    QFETCH(int, direction);
    QFETCH(QByteArray, header);
    QFETCH(QByteArray, payload);
    QFETCH(QByteArray, expectedFields);

    const Direction dir = Direction(direction);
    EventFormatter formatter;
    const QByteArray json = formatter.toJson(frameEvent(dir, header, payload));
    QCOMPARE(json, jsonPrefix(dir == Direction::Incoming ? "in" : "out", "frame") + expectedFields);
    QJsonParseError error;
    QJsonDocument::fromJson(json, &error);
    QCOMPARE(error.error, QJsonParseError::NoError);
}

void tst_EventFormatter::otherKindsJson_data()
{
    QTest::addColumn<int>("kind");
    QTest::addColumn<int>("direction");
    QTest::addColumn<QByteArray>("payload");
    QTest::addColumn<QByteArray>("header");
    QTest::addColumn<int>("rule");
    QTest::addColumn<int>("closeCode");
    QTest::addColumn<int>("state");
    QTest::addColumn<bool>("wasClean");
    QTest::addColumn<QByteArray>("expected");

    const QByteArray request = "GET / HTTP/1.1\r\nHost: x\r\n\r\n";
    QTest::addRow("handshake request") << int(EventKind::HandshakeRequest) << int(Direction::Outgoing) << request
                                       << QByteArray() << 0 << 0 << 0 << false
                                       << jsonPrefix("out", "handshake-request")
            + ",\"raw\":\"GET / HTTP/1.1\\r\\nHost: x\\r\\n\\r\\n\"}\n";
    QTest::addRow("handshake response invalid utf8")
        << int(EventKind::HandshakeResponse) << int(Direction::Incoming) << QByteArray("HTTP/1.1 200 \xff\r\n")
        << QByteArray() << 0 << 0 << 0 << false
        << jsonPrefix("in", "handshake-response") + ",\"raw_b64\":\"" + QByteArray("HTTP/1.1 200 \xff\r\n").toBase64()
            + "\"}\n";
    QTest::addRow("violation with header")
        << int(EventKind::Violation) << int(Direction::Incoming) << QByteArray("RSV1 set without extension")
        << QByteArray::fromHex("c102") << int(ViolationRule::ReservedBitsSet) << 1002 << 0 << false
        << jsonPrefix("in", "violation")
            + ",\"rule\":\"reserved-bits-set\",\"rfc\":\"5.2\",\"close_code\":1002,"
              "\"message\":\"RSV1 set without extension\",\"header\":\"c102\"}\n";
    QTest::addRow("violation without close code or header")
        << int(EventKind::Violation) << int(Direction::Incoming) << QByteArray("late frame") << QByteArray()
        << int(ViolationRule::DataAfterClose) << 0 << 0 << false
        << jsonPrefix("in", "violation")
            + ",\"rule\":\"data-after-close\",\"rfc\":\"5.5.1\",\"close_code\":null,\"message\":\"late frame\"}\n";
    QTest::addRow("state open") << int(EventKind::StateChange) << int(Direction::Local) << QByteArray("OPEN")
                                << QByteArray() << 0 << 0 << int(ReadyState::Open) << false
                                << jsonPrefix("local", "state") + ",\"state\":\"OPEN\",\"message\":\"OPEN\"}\n";
    QTest::addRow("state closed") << int(EventKind::StateChange) << int(Direction::Local) << QByteArray("CLOSED: x")
                                  << QByteArray() << 0 << 1006 << int(ReadyState::Closed) << false
                                  << jsonPrefix("local", "state")
            + ",\"state\":\"CLOSED\",\"message\":\"CLOSED: x\",\"close_code\":1006,\"was_clean\":false}\n";
    QTest::addRow("state closed clean") << int(EventKind::StateChange) << int(Direction::Local) << QByteArray()
                                        << QByteArray() << 0 << 1000 << int(ReadyState::Closed) << true
                                        << jsonPrefix("local", "state")
            + ",\"state\":\"CLOSED\",\"message\":\"\",\"close_code\":1000,\"was_clean\":true}\n";
    QTest::addRow("tls multi-line") << int(EventKind::TlsInfo) << int(Direction::Local) << QByteArray("TLS 1.3\n  cert")
                                    << QByteArray() << 0 << 0 << 0 << false
                                    << jsonPrefix("local", "tls") + ",\"message\":\"TLS 1.3\\n  cert\"}\n";
    QTest::addRow("error") << int(EventKind::Error) << int(Direction::Local) << QByteArray("connection refused")
                           << QByteArray() << 0 << 0 << 0 << false
                           << jsonPrefix("local", "error") + ",\"message\":\"connection refused\"}\n";
    QTest::addRow("error invalid utf8") << int(EventKind::Error) << int(Direction::Outgoing) << QByteArray("\x80")
                                        << QByteArray() << 0 << 0 << 0 << false
                                        << jsonPrefix("out", "error") + ",\"message_b64\":\"gA==\"}\n";
}

void tst_EventFormatter::otherKindsJson()
{
    QFETCH(int, kind);
    QFETCH(int, direction);
    QFETCH(QByteArray, payload);
    QFETCH(QByteArray, header);
    QFETCH(int, rule);
    QFETCH(int, closeCode);
    QFETCH(int, state);
    QFETCH(bool, wasClean);
    QFETCH(QByteArray, expected);

    WireEvent e = simpleEvent(EventKind(kind), Direction(direction), payload);
    e.header = header;
    if (!header.isEmpty())
        QVERIFY(FrameHeader::decode(header, e.frame));
    e.violation = ViolationRule(rule);
    e.closeCode = quint16(closeCode);
    e.state = ReadyState(state);
    e.wasClean = wasClean;
    EventFormatter formatter;
    const QByteArray json = formatter.toJson(e);
    QCOMPARE(json, expected);
    QVERIFY(QJsonDocument::fromJson(json).isObject());
}

void tst_EventFormatter::jsonAppendsToExistingContent()
{
    EventFormatter formatter;
    QByteArray out = "previous line\n";
    const QByteArray header = QByteArray::fromHex("8105");
    formatter.appendJson(out, frameEvent(Direction::Incoming, header, "Hello"));
    formatter.appendJson(out, frameEvent(Direction::Incoming, header, "World"));
    const QList<QByteArray> lines = out.split('\n');
    QCOMPARE(lines.size(), 4);
    QCOMPARE(lines[0], QByteArray("previous line"));
    QVERIFY(lines[1].endsWith("\"text\":\"Hello\"}"));
    QVERIFY(lines[2].endsWith("\"text\":\"World\"}"));
    QCOMPARE(lines[3], QByteArray());
}

void tst_EventFormatter::jsonString_data()
{
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<bool>("valid");
    QTest::addColumn<QByteArray>("expected");
    QTest::addRow("plain") << QByteArray("abc") << true << QByteArray("\"abc\"");
    QTest::addRow("empty") << QByteArray() << true << QByteArray("\"\"");
    QTest::addRow("nul") << QByteArray("a\0b", 3) << true << QByteArray("\"a\\u0000b\"");
    QTest::addRow("del kept") << QByteArray("\x7f") << true << QByteArray("\"\x7f\"");
    QTest::addRow("quote and backslash run of 8+")
        << QByteArray("abcdefgh\"ijklmnop\\") << true << QByteArray("\"abcdefgh\\\"ijklmnop\\\\\"");
    QTest::addRow("4-byte max") << QByteArray("\xf4\x8f\xbf\xbf") << true << QByteArray("\"\xf4\x8f\xbf\xbf\"");
    QTest::addRow("lone continuation") << QByteArray("abc\x80") << false << QByteArray();
    QTest::addRow("f5 lead") << QByteArray("\xf5\x80\x80\x80") << false << QByteArray();
    QTest::addRow("e0 overlong") << QByteArray("\xe0\x80\x80") << false << QByteArray();
    QTest::addRow("f0 overlong") << QByteArray("\xf0\x80\x80\x80") << false << QByteArray();
}

void tst_EventFormatter::jsonString()
{
    QFETCH(QByteArray, input);
    QFETCH(bool, valid);
    QFETCH(QByteArray, expected);
    QByteArray out = "x";
    QCOMPARE(EventFormatter::appendJsonString(out, input), valid);
    QCOMPARE(out, QByteArray("x") + expected);
}

void tst_EventFormatter::randomPayloadsAreValidJsonAndExact()
{
    // Random bytes, random ASCII with controls, random valid UTF-8: each line must be valid JSON and
    // carry the payload exactly, as text when valid UTF-8 and as base64 otherwise.
    QRandomGenerator rng(7);
    EventFormatter formatter;
    const QByteArray header = QByteArray::fromHex("8100");
    for (int i = 0; i < 3000; ++i) {
        QByteArray payload;
        const int size = int(rng.bounded(40));
        if (i % 3 == 0) {
            for (int j = 0; j < size; ++j)
                payload.append(char(rng.bounded(256)));
        } else if (i % 3 == 1) {
            for (int j = 0; j < size; ++j)
                payload.append(char(rng.bounded(128)));
        } else {
            QString s;
            for (int j = 0; j < size; ++j) {
                char32_t c = char32_t(rng.bounded(0x110000));
                if (c >= 0xD800 && c <= 0xDFFF)
                    c = 0x41;
                s += QString::fromUcs4(&c, 1);
            }
            payload = s.toUtf8();
        }
        const QByteArray json = formatter.toJson(frameEvent(Direction::Incoming, header, payload));
        QJsonParseError error;
        const QJsonObject o = QJsonDocument::fromJson(json, &error).object();
        QVERIFY2(error.error == QJsonParseError::NoError, json.constData());
        const bool valid = QString::fromUtf8(payload).toUtf8() == payload;
        if (valid) {
            QVERIFY2(o.contains(QStringLiteral("text")), json.constData());
            QCOMPARE(o.value(QStringLiteral("text")).toString().toUtf8(), payload);
        } else {
            QCOMPARE(o.value(QStringLiteral("invalid_utf8")).toBool(), true);
            QCOMPARE(QByteArray::fromBase64(o.value(QStringLiteral("b64")).toString().toLatin1()), payload);
        }
    }
}

void tst_EventFormatter::largeEscapedPayload()
{
    // Escaping expands 1 byte to 6: output blocks must grow across many internal chunks.
    QByteArray payload;
    for (int i = 0; i < 20000; ++i)
        payload.append(i % 5 == 0 ? '\x01' : i % 7 == 0 ? '"' : char('a' + i % 26));
    payload.append("\xe2\x82\xac"); // a multi-byte sequence at the very end
    const QByteArray header = QByteArray::fromHex("817f0000000000004e23");
    EventFormatter formatter;
    const QByteArray json = formatter.toJson(frameEvent(Direction::Incoming, header, payload));
    const QJsonObject o = QJsonDocument::fromJson(json).object();
    QCOMPARE(o.value(QStringLiteral("text")).toString().toUtf8(), payload);

    QByteArray binary(3 << 20, Qt::Uninitialized);
    for (qsizetype i = 0; i < binary.size(); ++i)
        binary[i] = char(i * 31);
    const QByteArray json2
        = formatter.toJson(frameEvent(Direction::Incoming, QByteArray::fromHex("827f0000000000300000"), binary));
    QCOMPARE(QByteArray::fromBase64(
                 QJsonDocument::fromJson(json2).object().value(QStringLiteral("b64")).toString().toLatin1()),
        binary);
}

void tst_EventFormatter::frameText_data()
{
    QTest::addColumn<int>("direction");
    QTest::addColumn<QByteArray>("header");
    QTest::addColumn<QByteArray>("payload");
    QTest::addColumn<QByteArray>("expected");

    const int in = int(Direction::Incoming);
    const int out = int(Direction::Outgoing);
    QTest::addRow("the example") << in << QByteArray::fromHex("8105") << QByteArray("Hello")
                                 << QByteArray(
                                        "05:30:00.123456 #1 <- text   FIN rsv=000 op=1 mask=- len=5 (7-bit) hdr=81 05  "
                                        "\"Hello\"\n");
    QTest::addRow("masked outgoing") << out << QByteArray::fromHex("81821a2b3c4d") << QByteArray("hi")
                                     << QByteArray("05:30:00.123456 #1 -> text   FIN rsv=000 op=1 mask=1a2b3c4d len=2 "
                                                   "(7-bit) hdr=81 82 1a 2b 3c 4d  \"hi\"\n");
    QTest::addRow("escaped controls") << in << QByteArray::fromHex("810a") << QByteArray("a\"\\\n\x1b[2J\xc2\x9b")
                                      << QByteArray(
                                             "05:30:00.123456 #1 <- text   FIN rsv=000 op=1 mask=- len=10 (7-bit) "
                                             "hdr=81 0a  \"a\\\"\\\\\\n\\x1b[2J\\u009b\"\n");
    QTest::addRow("invalid utf8 as hex") << in << QByteArray::fromHex("0102") << QByteArray("\xc3\x28")
                                         << QByteArray("05:30:00.123456 #1 <- text   fin=0 rsv=000 op=1 mask=- len=2 "
                                                       "(7-bit) hdr=01 02  invalid UTF-8: c3 28\n");
    QTest::addRow("binary") << in << QByteArray::fromHex("c203") << QByteArray::fromHex("00ff10")
                            << QByteArray(
                                   "05:30:00.123456 #1 <- binary FIN rsv=100 op=2 mask=- len=3 (7-bit) hdr=c2 03  "
                                   "00 ff 10\n");
    QTest::addRow("empty ping") << out << QByteArray::fromHex("898000000000") << QByteArray()
                                << QByteArray(
                                       "05:30:00.123456 #1 -> ping   FIN rsv=000 op=9 mask=00000000 len=0 (7-bit) "
                                       "hdr=89 80 00 00 00 00\n");
    QTest::addRow("pong text") << in << QByteArray::fromHex("8a02") << QByteArray("pp")
                               << QByteArray("05:30:00.123456 #1 <- pong   FIN rsv=000 op=A mask=- len=2 (7-bit) "
                                             "hdr=8a 02  \"pp\"\n");
    QTest::addRow("continuation") << in << QByteArray::fromHex("0002") << QByteArray("hi")
                                  << QByteArray("05:30:00.123456 #1 <- continuation fin=0 rsv=000 op=0 mask=- len=2 "
                                                "(7-bit) hdr=00 02  68 69\n");
    QTest::addRow("reserved-11") << in << QByteArray::fromHex("8b00") << QByteArray()
                                 << QByteArray(
                                        "05:30:00.123456 #1 <- reserved-11 FIN rsv=000 op=B mask=- len=0 (7-bit) "
                                        "hdr=8b 00\n");
    QTest::addRow("close") << in << QByteArray::fromHex("8805")
                           << QByteArray("\x03\xe8"
                                         "bye")
                           << QByteArray(
                                  "05:30:00.123456 #1 <- close  FIN rsv=000 op=8 mask=- len=5 (7-bit) hdr=88 05  "
                                  "1000 Normal Closure \"bye\"\n");
    QTest::addRow("close empty") << in << QByteArray::fromHex("8800") << QByteArray()
                                 << QByteArray("05:30:00.123456 #1 <- close  FIN rsv=000 op=8 mask=- len=0 (7-bit) "
                                               "hdr=88 00  (no status code)\n");
    QTest::addRow("close one byte") << in << QByteArray::fromHex("8801") << QByteArray("\x07")
                                    << QByteArray("05:30:00.123456 #1 <- close  FIN rsv=000 op=8 mask=- len=1 (7-bit) "
                                                  "hdr=88 01  (1-byte payload: 07)\n");
    QTest::addRow("close bad reason") << in << QByteArray::fromHex("8803") << QByteArray("\x03\xea\xff")
                                      << QByteArray(
                                             "05:30:00.123456 #1 <- close  FIN rsv=000 op=8 mask=- len=3 (7-bit) "
                                             "hdr=88 03  1002 Protocol Error reason (invalid UTF-8): ff\n");

    const QByteArray longText = QByteArray(150, 'x') + QByteArray(100, 'y');
    QTest::addRow("long text cut") << in << QByteArray::fromHex("817e00fa") << longText
                                   << QByteArray(
                                          "05:30:00.123456 #1 <- text   FIN rsv=000 op=1 mask=- len=250 (16-bit) "
                                          "hdr=81 7e 00 fa  \""
                                          + QByteArray(150, 'x') + QByteArray(50, 'y') + "\"... (250 bytes)\n");
    // The cut falls inside a 3-byte sequence: it moves back to the code point boundary.
    const QByteArray euros = QByteArray(199, 'a') + "\xe2\x82\xac" + "b";
    QTest::addRow("cut on code point boundary") << in << QByteArray::fromHex("817e00cb") << euros
                                                << QByteArray("05:30:00.123456 #1 <- text   FIN rsv=000 op=1 mask=- "
                                                              "len=203 (16-bit) hdr=81 7e 00 cb  \""
                                                       + QByteArray(199, 'a') + "\"... (203 bytes)\n");
    // Invalid UTF-8 after the cut still makes the text "not text".
    const QByteArray lateInvalid = QByteArray(210, 'a') + "\xff";
    QTest::addRow("invalid after the cut") << in << QByteArray::fromHex("817e00d3") << lateInvalid
                                           << QByteArray("05:30:00.123456 #1 <- text   FIN rsv=000 op=1 mask=- len=211 "
                                                         "(16-bit) hdr=81 7e 00 d3  invalid UTF-8: "
                                                  + QByteArray(48, 'a').toHex(' ') + " ... (211 bytes)\n");
    const QByteArray bin = QByteArray(100, '\x01');
    QTest::addRow("long binary cut") << in << QByteArray::fromHex("8264") << bin
                                     << QByteArray(
                                            "05:30:00.123456 #1 <- binary FIN rsv=000 op=2 mask=- len=100 (7-bit) "
                                            "hdr=82 64  "
                                            + QByteArray(48, '\x01').toHex(' ') + " ... (100 bytes)\n");
}

void tst_EventFormatter::frameText()
{
    QFETCH(int, direction);
    QFETCH(QByteArray, header);
    QFETCH(QByteArray, payload);
    QFETCH(QByteArray, expected);
    EventFormatter formatter;
    QCOMPARE(formatter.toText(frameEvent(Direction(direction), header, payload)), expected);
}

void tst_EventFormatter::otherKindsText_data()
{
    QTest::addColumn<int>("kind");
    QTest::addColumn<int>("direction");
    QTest::addColumn<QByteArray>("payload");
    QTest::addColumn<int>("state");
    QTest::addColumn<QByteArray>("expected");

    QTest::addRow("handshake request") << int(EventKind::HandshakeRequest) << int(Direction::Outgoing)
                                       << QByteArray("GET / HTTP/1.1\r\nHost: x\r\nX-Evil: \x1b[31mred\r\n\r\n") << 0
                                       << QByteArray("05:30:00.123456 #1 -> handshake-request (45 bytes)\n"
                                                     "    GET / HTTP/1.1\n"
                                                     "    Host: x\n"
                                                     "    X-Evil: \\x1b[31mred\n");
    QTest::addRow("response with body") << int(EventKind::HandshakeResponse) << int(Direction::Incoming)
                                        << QByteArray("HTTP/1.1 404 Not Found\r\n\r\nno\nsuch\n") << 0
                                        << QByteArray("05:30:00.123456 #1 <- handshake-response (34 bytes)\n"
                                                      "    HTTP/1.1 404 Not Found\n"
                                                      "    \n"
                                                      "    no\n"
                                                      "    such\n");
    QTest::addRow("binary response") << int(EventKind::HandshakeResponse) << int(Direction::Incoming)
                                     << QByteArray::fromHex("000102030405060708090a0b0c0d0e0f10ff") << 0
                                     << QByteArray("05:30:00.123456 #1 <- handshake-response (18 bytes)\n"
                                                   "    00 01 02 03 04 05 06 07 08 09 0a 0b 0c 0d 0e 0f\n"
                                                   "    10 ff\n");
    QTest::addRow("state with name") << int(EventKind::StateChange) << int(Direction::Local)
                                     << QByteArray("CLOSED: 1000 Normal Closure, wasClean=true")
                                     << int(ReadyState::Closed)
                                     << QByteArray(
                                            "05:30:00.123456 #1 -- CLOSED: 1000 Normal Closure, wasClean=true\n");
    QTest::addRow("state without name") << int(EventKind::StateChange) << int(Direction::Local)
                                        << QByteArray("client connected") << int(ReadyState::Open)
                                        << QByteArray("05:30:00.123456 #1 -- OPEN: client connected\n");
    QTest::addRow("state empty") << int(EventKind::StateChange) << int(Direction::Local) << QByteArray()
                                 << int(ReadyState::Closing) << QByteArray("05:30:00.123456 #1 -- CLOSING\n");
    QTest::addRow("tls multi-line") << int(EventKind::TlsInfo) << int(Direction::Local)
                                    << QByteArray("TLS established\nchain:\n  0. CN=x") << 0
                                    << QByteArray("05:30:00.123456 #1 -- TLS: TLS established\n"
                                                  "    chain:\n"
                                                  "      0. CN=x\n");
    QTest::addRow("error") << int(EventKind::Error) << int(Direction::Local) << QByteArray("connection refused") << 0
                           << QByteArray("05:30:00.123456 #1 -- ERROR: connection refused\n");
    QTest::addRow("error invalid utf8") << int(EventKind::Error) << int(Direction::Local) << QByteArray("\xff\xfe") << 0
                                        << QByteArray("05:30:00.123456 #1 -- ERROR: (invalid UTF-8) ff fe\n");
}

void tst_EventFormatter::otherKindsText()
{
    QFETCH(int, kind);
    QFETCH(int, direction);
    QFETCH(QByteArray, payload);
    QFETCH(int, state);
    QFETCH(QByteArray, expected);
    WireEvent e = simpleEvent(EventKind(kind), Direction(direction), payload);
    e.state = ReadyState(state);
    EventFormatter formatter;
    QCOMPARE(formatter.toText(e), expected);
}

void tst_EventFormatter::violationText()
{
    WireEvent e = simpleEvent(EventKind::Violation, Direction::Incoming, "RSV1 set without an extension\nsecond line");
    const QByteArray header = QByteArray::fromHex("c102");
    e.header = header;
    QVERIFY(FrameHeader::decode(header, e.frame));
    e.violation = ViolationRule::ReservedBitsSet;
    e.closeCode = 1002;
    EventFormatter formatter;
    QCOMPARE(formatter.toText(e),
        QByteArray("05:30:00.123456 #1 <- VIOLATION reserved-bits-set (RFC 6455 5.2, close 1002, "
                   "hdr=c1 02): RSV1 set without an extension\n"
                   "    second line\n"));
    WireEvent plain = simpleEvent(EventKind::Violation, Direction::Incoming, "late");
    plain.violation = ViolationRule::DataAfterClose;
    QCOMPARE(formatter.toText(plain),
        QByteArray("05:30:00.123456 #1 <- VIOLATION data-after-close (RFC 6455 5.5.1): late\n"));
}

void tst_EventFormatter::blockCutThroughCodePoint()
{
    EventFormatter formatter;
    EventFormatter::TextLimits limits;
    limits.maxBlockBytes = 11; // "ok\r\nabcdef" and the first byte of the euro sign
    formatter.setTextLimits(limits);
    const WireEvent e = simpleEvent(EventKind::HandshakeRequest, Direction::Outgoing, "ok\r\nabcdef\xe2\x82\xac");
    QCOMPARE(formatter.toText(e),
        QByteArray("05:30:00.123456 #1 -> handshake-request (13 bytes)\n"
                   "    ok\n"
                   "    61 62 63 64 65 66 e2\n"
                   "    ... (13 bytes in all)\n"));
}

void tst_EventFormatter::messageOutput()
{
    EventFormatter formatter;
    QByteArray out;
    formatter.appendMessageJson(out, fixedTime(), 2, Direction::Incoming, true, "hi");
    formatter.appendMessageJson(out, fixedTime(), 2, Direction::Incoming, true, "\xff");
    formatter.appendMessageJson(out, fixedTime(), 2, Direction::Incoming, false, "\x01\x02");
    QCOMPARE(out,
        jsonPrefix("in", "message", 2) + ",\"type\":\"text\",\"text\":\"hi\"}\n" + jsonPrefix("in", "message", 2)
            + ",\"type\":\"text\",\"b64\":\"/w==\",\"invalid_utf8\":true}\n" + jsonPrefix("in", "message", 2)
            + ",\"type\":\"binary\",\"b64\":\"AQI=\"}\n");
    out.clear();
    formatter.appendMessageText(out, fixedTime(), 2, Direction::Incoming, true, "hi");
    formatter.appendMessageText(out, fixedTime(), 2, Direction::Incoming, false, "\x01\x02");
    QCOMPARE(out,
        QByteArray("05:30:00.123456 #2 <- message text   len=2  \"hi\"\n"
                   "05:30:00.123456 #2 <- message binary len=2  01 02\n"));
}

void tst_EventFormatter::parseRoundTrip_data()
{
    QTest::addColumn<int>("kind");
    QTest::addColumn<int>("direction");
    QTest::addColumn<QByteArray>("header");
    QTest::addColumn<QByteArray>("payload");
    QTest::addColumn<int>("rule");
    QTest::addColumn<int>("closeCode");
    QTest::addColumn<int>("state");
    QTest::addColumn<bool>("wasClean");

    QTest::addRow("text frame") << int(EventKind::Frame) << int(Direction::Incoming) << QByteArray::fromHex("8105")
                                << QByteArray("Hello") << 0 << 0 << 0 << false;
    QTest::addRow("masked frame") << int(EventKind::Frame) << int(Direction::Outgoing)
                                  << QByteArray::fromHex("81831a2b3c4d") << QByteArray("\xe2\x82\xac") << 0 << 0 << 0
                                  << false;
    QTest::addRow("invalid text frame") << int(EventKind::Frame) << int(Direction::Incoming)
                                        << QByteArray::fromHex("8102") << QByteArray("\xc3\x28") << 0 << 0 << 0
                                        << false;
    QTest::addRow("binary 64-bit") << int(EventKind::Frame) << int(Direction::Incoming)
                                   << QByteArray::fromHex("b27f0000000000000003") << QByteArray("\0\1\2", 3) << 0 << 0
                                   << 0 << false;
    QTest::addRow("close frame") << int(EventKind::Frame) << int(Direction::Incoming) << QByteArray::fromHex("8804")
                                 << QByteArray("\x03\xe8\xff\xfe") << 0 << 0 << 0 << false;
    QTest::addRow("request") << int(EventKind::HandshakeRequest) << int(Direction::Outgoing) << QByteArray()
                             << QByteArray("GET / HTTP/1.1\r\n\r\n") << 0 << 0 << 0 << false;
    QTest::addRow("binary response") << int(EventKind::HandshakeResponse) << int(Direction::Incoming) << QByteArray()
                                     << QByteArray("\x00\xff", 2) << 0 << 0 << 0 << false;
    QTest::addRow("violation") << int(EventKind::Violation) << int(Direction::Incoming) << QByteArray::fromHex("c100")
                               << QByteArray("rsv") << int(ViolationRule::ReservedBitsSet) << 1002 << 0 << false;
    QTest::addRow("violation no code") << int(EventKind::Violation) << int(Direction::Incoming) << QByteArray()
                                       << QByteArray("x") << int(ViolationRule::HandshakeFailed) << 0 << 0 << false;
    QTest::addRow("closed") << int(EventKind::StateChange) << int(Direction::Local) << QByteArray()
                            << QByteArray("CLOSED") << 0 << 1006 << int(ReadyState::Closed) << false;
    QTest::addRow("closed clean") << int(EventKind::StateChange) << int(Direction::Local) << QByteArray()
                                  << QByteArray("CLOSED") << 0 << 1000 << int(ReadyState::Closed) << true;
    QTest::addRow("closing") << int(EventKind::StateChange) << int(Direction::Local) << QByteArray()
                             << QByteArray("CLOSING") << 0 << 0 << int(ReadyState::Closing) << false;
    QTest::addRow("tls") << int(EventKind::TlsInfo) << int(Direction::Local) << QByteArray() << QByteArray("a\nb") << 0
                         << 0 << 0 << false;
    QTest::addRow("error") << int(EventKind::Error) << int(Direction::Outgoing) << QByteArray() << QByteArray("\x80")
                           << 0 << 0 << 0 << false;
}

void tst_EventFormatter::parseRoundTrip()
{
    QFETCH(int, kind);
    QFETCH(int, direction);
    QFETCH(QByteArray, header);
    QFETCH(QByteArray, payload);
    QFETCH(int, rule);
    QFETCH(int, closeCode);
    QFETCH(int, state);
    QFETCH(bool, wasClean);

    WireEvent e = simpleEvent(EventKind(kind), Direction(direction), payload);
    e.connectionId = 4000000000u;
    e.timeUs = -1234567;
    e.header = header;
    if (!header.isEmpty())
        QVERIFY(FrameHeader::decode(header, e.frame));
    e.violation = ViolationRule(rule);
    e.closeCode = quint16(closeCode);
    e.state = ReadyState(state);
    e.wasClean = wasClean;

    EventFormatter formatter;
    const QByteArray line = formatter.toJson(e);
    StoredEvent stored;
    QString error;
    QVERIFY2(EventFormatter::parseJsonLine(line, stored, error), qPrintable(error));
    const WireEvent back = stored.event();
    QCOMPARE(back.timeUs, e.timeUs);
    QCOMPARE(back.connectionId, e.connectionId);
    QCOMPARE(back.direction, e.direction);
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

void tst_EventFormatter::parseErrors_data()
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
    QTest::addRow("message not string") << QByteArray("{" + base + "\"kind\":\"error\",\"message\":3}")
                                        << QStringLiteral("field \"message\" is not a string");
}

void tst_EventFormatter::parseErrors()
{
    QFETCH(QByteArray, line);
    QFETCH(QString, error);
    StoredEvent stored;
    QString actual;
    QVERIFY(!EventFormatter::parseJsonLine(line, stored, actual));
    QCOMPARE(actual, error);
}

QTEST_GUILESS_MAIN(tst_EventFormatter)
#include "tst_eventformatter.moc"
