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
    if (dispatcher != t.watched.data() || (dispatcher && !t.counting)) {
        t.watched = dispatcher;
        t.counting = dispatcher != nullptr;
        if (dispatcher) {
            ThreadTurns *book = &t;
            QObject::connect(dispatcher, &QAbstractEventDispatcher::awake, dispatcher, [book] { ++book->turn; });
        }
        ++t.turn;
    }
    if (!t.counting)
        ++t.turn; // no loop to tell turns apart: every call is one
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
