// Fuzz target for SessionFileReader: the input is a session file (jsonl) as a user might open it.
//
// Reading must account for every line (loaded, bad, or the header), never list more than MaxErrors
// errors (plus the note that more were left out), and load into the Capture exactly what it counts.
// Then a round trip: the events it loaded, written with SessionFileWriter and read back, must be
// read without a single error and be the same events, so that nothing the reader accepts is lost or
// changed by saving it again.

#include "fuzzinput.h"
#include "log/capture.h"
#include "log/sessionfile.h"

#include <QBuffer>
#include <QTemporaryDir>

namespace {

QString describe(const WireEvent &e)
{
    return QStringLiteral("kind=%1 dir=%2 conn=%3 us=%4 header=[%5] payload=[%6] rule=%7 code=%8 state=%9 clean=%10")
        .arg(eventKindName(e.kind), directionName(e.direction))
        .arg(e.connectionId)
        .arg(e.timeUs)
        .arg(hexOf(e.header), hexOf(e.payload))
        .arg(int(e.violation))
        .arg(e.closeCode)
        .arg(int(e.state))
        .arg(int(e.wasClean));
}

// What the jsonl schema carries for each kind (eventformatter.h): a close code and "was_clean" only
// for a CLOSED state change or a violation.
bool sameEvent(const WireEvent &a, const WireEvent &b)
{
    if (a.timeUs != b.timeUs || a.connectionId != b.connectionId || a.direction != b.direction || a.kind != b.kind
        || a.header != b.header || a.payload != b.payload || a.violation != b.violation || a.state != b.state)
        return false;
    const bool closed = a.kind == EventKind::StateChange && a.state == ReadyState::Closed;
    if (closed && a.wasClean != b.wasClean)
        return false;
    if ((closed || a.kind == EventKind::Violation) && a.closeCode != b.closeCode)
        return false;
    return true;
}

QString writePath()
{
    static QTemporaryDir dir;
    FUZZ_CHECK(dir.isValid(), dir.errorString());
    return dir.filePath(QStringLiteral("roundtrip.jsonl"));
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    QByteArray bytes(reinterpret_cast<const char *>(data), qsizetype(size));
    QBuffer buffer(&bytes);
    buffer.open(QIODevice::ReadOnly);
    Capture loaded;
    const SessionFileReader::Result first = SessionFileReader::read(buffer, loaded);

    FUZZ_CHECK(first.opened, first.errors.join(QLatin1Char('\n')));
    FUZZ_CHECK(loaded.count() == first.eventsLoaded, QString::number(loaded.count()));
    const qsizetype lines = bytes.count('\n') + (bytes.endsWith('\n') || bytes.isEmpty() ? 0 : 1);
    FUZZ_CHECK(first.eventsLoaded + first.badLines <= lines,
        QStringLiteral("%1 events and %2 bad lines from %3 lines")
            .arg(first.eventsLoaded)
            .arg(first.badLines)
            .arg(lines));
    FUZZ_CHECK(first.errors.size() <= SessionFileReader::MaxErrors + 1, QString::number(first.errors.size()));
    FUZZ_CHECK(first.badLines == 0 || !first.errors.isEmpty(), QString::number(first.badLines));

    const QString path = writePath();
    SessionFileWriter writer;
    FUZZ_CHECK(writer.open(path, first.header), writer.errorString());
    for (qsizetype i = 0; i < loaded.count(); ++i)
        writer.record(loaded.event(i));
    FUZZ_CHECK(writer.flush(), writer.errorString());
    writer.close();

    Capture again;
    const SessionFileReader::Result second = SessionFileReader::load(path, again);
    FUZZ_CHECK(second.ok() && second.version == SessionFormat::Version,
        QStringLiteral("a saved session reads back with errors:\n") + second.errors.join(QLatin1Char('\n')));
    FUZZ_CHECK(second.eventsLoaded == first.eventsLoaded,
        QStringLiteral("%1 events saved, %2 read back").arg(first.eventsLoaded).arg(second.eventsLoaded));
    for (qsizetype i = 0; i < loaded.count(); ++i) {
        const WireEvent a = loaded.event(i), b = again.event(i);
        FUZZ_CHECK(sameEvent(a, b),
            QStringLiteral("event %1 changed by a round trip:\n%2\n%3").arg(i).arg(describe(a), describe(b)));
    }
    FUZZ_CHECK(second.header.tool == first.header.tool && second.header.url == first.header.url
            && second.header.extra == first.header.extra
            && (first.header.createdUs == 0 || second.header.createdUs == first.header.createdUs),
        QStringLiteral("the session header changed by a round trip"));
    return 0;
}
