// The probe panel runs every preset against a server and fills the report as it goes: all pass
// against a strict server; against a lenient one that reflects everything, the RSV1 probe fails
// with "echo" seen. The report is saved in the format its file name asks for.

#include "probe/probereportmodel.h"
#include "probe/proberunner.h"
#include "probe/probepanel.h"
#include "probetestserver.h"
#include "probe/probepresets.h"

#include <QFile>
#include <QPushButton>
#include <QSignalSpy>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>

class tst_ProbePanel : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void strictServerPassesEverything();
    void lenientServerFailsTheRsvProbe();
    void noUrlNoRun();

private:
    struct Fixture {
        ProbeRunner runner;
        ProbeReportModel report;
        ProbePanel panel { &runner, &report };
    };
    static bool runTo(Fixture &f, const QUrl &url);
    static int rowOf(const ProbeReportModel &report, const QString &presetId);
};

bool tst_ProbePanel::runTo(Fixture &f, const QUrl &url)
{
    f.panel.setUrl(url);
    QSignalSpy finished(&f.runner, &ProbeRunner::finished);
    auto *run = f.panel.findChild<QPushButton *>(QStringLiteral("runProbes"));
    if (!run || !run->isEnabled())
        return false;
    QTest::mouseClick(run, Qt::LeftButton);
    return finished.wait(120'000);
}

int tst_ProbePanel::rowOf(const ProbeReportModel &report, const QString &presetId)
{
    for (int row = 0; row < report.rowCount(); ++row)
        if (report.index(row, 0).data(ProbeReportModel::PresetIdRole).toString() == presetId)
            return row;
    return -1;
}

void tst_ProbePanel::strictServerPassesEverything()
{
    ProbeTestServer server(ProbeTestServer::Mode::Strict);
    QVERIFY(server.listen());
    Fixture f;
    QVERIFY(runTo(f, server.url()));
    QCOMPARE(f.report.rowCount(), int(ProbePresets::all().size()));
    QCOMPARE(f.report.failedCount(), 0);
    // This server does not do permessage-deflate: those probes are not applicable, and say so.
    const int deflateProbes = int(std::count_if(ProbePresets::all().cbegin(), ProbePresets::all().cend(),
        [](const ProbePresets::Preset &p) { return p.deflate.has_value(); }));
    QCOMPARE(f.report.notApplicableCount(), deflateProbes);
    QCOMPARE(f.report.passedCount(), f.report.rowCount() - deflateProbes);
    const int firstDeflate = rowOf(f.report, QStringLiteral("deflate-small"));
    QCOMPARE(f.report.index(firstDeflate, ProbeReportModel::VerdictColumn).data().toString(), QStringLiteral("N/A"));
    QVERIFY(!f.report.index(firstDeflate, 0).data(ProbeReportModel::PassedRole).isValid());
    QVERIFY2(f.panel.statusText().startsWith(QStringLiteral("All %1 probes passed").arg(f.report.passedCount())),
             qPrintable(f.panel.statusText()));
    QVERIFY2(f.panel.statusText().endsWith(
                 QStringLiteral("%1 not applicable: the server does not do permessage-deflate.").arg(deflateProbes)),
             qPrintable(f.panel.statusText()));

    QTemporaryDir dir;
    const QString csv = dir.filePath(QStringLiteral("report.csv"));
    QVERIFY(f.panel.saveReport(csv));
    QFile file(csv);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QByteArray content = file.readAll();
    QCOMPARE(content, f.report.exportReport(ProbeReportModel::Format::Csv));
    QCOMPARE(content.count('\n'), f.report.rowCount() + 1 + content.left(content.indexOf("probe")).count('\n'));
}

void tst_ProbePanel::lenientServerFailsTheRsvProbe()
{
    ProbeTestServer server(ProbeTestServer::Mode::Lenient);
    QVERIFY(server.listen());
    Fixture f;
    QVERIFY(runTo(f, server.url()));
    const int rsv = rowOf(f.report, QStringLiteral("rsv1-set"));
    QVERIFY(rsv >= 0);
    QCOMPARE(f.report.index(rsv, 0).data(ProbeReportModel::PassedRole).toBool(), false);
    QCOMPARE(f.report.index(rsv, 0).data(ProbeReportModel::ReactionRole).toString(), QStringLiteral("echo"));
    QVERIFY(f.report.failedCount() > 0);
    QVERIFY2(f.panel.statusText().contains(QStringLiteral("failed")), qPrintable(f.panel.statusText()));
}

void tst_ProbePanel::noUrlNoRun()
{
    Fixture f;
    auto *run = f.panel.findChild<QPushButton *>(QStringLiteral("runProbes"));
    QVERIFY(run);
    QVERIFY(!run->isEnabled());
    f.panel.setUrl(QUrl(QStringLiteral("ftp://example.com/")));
    QVERIFY(!f.panel.start());
    QVERIFY2(f.panel.statusText().contains(QStringLiteral("ftp")), qPrintable(f.panel.statusText()));
    QCOMPARE(f.report.rowCount(), 0);
}

QTEST_MAIN(tst_ProbePanel)
#include "tst_probepanel.moc"
