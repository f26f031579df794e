// GUI pipeline benchmark: the real window (offscreen) connects to the flood server, which sends
// N small text messages; every one goes engine -> Capture -> MessageLogModel -> filter proxy ->
// table view. Reports messages per second (from OPEN to CLOSED as the window sees them),
// bookkeeping bytes per message beyond the payload, how long after CLOSED the log's rows catch up
// with the capture, and the longest event-loop stall until they have.
//
//   bench_gui [--count N] [--size S] [--floodserver PATH] [--warm-memory MIB] [--ingest-only]
//             [--socketio | --mqtt] [--decode auto|none|PROTOCOL]
//
// --socketio, --mqtt: the flood server speaks that protocol on top (floodserver.cpp says how), the
// window connects as a client of it would (Socket.IO's /socket.io/?EIO=4 URL, MQTT's subprotocol)
// and so decodes every message as it takes it in (ProtocolDecoding); the Message column shows. Then
// the run also waits for every message to be decoded, and the stall probe measures until then.
// --decode sets the session's choice before the first byte arrives (auto, the default, finds the
// protocol; none turns decoding off), to compare the same flood with decoding and without.
//
// --stall-report: also says what filled the longest stall until the rows (and the decoding) caught
// up: each event the window's thread delivered in that gap and what received it (which model's
// batch timer, a repaint, a queued call), and the thread's CPU time. The probe says how long the
// event loop stalled; this says in whose handlers.
//
// Then (unless --ingest-only, which is for profiling the ingest alone) it types a regular
// expression into the log's search box, a character every 120 ms with one hesitation, over every
// row, and reports the longest stall while typing and searching.
//
// Last, as a condition of the machine rather than a measure of the window, it times the first
// write to 64 MiB of memory the process has never used, in huge pages and in small ones. A capture
// keeps every message, so it always writes fresh memory; in a virtual machine whose host takes
// back the guest's free memory (a balloon with free page reporting, a few seconds after it was
// freed), that first write costs the host's work of backing the page again: on the 2-core test
// machine about 2 ns a byte, 20 times a write to memory the host still backs. The rate follows it.
// --warm-memory MIB first writes and frees MIB of huge pages, so that the memory the capture takes
// next is backed, as on a machine without such a host; run-benchmarks.sh measures both ways.
//
// Targets (DESIGN.md, raised by the relay issue): >= 1,000,000 messages/s, <= ~100 bytes per
// message, stalls <= 16 ms while ingesting and <= 50 ms while searching. Exits 1 if a target is
// missed. run-benchmarks.sh also compares the rate with wsinspector-cli's on the same flood.

#include "decode/decoded.h"
#include "log/capturememory.h"
#include "log/hugepages.h"
#include "log/messagelogfilter.h"
#include "log/messagelogmodel.h"
#include "log/protocoldecoding.h"
#include "log/timelinemodel.h"
#include "mainwindow.h"
#include "inspect/messagelogview.h"
#include "net/clientsession.h"

#include <QApplication>
#include <QMetaEnum>
#include <QThread>
#include <QCheckBox>
#include <QLineEdit>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QProcess>
#include <QSettings>
#include <QTableView>
#include <QTemporaryDir>
#include <QTimer>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <vector>

namespace {
// CPU time of the calling thread.
qint64 threadCpuUs()
{
    timespec t {};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return qint64(t.tv_sec) * 1'000'000 + t.tv_nsec / 1000;
}

// CPU time of the process's thread named `name` (the networking thread), from the scheduler's count.
qint64 namedThreadCpuUs(const QByteArray &name)
{
    const QDir tasks(QStringLiteral("/proc/self/task"));
    for (const QString &tid : tasks.entryList(QDir::Dirs | QDir::NoDotAndDotDot)) {
        QFile comm(tasks.filePath(tid + QStringLiteral("/comm")));
        if (!comm.open(QIODevice::ReadOnly) || comm.readAll().trimmed() != name)
            continue;
        QFile schedstat(tasks.filePath(tid + QStringLiteral("/schedstat")));
        if (schedstat.open(QIODevice::ReadOnly))
            return schedstat.readAll().split(' ').first().toLongLong() / 1000;
    }
    return 0;
}

qint64 residentBytes()
{
    QFile status(QStringLiteral("/proc/self/status"));
    if (!status.open(QIODevice::ReadOnly))
        return 0;
    for (const QByteArray &line : status.readAll().split('\n'))
        if (line.startsWith("VmRSS:"))
            return line.mid(6).trimmed().split(' ').first().toLongLong() * 1024;
    return 0;
}

// Milliseconds to make `bytes` of never-used memory present and write it, in huge pages or small.
double freshMemoryMs(std::size_t bytes, bool hugePages)
{
    QElapsedTimer timer;
    timer.start();
    char *memory = nullptr;
    if (hugePages) {
        memory = static_cast<char *>(HugePages::map(bytes));
        CaptureMemory::prefault(memory, bytes);
    } else {
        memory = new char[bytes]; // default-initialized: untouched
    }
    for (std::size_t i = 0; i < bytes; i += 64)
        std::memset(memory + i, int(i), 64);
    const double ms = double(timer.nsecsElapsed()) / 1e6;
    if (hugePages)
        HugePages::unmap(memory, bytes);
    else
        delete[] memory;
    return ms;
}

// Times every event the window's thread delivers while `timing` (the outermost delivery only: a
// nested one is part of its caller's time), to name what filled the stall probe's longest gap: one
// long handler, several in one turn of the event loop, or none (the thread waited for a core).
class TimedApplication : public QApplication {
public:
    using QApplication::QApplication;

    struct Owner {
        const char *name;
        const void *object;
        std::size_t size;
    };
    struct Delivery {
        qint64 ns;
        QString what;
    };
    // What happened on the window's thread between two ticks of the probe.
    struct Gap {
        qint64 us = 0;
        qint64 cpuUs = 0; // the thread's CPU time in the gap
        std::vector<Delivery> listed; // deliveries of at least MinListedNs, in order
        int shortCount = 0;
        qint64 shortNs = 0;
    };

    bool timing = false;
    // Objects whose members receive events (a model's own QTimer has no parent to say whose it is).
    std::vector<Owner> owners;

    bool notify(QObject *receiver, QEvent *event) override
    {
        // The networking thread's events pass here too; only the window's thread is timed.
        if (QThread::currentThread() != thread())
            return QApplication::notify(receiver, event);
        if (!timing || m_depth > 0) {
            ++m_depth;
            const bool done = QApplication::notify(receiver, event);
            --m_depth;
            return done;
        }
        // Read before the delivery: a deferred delete destroys the receiver.
        const char *className = receiver->metaObject()->className();
        const auto address = reinterpret_cast<quintptr>(receiver);
        const QEvent::Type type = event->type();
        QElapsedTimer clock;
        clock.start();
        ++m_depth;
        const bool done = QApplication::notify(receiver, event);
        --m_depth;
        const qint64 ns = clock.nsecsElapsed();
        if (ns >= MinListedNs) {
            m_current.listed.push_back({ ns, describe(className, address, type) });
        } else {
            ++m_current.shortCount;
            m_current.shortNs += ns;
        }
        return done;
    }

    // The probe ticked after `us` (and `cpuUs` of the thread's CPU): keeps the gap if the longest.
    void tick(qint64 us, qint64 cpuUs)
    {
        if (timing && us > m_worst.us) {
            m_worst = std::move(m_current);
            m_worst.us = us;
            m_worst.cpuUs = cpuUs;
        }
        m_current = {};
    }
    const Gap &worst() const { return m_worst; }

private:
    static constexpr qint64 MinListedNs = 500'000;

    QString describe(const char *className, quintptr address, QEvent::Type type) const
    {
        QString what = QString::fromLatin1(className);
        for (const Owner &owner : owners) {
            const auto begin = reinterpret_cast<quintptr>(owner.object);
            if (address >= begin && address < begin + owner.size && address != begin) {
                what = QStringLiteral("%1 of %2").arg(what, QString::fromLatin1(owner.name));
                break;
            }
        }
        const char *typeName = QMetaEnum::fromType<QEvent::Type>().valueToKey(type);
        return QStringLiteral("%1 (%2)").arg(what, typeName ? QString::fromLatin1(typeName) : QString::number(type));
    }

    int m_depth = 0;
    Gap m_current;
    Gap m_worst;
};

QString argument(const QStringList &args, const QString &name, const QString &fallback)
{
    const qsizetype i = args.indexOf(name);
    return i >= 0 && i + 1 < args.size() ? args[i + 1] : fallback;
}
} // namespace

int main(int argc, char *argv[])
{
    qputenv("QT_QPA_PLATFORM", "offscreen");
    TimedApplication app(argc, argv);
    const QStringList args = app.arguments();
    const qint64 count = argument(args, QStringLiteral("--count"), QStringLiteral("1000000")).toLongLong();
    const int size = argument(args, QStringLiteral("--size"), QStringLiteral("64")).toInt();
    const QString flood = argument(args, QStringLiteral("--floodserver"),
                                   QCoreApplication::applicationDirPath() + QStringLiteral("/floodserver"));
    const bool socketIo = args.contains(QStringLiteral("--socketio"));
    const bool mqtt = args.contains(QStringLiteral("--mqtt"));
    const auto decode = Decode::Choice::fromName(argument(args, QStringLiteral("--decode"), QStringLiteral("auto")));
    if (!decode || (socketIo && mqtt)) {
        std::fprintf(stderr, "bench_gui: --decode takes auto, none or a protocol; --socketio or --mqtt, not both\n");
        return 2;
    }
    // The messages the server sends before the flood: Engine.IO's open and the namespace's connect;
    // MQTT's CONNACK.
    const qint64 opening = socketIo ? 2 : mqtt ? 1 : 0;
    if (const std::size_t warm = argument(args, QStringLiteral("--warm-memory"), QStringLiteral("0")).toULongLong())
        freshMemoryMs(warm << 20, true);

    QStringList serverArgs { QStringLiteral("--port"), QStringLiteral("0"), QStringLiteral("--count"), QString::number(count),
                             QStringLiteral("--size"), QString::number(size), QStringLiteral("--connections"),
                             QStringLiteral("1") };
    if (socketIo)
        serverArgs << QStringLiteral("--socketio");
    if (mqtt)
        serverArgs << QStringLiteral("--mqtt");
    QProcess server;
    server.start(flood, serverArgs);
    // A protocol flood is built before the server listens: a million messages take a moment.
    if (!server.waitForStarted() || !server.waitForReadyRead(30'000)) {
        std::fprintf(stderr, "bench_gui: cannot start %s\n", qPrintable(flood));
        return 2;
    }
    const QByteArray portLine = server.readLine().trimmed();
    const quint16 port = quint16(portLine.mid(5).toUInt());

    QTemporaryDir settingsDir;
    QSettings settings(settingsDir.filePath(QStringLiteral("bench.ini")), QSettings::IniFormat);
    MainWindow window(&settings);
    window.resize(1400, 900);
    window.show();
    QCoreApplication::processEvents();

    // Event-loop stall probe: a 1 ms timer; the longest gap between its ticks is the worst stall.
    QElapsedTimer clock;
    clock.start();
    qint64 lastTick = 0;
    qint64 lastTickCpuUs = 0; // for --stall-report only
    qint64 worstGapUs = 0;
    bool measuring = false;
    QTimer probe;
    probe.setTimerType(Qt::PreciseTimer);
    probe.setInterval(1);
    QObject::connect(&probe, &QTimer::timeout, [&] {
        const qint64 now = clock.nsecsElapsed() / 1000;
        if (measuring)
            worstGapUs = qMax(worstGapUs, now - lastTick);
        if (app.timing) {
            const qint64 cpu = threadCpuUs();
            app.tick(now - lastTick, cpu - lastTickCpuUs);
            lastTickCpuUs = cpu;
        }
        lastTick = now;
    });
    probe.start();

    const qint64 rssBefore = residentBytes();
    ConnectionOptions options;
    options.url = QUrl(socketIo ? QStringLiteral("ws://127.0.0.1:%1/socket.io/?EIO=4&transport=websocket").arg(port)
                                : QStringLiteral("ws://127.0.0.1:%1/").arg(port));
    if (mqtt)
        options.subprotocols << QStringLiteral("mqtt");
    ClientSession *session = window.openConnection(options);
    // The decoding follows the capture on this thread: nothing has reached it yet.
    ProtocolDecoding *decoding = session->decoding();
    decoding->setChoice(*decode);
    const bool stallReport = args.contains(QStringLiteral("--stall-report"));
    app.owners = { { "ProtocolDecoding", decoding, sizeof(ProtocolDecoding) },
                   { "MessageLogModel", session->log(), sizeof(MessageLogModel) },
                   { "TimelineModel", session->timeline(), sizeof(TimelineModel) },
                   { "MessageLogFilter", window.logView()->filter(), sizeof(MessageLogFilter) },
                   { "ClientSession", session, sizeof(ClientSession) } };
    qint64 openedAtNs = 0, closedAtNs = 0, rowsInAtNs = 0, decodedAtNs = 0;
    qint64 cpuAtOpenUs = 0, cpuAtCloseUs = 0, cpuAtEndUs = 0; // the window's thread
    qint64 networkCpuAtOpenUs = 0, networkCpuAtCloseUs = 0;
    // The window's view of the connection: OPEN and CLOSED as their events reach it.
    QObject::connect(session, &ClientSession::changed, [&, session] {
        if (session->readyState() == ReadyState::Open && openedAtNs == 0) {
            openedAtNs = clock.nsecsElapsed();
            cpuAtOpenUs = threadCpuUs();
            networkCpuAtOpenUs = namedThreadCpuUs("wsinspector net");
            lastTick = openedAtNs / 1000;
            measuring = true;
            app.timing = stallReport;
            lastTickCpuUs = threadCpuUs();
        } else if (session->readyState() == ReadyState::Closed && openedAtNs != 0 && closedAtNs == 0) {
            closedAtNs = clock.nsecsElapsed();
            cpuAtCloseUs = threadCpuUs();
            networkCpuAtCloseUs = namedThreadCpuUs("wsinspector net");
        }
    });
    // The log's rows and the decoding follow the capture in batches, each on its own timer: the run
    // ends when every event is a row and has been decoded, and the stall probe keeps measuring until
    // then.
    auto caughtUp = [&, session, decoding] {
        if (closedAtNs == 0)
            return;
        const qsizetype events = session->capture()->count();
        if (rowsInAtNs == 0 && session->log()->rowCount() >= events)
            rowsInAtNs = clock.nsecsElapsed();
        if (decodedAtNs == 0 && decoding->eventCount() >= events)
            decodedAtNs = clock.nsecsElapsed();
        if (rowsInAtNs == 0 || decodedAtNs == 0 || !measuring)
            return;
        cpuAtEndUs = threadCpuUs();
        measuring = false;
        app.timing = false;
        app.quit();
    };
    QObject::connect(session->log(), &MessageLogModel::rowsAppended, caughtUp);
    QObject::connect(decoding, &ProtocolDecoding::appended, caughtUp);
    QObject::connect(session, &ClientSession::changed, caughtUp);
    QTimer::singleShot(120'000, &app, [&] {
        std::fprintf(stderr, "bench_gui: timed out\n");
        app.exit(2);
    });
    if (app.exec() != 0)
        return 2;

    session->log()->flushPending();
    decoding->flushPending();
    QCoreApplication::processEvents();
    const qint64 rssAfter = residentBytes();
    const Capture *capture = session->capture();
    qint64 frames = 0;
    for (qsizetype i = 0; i < capture->count(); ++i)
        frames += capture->event(i).kind == EventKind::Frame && capture->event(i).direction == Direction::Incoming;
    const double seconds = double(closedAtNs - openedAtNs) / 1e9;
    const double rate = double(frames) / seconds;
    const double perMessage = double(rssAfter - rssBefore - qint64(capture->payloadBytes())) / double(capture->count());
    const double captureOverhead = double(capture->overheadBytes()) / double(capture->count());
    const int rows = window.logView()->table()->model()->rowCount();
    // What the Message column shows for the flood's last message (the last incoming data frame), as
    // the view asks for it.
    qsizetype lastMessage = capture->count() - 1;
    while (lastMessage > 0
           && !(capture->event(lastMessage).kind == EventKind::Frame && capture->event(lastMessage).direction == Direction::Incoming
                && !Opcode::isControl(capture->event(lastMessage).frame.opcode)))
        --lastMessage;
    const QString lastDecoded
        = session->log()->index(int(lastMessage), MessageLogModel::MessageColumn).data(Qt::DisplayRole).toString();
    const bool messageColumnShown = !window.logView()->table()->isColumnHidden(MessageLogModel::MessageColumn);
    if (stallReport) {
        const TimedApplication::Gap &gap = app.worst();
        std::printf("stall report: the longest gap, %.1f ms, took %.1f ms of the window's thread's CPU\n",
                    double(gap.us) / 1000.0, double(gap.cpuUs) / 1000.0);
        for (const TimedApplication::Delivery &d : gap.listed)
            std::printf("stall report:   %6.1f ms in %s\n", double(d.ns) / 1e6, qPrintable(d.what));
        std::printf("stall report:   %6.1f ms in %d shorter deliveries\n", double(gap.shortNs) / 1e6, gap.shortCount);
    }
    if (args.contains(QStringLiteral("--ingest-only"))) {
        qint64 openUs = 0, closeUs = 0;
        for (qsizetype i = 0; i < capture->count(); ++i) {
            const WireEvent e = capture->event(i);
            if (e.kind == EventKind::StateChange && e.state == ReadyState::Open)
                openUs = e.timeUs;
            if (e.kind == EventKind::StateChange && e.state == ReadyState::Closed)
                closeUs = e.timeUs;
        }
        std::printf("messages per second (open to close) %.0f, longest stall %.1f ms, rows %d; networking thread "
                    "open to close %.1f ms; window's thread busy %.1f ms of %.1f, networking thread %.1f ms; every event a row "
                    "%.0f ms after CLOSED, every message decoded %.0f ms after; window's thread busy %.1f ms from OPEN "
                    "until both; decoding: %s; Message column %s, last message: %s\n",
            rate, double(worstGapUs) / 1000.0, rows, double(closeUs - openUs) / 1000.0,
            double(cpuAtCloseUs - cpuAtOpenUs) / 1000.0, double(closedAtNs - openedAtNs) / 1e6,
            double(networkCpuAtCloseUs - networkCpuAtOpenUs) / 1000.0, double(rowsInAtNs - closedAtNs) / 1e6,
            double(decodedAtNs - closedAtNs) / 1e6, double(cpuAtEndUs - cpuAtOpenUs) / 1000.0,
            qPrintable(Decode::protocolId(decoding->activeProtocol())), messageColumnShown ? "shown" : "hidden",
            qPrintable(lastDecoded));
        return 0;
    }

    // Typing a regular expression over every row: the keystrokes, the pause that starts the search,
    // and the search in slices. The longest event-loop stall is what the person typing feels.
    auto *searchBox = window.logView()->findChild<QLineEdit *>(QStringLiteral("logSearch"));
    for (QCheckBox *box : window.logView()->findChildren<QCheckBox *>())
        if (box->text() == QStringLiteral("Regex"))
            box->setChecked(true);
    const QString pattern = QStringLiteral("mes+age [a-z]*zq");
    MessageLogFilter *filter = window.logView()->filter();
    int typed = 0;
    qint64 lastKeyNs = 0, searchedNs = 0;
    QTimer typist;
    typist.setInterval(120);
    QObject::connect(&typist, &QTimer::timeout, [&] {
        searchBox->insert(pattern.mid(typed++, 1));
        lastKeyNs = clock.nsecsElapsed();
        // One hesitation halfway: long enough for a search to start over every row, then typing goes on.
        typist.setInterval(typed == pattern.size() / 2 ? 600 : 120);
        if (typed == pattern.size())
            typist.stop();
    });
    QObject::connect(filter, &MessageLogFilter::searchFinished, [&] {
        if (typed < pattern.size() || filter->isSearching())
            return;
        searchedNs = clock.nsecsElapsed();
        measuring = false;
        app.quit();
    });
    const qint64 floodStallUs = worstGapUs;
    worstGapUs = 0;
    lastTick = clock.nsecsElapsed() / 1000;
    measuring = true;
    typist.start();
    QTimer::singleShot(120'000, &app, [&] {
        std::fprintf(stderr, "bench_gui: the search did not finish\n");
        app.exit(2);
    });
    if (app.exec() != 0)
        return 2;
    const qint64 searchStallUs = worstGapUs;
    const double searchMs = double(searchedNs - lastKeyNs) / 1e6;
    const int matching = window.logView()->table()->model()->rowCount();

    if (socketIo || mqtt)
        std::printf("GUI pipeline benchmark: %lld %s messages of about 64 bytes, engine -> capture -> model -> view "
                    "(offscreen), decoding %s\n\n",
                    static_cast<long long>(count), socketIo ? "Socket.IO event" : "MQTT PUBLISH",
                    decode->automatic ? "auto" : qPrintable(Decode::protocolId(decode->protocol)));
    else
        std::printf("GUI pipeline benchmark: %lld text messages of %d bytes, engine -> capture -> model -> view (offscreen)\n\n",
                    static_cast<long long>(count), size);
    std::printf("%-46s %14s\n", "measure", "value");
    std::printf("%-46s %14.0f\n", "messages per second (open to close)", rate);
    std::printf("%-46s %14.1f\n", "bookkeeping bytes per message (RSS growth)", perMessage);
    std::printf("%-46s %14.1f\n", "  of which Capture records and chunk slack", captureOverhead);
    std::printf("%-46s %14.1f\n", "longest event-loop stall (ms)", double(floodStallUs) / 1000.0);
    std::printf("%-46s %14.0f\n", "  CLOSED to every event a row in the log (ms)", double(rowsInAtNs - closedAtNs) / 1e6);
    std::printf("%-46s %14.0f\n", "  CLOSED to every message decoded (ms)", double(decodedAtNs - closedAtNs) / 1e6);
    std::printf("%-46s %14.1f\n", "  window's thread CPU, OPEN to both (ms)", double(cpuAtEndUs - cpuAtOpenUs) / 1000.0);
    std::printf("%-46s %14lld\n", "rows in the log view", static_cast<long long>(rows));
    std::printf("%-46s %14.1f\n", "longest stall typing a regex over every row (ms)", double(searchStallUs) / 1000.0);
    std::printf("%-46s %14.0f\n", "  last keystroke to search applied (ms)", searchMs);
    std::printf("%-46s %14lld\n", "  rows matching", static_cast<long long>(matching));
    std::printf("%-46s %14lld\n", "frames captured", static_cast<long long>(frames));
    std::printf("%-46s %14s\n", "decoding as", qPrintable(decoding->activeProtocol() == Decode::Protocol::None
                                                             ? QStringLiteral("none")
                                                             : Decode::protocolId(decoding->activeProtocol())));
    std::printf("%-46s %14s\n", "Message column", messageColumnShown ? "shown" : "hidden");
    std::printf("Message column of the last message: %s\n", qPrintable(lastDecoded));
    // After the run: memory freed now would otherwise be what the capture takes next.
    std::printf("%-46s %14.1f\n", "machine: first write to 64 MiB, huge pages (ms)", freshMemoryMs(64 << 20, true));
    std::printf("%-46s %14.1f\n", "machine: first write to 64 MiB, small pages (ms)", freshMemoryMs(64 << 20, false));

    bool ok = true;
    if (frames != opening + count + 1) { // the opening messages, the flood and the server's close frame
        std::printf("FAIL: expected %lld incoming frames\n", static_cast<long long>(opening + count + 1));
        ok = false;
    }
    // Decoding on: the last message must be decoded and shown (off, or on plain traffic: nothing).
    const bool decodes = (socketIo || mqtt) && (decode->automatic || decode->protocol != Decode::Protocol::None);
    if (decodes && (lastDecoded.isEmpty() || !messageColumnShown)) {
        std::printf("FAIL: the last message is not decoded in the Message column\n");
        ok = false;
    }
    if (rows != capture->count()) {
        std::printf("FAIL: the view shows %d rows of %lld events\n", rows, static_cast<long long>(capture->count()));
        ok = false;
    }
    if (rate < 1'000'000) {
        std::printf("MISS: below 1,000,000 messages per second\n");
        ok = false;
    }
    if (perMessage > 100) {
        std::printf("MISS: more than 100 bytes of bookkeeping per message\n");
        ok = false;
    }
    if (floodStallUs > 16'000) { // a frame at 60 Hz (the relay issue; it was 50 ms)
        std::printf("MISS: the event loop stalled for more than 16 ms while ingesting\n");
        ok = false;
    }
    if (searchStallUs > 50'000) {
        std::printf("MISS: the event loop stalled for more than 50 ms while searching\n");
        ok = false;
    }
    std::printf(ok ? "PASS: all GUI targets met\n" : "some GUI targets missed\n");
    server.kill();
    server.waitForFinished();
    return ok ? 0 : 1;
}
