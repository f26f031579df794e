#include "eventfixtures.h"
#include "log/capture.h"
#include "log/messagelogfilter.h"
#include "log/messagelogmodel.h"
#include "log/protocoldecoding.h"
#include "messagerecorder.h"
#include "protocol/framewriter.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTest>

namespace {
// Test rows read better with plain literals; QT_NO_CAST_FROM_ASCII forbids them in QStringList.
QStringList strings(std::initializer_list<const char *> items)
{
    QStringList out;
    for (const char *item : items)
        out << QString::fromUtf8(item);
    return out;
}

QStringList previews(const QAbstractItemModel &model)
{
    QStringList out;
    for (int row = 0; row < model.rowCount(); ++row)
        out << model.index(row, MessageLogModel::PreviewColumn).data().toString();
    return out;
}
} // namespace

class tst_MessageLogFilter : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void init();
    void filters_data();
    void filters();
    void searchesWholePayloadNotPreview();
    void invalidRegexKeepsPreviousFilter();
    void newRowsAreFiltered();
    void largeLogIsSearchedInSlices();
    void newSearchDuringAScanWins();
    void searchesWhatMessagesMean();

private:
    Capture m_capture;
    MessageLogModel m_model;
};

void tst_MessageLogFilter::init()
{
    m_capture.clear();
    m_model.setCapture(&m_capture);
    recordFrame(m_capture, Direction::Outgoing, Opcode::Text, "Hello server");
    recordFrame(m_capture, Direction::Incoming, Opcode::Text, "Hello client");
    recordFrame(m_capture, Direction::Outgoing, Opcode::Ping, "p1");
    recordFrame(m_capture, Direction::Incoming, Opcode::Pong, "p1");
    recordFrame(m_capture, Direction::Incoming, Opcode::Binary, QByteArray::fromHex("c0ffee"));
    recordFrame(m_capture, Direction::Incoming, Opcode::Text, "{\"price\": 42}");
    m_model.flushPending();
}

void tst_MessageLogFilter::filters_data()
{
    QTest::addColumn<bool>("showIn");
    QTest::addColumn<bool>("showOut");
    QTest::addColumn<QStringList>("types");
    QTest::addColumn<QString>("search");
    QTest::addColumn<bool>("regex");
    QTest::addColumn<QStringList>("expected");

    const QStringList all = strings({ "Hello server", "Hello client", "p1", "p1", "c0 ff ee", "{\"price\": 42}" });
    QTest::newRow("everything") << true << true << QStringList() << QString() << false << all;
    QTest::newRow("incoming only") << true << false << QStringList() << QString() << false
                                   << strings({ "Hello client", "p1", "c0 ff ee", "{\"price\": 42}" });
    QTest::newRow("outgoing only") << false << true << QStringList() << QString() << false
                                   << strings({ "Hello server", "p1" });
    QTest::newRow("control frames") << true << true << strings({ "ping", "pong" }) << QString() << false
                                    << strings({ "p1", "p1" });
    QTest::newRow("text, case-insensitive") << true << true << QStringList() << "HELLO" << false
                                            << strings({ "Hello server", "Hello client" });
    QTest::newRow("regex") << true << true << QStringList() << "\"price\":\\s*\\d+" << true
                           << strings({ "{\"price\": 42}" });
    QTest::newRow("combined") << true << false << strings({ "text" }) << "hello" << false
                              << strings({ "Hello client" });
    QTest::newRow("non-ascii needle") << true << true << QStringList() << QString::fromUtf8("é") << false
                                      << QStringList();
}

void tst_MessageLogFilter::filters()
{
    QFETCH(bool, showIn);
    QFETCH(bool, showOut);
    QFETCH(QStringList, types);
    QFETCH(QString, search);
    QFETCH(bool, regex);
    QFETCH(QStringList, expected);

    MessageLogFilter filter;
    QAbstractItemModelTester tester(&filter, QAbstractItemModelTester::FailureReportingMode::QtTest);
    filter.setSourceModel(&m_model);
    filter.setDirectionVisible(int(Direction::Incoming), showIn);
    filter.setDirectionVisible(int(Direction::Outgoing), showOut);
    filter.setVisibleTypes(QSet<QString>(types.cbegin(), types.cend()));
    QVERIFY(filter.setSearch(search, regex ? MessageLogFilter::SearchMode::RegularExpression
                                           : MessageLogFilter::SearchMode::PlainText));
    QCOMPARE(previews(filter), expected);
}

void tst_MessageLogFilter::searchesWholePayloadNotPreview()
{
    // The needle sits far past what the preview shows.
    recordFrame(m_capture, Direction::Incoming, Opcode::Text, QByteArray(5000, 'a') + "needle");
    m_model.flushPending();
    MessageLogFilter filter;
    filter.setSourceModel(&m_model);
    QVERIFY(filter.setSearch(QStringLiteral("NEEDLE"), MessageLogFilter::SearchMode::PlainText));
    QCOMPARE(filter.rowCount(), 1);
    QVERIFY(!filter.index(0, MessageLogModel::PreviewColumn).data().toString().contains(QStringLiteral("needle")));
}

void tst_MessageLogFilter::invalidRegexKeepsPreviousFilter()
{
    MessageLogFilter filter;
    filter.setSourceModel(&m_model);
    QVERIFY(filter.setSearch(QStringLiteral("client"), MessageLogFilter::SearchMode::PlainText));
    QCOMPARE(filter.rowCount(), 1);
    QVERIFY(!filter.setSearch(QStringLiteral("(unclosed"), MessageLogFilter::SearchMode::RegularExpression));
    QVERIFY2(filter.searchError().contains(QStringLiteral("offset 9")), qPrintable(filter.searchError()));
    QCOMPARE(filter.rowCount(), 1);
}

void tst_MessageLogFilter::newRowsAreFiltered()
{
    MessageLogFilter filter;
    QAbstractItemModelTester tester(&filter, QAbstractItemModelTester::FailureReportingMode::QtTest);
    filter.setSourceModel(&m_model);
    filter.setVisibleTypes({ QStringLiteral("close") });
    QCOMPARE(filter.rowCount(), 0);
    recordFrame(m_capture, Direction::Incoming, Opcode::Text, "not shown");
    recordFrame(m_capture, Direction::Incoming, Opcode::Close, FrameWriter::closePayload(1000, {}));
    m_model.flushPending();
    QCOMPARE(filter.rowCount(), 1);
    QCOMPARE(previews(filter), QStringList { QStringLiteral("1000 Normal Closure") });
}

QTEST_GUILESS_MAIN(tst_MessageLogFilter)
#include "tst_messagelogfilter.moc"

// Above IncrementalRows the search runs in slices: the old filter stays until every row was looked
// at, then the new one applies at once; rows that arrive meanwhile are judged as they come.
void tst_MessageLogFilter::largeLogIsSearchedInSlices()
{
    const int rows = MessageLogFilter::IncrementalRows * 2;
    for (int i = 0; i < rows; ++i)
        recordFrame(m_capture, Direction::Incoming, Opcode::Text, i % 1000 == 7 ? "needle here" : "hay");
    m_model.flushPending();
    // No QAbstractItemModelTester here: it checks every row on each change (seconds at this size);
    // the small tests above attach it.
    MessageLogFilter filter;
    filter.setSourceModel(&m_model);
    QSignalSpy finished(&filter, &MessageLogFilter::searchFinished);
    QVERIFY(filter.setSearch(QStringLiteral("NEEDLE"), MessageLogFilter::SearchMode::PlainText));
    QVERIFY(filter.isSearching());
    QCOMPARE(filter.rowCount(), m_model.rowCount()); // the previous (empty) search is still in effect
    recordFrame(m_capture, Direction::Incoming, Opcode::Text, "late needle");
    recordFrame(m_capture, Direction::Incoming, Opcode::Text, "late hay");
    m_model.flushPending();
    QVERIFY(finished.wait(10'000));
    QVERIFY(!filter.isSearching());
    QCOMPARE(filter.rowCount(), rows / 1000 + 1);
    QCOMPARE(previews(filter).last(), QStringLiteral("late needle"));
    // Direction filters still combine with the computed verdicts.
    filter.setDirectionVisible(int(Direction::Incoming), false);
    QCOMPARE(filter.rowCount(), 0);
}

void tst_MessageLogFilter::newSearchDuringAScanWins()
{
    const int rows = MessageLogFilter::IncrementalRows * 2;
    for (int i = 0; i < rows; ++i)
        recordFrame(m_capture, Direction::Incoming, Opcode::Text, i == 5 ? "alpha" : i == 6 ? "beta" : "x");
    m_model.flushPending();
    MessageLogFilter filter;
    filter.setSourceModel(&m_model);
    QSignalSpy finished(&filter, &MessageLogFilter::searchFinished);
    QVERIFY(filter.setSearch(QStringLiteral("alpha"), MessageLogFilter::SearchMode::PlainText));
    QVERIFY(filter.setSearch(QStringLiteral("^b.t"), MessageLogFilter::SearchMode::RegularExpression));
    QVERIFY(finished.wait(10'000));
    QCOMPARE(finished.size(), 1);
    QCOMPARE(previews(filter), QStringList { QStringLiteral("beta") });
}

void tst_MessageLogFilter::searchesWhatMessagesMean()
{
    // MQTT-like binary bytes or a Socket.IO packet hold words that the payload search alone finds
    // only by luck; the decoded fields (the packet's type, the namespace) are searched too.
    Capture capture;
    MessageLogModel model;
    model.setCapture(&capture);
    MessageRecorder r(capture);
    r.handshake("GET /socket.io/?EIO=4 HTTP/1.1\r\nHost: x\r\n\r\n", "HTTP/1.1 101 Switching Protocols\r\n\r\n");
    const qsizetype ping = r.text(Direction::Incoming, "2");
    r.text(Direction::Outgoing, R"(42["chat message","hi"])");
    const qsizetype admin = r.text(Direction::Outgoing, R"(40/admin,)");
    model.flushPending();
    MessageLogFilter filter;
    QAbstractItemModelTester tester(&filter);
    filter.setSourceModel(&model);
    QVERIFY(filter.setSearch(QStringLiteral("namespace /admin"), MessageLogFilter::SearchMode::PlainText));
    QCOMPARE(filter.rowCount(), 0); // nothing decoded: the payload does not say "namespace"

    ProtocolDecoding decoding;
    decoding.setCapture(&capture);
    model.setDecoding(&decoding); // found by the URL: the search runs again over what messages mean
    QCOMPARE(filter.rowCount(), 1);
    QCOMPARE(filter.mapToSource(filter.index(0, 0)).row(), int(admin));
    QVERIFY(filter.setSearch(QStringLiteral("socket\\.io p[io]ng"), MessageLogFilter::SearchMode::RegularExpression));
    QCOMPARE(filter.rowCount(), 1);
    QCOMPARE(filter.mapToSource(filter.index(0, 0)).row(), int(ping));
}
