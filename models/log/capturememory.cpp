#include "log/capturememory.h"

#include "log/hugepages.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QStandardPaths>

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <pthread.h>
#include <sys/mman.h>
#include <unistd.h>

namespace {
struct Tr {
    Q_DECLARE_TR_FUNCTIONS(CaptureMemory)
};

quint64 wholePages(quint64 size)
{
    static const quint64 page = quint64(sysconf(_SC_PAGESIZE));
    return (size + page - 1) / page * page;
}

QString systemError()
{
    return QString::fromLocal8Bit(std::strerror(errno));
}
} // namespace

CaptureMemory::CaptureMemory(QObject *parent)
    : QObject(parent)
{
}

CaptureMemory::~CaptureMemory()
{
    stopSpilling();
    // Captures release their chunks before they go; whatever is left is unmapped here.
    for (Chunk &chunk : m_chunks)
        if (chunk.state != State::Released)
            munmap(chunk.data, chunk.size);
    if (m_spillFile >= 0)
        ::close(m_spillFile);
}

QString CaptureMemory::spillDirectory() const
{
    const std::lock_guard lock(m_lock);
    if (!m_spillDirectory.isEmpty())
        return m_spillDirectory;
    return QStandardPaths::writableLocation(QStandardPaths::GenericCacheLocation) + QStringLiteral("/wsinspector");
}

void CaptureMemory::prefault(void *begin, quint64 bytes)
{
#ifndef MADV_POPULATE_WRITE
    constexpr int MADV_POPULATE_WRITE = 23; // Linux 5.14
#endif
    static const quintptr page = quintptr(sysconf(_SC_PAGESIZE));
    const auto from = (quintptr(begin) + page - 1) / page * page;
    const auto to = (quintptr(begin) + bytes) / page * page;
    if (to > from)
        madvise(reinterpret_cast<void *>(from), to - from, MADV_POPULATE_WRITE);
}

void CaptureMemory::setBudget(quint64 bytes)
{
    const std::lock_guard lock(m_lock);
    m_budget = bytes;
    m_spillFailed = false; // the user acted: try again
    enforce();
}

char *CaptureMemory::allocate(quint64 size, DropNotice dropped)
{
    const std::lock_guard lock(m_lock);
    Chunk chunk;
    // The captures' shared chunks are whole huge pages, which a flood fills far faster (HugePages);
    // a chunk of its own for one large payload would waste the rest of its last huge page.
    void *memory = nullptr;
    if (size % HugePages::Size == 0) {
        chunk.size = HugePages::roundUp(size);
        memory = HugePages::map(size);
    } else {
        chunk.size = wholePages(qMax<quint64>(size, 1));
        memory = mmap(nullptr, chunk.size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (memory == MAP_FAILED)
            memory = nullptr;
    }
    if (!memory)
        return nullptr;
    chunk.data = static_cast<char *>(memory);
    chunk.dropped = std::move(dropped);
    m_sequenceOf.insert(chunk.data, m_firstSequence + m_chunks.size());
    m_chunks.push_back(std::move(chunk));
    // Counted once sealed: a chunk being filled holds only the pages written so far (an idle
    // connection's few bytes, not 4 MiB), and it cannot leave memory before then anyway.
    return static_cast<char *>(memory);
}

CaptureMemory::Chunk *CaptureMemory::find(char *data)
{
    const auto it = m_sequenceOf.constFind(data);
    if (it == m_sequenceOf.constEnd())
        return nullptr;
    return &m_chunks[size_t(*it - m_firstSequence)];
}

void CaptureMemory::seal(char *data, quint32 payloads, quint64 bytes)
{
    const std::lock_guard lock(m_lock);
    Chunk *chunk = find(data);
    if (!chunk)
        return;
    if (chunk->sealed)
        return;
    chunk->sealed = true;
    chunk->payloads = payloads;
    chunk->bytes = bytes;
    m_resident += chunk->size;
    enforce();
    announce();
}

void CaptureMemory::release(char *data)
{
    const std::lock_guard lock(m_lock);
    Chunk *chunk = find(data);
    if (!chunk)
        return;
    if (chunk->writing) {
        chunk->releaseWanted = true; // the spill thread reads it now: it unmaps it when done
        return;
    }
    forget(*chunk);
}

void CaptureMemory::forget(Chunk &chunk)
{
    munmap(chunk.data, chunk.size);
    if ((chunk.state == State::Resident || chunk.state == State::Leaving) && chunk.sealed)
        m_resident -= chunk.size;
    if (chunk.state == State::Leaving)
        m_leaving -= chunk.size; // the spill thread skips it
    if (chunk.state == State::Spilled) {
        m_spilled -= chunk.size;
        // The file keeps its size; the space of a released chunk goes back to the file system.
        // (Where holes cannot be punched, the space stays taken until the process exits.)
        freeSpillSpace(chunk.fileOffset, chunk.size);
    }
    chunk.state = State::Released;
    chunk.dropped = nullptr;
    m_sequenceOf.remove(chunk.data);
    while (!m_chunks.empty() && m_chunks.front().state == State::Released) {
        m_chunks.pop_front();
        ++m_firstSequence;
        if (m_firstResident > 0)
            --m_firstResident;
    }
    announce();
}

CaptureMemory::Chunk *CaptureMemory::bySequence(quint64 sequence)
{
    if (sequence < m_firstSequence || sequence - m_firstSequence >= m_chunks.size())
        return nullptr;
    return &m_chunks[size_t(sequence - m_firstSequence)];
}

void CaptureMemory::enforce()
{
    if (m_budget == 0)
        return;
    while (m_firstResident < m_chunks.size() && m_chunks[m_firstResident].state != State::Resident)
        ++m_firstResident;
    // Oldest first; a chunk still being filled stays (there is one per capture at most). Chunks
    // already on their way out count as gone.
    for (size_t i = m_firstResident; i < m_chunks.size() && m_resident - m_leaving > m_budget; ++i) {
        Chunk &chunk = m_chunks[i];
        if (chunk.state != State::Resident || !chunk.sealed)
            continue;
        if (m_policy == OverBudget::DropOldest && chunk.dropped) {
            if (!drop(chunk))
                return;
            continue;
        }
        // Spilled: everything under SpillToDisk, and event records under DropOldest too.
        const bool dropLater = m_policy == OverBudget::DropOldest; // newer payloads may still go
        if (m_spillFailed) {
            if (dropLater)
                continue;
            return; // kept in memory, over the budget; problem() said why (not retried at every chunk)
        }
        if (m_leaving >= MaxQueuedSpillBytes) {
            if (!spill(chunk) && !dropLater) // the disk is behind the traffic: this thread waits for it
                return;
        } else {
            queueSpill(chunk);
        }
    }
}

void CaptureMemory::queueSpill(Chunk &chunk)
{
    chunk.state = State::Leaving;
    m_leaving += chunk.size;
    m_spillQueue.push_back(m_sequenceOf.value(chunk.data));
    if (!m_spillThread.joinable())
        m_spillThread = std::thread([this] { spillQueued(); });
    m_spillWanted.notify_one();
}

void CaptureMemory::spillQueued()
{
    pthread_setname_np(pthread_self(), "wsinspector spill");
    std::unique_lock lock(m_lock);
    for (;;) {
        m_spillWanted.wait(lock, [this] { return m_stopping || !m_spillQueue.empty(); });
        if (m_stopping)
            return;
        const quint64 sequence = m_spillQueue.front();
        m_spillQueue.pop_front();
        Chunk *chunk = bySequence(sequence);
        if (!chunk || chunk->state != State::Leaving) {
            m_spillDone.notify_all();
            continue; // released meanwhile
        }
        if (!openSpillFile()) {
            chunk->state = State::Resident;
            m_leaving -= chunk->size;
            m_spillFailed = true;
            abandonQueuedSpills();
            continue;
        }
        const qint64 offset = m_spillEnd;
        m_spillEnd += qint64(chunk->size);
        chunk->writing = true;
        const char *data = chunk->data;
        const quint64 size = chunk->size;
        // The chunk is sealed: nobody writes it, and release() leaves it mapped until this is done.
        lock.unlock();
        const QString error = writeSpill(data, size, offset);
        lock.lock();
        chunk = bySequence(sequence); // still there: a chunk being written is never forgotten
        chunk->writing = false;
        m_leaving -= chunk->size;
        chunk->state = State::Resident;
        if (chunk->releaseWanted) {
            freeSpillSpace(offset, size); // written for nothing: the capture let it go meanwhile
            forget(*chunk);
        } else if (!error.isEmpty()) {
            freeSpillSpace(offset, size);
            m_spillFailed = true;
            fail(error);
            abandonQueuedSpills();
        } else if (mapSpilled(*chunk, offset)) {
            m_error.clear(); // it works (again)
        } else {
            freeSpillSpace(offset, size);
            abandonQueuedSpills();
        }
        m_spillDone.notify_all();
    }
}

void CaptureMemory::abandonQueuedSpills()
{
    for (quint64 sequence : m_spillQueue) {
        if (Chunk *chunk = bySequence(sequence); chunk && chunk->state == State::Leaving) {
            chunk->state = State::Resident;
            m_leaving -= chunk->size;
        }
    }
    m_spillQueue.clear();
    m_firstResident = 0; // they are resident again, wherever they are
    m_spillDone.notify_all();
    if (m_policy == OverBudget::DropOldest)
        enforce(); // newer payloads may still be dropped in their place
}

void CaptureMemory::stopSpilling()
{
    {
        const std::lock_guard lock(m_lock);
        m_stopping = true;
    }
    m_spillWanted.notify_all();
    if (m_spillThread.joinable())
        m_spillThread.join();
}

void CaptureMemory::waitForSpills()
{
    std::unique_lock lock(m_lock);
    m_spillDone.wait(lock, [this] { return m_spillQueue.empty() && m_leaving == 0; });
}

bool CaptureMemory::openSpillFile()
{
    if (m_spillFile >= 0)
        return true;
    const QString directory = spillDirectory();
    if (!QDir().mkpath(directory)) {
        fail(Tr::tr("cannot create %1 for the spill file").arg(directory));
        return false;
    }
    QByteArray path = QFile::encodeName(directory + QStringLiteral("/spill-XXXXXX"));
    const int fd = mkostemp(path.data(), O_CLOEXEC); // readable and writable by the owner only
    if (fd < 0) {
        fail(Tr::tr("cannot create a spill file in %1: %2").arg(directory, systemError()));
        return false;
    }
    ::unlink(path.constData()); // gone with the process, whatever happens to it
    m_spillFile = fd;
    return true;
}

bool CaptureMemory::spill(Chunk &chunk)
{
    if (!openSpillFile()) {
        m_spillFailed = true;
        return false;
    }
    const qint64 offset = m_spillEnd;
    m_spillEnd += qint64(chunk.size);
    const QString error = writeSpill(chunk.data, chunk.size, offset);
    if (!error.isEmpty()) {
        freeSpillSpace(offset, chunk.size);
        m_spillFailed = true;
        fail(error);
        return false;
    }
    if (!mapSpilled(chunk, offset)) {
        freeSpillSpace(offset, chunk.size);
        return false;
    }
    m_error.clear(); // it works (again)
    return true;
}

void CaptureMemory::freeSpillSpace(qint64 offset, quint64 size)
{
    // Where holes cannot be punched, the space stays taken until the process exits.
    (void)fallocate(m_spillFile, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, offset, qint64(size));
}

QString CaptureMemory::writeSpill(const char *data, quint64 size, qint64 offset)
{
    // Room first: a full disk must fail this write, never a later read of the mapping (SIGBUS).
    if (fallocate(m_spillFile, 0, offset, qint64(size)) != 0 && errno != EOPNOTSUPP)
        return Tr::tr("cannot make room in the spill file: %1; payloads stay in memory, over the budget")
            .arg(systemError());
    quint64 written = 0;
    while (written < size) {
        const ssize_t n = pwrite(m_spillFile, data + written, size - written, offset + qint64(written));
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return Tr::tr("cannot write the spill file: %1; payloads stay in memory, over the budget")
                .arg(systemError());
        written += quint64(n);
    }
    return QString();
}

bool CaptureMemory::mapSpilled(Chunk &chunk, qint64 offset)
{
    // The same bytes, now backed by the file, at the same address: views into them stay valid.
    void *mapped = mmap(chunk.data, chunk.size, PROT_READ, MAP_SHARED | MAP_FIXED, m_spillFile, offset);
    if (mapped == MAP_FAILED) {
        // The old pages may be gone with the failed call: put the bytes back from the file.
        m_spillFailed = true;
        fail(Tr::tr("cannot map the spill file: %1; payloads stay in memory, over the budget").arg(systemError()));
        void *again
            = mmap(chunk.data, chunk.size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
        if (again != MAP_FAILED)
            (void)pread(m_spillFile, chunk.data, chunk.size, offset);
        return false;
    }
    chunk.fileOffset = offset;
    chunk.state = State::Spilled;
    m_resident -= chunk.size;
    m_spilled += chunk.size;
    announce();
    return true;
}

bool CaptureMemory::drop(Chunk &chunk)
{
    // The capture marks the payloads first: a reader on another thread that copies them from now
    // on is told they went, rather than shown the zeros as if they were the bytes.
    if (chunk.dropped)
        chunk.dropped();
    // Zero pages at the same address: nothing that still looks at the bytes can crash.
    if (mmap(chunk.data, chunk.size, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0) == MAP_FAILED) {
        fail(Tr::tr("cannot free payload memory: %1").arg(systemError()));
        return false; // the payloads stay, marked dropped: shown as gone, never as wrong bytes
    }
    chunk.state = State::Dropped;
    m_resident -= chunk.size;
    m_droppedBytes += chunk.bytes;
    m_droppedPayloads += chunk.payloads;
    announce();
    return true;
}

void CaptureMemory::fail(const QString &error)
{
    if (error == m_error)
        return;
    m_error = error;
    Q_EMIT problem(error);
}

void CaptureMemory::announce()
{
    if (m_announcePending)
        return;
    m_announcePending = true;
    QMetaObject::invokeMethod(
        this,
        [this] {
            {
                const std::lock_guard lock(m_lock);
                m_announcePending = false;
            }
            Q_EMIT changed();
        },
        Qt::QueuedConnection);
}
