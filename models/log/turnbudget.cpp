#include "log/turnbudget.h"

#include <QAbstractEventDispatcher>
#include <QPointer>
#include <QThread>

#include <algorithm>

namespace {

struct ThreadTurns {
    QPointer<QAbstractEventDispatcher> watched; // null again if it goes: a new one is watched anew
    quint64 turn = 0; // awake() signals seen
    quint64 spentInTurn = 0; // the turn `spent` belongs to
    qint64 spent = 0;
    bool counting = false; // a dispatcher tells the turns apart
};

thread_local ThreadTurns turns;

// Brings the thread's book up to its current turn.
ThreadTurns &current()
{
    ThreadTurns &t = turns;
    QAbstractEventDispatcher *dispatcher = QAbstractEventDispatcher::instance(QThread::currentThread());
    if (dispatcher && dispatcher != t.watched.data()) {
        t.watched = dispatcher;
        ThreadTurns *book = &t;
        QObject::connect(dispatcher, &QAbstractEventDispatcher::awake, dispatcher, [book] { ++book->turn; });
        ++t.turn;
    }
    // The dispatcher watched may have gone (the QPointer is then null): no loop to tell turns
    // apart, so every call is one.
    t.counting = !t.watched.isNull();
    if (!t.counting)
        ++t.turn;
    if (t.spentInTurn != t.turn) {
        t.spentInTurn = t.turn;
        t.spent = 0;
    }
    return t;
}

} // namespace

qint64 TurnBudget::sliceNs(qint64 capNs)
{
    const ThreadTurns &t = current();
    return std::clamp(TurnNs - t.spent, std::min(MinSliceNs, capNs), capNs);
}

void TurnBudget::spent(qint64 ns)
{
    ThreadTurns &t = turns;
    if (t.spentInTurn != t.turn || !t.counting) {
        current();
        if (!t.counting)
            return;
    }
    t.spent += ns;
}

qint64 TurnBudget::spentThisTurn()
{
    return current().spent;
}
