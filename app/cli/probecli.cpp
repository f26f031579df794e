#include "probecli.h"

#include "terminal.h"

#include "signalnotifier.h"

#include "log/capture.h"
#include "probe/conformancecatalogue.h"
#include "probe/conformancereport.h"
#include "net/clientconnection.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QJsonDocument>
#include <QSaveFile>
#include <cstdio>
#include <cstring>

namespace {

namespace Exit {
    enum : int { AllPassed = 0, Unreachable = 1, Usage = 2, Misbehaved = 3, Interrupted = 130 };
}

const QString Program = QStringLiteral("wsinspector-cli");

bool parseMilliseconds(const QString &text, int &out)
{
    if (text.isEmpty())
        return false;
    for (QChar c : text) {
        if (c < u'0' || c > u'9')
            return false;
    }
    bool ok = false;
    const qulonglong value = text.toULongLong(&ok);
    if (!ok || value < 1 || value > 600'000)
        return false;
    out = int(value);
    return true;
}

QString presetIds()
{
    QStringList ids;
    for (const ProbePresets::Preset &p : ProbePresets::all())
        ids << p.id;
    return ids.join(QStringLiteral(", "));
}

} // namespace

bool isProbeCommand(int argc, char *argv[])
{
    for (int i = 1; i < argc; ++i) {
        if (std::strcmp(argv[i], "--probe") == 0 || std::strncmp(argv[i], "--probe=", 8) == 0)
            return true;
    }
    return false;
}

QString ProbeCliOptions::usage()
{
    return QStringLiteral(
        "Usage: wsinspector-cli --probe URL [--suite quick|full] [options]\n"
        "\n"
        "Test a WebSocket echo server for conformance with RFC 6455. Each probe or case runs on a\n"
        "fresh connection; what the server did is compared with what a correct server does.\n"
        "\n"
        "  --suite quick  (default) the classic probes: reserved bits and opcodes, oversized and\n"
        "                 fragmented pings, stray continuations, invalid UTF-8, bad close codes and\n"
        "                 payloads, unmasked frames, data after close, valid-but-tricky cases.\n"
        "  --suite full   the conformance catalogue, numbered as Autobahn|Testsuite numbers its\n"
        "                 cases: framing (1), pings (2), reserved bits (3), opcodes (4), fragmentation\n"
        "                 (5), UTF-8 (6), closing (7), limits and performance (9), auto-fragmentation\n"
        "                 (10), compression with permessage-deflate: different data (12) and different\n"
        "                 parameters (13). Sections 9, 12 and 13 are timed and take minutes: they run\n"
        "                 with --with-perf or when --cases names them (9.*, 12.1.*). Verdicts: OK, NON-STRICT, FAILED, INFORMATIONAL,\n"
        "                 UNIMPLEMENTED; the close graded apart (OK, WRONG CODE, UNCLEAN, FAILED).\n"
        "\n"
        "Options:\n"
        "  --cases PATTERN[,...]   full suite: run only these cases (6.4.1, 6.4.*, 7.*; repeatable)\n"
        "  --jobs N                full suite: cases run at once (default 4, 1-64); timed cases run alone\n"
        "  --with-perf             full suite: include the timed sections 9, 12 and 13 (minutes)\n"
        "  --timeout MS            quick suite: how long to watch each probe (default 2000, 1-600000)\n"
        "  --only ID[,ID...]       quick suite: run only these probes (repeatable); see --list\n"
        "  --list                  list the probes (or, with --suite full, the cases) and exit\n"
        "  --format text|jsonl|markdown\n"
        "                          output: one line per probe or case (text, default), one JSON object\n"
        "                          per probe or case then a summary object (jsonl), or a Markdown\n"
        "                          report at the end\n"
        "  --report FILE           also save the report; the format follows the extension:\n"
        "                          quick: .md/.markdown, .csv or .json; full: .html, .md or .json\n"
        "                          (the HTML report is one file with every case's wire log)\n"
        "  -H, --header 'Name: value'   extra handshake request header (repeatable)\n"
        "  -s, --subprotocol NAME  offer a subprotocol (repeatable)\n"
        "  --origin ORIGIN         send an Origin header\n"
        "  -k, --insecure          accept an invalid TLS certificate (wss://)\n"
        "  -h, --help              this text\n"
        "\n"
        "The server is expected to echo messages (an echo server), since the valid probes and cases\n"
        "expect their message back.\n"
        "\n"
        "Exit status:\n"
        "  0    every probe passed (full suite: no case FAILED)\n"
        "  1    the server could not be reached (the first probe or case could not open a connection)\n"
        "  2    usage error, or the --report file cannot be written\n"
        "  3    the server misbehaved on at least one probe (full suite: a case FAILED)\n"
        "  130  interrupted (Ctrl-C); what finished so far is reported\n"
        "\n"
        "Examples:\n"
        "  wsinspector-cli --probe ws://127.0.0.1:8080/\n"
        "  wsinspector-cli --probe ws://127.0.0.1:8080/ --only rsv1-set,invalid-utf8 --timeout 500\n"
        "  wsinspector-cli --probe ws://127.0.0.1:8080/ --suite full --report conformance.html\n"
        "  wsinspector-cli --probe ws://127.0.0.1:8080/ --cases 6.4.*,7.* --jobs 8 --format jsonl\n");
}

std::optional<ProbeCliOptions> ProbeCliOptions::parse(const QStringList &arguments, QString &error)
{
    ProbeCliOptions options;
    QStringList urls;
    bool sawProbe = false;
    std::optional<Suite> sawSuite;
    QString sawQuickOnly; // an option of the quick suite alone
    QString sawFullOnly; // an option of the full suite alone
    for (qsizetype i = 0; i < arguments.size(); ++i) {
        const QString arg = arguments[i];
        QString name = arg;
        std::optional<QString> inlineValue;
        if (arg.startsWith(QLatin1String("--")) && arg.contains(QLatin1Char('='))) {
            const qsizetype eq = arg.indexOf(QLatin1Char('='));
            name = arg.left(eq);
            inlineValue = arg.mid(eq + 1);
        }
        // The option's value: inline, or the next argument.
        auto value = [&](const QString &what) -> std::optional<QString> {
            if (inlineValue)
                return inlineValue;
            if (i + 1 >= arguments.size()) {
                error = QStringLiteral("%1 needs a value (%2)").arg(name, what);
                return std::nullopt;
            }
            return arguments[++i];
        };

        if (name == QLatin1String("--probe")) {
            if (sawProbe) {
                error = QStringLiteral("--probe given twice");
                return std::nullopt;
            }
            sawProbe = true;
            if (inlineValue)
                urls << *inlineValue;
            else if (i + 1 < arguments.size() && !arguments[i + 1].startsWith(QLatin1Char('-')))
                urls << arguments[++i];
        } else if (name == QLatin1String("-h") || name == QLatin1String("--help")) {
            options.help = true;
        } else if (name == QLatin1String("--list")) {
            options.list = true;
        } else if (name == QLatin1String("--timeout")) {
            const auto v = value(QStringLiteral("milliseconds"));
            if (!v)
                return std::nullopt;
            if (!parseMilliseconds(*v, options.probe.timeoutMs)) {
                error = QStringLiteral("--timeout: \"%1\" is not a number of milliseconds from 1 to 600000").arg(*v);
                return std::nullopt;
            }
            sawQuickOnly = name;
        } else if (name == QLatin1String("--only")) {
            const auto v = value(QStringLiteral("probe ids separated by commas"));
            if (!v)
                return std::nullopt;
            const QStringList ids = v->split(QLatin1Char(','), Qt::SkipEmptyParts);
            if (ids.isEmpty()) {
                error = QStringLiteral("--only: no probe id given");
                return std::nullopt;
            }
            for (const QString &raw : ids) {
                const QString id = raw.trimmed();
                if (ProbePresets::byId(id).id.isEmpty()) {
                    error = QStringLiteral("--only: unknown probe \"%1\"; known probes: %2").arg(id, presetIds());
                    return std::nullopt;
                }
                if (!options.only.contains(id))
                    options.only << id;
            }
            sawQuickOnly = name;
        } else if (name == QLatin1String("--format")) {
            const auto v = value(QStringLiteral("text, jsonl or markdown"));
            if (!v)
                return std::nullopt;
            if (*v == QLatin1String("text"))
                options.format = Format::Text;
            else if (*v == QLatin1String("jsonl"))
                options.format = Format::Jsonl;
            else if (*v == QLatin1String("markdown"))
                options.format = Format::Markdown;
            else {
                error = QStringLiteral("--format: \"%1\" is not one of text, jsonl, markdown").arg(*v);
                return std::nullopt;
            }
        } else if (name == QLatin1String("--report")) {
            const auto v = value(QStringLiteral("a file name ending in .html, .md, .csv or .json"));
            if (!v)
                return std::nullopt;
            if (v->isEmpty()) {
                error = QStringLiteral("--report: the file name is empty");
                return std::nullopt;
            }
            options.reportPath = *v; // its extension is checked once the suite is known
        } else if (name == QLatin1String("--suite")) {
            const auto v = value(QStringLiteral("quick or full"));
            if (!v)
                return std::nullopt;
            if (*v == QLatin1String("quick")) {
                sawSuite = Suite::Quick;
            } else if (*v == QLatin1String("full")) {
                sawSuite = Suite::Full;
            } else {
                error = QStringLiteral("--suite: \"%1\" is not one of quick, full").arg(*v);
                return std::nullopt;
            }
        } else if (name == QLatin1String("--cases")) {
            const auto v = value(QStringLiteral("case patterns separated by commas, e.g. 6.4.*,7.*"));
            if (!v)
                return std::nullopt;
            const QStringList patterns = ConformanceCatalogue::parsePatterns(*v);
            if (patterns.isEmpty()) {
                error = QStringLiteral("--cases: no case pattern given");
                return std::nullopt;
            }
            options.cases << patterns;
            QString problem;
            if (ConformanceCatalogue::select(options.cases, &problem).isEmpty()) {
                error = QStringLiteral("--cases: %1").arg(problem);
                return std::nullopt;
            }
        } else if (name == QLatin1String("--jobs")) {
            const auto v = value(QStringLiteral("a number of cases to run at once, 1-64"));
            if (!v)
                return std::nullopt;
            bool ok = false;
            const int jobs = v->toInt(&ok);
            if (!ok || jobs < 1 || jobs > 64) {
                error = QStringLiteral("--jobs: \"%1\" is not a number from 1 to 64").arg(*v);
                return std::nullopt;
            }
            options.jobs = jobs;
            sawFullOnly = name;
        } else if (name == QLatin1String("--with-perf")) {
            if (inlineValue) {
                error = QStringLiteral("--with-perf takes no value");
                return std::nullopt;
            }
            options.withPerformance = true;
            sawFullOnly = name;
        } else if (name == QLatin1String("-H") || name == QLatin1String("--header")) {
            const auto v = value(QStringLiteral("'Name: value'"));
            if (!v)
                return std::nullopt;
            const qsizetype colon = v->indexOf(QLatin1Char(':'));
            const QString headerName = v->left(colon).trimmed();
            if (colon <= 0 || headerName.isEmpty() || headerName.contains(QLatin1Char(' '))) {
                error = QStringLiteral("%1: \"%2\" is not 'Name: value'").arg(name, *v);
                return std::nullopt;
            }
            options.probe.headers.append({ headerName.toUtf8(), v->mid(colon + 1).trimmed().toUtf8() });
        } else if (name == QLatin1String("-s") || name == QLatin1String("--subprotocol")) {
            const auto v = value(QStringLiteral("a subprotocol name"));
            if (!v)
                return std::nullopt;
            if (v->isEmpty() || v->contains(QLatin1Char(' ')) || v->contains(QLatin1Char(','))) {
                error = QStringLiteral("%1: \"%2\" is not a subprotocol token").arg(name, *v);
                return std::nullopt;
            }
            options.probe.subprotocols << *v;
        } else if (name == QLatin1String("--origin")) {
            const auto v = value(QStringLiteral("an origin such as https://example.org"));
            if (!v)
                return std::nullopt;
            options.probe.origin = *v;
        } else if (name == QLatin1String("-k") || name == QLatin1String("--insecure")) {
            options.probe.allowCertificateErrors = true;
        } else if (arg.startsWith(QLatin1Char('-')) && arg.size() > 1) {
            error = QStringLiteral("unknown option for --probe: %1 (see wsinspector-cli --probe --help)").arg(arg);
            return std::nullopt;
        } else {
            urls << arg;
        }
    }
    // --cases chooses the catalogue; an explicit --suite must agree with the options given.
    options.suite = sawSuite.value_or(options.cases.isEmpty() ? Suite::Quick : Suite::Full);
    if (options.suite == Suite::Quick && !options.cases.isEmpty()) {
        error = QStringLiteral("--cases chooses cases of the full suite; it does not go with --suite quick (the quick "
                               "suite's probes are chosen with --only)");
        return std::nullopt;
    }
    if (options.suite == Suite::Quick && !sawFullOnly.isEmpty()) {
        error = QStringLiteral("%1 is an option of the full suite (add --suite full)").arg(sawFullOnly);
        return std::nullopt;
    }
    if (options.suite == Suite::Full && !sawQuickOnly.isEmpty()) {
        error = QStringLiteral("%1 is an option of the quick suite; the full suite's cases are chosen with --cases")
                    .arg(sawQuickOnly);
        return std::nullopt;
    }
    if (!options.reportPath.isEmpty()) {
        if (options.suite == Suite::Quick) {
            const auto format = ProbeReportModel::formatForFileName(options.reportPath);
            if (!format) {
                error = QStringLiteral("--report: cannot tell the format of \"%1\" from its extension; the quick "
                                       "suite writes .md, .csv or .json")
                            .arg(options.reportPath);
                return std::nullopt;
            }
            options.reportFormat = *format;
        } else if (!ConformanceReport::formatForFileName(options.reportPath)) {
            error = QStringLiteral("--report: cannot tell the format of \"%1\" from its extension; the full suite "
                                   "writes .html, .md or .json")
                        .arg(options.reportPath);
            return std::nullopt;
        }
    }
    if (options.help || options.list)
        return options;
    if (urls.isEmpty()) {
        error = QStringLiteral(
            "--probe needs the URL of an echo server, e.g. wsinspector-cli --probe ws://127.0.0.1:8080/");
        return std::nullopt;
    }
    if (urls.size() > 1) {
        error
            = QStringLiteral("--probe takes one URL; got %1: %2").arg(urls.size()).arg(urls.join(QStringLiteral(" ")));
        return std::nullopt;
    }
    options.url = QUrl(urls.first(), QUrl::StrictMode);
    const QString problem = ClientConnection::urlProblem(options.url);
    if (!problem.isEmpty()) {
        error = QStringLiteral("--probe: %1").arg(problem);
        return std::nullopt;
    }
    return options;
}

QList<ProbePresets::Preset> ProbeCliOptions::presets() const
{
    if (only.isEmpty())
        return ProbePresets::all();
    QList<ProbePresets::Preset> list;
    for (const QString &id : only)
        list << ProbePresets::byId(id);
    return list;
}

int runProbeCli(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(Program);

    QString error;
    const std::optional<ProbeCliOptions> parsed = ProbeCliOptions::parse(QCoreApplication::arguments().mid(1), error);
    if (!parsed) {
        printError(error);
        std::fputs("Try 'wsinspector-cli --probe --help' for more information.\n", stderr);
        return Exit::Usage;
    }
    const ProbeCliOptions &options = *parsed;
    if (options.help) {
        printOut(ProbeCliOptions::usage());
        return Exit::AllPassed;
    }
    if (options.suite == ProbeCliOptions::Suite::Full)
        return runConformanceCli(options);
    const QList<ProbePresets::Preset> presets = options.presets();
    if (options.list) {
        for (const ProbePresets::Preset &p : presets)
            printOut(QStringLiteral("%1  %2 (RFC 6455 §%3)\n").arg(p.id.leftJustified(32), p.title, p.rfcSection));
        return Exit::AllPassed;
    }

    // Opened before the run so that a bad path is a usage error at once, not after every probe.
    QSaveFile report(options.reportPath);
    if (!options.reportPath.isEmpty() && !report.open(QIODevice::WriteOnly)) {
        printError(QStringLiteral("--report: cannot write %1: %2").arg(options.reportPath, report.errorString()));
        return Exit::Usage;
    }

    ProbeRunInfo info;
    info.url = options.url;
    info.started = QDateTime::currentDateTimeUtc();
    info.timeoutMs = options.probe.timeoutMs;
    info.tool = QStringLiteral("%1 0.1.0").arg(Program);

    ProbeRunner runner;
    SignalNotifier signalNotifier;
    bool interrupted = false;
    QObject::connect(&signalNotifier, &SignalNotifier::received, &runner, [&] {
        interrupted = true;
        runner.cancel();
    });

    if (options.format == ProbeCliOptions::Format::Text)
        printOut(QStringLiteral("probing %1 with %2 probe%3, %4 ms each\n")
                     .arg(options.url.toString())
                     .arg(presets.size())
                     .arg(presets.size() == 1 ? QString() : QStringLiteral("s"))
                     .arg(options.probe.timeoutMs));
    QObject::connect(&runner, &ProbeRunner::probeFinished, &app, [&](int index, const ProbeResult &r) {
        if (r.reaction == ProbeResult::Reaction::HandshakeFailed && index == 0 && runner.options().stopWhenUnreachable)
            return; // reported once as "cannot reach" below, not as a failed probe
        if (options.format == ProbeCliOptions::Format::Text) {
            printOut(QStringLiteral("%1  %2 expected: %3; seen: %4\n")
                         .arg(r.verdictText().leftJustified(4), r.preset.id.leftJustified(32), r.expectedText(), r.seenText()));
        } else if (options.format == ProbeCliOptions::Format::Jsonl) {
            QJsonObject o = r.toJson();
            o.insert(QStringLiteral("index"), index + 1);
            printOut(QString::fromUtf8(QJsonDocument(o).toJson(QJsonDocument::Compact)) + QLatin1Char('\n'));
        }
    });
    QObject::connect(&runner, &ProbeRunner::finished, &app, [] { QCoreApplication::exit(0); });
    if (!runner.run(options.url, presets, options.probe)) {
        printError(runner.errorString());
        return Exit::Usage;
    }
    app.exec();

    const QList<ProbeResult> &results = runner.results();
    if (runner.unreachable()) {
        printError(QStringLiteral("cannot probe %1: %2").arg(options.url.toString(), results.value(0).error));
        if (options.format == ProbeCliOptions::Format::Jsonl) {
            QJsonObject summary { { QStringLiteral("url"), options.url.toString() },
                { QStringLiteral("unreachable"), true }, { QStringLiteral("error"), results.value(0).error } };
            printOut(QString::fromUtf8(QJsonDocument(QJsonObject { { QStringLiteral("summary"), summary } })
                                           .toJson(QJsonDocument::Compact))
                + QLatin1Char('\n'));
        }
        return Exit::Unreachable; // no report: QSaveFile discards the file it never committed
    }

    QStringList failed;
    int notApplicable = 0;
    for (const ProbeResult &r : results) {
        if (r.notApplicable)
            ++notApplicable;
        else if (!r.passed)
            failed << r.preset.id;
    }
    const int passed = int(results.size() - failed.size() - notApplicable);
    switch (options.format) {
    case ProbeCliOptions::Format::Text:
        printOut(QStringLiteral("%1 of %2 probes passed%3%4%5\n")
                     .arg(passed)
                     .arg(results.size())
                     .arg(failed.isEmpty() ? QString()
                                           : QStringLiteral("; failed: %1").arg(failed.join(QStringLiteral(", "))))
                     .arg(notApplicable == 0 ? QString()
                                             : QStringLiteral("; %1 not applicable (no permessage-deflate)")
                                                   .arg(notApplicable))
                     .arg(interrupted
                             ? QStringLiteral(" (interrupted after %1 of %2)").arg(results.size()).arg(presets.size())
                             : QString()));
        break;
    case ProbeCliOptions::Format::Jsonl: {
        QJsonObject summary { { QStringLiteral("url"), options.url.toString() },
            { QStringLiteral("total"), int(results.size()) }, { QStringLiteral("passed"), passed },
            { QStringLiteral("failed"), int(failed.size()) }, { QStringLiteral("notApplicable"), notApplicable },
            { QStringLiteral("interrupted"), interrupted } };
        printOut(
            QString::fromUtf8(
                QJsonDocument(QJsonObject { { QStringLiteral("summary"), summary } }).toJson(QJsonDocument::Compact))
            + QLatin1Char('\n'));
        break;
    }
    case ProbeCliOptions::Format::Markdown:
        printOut(QString::fromUtf8(ProbeReportModel::toMarkdown(results, info)));
        break;
    }

    if (report.isOpen()) {
        report.write(ProbeReportModel::formatReport(results, options.reportFormat, info));
        if (!report.commit()) {
            printError(QStringLiteral("--report: cannot write %1: %2").arg(options.reportPath, report.errorString()));
            return Exit::Usage;
        }
    }
    if (interrupted)
        return Exit::Interrupted;
    return failed.isEmpty() ? Exit::AllPassed : Exit::Misbehaved;
}
