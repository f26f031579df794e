// The captures' memory budget: beyond it the oldest payloads go to the spill file (and come back,
// byte for byte, when read) or are dropped with a count; views handed out before stay valid; the
// process's anonymous memory really stays near the budget; a spill that cannot be written loses
// nothing and says why.

#include "eventfixtures.h"
#include "log/capture.h"
#include "log/capturememory.h"
#include "log/hugepages.h"
#include "memorymaps.h"
#include "log/jsonlreader.h"
#include "log/jsonlwriter.h"
#include "protocol/framewriter.h"

#include <QFile>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <optional>
#include <sys/stat.h>
#include <unistd.h>

namespace {
constexpr quint64 MiB = 1 << 20;


void recordPayload(Capture &capture, const QByteArray &payload)
{
    WireEvent e;
    e.timeUs = 1795239000123456;
    e.connectionId = 1;
    e.kind = EventKind::Frame;
    e.direction = Direction::Incoming;
    e.payload = payload;
    capture.record(e);
}

// Anonymous memory of this process (heap and private mappings), from /proc/self/status.
quint64 anonymousBytes()
{
    QFile status(QStringLiteral("/proc/self/status"));
    if (!status.open(QIODevice::ReadOnly))
        return 0;
    for (const QByteArray &line : status.readAll().split('\n'))
        if (line.startsWith("RssAnon:"))
            return line.mid(8).trimmed().split(' ').first().toULongLong() * 1024;
    return 0;
}
// A budget that spills to a directory of its own, and a capture under it.
struct SpillingCapture {
    explicit SpillingCapture(quint64 budget)
    {
        memory.setSpillDirectory(dir.path());
        memory.setBudget(budget);
        capture.setMemory(&memory);
    }
    QTemporaryDir dir;
    CaptureMemory memory; // outlives the capture, which gives its chunks back when it goes
    Capture capture;
};
// Bytes the (unlinked) spill file in `directory` takes on disk, found through this process's open
// files; nullopt when there is none.
std::optional<qint64> spillFileBytesOnDisk(const QString &directory)
{
    const QDir fds(QStringLiteral("/proc/self/fd"));
    for (const QString &fd : fds.entryList(QDir::AllEntries | QDir::System | QDir::Hidden | QDir::NoDotAndDotDot)) {
        char link[4096];
        const ssize_t n = ::readlink(QFile::encodeName(fds.filePath(fd)).constData(), link, sizeof link);
        // "<directory>/spill-XXXXXX (deleted)"
        if (n <= 0 || !QString::fromLocal8Bit(link, n).startsWith(directory + QStringLiteral("/spill-")))
            continue;
        struct stat info {};
        if (::stat(QFile::encodeName(fds.filePath(fd)).constData(), &info) == 0)
            return qint64(info.st_blocks) * 512;
    }
    return std::nullopt;
}
} // namespace

class tst_CaptureMemory : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void bigPayloadsSpillAndReadBack();
    void smallPayloadsSpillWholeChunks();
    void viewsStayValidAcrossSpilling();
    void anonymousMemoryStaysNearTheBudget();
    void dropOldestCountsAndMarks();
    void droppedSurvivesASessionFile();
    void budgetSharedAcrossCaptures();
    void clearGivesEverythingBack();
    void unwritableSpillLosesNothing();
    void noBudgetKeepsEverything();
    void idleCapturesAndTheirStatesStay();
    void clearWhileSpilling();
    void memoryStaysBoundedWhateverTheDisk();
    void recordsSpillUnderEitherPolicy_data();
    void recordsSpillUnderEitherPolicy();
};

void tst_CaptureMemory::bigPayloadsSpillAndReadBack()
{
    SpillingCapture setup(8 * MiB);
    CaptureMemory &memory = setup.memory;
    Capture &capture = setup.capture;
    QList<QByteArray> sent;
    for (int i = 0; i < 24; ++i) {
        sent << pattern(qsizetype(MiB) + 17 * i, i); // each in a chunk of its own
        recordPayload(capture, sent.last());
        // The spill thread may be behind, by a bounded amount.
        QVERIFY2(memory.residentBytes() <= 8 * MiB + CaptureMemory::MaxQueuedSpillBytes + 2 * MiB,
                 qPrintable(QString::number(memory.residentBytes())));
    }
    memory.waitForSpills();
    QVERIFY2(memory.residentBytes() <= 8 * MiB, qPrintable(QString::number(memory.residentBytes())));
    QVERIFY(memory.spilledBytes() >= 16 * MiB);
    QVERIFY(memory.lastError().isEmpty());
    QVERIFY(QDir(setup.dir.path()).isEmpty()); // the spill file is unlinked at once
    for (int i = 0; i < sent.size(); ++i) {
        const WireEvent e = capture.event(i);
        QVERIFY(!e.payloadDropped);
        QCOMPARE(e.payload.toByteArray(), sent[i]);
    }
}

void tst_CaptureMemory::smallPayloadsSpillWholeChunks()
{
    SpillingCapture setup(8 * MiB);
    CaptureMemory &memory = setup.memory;
    Capture &capture = setup.capture;
    constexpr int Count = 30'000; // 1 KiB each: about 30 MiB in shared 4 MiB chunks
    for (int i = 0; i < Count; ++i)
        recordPayload(capture, pattern(1024, i));
    memory.waitForSpills();
    // The chunk being filled cannot leave yet: at most one shared chunk above the budget.
    QVERIFY2(memory.residentBytes() <= 12 * MiB, qPrintable(QString::number(memory.residentBytes())));
    QVERIFY(memory.spilledBytes() >= 16 * MiB);
    for (int i : { 0, 1, 4095, 4096, 17'000, Count - 1 })
        QCOMPARE(capture.event(i).payload.toByteArray(), pattern(1024, i));
    // Shared chunks are whole huge pages (where a flood writes fastest), spilled or not: the one
    // being filled may be backed by them.
    for (int i : { 0, 4096, Count - 1 }) {
        const auto chunkStart = quintptr(capture.event(i).payload.data()) - quintptr(i % 4096) * 1024;
        QCOMPARE(chunkStart % HugePages::Size, quintptr(0));
    }
    const std::optional<bool> huge = hugePagesEligible(capture.event(Count - 1).payload.data());
    if (!huge)
        QSKIP("this system offers no transparent huge pages");
    QVERIFY(*huge);
}

void tst_CaptureMemory::viewsStayValidAcrossSpilling()
{
    SpillingCapture setup(4 * MiB);
    CaptureMemory &memory = setup.memory;
    Capture &capture = setup.capture;
    const QByteArray first = pattern(2 * qsizetype(MiB), 1);
    recordPayload(capture, first);
    const QByteArrayView held = capture.event(0).payload; // a view kept by a pane, say
    for (int i = 0; i < 8; ++i)
        recordPayload(capture, pattern(2 * qsizetype(MiB), 100 + i));
    memory.waitForSpills();
    QVERIFY(memory.spilledBytes() > 0);
    QCOMPARE(held.toByteArray(), first); // same address, now read from the file
}

void tst_CaptureMemory::anonymousMemoryStaysNearTheBudget()
{
    SpillingCapture setup(16 * MiB);
    CaptureMemory &memory = setup.memory;
    Capture &capture = setup.capture;
    const quint64 before = anonymousBytes();
    QVERIFY(before > 0);
    const QByteArray payload = pattern(64 * 1024, 3);
    for (int i = 0; i < 2048; ++i) // 128 MiB of payloads
        recordPayload(capture, payload);
    memory.waitForSpills();
    const quint64 grown = anonymousBytes() - before;
    // The budget, the chunk being filled, the records (56 B each) and allocator slack; 128 MiB without a budget.
    QVERIFY2(grown < 40 * MiB, qPrintable(QStringLiteral("anonymous memory grew by %1 bytes").arg(grown)));
    QCOMPARE(capture.event(5).payload.toByteArray(), payload);
}

void tst_CaptureMemory::dropOldestCountsAndMarks()
{
    CaptureMemory memory;
    memory.setOverBudget(CaptureMemory::OverBudget::DropOldest);
    memory.setBudget(8 * MiB);
    Capture capture;
    capture.setMemory(&memory);
    QSignalSpy changed(&memory, &CaptureMemory::changed);
    const qsizetype size = qsizetype(MiB) + 1;
    for (int i = 0; i < 20; ++i)
        recordPayload(capture, pattern(size, i));
    QVERIFY(memory.residentBytes() <= 8 * MiB);
    QVERIFY(memory.droppedPayloads() >= 12);
    QCOMPARE(capture.droppedPayloads(), memory.droppedPayloads());
    QCOMPARE(memory.droppedBytes(), memory.droppedPayloads() * quint64(size));
    QCOMPARE(memory.spilledBytes(), 0u);
    const WireEvent oldest = capture.event(0);
    QVERIFY(oldest.payloadDropped);
    QVERIFY(oldest.payload.isEmpty());
    const WireEvent newest = capture.event(19);
    QVERIFY(!newest.payloadDropped);
    QCOMPARE(newest.payload.toByteArray(), pattern(size, 19));
    QVERIFY(changed.wait(1000)); // announced, once per turn
}

// A session saved after payloads were dropped says so, and reads back as dropped rather than as
// empty payloads.
void tst_CaptureMemory::droppedSurvivesASessionFile()
{
    CaptureMemory memory;
    memory.setOverBudget(CaptureMemory::OverBudget::DropOldest);
    memory.setBudget(2 * MiB);
    Capture capture;
    capture.setMemory(&memory);
    const QByteArray header = QByteArray::fromHex("827f0000000000200000"); // binary, 2 MiB
    for (int i = 0; i < 3; ++i) {
        WireEvent e;
        e.kind = EventKind::Frame;
        e.direction = Direction::Incoming;
        e.header = header;
        FrameHeader::decode(header, e.frame);
        const QByteArray payload = pattern(2 * qsizetype(MiB), i);
        e.payload = payload;
        capture.record(e);
    }
    QVERIFY(capture.event(0).payloadDropped);
    JsonlWriter writer;
    const QByteArray line = writer.toJson(capture.event(0));
    QVERIFY2(line.contains("\"payload_dropped\":true"), line.constData());
    StoredEvent stored;
    QString error;
    QVERIFY2(JsonlReader::parseLine(line, stored, error), qPrintable(error));
    Capture reloaded;
    reloaded.record(stored.event());
    QVERIFY(reloaded.event(0).payloadDropped);
    QCOMPARE(reloaded.event(0).frame.declaredLength, quint64(2 * MiB));
    QVERIFY(!writer.toJson(capture.event(2)).contains("payload_dropped"));
}

void tst_CaptureMemory::budgetSharedAcrossCaptures()
{
    QTemporaryDir dir;
    CaptureMemory memory;
    memory.setSpillDirectory(dir.path());
    memory.setOverBudget(CaptureMemory::OverBudget::DropOldest);
    memory.setBudget(6 * MiB);
    Capture older, newer;
    older.setMemory(&memory);
    newer.setMemory(&memory);
    const qsizetype size = 2 * qsizetype(MiB);
    for (int i = 0; i < 3; ++i)
        recordPayload(older, pattern(size, i));
    for (int i = 0; i < 3; ++i)
        recordPayload(newer, pattern(size, 10 + i));
    // The oldest across both went first: all of the older capture's, none of the newer one's.
    QCOMPARE(older.droppedPayloads(), 3u);
    QCOMPARE(newer.droppedPayloads(), 0u);
    QCOMPARE(newer.event(0).payload.toByteArray(), pattern(size, 10));
}

void tst_CaptureMemory::clearGivesEverythingBack()
{
    QTemporaryDir dir;
    CaptureMemory memory;
    memory.setSpillDirectory(dir.path());
    memory.setBudget(4 * MiB);
    {
        Capture capture;
        capture.setMemory(&memory);
        for (int i = 0; i < 6; ++i)
            recordPayload(capture, pattern(2 * qsizetype(MiB), i));
        memory.waitForSpills();
        QVERIFY(memory.spilledBytes() > 0);
        capture.clear();
        QCOMPARE(memory.residentBytes(), 0u);
        QCOMPARE(memory.spilledBytes(), 0u);
        recordPayload(capture, pattern(100, 1)); // usable again after clear()
        QCOMPARE(capture.event(0).payload.toByteArray(), pattern(100, 1));
    }
    QCOMPARE(memory.residentBytes(), 0u); // a destroyed capture gives its chunks back
}

void tst_CaptureMemory::unwritableSpillLosesNothing()
{
    QTemporaryDir dir;
    QFile blocker(dir.filePath(QStringLiteral("not-a-directory")));
    QVERIFY(blocker.open(QIODevice::WriteOnly));
    blocker.close();
    CaptureMemory memory;
    memory.setSpillDirectory(blocker.fileName() + QStringLiteral("/spill"));
    memory.setBudget(2 * MiB);
    QSignalSpy problems(&memory, &CaptureMemory::problem);
    Capture capture;
    capture.setMemory(&memory);
    for (int i = 0; i < 4; ++i)
        recordPayload(capture, pattern(2 * qsizetype(MiB), i));
    memory.waitForSpills();
    QCOMPARE(problems.size(), 1); // said once, not for every chunk
    QVERIFY2(memory.lastError().startsWith(QStringLiteral("cannot create")), qPrintable(memory.lastError()));
    QVERIFY(memory.residentBytes() > 2 * MiB); // over the budget rather than lossy
    for (int i = 0; i < 4; ++i)
        QCOMPARE(capture.event(i).payload.toByteArray(), pattern(2 * qsizetype(MiB), i));
}

void tst_CaptureMemory::noBudgetKeepsEverything()
{
    QTemporaryDir dir;
    CaptureMemory memory;
    memory.setSpillDirectory(dir.path());
    Capture capture;
    capture.setMemory(&memory);
    for (int i = 0; i < 4; ++i)
        recordPayload(capture, pattern(2 * qsizetype(MiB), i));
    QVERIFY(memory.residentBytes() >= 8 * MiB);
    QCOMPARE(memory.spilledBytes(), 0u);
    memory.setBudget(3 * MiB); // applies at once, as fast as the disk takes it
    memory.waitForSpills();
    QVERIFY(memory.residentBytes() <= 3 * MiB);
    QCOMPARE(capture.event(0).payload.toByteArray(), pattern(2 * qsizetype(MiB), 0));
}

// Many quiet connections (a proxy's) do not fill the budget with chunks they barely use, and
// dropping frames never drops what explains a connection: its handshake and states.
void tst_CaptureMemory::idleCapturesAndTheirStatesStay()
{
    CaptureMemory memory;
    memory.setOverBudget(CaptureMemory::OverBudget::DropOldest);
    memory.setBudget(8 * MiB);
    std::vector<std::unique_ptr<Capture>> idle;
    for (int i = 0; i < 40; ++i) {
        idle.push_back(std::make_unique<Capture>());
        idle.back()->setMemory(&memory);
        recordPayload(*idle.back(), pattern(100, i));
    }
    QCOMPARE(memory.residentBytes(), 0u); // chunks being filled count once full or closed
    Capture busy;
    busy.setMemory(&memory);
    WireEvent request;
    request.kind = EventKind::HandshakeRequest;
    request.direction = Direction::Outgoing;
    const QByteArray head = "GET / HTTP/1.1\r\nHost: x\r\n\r\n";
    request.payload = head;
    busy.record(request);
    for (int i = 0; i < 40'000; ++i) // about 40 MiB of small frames
        recordPayload(busy, pattern(1000, i));
    QVERIFY(busy.droppedPayloads() > 0);
    QCOMPARE(busy.event(0).payload.toByteArray(), head); // never dropped
    QVERIFY(!busy.event(0).payloadDropped);
    QVERIFY(busy.event(1).payloadDropped);
    QCOMPARE(idle.front()->droppedPayloads(), 0u);
    QCOMPARE(idle.front()->event(0).payload.toByteArray(), pattern(100, 0));
    // A connection that ended (its CLOSED is recorded) lets its last chunk go like the others.
    const quint64 before = memory.residentBytes();
    WireEvent closed;
    closed.kind = EventKind::StateChange;
    closed.direction = Direction::Local;
    closed.state = ReadyState::Closed;
    idle.front()->record(closed);
    QCOMPARE(memory.residentBytes() > before || memory.droppedPayloads() > 0, true);
}


// Clearing (or closing) a capture while its chunks wait for the spill thread, or are being
// written by it, gives every byte back and leaves nothing mapped that a later chunk could meet.
void tst_CaptureMemory::clearWhileSpilling()
{
    QTemporaryDir dir;
    CaptureMemory memory;
    memory.setSpillDirectory(dir.path());
    memory.setBudget(4 * MiB);
    for (int round = 0; round < 6; ++round) {
        Capture capture;
        capture.setMemory(&memory);
        for (int i = 0; i < 12; ++i)
            recordPayload(capture, pattern(2 * qsizetype(MiB) + round, i));
        if (round % 2)
            capture.clear(); // the other rounds: destroyed with chunks in flight
        else
            recordPayload(capture, pattern(100, 1));
    }
    memory.waitForSpills();
    QCOMPARE(memory.residentBytes(), 0u);
    QCOMPARE(memory.spilledBytes(), 0u);
    QVERIFY(memory.lastError().isEmpty());
    // The disk space too, whether a chunk was released before, while or after it was written.
    const std::optional<qint64> onDisk = spillFileBytesOnDisk(dir.path());
    QVERIFY(onDisk.has_value());
    QCOMPARE(*onDisk, 0);
    Capture after;
    after.setMemory(&memory);
    for (int i = 0; i < 8; ++i)
        recordPayload(after, pattern(2 * qsizetype(MiB), 50 + i));
    memory.waitForSpills();
    for (int i = 0; i < 8; ++i)
        QCOMPARE(after.event(i).payload.toByteArray(), pattern(2 * qsizetype(MiB), 50 + i));
}

// However far the spill thread falls behind, what waits for it stays under MaxQueuedSpillBytes:
// past that the recording thread writes the next chunk itself.
void tst_CaptureMemory::memoryStaysBoundedWhateverTheDisk()
{
    SpillingCapture setup(4 * MiB);
    CaptureMemory &memory = setup.memory;
    Capture &capture = setup.capture;
    quint64 worst = 0;
    for (int i = 0; i < 96; ++i) { // 192 MiB, as fast as this thread can copy it
        recordPayload(capture, pattern(2 * qsizetype(MiB), i));
        worst = qMax(worst, memory.residentBytes());
    }
    QVERIFY2(worst <= 4 * MiB + CaptureMemory::MaxQueuedSpillBytes + 2 * MiB, qPrintable(QString::number(worst)));
    memory.waitForSpills();
    QVERIFY(memory.residentBytes() <= 4 * MiB);
    for (int i : { 0, 47, 95 })
        QCOMPARE(capture.event(i).payload.toByteArray(), pattern(2 * qsizetype(MiB), i));
}

void tst_CaptureMemory::recordsSpillUnderEitherPolicy_data()
{
    QTest::addColumn<int>("policy");
    QTest::newRow("spill") << int(CaptureMemory::OverBudget::SpillToDisk);
    QTest::newRow("drop") << int(CaptureMemory::OverBudget::DropOldest);
}

// Event records count against the budget too (a proxy left running all day keeps millions):
// beyond it their filled blocks go to the spill file, under either policy, for they say what
// happened and are never dropped; they read back exactly.
void tst_CaptureMemory::recordsSpillUnderEitherPolicy()
{
    QFETCH(int, policy);
    SpillingCapture setup(4 * MiB);
    setup.memory.setOverBudget(CaptureMemory::OverBudget(policy));
    constexpr int Count = 400'000; // about 22 MB of records, no payloads
    constexpr qint64 Start = 1795239000123456;
    for (int i = 0; i < Count; ++i) {
        WireEvent e;
        e.timeUs = Start + i;
        e.connectionId = 7;
        e.kind = EventKind::Frame;
        e.direction = Direction::Incoming;
        e.closeCode = quint16(i);
        setup.capture.record(e);
    }
    setup.memory.waitForSpills();
    QVERIFY2(setup.memory.residentBytes() <= 4 * MiB, qPrintable(QString::number(setup.memory.residentBytes())));
    QVERIFY(setup.memory.spilledBytes() >= 12 * MiB); // 9 filled blocks of 2 MiB, 2 may stay
    QCOMPARE(setup.memory.droppedPayloads(), 0u);
    QVERIFY(setup.memory.lastError().isEmpty());
    for (int i : { 0, 1, 32255, 32256, 69705, 200'000, Count - 1 }) {
        const WireEvent e = setup.capture.event(i);
        QCOMPARE(e.timeUs, Start + i);
        QCOMPARE(e.connectionId, 7u);
        QCOMPARE(e.closeCode, quint16(i));
        QVERIFY(!e.payloadDropped);
    }
}

QTEST_GUILESS_MAIN(tst_CaptureMemory)
#include "tst_capturememory.moc"
