#include "testfilerunner.h"

#include "signalnotifier.h"
#include "terminal.h"

#include "net/clientengine.h"
#include "script/junitreport.h"
#include "script/scriptrunner.h"
#include "script/testscript.h"

#include <QEventLoop>
#include <QFile>
#include <QSaveFile>

int runTestFiles(const CliOptions &options, const QList<WireEventSink *> &sinks, SignalNotifier &interrupts)
{
    QList<TestScript> scripts;
    for (const QString &path : options.runFiles) {
        TestScript::Problem problem;
        const auto script = TestScript::read(path, &problem);
        if (!script) {
            printError(QStringLiteral("--run: %1%2").arg(problem.line > 0 ? path + QStringLiteral(": ") : QString(), problem.message));
            return ExitCode::Usage;
        }
        scripts << *script;
    }

    JunitReport report;
    bool interrupted = false;
    for (qsizetype i = 0; i < scripts.size() && !interrupted; ++i) {
        ClientEngine *engine = ClientEngine::create(options.engine, quint32(i + 1));
        for (WireEventSink *sink : sinks)
            engine->addSink(sink);
        ScriptRunner runner(scripts[i], engine);
        QEventLoop loop;
        QObject::connect(&runner, &ScriptRunner::finished, &loop, &QEventLoop::quit);
        const QMetaObject::Connection stop = QObject::connect(&interrupts, &SignalNotifier::received, &loop, [&] {
            interrupted = true;
            engine->abort();
        });
        runner.start(options.connectionOptions());
        if (!runner.isFinished())
            loop.exec();
        QObject::disconnect(stop);
        const ScriptRunner::Verdict &v = runner.verdict();
        const QString &path = options.runFiles[i];
        if (v.passed)
            printError(QStringLiteral("PASS %1 (%2 steps, %3 ms)").arg(path).arg(v.stepsDone).arg(v.durationMs));
        else
            printError(QStringLiteral("FAIL %1: %2").arg(path, interrupted ? QStringLiteral("interrupted") : v.failure));
        report.cases << JunitReport::Case { path, options.url.toString(), double(v.durationMs) / 1000.0, v.passed,
            interrupted ? QStringLiteral("interrupted") : v.failure, v.transcript };
        delete engine;
    }

    if (!options.junitPath.isEmpty()) {
        QSaveFile file(options.junitPath);
        if (!file.open(QIODevice::WriteOnly) || !report.write(&file) || !file.commit()) {
            printError(QStringLiteral("--junit: cannot write %1: %2").arg(options.junitPath, file.errorString()));
            return ExitCode::Usage;
        }
    }
    int passed = 0;
    for (const JunitReport::Case &c : std::as_const(report.cases))
        passed += c.passed ? 1 : 0;
    if (scripts.size() > 1)
        printError(QStringLiteral("%1 of %2 test files passed").arg(passed).arg(scripts.size()));
    return passed == scripts.size() ? ExitCode::Clean : ExitCode::ExpectationFailed;
}
