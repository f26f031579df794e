// The `decoded` object of the command line's jsonl lines, byte for byte: member order, what is left
// out when empty, nesting (STOMP inside SockJS), every unit however many, and peer text escaped so
// that the line stays one JSON object.

#include "decodedfixtures.h"
#include "log/decodedjson.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace Decode;

class tst_DecodedJson : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void stompFrames();
    void nestedAndErrors();
    void everyUnit();
    void peerTextEscaped_data();
    void peerTextEscaped();
    void appendsToTheLine();
};

void tst_DecodedJson::stompFrames()
{
    QCOMPARE(DecodedJson::toJson(stompLikeDecoded()),
             QByteArray(R"({"protocol":"stomp","summary":"STOMP SEND /topic/chat 2 B · heart-beat","units":[)"
                        R"({"type":"SEND","summary":"SEND /topic/chat 2 B",)"
                        R"("fields":[{"name":"headers","value":"","children":[{"name":"destination","value":"/topic/chat"}]}],)"
                        R"("correlations":[{"role":"request","key":"receipt 7"}]},)"
                        R"({"type":"heart-beat","summary":"heart-beat"}]})"));
}

void tst_DecodedJson::nestedAndErrors()
{
    Decoded outer;
    outer.protocol = Protocol::SockJs;
    Unit array;
    array.type = QStringLiteral("array");
    array.summary = QStringLiteral("a[1]");
    array.innerProtocol = Protocol::Stomp;
    array.inner << stompLikeDecoded().units.first();
    array.inner[0].error = QStringLiteral("no NUL");
    array.inner[0].fields.clear();
    array.inner[0].correlations.clear();
    outer.units << array;
    QCOMPARE(DecodedJson::toJson(outer),
             QByteArray(R"({"protocol":"sockjs","summary":"SockJS a[1]","units":[{"type":"array","summary":"a[1]",)"
                        R"("inner":{"protocol":"stomp","units":[{"type":"SEND","summary":"SEND /topic/chat 2 B","error":"no NUL"}]}}]})"));

    Decoded refused;
    refused.protocol = Protocol::Mqtt;
    refused.error = QStringLiteral("not a packet");
    QCOMPARE(DecodedJson::toJson(refused),
             QByteArray(R"({"protocol":"mqtt","summary":"MQTT: not a packet","error":"not a packet","units":[]})"));
}

void tst_DecodedJson::everyUnit()
{
    // jsonl is complete where the log's column stops after four units.
    Decoded many;
    many.protocol = Protocol::JsonRpc;
    for (int i = 0; i < 10; ++i)
        many.units << Unit { QStringLiteral("call"), QString::number(i), {}, {}, {}, Protocol::None, {} };
    const QJsonObject o = QJsonDocument::fromJson(DecodedJson::toJson(many)).object();
    QCOMPARE(o.value(QStringLiteral("units")).toArray().size(), 10);
    QCOMPARE(o.value(QStringLiteral("summary")).toString(), QStringLiteral("JSON-RPC 0 · 1 · 2 · 3 · 4 · 5 · 6 · 7 · 8 · 9"));
}

void tst_DecodedJson::peerTextEscaped_data()
{
    QTest::addColumn<QString>("value");
    QTest::addColumn<QByteArray>("written");
    QTest::addColumn<QString>("readBack"); // what a JSON reader gets from the line
    const QString replacement(QChar(0xfffd));
    const auto row = [](const char *name, const QString &value, const QByteArray &written, const QString &readBack) {
        QTest::newRow(name) << value << written << readBack;
    };
    row("quote and backslash", QStringLiteral("a\"b\\c"), R"("a\"b\\c")", QStringLiteral("a\"b\\c"));
    row("line ends and tab", QStringLiteral("1\n2\r3\t"), R"("1\n2\r3\t")", QStringLiteral("1\n2\r3\t"));
    row("control", QStringLiteral("\x01\x1b"), R"("\u0001\u001b")", QStringLiteral("\x01\x1b"));
    row("non-ASCII kept as UTF-8", QStringLiteral("é€😀"), "\"\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80\"", QStringLiteral("é€😀"));
    // A lone surrogate (from a JSON "\ud800" escape) is not a code point: UTF-8 cannot carry it.
    row("lone surrogate", QString(QChar(0xd800)), "\"\xef\xbf\xbd\"", replacement);
    row("surrogate pair cut", QString(QChar(0xd83d)) + QLatin1Char('x'), "\"\xef\xbf\xbd" "x\"", replacement + QLatin1Char('x'));
}

void tst_DecodedJson::peerTextEscaped()
{
    QFETCH(QString, value);
    QFETCH(QByteArray, written);
    QFETCH(QString, readBack);
    Decoded d;
    d.protocol = Protocol::JsonRpc;
    d.units << Unit { QStringLiteral("call"), QStringLiteral("call"), { Field(QStringLiteral("method"), value) }, {}, {}, Protocol::None, {} };
    const QByteArray json = DecodedJson::toJson(d);
    const QByteArray expected = R"("fields":[{"name":"method","value":)" + written + "}]";
    QVERIFY2(json.contains(expected), json.constData());
    QJsonParseError error;
    const QJsonDocument read = QJsonDocument::fromJson(json, &error);
    QCOMPARE(error.error, QJsonParseError::NoError);
    const QString back = read.object()
                             .value(QStringLiteral("units")).toArray().first().toObject()
                             .value(QStringLiteral("fields")).toArray().first().toObject()
                             .value(QStringLiteral("value")).toString();
    QCOMPARE(back, readBack);
}

void tst_DecodedJson::appendsToTheLine()
{
    QByteArray line = R"({"kind":"frame","decoded":)";
    DecodedJson::append(line, stompLikeDecoded());
    QVERIFY(line.startsWith(R"({"kind":"frame","decoded":{"protocol":"stomp",)"));
    QVERIFY(line.endsWith("}]}"));
}

QTEST_GUILESS_MAIN(tst_DecodedJson)
#include "tst_decodedjson.moc"
