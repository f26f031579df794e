#include "log/capturefiles.h"

#include "log/harreader.h"
#include "log/harwriter.h"
#include "log/pcapngwriter.h"

#include <QFile>
#include <QFileInfo>

std::optional<CaptureFiles::Format> CaptureFiles::formatOf(const QString &path, QString *error)
{
    const QString suffix = QFileInfo(path).suffix().toLower();
    if (suffix == QLatin1String("jsonl"))
        return Format::Session;
    if (suffix == QLatin1String("har"))
        return Format::Har;
    if (suffix == QLatin1String("pcapng"))
        return Format::Pcapng;
    if (error)
        *error = tr("\"%1\": the extension says which format: .jsonl (a session file), .har (an HTTP Archive) or "
                    ".pcapng (for Wireshark)")
                     .arg(path);
    return std::nullopt;
}

QString CaptureFiles::extension(Format format)
{
    switch (format) {
    case Format::Session:
        return QStringLiteral("jsonl");
    case Format::Har:
        return QStringLiteral("har");
    case Format::Pcapng:
        return QStringLiteral("pcapng");
    }
    return {};
}

QStringList CaptureFiles::readFilters()
{
    return { tr("Captures (*.jsonl *.har)"), tr("Session files (*.jsonl)"), tr("HTTP Archives from a browser or from here (*.har)") };
}

QStringList CaptureFiles::writeFilters()
{
    return { tr("Session files (*.jsonl)"), tr("HTTP Archive, for Chrome DevTools (*.har)"), tr("pcapng, for Wireshark (*.pcapng)") };
}

SessionFileReader::Result CaptureFiles::load(const QString &path, Capture &into)
{
    QString error;
    const auto format = formatOf(path, &error);
    if (format == Format::Har)
        return HarReader::load(path, into);
    if (format == Format::Session)
        return SessionFileReader::load(path, into);
    SessionFileReader::Result result;
    result.errors << (format ? tr("\"%1\": a pcapng file cannot be read back here (it holds the bytes on the wire, "
                                  "not what the inspector recorded of them); open its session file (.jsonl) or a HAR export")
                                   .arg(path)
                             : error);
    return result;
}

namespace {

// Creates or truncates `path` and has `write` fill it.
template <typename Write>
bool saveWith(const QString &path, Write write, QString *error)
{
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate)) {
        if (error)
            *error = CaptureFiles::tr("cannot write \"%1\": %2").arg(path, file.errorString());
        return false;
    }
    QString why;
    if (!write(&file, &why) || !file.flush()) {
        if (error)
            *error = CaptureFiles::tr("writing \"%1\" failed: %2").arg(path, why.isEmpty() ? file.errorString() : why);
        return false;
    }
    return true;
}

} // namespace

bool CaptureFiles::save(const QString &path, const Capture &capture, const SessionHeader &header, QString *error)
{
    const auto format = formatOf(path, error);
    if (!format)
        return false;
    switch (*format) {
    case Format::Session:
        return SessionFileWriter::save(path, capture, header, error);
    case Format::Har:
        return saveWith(path, [&](QIODevice *out, QString *why) { return HarWriter::write(capture, header, out, why); }, error);
    case Format::Pcapng:
        return saveWith(path, [&](QIODevice *out, QString *why) { return PcapngWriter::write(capture, header, out, why); }, error);
    }
    return false;
}
