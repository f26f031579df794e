#include "text/sizeformat.h"

#include <QtTest>

class tst_SizeFormat : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void sizes_data();
    void sizes();
};

void tst_SizeFormat::sizes_data()
{
    QTest::addColumn<quint64>("count");
    QTest::addColumn<QString>("bytes");
    QTest::addColumn<QString>("rounded");
    QTest::addColumn<QString>("compact");
    QTest::addRow("0") << quint64(0) << QStringLiteral("0 bytes") << QStringLiteral("0 bytes") << QStringLiteral("0 B");
    QTest::addRow("1") << quint64(1) << QStringLiteral("1 byte") << QStringLiteral("1 byte") << QStringLiteral("1 B");
    QTest::addRow("1023") << quint64(1023) << QStringLiteral("1023 bytes") << QStringLiteral("1023 bytes")
                          << QStringLiteral("1023 B");
    QTest::addRow("1 KiB") << quint64(1024) << QStringLiteral("1024 bytes") << QStringLiteral("1 KiB")
                           << QStringLiteral("1 KiB");
    QTest::addRow("2.3 KiB") << quint64(2355) << QStringLiteral("2355 bytes") << QStringLiteral("2.3 KiB")
                             << QStringLiteral("2.3 KiB");
    QTest::addRow("64 MiB") << quint64(64) * 1024 * 1024 << QStringLiteral("67108864 bytes")
                            << QStringLiteral("64 MiB") << QStringLiteral("64 MiB");
    QTest::addRow("1.5 GiB") << quint64(3) * 1024 * 1024 * 1024 / 2 << QStringLiteral("1610612736 bytes")
                             << QStringLiteral("1.5 GiB") << QStringLiteral("1.5 GiB");
    QTest::addRow("TiB stays TiB") << quint64(5000) * 1024 * 1024 * 1024 * 1024 << QStringLiteral("5497558138880000 bytes")
                                   << QStringLiteral("5000 TiB") << QStringLiteral("5000 TiB");
}

void tst_SizeFormat::sizes()
{
    QFETCH(quint64, count);
    QFETCH(QString, bytes);
    QFETCH(QString, rounded);
    QFETCH(QString, compact);
    QCOMPARE(SizeFormat::bytes(count), bytes);
    QCOMPARE(SizeFormat::rounded(count), rounded);
    QCOMPARE(SizeFormat::compact(count), compact);
}

QTEST_GUILESS_MAIN(tst_SizeFormat)
#include "tst_sizeformat.moc"
