#pragma once

#include "log/sessionfile.h"

#include <QCoreApplication>
#include <QString>

#include <optional>

class Capture;

// The files a capture is read from and written to, the format chosen by the file's extension:
// session files (.jsonl), HTTP Archives (.har) and, written only, pcapng (.pcapng). What
// wsinspector-cli --convert and the window's File > Open and Export use.
class CaptureFiles {
    Q_DECLARE_TR_FUNCTIONS(CaptureFiles)
public:
    enum class Format { Session, Har, Pcapng };
    // From the extension (case ignored); nullopt for any other, with `error` saying which exist.
    static std::optional<Format> formatOf(const QString &path, QString *error);
    static QString extension(Format format); // "jsonl", "har", "pcapng"
    // File dialog filters, the first for session files: "Session files (*.jsonl)", ...
    static QStringList readFilters();
    static QStringList writeFilters();

    // Reads a session file or a HAR file into `into` (SessionFileReader, HarReader). A pcapng file
    // cannot be read back: its result says so and why, with nothing loaded.
    static SessionFileReader::Result load(const QString &path, Capture &into);
    static bool save(const QString &path, const Capture &capture, const SessionHeader &header, QString *error);
};
