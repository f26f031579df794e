#pragma once

#include <QtGlobal>

// The time the window's batch handlers share in one turn of the event loop.
//
// Under a flood, several handlers are due in the same turn and Qt runs them back to back: the
// log's new rows, the protocol decoding pass, the timeline, a search's slices. Each kept its own
// budget (4 to 8 ms), so together, with the repaint after them, one turn took 25 to 35 ms
// (bench_gui --stall-report). Here they share one: each asks for a slice before it works and says
// what it spent after. A handler always gets a small slice, so none starves; what it leaves undone
// waits for the next turn, as before.
//
// A turn is told from the next by the event dispatcher's awake() signal, which Qt's dispatchers
// emit once per pass of the loop. Without an event dispatcher (a model driven by hand in a test)
// every call is a turn of its own: the handler gets its whole cap, as before this class.
// One thread's handlers share one budget; each thread has its own.
class TurnBudget {
public:
    // What the batch handlers of one turn may spend together: half a 16 ms frame, leaving the
    // other half to the repaint, the queued calls from the networking thread and input.
    static constexpr qint64 TurnNs = 8'000'000;
    // The least a handler gets, however much the others spent: enough for some progress.
    static constexpr qint64 MinSliceNs = 750'000;

    // How long the caller may work now: what is left of this turn's share, at least MinSliceNs,
    // at most `capNs` (the handler's own limit).
    static qint64 sliceNs(qint64 capNs);
    // The caller worked `ns` nanoseconds of this turn.
    static void spent(qint64 ns);
    // What the handlers spent in this turn so far (tests).
    static qint64 spentThisTurn();
};
