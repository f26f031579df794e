// The shape every decoder produces: the log's one-line summary, the text the filter searches, JSON
// as fields and bytes as text or hex, and the protocols' names.

#include "decode/decoded.h"
#include "decodedfixtures.h"

#include <QTest>

using namespace Decode;

class tst_Decoded : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void names();
    void summary();
    void searchText();
    void jsonFieldsKeepOrderAndNesting();
    void jsonFieldsInvalid();
    void textOrHex_data();
    void textOrHex();
    void equality();
};

void tst_Decoded::names()
{
    for (Protocol p : allProtocols()) {
        QVERIFY(!protocolName(p).isEmpty());
        QCOMPARE(protocolFromId(protocolId(p)), std::optional<Protocol>(p));
        QCOMPARE(protocolFromId(protocolId(p).toUpper()), std::optional<Protocol>(p));
    }
    QCOMPARE(allProtocols().size(), 8);
    QCOMPARE(protocolFromId(u"none"), std::optional<Protocol>(Protocol::None));
    QCOMPARE(protocolFromId(u"auto"), std::nullopt);
    QCOMPARE(protocolFromId(u""), std::nullopt);
}

void tst_Decoded::summary()
{
    Decoded d = stompLikeDecoded();
    QVERIFY(d.ok());
    QCOMPARE(d.summary(), QStringLiteral("STOMP SEND /topic/chat 2 B · heart-beat"));
    QCOMPARE(d.summary(1), QStringLiteral("STOMP SEND /topic/chat 2 B · 1 more"));
    d.units[1].error = QStringLiteral("stray byte");
    QVERIFY(!d.ok());
    QCOMPARE(d.summary(), QStringLiteral("STOMP SEND /topic/chat 2 B · heart-beat (stray byte)"));
    Decoded bad;
    bad.protocol = Protocol::Mqtt;
    bad.error = QStringLiteral("a text message");
    QCOMPARE(bad.summary(), QStringLiteral("MQTT: a text message"));
    QVERIFY(Decoded().summary().isEmpty());
    QVERIFY(Decoded().isNull());
    // Inner units count too.
    Decoded outer;
    outer.protocol = Protocol::SockJs;
    Unit array;
    array.innerProtocol = Protocol::Stomp;
    array.inner << stompLikeDecoded().units;
    array.inner[0].error = QStringLiteral("no NUL");
    outer.units << array;
    QVERIFY(!outer.ok());
    QCOMPARE(outer.correlations(), QList<Correlation>({ Correlation { Correlation::Role::Request, "receipt 7" } }));
}

void tst_Decoded::searchText()
{
    QVERIFY(stompLikeDecoded().searchText().contains(QStringLiteral("/topic/chat")));
    QVERIFY(stompLikeDecoded().searchText().contains(QStringLiteral("destination")));
    QVERIFY(stompLikeDecoded().searchText().contains(QStringLiteral("heart-beat")));
}

void tst_Decoded::jsonFieldsKeepOrderAndNesting()
{
    const QList<Field> f = jsonFields(R"({"b":1,"a":[true,{"x":"y"}],"b":null})");
    QCOMPARE(f.size(), 3);
    QCOMPARE(f[0], Field(QStringLiteral("b"), QStringLiteral("1")));
    QCOMPARE(f[1].name, QStringLiteral("a"));
    QCOMPARE(f[1].children.size(), 2);
    QCOMPARE(f[1].children[0], Field(QStringLiteral("[0]"), QStringLiteral("true")));
    QCOMPARE(f[1].children[1].children.first(), Field(QStringLiteral("x"), QStringLiteral("y")));
    QCOMPARE(f[2], Field(QStringLiteral("b"), QStringLiteral("null")));
    // A budget cuts the tree, with a last field saying so.
    const QList<Field> cut = jsonFields(R"([1,2,3,4,5,6,7,8,9,10])", 4);
    QCOMPARE(cut.size(), 5);
    QCOMPARE(cut[3], Field(QStringLiteral("[3]"), QStringLiteral("4")));
    QCOMPARE(cut[4].name, QStringLiteral("…"));
}

void tst_Decoded::jsonFieldsInvalid()
{
    const QList<Field> f = jsonFields("{\"a\":");
    QCOMPARE(f.size(), 1);
    QCOMPARE(f.first().name, QStringLiteral("(not JSON)"));
    QVERIFY(f.first().value.contains(QStringLiteral("JSON error")));
}

void tst_Decoded::textOrHex_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<QString>("shown");
    QTest::addRow("text") << QByteArray("21.5 °C") << QStringLiteral("21.5 °C");
    QTest::addRow("lines") << QByteArray("a\tb\r\nc") << QStringLiteral("a\tb\r\nc");
    QTest::addRow("empty") << QByteArray() << QString();
    QTest::addRow("control") << QByteArray("\x01\x02", 2) << QStringLiteral("2 bytes: 01 02");
    QTest::addRow("NUL") << QByteArray("a\0b", 3) << QStringLiteral("3 bytes: 61 00 62");
    QTest::addRow("not UTF-8") << QByteArray("\xff") << QStringLiteral("1 byte: ff");
    QTest::addRow("long") << QByteArray(40, '\0') << QStringLiteral("40 bytes: ") + QStringList(32, QStringLiteral("00")).join(QLatin1Char(' ')) + QStringLiteral(" …");
}

void tst_Decoded::textOrHex()
{
    QFETCH(QByteArray, bytes);
    QFETCH(QString, shown);
    QCOMPARE(Decode::textOrHex(bytes), shown);
}

void tst_Decoded::equality()
{
    QVERIFY(stompLikeDecoded() == stompLikeDecoded());
    Decoded d = stompLikeDecoded();
    d.units[0].fields[0].children[0].value = QStringLiteral("/topic/other");
    QVERIFY(d != stompLikeDecoded());
}

QTEST_GUILESS_MAIN(tst_Decoded)
#include "tst_decoded.moc"
