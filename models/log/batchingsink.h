#pragma once

#include "log/wireevent.h"

#include <QByteArray>
#include <QObject>
#include <QPointer>
#include <vector>

// Hands the events recorded on one thread (networking) to a sink on another (the window's
// captures), in batches: the events of one turn of the recording thread's event loop go together,
// copied once into one buffer, and cross in one queued call. A flood costs one cross-thread call
// per turn rather than one per event, and the recording thread never waits for the other.
//
// Lives on the recording thread (record() and flush() are called there only); `target` is called
// on `context`'s thread, in order, with every event as it was recorded (time stamps included:
// they are taken when the bytes are read, not when the window gets them). If `context` goes, the
// batches still on their way are dropped with it.
class BatchingSink : public QObject, public WireEventSink {
    Q_OBJECT
public:
    BatchingSink(WireEventSink *target, QObject *context, QObject *parent = nullptr);
    ~BatchingSink() override;

    void record(const WireEvent &event) override;
    // Sends what is pending now rather than at the end of this turn (before the thread stops, say).
    void flush();

    quint64 eventsSent() const { return m_eventsSent; }
    quint64 batchesSent() const { return m_batchesSent; }

    // A batch is sent early once it holds this many bytes or events: a turn that reads a flood
    // must not build one huge copy before the window sees any of it.
    static constexpr qsizetype MaxBatchBytes = 4 << 20;
    static constexpr qsizetype MaxBatchEvents = 8192;

private:
    struct Stored {
        WireEvent fields; // header, payload and inflated left empty: offsets below
        qsizetype header = 0;
        qsizetype payload = 0;
        qsizetype inflated = 0;
        qsizetype end = 0;
    };
    struct Batch {
        QByteArray bytes;
        std::vector<Stored> events;
    };
    static void deliver(WireEventSink *target, const Batch &batch);

    WireEventSink *m_target;
    QPointer<QObject> m_context;
    Batch m_pending;
    bool m_flushQueued = false;
    quint64 m_eventsSent = 0;
    quint64 m_batchesSent = 0;
};
