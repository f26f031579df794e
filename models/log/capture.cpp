#include "log/capture.h"

#include "log/capturememory.h"

#include <algorithm>
#include <cstring>
#include <limits>

namespace {
// Small payloads share 4 MiB chunks; a payload larger than a quarter chunk gets a chunk of its own
// so that a 64 MiB message neither wastes nor splits a shared chunk.
constexpr quint64 SharedChunkSize = 4u << 20;
constexpr quint64 OwnChunkThreshold = SharedChunkSize / 4;
constexpr qsizetype RecordsPerBlock = 16384;
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
}

Capture::~Capture()
{
    freeChunks();
}

void Capture::setMemory(CaptureMemory *memory)
{
    Q_ASSERT(m_chunks.empty());
    if (m_chunks.empty())
        m_memory = memory;
}

char *Capture::newChunk(quint64 size, bool budgeted)
{
    const auto index = m_chunks.size();
    char *data = nullptr;
    if (m_memory && budgeted)
        data = m_memory->allocate(size, [this, index] {
            m_chunks[index].dropped = true;
            m_droppedPayloads += m_chunks[index].payloads;
        });
    if (!data)
        data = new char[size];
    m_chunks.push_back({ data, size, 0, false });
    m_chunkCapacityBytes += size;
    return data;
}

// The chunk takes no more payloads: under a budget it may leave memory from now on.
void Capture::sealChunk(qsizetype index, quint64 used)
{
    if (m_memory && index >= 0)
        m_memory->seal(m_chunks[size_t(index)].data, m_chunks[size_t(index)].payloads, used);
}

void Capture::freeChunks()
{
    for (const Chunk &chunk : m_chunks) {
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
        if (!bytes.isEmpty()) // memcpy from a null pointer is undefined even for 0 bytes
            std::memcpy(data, bytes.data(), bytes.size());
        if (!more.isEmpty())
            std::memcpy(data + bytes.size(), more.data(), more.size());
        const auto index = qsizetype(m_chunks.size() - 1);
        m_chunks.back().payloads = 1;
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
        newChunk(SharedChunkSize, budgeted);
        current = qsizetype(m_chunks.size() - 1);
        used = 0;
        present = 0;
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
    ++shared.payloads;
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
        r.chunk = chunk;
        r.offset = offset;
        m_payloadBytes += r.length + quint64(r.inflatedLength);
    }
    if (event.kind == EventKind::Frame && event.messageId && event.direction != Direction::Local)
        noteMessageFrame(event.leg, event.direction, event.messageId, m_count);
    qsizetype &first = m_firstOfKind[int(r.leg()) % 3][r.kind & 7];
    if (first < 0)
        first = m_count;
    if (m_firstOfAnyLeg[r.kind & 7] < 0)
        m_firstOfAnyLeg[r.kind & 7] = m_count;
    if (m_count % RecordsPerBlock == 0) {
        m_recordBlocks.emplace_back(new Record[RecordsPerBlock]);
        CaptureMemory::prefault(m_recordBlocks.back().get(), RecordsPerBlock * sizeof(Record));
    }
    m_recordBlocks.back()[m_count % RecordsPerBlock] = r;
    ++m_count;
    if (!m_growthPending) {
        m_growthPending = true;
        QMetaObject::invokeMethod(this, &Capture::announceGrowth, Qt::QueuedConnection);
    }
}

void Capture::announceGrowth()
{
    m_growthPending = false;
    Q_EMIT grown();
}

Capture::Record &Capture::recordAt(qsizetype index) const
{
    return m_recordBlocks[size_t(index / RecordsPerBlock)][index % RecordsPerBlock];
}

WireEvent Capture::event(qsizetype index) const
{
    Q_ASSERT(index >= 0 && index < count());
    const Record &r = recordAt(index);
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
    const bool dropped
        = (r.flags & Flag::PayloadDropped) || (r.length + quint64(r.inflatedLength) > 0 && m_chunks[r.chunk].dropped);
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
    if (messageId <= messages.base)
        return; // began before clear(): its first frame is gone
    const quint64 slot = quint64(messageId) - messages.base - 1;
    if (slot < messages.spans.size()) {
        messages.spans[slot].last = quint32(index);
    } else if (slot == messages.spans.size()) {
        messages.spans.push_back({ quint32(index), quint32(index) });
    } else if (messages.spans.empty()) {
        // The first message seen since clear() (or a capture that starts mid-connection).
        messages.base = messageId - 1;
        messages.spans.push_back({ quint32(index), quint32(index) });
    }
    // Any other gap would mean ids out of order: such a frame shows on its own.
}

const Capture::MessageSpan *Capture::messageSpan(Leg leg, Direction direction, quint32 messageId) const
{
    const MessageIndex &messages = m_messages[messageIndexSlot(leg, direction)];
    if (messageId <= messages.base || quint64(messageId) - messages.base > messages.spans.size())
        return nullptr;
    return &messages.spans[messageId - messages.base - 1];
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
    if (!span || (span->first == span->last && e.frame.fin)) {
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
    for (qsizetype i = span->first; i <= qsizetype(span->last); ++i) {
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

qsizetype Capture::firstOfKind(EventKind kind) const
{
    return m_firstOfAnyLeg[int(kind) & 7];
}

qsizetype Capture::firstOfKind(EventKind kind, Leg leg) const
{
    return m_firstOfKind[int(leg) % 3][int(kind) & 7];
}

quint64 Capture::overheadBytes() const
{
    quint64 spans = 0;
    for (const MessageIndex &messages : m_messages)
        spans += messages.spans.size();
    return quint64(m_recordBlocks.size()) * RecordsPerBlock * sizeof(Record) + spans * sizeof(MessageSpan)
        + quint64(m_recordBlocks.capacity() * sizeof(m_recordBlocks[0])) + (m_chunkCapacityBytes - m_payloadBytes)
        + quint64(m_chunks.capacity() * sizeof(m_chunks[0]));
}

void Capture::clear()
{
    Q_EMIT aboutToClear();
    m_recordBlocks.clear();
    m_count = 0;
    freeChunks();
    m_droppedPayloads = 0;
    m_sharedChunk = -1;
    m_keptChunk = -1;
    m_keptUsed = 0;
    m_sharedUsed = 0;
    m_keptPresent = 0;
    m_sharedPresent = 0;
    m_payloadBytes = 0;
    m_chunkCapacityBytes = 0;
    for (MessageIndex &messages : m_messages) {
        messages.base += quint32(messages.spans.size());
        messages.spans = {};
    }
    for (auto &firstOfKind : m_firstOfKind)
        std::fill(std::begin(firstOfKind), std::end(firstOfKind), -1);
    std::fill(std::begin(m_firstOfAnyLeg), std::end(m_firstOfAnyLeg), -1);
    Q_EMIT cleared();
}
