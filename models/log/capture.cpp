#include "log/capture.h"

#include "log/capturememory.h"
#include "log/hugepages.h"

#include <algorithm>
#include <cstring>
#include <limits>

namespace {
// Small payloads share 4 MiB chunks; a payload larger than a quarter chunk gets a chunk of its own
// so that a 64 MiB message neither wastes nor splits a shared chunk.
constexpr quint64 SharedChunkSize = 4u << 20;
constexpr quint64 OwnChunkThreshold = SharedChunkSize / 4;
constexpr quint32 NoChunk = std::numeric_limits<quint32>::max();

template <typename T>
T loadRelaxed(T &value)
{
    return std::atomic_ref<T>(value).load(std::memory_order_relaxed);
}
template <typename T>
void storeRelaxed(T &value, T newValue)
{
    std::atomic_ref<T>(value).store(newValue, std::memory_order_relaxed);
}
}

// 56 bytes an event (static_assert below). The frame header is kept inline: its bytes say everything about the frame.
struct Capture::Record {
    qint64 timeUs;
    // A frame's payload is at most 4 GiB here: the connection's size limits stay far below that.
    quint32 length;
    quint32 inflatedLength; // stored right after the payload (permessage-deflate's final frames)
    quint32 chunk;
    quint32 offset;
    quint32 connectionId;
    quint32 messageId;
    quint16 closeCode;
    quint16 relayDelay; // WireEvent::relayDelayUs, packed by packRelayDelay()
    char header[14];
    quint8 headerSize;
    quint8 kind;
    quint8 violation;
    quint8 flags; // Flag::
    quint8 place; // direction, state and leg, two bits each (packPlace())

    Direction direction() const { return Direction(place & 3); }
    ReadyState state() const { return ReadyState((place >> 2) & 3); }
    Leg leg() const { return Leg((place >> 4) & 3); }
};

namespace {
namespace Flag {
    enum : quint8 { WasClean = 1, HasInflated = 2, Compressed = 4, PayloadDropped = 8 };
}
quint8 packPlace(Direction direction, ReadyState state, Leg leg)
{
    return quint8((quint8(direction) & 3) | (quint8(state) & 3) << 2 | (quint8(leg) & 3) << 4);
}

// 0: not relayed; 0xffff: held; 1..0x7fff: 0..32766 µs; 0x8000 + ms above that (up to 32766 ms).
constexpr quint16 NotRelayed = 0, Held = 0xffff, InMilliseconds = 0x8000;
quint16 packRelayDelay(qint32 us)
{
    if (us == WireEvent::RelayHeld)
        return Held;
    if (us < 0)
        return NotRelayed;
    if (us < InMilliseconds - 1)
        return quint16(us + 1);
    return quint16(InMilliseconds + std::min<qint32>((us + 999) / 1000, Held - InMilliseconds - 1));
}

qint32 unpackRelayDelay(quint16 packed)
{
    if (packed == NotRelayed)
        return WireEvent::NotRelayed;
    if (packed == Held)
        return WireEvent::RelayHeld;
    return packed < InMilliseconds ? qint32(packed) - 1 : qint32(packed - InMilliseconds) * 1000;
}

quint32 storedLength(qsizetype size)
{
    Q_ASSERT(quint64(size) <= std::numeric_limits<quint32>::max());
    return quint32(std::min<quint64>(quint64(size), std::numeric_limits<quint32>::max()));
}
} // namespace

Capture::Capture(QObject *parent)
    : QObject(parent)
{
    static_assert(sizeof(Record) <= 56, "the per-event bookkeeping budget (DESIGN.md)");
    forgetFirstOfKind();
}

Capture::~Capture()
{
    m_records.clear(); // while the memory its blocks came from is still here
    freeChunks();
}

void Capture::setMemory(std::shared_ptr<CaptureMemory> memory)
{
    Q_ASSERT(m_chunks.size() == 0 && m_records.size() == 0);
    if (m_chunks.size() != 0 || m_records.size() != 0)
        return;
    m_memory = std::move(memory);
    m_recordBlocks.memory = m_memory.get();
    m_records.setLargeBlockSource(m_memory ? &m_recordBlocks : nullptr);
}

void *Capture::RecordBlocks::take(std::size_t bytes)
{
    return memory->allocate(HugePages::roundUp(bytes), nullptr); // no drop notice: never dropped
}

void Capture::RecordBlocks::filled(void *block, std::size_t bytes)
{
    memory->seal(static_cast<char *>(block), 0, bytes);
}

void Capture::RecordBlocks::giveBack(void *block, std::size_t)
{
    memory->release(static_cast<char *>(block));
}

void Capture::setMemory(CaptureMemory *memory)
{
    setMemory(std::shared_ptr<CaptureMemory>(memory, [](CaptureMemory *) {}));
}

// nullptr when the capture holds as many chunks as it can (millions: far beyond any budget).
char *Capture::newChunk(quint64 size, bool budgeted)
{
    if (m_chunks.full())
        return nullptr;
    const auto index = m_chunks.size();
    char *data = nullptr;
    if (m_memory && budgeted)
        data = m_memory->allocate(size, [this, index] {
            // A sealed chunk: its payload count is final.
            storeRelaxed(m_chunks[index].dropped, true);
            m_droppedPayloads += m_chunks[index].payloads;
        });
    if (!data)
        data = new char[size];
    m_chunks.append() = { data, size, 0, false };
    m_chunkCapacityBytes += size;
    return data;
}

// The chunk takes no more payloads: under a budget it may leave memory from now on.
void Capture::sealChunk(qsizetype index, quint64 used)
{
    if (index >= 0 && index == m_sharedChunk)
        m_chunks[size_t(index)].payloads = m_sharedPayloads;
    if (m_memory && index >= 0)
        m_memory->seal(m_chunks[size_t(index)].data, m_chunks[size_t(index)].payloads, used);
}

void Capture::freeChunks()
{
    for (size_t i = 0; i < m_chunks.size(); ++i) {
        const Chunk &chunk = m_chunks[i];
        // A chunk the budget's memory could not give came from the heap.
        if (m_memory && m_memory->owns(chunk.data))
            m_memory->release(chunk.data);
        else
            delete[] chunk.data;
    }
    m_chunks.clear();
}

std::pair<quint32, quint32> Capture::store(QByteArrayView bytes, QByteArrayView more, bool budgeted)
{
    const auto size = quint64(bytes.size()) + quint64(more.size());
    if (size > OwnChunkThreshold) {
        char *data = newChunk(size, budgeted);
        if (!data)
            return { NoChunk, 0 };
        if (!bytes.isEmpty()) // memcpy from a null pointer is undefined even for 0 bytes
            std::memcpy(data, bytes.data(), bytes.size());
        if (!more.isEmpty())
            std::memcpy(data + bytes.size(), more.data(), more.size());
        const auto index = qsizetype(m_chunks.size() - 1);
        m_chunks[size_t(index)].payloads = 1;
        if (budgeted)
            sealChunk(index, size);
        return { quint32(index), 0 };
    }
    // Two chunks being filled: frames' payloads, which the budget may move or drop, and the
    // rest (handshakes, states, errors: small, and what explains the connection), which stays.
    qsizetype &current = budgeted ? m_sharedChunk : m_keptChunk;
    quint64 &used = budgeted ? m_sharedUsed : m_keptUsed;
    quint64 &present = budgeted ? m_sharedPresent : m_keptPresent;
    if (current < 0 || used + size > SharedChunkSize) {
        if (budgeted)
            sealChunk(current, used);
        if (!newChunk(SharedChunkSize, budgeted))
            return { NoChunk, 0 };
        current = qsizetype(m_chunks.size() - 1);
        used = 0;
        present = 0;
        if (budgeted)
            m_sharedPayloads = 0;
    }
    Chunk &shared = m_chunks[size_t(current)];
    if (used + size > present) {
        // Ahead of the writes, as much again as was written (up to 256 KiB): a busy connection
        // faults its chunk in a few calls, an idle one commits no more than it uses.
        const quint64 ahead = std::clamp<quint64>(used + size, 16 * 1024, 256 * 1024);
        const quint64 end = std::min<quint64>(SharedChunkSize, used + size + ahead);
        CaptureMemory::prefault(shared.data + present, end - present);
        present = end;
    }
    const auto offset = quint32(used);
    if (!bytes.isEmpty())
        std::memcpy(shared.data + offset, bytes.data(), bytes.size());
    if (!more.isEmpty())
        std::memcpy(shared.data + offset + bytes.size(), more.data(), more.size());
    if (budgeted)
        ++m_sharedPayloads;
    used += size;
    return { quint32(current), offset };
}

void Capture::sealOpenChunk()
{
    if (m_sharedChunk < 0)
        return;
    sealChunk(m_sharedChunk, m_sharedUsed);
    m_sharedChunk = -1; // the next frame starts a new chunk
}

void Capture::record(const WireEvent &event)
{
    write(event);
    m_count = qsizetype(m_records.size());
    m_published.store(m_count, std::memory_order_relaxed);
    m_payloadBytes.store(m_writtenPayloadBytes, std::memory_order_relaxed);
    if (!m_growthPending) {
        m_growthPending = true;
        QMetaObject::invokeMethod(this, &Capture::announceGrowth, Qt::QueuedConnection);
    }
}

void Capture::write(const WireEvent &event)
{
    if (m_records.full()) {
        // A billion events: the oldest stay, the newest are not kept (the first time is logged).
        if (!std::exchange(m_full, true))
            qWarning("wsinspector: a capture is full (%zu events); later events are not kept", m_records.size());
        return;
    }
    const qsizetype index = qsizetype(m_records.size());
    Record r {};
    r.timeUs = event.timeUs;
    r.length = storedLength(event.payload.size());
    r.inflatedLength = event.hasInflated ? storedLength(event.inflated.size()) : 0;
    r.connectionId = event.connectionId;
    r.messageId = event.messageId;
    r.closeCode = event.closeCode;
    r.headerSize = quint8(std::min<qsizetype>(event.header.size(), qsizetype(sizeof(r.header))));
    if (r.headerSize)
        std::memcpy(r.header, event.header.data(), r.headerSize);
    r.kind = quint8(event.kind);
    r.place = packPlace(event.direction, event.state, event.leg);
    r.violation = quint8(event.violation);
    r.relayDelay = packRelayDelay(event.relayDelayUs);
    r.flags = (event.wasClean ? Flag::WasClean : 0) | (event.hasInflated ? Flag::HasInflated : 0)
        | (event.compressed ? Flag::Compressed : 0) | (event.payloadDropped ? Flag::PayloadDropped : 0);
    if (r.length + quint64(r.inflatedLength) > 0) {
        const auto [chunk, offset] = store(
            event.payload.first(r.length), event.inflated.first(r.inflatedLength), event.kind == EventKind::Frame);
        if (chunk == NoChunk) {
            r.length = r.inflatedLength = 0;
            r.flags |= Flag::PayloadDropped;
        } else {
            r.chunk = chunk;
            r.offset = offset;
            m_writtenPayloadBytes += r.length + quint64(r.inflatedLength);
        }
    }
    if (event.kind == EventKind::Frame && event.messageId && event.direction != Direction::Local)
        noteMessageFrame(event.leg, event.direction, event.messageId, index);
    std::atomic<qsizetype> &first = m_firstOfKind[int(r.leg()) % 3][r.kind % EventKindCount];
    if (first.load(std::memory_order_relaxed) < 0)
        first.store(index, std::memory_order_relaxed);
    if (m_firstOfAnyLeg[r.kind % EventKindCount].load(std::memory_order_relaxed) < 0)
        m_firstOfAnyLeg[r.kind % EventKindCount].store(index, std::memory_order_relaxed);
    m_records.append([](Record *block, size_t size) { CaptureMemory::prefault(block, size * sizeof(Record)); }) = r;
    // Its last frames are in: their chunk may leave memory like the others under the budget.
    if (event.kind == EventKind::StateChange && event.state == ReadyState::Closed)
        sealOpenChunk();
}

void Capture::publish()
{
    m_payloadBytes.store(m_writtenPayloadBytes, std::memory_order_relaxed);
    m_published.store(qsizetype(m_records.size()), std::memory_order_release);
    if (!m_publishNoticed.exchange(true))
        QMetaObject::invokeMethod(this, &Capture::takePublished, Qt::QueuedConnection);
}

void Capture::takePublished()
{
    // acq_rel: a publication after this reset queues a new notice; one before it is read below.
    m_publishNoticed.exchange(false, std::memory_order_acq_rel);
    const qsizetype published = m_published.load(std::memory_order_acquire);
    if (published > m_count) {
        m_count = published;
        Q_EMIT grown();
    }
}

void Capture::announceGrowth()
{
    m_growthPending = false;
    Q_EMIT grown();
}

WireEvent Capture::event(qsizetype index) const
{
    Q_ASSERT(index >= 0 && index < count());
    const Record &r = m_records[size_t(index)];
    WireEvent e;
    e.timeUs = r.timeUs;
    e.connectionId = r.connectionId;
    e.direction = r.direction();
    e.leg = r.leg();
    e.kind = EventKind(r.kind);
    e.header = QByteArrayView(r.header, r.headerSize);
    if (r.headerSize)
        FrameHeader::decode(e.header, e.frame);
    // Dropped here (the budget), or before it was saved to the file it was read from.
    const bool dropped = (r.flags & Flag::PayloadDropped)
        || (r.length + quint64(r.inflatedLength) > 0 && loadRelaxed(m_chunks[r.chunk].dropped));
    if (dropped)
        e.payloadDropped = true; // to stay within the memory budget: shown as such, never as empty
    else if (r.length > 0)
        e.payload = QByteArrayView(m_chunks[r.chunk].data + r.offset, qsizetype(r.length));
    if (r.flags & Flag::HasInflated) {
        e.hasInflated = true;
        e.inflated = r.inflatedLength > 0 && !dropped
            ? QByteArrayView(m_chunks[r.chunk].data + r.offset + r.length, qsizetype(r.inflatedLength))
            : QByteArrayView("", 0);
    }
    e.violation = ViolationRule(r.violation);
    e.closeCode = r.closeCode;
    e.messageId = r.messageId;
    e.state = r.state();
    e.relayDelayUs = unpackRelayDelay(r.relayDelay);
    e.wasClean = (r.flags & Flag::WasClean) != 0;
    e.compressed = (r.flags & Flag::Compressed) != 0;
    return e;
}

int Capture::messageIndexSlot(Leg leg, Direction direction)
{
    // Message ids count per direction and, on a relay, per leg.
    return (leg == Leg::Server ? 2 : 0) + (int(direction) & 1);
}

void Capture::noteMessageFrame(Leg leg, Direction direction, quint32 messageId, qsizetype index)
{
    MessageIndex &messages = m_messages[messageIndexSlot(leg, direction)];
    const quint32 base = messages.base.load(std::memory_order_relaxed);
    if (messageId <= base)
        return; // began before clear(): its first frame is gone
    const quint64 slot = quint64(messageId) - base - 1;
    const size_t spans = messages.spans.size();
    if (slot < spans) {
        storeRelaxed(messages.spans[slot].last, quint32(index));
        return;
    }
    if (slot != spans && spans != 0)
        return; // any other gap would mean ids out of order: such a frame shows on its own
    if (messages.spans.full())
        return;
    // A new message; or the first seen since clear() (or in a capture that starts mid-connection).
    if (slot != spans)
        messages.base.store(messageId - 1, std::memory_order_relaxed);
    messages.spans.append() = { quint32(index), quint32(index) };
    messages.spanCount.store(quint32(spans + 1), std::memory_order_relaxed);
}

const Capture::MessageSpan *Capture::messageSpan(Leg leg, Direction direction, quint32 messageId) const
{
    const MessageIndex &messages = m_messages[messageIndexSlot(leg, direction)];
    const quint32 base = messages.base.load(std::memory_order_relaxed);
    if (messageId <= base || quint64(messageId) - base > messages.spanCount.load(std::memory_order_relaxed))
        return nullptr;
    return &messages.spans[messageId - base - 1];
}

Capture::Message Capture::message(qsizetype index) const
{
    const WireEvent e = event(index);
    Message m;
    m.opcode = e.frame.opcode;
    m.frames = 1;
    m.complete = true;
    const MessageSpan *span = e.kind == EventKind::Frame && e.messageId && e.direction != Direction::Local
        ? messageSpan(e.leg, e.direction, e.messageId)
        : nullptr;
    // The writer may have added frames this thread cannot see yet: the message ends at the last seen.
    const qsizetype lastFrame
        = span ? std::min<qsizetype>(loadRelaxed(const_cast<MessageSpan *>(span)->last), m_count - 1) : index;
    if (!span || (qsizetype(span->first) == lastFrame && e.frame.fin)) {
        m.compressed = e.compressed;
        m.dropped = e.payloadDropped;
        setPayloads(m, QByteArray::fromRawData(e.payload.data(), e.payload.size()), e);
        return m;
    }
    // From the first frame to the latest, never beyond: other directions and control frames in between.
    const WireEvent first = event(span->first);
    m.opcode = first.frame.opcode;
    m.compressed = first.compressed;
    m.frames = 0;
    QByteArray wire;
    WireEvent last;
    for (qsizetype i = span->first; i <= lastFrame; ++i) {
        const WireEvent f = event(i);
        if (f.kind != EventKind::Frame || f.direction != e.direction || f.leg != e.leg || f.messageId != e.messageId
            || f.connectionId != e.connectionId)
            continue;
        wire += f.payload;
        m.dropped = m.dropped || f.payloadDropped;
        ++m.frames;
        m.complete = f.frame.fin;
        last = f;
    }
    setPayloads(m, std::move(wire), last);
    return m;
}

// A compressed message that inflated is shown inflated, its wire bytes kept beside; any other
// message is its wire bytes.
void Capture::setPayloads(Message &m, QByteArray wire, const WireEvent &last)
{
    if (m.compressed && last.hasInflated) {
        m.inflated = true;
        m.payload = QByteArray::fromRawData(last.inflated.data(), last.inflated.size());
        m.wire = std::move(wire);
    } else {
        m.payload = std::move(wire);
    }
}

// The writer's index may be one this thread cannot see yet.
qsizetype Capture::firstOfKind(EventKind kind) const
{
    const qsizetype index = m_firstOfAnyLeg[int(kind) % EventKindCount].load(std::memory_order_relaxed);
    return index < m_count ? index : -1;
}

qsizetype Capture::firstOfKind(EventKind kind, Leg leg) const
{
    const qsizetype index = m_firstOfKind[int(leg) % 3][int(kind) % EventKindCount].load(std::memory_order_relaxed);
    return index < m_count ? index : -1;
}

void Capture::forgetFirstOfKind()
{
    for (auto &firstOfKind : m_firstOfKind)
        for (std::atomic<qsizetype> &first : firstOfKind)
            first.store(-1, std::memory_order_relaxed);
    for (std::atomic<qsizetype> &first : m_firstOfAnyLeg)
        first.store(-1, std::memory_order_relaxed);
}

// Approximate while a writer on another thread is busy (the bench asks once it is done).
quint64 Capture::overheadBytes() const
{
    quint64 spans = 0;
    for (const MessageIndex &messages : m_messages)
        spans += messages.spanCount.load(std::memory_order_relaxed);
    return quint64(m_records.reservedBytes()) + spans * sizeof(MessageSpan) + (m_chunkCapacityBytes - m_payloadBytes)
        + quint64(m_chunks.reservedBytes());
}

void Capture::clear()
{
    {
        const QMutexLocker writing(&m_writing); // a writer elsewhere is between two turns
        // Everything written so far is visible while aboutToClear() is heard, then forgotten: who
        // follows the events (a session's state, its counters) misses none of them.
        m_count = std::max(m_count, m_published.load(std::memory_order_acquire));
        Q_EMIT aboutToClear();
        forget();
    }
    Q_EMIT cleared();
}

void Capture::forget()
{
    m_records.clear();
    m_count = 0;
    m_published.store(0);
    m_full = false;
    freeChunks();
    m_droppedPayloads = 0;
    m_sharedChunk = -1;
    m_keptChunk = -1;
    m_keptUsed = 0;
    m_sharedUsed = 0;
    m_keptPresent = 0;
    m_sharedPresent = 0;
    m_payloadBytes = 0;
    m_writtenPayloadBytes = 0;
    m_sharedPayloads = 0;
    m_chunkCapacityBytes = 0;
    for (MessageIndex &messages : m_messages) {
        messages.base += quint32(messages.spans.size());
        messages.spans.clear();
        messages.spanCount.store(0);
    }
    forgetFirstOfKind();
}
