#include "intercept/messagerules.h"

#include <QTemporaryDir>
#include <QTest>

class tst_MessageRules : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void apply_data();
    void apply();
    void parseErrors_data();
    void parseErrors();
    void fromFile();
    void describe();
};

void tst_MessageRules::apply_data()
{
    QTest::addColumn<QByteArray>("rules");
    QTest::addColumn<bool>("towardServer");
    QTest::addColumn<int>("opcode");
    QTest::addColumn<QByteArray>("payload");
    QTest::addColumn<QByteArray>("expected");
    QTest::addColumn<QList<int>>("applied");

    const QByteArray text = R"([{"direction":"to-server","type":"text","match":"hello","replace":"HELLO"}])";
    QTest::addRow("text, every occurrence") << text << true << 1 << QByteArray("hello, hello") << QByteArray("HELLO, HELLO")
                                            << QList<int> { 1 };
    QTest::addRow("text, other direction untouched") << text << false << 1 << QByteArray("hello") << QByteArray("hello")
                                                     << QList<int>();
    QTest::addRow("text rule leaves binary alone") << text << true << 2 << QByteArray("hello") << QByteArray("hello")
                                                   << QList<int>();
    QTest::addRow("text rule leaves invalid UTF-8 alone")
        << text << true << 1 << QByteArray("hello\xff") << QByteArray("hello\xff") << QList<int>();
    QTest::addRow("regex with a group")
        << QByteArray(R"([{"type":"regex","match":"\"user\":\"(\\w+)\"","replace":"\"user\":\"<\\1>\""}])") << false << 1
        << QByteArray(R"({"user":"ada","n":1})") << QByteArray(R"({"user":"<ada>","n":1})") << QList<int> { 1 };
    QTest::addRow("regex on non-ASCII text") << QByteArray(R"([{"type":"regex","match":"é+","replace":"e"}])") << true
                                             << 1 << QByteArray("caf\xc3\xa9\xc3\xa9!") << QByteArray("cafe!")
                                             << QList<int> { 1 };
    QTest::addRow("hex on binary") << QByteArray(R"([{"type":"hex","match":"01 02","replace":"ff"}])") << true << 2
                                   << QByteArray::fromHex("00010203") << QByteArray::fromHex("00ff03") << QList<int> { 1 };
    QTest::addRow("hex deletes") << QByteArray(R"([{"type":"hex","match":"00","replace":""}])") << false << 2
                                 << QByteArray::fromHex("000100") << QByteArray::fromHex("01") << QList<int> { 1 };
    QTest::addRow("hex leaves text alone") << QByteArray(R"([{"type":"hex","match":"61","replace":"62"}])") << true << 1
                                           << QByteArray("a") << QByteArray("a") << QList<int>();
    QTest::addRow("rules in order, each on the last result")
        << QByteArray(R"([{"match":"a","replace":"b"},{"match":"b","replace":"c"},{"match":"zz","replace":"y"}])") << true
        << 1 << QByteArray("ab") << QByteArray("cc") << QList<int> { 1, 2 };
}

void tst_MessageRules::apply()
{
    QFETCH(QByteArray, rules);
    QFETCH(bool, towardServer);
    QFETCH(int, opcode);
    QFETCH(QByteArray, payload);
    QFETCH(QByteArray, expected);
    QFETCH(QList<int>, applied);
    QString error;
    const std::optional<MessageRules> parsed = MessageRules::fromJson(rules, &error);
    QVERIFY2(parsed, qPrintable(error));
    const MessageRules::Result result = parsed->apply(towardServer, quint8(opcode), payload);
    QCOMPARE(result.payload, expected);
    QCOMPARE(result.applied, applied);
    QCOMPARE(result.changed(), !applied.isEmpty());
}

void tst_MessageRules::parseErrors_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QString>("error");
    QTest::addRow("not json") << QByteArray("[{") << QStringLiteral("not JSON: ");
    QTest::addRow("object") << QByteArray("{}") << QStringLiteral("expected a JSON array of rules");
    QTest::addRow("not an object") << QByteArray("[1]") << QStringLiteral("rule 1 is not an object");
    QTest::addRow("unknown field") << QByteArray(R"([{"match":"a","replace":"b","with":"c"}])")
                                   << QStringLiteral("rule 1: unknown field \"with\"");
    QTest::addRow("bad direction") << QByteArray(R"([{"direction":"up","match":"a","replace":"b"}])")
                                   << QStringLiteral("rule 1: \"direction\" must be");
    QTest::addRow("bad type") << QByteArray(R"([{"match":"a","replace":"b"},{"type":"glob","match":"a","replace":"b"}])")
                              << QStringLiteral("rule 2: \"type\" must be");
    QTest::addRow("empty match") << QByteArray(R"([{"match":"","replace":"b"}])")
                                 << QStringLiteral("rule 1: \"match\" is empty");
    QTest::addRow("missing replace") << QByteArray(R"([{"match":"a"}])")
                                     << QStringLiteral("rule 1: \"replace\" must be a string");
    QTest::addRow("bad regex") << QByteArray(R"([{"type":"regex","match":"(a","replace":""}])")
                               << QStringLiteral("rule 1: \"match\" is not a valid regular expression");
    QTest::addRow("bad hex") << QByteArray(R"([{"type":"hex","match":"0g","replace":""}])")
                             << QStringLiteral("rule 1: \"match\" is not hex bytes");
    QTest::addRow("odd hex replace") << QByteArray(R"([{"type":"hex","match":"00","replace":"abc"}])")
                                     << QStringLiteral("rule 1: \"replace\" is not hex bytes");
}

void tst_MessageRules::parseErrors()
{
    QFETCH(QByteArray, json);
    QFETCH(QString, error);
    QString actual;
    QVERIFY(!MessageRules::fromJson(json, &actual));
    QVERIFY2(actual.startsWith(error), qPrintable(actual));
}

void tst_MessageRules::fromFile()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("rules.json"));
    QString error;
    QVERIFY(!MessageRules::fromFile(path, &error));
    QVERIFY2(error.startsWith(QStringLiteral("cannot read ") + path), qPrintable(error));
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(R"([{"direction":"to-app","match":"x","replace":"y"}])");
    file.close();
    const std::optional<MessageRules> rules = MessageRules::fromFile(path, &error);
    QVERIFY2(rules, qPrintable(error));
    QCOMPARE(rules->size(), 1);
    QVERIFY(rules->hasRulesFor(false));
    QVERIFY(!rules->hasRulesFor(true));
}

void tst_MessageRules::describe()
{
    const std::optional<MessageRules> rules
        = MessageRules::fromJson(R"([{"match":"a","replace":"b"},{"direction":"to-server","type":"regex","match":"\"x\n","replace":""}])",
            nullptr);
    QVERIFY(rules);
    QCOMPARE(rules->at(0).describe(), QStringLiteral("rule 1 (both, text \"a\" \u2192 \"b\")"));
    QCOMPARE(rules->at(1).describe(), QStringLiteral("rule 2 (to-server, regex \"\\\"x\\n\" \u2192 \"\")"));
}

QTEST_GUILESS_MAIN(tst_MessageRules)
#include "tst_messagerules.moc"
