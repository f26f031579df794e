// Events recorded on a networking thread reach a capture on the main thread byte for byte, in
// order, with their time stamps, in batches (one cross-thread call per turn, not per event), and
// a single event arrives without waiting for more.

#include "log/batchingsink.h"
#include "log/capture.h"

#include <QScopeGuard>
#include <QSignalSpy>
#include <QTest>
#include <QThread>

namespace {
QByteArray payloadFor(int i)
{
    return QByteArray::number(i).repeated(1 + i % 7) + QByteArray(i % 300, char('a' + i % 26));
}

// Records on its own thread, the way a relay would: `perTurn` events per event-loop turn.
class Recorder : public QObject {
public:
    explicit Recorder(BatchQueue *queue)
        : sink(queue, this)
    {
    }
    void run(int count, int perTurn)
    {
        for (int n = 0; n < perTurn && m_next < count; ++n, ++m_next) {
            const QByteArray payload = payloadFor(m_next);
            const QByteArray inflated = m_next % 5 == 0 ? payload.toUpper() : QByteArray();
            WireEvent e;
            e.timeUs = 1'000'000 + m_next;
            e.connectionId = 3;
            e.leg = m_next % 2 ? Leg::App : Leg::Server;
            e.kind = EventKind::Frame;
            e.direction = Direction::Incoming;
            const QByteArray header = QByteArray::fromHex("82") + char(qMin<qsizetype>(payload.size(), 125));
            e.header = header;
            e.payload = payload;
            e.hasInflated = !inflated.isEmpty();
            e.inflated = inflated;
            e.messageId = quint32(m_next + 1);
            sink.record(e);
        }
        if (m_next < count)
            QMetaObject::invokeMethod(
                this, [this, count, perTurn] { run(count, perTurn); }, Qt::QueuedConnection);
    }
    BatchingSink sink;

private:
    int m_next = 0;
};
} // namespace

class tst_BatchingSink : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void floodCrossesInBatches();
    void singleEventArrivesAlone();
    void backlogIsHandedOverInSlices();
};

void tst_BatchingSink::floodCrossesInBatches()
{
    Capture capture;
    BatchQueue queue(&capture);
    QThread thread;
    auto *recorder = new Recorder(&queue);
    recorder->moveToThread(&thread);
    connect(&thread, &QThread::finished, recorder, &QObject::deleteLater);
    thread.start();
    constexpr int Count = 60'000;
    QMetaObject::invokeMethod(
        recorder, [recorder] { recorder->run(Count, 500); }, Qt::QueuedConnection);
    QTRY_COMPARE_WITH_TIMEOUT(capture.count(), Count, 30'000);
    quint64 batches = 0;
    QMetaObject::invokeMethod(
        recorder, [recorder, &batches] { batches = recorder->sink.batchesSent(); }, Qt::BlockingQueuedConnection);
    thread.quit();
    QVERIFY(thread.wait(10'000));
    // One batch a turn: 120 turns of 500 events, never one call per event.
    QVERIFY2(batches >= 100 && batches <= 200, qPrintable(QString::number(batches)));
    for (int i : { 0, 1, 4, 5, 299, 12'345, Count - 1 }) {
        const WireEvent e = capture.event(i);
        QCOMPARE(e.timeUs, qint64(1'000'000 + i));
        QCOMPARE(e.leg, i % 2 ? Leg::App : Leg::Server);
        QCOMPARE(e.payload.toByteArray(), payloadFor(i));
        QCOMPARE(e.hasInflated, i % 5 == 0);
        if (e.hasInflated)
            QCOMPARE(e.inflated.toByteArray(), payloadFor(i).toUpper());
        QCOMPARE(e.header.size(), 2);
        QCOMPARE(e.frame.opcode, quint8(2));
        QCOMPARE(e.messageId, quint32(i + 1));
    }
}

void tst_BatchingSink::singleEventArrivesAlone()
{
    Capture capture;
    BatchQueue queue(&capture);
    QSignalSpy grown(&capture, &Capture::grown);
    QThread thread;
    auto *recorder = new Recorder(&queue);
    recorder->moveToThread(&thread);
    connect(&thread, &QThread::finished, recorder, &QObject::deleteLater);
    thread.start();
    QMetaObject::invokeMethod(
        recorder, [recorder] { recorder->run(1, 1); }, Qt::QueuedConnection);
    QVERIFY(grown.wait(5'000)); // no waiting for a batch to fill
    QCOMPARE(capture.count(), 1);
    QCOMPARE(capture.event(0).payload.toByteArray(), payloadFor(0));
    thread.quit();
    QVERIFY(thread.wait(10'000));
}

// A backlog far bigger than one slice (the window fell behind a flood) is handed over in turns of
// the event loop: something queued for the window meanwhile runs before the backlog is worked off,
// and every event still arrives, in order.
void tst_BatchingSink::backlogIsHandedOverInSlices()
{
    // On the first event it gets, the target queues a note for the window's thread: it runs
    // between two slices, and says how much had been handed over by then.
    struct Counting : WireEventSink {
        QObject *window = nullptr;
        QList<qint64> times;
        qsizetype deliveredWhenTheWindowRan = -1;
        void record(const WireEvent &event) override
        {
            times << event.timeUs;
            if (times.size() == 1)
                QMetaObject::invokeMethod(
                    window, [this] { deliveredWhenTheWindowRan = times.size(); }, Qt::QueuedConnection);
        }
    } target;
    BatchQueue queue(&target);
    target.window = &queue;
    QThread thread;
    auto *recorder = new Recorder(&queue);
    recorder->moveToThread(&thread);
    connect(&thread, &QThread::finished, recorder, &QObject::deleteLater);
    thread.start();
    const auto stop = qScopeGuard([&] {
        thread.quit();
        thread.wait();
    });
    constexpr int Count = 400'000; // many slices: SliceEvents bounds one when the clock does not
    // All of it recorded before the window looks: one backlog of 49 full batches.
    QMetaObject::invokeMethod(recorder, [recorder] { recorder->run(Count, Count); }, Qt::BlockingQueuedConnection);
    QMetaObject::invokeMethod(recorder, [recorder] { recorder->sink.flush(); }, Qt::BlockingQueuedConnection);
    QTRY_COMPARE_WITH_TIMEOUT(target.times.size(), Count, 30'000);
    QVERIFY2(target.deliveredWhenTheWindowRan > 0 && target.deliveredWhenTheWindowRan < Count,
        qPrintable(QString::number(target.deliveredWhenTheWindowRan)));
    QCOMPARE(queue.pendingEvents(), 0);
    QCOMPARE(queue.pendingBytes(), 0);
    for (int i = 0; i < Count; i += 997)
        QCOMPARE(target.times.at(i), qint64(1'000'000 + i));
}

QTEST_GUILESS_MAIN(tst_BatchingSink)
#include "tst_batchingsink.moc"
