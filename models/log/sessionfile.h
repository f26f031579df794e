#pragma once

#include "log/jsonlreader.h"
#include "log/jsonlwriter.h"
#include "log/wireevent.h"
#include "protocol/messagenumbering.h"

#include <QFile>
#include <QHash>
#include <QJsonObject>
#include <QObject>
#include <QStringList>

class Capture;
class QIODevice;

// Session files are jsonl (see jsonlwriter.h for the event schema) with one header object on the
// first line:
//   {"format":"wsinspector-session","version":1,"created":"2026-11-21T05:30:00.123456Z",
//    "tool":"wsinspector-cli 0.1.0","url":"ws://127.0.0.1:8080/"}
// "tool" and "url" are optional; readers ignore header fields they do not know.
namespace SessionFormat {
inline constexpr char Name[] = "wsinspector-session";
inline constexpr int Version = 1;
} // namespace SessionFormat

struct SessionHeader {
    qint64 createdUs = 0; // 0: now
    QString tool;
    QString url;
    QJsonObject extra; // any further fields, written after the standard ones
};

// Writes a session as it happens: a WireEventSink that formats each event into a buffer and writes
// the buffer to the file when it grows large, whenever the event loop is about to wait (so a crash
// loses at most the events of the current event-loop turn), on flush() and on close().
class SessionFileWriter : public QObject, public WireEventSink {
    Q_OBJECT
public:
    explicit SessionFileWriter(QObject *parent = nullptr);
    ~SessionFileWriter() override;

    // Creates (truncates) the file and writes the header line. False with errorString() on failure.
    bool open(const QString &path, const SessionHeader &header = {});
    bool isOpen() const { return m_file.isOpen(); }
    QString fileName() const { return m_file.fileName(); }

    void record(const WireEvent &event) override;

    // Writes a whole capture to `path`, header first (File > Save Session). False, with `error`
    // set, when the file cannot be created or written.
    static bool save(const QString &path, const Capture &capture, const SessionHeader &header, QString *error);

    // Writes what is buffered. False once a write has failed (errorString() says why); later events
    // are then dropped rather than written with a gap.
    bool flush();
    void close();
    QString errorString() const { return m_error; }
    qint64 eventsWritten() const { return m_events; }

private:
    QFile m_file;
    QByteArray m_buffer;
    JsonlWriter m_writer;
    QString m_error;
    qint64 m_events = 0;
    bool m_failed = false;
};

// Records events read back from a file into a Capture. Files carry frames, not message boundaries:
// the messages are numbered again as the events come, per connection and direction (where
// fragments belong), with ids unique per direction in the capture, which may hold several
// connections.
class LoadedEvents {
public:
    explicit LoadedEvents(Capture &into);
    void record(WireEvent event);

private:
    struct Numbering {
        MessageNumbering local;
        quint32 lastLocal = 0;
        quint32 id = 0;
    };
    Capture &m_capture;
    QHash<quint64, Numbering> m_numberings;
    quint32 m_lastId[2] = { 0, 0 };
};

// Loads a session file into a Capture. Each bad line is reported with its number and what is wrong,
// and skipped; every good line is kept.
class SessionFileReader {
public:
    struct Result {
        bool opened = false; // false: the file could not be read at all (see errors)
        SessionHeader header;
        int version = 0; // 0: no header line
        qsizetype eventsLoaded = 0;
        qsizetype badLines = 0;
        QStringList errors; // "line 17: not valid JSON: ...", at most MaxErrors of them
        bool ok() const { return opened && errors.isEmpty(); } // every line read, nothing to report
    };
    static constexpr qsizetype MaxErrors = 1000;

    static Result load(const QString &path, Capture &into);
    static Result read(QIODevice &device, Capture &into);
};
