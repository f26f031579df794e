#include "probe/conformancecase.h"

#include "probe/proberesult.h"
#include "text/sizeformat.h"

#include <QCoreApplication>

namespace {
struct Tr {
    Q_DECLARE_TR_FUNCTIONS(Conformance)
};
} // namespace

namespace Conformance {

QString verdictName(Verdict verdict)
{
    // Autobahn's words, kept as they are so that reports can be compared.
    switch (verdict) {
    case Verdict::Ok:
        return QStringLiteral("OK");
    case Verdict::NonStrict:
        return QStringLiteral("NON-STRICT");
    case Verdict::Failed:
        return QStringLiteral("FAILED");
    case Verdict::Informational:
        return QStringLiteral("INFORMATIONAL");
    case Verdict::Unimplemented:
        return QStringLiteral("UNIMPLEMENTED");
    }
    return {};
}

QString closeVerdictName(CloseVerdict verdict)
{
    switch (verdict) {
    case CloseVerdict::Ok:
        return QStringLiteral("OK");
    case CloseVerdict::WrongCode:
        return QStringLiteral("WRONG CODE");
    case CloseVerdict::Unclean:
        return QStringLiteral("UNCLEAN");
    case CloseVerdict::Failed:
        return QStringLiteral("FAILED");
    case CloseVerdict::FailedByClient:
        return QStringLiteral("FAILED BY CLIENT");
    case CloseVerdict::Informational:
        return QStringLiteral("INFORMATIONAL");
    }
    return {};
}

std::optional<Verdict> verdictFromName(QStringView name)
{
    for (Verdict v : { Verdict::Ok, Verdict::NonStrict, Verdict::Failed, Verdict::Informational, Verdict::Unimplemented })
        if (name.compare(verdictName(v), Qt::CaseInsensitive) == 0)
            return v;
    return std::nullopt;
}

QString Event::describe() const
{
    switch (kind) {
    case Kind::Message:
        return Tr::tr("%1 message %2 %3")
            .arg(binary ? Tr::tr("binary") : Tr::tr("text"), SizeFormat::bytes(data.size()),
                 ProbeResult::describeBytes(data));
    case Kind::Ping:
        return Tr::tr("ping %1 %2").arg(SizeFormat::bytes(data.size()), ProbeResult::describeBytes(data));
    case Kind::Pong:
        return Tr::tr("pong %1 %2").arg(SizeFormat::bytes(data.size()), ProbeResult::describeBytes(data));
    case Kind::Timeout:
        return Tr::tr("pause %1 ran out with the connection open").arg(QString::fromLatin1(data));
    }
    return {};
}

QString Case::group() const
{
    const qsizetype parts = id.count(QLatin1Char('.')) + 1;
    return parts >= 3 ? id.section(QLatin1Char('.'), 0, 1) : section();
}

bool idLessThan(const QString &a, const QString &b)
{
    const QList<QStringView> pa = QStringView(a).split(QLatin1Char('.'));
    const QList<QStringView> pb = QStringView(b).split(QLatin1Char('.'));
    for (qsizetype i = 0; i < qMin(pa.size(), pb.size()); ++i) {
        const int x = pa[i].toInt();
        const int y = pb[i].toInt();
        if (x != y)
            return x < y;
    }
    return pa.size() < pb.size();
}

} // namespace Conformance
