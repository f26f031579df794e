#pragma once

#include "log/sessionfile.h"

#include <QCoreApplication>
#include <QString>


class Capture;

// The files a capture is read from and written to, the format chosen by the file's extension:
// HTTP Archives (.har), pcapng (.pcapng, written only) and session files (.jsonl, and any other
// name, as --capture writes them). What wsinspector-cli --convert and the window's File > Open
// and Export use.
class CaptureFiles {
    Q_DECLARE_TR_FUNCTIONS(CaptureFiles)
public:
    enum class Format { Session, Har, Pcapng };
    // From the extension (case ignored): .har, .pcapng, and a session file for any other.
    static Format formatOf(const QString &path);
    static QString extension(Format format); // "jsonl", "har", "pcapng"
    // File dialog filters, the first for session files: "Session files (*.jsonl)", ...
    static QStringList readFilters();
    static QStringList writeFilters();

    // Reads a session file or a HAR file into `into` (SessionFileReader, HarReader); a HAR file
    // under another name is told by its start. A pcapng file cannot be read back: its result says
    // so and why, with nothing loaded.
    static SessionFileReader::Result load(const QString &path, Capture &into);
    static bool save(const QString &path, const Capture &capture, const SessionHeader &header, QString *error);
};
