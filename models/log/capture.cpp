#include "log/capture.h"

#include <algorithm>
#include <cstring>

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
    quint64 length;
    quint32 chunk;
    quint32 offset;
    quint32 connectionId;
    quint32 messageId;
    quint16 closeCode;
    char header[14];
    quint8 headerSize;
    quint8 kind;
    quint8 direction;
    quint8 violation;
    quint8 state;
    quint8 wasClean;
};

Capture::Capture(QObject *parent)
    : QObject(parent)
{
    static_assert(sizeof(Record) <= 56, "the per-event bookkeeping budget (DESIGN.md)");
}

Capture::~Capture() = default;

std::pair<quint32, quint32> Capture::store(QByteArrayView bytes)
{
    const auto size = quint64(bytes.size());
    if (size > OwnChunkThreshold) {
        m_chunks.emplace_back(new char[size]);
        std::memcpy(m_chunks.back().get(), bytes.data(), size);
        m_chunkCapacityBytes += size;
        return { quint32(m_chunks.size() - 1), 0 };
    }
    if (m_sharedChunk < 0 || m_sharedUsed + size > SharedChunkSize) {
        m_chunks.emplace_back(new char[SharedChunkSize]);
        m_sharedChunk = qsizetype(m_chunks.size() - 1);
        m_sharedUsed = 0;
        m_chunkCapacityBytes += SharedChunkSize;
    }
    const auto offset = quint32(m_sharedUsed);
    std::memcpy(m_chunks[m_sharedChunk].get() + offset, bytes.data(), size);
    m_sharedUsed += size;
    return { quint32(m_sharedChunk), offset };
}

void Capture::record(const WireEvent &event)
{
    Record r {};
    r.timeUs = event.timeUs;
    r.length = quint64(event.payload.size());
    r.connectionId = event.connectionId;
    r.messageId = event.messageId;
    r.closeCode = event.closeCode;
    r.headerSize = quint8(std::min<qsizetype>(event.header.size(), qsizetype(sizeof(r.header))));
    if (r.headerSize)
        std::memcpy(r.header, event.header.data(), r.headerSize);
    r.kind = quint8(event.kind);
    r.direction = quint8(event.direction);
    r.violation = quint8(event.violation);
    r.state = quint8(event.state);
    r.wasClean = event.wasClean ? 1 : 0;
    if (r.length > 0) {
        const auto [chunk, offset] = store(event.payload);
        r.chunk = chunk;
        r.offset = offset;
        m_payloadBytes += r.length;
    }
    if (event.kind == EventKind::Frame && event.messageId && event.direction != Direction::Local)
        noteMessageStart(event.direction, event.messageId, m_count);
    if (m_firstOfKind[r.kind & 7] < 0)
        m_firstOfKind[r.kind & 7] = m_count;
    if (m_count % RecordsPerBlock == 0)
        m_recordBlocks.emplace_back(new Record[RecordsPerBlock]);
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
    e.direction = Direction(r.direction);
    e.kind = EventKind(r.kind);
    e.header = QByteArrayView(r.header, r.headerSize);
    if (r.headerSize)
        FrameHeader::decode(e.header, e.frame);
    if (r.length > 0)
        e.payload = QByteArrayView(m_chunks[r.chunk].get() + r.offset, qsizetype(r.length));
    e.violation = ViolationRule(r.violation);
    e.closeCode = r.closeCode;
    e.messageId = r.messageId;
    e.state = ReadyState(r.state);
    e.wasClean = r.wasClean != 0;
    return e;
}

void Capture::noteMessageStart(Direction direction, quint32 messageId, qsizetype index)
{
    auto &starts = m_messageStarts[int(direction) & 1];
    if (messageId == starts.size() + 1)
        starts.push_back(index);
    else if (messageId > starts.size() && !m_outOfOrderStarts[int(direction) & 1].contains(messageId))
        m_outOfOrderStarts[int(direction) & 1].insert(messageId, index);
}

qsizetype Capture::messageStart(Direction direction, quint32 messageId) const
{
    const auto &starts = m_messageStarts[int(direction) & 1];
    if (messageId >= 1 && messageId <= starts.size())
        return starts[messageId - 1];
    return m_outOfOrderStarts[int(direction) & 1].value(messageId, -1);
}

Capture::Message Capture::message(qsizetype index) const
{
    const WireEvent e = event(index);
    Message m;
    m.opcode = e.frame.opcode;
    m.frames = 1;
    m.complete = true;
    const qsizetype start = e.kind == EventKind::Frame && e.messageId ? messageStart(e.direction, e.messageId) : -1;
    const bool whole = start == index && e.frame.fin;
    if (start < 0 || whole) {
        m.payload = QByteArray::fromRawData(e.payload.data(), e.payload.size());
        return m;
    }
    m.opcode = event(start).frame.opcode;
    m.frames = 0;
    m.complete = false;
    for (qsizetype i = start; i < m_count; ++i) {
        const WireEvent f = event(i);
        if (f.kind != EventKind::Frame || f.direction != e.direction || f.messageId == 0)
            continue; // the other direction, control frames between fragments
        if (f.messageId != e.messageId)
            break; // the next message of this direction began: this one was abandoned
        m.payload += f.payload;
        ++m.frames;
        if (f.frame.fin) {
            m.complete = true;
            break;
        }
    }
    return m;
}

qsizetype Capture::firstOfKind(EventKind kind) const
{
    return m_firstOfKind[int(kind) & 7];
}

quint64 Capture::overheadBytes() const
{
    return quint64(m_recordBlocks.size()) * RecordsPerBlock * sizeof(Record)
        + quint64(m_messageStarts[0].capacity() + m_messageStarts[1].capacity()) * sizeof(qsizetype)
        + quint64(m_recordBlocks.capacity() * sizeof(m_recordBlocks[0])) + (m_chunkCapacityBytes - m_payloadBytes)
        + quint64(m_chunks.capacity() * sizeof(m_chunks[0]));
}

void Capture::clear()
{
    m_recordBlocks.clear();
    m_count = 0;
    m_chunks.clear();
    m_sharedChunk = -1;
    m_sharedUsed = 0;
    m_payloadBytes = 0;
    m_chunkCapacityBytes = 0;
    for (int d = 0; d < 2; ++d) {
        m_messageStarts[d] = {};
        m_outOfOrderStarts[d].clear();
    }
    std::fill(std::begin(m_firstOfKind), std::end(m_firstOfKind), -1);
    Q_EMIT cleared();
}
