#include "log/batchingsink.h"

WireEvent WireEventBatch::event(size_t i) const
{
    const Stored &stored = events[i];
    const char *base = bytes.constData();
    WireEvent e = stored.fields;
    e.header = QByteArrayView(base + stored.header, stored.payload - stored.header);
    e.payload = QByteArrayView(base + stored.payload, stored.inflated - stored.payload);
    e.inflated = QByteArrayView(base + stored.inflated, stored.end - stored.inflated);
    return e;
}

BatchingSink::BatchingSink(BatchQueue *queue, QObject *parent)
    : QObject(parent)
    , m_queue(queue)
{
}

BatchingSink::~BatchingSink()
{
    flush(); // what was recorded reaches the window even when the recorder goes first
}

void BatchingSink::record(const WireEvent &event)
{
    WireEventBatch::Stored stored;
    stored.fields = event;
    stored.fields.header = {};
    stored.fields.payload = {};
    stored.fields.inflated = {};
    // Offsets, not views: the buffer may move while it grows.
    QByteArray &bytes = m_pending.bytes;
    stored.header = bytes.size();
    bytes.append(event.header.data(), event.header.size());
    stored.payload = bytes.size();
    bytes.append(event.payload.data(), event.payload.size());
    stored.inflated = bytes.size();
    bytes.append(event.inflated.data(), event.inflated.size());
    stored.end = bytes.size();
    m_pending.events.push_back(stored);

    if (m_pending.bytes.size() >= MaxBatchBytes || qsizetype(m_pending.events.size()) >= MaxBatchEvents) {
        flush();
        return;
    }
    if (!m_flushQueued) {
        m_flushQueued = true;
        // At the end of this turn: everything this turn read goes together.
        QMetaObject::invokeMethod(this, &BatchingSink::flush, Qt::QueuedConnection);
    }
}

void BatchingSink::flush()
{
    m_flushQueued = false;
    if (m_pending.events.empty() || !m_queue)
        return;
    m_eventsSent += m_pending.events.size();
    ++m_batchesSent;
    // shared_ptr: a queued functor must be copyable; the batch itself is never copied.
    auto batch = std::make_shared<const WireEventBatch>(std::move(m_pending));
    m_pending = WireEventBatch();
    m_pending.bytes.reserve(64 * 1024);
    BatchQueue *queue = m_queue;
    QMetaObject::invokeMethod(
        queue, [queue, batch] { queue->push(batch); }, Qt::QueuedConnection);
}

BatchQueue::BatchQueue(WireEventSink *target, QObject *parent)
    : QObject(parent)
    , m_target(target)
{
    m_drain.setSingleShot(true);
    m_drain.setInterval(0);
    connect(&m_drain, &QTimer::timeout, this, &BatchQueue::drainSlice);
}

void BatchQueue::push(std::shared_ptr<const WireEventBatch> batch)
{
    m_pendingEvents += qsizetype(batch->events.size());
    m_pendingBytes += batch->bytes.size();
    m_batches.push_back(std::move(batch));
    if (!m_drain.isActive())
        m_drain.start();
}

void BatchQueue::deliverNext()
{
    const WireEventBatch &batch = *m_batches.front();
    m_target->record(batch.event(m_next));
    --m_pendingEvents;
    if (++m_next == batch.events.size()) {
        m_pendingBytes -= batch.bytes.size();
        m_batches.pop_front();
        m_next = 0;
    }
}

void BatchQueue::drainSlice()
{
    QElapsedTimer slice;
    slice.start();
    // The clock is read every few events: reading it costs more than recording a small frame.
    for (int delivered = 0; !m_batches.empty() && delivered < SliceEvents && slice.elapsed() < SliceMs;) {
        for (int n = 0; n < 64 && !m_batches.empty(); ++n, ++delivered)
            deliverNext();
    }
    if (!m_batches.empty())
        m_drain.start();
}

void BatchQueue::drainAll()
{
    while (!m_batches.empty())
        deliverNext();
}
