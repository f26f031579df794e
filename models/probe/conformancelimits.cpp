// Section 9 of the conformance catalogue: large messages, fragmented and chopped writes, and round
// trips, timed (Autobahn's "limits/performance"). The events are not kept: each case is graded on
// every message coming back unchanged before its time runs out, and reports its duration.

#include "probe/conformancebuild.h"
#include "text/sizeformat.h"

namespace Conformance::Build {

namespace {

constexpr qsizetype KiB = 1024;
constexpr qsizetype MiB = 1024 * 1024;

QString sizeText(qsizetype bytes)
{
    return SizeFormat::rounded(quint64(bytes));
}

Case workloadCase(const QString &id, const QString &description, const Workload &w)
{
    Case c = makeCase(id, description,
                      w.count == 1 ? Tr::tr("The message comes back unchanged within %1 s.").arg(w.timeoutMs / 1000)
                                   : Tr::tr("Every message comes back unchanged, all within %1 s.").arg(w.timeoutMs / 1000),
                      {}, {}, normalClose(), closeAfter(w.timeoutMs));
    c.workload = w;
    return c;
}

Workload single(qsizetype size, bool binary, int timeoutSeconds)
{
    Workload w;
    w.size = size;
    w.binary = binary;
    w.pattern = binary ? QByteArray::fromHex("00fe23faf0") : QByteArrayLiteral("BAsd7&jh23");
    w.timeoutMs = timeoutSeconds * 1000;
    return w;
}

} // namespace

QList<Case> limits()
{
    QList<Case> cases;
    const QList<qsizetype> sizes { 64 * KiB, 256 * KiB, 1 * MiB, 4 * MiB, 8 * MiB, 16 * MiB };
    const int textSeconds[] = { 10, 10, 100, 100, 100, 100 };
    const int binarySeconds[] = { 10, 10, 10, 10, 100, 100 };
    for (int binary = 0; binary < 2; ++binary)
        for (int i = 0; i < sizes.size(); ++i)
            cases << workloadCase(QStringLiteral("9.%1.%2").arg(binary + 1).arg(i + 1),
                                  Tr::tr("A %1 message of %2 in one frame.")
                                      .arg(binary ? Tr::tr("binary") : Tr::tr("text"), sizeText(sizes[i])),
                                  single(sizes[i], binary, binary ? binarySeconds[i] : textSeconds[i]));

    const QList<qsizetype> fragmentSizes { 64, 256, 1 * KiB, 4 * KiB, 16 * KiB, 64 * KiB, 256 * KiB, 1 * MiB, 4 * MiB };
    for (int binary = 0; binary < 2; ++binary)
        for (int i = 0; i < fragmentSizes.size(); ++i) {
            Workload w = single(4 * MiB, binary, 100);
            w.pattern = binary ? QByteArray("\xfe") : QByteArray("*");
            w.fragmentSize = fragmentSizes[i];
            cases << workloadCase(QStringLiteral("9.%1.%2").arg(binary + 3).arg(i + 1),
                                  Tr::tr("A %1 message of 4 MiB in fragments of %2.")
                                      .arg(binary ? Tr::tr("binary") : Tr::tr("text"), sizeText(fragmentSizes[i])),
                                  w);
        }

    const QList<int> chops { 64, 128, 256, 512, 1024, 2048 };
    for (int binary = 0; binary < 2; ++binary)
        for (int i = 0; i < chops.size(); ++i) {
            Workload w = single(1 * MiB, binary, 100);
            w.chop = chops[i];
            cases << workloadCase(QStringLiteral("9.%1.%2").arg(binary + 5).arg(i + 1),
                                  Tr::tr("A %1 message of 1 MiB in one frame, written to TCP in pieces of %2 bytes.")
                                      .arg(binary ? Tr::tr("binary") : Tr::tr("text"))
                                      .arg(chops[i]),
                                  w);
        }

    const struct {
        qsizetype size;
        int seconds;
    } roundTrips[] = { { 0, 60 }, { 16, 60 }, { 64, 60 }, { 256, 120 }, { 1024, 240 }, { 4096, 480 } };
    for (int binary = 0; binary < 2; ++binary) {
        int n = 1;
        for (const auto &r : roundTrips) {
            Workload w = single(r.size, binary, r.seconds);
            w.pattern = binary ? QByteArray("\xfe") : QByteArray("*");
            w.count = 1000;
            cases << workloadCase(QStringLiteral("9.%1.%2").arg(binary + 7).arg(n++),
                                  Tr::tr("1000 %1 messages of %2 bytes, each sent when the previous one came back "
                                         "(round-trip time).")
                                      .arg(binary ? Tr::tr("binary") : Tr::tr("text"))
                                      .arg(r.size),
                                  w);
        }
    }
    return cases;
}

} // namespace Conformance::Build
