// The waits between reconnect attempts: doubling from the first to the longest, spread by ±20 %,
// the attempts counted in a row and given up on, and a connection that stayed open long enough
// starting the count again.

#include "net/reconnectschedule.h"

#include <QTest>

class tst_ReconnectSchedule : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void doublesUpToTheLongest();
    void jitterSpreadsByTwentyPercent_data();
    void jitterSpreadsByTwentyPercent();
    void givesUpAfterTheAttempts();
    void aStableConnectionStartsAgain();
    void unlimited();
};

void tst_ReconnectSchedule::doublesUpToTheLongest()
{
    ReconnectSchedule schedule(0, 500, 5'000);
    schedule.setRandom([] { return 0.5; }); // no spread
    QList<int> waits;
    for (int i = 0; i < 7; ++i)
        waits << *schedule.nextDelay(-1);
    QCOMPARE(waits, (QList<int> { 500, 1000, 2000, 4000, 5000, 5000, 5000 }));
}

void tst_ReconnectSchedule::jitterSpreadsByTwentyPercent_data()
{
    QTest::addColumn<double>("random");
    QTest::addColumn<int>("first");
    QTest::addColumn<int>("second");
    QTest::newRow("lowest") << 0.0 << 800 << 1600;
    QTest::newRow("highest") << 0.999999 << 1200 << 2400;
}

void tst_ReconnectSchedule::jitterSpreadsByTwentyPercent()
{
    QFETCH(double, random);
    QFETCH(int, first);
    QFETCH(int, second);
    ReconnectSchedule schedule(0, 1000, 2000);
    schedule.setRandom([random] { return random; });
    QCOMPARE(*schedule.nextDelay(-1), first);
    QCOMPARE(*schedule.nextDelay(-1), qMin(second, 2000)); // never over the longest
}

void tst_ReconnectSchedule::givesUpAfterTheAttempts()
{
    ReconnectSchedule schedule(3, 100, 1000);
    for (int i = 1; i <= 3; ++i) {
        QVERIFY(schedule.nextDelay(-1));
        QCOMPARE(schedule.attempt(), i);
        QCOMPARE(schedule.attemptText(), QStringLiteral("attempt %1 of 3").arg(i));
    }
    QVERIFY(!schedule.nextDelay(-1));
    // A connection that opened but dropped within StableMs is one more failure, not a success.
    QVERIFY(!schedule.nextDelay(ReconnectSchedule::StableMs - 1));
}

void tst_ReconnectSchedule::aStableConnectionStartsAgain()
{
    ReconnectSchedule schedule(2, 100, 1000);
    schedule.setRandom([] { return 0.5; });
    QCOMPARE(*schedule.nextDelay(-1), 100);
    QCOMPARE(*schedule.nextDelay(500), 200);
    QVERIFY(!schedule.nextDelay(500));
    QCOMPARE(*schedule.nextDelay(ReconnectSchedule::StableMs), 100);
    QCOMPARE(schedule.attemptText(), QStringLiteral("attempt 1 of 2"));
}

void tst_ReconnectSchedule::unlimited()
{
    ReconnectSchedule schedule(0, 1, 60'000);
    schedule.setRandom([] { return 0.5; });
    for (int i = 0; i < 1000; ++i)
        QVERIFY(schedule.nextDelay(-1)); // and no overflow of the doubling
    QCOMPARE(*schedule.nextDelay(-1), 60'000);
    QCOMPARE(schedule.attemptText(), QStringLiteral("attempt 1001"));
}

QTEST_GUILESS_MAIN(tst_ReconnectSchedule)
#include "tst_reconnectschedule.moc"
