// A capture made here opens in Chrome DevTools: a conversation with node-ws (text, binary, a
// fragmented message, a ping) recorded with --capture and converted to HAR is fed to DevTools' own
// HAR importer inside Debian's headless Chromium (peers/chrome_har_import.js: the call the Network
// panel makes for "Import HAR file…"), which must give back one WebSocket request, answered 101,
// with every message as a frame of the right type, opcode and data.

#include "clirun.h"
#include "peerprocess.h"

#include <QJsonArray>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

class tst_HarInChrome : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void chromeImportsOurHar();
};

void tst_HarInChrome::chromeImportsOurHar()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    PeerProcess node;
    QVERIFY(node.start(PeerProcess::Runtime::Node, QStringLiteral("cli/peers/ws_echo_server.js")));
    const quint16 port = node.waitForPort();
    QVERIFY(port != 0);
    const QString session = dir.filePath(QStringLiteral("s.jsonl"));
    const QString har = dir.filePath(QStringLiteral("s.har"));
    const CliRun record = runCli({ QStringLiteral("ws://127.0.0.1:%1/").arg(port), QStringLiteral("--capture"), session,
                                   QStringLiteral("--send"), QStringLiteral("hello"), QStringLiteral("--send-binary"),
                                   QStringLiteral("01 02 ff"), QStringLiteral("--ping"), QStringLiteral("are you there"),
                                   QStringLiteral("--expect"), QStringLiteral("^hello$"), QStringLiteral("--expect"), QStringLiteral("01 02 ff"),
                                   QStringLiteral("--close"), QStringLiteral("1000") });
    QVERIFY2(record.exitCode == 0, qPrintable(record.describe()));
    const CliRun fragmented = runCli({ QStringLiteral("ws://127.0.0.1:%1/").arg(port), QStringLiteral("--capture"),
                                       dir.filePath(QStringLiteral("f.jsonl")), QStringLiteral("--fragment-size"), QStringLiteral("4"),
                                       QStringLiteral("--send"), QStringLiteral("a message in fragments"), QStringLiteral("--expect"),
                                       QStringLiteral("fragments"), QStringLiteral("--close"), QStringLiteral("1000") });
    QVERIFY2(fragmented.exitCode == 0, qPrintable(fragmented.describe()));
    // One file with both connections: the session file is jsonl, so the second appends.
    QFile first(session), second(dir.filePath(QStringLiteral("f.jsonl")));
    QVERIFY(first.open(QIODevice::Append) && second.open(QIODevice::ReadOnly));
    const QList<QByteArray> secondLines = second.readAll().split('\n');
    for (const QByteArray &line : secondLines.mid(1)) // its header line left out
        if (!line.isEmpty())
            first.write(QByteArray(line).replace("\"conn\":1,", "\"conn\":2,") + '\n');
    first.close();
    const CliRun convert = runCli({ QStringLiteral("--convert"), session, har });
    QVERIFY2(convert.exitCode == 0, qPrintable(convert.describe()));

    QProcess chrome;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("NODE_PATH"), QStringLiteral("/usr/share/nodejs"));
    chrome.setProcessEnvironment(env);
    chrome.start(QStringLiteral("nodejs"), { PeerProcess::scriptPath(QStringLiteral("cli/peers/chrome_har_import.js")), har });
    QVERIFY(chrome.waitForFinished(120'000));
    const QByteArray err = chrome.readAllStandardError();
    const QByteArray out = chrome.readAllStandardOutput();
    QVERIFY2(chrome.exitStatus() == QProcess::NormalExit && chrome.exitCode() == 0, (err + out.left(3000)).constData());
    const QJsonObject result = QJsonDocument::fromJson(out.trimmed().split('\n').last()).object();
    QVERIFY2(result.value(QStringLiteral("ok")).toBool(), out.left(3000).constData());
    const QJsonArray requests = result.value(QStringLiteral("requests")).toArray();
    QCOMPARE(requests.size(), 2);

    // What Chrome shows for each connection: its frames as "type opcode data".
    QList<QStringList> shown;
    for (const QJsonValue &value : requests) {
        const QJsonObject request = value.toObject();
        QCOMPARE(request.value(QStringLiteral("resourceType")).toString(), QStringLiteral("websocket"));
        QCOMPARE(request.value(QStringLiteral("statusCode")).toInt(), 101);
        QCOMPARE(request.value(QStringLiteral("url")).toString(), QStringLiteral("ws://127.0.0.1:%1/").arg(port));
        QVERIFY(request.value(QStringLiteral("requestHeaders")).toArray().contains(QStringLiteral("Upgrade: websocket")));
        QStringList frames;
        for (const QJsonValue &frame : request.value(QStringLiteral("frames")).toArray()) {
            const QJsonObject f = frame.toObject();
            frames << QStringLiteral("%1 %2 %3").arg(f.value(QStringLiteral("type")).toString()).arg(f.value(QStringLiteral("opCode")).toInt())
                          .arg(f.value(QStringLiteral("text")).toString());
        }
        shown << frames;
    }
    // Messages, not frames or control frames: the ping is kept for the inspector's own reading.
    QStringList sent = shown[0].filter(QStringLiteral("send ")), received = shown[0].filter(QStringLiteral("receive "));
    QCOMPARE(sent, QStringList({ QStringLiteral("send 1 hello"), QStringLiteral("send 2 AQL/") }));
    QCOMPARE(received, QStringList({ QStringLiteral("receive 1 hello"), QStringLiteral("receive 2 AQL/") }));
    QCOMPARE(shown[1], QStringList({ QStringLiteral("send 1 a message in fragments"), QStringLiteral("receive 1 a message in fragments") }));
}

QTEST_GUILESS_MAIN(tst_HarInChrome)
#include "tst_harinchrome.moc"
