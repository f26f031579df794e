// The Conformance dock's full suite: against a server at a URL (the inspector's own engine, which
// passes every case), and as the server that tests clients (the inspector's client engine playing
// a driver). The tree fills as cases finish, a case opens to its wire log (a timed case's sampled),
// the report saves in the format its name asks for, and a bad pattern says what is wrong.

#include "captureevents.h"
#include "log/capture.h"
#include "net/clientconnection.h"
#include "net/embeddedserver.h"
#include "probe/conformancepanel.h"
#include "probe/conformanceresultsmodel.h"
#include "probe/conformancerunner.h"
#include "probe/conformanceserver.h"

#include <QComboBox>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLineEdit>
#include <QPushButton>
#include <QRadioButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTemporaryDir>
#include <QTest>
#include <QTreeView>

using namespace Conformance;

class tst_ConformancePanel : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void testsAServer();
    void testsClients();
    void badPatternSaysWhy();

private:
    struct Fixture {
        ConformanceRunner runner;
        ConformanceResultsModel results;
        ConformancePanel panel { &runner, &results };
        QLineEdit *cases() const { return panel.findChild<QLineEdit *>(QStringLiteral("casePatterns")); }
        QPushButton *button(const char *name) const { return panel.findChild<QPushButton *>(QLatin1String(name)); }
    };
};

void tst_ConformancePanel::testsAServer()
{
    EmbeddedServer server;
    server.setEngine(EmbeddedServer::Engine::Inspector);
    QVERIFY2(server.start(), qPrintable(server.errorString()));
    Fixture f;
    QPushButton *run = f.button("runConformance");
    QVERIFY(!run->isEnabled()); // no URL yet
    f.panel.setUrl(server.url());
    QVERIFY(run->isEnabled());
    f.cases()->setText(QStringLiteral("1.1.*, 6.4.*, 12.1.1")); // naming a timed case runs it
    QSignalSpy finished(&f.runner, &ConformanceRunner::finished);
    QTest::mouseClick(run, Qt::LeftButton);
    QVERIFY(!run->isEnabled());
    QVERIFY(f.button("stopConformance")->isEnabled());
    QVERIFY(finished.wait(120'000));

    QCOMPARE(f.results.cases().size(), 8 + 4 + 1);
    QCOMPARE(f.results.finishedCount(), 13);
    QCOMPARE(f.results.failedCount(), 0);
    QVERIFY2(f.panel.statusText().startsWith(QStringLiteral("13 case(s): 13 OK, 0 NON-STRICT, 0 FAILED")),
             qPrintable(f.panel.statusText()));
    QCOMPARE(f.results.index(0, ConformanceResultsModel::VerdictColumn).data().toString(), QStringLiteral("OK"));
    QVERIFY(f.button("saveConformanceReport")->isEnabled());

    // A case opens to its wire log: the handshake, then the case's frames.
    QSignalSpy requested(&f.panel, &ConformancePanel::caseLogRequested);
    const QModelIndex first = f.results.indexOfCase(0);
    emit f.panel.tree()->activated(first);
    QCOMPARE(requested.size(), 1);
    QCOMPARE(requested[0][0].toInt(), 0);
    QVERIFY(requested[0][1].toString().startsWith(QStringLiteral("Case 1.1.1 (ws://127.0.0.1:")));
    Capture *capture = f.panel.capture(0);
    QVERIFY(capture && capture->count() > 0);
    const qsizetype request = capture->firstOfKind(EventKind::HandshakeRequest);
    QVERIFY(request >= 0);
    QVERIFY(capture->event(request).payload.startsWith("GET / HTTP/1.1"));
    // A timed case keeps a sample of its log: here all of it, 1000 small messages each way.
    emit f.panel.tree()->activated(f.results.indexOfCase(12));
    QCOMPARE(requested.size(), 2);
    QVERIFY(f.panel.capture(12));
    QCOMPARE(framesOf(*f.panel.capture(12), Direction::Incoming).size(), 1000 + 1); // and the close

    QTemporaryDir dir;
    const QString json = dir.filePath(QStringLiteral("report.json"));
    QVERIFY(f.panel.saveReport(json));
    QFile file(json);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QJsonObject report = QJsonDocument::fromJson(file.readAll()).object();
    QCOMPARE(report.value(QStringLiteral("cases")).toArray().size(), 13);
    const QString html = dir.filePath(QStringLiteral("report.html"));
    QVERIFY(f.panel.saveReport(html));
    QFile htmlFile(html);
    QVERIFY(htmlFile.open(QIODevice::ReadOnly));
    QVERIFY(htmlFile.readAll().startsWith("<!DOCTYPE html>"));
    QVERIFY(!f.panel.saveReport(dir.filePath(QStringLiteral("no/such/dir/report.md"))));
    QVERIFY(f.panel.statusText().startsWith(QStringLiteral("Cannot save the report to")));

    // Stopped halfway: the cases that were running show as not run, not as running forever.
    f.cases()->setText(QStringLiteral("5.*"));
    QVERIFY(f.panel.start());
    QTRY_VERIFY(f.results.finishedCount() > 0);
    QTest::mouseClick(f.button("stopConformance"), Qt::LeftButton);
    QVERIFY(!f.runner.isRunning());
    QVERIFY(f.results.finishedCount() < 20);
    const QModelIndex section = f.results.index(0, 0);
    QVERIFY(section.siblingAtColumn(ConformanceResultsModel::VerdictColumn).data().toString() != QStringLiteral("running"));
    for (int row = 0; row < f.results.rowCount(section); ++row)
        QVERIFY(f.results.index(row, ConformanceResultsModel::VerdictColumn, section).data().toString() != QStringLiteral("running"));
}

void tst_ConformancePanel::testsClients()
{
    Fixture f;
    f.panel.findChild<QRadioButton *>(QStringLiteral("testClients"))->setChecked(true);
    f.panel.findChild<QSpinBox *>(QStringLiteral("clientPort"))->setValue(0); // any free port
    f.cases()->setText(QStringLiteral("2.*"));
    QVERIFY(f.button("runConformance")->isEnabled()); // no URL needed
    QVERIFY(f.panel.start());
    ConformanceServer *server = f.panel.clientServer();
    QVERIFY(server);
    QCOMPARE(f.results.cases().size(), 11);
    QVERIFY(f.panel.statusText().contains(QStringLiteral("Waiting for a client")));

    // The inspector's engine plays a driver for case 2.2 (a ping the client must answer).
    ClientConnection client { 1 };
    QSignalSpy closed(&client, &ClientConnection::closed);
    ConnectionOptions options;
    options.url = QUrl(server->url().toString() + QStringLiteral("/runCase?case=2&agent=engine"));
    options.deflate.reset();
    QVERIFY(client.open(options));
    QVERIFY(closed.wait(10'000));
    QTRY_COMPARE(f.results.finishedCount(), 1);
    QCOMPARE(f.panel.shownAgent(), QStringLiteral("engine"));
    QCOMPARE(f.panel.findChild<QComboBox *>()->currentText(), QStringLiteral("engine"));
    QCOMPARE(f.results.results()[1].verdict, Verdict::Ok);
    QVERIFY(f.panel.capture(1));
    QVERIFY2(f.panel.statusText().startsWith(QStringLiteral("11 case(s): 1 OK")), qPrintable(f.panel.statusText()));

    // Stopping closes the server; what it found stays on show.
    f.panel.cancel();
    QVERIFY(!f.panel.clientServer());
    QCOMPARE(f.results.finishedCount(), 1);
    QVERIFY(f.button("runConformance")->isEnabled());
}

void tst_ConformancePanel::badPatternSaysWhy()
{
    Fixture f;
    f.panel.setUrl(QUrl(QStringLiteral("ws://127.0.0.1:9/")));
    f.cases()->setText(QStringLiteral("8.*"));
    QVERIFY(!f.panel.start());
    QCOMPARE(f.panel.statusText(), QStringLiteral("no case matches \"8.*\""));
    QVERIFY(!f.runner.isRunning());
    f.cases()->setText(QStringLiteral("9.1.1x"));
    QVERIFY(!f.panel.start());
    QVERIFY(f.panel.statusText().contains(QStringLiteral("is not a case pattern")));
    // Only timed cases, the box not ticked: nothing to run, in either mode, and it says so.
    f.cases()->setText(QStringLiteral("9.*"));
    QVERIFY(f.panel.start()); // naming a timed section asks for it
    f.panel.cancel();
    f.cases()->setText(QStringLiteral("*"));
    f.panel.findChild<QRadioButton *>(QStringLiteral("testClients"))->setChecked(true);
    f.panel.findChild<QSpinBox *>(QStringLiteral("clientPort"))->setValue(0);
    QVERIFY(f.panel.start()); // "*" without the box: sections 1-7 and 10
    QCOMPARE(f.results.cases().size(), 247);
    f.panel.cancel();
}

QTEST_MAIN(tst_ConformancePanel)
#include "tst_conformancepanel.moc"
