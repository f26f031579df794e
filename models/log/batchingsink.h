#pragma once

#include "log/wireevent.h"

#include <QByteArray>
#include <QElapsedTimer>
#include <QObject>
#include <QPointer>
#include <QTimer>
#include <atomic>
#include <deque>
#include <memory>
#include <vector>

// Events recorded on one thread, copied together: one buffer for all their bytes, and their fields
// with offsets into it. What crosses from BatchingSink to BatchQueue.
struct WireEventBatch {
    struct Stored {
        WireEvent fields; // header, payload and inflated left empty: offsets below
        qsizetype header = 0;
        qsizetype payload = 0;
        qsizetype inflated = 0;
        qsizetype end = 0;
    };
    QByteArray bytes;
    std::vector<Stored> events;

    // Event `i` with its views into `bytes`.
    WireEvent event(size_t i) const;
};

class BatchQueue;

// Hands the events recorded on one thread (networking) to a sink on another (the window's
// captures), in batches: the events of one turn of the recording thread's event loop go together,
// copied once into one buffer, and cross in one queued call to a BatchQueue. A flood costs one
// cross-thread call per turn rather than one per event, and the recording thread never waits for
// the other.
//
// Lives on the recording thread (record() and flush() are called there only). If the queue goes,
// the batches still on their way are dropped with it.
class BatchingSink : public QObject, public WireEventSink {
    Q_OBJECT
public:
    BatchingSink(BatchQueue *queue, QObject *parent = nullptr);
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
    QPointer<BatchQueue> m_queue;
    WireEventBatch m_pending;
    bool m_flushQueued = false;
    quint64 m_eventsSent = 0;
    quint64 m_batchesSent = 0;
};

// The receiving end of BatchingSinks, on the window's thread: batches are queued as they arrive
// (cheap, whatever their size) and handed to `target` event by event, in order, in slices of at
// most SliceMs or SliceEvents per turn of the event loop. However fast a flood arrives, the window
// keeps painting and answering the user between slices; time stamps are the recording thread's.
class BatchQueue : public QObject {
    Q_OBJECT
public:
    static constexpr int SliceMs = 4;
    static constexpr int SliceEvents = 32768;

    explicit BatchQueue(WireEventSink *target, QObject *parent = nullptr);

    // Events waiting to be handed over, and their bytes (a window that falls behind shows here).
    qsizetype pendingEvents() const { return m_pendingEvents; }
    qsizetype pendingBytes() const { return m_pendingBytes; }
    // Hands over everything queued now (tests, and before the window saves a session).
    void drainAll();

private:
    friend class BatchingSink;
    void push(std::shared_ptr<const WireEventBatch> batch); // on this thread
    void drainSlice();
    void deliverNext();

    WireEventSink *m_target;
    std::deque<std::shared_ptr<const WireEventBatch>> m_batches;
    size_t m_next = 0; // in the front batch
    qsizetype m_pendingEvents = 0;
    qsizetype m_pendingBytes = 0;
    QTimer m_drain { this };
};
