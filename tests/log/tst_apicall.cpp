#include "log/apicall.h"

#include <QJsonObject>
#include <QTest>

class tst_ApiCall : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void jsonRoundTrip();
    void fromJsonRejects_data();
    void fromJsonRejects();
    void summary_data();
    void summary();
    void longArgumentsAreCut();
};

void tst_ApiCall::jsonRoundTrip()
{
    ApiCall call { QStringLiteral("binaryMessageReceived"), { ApiCall::bytesArgument(QByteArray("\x00\x01\xff", 3)) },
        QStringLiteral("differs") };
    const QByteArray json = call.toJson();
    QCOMPARE(json, QByteArray(R"({"args":[{"b64":"AAH/","size":3}],"note":"differs","signal":"binaryMessageReceived"})"));
    const std::optional<ApiCall> back = ApiCall::fromJson(json);
    QVERIFY(back);
    QCOMPARE(back->signal, call.signal);
    QCOMPARE(back->args, call.args);
    QCOMPARE(back->note, call.note);
}

void tst_ApiCall::fromJsonRejects_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addRow("not json") << QByteArray("{");
    QTest::addRow("array") << QByteArray("[]");
    QTest::addRow("no signal") << QByteArray(R"({"args":[]})");
    QTest::addRow("empty signal") << QByteArray(R"({"signal":"","args":[]})");
    QTest::addRow("signal not string") << QByteArray(R"({"signal":1,"args":[]})");
    QTest::addRow("args not array") << QByteArray(R"({"signal":"x","args":"a"})");
    QTest::addRow("note not string") << QByteArray(R"({"signal":"x","args":[],"note":2})");
}

void tst_ApiCall::fromJsonRejects()
{
    QFETCH(QByteArray, json);
    QVERIFY(!ApiCall::fromJson(json));
}

void tst_ApiCall::summary_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QString>("expected");
    QTest::addRow("no args") << QByteArray(R"({"signal":"connected","args":[]})") << QStringLiteral("connected()");
    QTest::addRow("numbers and bools")
        << QByteArray(R"({"signal":"pong","args":[1500,true,null]})") << QStringLiteral("pong(1500, true, null)");
    // Peer text goes through the display rule: a bidi override and a newline are escaped.
    QTest::addRow("peer text escaped") << QByteArray("{\"signal\":\"textMessageReceived\",\"args\":[\"a\\n\xe2\x80\xae\"]}")
                                       << QStringLiteral("textMessageReceived(\"a\\n\\u202e\")");
    QTest::addRow("bytes") << QByteArray(R"({"signal":"binaryMessageReceived","args":[{"size":3,"b64":"AAH/"}]})")
                           << QStringLiteral("binaryMessageReceived([3 bytes: 00 01 ff])");
    QTest::addRow("not a call") << QByteArray(R"J({"signal":"(no signal)","args":[],"note":"pong sent"})J")
                                << QStringLiteral("(no signal) \u2014 pong sent");
    QTest::addRow("note") << QByteArray(R"({"signal":"disconnected","args":[],"note":"wire says 1012"})")
                          << QStringLiteral("disconnected() \u2014 wire says 1012");
}

void tst_ApiCall::summary()
{
    QFETCH(QByteArray, json);
    QFETCH(QString, expected);
    const std::optional<ApiCall> call = ApiCall::fromJson(json);
    QVERIFY(call);
    QCOMPARE(call->summary(), expected);
}

void tst_ApiCall::longArgumentsAreCut()
{
    const QByteArray big(ApiCall::MaxArgumentBytes + 10, 'x');
    const QJsonObject bytes = ApiCall::bytesArgument(big).toObject();
    QCOMPARE(bytes.value(QLatin1String("size")).toInteger(), big.size());
    QCOMPARE(QByteArray::fromBase64(bytes.value(QLatin1String("b64")).toString().toLatin1()).size(),
        ApiCall::MaxArgumentBytes);

    // A cut never splits a code point: "é" is two bytes, placed across the limit.
    QString text = QString(ApiCall::MaxArgumentBytes - 1, QLatin1Char('a')) + QStringLiteral("\u00e9tail");
    const QJsonValue cut = ApiCall::textArgument(text);
    QVERIFY(cut.isObject());
    QCOMPARE(cut.toObject().value(QLatin1String("text")).toString(), QString(ApiCall::MaxArgumentBytes - 1, QLatin1Char('a')));
    QCOMPARE(cut.toObject().value(QLatin1String("size")).toInteger(), text.toUtf8().size());
    QCOMPARE(ApiCall::textArgument(QStringLiteral("short")), QJsonValue(QStringLiteral("short")));
}

QTEST_GUILESS_MAIN(tst_ApiCall)
#include "tst_apicall.moc"
