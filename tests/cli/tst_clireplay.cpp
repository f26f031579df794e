// wsinspector-cli --replay: a conversation recorded with --capture against node-ws is sent again,
// to the same server (the answers are the same, but for a timestamp that --replay-ignore masks)
// and to a deliberately changed one (an answer different, one missing, one extra: each row says
// which), with the recorded gaps or as fast as possible, from a session file and from its HAR
// export; and what cannot be replayed is said.

#include "clirun.h"
#include "peerprocess.h"

#include <QElapsedTimer>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

class tst_CliReplay : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void sameServerSameAnswers_data();
    void sameServerSameAnswers();
    void changedServerIsDiffed();
    void textReport();
    void recordedGapsAreKept();
    void refused_data();
    void refused();

private:
    QString file(const char *name) const { return m_dir.filePath(QLatin1String(name)); }
    QString url(quint16 port) const { return QStringLiteral("ws://127.0.0.1:%1/").arg(port); }
    QTemporaryDir m_dir;
    PeerProcess m_same, m_changed;
    quint16 m_samePort = 0, m_changedPort = 0;
};

void tst_CliReplay::initTestCase()
{
    QVERIFY(m_dir.isValid());
    QVERIFY(m_same.start(PeerProcess::Runtime::Node, QStringLiteral("cli/peers/ws_answering_server.js")));
    QVERIFY(m_changed.start(PeerProcess::Runtime::Node, QStringLiteral("cli/peers/ws_answering_server.js"), { QStringLiteral("changed") }));
    m_samePort = m_same.waitForPort();
    m_changedPort = m_changed.waitForPort();
    QVERIFY(m_samePort != 0 && m_changedPort != 0);
    // The recording: six messages, their answers, a clean close.
    const CliRun record = runCli({ url(m_samePort), QStringLiteral("--capture"), file("conversation.jsonl"), QStringLiteral("--send"),
                                   QStringLiteral("a"), QStringLiteral("--send"), QStringLiteral("b"), QStringLiteral("--send"), QStringLiteral("c"),
                                   QStringLiteral("--send"), QStringLiteral("d"), QStringLiteral("--send-binary"), QStringLiteral("01 02 ff"),
                                   QStringLiteral("--send"), QStringLiteral("time?"), QStringLiteral("--expect"), QStringLiteral("^time "),
                                   QStringLiteral("--close"), QStringLiteral("1000") });
    QVERIFY2(record.exitCode == 0, qPrintable(record.describe()));
    const CliRun har = runCli({ QStringLiteral("--convert"), file("conversation.jsonl"), file("conversation.har") });
    QVERIFY2(har.exitCode == 0, qPrintable(har.describe()));
}

void tst_CliReplay::sameServerSameAnswers_data()
{
    QTest::addColumn<QString>("recording");
    QTest::addColumn<QString>("timing");
    QTest::newRow("session file, recorded timing") << file("conversation.jsonl") << "recorded";
    QTest::newRow("session file, fast") << file("conversation.jsonl") << "fast";
    QTest::newRow("HAR export") << file("conversation.har") << "fast";
}

void tst_CliReplay::sameServerSameAnswers()
{
    QFETCH(QString, recording);
    QFETCH(QString, timing);
    const QStringList args { url(m_samePort), QStringLiteral("--replay"), recording, QStringLiteral("--timing"), timing,
                             QStringLiteral("--format"), QStringLiteral("jsonl"), QStringLiteral("--wait"), QStringLiteral("1500") };
    CliRun run = runCli(args + QStringList { QStringLiteral("--replay-ignore"), QStringLiteral("[0-9]+") });
    QVERIFY2(run.exitCode == 0, qPrintable(run.describe()));
    // What was sent again: the six messages, in order, the binary one as binary.
    QStringList sent;
    for (const QJsonObject &f : run.frames("out"))
        if (f.value(QStringLiteral("type")) != QLatin1String("close"))
            sent << f.value(QStringLiteral("type")).toString() + QLatin1Char(' ')
                    + (f.contains(QLatin1String("text")) ? f.value(QStringLiteral("text")).toString()
                                                         : f.value(QStringLiteral("b64")).toString());
    QCOMPARE(sent, QStringList({ QStringLiteral("text a"), QStringLiteral("text b"), QStringLiteral("text c"), QStringLiteral("text d"),
                                 QStringLiteral("binary AQL/"), QStringLiteral("text time?") }));
    const QJsonObject summary = run.last("replay-summary");
    QCOMPARE(summary.value(QStringLiteral("same")).toInt(), 6);
    QCOMPARE(summary.value(QStringLiteral("sent")).toInt(), 6);
    QCOMPARE(summary.value(QStringLiteral("different")).toInt() + summary.value(QStringLiteral("missing")).toInt()
                 + summary.value(QStringLiteral("extra")).toInt(),
             0);

    // Without masking the time, its answer differs: exit 4, and the row shows both.
    run = runCli(args);
    QVERIFY2(run.exitCode == 4, qPrintable(run.describe()));
    QVERIFY2(run.err.contains("replay: the server's answers differ from the recording's: 5 the same, 1 different, 0 missing, 0 extra"),
             qPrintable(run.describe()));
    const QJsonObject different = run.last("replay-diff");
    QCOMPARE(different.value(QStringLiteral("row")).toString(), QStringLiteral("different"));
    QCOMPARE(different.value(QStringLiteral("recorded_index")).toInt(), 6);
    QVERIFY(different.value(QStringLiteral("recorded")).toObject().value(QStringLiteral("text")).toString().startsWith(QLatin1String("time ")));
    QVERIFY(different.value(QStringLiteral("replayed")).toObject().value(QStringLiteral("text")).toString().startsWith(QLatin1String("time ")));
}

void tst_CliReplay::changedServerIsDiffed()
{
    const CliRun run = runCli({ url(m_changedPort), QStringLiteral("--replay"), file("conversation.jsonl"), QStringLiteral("--timing"),
                                QStringLiteral("fast"), QStringLiteral("--format"), QStringLiteral("jsonl"), QStringLiteral("--wait"),
                                QStringLiteral("1500"), QStringLiteral("--replay-ignore"), QStringLiteral("[0-9]+") });
    QVERIFY2(run.exitCode == 4, qPrintable(run.describe()));
    QStringList rows;
    for (const QJsonObject &o : run.jsonLines()) {
        if (o.value(QStringLiteral("kind")) != QLatin1String("replay-diff"))
            continue;
        const auto text = [&o](const char *side) {
            const QJsonObject m = o.value(QLatin1String(side)).toObject();
            return m.contains(QLatin1String("text")) ? m.value(QStringLiteral("text")).toString() : m.value(QStringLiteral("b64")).toString();
        };
        QString row = o.value(QStringLiteral("row")).toString();
        if (o.contains(QLatin1String("recorded")))
            row += QStringLiteral(" #%1 %2").arg(o.value(QStringLiteral("recorded_index")).toInt()).arg(text("recorded"));
        if (o.contains(QLatin1String("replayed")))
            row += QStringLiteral(" -> #%1 %2").arg(o.value(QStringLiteral("replayed_index")).toInt()).arg(text("replayed"));
        rows << row.section(QLatin1String(" time"), 0, 0); // the time's digits differ
    }
    QCOMPARE(rows, QStringList({ QStringLiteral("same #1 a"), QStringLiteral("different #2 b -> #2 B!"), QStringLiteral("missing #3 c"),
                                 QStringLiteral("same #4 d"), QStringLiteral("extra -> #4 surprise"), QStringLiteral("same #5 AQL/"),
                                 QStringLiteral("same #6") }));
    QVERIFY2(run.err.contains("4 the same, 1 different, 1 missing, 1 extra"), qPrintable(run.describe()));
}

void tst_CliReplay::textReport()
{
    const CliRun run = runCli({ url(m_changedPort), QStringLiteral("--replay"), file("conversation.jsonl"), QStringLiteral("--timing"),
                                QStringLiteral("fast"), QStringLiteral("--wait"), QStringLiteral("1500") });
    QVERIFY2(run.exitCode == 4, qPrintable(run.describe()));
    for (const char *line : { "replay: same      #1 \"a\"\n", "replay: different #2 recorded \"b\"\n                     replayed \"B!\"\n",
                              "replay: missing   #3 recorded \"c\"\n", "replay: extra        replayed \"surprise\"\n",
                              "replay: same      #5 binary 01 02 ff\n" })
        QVERIFY2(run.out.contains(line), qPrintable(run.describe()));
    QVERIFY2(run.out.contains(QStringLiteral("replay: 3 the same, 2 different, 1 missing, 1 extra (connection #1 of %1, 6 of 6 "
                                             "messages sent, timing fast)\n")
                                  .arg(file("conversation.jsonl"))
                                  .toUtf8()),
             qPrintable(run.describe()));
}

void tst_CliReplay::recordedGapsAreKept()
{
    // A recording with a pause: "first", then 600 ms later "second" (typed on standard input).
    QProcess recorder;
    recorder.start(QStringLiteral(WSI_CLI_PATH), { url(m_samePort), QStringLiteral("--stdin"), QStringLiteral("--capture"),
                                                   file("gap.jsonl"), QStringLiteral("--format"), QStringLiteral("jsonl") });
    QVERIFY(recorder.waitForStarted());
    recorder.write("first\n");
    QElapsedTimer clock;
    clock.start();
    while (!recorder.readAllStandardOutput().contains("\"dir\":\"in\",\"kind\":\"frame\"") && clock.elapsed() < 10'000)
        recorder.waitForReadyRead(1'000);
    QTest::qWait(600); // the pause being recorded
    recorder.write("second\n");
    recorder.closeWriteChannel();
    QVERIFY(recorder.waitForFinished(20'000));
    QCOMPARE(recorder.exitCode(), 0);

    for (const char *timing : { "recorded", "fast" }) {
        const CliRun run = runCli({ url(m_samePort), QStringLiteral("--replay"), file("gap.jsonl"), QStringLiteral("--timing"),
                                    QLatin1String(timing), QStringLiteral("--format"), QStringLiteral("jsonl"), QStringLiteral("--wait"),
                                    QStringLiteral("1000") });
        QVERIFY2(run.exitCode == 0, qPrintable(run.describe()));
        const QList<QJsonObject> out = run.frames("out");
        QVERIFY(out.size() >= 2);
        const qint64 gapMs = (qint64(out[1].value(QStringLiteral("us")).toDouble()) - qint64(out[0].value(QStringLiteral("us")).toDouble())) / 1000;
        if (QLatin1String(timing) == QLatin1String("recorded"))
            QVERIFY2(gapMs >= 550 && gapMs < 3000, qPrintable(QString::number(gapMs)));
        else
            QVERIFY2(gapMs < 300, qPrintable(QString::number(gapMs)));
    }
}

void tst_CliReplay::refused_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<int>("exitCode");
    QTest::addColumn<QString>("expected");
    QTest::newRow("no such file") << QStringList { QStringLiteral("--replay"), file("none.jsonl"), QStringLiteral("ws://127.0.0.1:1/") } << 2
                                  << "--replay: nothing read from";
    QTest::newRow("no such connection") << QStringList { QStringLiteral("--replay"), file("conversation.jsonl"), QStringLiteral("--replay-conn"),
                                                         QStringLiteral("7"), QStringLiteral("ws://127.0.0.1:1/") }
                                        << 2 << "the capture holds no connection #7";
    QTest::newRow("server not there") << QStringList { QStringLiteral("--replay"), file("conversation.jsonl"), QStringLiteral("ws://127.0.0.1:1/") }
                                      << 1 << "connection failed: connection refused by 127.0.0.1:1";
    QTest::newRow("with --send") << QStringList { QStringLiteral("--replay"), file("conversation.jsonl"), QStringLiteral("--send"), QStringLiteral("x"),
                                                  QStringLiteral("ws://h/") }
                                 << 2 << "--send cannot be used with --replay: the recording says what to send";
    QTest::newRow("bad timing") << QStringList { QStringLiteral("--replay"), file("conversation.jsonl"), QStringLiteral("--timing"),
                                                 QStringLiteral("slow"), QStringLiteral("ws://h/") }
                                << 2 << "--timing: \"slow\" is neither recorded nor fast";
    QTest::newRow("timing alone") << QStringList { QStringLiteral("--timing"), QStringLiteral("fast"), QStringLiteral("ws://h/") } << 2
                                  << "--timing applies to --replay";
    QTest::newRow("bad ignore") << QStringList { QStringLiteral("--replay"), file("conversation.jsonl"), QStringLiteral("--replay-ignore"),
                                                 QStringLiteral("(["), QStringLiteral("ws://h/") }
                                << 2 << "--replay-ignore: \"([\" is not a regular expression";
}

void tst_CliReplay::refused()
{
    QFETCH(QStringList, args);
    QFETCH(int, exitCode);
    QFETCH(QString, expected);
    const CliRun run = runCli(args);
    QVERIFY2(run.exitCode == exitCode, qPrintable(run.describe()));
    QVERIFY2(run.err.contains(expected.toUtf8()), qPrintable(run.describe()));
}

QTEST_GUILESS_MAIN(tst_CliReplay)
#include "tst_clireplay.moc"
