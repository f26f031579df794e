#include "replaycli.h"

#include "outputwriter.h"
#include "signalnotifier.h"
#include "terminal.h"

#include "log/capture.h"
#include "log/capturefiles.h"
#include "log/jsonlwriter.h"
#include "protocol/frame.h"
#include "script/replayrunner.h"

#include <QEventLoop>

namespace {

void appendJsonMessage(QByteArray &out, const char *name, const MessageDiff::Message &message)
{
    out += ",\"";
    out += name;
    out += "\":{\"opcode\":" + QByteArray::number(message.opcode);
    if (message.opcode == Opcode::Text) {
        const qsizetype before = out.size();
        out += ",\"text\":";
        if (JsonlWriter::appendJsonString(out, message.payload)) {
            out += '}';
            return;
        }
        out.truncate(before); // not UTF-8: given as bytes, as binary is
    }
    out += ",\"b64\":\"" + message.payload.toBase64() + "\"}";
}

void printReport(const ReplayRunner &runner, const CliOptions &options, OutputWriter &out)
{
    const MessageDiff &diff = runner.diff();
    const ReplayScript &script = runner.script();
    const auto &recorded = script.answers;
    const auto &replayed = runner.replayed();
    QByteArray &buffer = out.buffer();
    const bool json = options.format == CliOptions::Format::Jsonl;
    for (const MessageDiff::Row &row : diff.rows()) {
        if (json) {
            buffer += "{\"kind\":\"replay-diff\",\"row\":\"" + MessageDiff::kindKey(row.kind).toLatin1() + '"';
            if (row.recorded >= 0)
                buffer += ",\"recorded_index\":" + QByteArray::number(row.recorded + 1);
            if (row.replayed >= 0)
                buffer += ",\"replayed_index\":" + QByteArray::number(row.replayed + 1);
            if (row.recorded >= 0)
                appendJsonMessage(buffer, "recorded", recorded[row.recorded]);
            if (row.replayed >= 0 && row.kind != MessageDiff::Kind::Same)
                appendJsonMessage(buffer, "replayed", replayed[row.replayed]);
            buffer += "}\n";
        } else {
            QString line;
            switch (row.kind) {
            case MessageDiff::Kind::Same:
                line = QStringLiteral("replay: same      #%1 %2").arg(row.recorded + 1).arg(MessageDiff::shown(recorded[row.recorded]));
                break;
            case MessageDiff::Kind::Different:
                line = QStringLiteral("replay: different #%1 recorded %2\n                     replayed %3")
                           .arg(row.recorded + 1)
                           .arg(MessageDiff::shown(recorded[row.recorded]), MessageDiff::shown(replayed[row.replayed]));
                break;
            case MessageDiff::Kind::Missing:
                line = QStringLiteral("replay: missing   #%1 recorded %2").arg(row.recorded + 1).arg(MessageDiff::shown(recorded[row.recorded]));
                break;
            case MessageDiff::Kind::Extra:
                line = QStringLiteral("replay: extra        replayed %1").arg(MessageDiff::shown(replayed[row.replayed]));
                break;
            }
            buffer += line.toUtf8() + '\n';
        }
    }
    // One arg() for all: a file name with "%3" in it must stay as it is.
    const QString context = QStringLiteral("connection #%1 of %2, %3 of %4 messages sent, timing %5")
                                .arg(QString::number(script.connectionId), options.replayPath, QString::number(runner.sentCount()),
                                    QString::number(script.sends.size()),
                                    options.replayFast ? QStringLiteral("fast") : QStringLiteral("recorded"));
    if (json) {
        buffer += "{\"kind\":\"replay-summary\",\"connection\":" + QByteArray::number(script.connectionId)
            + ",\"sent\":" + QByteArray::number(runner.sentCount()) + ",\"to_send\":" + QByteArray::number(script.sends.size())
            + ",\"same\":" + QByteArray::number(diff.count(MessageDiff::Kind::Same))
            + ",\"different\":" + QByteArray::number(diff.count(MessageDiff::Kind::Different))
            + ",\"missing\":" + QByteArray::number(diff.count(MessageDiff::Kind::Missing))
            + ",\"extra\":" + QByteArray::number(diff.count(MessageDiff::Kind::Extra))
            + ",\"aligned\":" + (diff.aligned() ? "true" : "false");
        if (!runner.problem().isEmpty())
            JsonlWriter::appendJsonString(buffer += ",\"problem\":", runner.problem().toUtf8());
        buffer += "}\n";
    } else {
        buffer += QStringLiteral("replay: %1 (%2)%3\n")
                      .arg(diff.summary(), context,
                          diff.aligned() ? QString()
                                         : QStringLiteral("; too many answers to align, compared by position"))
                      .toUtf8();
    }
    out.commit();
}

} // namespace

int runReplay(const CliOptions &options, const QList<WireEventSink *> &sinks, OutputWriter &out, SignalNotifier &interrupts)
{
    Capture recording;
    const SessionFileReader::Result read = CaptureFiles::load(options.replayPath, recording);
    for (const QString &error : read.errors)
        printError(QStringLiteral("--replay: %1: %2").arg(options.replayPath, error));
    if (!read.opened || recording.count() == 0) {
        printError(QStringLiteral("--replay: nothing read from \"%1\"").arg(options.replayPath));
        return ExitCode::Usage;
    }
    QString error;
    const auto script = ReplayScript::fromCapture(recording, options.replayConnection, &error);
    if (!script) {
        printError(QStringLiteral("--replay: %1: %2").arg(options.replayPath, error));
        return ExitCode::Usage;
    }
    if (script->sends.isEmpty()) {
        printError(QStringLiteral("--replay: %1: connection #%2's client sent no message: nothing to replay")
                       .arg(options.replayPath)
                       .arg(script->connectionId));
        return ExitCode::Usage;
    }

    ClientEngine *engine = ClientEngine::create(options.engine, 1);
    for (WireEventSink *sink : sinks)
        engine->addSink(sink);
    ReplayRunner::Settings settings;
    settings.timing = options.replayFast ? ReplayRunner::Timing::Fast : ReplayRunner::Timing::Recorded;
    settings.quietMs = options.waitMs;
    for (const QString &pattern : options.replayIgnore)
        settings.ignore << QRegularExpression(pattern); // checked by the option parser
    EngineReplayTarget target(engine);
    ReplayRunner runner(*script, &target, settings);
    QEventLoop loop;
    QObject::connect(&runner, &ReplayRunner::finished, &loop, &QEventLoop::quit);
    int interruptCount = 0;
    QObject::connect(&interrupts, &SignalNotifier::received, &loop, [&] {
        if (++interruptCount == 1)
            runner.stop();
        else
            engine->abort();
    });
    ConnectionOptions connection = options.connectionOptions();
    if (connection.subprotocols.isEmpty())
        connection.subprotocols = script->subprotocols; // as the recorded client offered them
    runner.start();
    if (!engine->open(connection))
        runner.fail(engine->errorString());
    if (!runner.isFinished())
        loop.exec();

    printReport(runner, options, out);
    out.flush();
    const MessageDiff &diff = runner.diff();
    delete engine;
    if (!runner.opened()) {
        printError(runner.problem());
        return ExitCode::ConnectionFailed;
    }
    if (!runner.problem().isEmpty()) {
        printError(QStringLiteral("replay: %1; the server's answers: %2").arg(runner.problem(), diff.summary()));
        return ExitCode::Abnormal;
    }
    if (!diff.allSame()) {
        printError(QStringLiteral("replay: the server's answers differ from the recording's: %1").arg(diff.summary()));
        return ExitCode::ExpectationFailed;
    }
    return ExitCode::Clean;
}
