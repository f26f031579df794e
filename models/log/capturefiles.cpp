#include "log/capturefiles.h"

#include "log/harreader.h"
#include "log/harwriter.h"
#include "log/pcapngwriter.h"

#include <QFile>
#include <QFileInfo>

CaptureFiles::Format CaptureFiles::formatOf(const QString &path)
{
    const QString suffix = QFileInfo(path).suffix().toLower();
    if (suffix == QLatin1String("har"))
        return Format::Har;
    if (suffix == QLatin1String("pcapng"))
        return Format::Pcapng;
    return Format::Session; // .jsonl, and whatever --capture was given
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
    Format format = formatOf(path);
    if (format == Format::Session) {
        // A HAR file saved under another name still starts as one.
        QFile file(path);
        if (file.open(QIODevice::ReadOnly) && file.peek(64).simplified().replace(' ', "").startsWith("{\"log\""))
            format = Format::Har;
    }
    if (format == Format::Har)
        return HarReader::load(path, into);
    if (format == Format::Session)
        return SessionFileReader::load(path, into);
    SessionFileReader::Result result;
    result.errors << tr("\"%1\": a pcapng file cannot be read back here (it holds the bytes on the wire, not what the "
                        "inspector recorded of them); open its session file (.jsonl) or a HAR export")
                         .arg(path);
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
    switch (formatOf(path)) {
    case Format::Session:
        return SessionFileWriter::save(path, capture, header, error);
    case Format::Har:
        return saveWith(path, [&](QIODevice *out, QString *why) { return HarWriter::write(capture, header, out, why); }, error);
    case Format::Pcapng:
        return saveWith(path, [&](QIODevice *out, QString *why) { return PcapngWriter::write(capture, header, out, why); }, error);
    }
    return false;
}
