#include "clientrunner.h"
#include "conformanceservecli.h"
#include "clioptions.h"
#include "outputsink.h"
#include "outputwriter.h"
#include "probecli.h"
#include "relayrunner.h"
#include "replaycli.h"
#include "serverunner.h"
#include "signalnotifier.h"
#include "testfilerunner.h"

#include "log/capture.h"
#include "log/capturefiles.h"
#include "log/sessionfile.h"
#include "net/localcertificateauthority.h"

#include "terminal.h"

#include <QCoreApplication>
#include <QTimer>
#include <cstdio>

namespace {

// --convert IN OUT: what was skipped is named on stderr; the summary goes to stdout.
int convertCapture(const QString &in, const QString &out)
{
    Capture capture;
    const SessionFileReader::Result read = CaptureFiles::load(in, capture);
    for (const QString &error : read.errors)
        printError(QStringLiteral("%1: %2").arg(in, error));
    if (!read.opened || capture.count() == 0) {
        printError(QStringLiteral("--convert: nothing read from \"%1\"").arg(in));
        return ExitCode::ConnectionFailed;
    }
    SessionHeader header = read.header;
    if (header.tool.isEmpty())
        header.tool = CliOptions::versionText();
    QString error;
    if (!CaptureFiles::save(out, capture, header, &error)) {
        printError(QStringLiteral("--convert: %1").arg(error));
        return ExitCode::ConnectionFailed;
    }
    const QString skipped = read.badLines == 1 ? QStringLiteral(" (1 part skipped, named above)")
        : read.badLines > 1                    ? QStringLiteral(" (%1 parts skipped, named above)").arg(read.badLines)
                                               : QString();
    std::fprintf(stdout, "%s: %lld events written from %s%s\n", qPrintable(out), qlonglong(capture.count()), qPrintable(in),
        qPrintable(skipped));
    return read.badLines > 0 ? ExitCode::Abnormal : ExitCode::Clean;
}

} // namespace

int main(int argc, char *argv[])
{
    if (isProbeCommand(argc, argv))
        return runProbeCli(argc, argv);
    if (isConformanceServeCommand(argc, argv))
        return runConformanceServeCli(argc, argv);
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("wsinspector-cli"));

    QString error;
    const std::optional<CliOptions> parsed = CliOptions::parse(QCoreApplication::arguments().mid(1), error);
    if (!parsed) {
        printError(error);
        std::fputs("Try 'wsinspector-cli --help' for more information.\n", stderr);
        return ExitCode::Usage;
    }
    const CliOptions &options = *parsed;
    if (options.mode == CliOptions::Mode::Help) {
        std::fputs(qPrintable(CliOptions::usage()), stdout);
        return ExitCode::Clean;
    }
    if (options.mode == CliOptions::Mode::Version) {
        std::fprintf(stdout, "%s\n", qPrintable(CliOptions::versionText()));
        return ExitCode::Clean;
    }
    if (options.mode == CliOptions::Mode::ExportCa) {
        QString caError;
        const QString directory = LocalCertificateAuthority::defaultDirectory();
        const auto ca = LocalCertificateAuthority::openOrCreate(directory, &caError);
        if (!ca || !ca->exportCertificate(options.exportCaPath, &caError)) {
            printError(QStringLiteral("--export-ca: %1").arg(caError));
            return ExitCode::ConnectionFailed;
        }
        std::fprintf(stdout, "%s the certificate authority in %s; wrote its certificate to %s\nSHA-256 %s\n",
            ca->created() ? "made" : "using", qPrintable(directory), qPrintable(options.exportCaPath),
            qPrintable(ca->sha256Fingerprint()));
        return ExitCode::Clean;
    }
    if (options.mode == CliOptions::Mode::Convert)
        return convertCapture(options.convertIn, options.convertOut);
    for (const QString &warning : options.warnings)
        printError(QStringLiteral("warning: %1").arg(warning));

    OutputWriter writer(1);
    OutputSink sink(writer, options.format, options.decode);
    sink.setServing(options.mode == CliOptions::Mode::Serve);
    SignalNotifier signalNotifier;

    SessionFileWriter capture;
    if (options.mode == CliOptions::Mode::Serve) {
        ServeRunner server(options, writer, sink);
        QObject::connect(&signalNotifier, &SignalNotifier::received, &server, &ServeRunner::interrupt);
        QObject::connect(&server, &ServeRunner::finished, &app, [](int code) { QCoreApplication::exit(code); });
        if (!server.start())
            return ExitCode::ConnectionFailed;
        if (!options.capturePath.isEmpty()) {
            // Opened once listening, so that the header names the server's own URL; no client can
            // have connected yet, as the event loop has not run.
            SessionHeader header;
            header.tool = CliOptions::versionText();
            header.url = server.url().toString();
            header.extra.insert(QStringLiteral("role"), QStringLiteral("server"));
            if (!capture.open(options.capturePath, header)) {
                printError(QStringLiteral("--capture: %1").arg(capture.errorString()));
                return ExitCode::Usage;
            }
            server.addSink(&capture);
        }
        const int code = app.exec();
        writer.flush();
        capture.close();
        if (!capture.errorString().isEmpty())
            printError(QStringLiteral("warning: --capture: %1").arg(capture.errorString()));
        return code;
    }

    if (!options.capturePath.isEmpty()) {
        SessionHeader header;
        header.tool = CliOptions::versionText();
        header.url = (options.mode == CliOptions::Mode::Relay ? options.relayTo : options.url).toString();
        if (options.mode == CliOptions::Mode::Proxy)
            header.url = QStringLiteral("proxy");
        if (!capture.open(options.capturePath, header)) {
            printError(QStringLiteral("--capture: %1").arg(capture.errorString()));
            return ExitCode::Usage;
        }
    }

    if (options.mode == CliOptions::Mode::Relay || options.mode == CliOptions::Mode::Proxy) {
        RelayRunner relay(options, writer);
        relay.addSink(&sink);
        if (capture.isOpen())
            relay.addSink(&capture);
        QObject::connect(&signalNotifier, &SignalNotifier::received, &relay, &RelayRunner::interrupt);
        QObject::connect(&relay, &RelayRunner::finished, &app, [](int code) { QCoreApplication::exit(code); });
        if (!relay.start())
            return ExitCode::ConnectionFailed;
        const int code = app.exec();
        writer.flush();
        capture.close();
        if (!capture.errorString().isEmpty())
            printError(QStringLiteral("warning: --capture: %1").arg(capture.errorString()));
        return code;
    }

    if (!options.replayPath.isEmpty()) {
        QList<WireEventSink *> sinks { &sink };
        if (capture.isOpen())
            sinks << &capture;
        const int code = runReplay(options, sinks, writer, signalNotifier);
        writer.flush();
        capture.close();
        if (!capture.errorString().isEmpty())
            printError(QStringLiteral("warning: --capture: %1").arg(capture.errorString()));
        return code;
    }

    if (!options.runFiles.isEmpty()) {
        QList<WireEventSink *> sinks { &sink };
        if (capture.isOpen())
            sinks << &capture;
        const int code = runTestFiles(options, sinks, signalNotifier);
        writer.flush();
        capture.close();
        if (!capture.errorString().isEmpty())
            printError(QStringLiteral("warning: --capture: %1").arg(capture.errorString()));
        return code;
    }

    ClientRunner client(options);
    client.addSink(&sink);
    if (capture.isOpen())
        client.addSink(&capture);
    QObject::connect(&signalNotifier, &SignalNotifier::received, &client, &ClientRunner::interrupt);
    QObject::connect(&client, &ClientRunner::finished, &app, [](int code) { QCoreApplication::exit(code); });
    // Started from the event loop so that a failure at once still ends exec() with its code.
    QTimer::singleShot(0, &client, &ClientRunner::start);
    const int code = app.exec();
    writer.flush();
    capture.close();
    if (!capture.errorString().isEmpty())
        printError(QStringLiteral("warning: --capture: %1").arg(capture.errorString()));
    if (code != ExitCode::Clean) {
        const QString summary = client.summary();
        if (!summary.isEmpty())
            printError(summary);
    }
    return code;
}
