#include "log/capture.h"
#include "log/jsonlreader.h"
#include "log/jsonlwriter.h"
#include "log/sessionfile.h"

#include <QBuffer>
#include <QDateTime>
#include <QEventLoop>
#include <QFile>
#include <QFileInfo>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

namespace {
qint64 fixedTime()
{
    return QDateTime(QDate(2026, 11, 21), QTime(5, 30, 0), Qt::UTC).toMSecsSinceEpoch() * 1000 + 123456;
}

// Events with owned bytes, so that a list of them can be recorded and compared later.
struct Sample {
    WireEvent fields;
    QByteArray header;
    QByteArray payload;
    WireEvent event() const
    {
        WireEvent e = fields;
        e.header = header;
        e.payload = payload;
        if (!header.isEmpty())
            FrameHeader::decode(header, e.frame);
        return e;
    }
};

Sample sample(EventKind kind, Direction direction, const QByteArray &header, const QByteArray &payload, qint64 offsetUs)
{
    Sample s;
    s.fields.timeUs = fixedTime() + offsetUs;
    s.fields.connectionId = 1;
    s.fields.kind = kind;
    s.fields.direction = direction;
    s.header = header;
    s.payload = payload;
    return s;
}

QList<Sample> session()
{
    QList<Sample> list;
    list << sample(EventKind::StateChange, Direction::Local, {}, "CONNECTING to ws://127.0.0.1:1/", 0);
    list.last().fields.state = ReadyState::Connecting;
    list << sample(EventKind::HandshakeRequest, Direction::Outgoing, {}, "GET / HTTP/1.1\r\nHost: a\r\n\r\n", 1);
    list << sample(EventKind::HandshakeResponse, Direction::Incoming, {}, "HTTP/1.1 101 OK\r\nX: \xff\r\n\r\n", 2);
    list << sample(EventKind::StateChange, Direction::Local, {}, "OPEN", 3);
    list.last().fields.state = ReadyState::Open;
    list << sample(EventKind::Frame, Direction::Outgoing, QByteArray::fromHex("81851a2b3c4d"), "hello", 4);
    list << sample(EventKind::Frame, Direction::Incoming, QByteArray::fromHex("8105"), "hello", 5);
    list << sample(
        EventKind::Frame, Direction::Incoming, QByteArray::fromHex("0103"), "\xe2\x82", 6); // split code point
    list << sample(EventKind::Frame, Direction::Incoming, QByteArray::fromHex("8001"), "\xac", 7);
    QByteArray big(2 * 1024 * 1024 + 5, Qt::Uninitialized);
    for (qsizetype i = 0; i < big.size(); ++i)
        big[i] = char(i * 131 + (i >> 9));
    list << sample(EventKind::Frame, Direction::Incoming, QByteArray::fromHex("827f0000000000200005"), big, 8);
    list << sample(EventKind::Frame, Direction::Incoming, QByteArray::fromHex("c900"), {}, 9);
    list << sample(EventKind::Violation, Direction::Incoming, QByteArray::fromHex("c900"), "RSV1 set", 10);
    list.last().fields.violation = ViolationRule::ReservedBitsSet;
    list.last().fields.closeCode = 1002;
    list << sample(EventKind::Frame, Direction::Outgoing, QByteArray::fromHex("88820a0b0c0d"), "\x03\xea", 11);
    list << sample(EventKind::Frame, Direction::Incoming, QByteArray::fromHex("8800"), {}, 12);
    list << sample(EventKind::Error, Direction::Local, {}, "closing handshake timed out\nsecond line", 13);
    list << sample(EventKind::TlsInfo, Direction::Local, {}, "TLS 1.3", 14);
    list << sample(EventKind::StateChange, Direction::Local, {}, "CLOSED: 1005", 15);
    list.last().fields.state = ReadyState::Closed;
    list.last().fields.closeCode = 1005;
    list.last().fields.wasClean = true;
    return list;
}

QList<QByteArray> fileLines(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    QList<QByteArray> lines = file.readAll().split('\n');
    if (!lines.isEmpty() && lines.last().isEmpty())
        lines.removeLast();
    return lines;
}

void compareEvents(const WireEvent &actual, const WireEvent &expected)
{
    QCOMPARE(actual.timeUs, expected.timeUs);
    QCOMPARE(actual.connectionId, expected.connectionId);
    QCOMPARE(actual.direction, expected.direction);
    QCOMPARE(actual.kind, expected.kind);
    QCOMPARE(actual.header.toByteArray(), expected.header.toByteArray());
    QVERIFY(actual.payload == expected.payload);
    QCOMPARE(actual.frame.fin, expected.frame.fin);
    QCOMPARE(actual.frame.rsv, expected.frame.rsv);
    QCOMPARE(actual.frame.opcode, expected.frame.opcode);
    QCOMPARE(actual.frame.masked, expected.frame.masked);
    QCOMPARE(actual.frame.maskingKey, expected.frame.maskingKey);
    QCOMPARE(actual.frame.declaredLength, expected.frame.declaredLength);
    QCOMPARE(actual.violation, expected.violation);
    QCOMPARE(actual.closeCode, expected.closeCode);
    QCOMPARE(actual.wasClean, expected.wasClean);
    if (expected.kind == EventKind::StateChange)
        QCOMPARE(actual.state, expected.state);
}

// One turn of the event loop that ends by waiting, as the command line's loop does between reads.
void spinEventLoopOnce()
{
    QEventLoop loop;
    QTimer::singleShot(0, &loop, &QEventLoop::quit);
    loop.exec();
}
} // namespace

class tst_SessionFile : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void writesHeaderThenOneLinePerEvent();
    void flushedWhenTheEventLoopWaits();
    void flushedWhenTheBufferIsLarge();
    void roundTrip();
    void messagesOfTwoConnectionsStayApart();
    void headerRoundTrip_data();
    void headerRoundTrip();
    void readerReportsBadLinesAndKeepsGoodOnes_data();
    void readerReportsBadLinesAndKeepsGoodOnes();
    void readerErrorCap();
    void unreadableFile();
    void writerErrors();

private:
    QTemporaryDir m_dir;
};

void tst_SessionFile::writesHeaderThenOneLinePerEvent()
{
    const QString path = m_dir.filePath(QStringLiteral("header.jsonl"));
    SessionHeader header;
    header.createdUs = fixedTime();
    header.tool = QStringLiteral("wsinspector-cli 0.1.0");
    header.url = QStringLiteral("ws://127.0.0.1:8080/\"x\"");
    header.extra.insert(QStringLiteral("note"), QStringLiteral("é"));
    header.extra.insert(QStringLiteral("runs"), 3);
    const QList<Sample> events = session().mid(3, 3);
    {
        SessionFileWriter writer;
        QVERIFY2(writer.open(path, header), qPrintable(writer.errorString()));
        for (const Sample &s : events)
            writer.record(s.event());
        QCOMPARE(writer.eventsWritten(), 3);
    } // the destructor closes and flushes

    const QList<QByteArray> lines = fileLines(path);
    QCOMPARE(lines.size(), 4);
    QCOMPARE(lines[0],
        QByteArray("{\"format\":\"wsinspector-session\",\"version\":1,\"created\":\"2026-11-21T05:30:00.123456Z\","
                   "\"tool\":\"wsinspector-cli 0.1.0\",\"url\":\"ws://127.0.0.1:8080/\\\"x\\\"\","
                   "\"note\":\"\xc3\xa9\",\"runs\":3}"));
    JsonlWriter formatter;
    for (int i = 0; i < 3; ++i)
        QCOMPARE(lines[i + 1] + '\n', formatter.toJson(events[i].event()));
}

void tst_SessionFile::flushedWhenTheEventLoopWaits()
{
    const QString path = m_dir.filePath(QStringLiteral("flush.jsonl"));
    SessionFileWriter writer;
    QVERIFY(writer.open(path));
    QCOMPARE(fileLines(path).size(), 1); // the header is written at once
    const Sample s = session()[5];
    writer.record(s.event());
    writer.record(s.event());
    QCOMPARE(fileLines(path).size(), 1); // buffered within the turn...
    spinEventLoopOnce();
    QCOMPARE(fileLines(path).size(), 3); // ...and on disk once the loop waits, without close()
    writer.record(s.event());
    QVERIFY(writer.flush());
    QCOMPARE(fileLines(path).size(), 4);
}

void tst_SessionFile::flushedWhenTheBufferIsLarge()
{
    const QString path = m_dir.filePath(QStringLiteral("large.jsonl"));
    SessionFileWriter writer;
    QVERIFY(writer.open(path));
    const Sample s
        = sample(EventKind::Frame, Direction::Incoming, QByteArray::fromHex("827e0400"), QByteArray(1024, 'z'), 0);
    for (int i = 0; i < 1000; ++i) // ~1.5 MB of lines, no event loop in between
        writer.record(s.event());
    QVERIFY(QFileInfo(path).size() > 1000 * 1024);
}

void tst_SessionFile::roundTrip()
{
    const QString path = m_dir.filePath(QStringLiteral("roundtrip.jsonl"));
    const QList<Sample> events = session();
    SessionHeader header;
    header.createdUs = fixedTime();
    header.url = QStringLiteral("ws://127.0.0.1:1/");
    {
        SessionFileWriter writer;
        QVERIFY(writer.open(path, header));
        for (const Sample &s : events)
            writer.record(s.event());
    }

    Capture capture;
    const SessionFileReader::Result result = SessionFileReader::load(path, capture);
    QVERIFY2(result.ok(), qPrintable(result.errors.join(u'\n')));
    QCOMPARE(result.version, 1);
    QCOMPARE(result.header.url, header.url);
    QCOMPARE(result.header.createdUs, fixedTime());
    QCOMPARE(result.eventsLoaded, events.size());
    QCOMPARE(capture.count(), events.size());
    for (qsizetype i = 0; i < events.size(); ++i) {
        compareEvents(capture.event(i), events[i].event());
        if (QTest::currentTestFailed())
            qFatal("event %lld differs", qlonglong(i));
    }

    // Writing the loaded capture again gives the same file, byte for byte.
    const QString again = m_dir.filePath(QStringLiteral("roundtrip2.jsonl"));
    {
        SessionFileWriter writer;
        QVERIFY(writer.open(again, header));
        for (qsizetype i = 0; i < capture.count(); ++i)
            writer.record(capture.event(i));
    }
    QCOMPARE(fileLines(again), fileLines(path));
}

// A file may hold several connections: the reader numbers messages per connection and direction
// (where fragments belong) with ids unique in the capture, so each fragment finds its own message.
void tst_SessionFile::messagesOfTwoConnectionsStayApart()
{
    const QString path = m_dir.filePath(QStringLiteral("two.jsonl"));
    QList<Sample> events;
    auto frame = [&events](quint32 conn, const char *headerHex, const QByteArray &payload) {
        events << sample(EventKind::Frame, Direction::Incoming, QByteArray::fromHex(headerHex), payload, events.size());
        events.last().fields.connectionId = conn;
    };
    frame(1, "0102", "a1"); // connection 1, first fragment
    frame(2, "0102", "b1"); // connection 2, first fragment
    frame(1, "8002", "a2");
    frame(2, "0002", "b2");
    frame(2, "8002", "b3");
    {
        SessionFileWriter writer;
        QVERIFY(writer.open(path));
        for (const Sample &e : events)
            writer.record(e.event());
    }
    Capture capture;
    QVERIFY(SessionFileReader::load(path, capture).ok());
    QCOMPARE(capture.count(), 5);
    QCOMPARE(capture.message(2).payload, QByteArray("a1a2"));
    QCOMPARE(capture.message(4).payload, QByteArray("b1b2b3"));
    QCOMPARE(capture.message(4).frames, 3);
    QVERIFY(capture.event(0).messageId != capture.event(1).messageId);
}

void tst_SessionFile::headerRoundTrip_data()
{
    QTest::addColumn<QByteArray>("headerLine"); // as a file may hold it

    QTest::addRow("plain") << QByteArray(R"({"format":"wsinspector-session","version":1,"tool":"t","url":"ws://a/"})");
    QTest::addRow("quotes, controls, bidi override")
        << QByteArray(R"({"format":"wsinspector-session","version":1,"tool":"\"\\\u0001\u202e","url":"é"})");
    // JSON may escape a lone surrogate, which UTF-8 cannot hold: saving must not turn it into U+FFFD.
    // (Found by fuzz_sessionfile.)
    QTest::addRow("lone surrogate in url")
        << QByteArray(R"({"format":"wsinspector-session","version":1,"url":"\ud800"})");
    QTest::addRow("lone surrogate in tool")
        << QByteArray(R"({"format":"wsinspector-session","version":1,"tool":"a\udc00b"})");
    QTest::addRow("lone surrogate in an extra field's name")
        << QByteArray(R"({"format":"wsinspector-session","version":1,"\ud800":1})");
    QTest::addRow("lone surrogate in an extra field's value")
        << QByteArray(R"({"format":"wsinspector-session","version":1,"note":["\udfff",{"k":"\ud83d"}]})");
}

// A header read from a file is saved again unchanged: reading the saved file gives the same header.
void tst_SessionFile::headerRoundTrip()
{
    QFETCH(QByteArray, headerLine);
    QBuffer input;
    input.setData(headerLine + '\n');
    QVERIFY(input.open(QIODevice::ReadOnly));
    Capture capture;
    const SessionFileReader::Result first = SessionFileReader::read(input, capture);
    QVERIFY2(first.ok(), qPrintable(first.errors.join(u'\n')));

    const QString path = m_dir.filePath(QStringLiteral("header-roundtrip.jsonl"));
    {
        SessionFileWriter writer;
        QVERIFY(writer.open(path, first.header));
    }
    Capture again;
    const SessionFileReader::Result second = SessionFileReader::load(path, again);
    QVERIFY2(second.ok(), qPrintable(second.errors.join(u'\n')));
    QCOMPARE(second.header.tool, first.header.tool);
    QCOMPARE(second.header.url, first.header.url);
    QCOMPARE(second.header.extra, first.header.extra);
}

void tst_SessionFile::readerReportsBadLinesAndKeepsGoodOnes_data()
{
    QTest::addColumn<QByteArray>("content");
    QTest::addColumn<QStringList>("errors");
    QTest::addColumn<int>("loaded");
    QTest::addColumn<int>("badLines");
    QTest::addColumn<int>("version");

    JsonlWriter f;
    const QList<Sample> events = session();
    const QByteArray header = "{\"format\":\"wsinspector-session\",\"version\":1}\n";
    const QByteArray e0 = f.toJson(events[4].event());
    const QByteArray e1 = f.toJson(events[5].event());
    const QByteArray e2 = f.toJson(events[10].event());

    QTest::addRow("clean") << header + e0 + e1 << QStringList() << 2 << 0 << 1;
    QTest::addRow("blank lines skipped") << header + "\n" + e0 + "   \n" + e1 + "\n" << QStringList() << 2 << 0 << 1;
    QTest::addRow("bad json in the middle")
        << header + e0 + "{\"kind\":\"frame\",\n" + e1
        << QStringList { QStringLiteral("line 3: not valid JSON: unterminated object at column 17") } << 2 << 1 << 1;
    QTest::addRow("unknown kind") << header + e0 + "{\"us\":1,\"conn\":1,\"dir\":\"in\",\"kind\":\"framez\"}\n" + e2
                                  << QStringList { QStringLiteral("line 3: unknown kind \"framez\"") } << 2 << 1 << 1;
    QTest::addRow("several bad lines") << header + "[]\n" + e0
            + "{\"us\":1,\"conn\":1,\"dir\":\"sideways\",\"kind\":\"error\",\"message\":\"\"}\n" + e1
            + "{\"us\":1,\"conn\":1,\"dir\":\"in\",\"kind\":\"frame\",\"header\":\"8105\"}\n"
                                       << QStringList { QStringLiteral("line 2: not a JSON object"),
                                              QStringLiteral(
                                                  "line 4: unknown dir \"sideways\" (expected in, out or local)"),
                                              QStringLiteral("line 6: frame has neither \"text\" nor \"b64\"") }
                                       << 2 << 3 << 1;
    // Cut inside the last string: ..."text":"he (Qt reports the offset just past the end)
    QTest::addRow("cut short") << header + e0 + e1.left(e1.size() - 6)
                               << QStringList { QStringLiteral(
                                      "line 3: not valid JSON: unterminated string at column %1 "
                                      "(the file ends inside this line: was the session cut "
                                      "short?)")
                                                    .arg(e1.size() - 4) }
                               << 1 << 1 << 1;
    QTest::addRow("no header") << e0 + e1
                               << QStringList { QStringLiteral("line 1: no session header (expected "
                                                               "{\"format\":\"wsinspector-session\",...}); reading the "
                                                               "lines as events") }
                               << 2 << 0 << 0;
    QTest::addRow("other format") << QByteArray("{\"format\":\"har\",\"version\":1}\n") + e0
                                  << QStringList { QStringLiteral(
                                         "line 1: not a WebSocket Inspector session: format is "
                                         "\"har\", expected \"wsinspector-session\"") }
                                  << 1 << 1 << 0;
    QTest::addRow("newer version") << QByteArray("{\"format\":\"wsinspector-session\",\"version\":2}\n") + e0
                                   << QStringList { QStringLiteral(
                                          "line 1: session version 2 is newer than this program "
                                          "reads (1); reading the events it understands") }
                                   << 1 << 0 << 2;
    QTest::addRow("empty") << QByteArray() << QStringList { QStringLiteral("the file is empty") } << 0 << 0 << 0;
}

void tst_SessionFile::readerReportsBadLinesAndKeepsGoodOnes()
{
    QFETCH(QByteArray, content);
    QFETCH(QStringList, errors);
    QFETCH(int, loaded);
    QFETCH(int, badLines);
    QFETCH(int, version);

    QBuffer buffer(&content);
    QVERIFY(buffer.open(QIODevice::ReadOnly));
    Capture capture;
    const SessionFileReader::Result result = SessionFileReader::read(buffer, capture);
    QCOMPARE(result.errors, errors);
    QCOMPARE(result.eventsLoaded, loaded);
    QCOMPARE(capture.count(), loaded);
    QCOMPARE(result.badLines, badLines);
    QCOMPARE(result.version, version);
    QCOMPARE(result.ok(), errors.isEmpty());

    // The good lines were kept, exactly: formatting them again gives back those lines.
    JsonlWriter f;
    QList<QByteArray> expectedGood;
    for (const QByteArray &line : content.split('\n')) {
        StoredEvent stored;
        QString error;
        if (JsonlReader::parseLine(line, stored, error))
            expectedGood << line + '\n';
    }
    QCOMPARE(expectedGood.size(), loaded);
    for (qsizetype i = 0; i < capture.count(); ++i)
        QCOMPARE(f.toJson(capture.event(i)), expectedGood[i]);
}

void tst_SessionFile::readerErrorCap()
{
    QByteArray content = "{\"format\":\"wsinspector-session\",\"version\":1}\n";
    for (int i = 0; i < 1500; ++i)
        content += "nonsense\n";
    QBuffer buffer(&content);
    QVERIFY(buffer.open(QIODevice::ReadOnly));
    Capture capture;
    const SessionFileReader::Result result = SessionFileReader::read(buffer, capture);
    QCOMPARE(result.badLines, 1500);
    QCOMPARE(result.errors.size(), SessionFileReader::MaxErrors + 1);
    QCOMPARE(result.errors.last(), QStringLiteral("(further errors not listed)"));
}

void tst_SessionFile::unreadableFile()
{
    Capture capture;
    const QString path = m_dir.filePath(QStringLiteral("does-not-exist.jsonl"));
    const SessionFileReader::Result result = SessionFileReader::load(path, capture);
    QVERIFY(!result.opened);
    QVERIFY(!result.ok());
    QCOMPARE(result.errors.size(), 1);
    QVERIFY2(
        result.errors[0].startsWith(QStringLiteral("cannot read \"%1\": ").arg(path)), qPrintable(result.errors[0]));
}

void tst_SessionFile::writerErrors()
{
    SessionFileWriter writer;
    QVERIFY(!writer.open(m_dir.path()));
    QVERIFY2(writer.errorString().startsWith(QStringLiteral("cannot write \"%1\": ").arg(m_dir.path())),
        qPrintable(writer.errorString()));
    QVERIFY(!writer.isOpen());

    if (!QFile::exists(QStringLiteral("/dev/full")))
        QSKIP("no /dev/full here");
    SessionFileWriter full;
    QVERIFY(!full.open(QStringLiteral("/dev/full"))); // the header write fails: the disk is full
    QVERIFY2(full.errorString().startsWith(QStringLiteral("writing \"/dev/full\" failed: ")),
        qPrintable(full.errorString()));
    full.record(session()[5].event()); // dropped, no crash
    QVERIFY(!full.flush());
}

QTEST_GUILESS_MAIN(tst_SessionFile)
#include "tst_sessionfile.moc"
