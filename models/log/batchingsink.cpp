#include "log/batchingsink.h"

#include <memory>

BatchingSink::BatchingSink(WireEventSink *target, QObject *context, QObject *parent)
    : QObject(parent)
    , m_target(target)
    , m_context(context)
{
}

BatchingSink::~BatchingSink()
{
    flush(); // what was recorded reaches the window even when the recorder goes first
}

void BatchingSink::record(const WireEvent &event)
{
    Stored stored;
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
    if (m_pending.events.empty() || !m_context)
        return;
    m_eventsSent += m_pending.events.size();
    ++m_batchesSent;
    // shared_ptr: a queued functor must be copyable; the batch itself is never copied.
    auto batch = std::make_shared<Batch>(std::move(m_pending));
    m_pending = Batch();
    m_pending.bytes.reserve(64 * 1024);
    WireEventSink *target = m_target;
    QMetaObject::invokeMethod(
        m_context, [target, batch] { deliver(target, *batch); }, Qt::QueuedConnection);
}

void BatchingSink::deliver(WireEventSink *target, const Batch &batch)
{
    const char *base = batch.bytes.constData();
    for (const Stored &stored : batch.events) {
        WireEvent e = stored.fields;
        e.header = QByteArrayView(base + stored.header, stored.payload - stored.header);
        e.payload = QByteArrayView(base + stored.payload, stored.inflated - stored.payload);
        e.inflated = QByteArrayView(base + stored.inflated, stored.end - stored.inflated);
        target->record(e);
    }
}
