#pragma once

#include "log/wireevent.h"

#include <QObject>
#include <memory>
#include <vector>

// Append-only store of one connection's WireEvents. Keeps the bookkeeping per event small and
// fixed (one Record) and copies the bytes into large chunks, never one heap allocation per message,
// so a million-message session costs its payload plus well under 100 bytes an event.
// Bytes handed out by event() stay valid for the Capture's lifetime (chunks never move).
class Capture : public QObject, public WireEventSink {
    Q_OBJECT
public:
    explicit Capture(QObject *parent = nullptr);
    ~Capture() override;

    void record(const WireEvent &event) override;

    qsizetype count() const { return m_count; }
    WireEvent event(qsizetype index) const;

    quint64 payloadBytes() const { return m_payloadBytes; }
    // Heap bytes used beyond the payload bytes themselves (records, chunk slack, vectors).
    quint64 overheadBytes() const;

    // Forgets everything (user pressed Clear); emits cleared().
    void clear();

    // The model acknowledges that it has seen every event so far; until then, further appends do
    // not emit grown() again. This keeps a flood from costing one signal per event.
    void acknowledge() { m_growthSignalled = false; }

Q_SIGNALS:
    // Emitted once after the first append following acknowledge() (or construction/clear()).
    void grown();
    void cleared();

private:
    struct Record;
    // Copies `bytes` into chunk storage; returns (chunk index, offset in chunk).
    std::pair<quint32, quint32> store(QByteArrayView bytes);

    Record &recordAt(qsizetype index) const;

    // Records live in fixed-size blocks: growth never copies them and never doubles memory.
    std::vector<std::unique_ptr<Record[]>> m_recordBlocks;
    qsizetype m_count = 0;
    std::vector<std::unique_ptr<char[]>> m_chunks;
    qsizetype m_sharedChunk = -1; // chunk that small payloads are appended to
    quint64 m_sharedUsed = 0;
    quint64 m_payloadBytes = 0;
    quint64 m_chunkCapacityBytes = 0;
    bool m_growthSignalled = false;
};
