#include "log/sessionfile.h"

#include "log/capture.h"
#include "protocol/messagenumbering.h"
#include "text/displaytext.h"

#include <QAbstractEventDispatcher>
#include <QCoreApplication>
#include <QDateTime>
#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>

namespace {
constexpr qsizetype FlushThreshold = 256 * 1024;

// Translation context for the reader's errors (SessionFileReader is not a QObject; the writer has
// its own tr()).
struct Tr {
    Q_DECLARE_TR_FUNCTIONS(SessionFileReader)
};

qint64 nowUs()
{
    return QDateTime::currentMSecsSinceEpoch() * 1000;
}

// "2026-11-21T05:30:00.123456Z" (what EventTime::iso() writes) to microseconds; 0 if not.
qint64 parseIsoTime(const QString &text)
{
    if (text.size() != 27 || text[19] != u'.' || text[26] != u'Z')
        return 0;
    const QDate date = QDate::fromString(text.left(10), Qt::ISODate);
    const QTime time = QTime::fromString(text.mid(11, 8), Qt::ISODate);
    bool ok = false;
    const int micro = text.mid(20, 6).toInt(&ok);
    if (!date.isValid() || !time.isValid() || text[10] != u'T' || !ok)
        return 0;
    const QDateTime utc(date, time, Qt::UTC);
    return utc.toSecsSinceEpoch() * 1000000 + micro;
}

// Header fields are QStrings read from JSON, where "\ud800" (a lone surrogate) is valid; converting
// them to UTF-8 would turn it into U+FFFD. Qt's JSON writer escapes it instead, so a header read
// from a file is saved again unchanged.
QByteArray jsonValue(const QJsonValue &value)
{
    const QByteArray array = QJsonDocument(QJsonArray { value }).toJson(QJsonDocument::Compact);
    return array.sliced(1, array.size() - 2); // strip the array's brackets
}
} // namespace

SessionFileWriter::SessionFileWriter(QObject *parent)
    : QObject(parent)
{
}

SessionFileWriter::~SessionFileWriter()
{
    close();
}

bool SessionFileWriter::open(const QString &path, const SessionHeader &header)
{
    close();
    m_failed = false;
    m_error.clear();
    m_events = 0;
    m_file.setFileName(path);
    // Unbuffered: this class does its own buffering and decides when bytes reach the file.
    if (!m_file.open(QIODevice::WriteOnly | QIODevice::Truncate | QIODevice::Unbuffered)) {
        m_error = tr("cannot write \"%1\": %2").arg(path, m_file.errorString());
        return false;
    }
    // Written by hand so that the standard fields come first, in a fixed order.
    m_buffer.reserve(FlushThreshold + 64 * 1024);
    m_buffer = QByteArrayLiteral("{\"format\":\"") + SessionFormat::Name
        + "\",\"version\":" + QByteArray::number(SessionFormat::Version) + ",\"created\":\""
        + EventTime::iso(header.createdUs ? header.createdUs : nowUs()) + '"';
    auto addString = [this](const char *name, const QString &value) {
        if (value.isEmpty())
            return;
        m_buffer += ",\"";
        m_buffer += name;
        m_buffer += "\":";
        m_buffer += jsonValue(value);
    };
    addString("tool", header.tool);
    addString("url", header.url);
    for (auto it = header.extra.constBegin(); it != header.extra.constEnd(); ++it) {
        m_buffer += ',';
        m_buffer += jsonValue(it.key());
        m_buffer += ':';
        m_buffer += jsonValue(it.value());
    }
    m_buffer += "}\n";
    if (auto *dispatcher = QAbstractEventDispatcher::instance(thread())) {
        connect(dispatcher, &QAbstractEventDispatcher::aboutToBlock, this, [this] {
            if (!m_buffer.isEmpty())
                flush();
        });
    }
    if (!flush()) {
        m_file.close();
        return false;
    }
    return true;
}

void SessionFileWriter::record(const WireEvent &event)
{
    if (!m_file.isOpen() || m_failed)
        return;
    m_writer.append(m_buffer, event);
    ++m_events;
    if (m_buffer.size() >= FlushThreshold)
        flush();
}

bool SessionFileWriter::flush()
{
    if (m_failed)
        return false;
    if (m_buffer.isEmpty() || !m_file.isOpen())
        return true;
    const qint64 written = m_file.write(m_buffer);
    if (written != m_buffer.size()) {
        m_failed = true;
        m_error = tr("writing \"%1\" failed: %2").arg(m_file.fileName(), m_file.errorString());
        m_buffer.clear();
        return false;
    }
    m_buffer.truncate(0); // keeps the capacity for the next batch
    return true;
}

void SessionFileWriter::close()
{
    if (!m_file.isOpen())
        return;
    flush();
    if (auto *dispatcher = QAbstractEventDispatcher::instance(thread()))
        disconnect(dispatcher, nullptr, this, nullptr);
    m_file.close();
    m_buffer = QByteArray();
}

SessionFileReader::Result SessionFileReader::load(const QString &path, Capture &into)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        Result result;
        result.errors << Tr::tr("cannot read \"%1\": %2").arg(path, file.errorString());
        return result;
    }
    return read(file, into);
}

bool SessionFileWriter::save(const QString &path, const Capture &capture, const SessionHeader &header,
                             QString *error)
{
    SessionFileWriter writer;
    bool ok = writer.open(path, header);
    for (qsizetype i = 0; ok && i < capture.count(); ++i)
        writer.record(capture.event(i));
    ok = ok && writer.flush();
    if (!ok && error)
        *error = writer.errorString();
    writer.close();
    return ok;
}

LoadedEvents::LoadedEvents(Capture &into)
    : m_capture(into)
{
}

void LoadedEvents::record(WireEvent event)
{
    if (event.kind == EventKind::Frame && event.direction != Direction::Local) {
        const int dir = event.direction == Direction::Outgoing ? 1 : 0;
        Numbering &n = m_numberings[(quint64(event.connectionId) << 1) | quint64(dir)];
        const quint32 local = n.local.next(event.frame);
        if (local && local != n.lastLocal) {
            n.lastLocal = local;
            n.id = ++m_lastId[dir];
        }
        event.messageId = local ? n.id : 0;
    }
    m_capture.record(event);
}

SessionFileReader::Result SessionFileReader::read(QIODevice &device, Capture &into)
{
    Result result;
    result.opened = true;
    auto addError = [&result](qsizetype lineNumber, const QString &message) {
        if (result.errors.size() < MaxErrors)
            result.errors << Tr::tr("line %1: %2").arg(lineNumber).arg(message);
        else if (result.errors.size() == MaxErrors)
            result.errors << Tr::tr("(further errors not listed)");
    };

    StoredEvent stored;
    QString error;
    LoadedEvents loaded(into);
    qsizetype lineNumber = 0;
    bool firstContentLine = true;
    while (!device.atEnd()) {
        const QByteArray line = device.readLine();
        ++lineNumber;
        if (line.trimmed().isEmpty())
            continue;
        const bool complete = line.endsWith('\n');

        if (firstContentLine) {
            firstContentLine = false;
            const QJsonDocument doc = QJsonDocument::fromJson(line);
            if (doc.isObject() && doc.object().contains(QStringLiteral("format"))) {
                const QJsonObject header = doc.object();
                const QString format = header.value(QStringLiteral("format")).toString();
                if (format != QLatin1String(SessionFormat::Name)) {
                    addError(lineNumber,
                        Tr::tr("not a WebSocket Inspector session: format is %1, expected \"%2\"")
                            .arg(DisplayText::quoted(format.toUtf8(), 60), QLatin1String(SessionFormat::Name)));
                    ++result.badLines;
                    continue;
                }
                result.version = header.value(QStringLiteral("version")).toInt(0);
                if (result.version < 1) {
                    addError(lineNumber, Tr::tr("session header has no valid \"version\""));
                    ++result.badLines;
                } else if (result.version > SessionFormat::Version) {
                    addError(lineNumber,
                        Tr::tr("session version %1 is newer than this program reads (%2); "
                               "reading the events it understands")
                            .arg(result.version)
                            .arg(SessionFormat::Version));
                }
                result.header.tool = header.value(QStringLiteral("tool")).toString();
                result.header.url = header.value(QStringLiteral("url")).toString();
                result.header.createdUs = parseIsoTime(header.value(QStringLiteral("created")).toString());
                for (auto it = header.constBegin(); it != header.constEnd(); ++it) {
                    static const QStringList standard = { QStringLiteral("format"), QStringLiteral("version"),
                        QStringLiteral("created"), QStringLiteral("tool"), QStringLiteral("url") };
                    if (!standard.contains(it.key()))
                        result.header.extra.insert(it.key(), it.value());
                }
                continue;
            }
            addError(lineNumber,
                Tr::tr("no session header (expected {\"format\":\"%1\",...}); reading the "
                       "lines as events")
                    .arg(QLatin1String(SessionFormat::Name)));
        }

        if (!JsonlReader::parseLine(line, stored, error)) {
            if (!complete)
                error += Tr::tr(" (the file ends inside this line: was the session cut short?)");
            addError(lineNumber, error);
            ++result.badLines;
            continue;
        }
        loaded.record(stored.event());
        ++result.eventsLoaded;
    }
    if (lineNumber == 0)
        result.errors << Tr::tr("the file is empty");
    return result;
}
