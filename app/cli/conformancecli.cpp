// `wsinspector-cli --probe URL --suite full`: the conformance catalogue against a server.

#include "probecli.h"

#include "signalnotifier.h"
#include "terminal.h"

#include "log/capture.h"
#include "probe/conformancecatalogue.h"
#include "probe/conformancereport.h"
#include "probe/conformancerunner.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QJsonDocument>
#include <QSaveFile>

namespace {

namespace Exit {
    enum : int { NoneFailed = 0, Unreachable = 1, Usage = 2, Failed = 3, Interrupted = 130 };
}

QString caseLine(const Conformance::CaseResult &r)
{
    QString line = QStringLiteral("%1 %2 close %3  %4")
                       .arg(r.id.leftJustified(8), Conformance::verdictName(r.verdict).leftJustified(13),
                            Conformance::closeVerdictName(r.closeVerdict).leftJustified(16), r.result);
    if (r.closeVerdict != Conformance::CloseVerdict::Ok && r.closeVerdict != Conformance::CloseVerdict::Informational)
        line += QLatin1Char(' ') + r.resultClose;
    if (r.reportTime)
        line += QStringLiteral(" [%1 ms]").arg(r.seen.durationMs);
    return line + QLatin1Char('\n');
}

void printJsonLine(const QJsonObject &object)
{
    printOut(QString::fromUtf8(QJsonDocument(object).toJson(QJsonDocument::Compact)) + QLatin1Char('\n'));
}

} // namespace

int runConformanceCli(const ProbeCliOptions &options)
{
    const QList<Conformance::Case> cases = ConformanceCatalogue::forRun(options.cases, options.withPerformance);
    if (options.list) {
        for (const Conformance::Case &c : cases)
            printOut(QStringLiteral("%1  %2\n").arg(c.id.leftJustified(8), c.description));
        return Exit::NoneFailed;
    }

    // Opened before the run so that a bad path is a usage error at once, not after every case.
    QSaveFile report(options.reportPath);
    if (!options.reportPath.isEmpty() && !report.open(QIODevice::WriteOnly)) {
        printError(QStringLiteral("--report: cannot write %1: %2").arg(options.reportPath, report.errorString()));
        return Exit::Usage;
    }

    ConformanceOptions run;
    run.jobs = options.jobs;
    run.connection.url = options.url;
    run.connection.headers = options.probe.headers;
    run.connection.subprotocols = options.probe.subprotocols;
    run.connection.origin = options.probe.origin;
    run.connection.allowCertificateErrors = options.probe.allowCertificateErrors;
    run.connection.handshakeTimeoutMs = options.probe.handshakeTimeoutMs;

    ConformanceRunner runner;
    SignalNotifier signalNotifier;
    bool interrupted = false;
    QObject::connect(&signalNotifier, &SignalNotifier::received, &runner, [&] {
        interrupted = true;
        runner.cancel();
    });
    const auto format = options.format;
    if (format == ProbeCliOptions::Format::Text) {
        // Timed cases run alone, whatever --jobs says.
        const qsizetype timed = std::count_if(cases.cbegin(), cases.cend(), ConformanceCatalogue::isPerformance);
        const QString pace = timed == cases.size() ? QStringLiteral("one at a time")
            : timed > 0 ? QStringLiteral("%1 at once, the %2 timed one at a time").arg(options.jobs).arg(timed)
                        : QStringLiteral("%1 at once").arg(options.jobs);
        printOut(QStringLiteral("testing %1 with %2 conformance case%3, %4\n")
                     .arg(options.url.toString())
                     .arg(cases.size())
                     .arg(cases.size() == 1 ? QString() : QStringLiteral("s"), pace));
    }
    QObject::connect(&runner, &ConformanceRunner::caseFinished, &runner, [&](int, const Conformance::CaseResult &r) {
        if (runner.unreachable())
            return; // reported once as "cannot reach" below
        if (format == ProbeCliOptions::Format::Text)
            printOut(caseLine(r));
        else if (format == ProbeCliOptions::Format::Jsonl)
            printJsonLine(r.toJson());
    });
    QObject::connect(&runner, &ConformanceRunner::finished, &runner, [] { QCoreApplication::exit(0); });
    const QDateTime started = QDateTime::currentDateTimeUtc();
    QElapsedTimer clock;
    clock.start();
    if (!runner.run(cases, run)) {
        printError(runner.errorString());
        return Exit::Usage;
    }
    QCoreApplication::exec();

    if (runner.unreachable()) {
        const QString why = runner.results().value(0).seen.handshakeError;
        printError(QStringLiteral("cannot test %1: %2").arg(options.url.toString(), why));
        if (format == ProbeCliOptions::Format::Jsonl)
            printJsonLine({ { QStringLiteral("summary"),
                              QJsonObject { { QStringLiteral("url"), options.url.toString() },
                                            { QStringLiteral("unreachable"), true },
                                            { QStringLiteral("error"), why } } } });
        return Exit::Unreachable; // no report: QSaveFile discards the file it never committed
    }

    ConformanceReport::Run result;
    result.subject = options.url.toString();
    result.role = QStringLiteral("server");
    result.started = started;
    result.durationMs = clock.elapsed();
    result.cases = cases;
    result.results = runner.results();
    result.capture = [&runner](qsizetype index) { return runner.capture(index); };
    const ConformanceReport::Totals totals = ConformanceReport::totals(result);

    switch (format) {
    case ProbeCliOptions::Format::Text:
        printOut(ConformanceReport::summary(result)
                 + (interrupted ? QStringLiteral(" (interrupted after %1 of %2)").arg(runner.finishedCount()).arg(cases.size())
                                : QString())
                 + QLatin1Char('\n'));
        break;
    case ProbeCliOptions::Format::Jsonl:
        printJsonLine({ { QStringLiteral("summary"),
                          QJsonObject { { QStringLiteral("url"), options.url.toString() },
                                        { QStringLiteral("total"), int(cases.size()) },
                                        { QStringLiteral("ok"), totals.ok },
                                        { QStringLiteral("nonStrict"), totals.nonStrict },
                                        { QStringLiteral("failed"), totals.failed },
                                        { QStringLiteral("informational"), totals.informational },
                                        { QStringLiteral("unimplemented"), totals.unimplemented },
                                        { QStringLiteral("closeProblems"), totals.closeProblems },
                                        { QStringLiteral("durationMs"), result.durationMs },
                                        { QStringLiteral("interrupted"), interrupted } } } });
        break;
    case ProbeCliOptions::Format::Markdown:
        printOut(QString::fromUtf8(ConformanceReport::write(result, ConformanceReport::Format::Markdown)));
        break;
    }

    if (report.isOpen()) {
        report.write(ConformanceReport::write(result, *ConformanceReport::formatForFileName(options.reportPath)));
        if (!report.commit()) {
            printError(QStringLiteral("--report: cannot write %1: %2").arg(options.reportPath, report.errorString()));
            return Exit::Usage;
        }
    }
    if (interrupted)
        return Exit::Interrupted;
    return totals.failed > 0 ? Exit::Failed : Exit::NoneFailed;
}
