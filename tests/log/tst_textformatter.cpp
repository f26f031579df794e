#include "eventfixtures.h"
#include "log/textformatter.h"

#include <QTest>

class tst_TextFormatter : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void frameText_data();
    void frameText();
    void otherKindsText_data();
    void otherKindsText();
    void violationText();
    void blockCutThroughCodePoint();
    void relayLegMarked_data();
    void relayLegMarked();
};

void tst_TextFormatter::frameText_data()
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
                                                       "(7-bit) hdr=01 02  invalid UTF-8: \"\\xc3(\"\n");
    // Measured before the display rule: these reached the terminal raw (issue 7, "Trojan Source").
    QTest::addRow("bidi override and zero-width space")
        << in << QByteArray::fromHex("8109") << QByteArray("ab\xe2\x80\xae" "c\xe2\x80\x8b")
        << QByteArray("05:30:00.123456 #1 <- text   FIN rsv=000 op=1 mask=- len=9 (7-bit) hdr=81 09  "
                      "\"ab\\u202ec\\u200b\"\n");
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
                                             "hdr=88 03  1002 Protocol Error reason (invalid UTF-8): \"\\xff\"\n");

    const QByteArray longText = QByteArray(150, 'x') + QByteArray(100, 'y');
    QTest::addRow("long text cut") << in << QByteArray::fromHex("817e00fa") << longText
                                   << QByteArray(
                                          "05:30:00.123456 #1 <- text   FIN rsv=000 op=1 mask=- len=250 (16-bit) "
                                          "hdr=81 7e 00 fa  \""
                                          + QByteArray(150, 'x') + QByteArray(50, 'y') + "\"... (250 bytes)\n");
    // The cut counts characters: a 3-byte sequence is one, and is never split.
    const QByteArray euros = QByteArray(199, 'a') + "\xe2\x82\xac" + "b";
    QTest::addRow("cut on code point boundary") << in << QByteArray::fromHex("817e00cb") << euros
                                                << QByteArray("05:30:00.123456 #1 <- text   FIN rsv=000 op=1 mask=- "
                                                              "len=203 (16-bit) hdr=81 7e 00 cb  \""
                                                       + QByteArray(199, 'a') + "\xe2\x82\xac\"... (203 bytes)\n");
    // Invalid UTF-8 after the cut is still named.
    const QByteArray lateInvalid = QByteArray(210, 'a') + "\xff";
    QTest::addRow("invalid after the cut") << in << QByteArray::fromHex("817e00d3") << lateInvalid
                                           << QByteArray("05:30:00.123456 #1 <- text   FIN rsv=000 op=1 mask=- len=211 "
                                                         "(16-bit) hdr=81 7e 00 d3  invalid UTF-8: \""
                                                  + QByteArray(200, 'a') + "\"... (211 bytes)\n");
    const QByteArray bin = QByteArray(100, '\x01');
    QTest::addRow("long binary cut") << in << QByteArray::fromHex("8264") << bin
                                     << QByteArray(
                                            "05:30:00.123456 #1 <- binary FIN rsv=000 op=2 mask=- len=100 (7-bit) "
                                            "hdr=82 64  "
                                            + QByteArray(48, '\x01').toHex(' ') + " ... (100 bytes)\n");
}

void tst_TextFormatter::frameText()
{
    QFETCH(int, direction);
    QFETCH(QByteArray, header);
    QFETCH(QByteArray, payload);
    QFETCH(QByteArray, expected);
    TextFormatter formatter;
    QCOMPARE(formatter.toText(frameEvent(Direction(direction), header, payload)), expected);
}

void tst_TextFormatter::otherKindsText_data()
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
                                                      "    no\\n\n"
                                                      "    such\\n\n"); // bare LFs: not HTTP line ends
    QTest::addRow("binary response") << int(EventKind::HandshakeResponse) << int(Direction::Incoming)
                                     << QByteArray::fromHex("000102030405060708090a0b0c0d0e0f10ff") << 0
                                     << QByteArray("05:30:00.123456 #1 <- handshake-response (18 bytes)\n"
                                                   "    \\x00\\x01\\x02\\x03\\x04\\x05\\x06\\x07\\x08\\t\\n\n"
                                                   "    \\x0b\\x0c\\r\\x0e\\x0f\\x10\\xff\n");
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
                                        << QByteArray("05:30:00.123456 #1 -- ERROR: \\xff\\xfe\n");
    QTest::addRow("api call") << int(EventKind::Api) << int(Direction::Local)
                              << QByteArray("{\"signal\":\"textMessageReceived\",\"args\":[\"hi\\u001b\"]}") << 0
                              << QByteArray("05:30:00.123456 #1 -- API textMessageReceived(\"hi\\x1b\")\n");
}

void tst_TextFormatter::otherKindsText()
{
    QFETCH(int, kind);
    QFETCH(int, direction);
    QFETCH(QByteArray, payload);
    QFETCH(int, state);
    QFETCH(QByteArray, expected);
    WireEvent e = simpleEvent(EventKind(kind), Direction(direction), payload);
    e.state = ReadyState(state);
    TextFormatter formatter;
    QCOMPARE(formatter.toText(e), expected);
}

void tst_TextFormatter::violationText()
{
    WireEvent e = simpleEvent(EventKind::Violation, Direction::Incoming, "RSV1 set without an extension\nsecond line");
    const QByteArray header = QByteArray::fromHex("c102");
    e.header = header;
    QVERIFY(FrameHeader::decode(header, e.frame));
    e.violation = ViolationRule::ReservedBitsSet;
    e.closeCode = 1002;
    TextFormatter formatter;
    QCOMPARE(formatter.toText(e),
        QByteArray("05:30:00.123456 #1 <- VIOLATION reserved-bits-set (RFC 6455 5.2, close 1002, "
                   "hdr=c1 02): RSV1 set without an extension\n"
                   "    second line\n"));
    WireEvent plain = simpleEvent(EventKind::Violation, Direction::Incoming, "late");
    plain.violation = ViolationRule::DataAfterClose;
    QCOMPARE(formatter.toText(plain),
        QByteArray("05:30:00.123456 #1 <- VIOLATION data-after-close (RFC 6455 5.5.1): late\n"));
}

void tst_TextFormatter::blockCutThroughCodePoint()
{
    TextFormatter formatter;
    TextFormatter::Limits limits;
    limits.maxBlockBytes = 11; // "ok\r\nabcdef" and the first byte of the euro sign
    formatter.setLimits(limits);
    const WireEvent e = simpleEvent(EventKind::HandshakeRequest, Direction::Outgoing, "ok\r\nabcdef\xe2\x82\xac");
    QCOMPARE(formatter.toText(e),
        QByteArray("05:30:00.123456 #1 -> handshake-request (13 bytes)\n"
                   "    ok\n"
                   "    abcdef\n"
                   "    ... (13 bytes in all)\n"));
}



void tst_TextFormatter::relayLegMarked_data()
{
    QTest::addColumn<int>("leg");
    QTest::addColumn<int>("direction");
    QTest::addColumn<QByteArray>("expected");
    QTest::addRow("app in") << int(Leg::App) << int(Direction::Incoming)
                            << QByteArray("05:30:00.123456 #1 app <- ERROR: x\n");
    QTest::addRow("server out") << int(Leg::Server) << int(Direction::Outgoing)
                                << QByteArray("05:30:00.123456 #1 server -> ERROR: x\n");
    QTest::addRow("server local") << int(Leg::Server) << int(Direction::Local)
                                  << QByteArray("05:30:00.123456 #1 server -- ERROR: x\n");
    QTest::addRow("no leg") << int(Leg::None) << int(Direction::Incoming)
                            << QByteArray("05:30:00.123456 #1 <- ERROR: x\n");
}

void tst_TextFormatter::relayLegMarked()
{
    QFETCH(int, leg);
    QFETCH(int, direction);
    QFETCH(QByteArray, expected);
    WireEvent e = simpleEvent(EventKind::Error, Direction(direction), "x");
    e.leg = Leg(leg);
    TextFormatter formatter;
    QCOMPARE(formatter.toText(e), expected);
}

QTEST_GUILESS_MAIN(tst_TextFormatter)
#include "tst_textformatter.moc"
