// JSON as text: compact and pretty keep what was written (order, duplicates, numbers, escapes), and
// the outline shows peer strings through the display rule.

#include "text/jsontext.h"

#include <QtTest>

class tst_JsonText : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void compactJson_data();
    void compactJson();
    void prettyJson_data();
    void prettyJson();
    void startsWithContainer();
    void outline();
    void outlineShowsPeerStringsSafely();
    void outlineStopsAtTheBudget();
};

void tst_JsonText::compactJson_data()
{
    QTest::addColumn<QString>("input");
    QTest::addColumn<QString>("compact");
    QTest::addRow("spaces") << QStringLiteral("{ \"a\" : 1 }") << QStringLiteral("{\"a\":1}");
    // Order, duplicates, number spelling and escapes are kept exactly.
    QTest::addRow("kept as typed") << QStringLiteral(
        "{\n  \"b\": 1.50,\n  \"a\": 1E3,\n  \"a\": \"x \\\" y\\u00e9\"\n}")
                                   << QStringLiteral("{\"b\":1.50,\"a\":1E3,\"a\":\"x \\\" y\\u00e9\"}");
    QTest::addRow("spaces in strings kept")
        << QStringLiteral("[ \" a  b \" , \"\\\\\" ]") << QStringLiteral("[\" a  b \",\"\\\\\"]");
    QTest::addRow("scalar") << QStringLiteral("  7 ") << QStringLiteral("7");
}

void tst_JsonText::compactJson()
{
    QFETCH(QString, input);
    QFETCH(QString, compact);
    QVERIFY(!JsonText::check(input));
    QCOMPARE(JsonText::compact(input), compact);
    QVERIFY(!JsonText::check(compact));
}

void tst_JsonText::prettyJson_data()
{
    QTest::addColumn<QString>("input");
    QTest::addColumn<QString>("pretty");
    QTest::addRow("object") << QStringLiteral("{\"a\":[1,2],\"b\":{},\"c\":[],\"d\":{\"e\":null}}")
                            << QStringLiteral(
                                   "{\n    \"a\": [\n        1,\n        2\n    ],\n    \"b\": {},\n    \"c\": "
                                   "[],\n    \"d\": {\n        \"e\": null\n    }\n}");
    QTest::addRow("punctuation in strings")
        << QStringLiteral("[\"{a:b,c}\"]") << QStringLiteral("[\n    \"{a:b,c}\"\n]");
    QTest::addRow("already pretty") << QStringLiteral("{\n    \"a\": 1\n}") << QStringLiteral("{\n    \"a\": 1\n}");
    QTest::addRow("scalar") << QStringLiteral(" \"x\" ") << QStringLiteral("\"x\"");
}

void tst_JsonText::prettyJson()
{
    QFETCH(QString, input);
    QFETCH(QString, pretty);
    QCOMPARE(JsonText::pretty(input), pretty);
    QCOMPARE(JsonText::compact(pretty), JsonText::compact(input));
}

void tst_JsonText::startsWithContainer()
{
    QVERIFY(JsonText::startsWithContainer(" \n{\"a\":1}"));
    QVERIFY(JsonText::startsWithContainer("[]"));
    QVERIFY(!JsonText::startsWithContainer("42"));
    QVERIFY(!JsonText::startsWithContainer("  "));
    QVERIFY(!JsonText::startsWithContainer("\"[\""));
}

namespace {
QString render(const QList<JsonText::OutlineRow> &rows)
{
    QStringList lines;
    for (const auto &r : rows)
        lines << QString(r.depth * 2, QLatin1Char(' ')) + r.key + QLatin1Char('=') + r.value + QLatin1Char(':') + r.type;
    return lines.join(QLatin1Char('\n'));
}
} // namespace

void tst_JsonText::outline()
{
    const QString json = QStringLiteral("{\"b\":[1,true,null],\"a\":{\"x\":\"y\"},\"a\":2.50}");
    QCOMPARE(render(JsonText::outline(json, 100)),
             QStringLiteral("b=[3 items]:array\n  [0]=1:number\n  [1]=true:boolean\n  [2]=null:null\n"
                            "a={1 member}:object\n  x=y:string\na=2.50:number"));
    QCOMPARE(render(JsonText::outline(QStringLiteral(" 42 "), 100)), QStringLiteral("(value)=42:number"));
}

void tst_JsonText::outlineShowsPeerStringsSafely()
{
    // Escapes in the JSON decode to characters that the display rule escapes again; a lone surrogate
    // escape shows its bytes, never U+FFFD; a pair written as two escapes is one character.
    const QString json = QStringLiteral("{\"k\\u202e\":\"a\\u202eb\\u0007\",\"s\":\"\\ud800x\",\"e\":\"\\ud83d\\ude00\"}");
    QCOMPARE(render(JsonText::outline(json, 100)),
             QStringLiteral("k\\u202e=a\\u202eb\\x07:string\ns=\\xed\\xa0\\x80x:string\ne=\U0001F600:string"));
}

void tst_JsonText::outlineStopsAtTheBudget()
{
    const QList<JsonText::OutlineRow> rows = JsonText::outline(QStringLiteral("[1,2,3,4,5]"), 2);
    QCOMPARE(rows.size(), 3); // two items, then the row that says where it stopped
    QCOMPARE(rows.first().key, QStringLiteral("[0]"));
    QCOMPARE(rows.last().key, QStringLiteral("\u2026"));
    QCOMPARE(rows.last().value, QStringLiteral("the tree stops here; the Pretty and Hex tabs have the whole document"));
}

QTEST_GUILESS_MAIN(tst_JsonText)
#include "tst_jsontext.moc"
