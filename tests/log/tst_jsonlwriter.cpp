#include "eventfixtures.h"
#include "log/jsonlwriter.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QRandomGenerator>
#include <QTest>

class tst_JsonlWriter : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void isoTime_data();
    void isoTime();
    void isoTimeMatchesQDateTime();
    void frameJson_data();
    void frameJson();
    void otherKindsJson_data();
    void otherKindsJson();
    void jsonAppendsToExistingContent();
    void jsonString_data();
    void jsonString();
    void jsonStringAroundFastPath_data();
    void jsonStringAroundFastPath();
    void randomPayloadsAreValidJsonAndExact();
    void largeEscapedPayload();
    void base64EveryLength();
    void compressedFrameJson();
};

void tst_JsonlWriter::isoTime_data()
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

void tst_JsonlWriter::isoTime()
{
    QFETCH(qint64, us);
    QFETCH(QByteArray, expected);
    QCOMPARE(EventTime::iso(us), expected);
}

void tst_JsonlWriter::isoTimeMatchesQDateTime()
{
    // One formatter reused: the per-second cache must follow jumps in both directions.
    JsonlWriter formatter;
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

void tst_JsonlWriter::frameJson_data()
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
    // A first fragment may end inside a code point that the next one completes: b64, not invalid.
    QTest::addRow("first fragment cut inside a code point")
        << in << QByteArray::fromHex("0103") << QByteArray("ab\xe2")
        << QByteArray(",\"fin\":false,\"rsv1\":false,\"rsv2\":false,\"rsv3\":false,\"opcode\":1,\"type\":\"text\""
               + unmaskedShort + ",\"len\":3,\"len_form\":7,\"header\":\"0103\",\"b64\":\"YWLi\"}\n");
    QTest::addRow("final frame cut inside a code point")
        << in << QByteArray::fromHex("8103") << QByteArray("ab\xe2")
        << QByteArray(",\"fin\":true,\"rsv1\":false,\"rsv2\":false,\"rsv3\":false,\"opcode\":1,\"type\":\"text\""
               + unmaskedShort
               + ",\"len\":3,\"len_form\":7,\"header\":\"8103\",\"b64\":\"YWLi\","
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

void tst_JsonlWriter::frameJson()
{
    QFETCH(int, direction);
    QFETCH(QByteArray, header);
    QFETCH(QByteArray, payload);
    QFETCH(QByteArray, expectedFields);

    const Direction dir = Direction(direction);
    JsonlWriter formatter;
    const QByteArray json = formatter.toJson(frameEvent(dir, header, payload));
    QCOMPARE(json, jsonPrefix(dir == Direction::Incoming ? "in" : "out", "frame") + expectedFields);
    QJsonParseError error;
    QJsonDocument::fromJson(json, &error);
    QCOMPARE(error.error, QJsonParseError::NoError);
}

void tst_JsonlWriter::otherKindsJson_data()
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
    QTest::addRow("api call") << int(EventKind::Api) << int(Direction::Local)
                              << QByteArray(R"({"args":[1002,"going"],"note":"the wire says 1012","signal":"disconnected"})")
                              << QByteArray() << 0 << 0 << 0 << false
                              << jsonPrefix("local", "api")
            + R"(,"signal":"disconnected","args":[1002,"going"],"note":"the wire says 1012"})" + "\n";
    QTest::addRow("api payload not a call") << int(EventKind::Api) << int(Direction::Local) << QByteArray("[1]")
                                            << QByteArray() << 0 << 0 << 0 << false
                                            << jsonPrefix("local", "api")
            + R"(,"signal":"?","args":[],"message":"[1]"})" + "\n";
}

void tst_JsonlWriter::otherKindsJson()
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
    JsonlWriter formatter;
    const QByteArray json = formatter.toJson(e);
    QCOMPARE(json, expected);
    QVERIFY(QJsonDocument::fromJson(json).isObject());
}

void tst_JsonlWriter::jsonAppendsToExistingContent()
{
    JsonlWriter formatter;
    QByteArray out = "previous line\n";
    const QByteArray header = QByteArray::fromHex("8105");
    formatter.append(out, frameEvent(Direction::Incoming, header, "Hello"));
    formatter.append(out, frameEvent(Direction::Incoming, header, "World"));
    const QList<QByteArray> lines = out.split('\n');
    QCOMPARE(lines.size(), 4);
    QCOMPARE(lines[0], QByteArray("previous line"));
    QVERIFY(lines[1].endsWith("\"text\":\"Hello\"}"));
    QVERIFY(lines[2].endsWith("\"text\":\"World\"}"));
    QCOMPARE(lines[3], QByteArray());
}

void tst_JsonlWriter::jsonString_data()
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

void tst_JsonlWriter::jsonString()
{
    QFETCH(QByteArray, input);
    QFETCH(bool, valid);
    QFETCH(QByteArray, expected);
    QByteArray out = "x";
    QCOMPARE(JsonlWriter::appendJsonString(out, input), valid);
    QCOMPARE(out, QByteArray("x") + expected);
}

void tst_JsonlWriter::jsonStringAroundFastPath_data()
{
    QTest::addColumn<QByteArray>("special");
    QTest::addRow("quote") << QByteArray("\"");
    QTest::addRow("backslash") << QByteArray("\\");
    QTest::addRow("newline") << QByteArray("\n");
    QTest::addRow("0x01") << QByteArray("\x01");
    QTest::addRow("0x1f") << QByteArray("\x1f");
    QTest::addRow("nul") << QByteArray("\0", 1);
    QTest::addRow("del") << QByteArray("\x7f");
    QTest::addRow("e acute") << QByteArray("\xc3\xa9");
    QTest::addRow("euro") << QByteArray("\xe2\x82\xac");
    QTest::addRow("emoji") << QByteArray("\xf0\x9f\x98\x80");
    QTest::addRow("two escapes") << QByteArray("\"\\");
    QTest::addRow("invalid ff") << QByteArray("\xff");
    QTest::addRow("overlong") << QByteArray("\xc0\xaf");
    QTest::addRow("surrogate") << QByteArray("\xed\xa0\x80");
    QTest::addRow("truncated euro") << QByteArray("\xe2\x82");
}

// What the writer does, one byte at a time.
static QByteArray referenceJsonString(const QByteArray &bytes)
{
    QByteArray out = "\"";
    for (const char c : bytes) {
        switch (c) {
        case '"':
            out += "\\\"";
            break;
        case '\\':
            out += "\\\\";
            break;
        case '\n':
            out += "\\n";
            break;
        case '\r':
            out += "\\r";
            break;
        case '\t':
            out += "\\t";
            break;
        default:
            if (uchar(c) < 0x20)
                out += "\\u00" + QByteArray::number(uchar(c), 16).rightJustified(2, '0');
            else
                out += c;
        }
    }
    return out + '"';
}

// A byte that needs attention after a plain run of every length up to 70 and before one of 0, 1
// or 17 bytes, so that it falls at every place of the writer's 16-byte (or 8-byte) steps and in
// their tails, and across its 4 KiB blocks: the output equals the byte-at-a-time reference, and
// invalid UTF-8 is refused.
void tst_JsonlWriter::jsonStringAroundFastPath()
{
    QFETCH(QByteArray, special);
    const bool valid = QString::fromUtf8(special).toUtf8() == special;
    QList<int> befores;
    for (int before = 0; before <= 70; ++before)
        befores << before;
    for (int before = 4085; before <= 4100; ++before)
        befores << before; // across the writer's 4 KiB blocks
    for (int before : std::as_const(befores)) {
        for (int after : { 0, 1, 17 }) {
            QByteArray input;
            for (int i = 0; i < before; ++i)
                input += char('A' + i % 26);
            input += special;
            for (int i = 0; i < after; ++i)
                input += char('a' + i % 26);
            QByteArray out = "x";
            const bool ok = JsonlWriter::appendJsonString(out, input);
            QCOMPARE(ok, valid);
            QCOMPARE(out, valid ? "x" + referenceJsonString(input) : QByteArray("x"));
        }
    }
}

void tst_JsonlWriter::randomPayloadsAreValidJsonAndExact()
{
    // Random bytes, random ASCII with controls, random valid UTF-8: each line must be valid JSON and
    // carry the payload exactly, as text when valid UTF-8 and as base64 otherwise.
    QRandomGenerator rng(7);
    JsonlWriter formatter;
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

void tst_JsonlWriter::largeEscapedPayload()
{
    // Escaping expands 1 byte to 6: output blocks must grow across many internal chunks.
    QByteArray payload;
    for (int i = 0; i < 20000; ++i)
        payload.append(i % 5 == 0 ? '\x01' : i % 7 == 0 ? '"' : char('a' + i % 26));
    payload.append("\xe2\x82\xac"); // a multi-byte sequence at the very end
    const QByteArray header = QByteArray::fromHex("817f0000000000004e23");
    JsonlWriter formatter;
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

// Base64 takes 6 bytes a step, then 3, then the padded rest: every length up to 64 and every byte
// value come out as Qt's encoder writes them.
void tst_JsonlWriter::base64EveryLength()
{
    JsonlWriter formatter;
    for (int length = 0; length <= 64; ++length) {
        for (int pattern = 0; pattern < 4; ++pattern) {
            QByteArray payload;
            for (int i = 0; i < length; ++i)
                payload.append(char(pattern == 0 ? 0xFF : pattern == 1 ? 0 : (i * 37 + pattern * 101) % 256));
            const QByteArray header = QByteArray::fromHex("82") + char(length);
            const QByteArray json = formatter.toJson(frameEvent(Direction::Incoming, header, payload));
            QVERIFY2(json.endsWith(",\"b64\":\"" + payload.toBase64() + "\"}\n"), json.constData());
        }
    }
}


// permessage-deflate: the wire bytes as b64 (never judged as text), the inflated message beside them.
void tst_JsonlWriter::compressedFrameJson()
{
    const QByteArray header = QByteArray::fromHex("c107");
    const QByteArray wire = QByteArray::fromHex("f248cdc9c90700");
    WireEvent e = simpleEvent(EventKind::Frame, Direction::Incoming, wire);
    e.header = header;
    QVERIFY(FrameHeader::decode(header, e.frame));
    e.compressed = true;
    e.hasInflated = true;
    e.inflated = "Hello";
    const QByteArray json = JsonlWriter().toJson(e);
    QVERIFY2(json.endsWith(",\"len\":7,\"len_form\":7,\"header\":\"c107\",\"compressed\":true,\"inflated_len\":5,"
                           "\"inflated\":\"Hello\",\"b64\":\"8kjNyckHAA==\"}\n"),
        json.constData());
    QVERIFY(json.contains("\"rsv1\":true"));
    // A first fragment: compressed, not inflated yet; binary inflated bytes go as inflated_b64.
    e.hasInflated = false;
    QVERIFY(!JsonlWriter().toJson(e).contains("inflated"));
    e.hasInflated = true;
    e.inflated = QByteArrayView("\xff\x00", 2);
    QVERIFY(JsonlWriter().toJson(e).contains("\"inflated_len\":2,\"inflated_b64\":\"/wA=\""));
}

QTEST_GUILESS_MAIN(tst_JsonlWriter)
#include "tst_jsonlwriter.moc"
