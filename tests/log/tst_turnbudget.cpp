// The time the window's batch handlers share in one turn of the event loop: a handler gets what
// the others left, never less than the minimum nor more than its own cap; the next turn starts
// afresh; a thread without an event loop gives every call its whole cap.

#include "log/turnbudget.h"

#include <QCoreApplication>
#include <QTest>
#include <QThread>
#include <QTimer>

#include <thread>

class tst_TurnBudget : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void handlersShareOneTurn();
    void theNextTurnStartsAfresh();
    void handlersDueTogetherShare();
    void withoutAnEventLoopEveryCallIsATurn();
};

namespace {
constexpr qint64 Ms = 1'000'000;
}

void tst_TurnBudget::handlersShareOneTurn()
{
    QCoreApplication::processEvents(); // a turn of its own
    QCOMPARE(TurnBudget::spentThisTurn(), 0);
    QCOMPARE(TurnBudget::sliceNs(5 * Ms), 5 * Ms); // its own cap, under the turn's share
    TurnBudget::spent(6 * Ms); // it overran
    QCOMPARE(TurnBudget::sliceNs(8 * Ms), TurnBudget::TurnNs - 6 * Ms);
    TurnBudget::spent(3 * Ms);
    QCOMPARE(TurnBudget::spentThisTurn(), 9 * Ms);
    QCOMPARE(TurnBudget::sliceNs(8 * Ms), TurnBudget::MinSliceNs); // nothing left: the least
    QCOMPARE(TurnBudget::sliceNs(Ms / 2), Ms / 2); // and never more than the cap
}

void tst_TurnBudget::theNextTurnStartsAfresh()
{
    TurnBudget::spent(7 * Ms);
    QVERIFY(TurnBudget::spentThisTurn() >= 7 * Ms);
    QCoreApplication::processEvents();
    QCOMPARE(TurnBudget::spentThisTurn(), 0);
    QCOMPARE(TurnBudget::sliceNs(8 * Ms), 8 * Ms);
}

void tst_TurnBudget::handlersDueTogetherShare()
{
    // Two handlers due at once run in one pass of the loop, as the log's and the decoding's timers
    // do under a flood; one due later gets a fresh turn.
    QList<qint64> slices;
    const auto handler = [&slices] {
        slices << TurnBudget::sliceNs(8 * Ms);
        TurnBudget::spent(5 * Ms);
    };
    QTimer first;
    QTimer second;
    for (QTimer *t : { &first, &second }) {
        t->setSingleShot(true);
        connect(t, &QTimer::timeout, this, handler);
    }
    first.start(1);
    second.start(1);
    QThread::msleep(5); // both are overdue when the loop next looks: one pass fires them both
    QTRY_COMPARE(slices.size(), 2);
    QTimer later;
    later.setSingleShot(true);
    connect(&later, &QTimer::timeout, this, handler);
    later.start(5);
    QTRY_COMPARE(slices.size(), 3);
    QCOMPARE(slices, QList<qint64>({ 8 * Ms, 3 * Ms, 8 * Ms }));
}

void tst_TurnBudget::withoutAnEventLoopEveryCallIsATurn()
{
    QList<qint64> slices;
    std::thread plain([&slices] {
        for (int i = 0; i < 3; ++i) {
            slices << TurnBudget::sliceNs(6 * Ms);
            TurnBudget::spent(7 * Ms);
        }
        slices << TurnBudget::spentThisTurn();
    });
    plain.join();
    QCOMPARE(slices, QList<qint64>({ 6 * Ms, 6 * Ms, 6 * Ms, 0 }));
}

QTEST_GUILESS_MAIN(tst_TurnBudget)
#include "tst_turnbudget.moc"
