#pragma once

#include "log/wireevent.h"

class CaptureMemory;

#include "log/appendonlyblocks.h"

#include <QMutex>
#include <QObject>
#include <atomic>
#include <memory>

// Append-only store of one connection's WireEvents. Keeps the bookkeeping per event small and
// fixed (one Record) and copies the bytes into large chunks, never one heap allocation per message,
// so a million-message session costs its payload plus well under 100 bytes an event.
// Bytes handed out by event() stay valid until clear() (chunks never move); aboutToClear() is
// emitted while they still are, so that views let go of them first.
//
// Written on one thread, read on the capture's own (the window's). record() on the capture's own
// thread shows what it records at once. A live connection writes from its networking thread through
// a CaptureWriter instead: what it records there becomes visible here in batches, when the writer
// publishes them (once per turn of that thread), so the window reads the events without copying
// them again and the networking thread never waits for the window. Records, chunks and the message
// index never move once written, so reading published events needs no lock.
class Capture : public QObject, public WireEventSink {
    Q_OBJECT
public:
    explicit Capture(QObject *parent = nullptr);
    ~Capture() override;

    // Takes payload memory from `memory` (a window's budget) instead of the heap; only while empty.
    // Payloads it drops come back from event() empty, with payloadDropped set. The capture keeps the
    // budget alive (a capture may outlive the window's manager: its writer on another thread may let
    // go of it last); a plain pointer must outlive the capture.
    void setMemory(std::shared_ptr<CaptureMemory> memory);
    void setMemory(CaptureMemory *memory);
    // Frame payloads dropped to stay within the memory budget (handshakes, states and errors are
    // never dropped: they explain the connection).
    quint64 droppedPayloads() const { return m_droppedPayloads.load(std::memory_order_relaxed); }

    // Records on this capture's thread: count() includes it at once.
    void record(const WireEvent &event) override;

    // Events visible on this capture's thread.
    qsizetype count() const { return m_count; }
    WireEvent event(qsizetype index) const;

    // The data message that the frame at `index` belongs to, with the payloads of its frames joined:
    // found through the message's first frame, never by scanning the capture backwards. A frame that
    // belongs to no message (control frames, orphan continuations) and a message of one frame give
    // their own payload without a copy (valid as long as the capture).
    // A compressed message (permessage-deflate) that inflated gives its inflated bytes as `payload`
    // and its wire bytes (compressed, frames joined) as `wire`.
    struct Message {
        quint8 opcode = 0; // the first frame's: text or binary for a data message
        QByteArray payload; // what the application receives
        QByteArray wire; // compressed messages that inflated: the bytes as sent; empty otherwise
        int frames = 0;
        bool complete = false; // its final frame (FIN) is in the capture
        bool compressed = false; // sent compressed (permessage-deflate)
        bool inflated = false; // compressed, and its final frame carries it inflated
        bool dropped = false; // a frame's payload was dropped (memory budget): `payload` is incomplete
    };
    Message message(qsizetype index) const;
    // Index of the first event of `kind` (the handshake request, say), -1 if none: no scanning.
    qsizetype firstOfKind(EventKind kind) const;
    // The same on one leg of a relay (the application's handshake request, or the server's).
    qsizetype firstOfKind(EventKind kind, Leg leg) const;

    quint64 payloadBytes() const { return m_payloadBytes.load(std::memory_order_relaxed); }
    // Heap bytes used beyond the payload bytes themselves (records, chunk slack, vectors).
    quint64 overheadBytes() const;

    // Forgets everything (user pressed Clear); emits aboutToClear(), then cleared(). With a writer
    // on another thread, waits until it is between two turns.
    void clear();

Q_SIGNALS:
    // Emitted once per event-loop turn in which events were appended (queued, never from inside
    // record()): a flood costs one signal per turn, not one per event, and every model that reads
    // the capture hears it without sharing any state with the others.
    void grown();
    // The bytes of every event written so far are visible and valid here, and gone after it.
    // Emitted while a writer on another thread waits: a receiver must not wait for that thread.
    void aboutToClear();
    void cleared();

private:
    friend class CaptureWriter;
    struct Record;
    // The writer's side: appends, visible to the writer only until published.
    void write(const WireEvent &event);
    void publish(); // on the writer's thread: what it wrote becomes visible to the capture's thread
    void takePublished(); // on the capture's thread
    void forget(); // clear() without its signals: only while nobody writes
    // The connection ended: the chunk its last frames went into may leave memory like the others.
    void sealOpenChunk();
    // Copies `bytes` and `more` after them into chunk storage; returns (chunk index, offset in chunk).
    std::pair<quint32, quint32> store(QByteArrayView bytes, QByteArrayView more, bool budgeted);
    static void setPayloads(Message &m, QByteArray wire, const WireEvent &last);
    // Plain fields, so that a new block costs nothing until used; read and written through
    // std::atomic_ref where the writer and a reader may meet.
    struct MessageSpan {
        quint32 first; // event index of the message's first frame
        quint32 last; // and of its latest frame so far (the writer's: may be unpublished)
    };
    struct MessageIndex;
    static int messageIndexSlot(Leg leg, Direction direction);
    void noteMessageFrame(Leg leg, Direction direction, quint32 messageId, qsizetype index);
    const MessageSpan *messageSpan(Leg leg, Direction direction, quint32 messageId) const;

    // Records live in blocks: growth never copies them and never doubles memory. Up to 2^30 events.
    AppendOnlyBlocks<Record, 512, std::size_t(1) << 30> m_records;
    // The reader's count, on a cache line of its own (apart from everything the writer updates
    // at every event).
    alignas(64) qsizetype m_count = 0; // visible on this capture's thread
    alignas(64) quint64 m_writtenPayloadBytes = 0; // the writer's; payloadBytes() as published
    std::atomic<qsizetype> m_published { 0 }; // written, and published by the writer
    std::atomic<bool> m_publishNoticed { false }; // a takePublished() is on its way
    // Held by a writer on another thread for a turn of its thread at a time; clear() takes it.
    QMutex m_writing;
    bool m_full = false; // the writer said once that the capture is full
    struct Chunk {
        char *data;
        quint64 size;
        quint32 payloads; // set when sealed: the writer counts elsewhere until then
        bool dropped; // by the budget, on whichever thread went over it (std::atomic_ref)
    };
    char *newChunk(quint64 size, bool budgeted);
    void sealChunk(qsizetype index, quint64 used);
    void freeChunks();
    std::shared_ptr<CaptureMemory> m_memory;
    // The records' huge-page blocks come from m_memory too: under the budget, like payloads,
    // except that they are never dropped (they say what happened), only spilled.
    class RecordBlocks : public LargeBlockSource {
    public:
        CaptureMemory *memory = nullptr;
        void *take(std::size_t bytes) override;
        void filled(void *block, std::size_t bytes) override;
        void giveBack(void *block, std::size_t bytes) override;
    };
    RecordBlocks m_recordBlocks;
    AppendOnlyBlocks<Chunk, 64, std::size_t(1) << 22> m_chunks;
    std::atomic<quint64> m_droppedPayloads { 0 };
    qsizetype m_sharedChunk = -1; // chunk that small frame payloads are appended to
    quint64 m_sharedUsed = 0;
    quint64 m_sharedPresent = 0; // prefaulted so far in the chunk being filled
    quint32 m_sharedPayloads = 0; // in it (the chunk's own count is set when it is sealed)
    qsizetype m_keptChunk = -1; // and the other events' (never budgeted)
    quint64 m_keptUsed = 0;
    quint64 m_keptPresent = 0;
    std::atomic<quint64> m_payloadBytes { 0 };
    std::atomic<quint64> m_chunkCapacityBytes { 0 };
    void announceGrowth();
    bool m_growthPending = false;
    // Where each message's frames lie, per direction (in, out). Ids arrive in order, so a sequence
    // indexed by id - base - 1: 8 bytes a message. Ids count on after clear(); `base` is the last id
    // cleared away, and a frame of a message that began before clear() belongs to no message here.
    // In blocks: it grows without copying everything into fresh pages (a vector's doubling held
    // the window for milliseconds once a flood had a million messages), and without moving what a
    // reader looks at. `spanCount` is the writer's; readers look up only ids of published frames.
    struct MessageIndex {
        std::atomic<quint32> base { 0 };
        std::atomic<quint32> spanCount { 0 };
        AppendOnlyBlocks<MessageSpan, 1024, std::size_t(1) << 30> spans;
    };
    // (in, out) of own connections and a relay's application leg, then (in, out) of its server leg.
    MessageIndex m_messages[4];
    // -1 for none; an index may be the writer's, not yet published here.
    std::atomic<qsizetype> m_firstOfKind[3][EventKindCount];
    std::atomic<qsizetype> m_firstOfAnyLeg[EventKindCount];
    void forgetFirstOfKind();
};
