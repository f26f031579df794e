// The full conformance suite (sections 1-7 and 10) from the command line against independent
// servers: Debian's node-ws and python3-websockets, both echo servers with their defaults. Both pass
// every case that is not informational; where the spec allows a lenient order (a message echoed
// after the connection was failed, invalid UTF-8 noticed at the end of the message) they are
// NON-STRICT, as their published Autobahn results say.

#include "clirun.h"
#include "peerprocess.h"
#include "probe/conformancecatalogue.h"

#include <QFile>
#include <QJsonArray>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

namespace {

constexpr int SuiteTimeout = 180'000;

QStringList allowingNonStrict()
{
    QStringList ids;
    for (const Conformance::Case &c : ConformanceCatalogue::all())
        for (const auto &outcome : c.expected)
            if (outcome.first == Conformance::Verdict::NonStrict)
                ids << c.id;
    return ids;
}

} // namespace

class tst_ConformanceInterop : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void fullSuite_data();
    void fullSuite();
    void htmlReport();
    void chosenCasesAndJobs();
    void deflate_data();
    void deflate();

private:
    PeerProcess m_node;
    PeerProcess m_python;
    QUrl m_nodeUrl;
    QUrl m_pythonUrl;
    QTemporaryDir m_dir;
};

void tst_ConformanceInterop::initTestCase()
{
    QVERIFY(m_dir.isValid());
    QVERIFY(m_node.start(PeerProcess::Runtime::Node, QStringLiteral("net/peers/node_echo_server.js")));
    const quint16 nodePort = m_node.waitForPort();
    QVERIFY(nodePort != 0);
    m_nodeUrl = QUrl(QStringLiteral("ws://127.0.0.1:%1/").arg(nodePort));
    QVERIFY(m_python.start(PeerProcess::Runtime::Python, QStringLiteral("interop/peers/py_echo_server.py")));
    const quint16 pythonPort = m_python.waitForPort();
    QVERIFY(pythonPort != 0);
    m_pythonUrl = QUrl(QStringLiteral("ws://127.0.0.1:%1/").arg(pythonPort));
}

void tst_ConformanceInterop::fullSuite_data()
{
    QTest::addColumn<bool>("node");
    QTest::addColumn<QStringList>("nonStrict"); // exactly these, or (empty) any the catalogue allows
    // ws checks UTF-8 when a message is complete: it fails 6.4.x at the end, not as the bad byte
    // arrives. Its event loop echoes each message as it is parsed, so no other case is lenient.
    QTest::addRow("node-ws") << true
                             << QStringList { QStringLiteral("6.4.1"), QStringLiteral("6.4.2"), QStringLiteral("6.4.3"),
                                              QStringLiteral("6.4.4") };
    // websockets hands messages to the echoing coroutine later than it fails the connection, so
    // which of the "echo, then fail" cases come out NON-STRICT depends on scheduling.
    QTest::addRow("python-websockets") << false << QStringList();
}

void tst_ConformanceInterop::fullSuite()
{
    QFETCH(bool, node);
    QFETCH(QStringList, nonStrict);
    const QUrl url = node ? m_nodeUrl : m_pythonUrl;
    const CliRun run = runCli({ QStringLiteral("--probe"), url.toString(), QStringLiteral("--suite"), QStringLiteral("full"),
                                QStringLiteral("--jobs"), QStringLiteral("4"), QStringLiteral("--format"),
                                QStringLiteral("jsonl") },
                              SuiteTimeout);
    QVERIFY2(run.exitCode == 0, qPrintable(run.describe()));
    const QList<QJsonObject> lines = run.jsonLines();
    QCOMPARE(lines.size(), 247 + 1);
    QStringList seenNonStrict;
    QStringList informational;
    QStringList ids;
    for (qsizetype i = 0; i + 1 < lines.size(); ++i) {
        const QJsonObject &o = lines[i];
        const QString id = o.value(QStringLiteral("case")).toString();
        const QString behaviour = o.value(QStringLiteral("behavior")).toString();
        const QString close = o.value(QStringLiteral("behaviorClose")).toString();
        ids << id;
        const QString why = id + QStringLiteral(": ") + o.value(QStringLiteral("result")).toString()
            + QLatin1Char(' ') + o.value(QStringLiteral("resultClose")).toString();
        QVERIFY2(behaviour == QLatin1String("OK") || behaviour == QLatin1String("NON-STRICT")
                     || behaviour == QLatin1String("INFORMATIONAL"),
                 qPrintable(why));
        QVERIFY2(close == QLatin1String("OK") || close == QLatin1String("INFORMATIONAL"), qPrintable(why));
        if (behaviour == QLatin1String("NON-STRICT"))
            seenNonStrict << id;
        if (behaviour == QLatin1String("INFORMATIONAL"))
            informational << id;
    }
    // Every case once (the lines come as cases finish, so in any order).
    QCOMPARE(QSet<QString>(ids.begin(), ids.end()).size(), 247);
    QCOMPARE(informational.size(), 3);
    std::sort(seenNonStrict.begin(), seenNonStrict.end(), Conformance::idLessThan);
    if (!nonStrict.isEmpty()) {
        QCOMPARE(seenNonStrict, nonStrict);
    } else {
        const QStringList allowed = allowingNonStrict();
        for (const QString &id : seenNonStrict)
            QVERIFY2(allowed.contains(id), qPrintable(id));
    }
    const QJsonObject summary = lines.last().value(QStringLiteral("summary")).toObject();
    QCOMPARE(summary.value(QStringLiteral("total")).toInt(), 247);
    QCOMPARE(summary.value(QStringLiteral("failed")).toInt(), 0);
    QCOMPARE(summary.value(QStringLiteral("nonStrict")).toInt(), seenNonStrict.size());
    QCOMPARE(summary.value(QStringLiteral("closeProblems")).toInt(), 0);
}

void tst_ConformanceInterop::htmlReport()
{
    const QString path = m_dir.filePath(QStringLiteral("node.html"));
    const CliRun run = runCli({ QStringLiteral("--probe"), m_nodeUrl.toString(), QStringLiteral("--cases"),
                                QStringLiteral("1.*,2.*,6.4.*,7.7.*"), QStringLiteral("--report"), path },
                              SuiteTimeout);
    QVERIFY2(run.exitCode == 0, qPrintable(run.describe()));
    QFile file(path);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QString html = QString::fromUtf8(file.readAll());
    // One file that needs nothing else: no scripts, styles or images fetched from anywhere.
    QVERIFY(html.startsWith(QLatin1String("<!DOCTYPE html>")));
    QVERIFY(!html.contains(QLatin1String(" src=")));
    QVERIFY(!html.contains(QLatin1String("<link")));
    QVERIFY(!html.contains(QLatin1String("http://")) && !html.contains(QLatin1String("https://")));
    // The matrix links every case to its details, which hold the wire log.
    QCOMPARE(html.count(QLatin1String("<details id=\"case-")), 16 + 11 + 4 + 13);
    QVERIFY(html.contains(QLatin1String("<a href=\"#case-6.4.1\">6.4.1</a></td><td class=\"nonstrict\">NON-STRICT</td>")));
    const qsizetype details = html.indexOf(QLatin1String("<details id=\"case-2.3\">"));
    const QString pingCase = html.mid(details, html.indexOf(QLatin1String("</details>"), details) - details);
    // The ping as sent (masked with the catalogue's key) and the pong as node-ws answered it.
    QVERIFY2(pingCase.contains(QLatin1String("-&gt; ping   FIN rsv=000 op=9 mask=37fa213d len=8 (7-bit) hdr=89 88 37 fa 21 3d")),
             qPrintable(pingCase));
    QVERIFY2(pingCase.contains(QLatin1String("&lt;- pong   FIN rsv=000 op=A mask=- len=8 (7-bit) hdr=8a 08")),
             qPrintable(pingCase));
    QVERIFY(pingCase.contains(QLatin1String("<dt>Result</dt><dd>What came back is what the case expects: pong 8 bytes hex 00 ff fe fd fc fb 00 ff.</dd>")));
}

void tst_ConformanceInterop::chosenCasesAndJobs()
{
    const CliRun run = runCli({ QStringLiteral("--probe"), m_pythonUrl.toString(), QStringLiteral("--cases"),
                                QStringLiteral("6.20.*"), QStringLiteral("--jobs"), QStringLiteral("7") });
    QVERIFY2(run.exitCode == 0, qPrintable(run.describe()));
    const QList<QByteArray> lines = run.lines();
    QCOMPARE(lines.size(), 1 + 7 + 1);
    QCOMPARE(lines.first(), QByteArray("testing ") + m_pythonUrl.toString().toUtf8() + " with 7 conformance cases, 7 at once");
    static const QRegularExpression caseLine(QStringLiteral("^6\\.20\\.[1-7] +OK +close OK +What came back is what the case expects: nothing\\.$"));
    for (qsizetype i = 1; i < 8; ++i)
        QVERIFY2(caseLine.match(QString::fromUtf8(lines[i])).hasMatch(), lines[i].constData());
    QCOMPARE(lines.last(), QByteArray("7 case(s): 7 OK, 0 NON-STRICT, 0 FAILED, 0 INFORMATIONAL, 0 UNIMPLEMENTED"));

    // A timed case runs alone whatever --jobs says, and the header says so.
    const CliRun timed = runCli({ QStringLiteral("--probe"), m_pythonUrl.toString(), QStringLiteral("--cases"),
                                  QStringLiteral("6.20.1,12.1.1"), QStringLiteral("--jobs"), QStringLiteral("7") });
    QVERIFY2(timed.exitCode == 0, qPrintable(timed.describe()));
    QCOMPARE(timed.lines().first(), QByteArray("testing ") + m_pythonUrl.toString().toUtf8()
                                        + " with 2 conformance cases, 7 at once, the 1 timed one at a time");
}

void tst_ConformanceInterop::deflate_data()
{
    QTest::addColumn<bool>("node");
    QTest::addColumn<QStringList>("failed");
    // ws accepts every negotiation. websockets 10.4 accepts a server window of 8 bits, which zlib
    // cannot write as raw deflate: its handshake ends in 500 (13.3), or the connection in 1011
    // once open (13.5; 13.7, whose first offer asks for 8 bits).
    QTest::addRow("node-ws") << true << QStringList();
    QTest::addRow("python-websockets") << false
                                       << QStringList { QStringLiteral("13.3.1"), QStringLiteral("13.3.11"), QStringLiteral("13.5.1"),
                                                        QStringLiteral("13.7.1"), QStringLiteral("13.7.11") };
}

void tst_ConformanceInterop::deflate()
{
    // Every data set once, fragmented and not, and every negotiation of section 13.
    QFETCH(bool, node);
    QFETCH(QStringList, failed);
    const QString cases = QStringLiteral("12.1.1,12.2.3,12.3.11,12.4.1,12.5.11,13.1.1,13.2.1,13.3.1,13.4.1,13.5.1,"
                                         "13.6.1,13.7.1,13.3.11,13.7.11");
    const CliRun run = runCli({ QStringLiteral("--probe"), (node ? m_nodeUrl : m_pythonUrl).toString(), QStringLiteral("--cases"),
                                cases, QStringLiteral("--format"), QStringLiteral("jsonl") },
                              SuiteTimeout);
    QVERIFY2(run.exitCode == (failed.isEmpty() ? 0 : 3), qPrintable(run.describe()));
    const QList<QJsonObject> lines = run.jsonLines();
    QCOMPARE(lines.size(), 14 + 1);
    QStringList seenFailed;
    for (qsizetype i = 0; i + 1 < lines.size(); ++i) {
        const QJsonObject &o = lines[i];
        const QString id = o.value(QStringLiteral("case")).toString();
        const QString why = id + QStringLiteral(": ") + o.value(QStringLiteral("result")).toString();
        if (o.value(QStringLiteral("behavior")).toString() == QLatin1String("FAILED")) {
            seenFailed << id;
            continue;
        }
        QVERIFY2(o.value(QStringLiteral("behavior")).toString() == QLatin1String("OK"), qPrintable(why));
        QCOMPARE(o.value(QStringLiteral("behaviorClose")).toString(), QStringLiteral("OK"));
        // Each came back whole, and the wire carried the compressed bytes.
        const QJsonObject compression = o.value(QStringLiteral("compression")).toObject();
        const Conformance::Case *c = ConformanceCatalogue::byId(id);
        QVERIFY(c && c->workload);
        QCOMPARE(compression.value(QStringLiteral("messageBytesIn")).toInteger(), 1000 * c->workload->size);
        QVERIFY2(o.value(QStringLiteral("extensions")).toString().startsWith(QLatin1String("permessage-deflate")), qPrintable(why));
        // JSON of 1 KiB and more compresses, even with small windows and no context takeover.
        if (c->workload->dataSet == Conformance::TestData::Set::Json && c->workload->size >= 1024)
            QVERIFY2(compression.value(QStringLiteral("wireBytesIn")).toInteger()
                         < compression.value(QStringLiteral("messageBytesIn")).toInteger() * 8 / 10,
                     qPrintable(why));
    }
    std::sort(seenFailed.begin(), seenFailed.end(), Conformance::idLessThan);
    QCOMPARE(seenFailed, failed);
}

QTEST_GUILESS_MAIN(tst_ConformanceInterop)
#include "tst_conformanceinterop.moc"
