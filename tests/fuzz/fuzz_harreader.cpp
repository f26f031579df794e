// Fuzz target for HarReader (models/log/harreader.h): the input is a HAR file as a user might import
// it, from Chrome, Firefox, this program or anywhere.
//
// Reading must load into the Capture exactly what it counts, never list more than MaxErrors errors
// (plus the note that more were left out), and give a reason for whatever it did not take. Then a
// round trip: what it loaded, written with HarWriter and read back, must read without a single
// error and give the same events (every field jsonl carries), so that nothing the reader accepts is
// lost or changed by exporting it again.

#include "fuzzinput.h"
#include "log/capture.h"
#include "log/harreader.h"
#include "log/harwriter.h"
#include "log/jsonlwriter.h"

#include <QBuffer>

namespace {

// As tests/support/captureevents.h's jsonlLinesOf(), which the fuzz targets do not include.
QByteArray jsonlLinesOf(const Capture &capture)
{
    JsonlWriter writer;
    QByteArray out;
    for (qsizetype i = 0; i < capture.count(); ++i)
        writer.append(out, capture.event(i));
    return out;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray har(reinterpret_cast<const char *>(data), qsizetype(size));
    Capture capture;
    const HarReader::Result result = HarReader::read(har, capture);
    FUZZ_CHECK(result.eventsLoaded == capture.count(), QStringLiteral("%1 counted, %2 loaded").arg(result.eventsLoaded).arg(capture.count()));
    FUZZ_CHECK(result.errors.size() <= SessionFileReader::MaxErrors + 1, QString::number(result.errors.size()));
    FUZZ_CHECK(result.errors.isEmpty() == (result.badLines == 0), result.errors.join(QLatin1Char('\n')));
    for (const QString &error : result.errors)
        FUZZ_CHECK(!error.isEmpty(), QStringLiteral("an empty error"));
    if (capture.count() == 0)
        return 0;

    QBuffer buffer;
    buffer.open(QIODevice::WriteOnly);
    QString why;
    FUZZ_CHECK(HarWriter::write(capture, result.header, &buffer, &why), why);
    Capture again;
    const HarReader::Result back = HarReader::read(buffer.data(), again);
    FUZZ_CHECK(back.ok(), back.errors.join(QLatin1Char('\n')));
    FUZZ_CHECK(jsonlLinesOf(again) == jsonlLinesOf(capture), QString::fromUtf8(jsonlLinesOf(capture).left(2000)));
    return 0;
}
