// The Conformance dock's tree: sections, then groups where a section has them, then cases; a
// section's row says the worst verdict so far and counts the rest; a case run again (a client
// driver may) is counted once.

#include "probe/conformancecatalogue.h"
#include "probe/conformanceresultsmodel.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTest>

using namespace Conformance;

namespace {

CaseResult resultOf(const QString &id, Verdict verdict, qint64 ms = 5)
{
    CaseResult r;
    r.id = id;
    r.verdict = verdict;
    r.closeVerdict = CloseVerdict::Ok;
    r.result = QStringLiteral("what happened to %1").arg(id);
    r.seen.opened = true;
    r.seen.durationMs = ms;
    return r;
}

QString text(const QModelIndex &index, int column)
{
    return index.siblingAtColumn(column).data().toString();
}

} // namespace

class tst_ConformanceResultsModel : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void tree();
    void resultsRollUp();
    void caseRunAgainCountsOnce();
    void stoppedRunShowsNothingRunning();
    void outOfRangeIsIgnored();
};

void tst_ConformanceResultsModel::tree()
{
    ConformanceResultsModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setCases(ConformanceCatalogue::select({ QStringLiteral("1.1.1"), QStringLiteral("2.1"), QStringLiteral("2.10"),
                                                  QStringLiteral("6.4.*"), QStringLiteral("13.7.1") }));
    QCOMPARE(model.rowCount(), 3 + 1); // sections 1, 2, 6 and 13
    const QModelIndex framing = model.index(0, 0);
    QCOMPARE(framing.data().toString(), QStringLiteral("1 Framing"));
    QCOMPARE(model.rowCount(framing), 1); // group 1.1
    QCOMPARE(model.index(0, 0, framing).data().toString(), QStringLiteral("1.1 Text messages"));
    // Section 2 has no groups: its cases sit in it.
    const QModelIndex pings = model.index(1, 0);
    QCOMPARE(model.rowCount(pings), 2);
    QCOMPARE(model.index(1, 0, pings).data().toString(), QStringLiteral("2.10"));
    QCOMPARE(model.index(1, 0, pings).data(ConformanceResultsModel::CaseIndexRole).toInt(), 2);
    const QModelIndex utf8Group = model.index(0, 0, model.index(2, 0));
    QCOMPARE(model.rowCount(utf8Group), 4);
    QCOMPARE(model.index(3, 0, utf8Group).data().toString(), QStringLiteral("6.4.4"));
    QCOMPARE(model.indexOfCase(6), model.index(3, 0, utf8Group));
    QVERIFY(model.index(0, 0, model.index(3, 0)).data().toString().startsWith(QStringLiteral("13.7 JSON data, asking for")));
    // Nothing run: pending everywhere, and the case's description to read.
    QCOMPARE(ConformanceResultsModel::State(framing.data(ConformanceResultsModel::StateRole).toInt()),
             ConformanceResultsModel::State::Pending);
    QCOMPARE(text(model.index(1, 0, pings), ConformanceResultsModel::DescriptionColumn),
             ConformanceCatalogue::byId(QStringLiteral("2.10"))->description);
    QCOMPARE(framing.data(ConformanceResultsModel::CaseIndexRole).toInt(), -1);
}

void tst_ConformanceResultsModel::resultsRollUp()
{
    ConformanceResultsModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setCases(ConformanceCatalogue::select({ QStringLiteral("6.4.*") }));
    const QModelIndex section = model.index(0, 0);
    const QModelIndex group = model.index(0, 0, section);
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);

    model.setRunning(0);
    QCOMPARE(text(model.index(0, 0, group), ConformanceResultsModel::VerdictColumn), QStringLiteral("running"));
    QCOMPARE(text(section, ConformanceResultsModel::VerdictColumn), QStringLiteral("running"));
    QCOMPARE(changed.size(), 3); // the case, its group, its section

    model.setResult(0, resultOf(QStringLiteral("6.4.1"), Verdict::Ok, 123));
    model.setResult(1, resultOf(QStringLiteral("6.4.2"), Verdict::NonStrict));
    QCOMPARE(text(model.index(0, 0, group), ConformanceResultsModel::VerdictColumn), QStringLiteral("OK"));
    QCOMPARE(text(model.index(0, 0, group), ConformanceResultsModel::TimeColumn), QStringLiteral("123 ms"));
    QCOMPARE(text(model.index(0, 0, group), ConformanceResultsModel::CloseColumn), QStringLiteral("OK"));
    // A verdict other than OK says what went wrong in place of the description.
    QCOMPARE(text(model.index(1, 0, group), ConformanceResultsModel::DescriptionColumn), QStringLiteral("what happened to 6.4.2"));
    QCOMPARE(text(section, ConformanceResultsModel::VerdictColumn), QStringLiteral("NON-STRICT so far"));
    QCOMPARE(text(section, ConformanceResultsModel::DescriptionColumn), QStringLiteral("2 of 4: 1 OK, 1 NON-STRICT"));

    model.setResult(2, resultOf(QStringLiteral("6.4.3"), Verdict::Failed));
    model.setResult(3, resultOf(QStringLiteral("6.4.4"), Verdict::Ok));
    QCOMPARE(text(section, ConformanceResultsModel::VerdictColumn), QStringLiteral("FAILED"));
    QCOMPARE(text(group, ConformanceResultsModel::DescriptionColumn), QStringLiteral("2 OK, 1 NON-STRICT, 1 FAILED"));
    QCOMPARE(ConformanceResultsModel::State(section.data(ConformanceResultsModel::StateRole).toInt()),
             ConformanceResultsModel::State::Failed);
    QCOMPARE(model.finishedCount(), 4);
    QCOMPARE(model.failedCount(), 1);
    QVERIFY(model.index(2, 0, group).data(Qt::ToolTipRole).toString().contains(QStringLiteral("what happened to 6.4.3")));
}

void tst_ConformanceResultsModel::caseRunAgainCountsOnce()
{
    ConformanceResultsModel model;
    model.setCases(ConformanceCatalogue::select({ QStringLiteral("2.*") }));
    model.setResult(0, resultOf(QStringLiteral("2.1"), Verdict::Failed));
    model.setResult(0, resultOf(QStringLiteral("2.1"), Verdict::Ok));
    QCOMPARE(model.finishedCount(), 1);
    QCOMPARE(model.failedCount(), 0);
    QCOMPARE(text(model.index(0, 0), ConformanceResultsModel::DescriptionColumn), QStringLiteral("1 of 11: 1 OK"));
}

void tst_ConformanceResultsModel::stoppedRunShowsNothingRunning()
{
    ConformanceResultsModel model;
    model.setCases(ConformanceCatalogue::select({ QStringLiteral("2.1"), QStringLiteral("2.2") }));
    model.setRunning(0);
    model.setRunning(1);
    model.setResult(1, resultOf(QStringLiteral("2.2"), Verdict::Ok));
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    model.stopRunning(); // a cancelled run: 2.1 never reports
    QCOMPARE(changed.size(), 2); // 2.1 and its section
    QCOMPARE(text(model.index(0, 0, model.index(0, 0)), ConformanceResultsModel::VerdictColumn), QString());
    QCOMPARE(ConformanceResultsModel::State(model.index(0, 0, model.index(0, 0)).data(ConformanceResultsModel::StateRole).toInt()),
             ConformanceResultsModel::State::Pending);
    QCOMPARE(text(model.index(0, 0), ConformanceResultsModel::VerdictColumn), QStringLiteral("OK so far"));
    QCOMPARE(text(model.index(0, 0), ConformanceResultsModel::DescriptionColumn), QStringLiteral("1 of 2: 1 OK"));
}

void tst_ConformanceResultsModel::outOfRangeIsIgnored()
{
    ConformanceResultsModel model;
    model.setCases(ConformanceCatalogue::select({ QStringLiteral("2.1") }));
    model.setRunning(5);
    model.setResult(-1, resultOf(QStringLiteral("2.1"), Verdict::Ok));
    QCOMPARE(model.finishedCount(), 0);
    QVERIFY(!model.indexOfCase(3).isValid());
    model.clear();
    QCOMPARE(model.rowCount(), 0);
}

QTEST_GUILESS_MAIN(tst_ConformanceResultsModel)
#include "tst_conformanceresultsmodel.moc"
