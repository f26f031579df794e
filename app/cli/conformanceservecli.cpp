// `wsinspector-cli --serve [PORT] --conformance`: the conformance catalogue against clients, through
// Autobahn's fuzzing-server URL protocol.

#include "conformanceservecli.h"

#include "signalnotifier.h"
#include "terminal.h"

#include "log/capture.h"
#include "probe/conformancecatalogue.h"
#include "probe/conformancereport.h"
#include "probe/conformanceserver.h"
#include "text/displaytext.h"

#include <QCoreApplication>
#include <QCryptographicHash>
#include <QDir>
#include <QRegularExpression>
#include <QSaveFile>
#include <cstring>

namespace {

namespace Exit {
    enum : int { Clean = 0, Usage = 2, Interrupted = 130 };
}

const char *const Usage =
    "Usage: wsinspector-cli --serve [PORT] --conformance [--cases PATTERN[,...]] [--report-dir DIR]\n"
    "\n"
    "Test WebSocket clients: a server on 127.0.0.1 that plays the conformance catalogue's cases\n"
    "(sections 1-7 and 10; the timed sections 9, 12 and 13 too when --cases names them, as in\n"
    "--cases 12.*,13.*) against a client under test and\n"
    "judges what it does. It speaks the URL protocol of Autobahn|Testsuite's fuzzing server, so\n"
    "client drivers written for that run unchanged; the client echoes every message:\n"
    "  /getCaseCount, /getCaseInfo?case=N, /runCase?case=N&agent=A,\n"
    "  /getCaseStatus?case=N&agent=A, /updateReports?agent=A\n"
    "\n"
    "Options:\n"
    "  PORT                    the port to listen on (default 9001, Autobahn's; 0: a free one)\n"
    "  --cases PATTERN[,...]   play only these cases (6.4.1, 6.4.*, 7.*; repeatable)\n"
    "  --report-dir DIR        on /updateReports, write AGENT.html, AGENT.json and AGENT.md there\n"
    "  -h, --help              this text\n"
    "\n"
    "Prints one line per case played, and runs until interrupted (Ctrl-C: exit 130).\n";

struct Options {
    quint16 port = 9001;
    QStringList cases;
    QString reportDir;
    bool help = false;
};

std::optional<Options> parse(const QStringList &arguments, QString &error)
{
    Options options;
    for (qsizetype i = 0; i < arguments.size(); ++i) {
        const QString &arg = arguments[i];
        auto next = [&](const char *what) -> std::optional<QString> {
            if (i + 1 >= arguments.size()) {
                error = QStringLiteral("%1 needs a value (%2)").arg(arg, QLatin1String(what));
                return std::nullopt;
            }
            return arguments[++i];
        };
        if (arg == QLatin1String("--serve")) {
            if (i + 1 < arguments.size() && !arguments[i + 1].startsWith(QLatin1Char('-'))) {
                bool ok = false;
                const uint port = arguments[++i].toUInt(&ok);
                if (!ok || port > 65535) {
                    error = QStringLiteral("--serve: \"%1\" is not a port number (0-65535)").arg(arguments[i]);
                    return std::nullopt;
                }
                options.port = quint16(port);
            }
        } else if (arg == QLatin1String("--conformance")) {
            // what brought us here
        } else if (arg == QLatin1String("--cases")) {
            const auto v = next("case patterns separated by commas, e.g. 6.4.*,7.*");
            if (!v)
                return std::nullopt;
            options.cases << ConformanceCatalogue::parsePatterns(*v);
            QString problem;
            if (options.cases.isEmpty() || ConformanceCatalogue::select(options.cases, &problem).isEmpty()) {
                error = QStringLiteral("--cases: %1").arg(problem.isEmpty() ? QStringLiteral("no case pattern given") : problem);
                return std::nullopt;
            }
        } else if (arg == QLatin1String("--report-dir")) {
            const auto v = next("a directory");
            if (!v)
                return std::nullopt;
            if (!QDir(*v).exists()) {
                error = QStringLiteral("--report-dir: %1 is not a directory").arg(*v);
                return std::nullopt;
            }
            options.reportDir = *v;
        } else if (arg == QLatin1String("-h") || arg == QLatin1String("--help")) {
            options.help = true;
        } else {
            error = QStringLiteral("unknown option for --serve --conformance: %1").arg(arg);
            return std::nullopt;
        }
    }
    return options;
}

// An agent's name as a file name: what a driver sends is not to be trusted with paths. Names
// that had to change get a short hash of the original, so that two agents never share files.
QString fileNameOf(const QString &agent)
{
    static const QRegularExpression unsafe(QStringLiteral("[^A-Za-z0-9._-]"));
    QString name = agent.left(80);
    name.replace(unsafe, QStringLiteral("_"));
    if (name.startsWith(QLatin1Char('.')))
        name.prepend(QLatin1Char('_'));
    if (name != agent)
        name += QLatin1Char('-')
            + QString::fromLatin1(QCryptographicHash::hash(agent.toUtf8(), QCryptographicHash::Sha1).toHex().left(8));
    return name;
}

QString writeReports(const ConformanceServer &server, const QString &agent, const QString &dir)
{
    const ConformanceServer::AgentRun *run = server.agent(agent);
    if (!run)
        return QStringLiteral("no case ran for agent %1").arg(DisplayText::quoted(agent.toUtf8(), 80));
    ConformanceReport::Run report;
    report.subject = DisplayText::line(agent.toUtf8(), 80);
    report.role = QStringLiteral("client");
    report.started = run->started;
    report.durationMs = run->started.msecsTo(QDateTime::currentDateTimeUtc());
    report.cases = server.cases();
    report.results = run->results;
    report.capture = [run](qsizetype index) { return run->captures.value(index).data(); };
    const std::pair<const char *, ConformanceReport::Format> files[] = {
        { ".html", ConformanceReport::Format::Html },
        { ".json", ConformanceReport::Format::Json },
        { ".md", ConformanceReport::Format::Markdown },
    };
    QStringList written;
    for (const auto &[extension, format] : files) {
        const QString path = QDir(dir).filePath(fileNameOf(agent) + QLatin1String(extension));
        QSaveFile file(path);
        if (!file.open(QIODevice::WriteOnly) || file.write(ConformanceReport::write(report, format)) < 0 || !file.commit())
            return QStringLiteral("cannot write %1: %2").arg(path, file.errorString());
        written << path;
    }
    return QStringLiteral("reports for %1: %2; %3").arg(report.subject, written.join(QStringLiteral(", ")), ConformanceReport::summary(report));
}

} // namespace

bool isConformanceServeCommand(int argc, char *argv[])
{
    for (int i = 1; i < argc; ++i)
        if (std::strcmp(argv[i], "--conformance") == 0)
            return true;
    return false;
}

int runConformanceServeCli(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("wsinspector-cli"));
    QString error;
    const std::optional<Options> options = parse(QCoreApplication::arguments().mid(1), error);
    if (!options) {
        printError(error);
        std::fputs("Try 'wsinspector-cli --serve --conformance --help' for more information.\n", stderr);
        return Exit::Usage;
    }
    if (options->help) {
        printOut(QString::fromLatin1(Usage));
        return Exit::Clean;
    }
    const QList<Conformance::Case> cases = ConformanceCatalogue::forRun(options->cases);

    ConformanceServer server(cases);
    if (!server.listen(QHostAddress::LocalHost, options->port)) {
        printError(QStringLiteral("cannot listen on 127.0.0.1:%1: %2").arg(options->port).arg(server.errorString()));
        return Exit::Usage;
    }
    printOut(QStringLiteral("conformance server on %1 with %2 cases (Autobahn fuzzing-server protocol)\n")
                 .arg(server.url().toString())
                 .arg(cases.size()));
    QObject::connect(&server, &ConformanceServer::caseFinished, &server,
                     [](const QString &agent, int, const Conformance::CaseResult &r) {
                         // The agent's name is the client's: shown by the display rule.
                         QString line = QStringLiteral("%1 %2 %3 close %4  %5")
                                            .arg(DisplayText::line(agent.toUtf8(), 80), r.id.leftJustified(8), Conformance::verdictName(r.verdict).leftJustified(13),
                                                 Conformance::closeVerdictName(r.closeVerdict).leftJustified(16), r.result);
                         if (r.closeVerdict != Conformance::CloseVerdict::Ok && r.closeVerdict != Conformance::CloseVerdict::Informational)
                             line += QLatin1Char(' ') + r.resultClose;
                         printOut(line + QLatin1Char('\n'));
                     });
    QObject::connect(&server, &ConformanceServer::refused, &server, [](const QString &target, const QString &reason) {
        printError(QStringLiteral("refused %1: %2").arg(target, reason));
    });
    QObject::connect(&server, &ConformanceServer::reportsRequested, &server, [&](const QString &agent) {
        if (options->reportDir.isEmpty()) {
            const ConformanceServer::AgentRun *run = server.agent(agent);
            ConformanceReport::Run report;
            report.cases = server.cases();
            if (run)
                report.results = run->results;
            printOut(QStringLiteral("%1 done: %2\n").arg(DisplayText::line(agent.toUtf8(), 80), ConformanceReport::summary(report)));
            return;
        }
        printOut(writeReports(server, agent, options->reportDir) + QLatin1Char('\n'));
    });
    SignalNotifier signalNotifier;
    QObject::connect(&signalNotifier, &SignalNotifier::received, &app, [] { QCoreApplication::exit(Exit::Interrupted); });
    return QCoreApplication::exec();
}
