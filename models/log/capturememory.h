#pragma once

#include <QHash>
#include <QObject>
#include <QString>
#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>

// How many bytes of payload the captures of one window may keep in memory, and what happens to
// the oldest beyond that. A proxy left running all day would otherwise take the machine.
//
// Captures store payloads in large chunks (Capture); with a CaptureMemory they take those chunks
// from here, as private anonymous mappings. Once the chunks in memory exceed the budget, the
// oldest filled ones leave memory, oldest first across every capture:
// - SpillToDisk (the default): written to a spill file, then that part of the file is mapped at
//   the same address. Views into the bytes stay valid; the system reads them back from the file
//   when they are shown, and may drop them from memory again at will.
// - DropOldest: replaced by zero pages at the same address; the capture marks the events whose
//   payloads went, and the counts say how many. Nothing is dropped silently.
// The spill file is made in the cache directory, readable by its owner only, and unlinked at
// once: it never outlives the process, and a cleared capture gives its space back.
//
// Captures are written on the networking threads and read on the window's, and they share one
// budget: every function here may be called from any thread. Spilling happens on a thread of its
// own, so that writing 4 MiB to the file (about 1 ms, and up to 8 ms on a virtual machine) never
// holds up the connection whose chunk went over the budget; while more than MaxQueuedSpillBytes
// wait for it (a disk slower than the traffic), the thread that sealed the next chunk writes that
// one itself, so that memory stays bounded. Dropping is quick and happens at once.
class CaptureMemory : public QObject {
    Q_OBJECT
public:
    enum class OverBudget { SpillToDisk, DropOldest };
    static constexpr quint64 DefaultBudgetBytes = quint64(1) << 30;
    static constexpr quint64 MaxQueuedSpillBytes = quint64(64) << 20;

    // Makes the whole pages inside [begin, begin + bytes) present in one call, before they are
    // written: touching fresh pages one by one costs a fault each, which during a flood is much of
    // the window's work (more so in a virtual machine). Best effort: older kernels do nothing.
    static void prefault(void *begin, quint64 bytes);

    explicit CaptureMemory(QObject *parent = nullptr);
    ~CaptureMemory() override;

    // 0: no budget. A smaller budget applies at once.
    void setBudget(quint64 bytes);
    quint64 budget() const { return locked(m_budget); }
    void setOverBudget(OverBudget policy)
    {
        const std::lock_guard lock(m_lock);
        m_policy = policy;
    }
    OverBudget overBudget() const { return locked(m_policy); }
    // Where the spill file is made; <user cache directory>/wsinspector unless set.
    void setSpillDirectory(const QString &directory)
    {
        const std::lock_guard lock(m_lock);
        m_spillDirectory = directory;
        m_spillFailed = false;
    }
    QString spillDirectory() const;

    // Filled chunks in memory: payloads (each capture's chunk being filled counts once it is full
    // or its connection ends), and the captures' event records in blocks of 2 MiB (each counts
    // once full).
    quint64 residentBytes() const { return locked(m_resident); }
    quint64 spilledBytes() const { return locked(m_spilled); } // in the spill file
    quint64 droppedBytes() const { return locked(m_droppedBytes); } // payload bytes, not pages
    quint64 droppedPayloads() const { return locked(m_droppedPayloads); }
    // Blocks until no chunk waits for the spill thread (tests and benchmarks: under the budget a
    // moment after it is crossed). Not with this memory's lock held, that is not from problem().
    void waitForSpills();
    // Why spilling failed last (chunks then stay in memory, over the budget), empty if it never did.
    QString lastError() const { return locked(m_error); }

    // For Capture: memory for a chunk of at least `size` bytes, or nullptr when there is none.
    // `dropped` is called if the chunk's payloads are dropped (DropOldest), on whichever thread
    // went over the budget, with this memory locked: it must not call back here. A chunk without
    // a `dropped` notice (a capture's event records: what happened, which the log cannot do
    // without) is never dropped: beyond the budget it goes to the spill file under either policy.
    using DropNotice = std::function<void()>;
    char *allocate(quint64 size, DropNotice dropped);
    // The chunk is filled and holds `payloads` payloads of `bytes` bytes in all: it may leave
    // memory from now on.
    void seal(char *chunk, quint32 payloads, quint64 bytes);
    // The capture is done with the chunk (cleared or destroyed).
    void release(char *chunk);
    bool owns(const char *chunk) const
    {
        const std::lock_guard lock(m_lock);
        return m_sequenceOf.contains(chunk);
    }

Q_SIGNALS:
    // A count changed (once per event-loop turn at most, like Capture::grown()).
    void changed();
    // Spilling failed: what and why, once per distinct reason.
    void problem(const QString &error);

private:
    // Leaving: queued for the spill thread, or being written by it; still in memory.
    enum class State : quint8 { Resident, Leaving, Spilled, Dropped, Released };
    struct Chunk {
        char *data = nullptr;
        quint64 size = 0; // mapped, whole pages
        qint64 fileOffset = -1;
        quint32 payloads = 0;
        quint64 bytes = 0;
        bool sealed = false;
        State state = State::Resident;
        bool writing = false; // by the spill thread, without the lock: release() must wait for it
        bool releaseWanted = false; // released while being written: unmapped once written
        DropNotice dropped;
    };
    Chunk *find(char *data);
    Chunk *bySequence(quint64 sequence);
    void enforce();
    void queueSpill(Chunk &chunk);
    void spillQueued(); // the spill thread
    void stopSpilling();
    bool spill(Chunk &chunk); // at once, on the calling thread
    // Room in the file, then the bytes; the reason when either fails (empty on success).
    QString writeSpill(const char *data, quint64 size, qint64 offset);
    bool mapSpilled(Chunk &chunk, qint64 offset); // the written bytes replace the chunk's memory
    void abandonQueuedSpills(); // after a failure: what waited stays in memory
    void freeSpillSpace(qint64 offset, quint64 size); // back to the file system
    void forget(Chunk &chunk); // a released chunk
    bool drop(Chunk &chunk);
    bool openSpillFile();
    void fail(const QString &error);
    void announce();
    template <typename T>
    T locked(const T &value) const
    {
        const std::lock_guard lock(m_lock);
        return value;
    }

    // Recursive: problem() is emitted with it held, and a receiver on the same thread may ask for
    // the counts. A standard mutex, which thread sanitizers see (Qt's, as Debian builds it, not).
    mutable std::recursive_mutex m_lock;
    quint64 m_budget = 0;
    OverBudget m_policy = OverBudget::SpillToDisk;
    QString m_spillDirectory;
    int m_spillFile = -1;
    qint64 m_spillEnd = 0;
    std::deque<Chunk> m_chunks; // in the order they were made
    QHash<const char *, quint64> m_sequenceOf; // chunk address → its sequence number
    quint64 m_firstSequence = 0; // sequence number of m_chunks.front()
    size_t m_firstResident = 0; // chunks before this one are out of memory or released
    quint64 m_resident = 0;
    quint64 m_spilled = 0;
    quint64 m_droppedBytes = 0;
    quint64 m_droppedPayloads = 0;
    QString m_error;
    bool m_spillFailed = false; // not retried at every chunk; a new budget or directory tries again
    bool m_announcePending = false;
    std::deque<quint64> m_spillQueue; // sequence numbers of Leaving chunks not yet taken
    quint64 m_leaving = 0; // bytes of Leaving chunks
    bool m_stopping = false;
    std::condition_variable_any m_spillWanted; // the spill thread waits for work
    std::condition_variable_any m_spillDone; // waitForSpills() waits for the queue to empty
    std::thread m_spillThread; // started when first needed
};
