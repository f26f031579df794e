#include "protocol/closecodes.h"

#include <QtTest>

class tst_CloseCodes : public QObject {
    Q_OBJECT

private slots:
    void ranges_data();
    void ranges();
    void validOnWireExhaustive();
    void registry();
    void registeredNames_data();
    void registeredNames();
    void meaningsForLearners();
    void label_data();
    void label();
    void parse_data();
    void parse();
};

void tst_CloseCodes::ranges_data()
{
    QTest::addColumn<int>("code");
    QTest::addColumn<bool>("validOnWire");
    QTest::addColumn<bool>("reserved");
    QTest::addColumn<QString>("name");
    QTest::addColumn<QString>("source");

    const QString unused = QStringLiteral("Unused");
    const QString protocol = QStringLiteral("Reserved for the protocol");
    const QString library = QStringLiteral("Registered by a library or framework");
    const QString priv = QStringLiteral("Private use");
    const QString invalid = QStringLiteral("Invalid");
    const QString rfc = QStringLiteral("RFC 6455");
    const QString iana = QStringLiteral("IANA");
    const QString unassigned = QStringLiteral("unassigned");

    QTest::addRow("0") << 0 << false << false << unused << unassigned;
    QTest::addRow("999") << 999 << false << false << unused << unassigned;
    QTest::addRow("1000") << 1000 << true << false << QStringLiteral("Normal Closure") << rfc;
    QTest::addRow("1001") << 1001 << true << false << QStringLiteral("Going Away") << rfc;
    QTest::addRow("1002") << 1002 << true << false << QStringLiteral("Protocol Error") << rfc;
    QTest::addRow("1003") << 1003 << true << false << QStringLiteral("Unsupported Data") << rfc;
    QTest::addRow("1004") << 1004 << false << true << QStringLiteral("Reserved") << rfc;
    QTest::addRow("1005") << 1005 << false << true << QStringLiteral("No Status Received") << rfc;
    QTest::addRow("1006") << 1006 << false << true << QStringLiteral("Abnormal Closure") << rfc;
    QTest::addRow("1007") << 1007 << true << false << QStringLiteral("Invalid Payload Data") << rfc;
    QTest::addRow("1008") << 1008 << true << false << QStringLiteral("Policy Violation") << rfc;
    QTest::addRow("1009") << 1009 << true << false << QStringLiteral("Message Too Big") << rfc;
    QTest::addRow("1010") << 1010 << true << false << QStringLiteral("Mandatory Extension") << rfc;
    QTest::addRow("1011") << 1011 << true << false << QStringLiteral("Internal Error") << rfc;
    QTest::addRow("1012") << 1012 << true << false << QStringLiteral("Service Restart") << iana;
    QTest::addRow("1013") << 1013 << true << false << QStringLiteral("Try Again Later") << iana;
    QTest::addRow("1014") << 1014 << true << false << QStringLiteral("Bad Gateway") << iana;
    QTest::addRow("1015") << 1015 << false << true << QStringLiteral("TLS Handshake") << rfc;
    QTest::addRow("1016") << 1016 << false << false << protocol << unassigned;
    QTest::addRow("2999") << 2999 << false << false << protocol << unassigned;
    QTest::addRow("3000") << 3000 << true << false << library << iana;
    QTest::addRow("3999") << 3999 << true << false << library << iana;
    QTest::addRow("4000") << 4000 << true << false << priv << QStringLiteral("private use");
    QTest::addRow("4999") << 4999 << true << false << priv << QStringLiteral("private use");
    QTest::addRow("5000") << 5000 << false << false << invalid << unassigned;
    QTest::addRow("65535") << 65535 << false << false << invalid << unassigned;
}

void tst_CloseCodes::ranges()
{
    QFETCH(int, code);
    QFETCH(bool, validOnWire);
    QFETCH(bool, reserved);
    const auto c = quint16(code);
    QCOMPARE(CloseCodes::isValidOnWire(c), validOnWire);
    QCOMPARE(CloseCodes::maySend(c), validOnWire);
    QCOMPARE(CloseCodes::isReserved(c), reserved);
    const CloseCodeInfo info = CloseCodes::info(c);
    QCOMPARE(info.code, c);
    QCOMPARE(info.validOnWire, validOnWire);
    QCOMPARE(info.reserved, reserved);
    QTEST(info.name, "name");
    QTEST(info.source, "source");
    QVERIFY(!info.meaning.isEmpty());
}

void tst_CloseCodes::validOnWireExhaustive()
{
    int valid = 0;
    int reserved = 0;
    for (int code = 0; code <= 65535; ++code) {
        valid += CloseCodes::isValidOnWire(quint16(code));
        reserved += CloseCodes::isReserved(quint16(code));
        QVERIFY(!(CloseCodes::isValidOnWire(quint16(code)) && CloseCodes::isReserved(quint16(code))));
    }
    // 1000-1003 (4) + 1007-1014 (8) + 3000-4999 (2000)
    QCOMPARE(valid, 4 + 8 + 2000);
    QCOMPARE(reserved, 4);
}

void tst_CloseCodes::registry()
{
    const QList<CloseCodeInfo> list = CloseCodes::registry();
    QCOMPARE(list.size(), 16);
    for (int i = 0; i < list.size(); ++i) {
        const CloseCodeInfo &entry = list.at(i);
        QCOMPARE(entry.code, quint16(1000 + i));
        const CloseCodeInfo single = CloseCodes::info(entry.code);
        QCOMPARE(entry.name, single.name);
        QCOMPARE(entry.meaning, single.meaning);
        QCOMPARE(entry.validOnWire, single.validOnWire);
        QCOMPARE(entry.reserved, single.reserved);
        QCOMPARE(entry.source, single.source);
    }
}

void tst_CloseCodes::registeredNames_data()
{
    QTest::addColumn<int>("code");
    QTest::addColumn<QString>("meaning");
    QTest::addRow("1001") << 1001
                          << QStringLiteral("The server is going down or the browser navigated away from the page.");
    QTest::addRow("1007") << 1007
                          << QStringLiteral("A message carried data that does not match its type, such as invalid "
                                            "UTF-8 in a text message.");
    QTest::addRow("1012") << 1012
                          << QStringLiteral(
                                 "The server is restarting; a client may reconnect after a short, randomized wait.");
}

void tst_CloseCodes::registeredNames()
{
    QFETCH(int, code);
    QTEST(CloseCodes::info(quint16(code)).meaning, "meaning");
}

void tst_CloseCodes::meaningsForLearners()
{
    // Each meaning is a sentence of its own: starts with a capital, ends with a full stop, and the
    // codes that never travel say so.
    for (const CloseCodeInfo &info : CloseCodes::registry()) {
        QVERIFY2(info.meaning.at(0).isUpper(), qPrintable(info.meaning));
        QVERIFY2(info.meaning.endsWith(QLatin1Char('.')), qPrintable(info.meaning));
        if (info.code == 1005 || info.code == 1006 || info.code == 1015)
            QVERIFY2(info.meaning.startsWith(QStringLiteral("Never sent on the wire")), qPrintable(info.meaning));
    }
}

void tst_CloseCodes::label_data()
{
    QTest::addColumn<int>("code");
    QTest::addColumn<QString>("label");
    QTest::addRow("1000") << 1000 << QStringLiteral("1000 Normal Closure");
    QTest::addRow("1006") << 1006 << QStringLiteral("1006 Abnormal Closure");
    QTest::addRow("1012") << 1012 << QStringLiteral("1012 Service Restart");
    QTest::addRow("1015") << 1015 << QStringLiteral("1015 TLS Handshake");
    QTest::addRow("3001") << 3001 << QStringLiteral("3001 Registered by a library or framework");
    QTest::addRow("4321") << 4321 << QStringLiteral("4321 Private use");
    QTest::addRow("2000") << 2000 << QStringLiteral("2000 Reserved for the protocol");
    QTest::addRow("5000") << 5000 << QStringLiteral("5000 Invalid");
}

void tst_CloseCodes::label()
{
    QFETCH(int, code);
    QTEST(CloseCodes::label(quint16(code)), "label");
}

void tst_CloseCodes::parse_data()
{
    QTest::addColumn<QByteArray>("payload");
    QTest::addColumn<bool>("hasCode");
    QTest::addColumn<int>("code");
    QTest::addColumn<QByteArray>("reason");

    QTest::addRow("empty") << QByteArray() << false << 0 << QByteArray();
    QTest::addRow("one byte") << QByteArray::fromHex("03") << false << 0 << QByteArray();
    QTest::addRow("1000 no reason") << QByteArray::fromHex("03e8") << true << 1000 << QByteArray();
    QTest::addRow("1001 bye") << QByteArray::fromHex("03e9627965") << true << 1001 << QByteArrayLiteral("bye");
    QTest::addRow("4999 utf8") << QByteArray::fromHex("1387cebae1bdb9cf83cebcceb5") << true << 4999
                               << QByteArray::fromHex("cebae1bdb9cf83cebcceb5");
    QTest::addRow("invalid reason kept raw")
        << QByteArray::fromHex("03e8ff80") << true << 1000 << QByteArray::fromHex("ff80");
    QTest::addRow("1005 on the wire") << QByteArray::fromHex("03ed") << true << 1005 << QByteArray();
    QTest::addRow("65535") << QByteArray::fromHex("ffff") << true << 65535 << QByteArray();
}

void tst_CloseCodes::parse()
{
    QFETCH(QByteArray, payload);
    const ClosePayload close = ClosePayload::parse(payload);
    QTEST(close.hasCode, "hasCode");
    QTEST(int(close.code), "code");
    QTEST(close.reason, "reason");
}

QTEST_GUILESS_MAIN(tst_CloseCodes)
#include "tst_closecodes.moc"
