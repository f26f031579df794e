#pragma once

// Runs an independent WebSocket peer (a Node.js or Python script under tests/) as a child process
// and reads what it prints. Servers announce "PORT <n>" on their first line.

#include <QByteArray>
#include <QElapsedTimer>
#include <QJsonDocument>
#include <QJsonObject>
#include <QList>
#include <QProcess>
#include <QProcessEnvironment>
#include <QSignalSpy>
#include <QStringList>
#include <QTest>

class PeerProcess {
public:
    enum class Runtime { Node, Python };

    static QString scriptPath(const QString &relative)
    {
        return QStringLiteral(WSI_TEST_DATA "/") + relative;
    }

    // Starts the script; returns false (with a QTest message) if it does not start.
    bool start(Runtime runtime, const QString &script, const QStringList &args = {})
    {
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("NODE_PATH"), QStringLiteral("/usr/share/nodejs"));
        env.insert(QStringLiteral("PYTHONUNBUFFERED"), QStringLiteral("1"));
        m_process.setProcessEnvironment(env);
        // Debian's python3-websockets lives with /usr/bin/python3; another python3 may come first on PATH.
        const QString program = runtime == Runtime::Node ? QStringLiteral("nodejs") : QStringLiteral("/usr/bin/python3");
        m_process.start(program, QStringList { scriptPath(script) } + args);
        if (!m_process.waitForStarted(10'000)) {
            qWarning("could not start %s: %s", qPrintable(program), qPrintable(m_process.errorString()));
            return false;
        }
        return true;
    }

    // For servers: waits for "PORT <n>" and returns n (0 on failure).
    quint16 waitForPort(int timeoutMs = 15'000)
    {
        const QByteArray line = waitForLine(timeoutMs);
        if (!line.startsWith("PORT ")) {
            qWarning("peer did not announce a port; printed: %s / stderr: %s", line.constData(),
                     m_process.readAllStandardError().constData());
            return 0;
        }
        return quint16(line.mid(5).trimmed().toUInt());
    }

    // Next line of standard output, waiting up to timeoutMs; empty on timeout. Spins the event loop
    // while waiting (never blocks it), so in-process connections keep working meanwhile.
    QByteArray waitForLine(int timeoutMs = 15'000)
    {
        QElapsedTimer timer;
        timer.start();
        while (!m_process.canReadLine()) {
            const qint64 left = timeoutMs - timer.elapsed();
            if (left <= 0 || m_process.state() == QProcess::NotRunning)
                return {};
            QSignalSpy spy(&m_process, &QProcess::readyReadStandardOutput);
            spy.wait(int(left));
        }
        return m_process.readLine().trimmed();
    }

    // Next JSON object printed by the peer (lines that are not JSON are skipped).
    QJsonObject waitForJson(int timeoutMs = 15'000)
    {
        QElapsedTimer timer;
        timer.start();
        while (timer.elapsed() < timeoutMs) {
            const QByteArray line = waitForLine(int(timeoutMs - timer.elapsed()));
            if (line.isEmpty())
                break;
            const QJsonDocument doc = QJsonDocument::fromJson(line);
            if (doc.isObject())
                return doc.object();
        }
        return {};
    }

    QProcess &process() { return m_process; }

    ~PeerProcess()
    {
        if (m_process.state() != QProcess::NotRunning) {
            m_process.terminate();
            if (!m_process.waitForFinished(3000)) {
                m_process.kill();
                m_process.waitForFinished(3000);
            }
        }
    }

private:
    QProcess m_process;
};
