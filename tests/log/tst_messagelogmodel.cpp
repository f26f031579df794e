#include "log/capture.h"
#include "log/messagelogmodel.h"
#include "log/protocoldecoding.h"
#include "messagerecorder.h"
#include "protocol/framewriter.h"

#include <QElapsedTimer>
#include <QSortFilterProxyModel>
#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTest>

namespace {
// Records a frame as the engine would: exact header bytes plus unmasked payload.
void recordFrame(Capture &capture, Direction direction, quint8 opcode, const QByteArray &payload, bool fin = true,
                 quint8 rsv = 0, qint64 timeUs = 1'700'000'000'000'000)
{
    FrameSpec spec;
    spec.opcode = opcode;
    spec.fin = fin;
    spec.rsv = rsv;
    spec.mask = direction == Direction::Outgoing;
    spec.maskingKey = 0x37fa213d;
    spec.payload = payload;
    const EncodedFrame encoded = FrameWriter::encode(spec);
    WireEvent e;
    e.timeUs = timeUs;
    e.direction = direction;
    e.kind = EventKind::Frame;
    e.header = encoded.header();
    FrameHeader::decode(e.header, e.frame);
    e.payload = payload;
    capture.record(e);
}

void recordText(Capture &capture, EventKind kind, const QByteArray &text, qint64 timeUs = 1'700'000'000'000'000)
{
    WireEvent e;
    e.timeUs = timeUs;
    e.kind = kind;
    e.direction = kind == EventKind::HandshakeRequest ? Direction::Outgoing
        : kind == EventKind::HandshakeResponse       ? Direction::Incoming
                                                      : Direction::Local;
    e.payload = text;
    capture.record(e);
}

QString cell(const MessageLogModel &model, int row, int column)
{
    return model.data(model.index(row, column)).toString();
}
} // namespace

// A filter that takes about 20 µs a row while `slow`, as a costly regular expression might.
class SlowFilter : public QSortFilterProxyModel {
public:
    bool slow = true;

protected:
    bool filterAcceptsRow(int, const QModelIndex &) const override
    {
        QElapsedTimer spent;
        spent.start();
        while (slow && spent.nsecsElapsed() < 20'000) { }
        return true;
    }
};

class tst_MessageLogModel : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void appendsInOneBatch();
    void backlogInBoundedBatches();
    void costlyRowsComeInSmallerBatches();
    void columns_data();
    void columns();
    void controlFramesAndViolationsAreRows();
    void deltaColumn();
    void clearResets();
    void relayLegInDirectionColumn();
    void messageColumnDecodes();
};

void tst_MessageLogModel::appendsInOneBatch()
{
    Capture capture;
    MessageLogModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setCapture(&capture);
    QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);

    for (int i = 0; i < 4000; ++i)
        recordFrame(capture, Direction::Incoming, Opcode::Text, QByteArray::number(i));
    QCOMPARE(model.rowCount(), 0); // nothing until the batch tick
    QVERIFY(inserted.wait(1000));
    QCOMPARE(inserted.size(), 1);
    QCOMPARE(inserted.first().at(1).toInt(), 0);
    QCOMPARE(inserted.first().at(2).toInt(), 3999);
    QCOMPARE(model.rowCount(), 4000);

    // A later event gets a batch of its own.
    recordFrame(capture, Direction::Outgoing, Opcode::Text, "late");
    QVERIFY(inserted.wait(1000));
    QCOMPARE(inserted.size(), 2);
    QCOMPARE(model.rowCount(), 4001);
    QCOMPARE(cell(model, 4000, MessageLogModel::PreviewColumn), QStringLiteral("late"));
}

// A flood's backlog comes in batches, one per BatchIntervalMs, until every event is a row: the
// first of FirstBatchRows, the next sized by what the rows cost, never beyond MaxRowsPerBatch;
// flushPending() still takes in everything at once.
void tst_MessageLogModel::backlogInBoundedBatches()
{
    Capture capture;
    MessageLogModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setCapture(&capture);
    QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
    const int backlog = MessageLogModel::FirstBatchRows + 3 * MessageLogModel::MinRowsPerBatch + 100;
    for (int i = 0; i < backlog; ++i)
        recordFrame(capture, Direction::Incoming, Opcode::Text, QByteArray::number(i));
    QTRY_COMPARE(model.rowCount(), backlog);
    QVERIFY(inserted.size() >= 2);
    QCOMPARE(inserted.at(0).at(1).toInt(), 0);
    QCOMPARE(inserted.at(0).at(2).toInt(), MessageLogModel::FirstBatchRows - 1);
    for (qsizetype i = 1; i < inserted.size(); ++i) {
        QCOMPARE(inserted.at(i).at(1).toInt(), inserted.at(i - 1).at(2).toInt() + 1); // in order, no gap
        QVERIFY(inserted.at(i).at(2).toInt() - inserted.at(i).at(1).toInt() + 1 <= MessageLogModel::MaxRowsPerBatch);
    }
    QCOMPARE(inserted.last().at(2).toInt(), backlog - 1);
    QCOMPARE(cell(model, backlog - 1, MessageLogModel::PreviewColumn), QString::number(backlog - 1));

    for (int i = 0; i < backlog; ++i)
        recordFrame(capture, Direction::Incoming, Opcode::Text, "more");
    const qsizetype batches = inserted.size();
    model.flushPending();
    QCOMPARE(model.rowCount(), 2 * backlog);
    QCOMPARE(inserted.size(), batches + 1);
}

// Rows that cost more (a slow filter) come in smaller batches: the window's thread spends about
// BatchBudgetMs on each, not a flood's worth; when they are cheap again, batches grow back gradually.
void tst_MessageLogModel::costlyRowsComeInSmallerBatches()
{
    // About 20 µs a row: FirstBatchRows of them take far more than the budget.
    Capture capture;
    MessageLogModel model;
    SlowFilter filter;
    filter.setSourceModel(&model);
    model.setCapture(&capture);
    QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
    const int backlog = MessageLogModel::FirstBatchRows + 2 * MessageLogModel::MinRowsPerBatch;
    for (int i = 0; i < backlog; ++i)
        recordFrame(capture, Direction::Incoming, Opcode::Text, "x");
    QTRY_VERIFY(inserted.size() >= 2);
    QCOMPARE(inserted.at(0).at(2).toInt(), MessageLogModel::FirstBatchRows - 1);
    QCOMPARE(model.rowsPerBatch(), MessageLogModel::MinRowsPerBatch); // 6 ms / 20 µs = 300 rows, at least the minimum
    QCOMPARE(inserted.at(1).at(2).toInt() - inserted.at(1).at(1).toInt() + 1, MessageLogModel::MinRowsPerBatch);
    QTRY_COMPARE(model.rowCount(), backlog);

    // When rows become cheap again (the filter cleared, say), batches grow back at most twofold
    // from one to the next: one quick batch does not make the next a flood's worth.
    filter.slow = false;
    const qsizetype before = inserted.size();
    const int more = 300'000;
    for (int i = 0; i < more; ++i)
        recordFrame(capture, Direction::Incoming, Opcode::Text, "y");
    QTRY_COMPARE_WITH_TIMEOUT(model.rowCount(), backlog + more, 20'000);
    int last = MessageLogModel::MinRowsPerBatch;
    for (qsizetype i = before; i < inserted.size(); ++i) {
        const int rows = inserted.at(i).at(2).toInt() - inserted.at(i).at(1).toInt() + 1;
        QVERIFY2(rows <= 2 * last, qPrintable(QStringLiteral("a batch of %1 rows after one of %2").arg(rows).arg(last)));
        last = rows;
    }
    QVERIFY(inserted.size() - before >= 5); // 1024 doubling up to 300,000 takes several batches
}

void tst_MessageLogModel::columns_data()
{
    QTest::addColumn<int>("direction");
    QTest::addColumn<int>("opcode");
    QTest::addColumn<QByteArray>("payload");
    QTest::addColumn<bool>("fin");
    QTest::addColumn<int>("rsv");
    QTest::addColumn<QString>("type");
    QTest::addColumn<QString>("flags");
    QTest::addColumn<QString>("preview");

    QTest::newRow("text in") << int(Direction::Incoming) << int(Opcode::Text) << QByteArray("Hello") << true << 0
                             << "text" << "FIN" << "Hello";
    QTest::newRow("text out masked") << int(Direction::Outgoing) << int(Opcode::Text) << QByteArray("Hi") << true << 0
                                     << "text" << "FIN MASK" << "Hi";
    QTest::newRow("control chars escaped") << int(Direction::Incoming) << int(Opcode::Text) << QByteArray("a\nb\x01")
                                           << true << 0 << "text" << "FIN" << "a\\nb\\x01";
    // Trojan Source: what the peer sent must read as sent (an override and a zero-width space).
    QTest::newRow("bidi override escaped") << int(Direction::Incoming) << int(Opcode::Text)
                                           << QByteArray("abc\xe2\x80\xae" "def\xe2\x80\x8b") << true << 0 << "text"
                                           << "FIN" << "abc\\u202edef\\u200b";
    QTest::newRow("invalid UTF-8 as hex escapes") << int(Direction::Incoming) << int(Opcode::Text)
                                                  << QByteArray("ok\xc0\xaf") << true << 0 << "text" << "FIN"
                                                  << "ok\\xc0\\xaf";
    QTest::newRow("binary as hex") << int(Direction::Incoming) << int(Opcode::Binary) << QByteArray::fromHex("00ff10")
                                   << true << 0 << "binary" << "FIN" << "00 ff 10";
    QTest::newRow("first fragment") << int(Direction::Incoming) << int(Opcode::Text) << QByteArray("Hel") << false << 0
                                    << "text" << "·" << "Hel";
    QTest::newRow("continuation") << int(Direction::Incoming) << int(Opcode::Continuation) << QByteArray("lo") << true
                                  << 0 << "continuation" << "FIN" << "lo";
    QTest::newRow("rsv bits") << int(Direction::Incoming) << int(Opcode::Text) << QByteArray("x") << true << 5 << "text"
                              << "FIN RSV1 RSV3" << "x";
    QTest::newRow("ping") << int(Direction::Incoming) << int(Opcode::Ping) << QByteArray("are you there") << true << 0
                          << "ping" << "FIN" << "are you there";
    QTest::newRow("close with reason") << int(Direction::Incoming) << int(Opcode::Close)
                                       << FrameWriter::closePayload(1001, "bye") << true << 0 << "close" << "FIN"
                                       << "1001 Going Away: bye";
    QTest::newRow("close reason with override") << int(Direction::Incoming) << int(Opcode::Close)
                                                << FrameWriter::closePayload(1000, "\xe2\x80\xae" "evil") << true << 0
                                                << "close" << "FIN" << "1000 Normal Closure: \\u202eevil";
    QTest::newRow("close without code") << int(Direction::Incoming) << int(Opcode::Close) << QByteArray() << true << 0
                                        << "close" << "FIN" << "(no status code)";
    QTest::newRow("reserved opcode") << int(Direction::Incoming) << 3 << QByteArray() << true << 0 << "reserved-3"
                                     << "FIN" << "";
}

void tst_MessageLogModel::columns()
{
    QFETCH(int, direction);
    QFETCH(int, opcode);
    QFETCH(QByteArray, payload);
    QFETCH(bool, fin);
    QFETCH(int, rsv);
    QFETCH(QString, type);
    QFETCH(QString, flags);
    QFETCH(QString, preview);

    Capture capture;
    MessageLogModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setCapture(&capture);
    recordFrame(capture, Direction(direction), quint8(opcode), payload, fin, quint8(rsv));
    model.flushPending();
    QCOMPARE(model.rowCount(), 1);
    QCOMPARE(cell(model, 0, MessageLogModel::IndexColumn), QStringLiteral("1"));
    QCOMPARE(cell(model, 0, MessageLogModel::TypeColumn), type);
    QCOMPARE(cell(model, 0, MessageLogModel::FlagsColumn), flags);
    QCOMPARE(cell(model, 0, MessageLogModel::LengthColumn), QString::number(payload.size()));
    QCOMPARE(cell(model, 0, MessageLogModel::PreviewColumn), preview);
    QCOMPARE(cell(model, 0, MessageLogModel::DirectionColumn).endsWith(direction == 0 ? QStringLiteral("in") : QStringLiteral("out")), true);
    QCOMPARE(model.data(model.index(0, 0), MessageLogModel::PayloadRole).toByteArray(), payload);
    QCOMPARE(model.data(model.index(0, 0), MessageLogModel::OpcodeRole).toInt(), opcode);
}

void tst_MessageLogModel::controlFramesAndViolationsAreRows()
{
    Capture capture;
    MessageLogModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setCapture(&capture);
    recordText(capture, EventKind::HandshakeRequest, "GET / HTTP/1.1\r\nHost: x\r\n\r\n");
    recordText(capture, EventKind::HandshakeResponse, "HTTP/1.1 101 Switching Protocols\r\n\r\n");
    recordFrame(capture, Direction::Incoming, Opcode::Ping, "p");
    recordFrame(capture, Direction::Outgoing, Opcode::Pong, "p");
    WireEvent v;
    v.kind = EventKind::Violation;
    v.direction = Direction::Incoming;
    v.violation = ViolationRule::ReservedOpcode;
    v.closeCode = 1002;
    v.payload = "reserved opcode 3";
    capture.record(v);
    model.flushPending();

    QCOMPARE(model.rowCount(), 5);
    QCOMPARE(cell(model, 0, MessageLogModel::TypeColumn), QStringLiteral("handshake"));
    QCOMPARE(cell(model, 0, MessageLogModel::PreviewColumn), QStringLiteral("GET / HTTP/1.1"));
    QCOMPARE(cell(model, 1, MessageLogModel::PreviewColumn), QStringLiteral("HTTP/1.1 101 Switching Protocols"));
    QCOMPARE(model.data(model.index(2, 0), MessageLogModel::IsControlRole).toBool(), true);
    QCOMPARE(model.data(model.index(3, 0), MessageLogModel::IsControlRole).toBool(), true);
    QCOMPARE(model.data(model.index(4, 0), MessageLogModel::IsViolationRole).toBool(), true);
    QCOMPARE(model.data(model.index(2, 0), MessageLogModel::IsViolationRole).toBool(), false);
    QCOMPARE(cell(model, 4, MessageLogModel::PreviewColumn), QStringLiteral("reserved opcode 3"));
    QCOMPARE(cell(model, 4, MessageLogModel::LengthColumn), QString());
}

void tst_MessageLogModel::deltaColumn()
{
    Capture capture;
    MessageLogModel model;
    model.setCapture(&capture);
    const qint64 t0 = 1'700'000'000'000'000;
    recordFrame(capture, Direction::Incoming, Opcode::Text, "a", true, 0, t0);
    recordFrame(capture, Direction::Incoming, Opcode::Text, "b", true, 0, t0 + 250);
    recordFrame(capture, Direction::Incoming, Opcode::Text, "c", true, 0, t0 + 250 + 12'345);
    model.flushPending();
    QCOMPARE(cell(model, 0, MessageLogModel::DeltaColumn), QString());
    QCOMPARE(cell(model, 1, MessageLogModel::DeltaColumn), QStringLiteral("+250 µs"));
    QCOMPARE(cell(model, 2, MessageLogModel::DeltaColumn), QStringLiteral("+12.345 ms"));
    // Time column keeps microseconds.
    QVERIFY(cell(model, 1, MessageLogModel::TimeColumn).endsWith(QStringLiteral(".000250")));
}

void tst_MessageLogModel::clearResets()
{
    Capture capture;
    MessageLogModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setCapture(&capture);
    recordFrame(capture, Direction::Incoming, Opcode::Text, "a");
    model.flushPending();
    QCOMPARE(model.rowCount(), 1);
    QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
    capture.clear();
    QCOMPARE(reset.size(), 1);
    QCOMPARE(model.rowCount(), 0);
    recordFrame(capture, Direction::Incoming, Opcode::Text, "b");
    model.flushPending();
    QCOMPARE(model.rowCount(), 1);
    QCOMPARE(cell(model, 0, MessageLogModel::PreviewColumn), QStringLiteral("b"));
}

// A relay's rows name their leg before the direction, and say in a tool tip what it means.
void tst_MessageLogModel::relayLegInDirectionColumn()
{
    Capture capture;
    MessageLogModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setCapture(&capture);
    const QByteArray header = QByteArray::fromHex("8102");
    for (Leg leg : { Leg::App, Leg::Server, Leg::None }) {
        WireEvent e;
        e.kind = EventKind::Frame;
        e.direction = Direction::Incoming;
        e.leg = leg;
        e.header = header;
        FrameHeader::decode(header, e.frame);
        e.payload = "hi";
        capture.record(e);
    }
    model.flushPending();
    QCOMPARE(cell(model, 0, MessageLogModel::DirectionColumn), QStringLiteral("app \u2193"));
    QCOMPARE(cell(model, 1, MessageLogModel::DirectionColumn), QStringLiteral("server \u2193"));
    QCOMPARE(cell(model, 2, MessageLogModel::DirectionColumn), QStringLiteral("\u2193 in"));
    QCOMPARE(model.data(model.index(0, MessageLogModel::DirectionColumn), Qt::ToolTipRole).toString(),
        QStringLiteral("sent by the application; forwarded to the server unchanged"));
    QCOMPARE(model.data(model.index(1, 0), MessageLogModel::LegRole).toInt(), int(Leg::Server));
}

void tst_MessageLogModel::messageColumnDecodes()
{
    Capture capture;
    MessageLogModel model;
    QAbstractItemModelTester tester(&model);
    model.setCapture(&capture);
    MessageRecorder r(capture);
    r.handshake("GET /socket.io/?EIO=4&transport=websocket HTTP/1.1\r\nHost: x\r\n\r\n", "HTTP/1.1 101 Switching Protocols\r\n\r\n");
    const qsizetype ask = r.text(Direction::Outgoing, R"(421["ping with ack",1])");
    const qsizetype answer = r.text(Direction::Incoming, "431[\"\u202Ered\"]"); // a bidi override
    model.flushPending();
    QCOMPARE(model.headerData(MessageLogModel::MessageColumn, Qt::Horizontal).toString(), QStringLiteral("Message"));
    // No decoding given: the column is empty.
    QCOMPARE(model.index(int(ask), MessageLogModel::MessageColumn).data().toString(), QString());

    ProtocolDecoding decoding;
    decoding.setCapture(&capture);
    QSignalSpy reset(&model, &MessageLogModel::decodingReset);
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    model.setDecoding(&decoding);
    QCOMPARE(reset.count(), 1);
    decoding.flushPending();
    QCOMPARE(reset.count(), 2); // found from the URL: the column has something to show
    QVERIFY(!changed.isEmpty()); // the decoded rows are repainted
    const QModelIndex last = changed.last().at(1).toModelIndex();
    QCOMPARE(last.row(), int(answer));
    QCOMPARE(last.column(), int(MessageLogModel::MessageColumn));
    QCOMPARE(model.index(int(ask), MessageLogModel::MessageColumn).data().toString(),
             QStringLiteral(R"(Socket.IO event "ping with ack" [1] ack 1)"));
    // Peer text by the display rule; the tool tip adds the pairing.
    QCOMPARE(model.index(int(answer), MessageLogModel::MessageColumn).data().toString(), QStringLiteral(R"(Socket.IO ack 1 ["\u202ered"])"));
    const QString tip = model.index(int(ask), MessageLogModel::MessageColumn).data(Qt::ToolTipRole).toString();
    QVERIFY2(tip.contains(QStringLiteral("ack / 1: answered by #%1 in 1.00 ms").arg(answer + 1)), qPrintable(tip));
    QCOMPARE(model.index(0, MessageLogModel::MessageColumn).data().toString(), QString()); // the handshake
    QVERIFY(!model.index(0, MessageLogModel::MessageColumn).data(Qt::ToolTipRole).isValid());

    decoding.setChoice(ProtocolDecoding::Choice::fixed(Decode::Protocol::None));
    QCOMPARE(reset.count(), 3);
    QCOMPARE(model.index(int(ask), MessageLogModel::MessageColumn).data().toString(), QString());
}

QTEST_GUILESS_MAIN(tst_MessageLogModel)
#include "tst_messagelogmodel.moc"
