#pragma once

#include "log/wireevent.h"

class CaptureMemory;

#include <QObject>
#include <memory>
#include <deque>
#include <vector>

// Append-only store of one connection's WireEvents. Keeps the bookkeeping per event small and
// fixed (one Record) and copies the bytes into large chunks, never one heap allocation per message,
// so a million-message session costs its payload plus well under 100 bytes an event.
// Bytes handed out by event() stay valid until clear() (chunks never move); aboutToClear() is
// emitted while they still are, so that views let go of them first.
class Capture : public QObject, public WireEventSink {
    Q_OBJECT
public:
    explicit Capture(QObject *parent = nullptr);
    ~Capture() override;

    // Takes payload memory from `memory` (a window's budget) instead of the heap; only while empty.
    // Payloads it drops come back from event() empty, with payloadDropped set.
    void setMemory(CaptureMemory *memory);
    // Frame payloads dropped to stay within the memory budget (handshakes, states and errors are
    // never dropped: they explain the connection).
    quint64 droppedPayloads() const { return m_droppedPayloads; }
    // The connection ended: the chunk its last frames went into may leave memory like the others.
    void sealOpenChunk();

    void record(const WireEvent &event) override;

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

    quint64 payloadBytes() const { return m_payloadBytes; }
    // Heap bytes used beyond the payload bytes themselves (records, chunk slack, vectors).
    quint64 overheadBytes() const;

    // Forgets everything (user pressed Clear); emits aboutToClear(), then cleared().
    void clear();

Q_SIGNALS:
    // Emitted once per event-loop turn in which events were appended (queued, never from inside
    // record()): a flood costs one signal per turn, not one per event, and every model that reads
    // the capture hears it without sharing any state with the others.
    void grown();
    void aboutToClear(); // the bytes of every event are still valid here, and gone after it
    void cleared();

private:
    struct Record;
    // Copies `bytes` and `more` after them into chunk storage; returns (chunk index, offset in chunk).
    std::pair<quint32, quint32> store(QByteArrayView bytes, QByteArrayView more, bool budgeted);
    static void setPayloads(Message &m, QByteArray wire, const WireEvent &last);
    struct MessageSpan {
        quint32 first; // event index of the message's first frame
        quint32 last; // and of its latest frame so far
    };
    struct MessageIndex;
    static int messageIndexSlot(Leg leg, Direction direction);
    void noteMessageFrame(Leg leg, Direction direction, quint32 messageId, qsizetype index);
    const MessageSpan *messageSpan(Leg leg, Direction direction, quint32 messageId) const;

    Record &recordAt(qsizetype index) const;

    // Records live in fixed-size blocks: growth never copies them and never doubles memory.
    std::vector<std::unique_ptr<Record[]>> m_recordBlocks;
    qsizetype m_count = 0;
    struct Chunk {
        char *data = nullptr;
        quint64 size = 0;
        quint32 payloads = 0;
        bool dropped = false;
    };
    char *newChunk(quint64 size, bool budgeted);
    void sealChunk(qsizetype index, quint64 used);
    void freeChunks();
    CaptureMemory *m_memory = nullptr;
    std::vector<Chunk> m_chunks;
    quint64 m_droppedPayloads = 0;
    qsizetype m_sharedChunk = -1; // chunk that small frame payloads are appended to
    quint64 m_sharedUsed = 0;
    quint64 m_sharedPresent = 0; // prefaulted so far in the chunk being filled
    qsizetype m_keptChunk = -1; // and the other events' (never budgeted)
    quint64 m_keptUsed = 0;
    quint64 m_keptPresent = 0;
    quint64 m_payloadBytes = 0;
    quint64 m_chunkCapacityBytes = 0;
    void announceGrowth();
    bool m_growthPending = false;
    // Where each message's frames lie, per direction (in, out). Ids arrive in order, so a sequence
    // indexed by id - base - 1: 8 bytes a message. Ids count on after clear(); `base` is the last id
    // cleared away, and a frame of a message that began before clear() belongs to no message here.
    // A deque: it grows by blocks, never by copying everything into fresh pages (a vector's
    // doubling held the window for milliseconds once a flood had a million messages).
    struct MessageIndex {
        quint32 base = 0;
        std::deque<MessageSpan> spans;
    };
    // (in, out) of own connections and a relay's application leg, then (in, out) of its server leg.
    MessageIndex m_messages[4];
    qsizetype m_firstOfKind[3][8] = { { -1, -1, -1, -1, -1, -1, -1, -1 }, { -1, -1, -1, -1, -1, -1, -1, -1 },
        { -1, -1, -1, -1, -1, -1, -1, -1 } };
    qsizetype m_firstOfAnyLeg[8] = { -1, -1, -1, -1, -1, -1, -1, -1 };
};
