// Runs the real wsinspector-cli --probe against Debian's node-ws (which passes every probe), our own
// strict and lenient test servers (in this process: the CLI is waited for without blocking the
// event loop), and checks exit codes, output lines, report files and usage errors.

#include "clirun.h"
#include "peerprocess.h"
#include "probetestserver.h"
#include "probe/probepresets.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>


class tst_ProbeCli : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void nodeWsPassesEverything();
    void lenientServerMisbehaves();
    void probeAnywhereOnTheCommandLine();
    void jsonl();
    void markdownToStdout();
    void reportFile_data();
    void reportFile();
    void unreachable();
    void usageErrors_data();
    void usageErrors();
    void help();
    void list();

private:
    PeerProcess m_node;
    QUrl m_nodeUrl;
    ProbeTestServer m_strict { ProbeTestServer::Mode::Strict };
    ProbeTestServer m_lenient { ProbeTestServer::Mode::Lenient };
    QTemporaryDir m_dir;
};

void tst_ProbeCli::initTestCase()
{
    QVERIFY(m_node.start(PeerProcess::Runtime::Node, QStringLiteral("net/peers/node_echo_server.js")));
    const quint16 port = m_node.waitForPort();
    QVERIFY(port != 0);
    m_nodeUrl = QUrl(QStringLiteral("ws://127.0.0.1:%1/").arg(port));
    QVERIFY(m_strict.listen());
    QVERIFY(m_lenient.listen());
    QVERIFY(m_dir.isValid());
}

void tst_ProbeCli::nodeWsPassesEverything()
{
    const CliRun run = runCli({ QStringLiteral("--probe"), m_nodeUrl.toString() });
    QVERIFY2(run.exitCode == 0, qPrintable(run.describe()));
    const QList<QByteArray> lines = run.lines();
    const QList<ProbePresets::Preset> presets = ProbePresets::all();
    QCOMPARE(lines.size(), presets.size() + 2); // header, one line per probe, summary
    QCOMPARE(lines.first(),
        QStringLiteral("probing %1 with %2 probes, 2000 ms each")
            .arg(m_nodeUrl.toString())
            .arg(presets.size())
            .toUtf8());
    for (qsizetype i = 0; i < presets.size(); ++i) {
        const QByteArray &line = lines[i + 1];
        QVERIFY2(line.startsWith("PASS  " + presets[i].id.toUtf8() + ' '), line.constData());
        QVERIFY2(line.contains("expected: "), line.constData());
        QVERIFY2(line.contains("; seen: "), line.constData());
    }
    QVERIFY2(lines[1].endsWith("expected: close 1002 or drop; seen: close 1002 Protocol Error"), lines[1].constData());
    QCOMPARE(lines.last(), QStringLiteral("%1 of %1 probes passed").arg(presets.size()).toUtf8());
    QVERIFY(run.err.isEmpty());
}

void tst_ProbeCli::lenientServerMisbehaves()
{
    const CliRun run = runCli(
        { QStringLiteral("--probe"), m_lenient.url().toString(), QStringLiteral("--timeout"), QStringLiteral("300"),
            QStringLiteral("--only"), QStringLiteral("rsv1-set,utf8-split-code-point,close-code-1005") });
    QVERIFY2(run.exitCode == 3, qPrintable(run.describe()));
    const QList<QByteArray> lines = run.lines();
    QCOMPARE(lines.size(), 5);
    QCOMPARE(
        lines[0], QStringLiteral("probing %1 with 3 probes, 300 ms each").arg(m_lenient.url().toString()).toUtf8());
    QCOMPARE(lines[1],
        QByteArray("FAIL  rsv1-set                         expected: close 1002 or drop; seen: echo \"Hello\" "
                   "[server frames broke: reserved-bits-set]"));
    QCOMPARE(lines[2],
        QByteArray("PASS  utf8-split-code-point            expected: echo \"\xce\xba\xe1\xbd\xb9\xcf\x83\xce\xbc"
                   "\xce\xb5\"; seen: echo \"\xce\xba\xe1\xbd\xb9\xcf\x83\xce\xbc\xce\xb5\""));
    QCOMPARE(lines[3],
        QByteArray("FAIL  close-code-1005                  expected: close 1002 or drop; seen: nothing within "
                   "300 ms"));
    QCOMPARE(lines[4], QByteArray("1 of 3 probes passed; failed: rsv1-set, close-code-1005"));
}

// main() hands over to the probe run wherever --probe is, and the URL may come on its own.
void tst_ProbeCli::probeAnywhereOnTheCommandLine()
{
    const CliRun a = runCli(
        { QStringLiteral("--only"), QStringLiteral("rsv2-set"), QStringLiteral("--probe"), m_strict.url().toString() });
    QVERIFY2(a.exitCode == 0, qPrintable(a.describe()));
    QCOMPARE(a.lines().size(), 3);
    const CliRun b
        = runCli({ QStringLiteral("--only=rsv2-set"), QStringLiteral("--probe=") + m_strict.url().toString() });
    QVERIFY2(b.exitCode == 0, qPrintable(b.describe()));
    QCOMPARE(b.lines().size(), 3);
    const CliRun c = runCli(
        { QStringLiteral("--probe"), QStringLiteral("--only"), QStringLiteral("rsv2-set"), m_strict.url().toString() });
    QVERIFY2(c.exitCode == 0, qPrintable(c.describe()));
    QVERIFY(c.lines().value(1).startsWith("PASS  rsv2-set "));
}

void tst_ProbeCli::jsonl()
{
    const CliRun run = runCli({ QStringLiteral("--probe"), m_strict.url().toString(), QStringLiteral("--format"),
        QStringLiteral("jsonl"), QStringLiteral("--only"), QStringLiteral("close-code-1012,invalid-utf8") });
    QVERIFY2(run.exitCode == 0, qPrintable(run.describe()));
    const QList<QByteArray> lines = run.lines();
    QCOMPARE(lines.size(), 3);
    const QJsonObject first = QJsonDocument::fromJson(lines[0]).object();
    QCOMPARE(first.value(QStringLiteral("index")).toInt(), 1);
    QCOMPARE(first.value(QStringLiteral("id")).toString(), QStringLiteral("close-code-1012"));
    QCOMPARE(first.value(QStringLiteral("verdict")).toString(), QStringLiteral("pass"));
    QCOMPARE(first.value(QStringLiteral("seen")).toObject().value(QStringLiteral("closeCode")).toInt(), 1012);
    const QJsonObject second = QJsonDocument::fromJson(lines[1]).object();
    QCOMPARE(second.value(QStringLiteral("id")).toString(), QStringLiteral("invalid-utf8"));
    QCOMPARE(second.value(QStringLiteral("seen")).toObject().value(QStringLiteral("closeCode")).toInt(), 1007);
    const QJsonObject summary = QJsonDocument::fromJson(lines[2]).object().value(QStringLiteral("summary")).toObject();
    QCOMPARE(summary.value(QStringLiteral("total")).toInt(), 2);
    QCOMPARE(summary.value(QStringLiteral("passed")).toInt(), 2);
    QCOMPARE(summary.value(QStringLiteral("failed")).toInt(), 0);
    QCOMPARE(summary.value(QStringLiteral("interrupted")).toBool(), false);
}

void tst_ProbeCli::markdownToStdout()
{
    const CliRun run = runCli({ QStringLiteral("--probe"), m_lenient.url().toString(), QStringLiteral("--format"),
        QStringLiteral("markdown"), QStringLiteral("--only"), QStringLiteral("unmasked-client-frame"),
        QStringLiteral("--timeout"), QStringLiteral("200") });
    QVERIFY2(run.exitCode == 3, qPrintable(run.describe()));
    QVERIFY2(run.out.startsWith("# WebSocket probe report\n"), qPrintable(run.describe()));
    QVERIFY(run.out.contains("- Result: 0 of 1 probes passed, 1 failed\n"));
    QVERIFY2(run.out.endsWith("| 1 | `unmasked-client-frame` Unmasked client frame \xe2\x86\x92 close 1002 | \xc2\xa7"
                              "5.1 | close 1002 or drop | echo \"Hello\" | **FAIL** |\n"),
        qPrintable(run.describe()));
}

void tst_ProbeCli::reportFile_data()
{
    QTest::addColumn<QString>("fileName");
    QTest::addRow("markdown") << QStringLiteral("report.md");
    QTest::addRow("csv") << QStringLiteral("report.csv");
    QTest::addRow("json") << QStringLiteral("report.json");
}

void tst_ProbeCli::reportFile()
{
    QFETCH(QString, fileName);
    const QString path = m_dir.filePath(fileName);
    const CliRun run = runCli({ QStringLiteral("--probe"), m_lenient.url().toString(), QStringLiteral("--report"), path,
        QStringLiteral("--only"), QStringLiteral("rsv3-set,ping-between-fragments"), QStringLiteral("--timeout"),
        QStringLiteral("200") });
    QVERIFY2(run.exitCode == 3, qPrintable(run.describe()));
    QFile file(path);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QByteArray bytes = file.readAll();
    if (fileName.endsWith(QLatin1String(".md"))) {
        QVERIFY(bytes.startsWith("# WebSocket probe report\n"));
        QVERIFY(bytes.contains(QStringLiteral("- Server: `%1`\n").arg(m_lenient.url().toString()).toUtf8()));
        QVERIFY(bytes.contains("- Timeout per probe: 200 ms\n"));
        QVERIFY(bytes.contains("| 1 | `rsv3-set` "));
        QVERIFY(bytes.contains(" | **FAIL** |\n| 2 | `ping-between-fragments` "));
        QVERIFY(bytes.endsWith(" | **PASS** |\n"));
    } else if (fileName.endsWith(QLatin1String(".csv"))) {
        const QList<QByteArray> rows = bytes.split('\n');
        QCOMPARE(rows.size(), 4); // header, two probes, and the empty rest after the last CRLF
        QCOMPARE(rows[0], QByteArray("index,id,title,rfc_section,expected,seen,reaction,verdict,why\r"));
        QVERIFY2(rows[1].startsWith("1,rsv3-set,"), rows[1].constData());
        QVERIFY2(rows[1].contains(",echo,FAIL,"), rows[1].constData());
        QVERIFY2(rows[2].startsWith("2,ping-between-fragments,"), rows[2].constData());
        QVERIFY2(rows[2].contains(",echo,PASS,"), rows[2].constData());
        QVERIFY(rows[3].isEmpty());
    } else {
        const QJsonObject root = QJsonDocument::fromJson(bytes).object();
        QCOMPARE(root.value(QStringLiteral("url")).toString(), m_lenient.url().toString());
        QCOMPARE(root.value(QStringLiteral("timeoutMs")).toInt(), 200);
        QCOMPARE(root.value(QStringLiteral("summary")).toObject().value(QStringLiteral("failed")).toInt(), 1);
        const QJsonArray probes = root.value(QStringLiteral("probes")).toArray();
        QCOMPARE(probes.size(), 2);
        QCOMPARE(probes[0].toObject().value(QStringLiteral("id")).toString(), QStringLiteral("rsv3-set"));
        QCOMPARE(
            probes[0].toObject().value(QStringLiteral("seen")).toObject().value(QStringLiteral("reaction")).toString(),
            QStringLiteral("echo"));
        QCOMPARE(probes[1].toObject().value(QStringLiteral("verdict")).toString(), QStringLiteral("pass"));
    }
}

void tst_ProbeCli::unreachable()
{
    QTcpServer closed;
    QVERIFY(closed.listen(QHostAddress::LocalHost, 0));
    const QString url = QStringLiteral("ws://127.0.0.1:%1/").arg(closed.serverPort());
    closed.close();
    const QString report = m_dir.filePath(QStringLiteral("unreachable.json"));
    const CliRun run = runCli({ QStringLiteral("--probe"), url, QStringLiteral("--report"), report });
    QVERIFY2(run.exitCode == 1, qPrintable(run.describe()));
    QVERIFY2(
        run.err.startsWith(QStringLiteral("wsinspector-cli: cannot probe %1: connection refused").arg(url).toUtf8()),
        qPrintable(run.describe()));
    QCOMPARE(run.lines().size(), 1); // only the "probing ..." header: no probe ran
    QVERIFY(!QFile::exists(report));
}

void tst_ProbeCli::usageErrors_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QString>("message");
    const QString url = QStringLiteral("ws://127.0.0.1:9/");
    QTest::addRow("no url") << QStringList { QStringLiteral("--probe") }
                            << QStringLiteral("--probe needs the URL of an echo server");
    QTest::addRow("two urls") << QStringList { QStringLiteral("--probe"), url, url }
                              << QStringLiteral("--probe takes one URL; got 2");
    QTest::addRow("bad scheme") << QStringList { QStringLiteral("--probe"), QStringLiteral("http://127.0.0.1/") }
                                << QStringLiteral("--probe: unsupported scheme \"http\"");
    QTest::addRow("timeout not a number") << QStringList { QStringLiteral("--probe"), url, QStringLiteral("--timeout"),
        QStringLiteral("2s") } << QStringLiteral("--timeout: \"2s\" is not a number of milliseconds from 1 to 600000");
    QTest::addRow("timeout zero") << QStringList { QStringLiteral("--probe"), url, QStringLiteral("--timeout=0") }
                                  << QStringLiteral("--timeout: \"0\" is not a number of milliseconds");
    QTest::addRow("timeout missing") << QStringList { QStringLiteral("--probe"), url, QStringLiteral("--timeout") }
                                     << QStringLiteral("--timeout needs a value (milliseconds)");
    QTest::addRow("unknown probe") << QStringList {
        QStringLiteral("--probe"), url, QStringLiteral("--only"), QStringLiteral("rsv1-set,rsv9-set")
    } << QStringLiteral("--only: unknown probe \"rsv9-set\"; known probes: rsv1-set, rsv2-set");
    QTest::addRow("bad format") << QStringList { QStringLiteral("--probe"), url, QStringLiteral("--format"),
        QStringLiteral("xml") } << QStringLiteral("--format: \"xml\" is not one of text, jsonl, markdown");
    QTest::addRow("report extension") << QStringList {
        QStringLiteral("--probe"), url, QStringLiteral("--report"), QStringLiteral("out.txt")
    } << QStringLiteral("--report: cannot tell the format of \"out.txt\" from its extension");
    QTest::addRow("report not writable") << QStringList { QStringLiteral("--probe"), url, QStringLiteral("--report"),
        QStringLiteral("/nonexistent-dir/r.md") }
                                         << QStringLiteral("--report: cannot write /nonexistent-dir/r.md");
    QTest::addRow("unknown option") << QStringList { QStringLiteral("--probe"), url, QStringLiteral("--send"),
        QStringLiteral("x") } << QStringLiteral("unknown option for --probe: --send");
    QTest::addRow("bad header") << QStringList { QStringLiteral("--probe"), url, QStringLiteral("-H"),
        QStringLiteral("NoColon") }
                                << QStringLiteral("-H: \"NoColon\" is not 'Name: value'");
    QTest::addRow("probe twice") << QStringList { QStringLiteral("--probe"), url, QStringLiteral("--probe"), url }
                                 << QStringLiteral("--probe given twice");
    // The full suite's options.
    QTest::addRow("bad suite") << QStringList { QStringLiteral("--probe"), url, QStringLiteral("--suite"), QStringLiteral("all") }
                               << QStringLiteral("--suite: \"all\" is not one of quick, full");
    QTest::addRow("no such case") << QStringList { QStringLiteral("--probe"), url, QStringLiteral("--cases"), QStringLiteral("8.*") }
                                  << QStringLiteral("--cases: no case matches \"8.*\"");
    QTest::addRow("cases with the quick suite")
        << QStringList { QStringLiteral("--probe"), url, QStringLiteral("--suite"), QStringLiteral("quick"),
                         QStringLiteral("--cases"), QStringLiteral("1.*") }
        << QStringLiteral("--cases chooses cases of the full suite; it does not go with --suite quick");
    QTest::addRow("jobs without the full suite") << QStringList { QStringLiteral("--probe"), url, QStringLiteral("--jobs"), QStringLiteral("2") }
                                                 << QStringLiteral("--jobs is an option of the full suite (add --suite full)");
    QTest::addRow("only with the full suite")
        << QStringList { QStringLiteral("--probe"), url, QStringLiteral("--suite"), QStringLiteral("full"),
                         QStringLiteral("--only"), QStringLiteral("rsv1-set") }
        << QStringLiteral("--only is an option of the quick suite; the full suite's cases are chosen with --cases");
    QTest::addRow("jobs out of range") << QStringList { QStringLiteral("--probe"), url, QStringLiteral("--suite"), QStringLiteral("full"),
                                                        QStringLiteral("--jobs"), QStringLiteral("0") }
                                       << QStringLiteral("--jobs: \"0\" is not a number from 1 to 64");
    QTest::addRow("with-perf takes no value") << QStringList { QStringLiteral("--probe"), url, QStringLiteral("--with-perf=no") }
                                              << QStringLiteral("--with-perf takes no value");
    QTest::addRow("html report with the quick suite")
        << QStringList { QStringLiteral("--probe"), url, QStringLiteral("--report"), QStringLiteral("r.html") }
        << QStringLiteral("--report: cannot tell the format of \"r.html\" from its extension; the quick suite writes .md, .csv or .json");
    QTest::addRow("csv report with the full suite")
        << QStringList { QStringLiteral("--probe"), url, QStringLiteral("--suite"), QStringLiteral("full"),
                         QStringLiteral("--report"), QStringLiteral("r.csv") }
        << QStringLiteral("--report: cannot tell the format of \"r.csv\" from its extension; the full suite writes .html, .md or .json");
}

void tst_ProbeCli::usageErrors()
{
    QFETCH(QStringList, args);
    QFETCH(QString, message);
    const CliRun run = runCli(args);
    QVERIFY2(run.exitCode == 2, qPrintable(run.describe()));
    QVERIFY2(run.err.startsWith("wsinspector-cli: " + message.toUtf8()), qPrintable(run.describe()));
    QVERIFY2(run.err.contains("Try 'wsinspector-cli --probe --help'")
            || message.startsWith(QLatin1String("--report: cannot write")),
        qPrintable(run.describe()));
    QVERIFY(run.out.isEmpty());
}

void tst_ProbeCli::help()
{
    const CliRun run = runCli({ QStringLiteral("--probe"), QStringLiteral("--help") });
    QVERIFY2(run.exitCode == 0, qPrintable(run.describe()));
    QVERIFY(run.out.startsWith("Usage: wsinspector-cli --probe URL [--suite quick|full] [options]\n"));
    for (const char *option :
        { "--timeout MS", "--only ID[,ID...]", "--format text|jsonl|markdown", "--report FILE", "--list" })
        QVERIFY2(run.out.contains(option), option);
    QVERIFY(run.out.contains("  0    every probe passed (full suite: no case FAILED)\n"));
    QVERIFY(run.out.contains("  1    the server could not be reached"));
    QVERIFY(run.out.contains("  2    usage error"));
    QVERIFY(run.out.contains("  3    the server misbehaved on at least one probe (full suite: a case FAILED)\n"));
    for (const char *option : { "--suite full", "--cases PATTERN[,...]", "--jobs N", "--with-perf" })
        QVERIFY2(run.out.contains(option), option);
}

void tst_ProbeCli::list()
{
    const CliRun run = runCli({ QStringLiteral("--probe"), QStringLiteral("--list") });
    QVERIFY2(run.exitCode == 0, qPrintable(run.describe()));
    const QList<QByteArray> lines = run.lines();
    const QList<ProbePresets::Preset> presets = ProbePresets::all();
    QCOMPARE(lines.size(), presets.size());
    for (qsizetype i = 0; i < presets.size(); ++i) {
        QVERIFY2(lines[i].startsWith(presets[i].id.toUtf8() + ' '), lines[i].constData());
        QVERIFY2(lines[i].endsWith("(RFC 6455 \xc2\xa7" + presets[i].rfcSection.toUtf8() + ')'), lines[i].constData());
    }
}

QTEST_GUILESS_MAIN(tst_ProbeCli)
#include "tst_probecli.moc"
