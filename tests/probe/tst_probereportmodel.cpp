// The probe report table and its three export formats, byte for byte.

#include "probe/probereportmodel.h"
#include "text/displaytext.h"

#include <QAbstractItemModelTester>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSignalSpy>
#include <QtTest>

Q_DECLARE_METATYPE(ProbeReportModel::Format)

namespace {

ProbeResult passedClose(const char *id, quint16 code)
{
    ProbeResult r;
    r.preset = ProbePresets::byId(QString::fromLatin1(id));
    r.reaction = ProbeResult::Reaction::Close;
    r.closeFrameReceived = true;
    r.closeHasCode = true;
    r.closeCode = code;
    r.closePayloadSize = 2;
    r.clean = true;
    r.timeoutMs = 2000;
    r.judge();
    return r;
}

// A failing probe whose seen text needs escaping in every format: a comma, quotes and a pipe.
ProbeResult failedEcho()
{
    ProbeResult r;
    r.preset = ProbePresets::byId(QStringLiteral("rsv1-set"));
    r.reaction = ProbeResult::Reaction::Echo;
    r.echo = QByteArrayLiteral("a|b, \"c\"");
    r.echoFrames = 1;
    r.echoComplete = true;
    r.timeoutMs = 2000;
    r.judge();
    return r;
}

ProbeRunInfo fixedInfo()
{
    ProbeRunInfo info;
    info.url = QUrl(QStringLiteral("ws://127.0.0.1:8080/echo"));
    info.started = QDateTime(QDate(2024, 5, 1), QTime(12, 30, 15), Qt::UTC);
    info.timeoutMs = 2000;
    info.tool = QStringLiteral("wsinspector-cli 0.1.0");
    return info;
}

} // namespace

class tst_ProbeReportModel : public QObject {
    Q_OBJECT

private slots:
    void rowsFollowTheRun();
    void markdown();
    void csv();
    void json();
    void exportReportUsesTheModelsRows();
    void formatForFileName_data();
    void formatForFileName();
};

void tst_ProbeReportModel::rowsFollowTheRun()
{
    ProbeReportModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    const QList<ProbePresets::Preset> presets
        = { ProbePresets::byId(QStringLiteral("rsv1-set")), ProbePresets::byId(QStringLiteral("close-code-1012")),
              ProbePresets::byId(QStringLiteral("utf8-split-code-point")) };
    model.setPresets(presets, fixedInfo());
    QCOMPARE(model.rowCount(), 3);
    QCOMPARE(model.columnCount(), 4);
    QCOMPARE(model.headerData(ProbeReportModel::SeenColumn, Qt::Horizontal).toString(), QStringLiteral("Seen"));
    QCOMPARE(model.index(1, ProbeReportModel::PresetColumn).data().toString(), presets[1].title);
    // The expectation is shown before the probe runs.
    QCOMPARE(model.index(1, ProbeReportModel::ExpectedColumn).data().toString(), QStringLiteral("close 1012 or 1000"));
    QCOMPARE(model.index(1, ProbeReportModel::SeenColumn).data().toString(), QString());
    QCOMPARE(model.index(1, 0).data(ProbeReportModel::StateRole).toInt(), int(ProbeReportModel::State::Pending));
    QVERIFY(!model.index(1, 0).data(ProbeReportModel::PassedRole).isValid());
    QCOMPARE(model.index(1, 0).data(ProbeReportModel::PresetIdRole).toString(), QStringLiteral("close-code-1012"));
    QCOMPARE(model.index(1, 0).data(ProbeReportModel::RfcSectionRole).toString(), QStringLiteral("7.4.2"));

    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    model.setRunning(0);
    QCOMPARE(changed.size(), 1);
    QCOMPARE(changed.at(0).at(0).toModelIndex(), model.index(0, 0));
    QCOMPARE(changed.at(0).at(1).toModelIndex(), model.index(0, 3));
    QCOMPARE(model.index(0, ProbeReportModel::SeenColumn).data().toString(), QStringLiteral("running…"));
    QCOMPARE(model.index(0, 0).data(ProbeReportModel::StateRole).toInt(), int(ProbeReportModel::State::Running));

    model.setResult(0, failedEcho());
    QCOMPARE(model.index(0, ProbeReportModel::VerdictColumn).data().toString(), QStringLiteral("FAIL"));
    QCOMPARE(model.index(0, 0).data(ProbeReportModel::StateRole).toInt(), int(ProbeReportModel::State::Failed));
    QCOMPARE(model.index(0, 0).data(ProbeReportModel::PassedRole), QVariant(false));
    QCOMPARE(model.index(0, 0).data(ProbeReportModel::ReactionRole).toString(), QStringLiteral("echo"));
    QCOMPARE(model.index(0, ProbeReportModel::SeenColumn).data().toString(), QStringLiteral("echo \"a|b, \\\"c\\\"\""));
    // A tool tip would take markup in the peer's data for rich text: it is always plain.
    QCOMPARE(model.index(0, ProbeReportModel::VerdictColumn).data(Qt::ToolTipRole).toString(), DisplayText::toolTip(failedEcho().why));
    model.setResult(1, passedClose("close-code-1012", 1012));
    QCOMPARE(model.index(1, ProbeReportModel::VerdictColumn).data().toString(), QStringLiteral("PASS"));
    QCOMPARE(model.passedCount(), 1);
    QCOMPARE(model.failedCount(), 1);
    // Only finished probes are in the report.
    QCOMPARE(model.results().size(), 2);
    model.setResult(7, failedEcho()); // out of range: ignored
    model.setRunning(-1);
    QCOMPARE(model.results().size(), 2);

    model.clear();
    QCOMPARE(model.rowCount(), 0);
    QVERIFY(model.runInfo().url.isEmpty());
}

void tst_ProbeReportModel::markdown()
{
    const QByteArray md
        = ProbeReportModel::toMarkdown({ failedEcho(), passedClose("close-code-1012", 1012) }, fixedInfo());
    const QByteArray expected
        = "# WebSocket probe report\n"
          "\n"
          "- Server: `ws://127.0.0.1:8080/echo`\n"
          "- Started: 2024-05-01T12:30:15Z\n"
          "- Timeout per probe: 2000 ms\n"
          "- Tool: wsinspector-cli 0.1.0\n"
          "- Result: 1 of 2 probes passed, 1 failed\n"
          "\n"
          "| # | Probe | RFC 6455 | Expected | Seen | Verdict |\n"
          "|---|-------|----------|----------|------|---------|\n"
          "| 1 | `rsv1-set` RSV1 set without an extension \xe2\x86\x92 close 1002 | \xc2\xa7"
          "5.2 | "
          "close 1002 or drop | echo \"a\\|b, \\\\\"c\\\\\"\" | **FAIL** |\n"
          "| 2 | `close-code-1012` Close with code 1012 Service Restart \xe2\x86\x92 close 1012 | "
          "\xc2\xa7"
          "7.4.2 | close 1012 or 1000 | close 1012 Service Restart | **PASS** |\n";
    QCOMPARE(md, expected);
}

void tst_ProbeReportModel::csv()
{
    const QByteArray csv = ProbeReportModel::toCsv({ failedEcho(), passedClose("close-code-1012", 1012) }, fixedInfo());
    const QByteArray expected
        = "index,id,title,rfc_section,expected,seen,reaction,verdict,why\r\n"
          "1,rsv1-set,RSV1 set without an extension \xe2\x86\x92 close 1002,5.2,close 1002 or drop,"
          "\"echo \"\"a|b, \\\"\"c\\\"\"\"\"\",echo,FAIL,"
          "\"sent data back (\"\"a|b, \\\"\"c\\\"\"\"\"): it accepted frames it had to refuse\"\r\n"
          "2,close-code-1012,Close with code 1012 Service Restart \xe2\x86\x92 close 1012,7.4.2,close 1012 or 1000,"
          "close 1012 Service Restart,close,PASS,\"answered with close 1012 Service Restart, as expected\"\r\n";
    QCOMPARE(csv, expected);
}

void tst_ProbeReportModel::json()
{
    const QByteArray bytes
        = ProbeReportModel::toJson({ failedEcho(), passedClose("close-code-1012", 1012) }, fixedInfo());
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(bytes, &error);
    QCOMPARE(error.error, QJsonParseError::NoError);
    const QJsonObject root = doc.object();
    QCOMPARE(root.value(QStringLiteral("tool")).toString(), QStringLiteral("wsinspector-cli 0.1.0"));
    QCOMPARE(root.value(QStringLiteral("url")).toString(), QStringLiteral("ws://127.0.0.1:8080/echo"));
    QCOMPARE(root.value(QStringLiteral("started")).toString(), QStringLiteral("2024-05-01T12:30:15.000Z"));
    QCOMPARE(root.value(QStringLiteral("timeoutMs")).toInt(), 2000);
    const QJsonObject summary = root.value(QStringLiteral("summary")).toObject();
    QCOMPARE(summary.value(QStringLiteral("total")).toInt(), 2);
    QCOMPARE(summary.value(QStringLiteral("passed")).toInt(), 1);
    QCOMPARE(summary.value(QStringLiteral("failed")).toInt(), 1);
    const QJsonArray probes = root.value(QStringLiteral("probes")).toArray();
    QCOMPARE(probes.size(), 2);
    QCOMPARE(probes[0].toObject(), failedEcho().toJson());
    QCOMPARE(probes[1].toObject().value(QStringLiteral("verdict")).toString(), QStringLiteral("pass"));
    QCOMPARE(probes[0].toObject().value(QStringLiteral("seen")).toObject().value(QStringLiteral("echoHex")).toString(),
        QString::fromLatin1(QByteArrayLiteral("a|b, \"c\"").toHex()));
}

void tst_ProbeReportModel::exportReportUsesTheModelsRows()
{
    ProbeReportModel model;
    model.setPresets(
        { ProbePresets::byId(QStringLiteral("rsv1-set")), ProbePresets::byId(QStringLiteral("close-code-1012")) },
        fixedInfo());
    model.setResult(0, failedEcho());
    model.setResult(1, passedClose("close-code-1012", 1012));
    const QList<ProbeResult> results = { failedEcho(), passedClose("close-code-1012", 1012) };
    for (auto format :
        { ProbeReportModel::Format::Markdown, ProbeReportModel::Format::Csv, ProbeReportModel::Format::Json })
        QCOMPARE(model.exportReport(format), ProbeReportModel::formatReport(results, format, fixedInfo()));
    QCOMPARE(model.exportReport(ProbeReportModel::Format::Csv), ProbeReportModel::toCsv(results, fixedInfo()));
}

void tst_ProbeReportModel::formatForFileName_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<int>("format"); // -1: none
    QTest::addRow("md") << QStringLiteral("report.md") << int(ProbeReportModel::Format::Markdown);
    QTest::addRow("markdown upper case") << QStringLiteral("/tmp/R.MARKDOWN")
                                         << int(ProbeReportModel::Format::Markdown);
    QTest::addRow("csv") << QStringLiteral("a.b.csv") << int(ProbeReportModel::Format::Csv);
    QTest::addRow("json") << QStringLiteral("probe.json") << int(ProbeReportModel::Format::Json);
    QTest::addRow("txt") << QStringLiteral("probe.txt") << -1;
    QTest::addRow("no extension") << QStringLiteral("report") << -1;
}

void tst_ProbeReportModel::formatForFileName()
{
    QFETCH(QString, name);
    QFETCH(int, format);
    const auto found = ProbeReportModel::formatForFileName(name);
    QCOMPARE(found.has_value(), format >= 0);
    if (found)
        QCOMPARE(int(*found), format);
}

QTEST_GUILESS_MAIN(tst_ProbeReportModel)
#include "tst_probereportmodel.moc"
