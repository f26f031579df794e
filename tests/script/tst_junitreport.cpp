// JUnit XML for CI: read back with QXmlStreamReader, the counts, each case's name, class, time,
// failure and transcript are there; characters XML 1.0 cannot hold are replaced, never written.

#include "script/junitreport.h"

#include <QXmlStreamReader>
#include <QTest>

class tst_JunitReport : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void readsBack();
};

void tst_JunitReport::readsBack()
{
    JunitReport report;
    report.cases << JunitReport::Case { QStringLiteral("echo.wst"), QStringLiteral("ws://h/"), 0.1234, true, {},
        { QStringLiteral("OPEN"), QStringLiteral("\u2192 send <hi> & \"bye\"") } };
    report.cases << JunitReport::Case { QStringLiteral("bad\x01name.wst"), QStringLiteral("ws://h/"), 2.5, false,
        QStringLiteral("line 3: expect ^pong$: nothing matched within 5000 ms"), {} };
    QXmlStreamReader xml(report.toXml());
    QStringList seen;
    while (!xml.atEnd()) {
        if (xml.readNext() != QXmlStreamReader::StartElement)
            continue;
        const auto a = xml.attributes();
        if (xml.name() == QLatin1String("testsuites"))
            seen << QStringLiteral("suites %1 %2 %3").arg(a.value(QLatin1String("tests")), a.value(QLatin1String("failures")), a.value(QLatin1String("time")));
        else if (xml.name() == QLatin1String("testsuite"))
            seen << QStringLiteral("suite %1 %2 %3").arg(a.value(QLatin1String("name")), a.value(QLatin1String("tests")), a.value(QLatin1String("failures")));
        else if (xml.name() == QLatin1String("testcase"))
            seen << QStringLiteral("case %1 %2 %3").arg(a.value(QLatin1String("name")), a.value(QLatin1String("classname")), a.value(QLatin1String("time")));
        else if (xml.name() == QLatin1String("failure"))
            seen << QStringLiteral("failure %1 | %2").arg(a.value(QLatin1String("message")), xml.readElementText());
        else if (xml.name() == QLatin1String("system-out"))
            seen << QStringLiteral("out %1").arg(xml.readElementText());
    }
    QVERIFY2(!xml.hasError(), qPrintable(xml.errorString()));
    QCOMPARE(seen,
        QStringList({ QStringLiteral("suites 2 1 2.623"), QStringLiteral("suite wsinspector-cli 2 1"),
            QStringLiteral("case echo.wst ws://h/ 0.123"), QStringLiteral("out OPEN\n\u2192 send <hi> & \"bye\"\n"),
            QStringLiteral("case bad\uFFFDname.wst ws://h/ 2.500"),
            QStringLiteral("failure line 3: expect ^pong$: nothing matched within 5000 ms | line 3: expect ^pong$: nothing matched within 5000 ms") }));
}

QTEST_GUILESS_MAIN(tst_JunitReport)
#include "tst_junitreport.moc"
