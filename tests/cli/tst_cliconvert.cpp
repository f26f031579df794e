// wsinspector-cli --convert IN OUT: a session file to HAR and pcapng and back, a Chrome HAR to a
// session file, and every way it can go wrong, with its exit status and what it says.

#include "clirun.h"
#include "eventfixtures.h"
#include "captureevents.h"
#include "log/capture.h"
#include "log/harreader.h"
#include "log/sessionfile.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

class tst_CliConvert : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void sessionToHarAndBack();
    void otherNamesAreSessionFiles();
    void sessionToPcapng();
    void chromeHarToSession();
    void partlyBadHar();
    void failures_data();
    void failures();

private:
    QString path(const QString &name) const { return m_dir.filePath(name); }
    QTemporaryDir m_dir;
    Capture m_capture;
};

namespace {


void writeFile(const QString &path, const QByteArray &bytes)
{
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    QCOMPARE(f.write(bytes), bytes.size());
}

const QByteArray ChromeHar = R"({"log":{"version":"1.2","creator":{"name":"WebInspector","version":"537.36"},"entries":[
  {"_resourceType":"websocket","startedDateTime":"2026-11-21T05:30:00.123Z","time":5,
   "request":{"method":"GET","url":"ws://example.com/ws","httpVersion":"HTTP/1.1","headers":[{"name":"Host","value":"example.com"}]},
   "response":{"status":101,"statusText":"Switching Protocols","httpVersion":"HTTP/1.1","headers":[]},
   "timings":{"wait":1},
   "_webSocketMessages":[{"type":"send","time":1795239000.2,"opcode":1,"data":"hi"},
                         {"type":"receive","time":1795239000.3,"opcode":1,"data":"hi"}]}]}})";

} // namespace

void tst_CliConvert::initTestCase()
{
    QVERIFY(m_dir.isValid());
    const QByteArray request = "GET /ws HTTP/1.1\r\nHost: 127.0.0.1:9001\r\nUpgrade: websocket\r\n\r\n";
    const QByteArray response = "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n\r\n";
    m_capture.record(simpleEvent(EventKind::HandshakeRequest, Direction::Outgoing, request));
    m_capture.record(simpleEvent(EventKind::HandshakeResponse, Direction::Incoming, response));
    recordFrame(m_capture, Direction::Outgoing, Opcode::Text, "hello");
    recordFrame(m_capture, Direction::Incoming, Opcode::Binary, QByteArray::fromHex("0001ff"));
    recordFrame(m_capture, Direction::Incoming, Opcode::Ping, "?");
    SessionHeader header;
    header.url = QStringLiteral("ws://127.0.0.1:9001/ws");
    QString error;
    QVERIFY2(SessionFileWriter::save(path(QStringLiteral("session.jsonl")), m_capture, header, &error), qPrintable(error));
    writeFile(path(QStringLiteral("notes.txt")), "hello\n");
}

void tst_CliConvert::sessionToHarAndBack()
{
    const CliRun toHar = runCli({ QStringLiteral("--convert"), path(QStringLiteral("session.jsonl")), path(QStringLiteral("out.har")) });
    QVERIFY2(toHar.exitCode == 0, qPrintable(toHar.describe()));
    QVERIFY2(toHar.out.contains("5 events written from"), toHar.out.constData());
    Capture fromHar;
    const HarReader::Result read = HarReader::load(path(QStringLiteral("out.har")), fromHar);
    QVERIFY2(read.ok(), qPrintable(read.errors.join(QLatin1Char('\n'))));
    QCOMPARE(jsonlLinesOf(fromHar), jsonlLinesOf(m_capture));
    QCOMPARE(read.header.url, QStringLiteral("ws://127.0.0.1:9001/ws"));

    const CliRun back = runCli({ QStringLiteral("--convert"), path(QStringLiteral("out.har")), path(QStringLiteral("back.jsonl")) });
    QVERIFY2(back.exitCode == 0, qPrintable(back.describe()));
    Capture again;
    QVERIFY(SessionFileReader::load(path(QStringLiteral("back.jsonl")), again).ok());
    QCOMPARE(jsonlLinesOf(again), jsonlLinesOf(m_capture));
}

void tst_CliConvert::otherNamesAreSessionFiles()
{
    // --capture writes whatever name it is given: a .log is a session file, and a HAR named
    // otherwise is told by its start.
    QVERIFY(QFile::copy(path(QStringLiteral("session.jsonl")), path(QStringLiteral("capture.log"))));
    const CliRun toHar = runCli({ QStringLiteral("--convert"), path(QStringLiteral("capture.log")), path(QStringLiteral("capture.har")) });
    QVERIFY2(toHar.exitCode == 0, qPrintable(toHar.describe()));
    QVERIFY(QFile::copy(path(QStringLiteral("capture.har")), path(QStringLiteral("capture.json"))));
    const CliRun back = runCli({ QStringLiteral("--convert"), path(QStringLiteral("capture.json")), path(QStringLiteral("capture.out")) });
    QVERIFY2(back.exitCode == 0, qPrintable(back.describe()));
    Capture again;
    QVERIFY(SessionFileReader::load(path(QStringLiteral("capture.out")), again).ok());
    QCOMPARE(jsonlLinesOf(again), jsonlLinesOf(m_capture));
}

void tst_CliConvert::sessionToPcapng()
{
    const CliRun run = runCli({ QStringLiteral("--convert"), path(QStringLiteral("session.jsonl")), path(QStringLiteral("out.PCAPNG")) });
    QVERIFY2(run.exitCode == 0, qPrintable(run.describe()));
    QFile f(path(QStringLiteral("out.PCAPNG")));
    QVERIFY(f.open(QIODevice::ReadOnly));
    QCOMPARE(f.read(4).toHex(), QByteArray("0a0d0d0a")); // a Section Header Block (tshark reads it: tst_pcapngwriter)
}

void tst_CliConvert::chromeHarToSession()
{
    writeFile(path(QStringLiteral("chrome.har")), ChromeHar);
    const CliRun run = runCli({ QStringLiteral("--convert"), path(QStringLiteral("chrome.har")), path(QStringLiteral("chrome.jsonl")) });
    QVERIFY2(run.exitCode == 0, qPrintable(run.describe()));
    Capture capture;
    const SessionFileReader::Result read = SessionFileReader::load(path(QStringLiteral("chrome.jsonl")), capture);
    QVERIFY2(read.ok(), qPrintable(read.errors.join(QLatin1Char('\n'))));
    QCOMPARE(read.header.url, QStringLiteral("ws://example.com/ws"));
    QCOMPARE(capture.count(), 6); // the note, the handshake, OPEN, two frames
    QCOMPARE(capture.event(4).payload, QByteArrayView("hi"));
    QCOMPARE(capture.event(4).direction, Direction::Outgoing);
    QCOMPARE(capture.event(5).direction, Direction::Incoming);
}

void tst_CliConvert::partlyBadHar()
{
    QByteArray bad = ChromeHar;
    bad.replace(R"({"type":"send","time":1795239000.2,"opcode":1,"data":"hi"})", R"({"type":"send","time":1795239000.2,"opcode":2,"data":"%%"})");
    writeFile(path(QStringLiteral("bad.har")), bad);
    const CliRun run = runCli({ QStringLiteral("--convert"), path(QStringLiteral("bad.har")), path(QStringLiteral("bad.jsonl")) });
    QVERIFY2(run.exitCode == 3, qPrintable(run.describe()));
    QVERIFY2(run.err.contains("entry 1, message 1: the data of a binary message (opcode 2) is not base64"), run.err.constData());
    QVERIFY2(run.out.contains("5 events written") && run.out.contains("(1 part skipped, named above)"), run.out.constData());
}

void tst_CliConvert::failures_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<int>("exitCode");
    QTest::addColumn<QString>("said"); // on standard error
    const QString session = path(QStringLiteral("session.jsonl"));
    QTest::newRow("not a session file") << QStringList { QStringLiteral("--convert"), path(QStringLiteral("notes.txt")), path(QStringLiteral("b.har")) }
                                        << 1 << "not valid JSON";
    QTest::newRow("pcapng in") << QStringList { QStringLiteral("--convert"), path(QStringLiteral("a.pcapng")), path(QStringLiteral("b.har")) }
                               << 2 << "pcapng is written, not read";
    QTest::newRow("one file") << QStringList { QStringLiteral("--convert"), session } << 2 << "--convert takes two files";
    QTest::newRow("with a URL") << QStringList { QStringLiteral("--convert"), session, path(QStringLiteral("b.har")), QStringLiteral("ws://h/") }
                                << 2 << "--convert takes nothing but its two files";
    QTest::newRow("missing input") << QStringList { QStringLiteral("--convert"), path(QStringLiteral("none.har")), path(QStringLiteral("b.jsonl")) }
                                   << 1 << "nothing read from";
    QTest::newRow("output not writable") << QStringList { QStringLiteral("--convert"), session, path(QStringLiteral("no/such/dir/b.har")) }
                                         << 1 << "cannot write";
}

void tst_CliConvert::failures()
{
    QFETCH(QStringList, args);
    QFETCH(int, exitCode);
    QFETCH(QString, said);
    const CliRun run = runCli(args);
    QVERIFY2(run.exitCode == exitCode, qPrintable(run.describe()));
    QVERIFY2(run.err.contains(said.toUtf8()), qPrintable(run.describe()));
}

QTEST_GUILESS_MAIN(tst_CliConvert)
#include "tst_cliconvert.moc"
