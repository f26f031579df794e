// Expectations (--expect, and a test file's expect steps): patterns met in order, each by a later
// message; binary messages matched as hex; a failure names the pattern and what came instead,
// through the display rule, the latest ten at most.

#include "script/expectations.h"

#include <QTest>

class tst_Expectations : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void inOrder();
    void binaryAsHex();
    void failureSaysWhatCameInstead();
    void invalidPattern();
};

void tst_Expectations::inOrder()
{
    auto e = Expectations::fromPatterns({ QStringLiteral("^a"), QStringLiteral("b$") }, nullptr);
    QVERIFY(e);
    QCOMPARE(e->current(), QStringLiteral("^a"));
    QVERIFY(!e->offer(false, "xb")); // meets the second, but the first is waited for
    QVERIFY(e->offer(false, "ab")); // meets the first only: each message meets one
    QCOMPARE(e->metCount(), 1);
    QVERIFY(!e->allMet());
    QVERIFY(e->offer(false, "zzb"));
    QVERIFY(e->allMet());
    QVERIFY(!e->offer(false, "b")); // nothing left to meet
    QCOMPARE(e->failure(QStringLiteral("within 1 ms")), QString());
}

void tst_Expectations::binaryAsHex()
{
    auto e = Expectations::fromPatterns({ QStringLiteral("^00 ff$") }, nullptr);
    QVERIFY(!e->offer(false, QByteArray("\x00\xff", 2))); // text is matched as text
    QVERIFY(e->offer(true, QByteArray("\x00\xff", 2)));
}

void tst_Expectations::failureSaysWhatCameInstead()
{
    auto e = Expectations::fromPatterns({ QStringLiteral("one"), QStringLiteral("two") }, nullptr);
    QCOMPARE(e->failure(QStringLiteral("within 5 ms")),
        QStringLiteral("expected #1 of 2, /one/, within 5 ms; nothing else was received"));
    e->offer(false, "one");
    e->offer(false, "\x1b[31mred");
    e->offer(true, QByteArray("\x01\x02", 2));
    QCOMPARE(e->failure(QStringLiteral("before the connection closed")),
        QStringLiteral(R"(expected #2 of 2, /two/, before the connection closed; received instead (2): "\x1b[31mred", binary 01 02)"));
    for (int i = 0; i < 12; ++i)
        e->offer(false, QByteArray::number(i));
    const QString many = e->failure(QStringLiteral("x"));
    QVERIFY2(many.startsWith(QStringLiteral(R"(expected #2 of 2, /two/, x; received instead (14): "2", "3",)")), qPrintable(many));
    QVERIFY2(many.endsWith(QStringLiteral(R"("11" (the last 10 shown))")), qPrintable(many));
}

void tst_Expectations::invalidPattern()
{
    QString error;
    QVERIFY(!Expectations::fromPatterns({ QStringLiteral("ok"), QStringLiteral("a[") }, &error));
    QCOMPARE(error, QStringLiteral(R"("a[" is not a regular expression: missing terminating ] for character class at offset 2)"));
}

QTEST_GUILESS_MAIN(tst_Expectations)
#include "tst_expectations.moc"
