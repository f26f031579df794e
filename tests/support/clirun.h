#pragma once

// Runs wsinspector-cli as a child process and keeps what it printed, for the tests that drive the
// command line.

#include <QByteArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QList>
#include <QProcess>
#include <QSignalSpy>
#include <QStringList>

struct CliRun {
    int exitCode = -1;
    QByteArray out;
    QByteArray err;

    QList<QByteArray> lines() const
    {
        QList<QByteArray> l = out.split('\n');
        if (!l.isEmpty() && l.last().isEmpty())
            l.removeLast();
        return l;
    }
    // Standard output read as one JSON object per line (a line that is not JSON gives an empty one).
    QList<QJsonObject> jsonLines() const
    {
        QList<QJsonObject> list;
        for (const QByteArray &line : lines())
            list << QJsonDocument::fromJson(line).object();
        return list;
    }
    // The jsonl output's events: frames in one direction ("in", "out"), in order.
    QList<QJsonObject> frames(const char *dir) const
    {
        QList<QJsonObject> list;
        for (const QJsonObject &o : jsonLines()) {
            if (o.value(QStringLiteral("kind")) == QLatin1String("frame")
                && o.value(QStringLiteral("dir")) == QLatin1String(dir))
                list << o;
        }
        return list;
    }
    // The jsonl output's last event of a kind ("state", "close", ...); empty when none.
    QJsonObject last(const char *kind) const
    {
        QJsonObject found;
        for (const QJsonObject &o : jsonLines()) {
            if (o.value(QStringLiteral("kind")) == QLatin1String(kind))
                found = o;
        }
        return found;
    }
    QString describe() const
    {
        return QStringLiteral("exit %1\nstdout:\n%2\nstderr:\n%3")
            .arg(exitCode)
            .arg(QString::fromUtf8(out.left(6000)), QString::fromUtf8(err.left(2000)));
    }
};

// Spins the event loop while the CLI runs, so that servers in this process answer it. `input` is
// written to its standard input, which is then closed.
inline CliRun runCli(const QStringList &args, int timeoutMs = 60'000, const QByteArray &input = {})
{
    QProcess process;
    QSignalSpy finished(&process, &QProcess::finished);
    process.start(QStringLiteral(WSI_CLI_PATH), args);
    CliRun run;
    if (!process.waitForStarted(10'000)) {
        run.err = process.errorString().toUtf8();
        return run;
    }
    if (!input.isEmpty())
        process.write(input);
    process.closeWriteChannel();
    if (!finished.wait(timeoutMs)) {
        process.kill();
        process.waitForFinished(5'000);
        run.err = "timed out\n" + process.readAllStandardError();
        return run;
    }
    run.exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -2;
    run.out = process.readAllStandardOutput();
    run.err = process.readAllStandardError();
    return run;
}
