// What the log gets from WampDecoder: a whole WAMP session as Autobahn|JS (the client) and a router
// write it, with the WAMP specification's example messages, each with its correlations; the
// elements as fields under the specification's names; what is not WAMP, with the reason.

#include "decode/wampdecoder.h"

#include <QTest>

using namespace Decode;

namespace {

QString correlations(const Decoded &d)
{
    return d.correlationTexts().join(QStringLiteral("; "));
}

} // namespace

class tst_WampDecoder : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void session_data();
    void session();
    void fields();
    void refused();
    void templates();
};

void tst_WampDecoder::session_data()
{
    QTest::addColumn<int>("sender");
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<QString>("type");
    QTest::addColumn<QString>("correlations");
    const int c = int(Sender::Client);
    const int r = int(Sender::Server);
    QTest::addRow("HELLO") << c << QByteArray(R"([1,"realm1",{"roles":{"caller":{},"subscriber":{}},"authmethods":["wampcra"],"authid":"joe"}])")
                           << "HELLO" << "request session";
    QTest::addRow("CHALLENGE") << r << QByteArray(R"([4,"wampcra",{"challenge":"{\"nonce\":\"LHRTC9zeOIrt_9U3\"}"}])") << "CHALLENGE"
                               << "progress session";
    QTest::addRow("AUTHENTICATE") << c << QByteArray(R"([5,"gir1mSx+deCDUV7wRM5SGIn/+R/ClqLZuH4m7FJeBVI=",{}])") << "AUTHENTICATE" << "";
    QTest::addRow("WELCOME") << r << QByteArray(R"([2,9129137332,{"roles":{"broker":{},"dealer":{}}}])") << "WELCOME" << "answer session";
    QTest::addRow("ABORT from the router") << r << QByteArray(R"([3,{"message":"The realm does not exist."},"wamp.error.no_such_realm"])")
                                           << "ABORT" << "answer session";
    QTest::addRow("ABORT from the client") << c << QByteArray(R"([3,{},"wamp.error.cannot_authenticate"])") << "ABORT" << "";
    QTest::addRow("SUBSCRIBE") << c << QByteArray(R"([32,1,{},"com.myapp.topic1"])") << "SUBSCRIBE" << "request request 1";
    QTest::addRow("SUBSCRIBED") << r << QByteArray(R"([33,1,5512315355])") << "SUBSCRIBED" << "answer request 1";
    QTest::addRow("PUBLISH acknowledged") << c << QByteArray(R"([16,2,{"acknowledge":true},"com.myapp.topic1",["Hello"]])") << "PUBLISH"
                                          << "request request 2";
    QTest::addRow("PUBLISH, no answer wanted") << c << QByteArray(R"([16,3,{},"com.myapp.topic1",["Hello"]])") << "PUBLISH" << "";
    QTest::addRow("PUBLISHED") << r << QByteArray(R"([17,2,4429313566])") << "PUBLISHED" << "answer request 2";
    QTest::addRow("EVENT") << r << QByteArray(R"([36,5512315355,4429313566,{},["Hello"]])") << "EVENT" << "";
    QTest::addRow("CALL") << c << QByteArray(R"([48,4,{"receive_progress":true},"com.myapp.add2",[2,3]])") << "CALL" << "request request 4";
    QTest::addRow("RESULT, progressive") << r << QByteArray(R"([50,4,{"progress":true},[1]])") << "RESULT" << "progress request 4";
    QTest::addRow("RESULT") << r << QByteArray(R"([50,4,{},[5]])") << "RESULT" << "answer request 4";
    QTest::addRow("CALL that fails") << c << QByteArray(R"([48,5,{},"com.myapp.nope"])") << "CALL" << "request request 5";
    QTest::addRow("ERROR for it") << r << QByteArray(R"([8,48,5,{},"wamp.error.no_such_procedure"])") << "ERROR" << "answer request 5";
    QTest::addRow("CANCEL, the caller's next step") << c << QByteArray(R"([49,6,{"mode":"kill"}])") << "CANCEL" << "continue request 6";
    QTest::addRow("REGISTER") << c << QByteArray(R"([64,7,{},"com.myapp.echo"])") << "REGISTER" << "request request 7";
    QTest::addRow("REGISTERED") << r << QByteArray(R"([65,7,2103333224])") << "REGISTERED" << "answer request 7";
    // The router's own request ids count on their own: the direction tells them apart.
    QTest::addRow("INVOCATION") << r << QByteArray(R"([68,1,2103333224,{},["hi"]])") << "INVOCATION" << "request request 1";
    QTest::addRow("INTERRUPT, the router's next step") << r << QByteArray(R"([69,1,{"mode":"kill"}])") << "INTERRUPT" << "continue request 1";
    QTest::addRow("YIELD, progressive") << c << QByteArray(R"([70,1,{"progress":true},["h"]])") << "YIELD" << "progress request 1";
    QTest::addRow("YIELD") << c << QByteArray(R"([70,1,{},["hi"]])") << "YIELD" << "answer request 1";
    QTest::addRow("a callee's ERROR") << c << QByteArray(R"([8,68,2,{},"com.myapp.error.busy"])") << "ERROR" << "answer request 2";
    QTest::addRow("UNSUBSCRIBE") << c << QByteArray(R"([34,8,5512315355])") << "UNSUBSCRIBE" << "request request 8";
    QTest::addRow("UNSUBSCRIBED") << r << QByteArray(R"([35,8])") << "UNSUBSCRIBED" << "answer request 8";
    QTest::addRow("UNSUBSCRIBED, revoked: nothing asked") << r << QByteArray(R"([35,0,{"subscription":5512315355,"reason":"no longer authorized"}])")
                                                          << "UNSUBSCRIBED" << "";
    QTest::addRow("UNREGISTER") << c << QByteArray(R"([66,9,2103333224])") << "UNREGISTER" << "request request 9";
    QTest::addRow("UNREGISTERED") << r << QByteArray(R"([67,9])") << "UNREGISTERED" << "answer request 9";
    QTest::addRow("GOODBYE") << c << QByteArray(R"([6,{},"wamp.close.normal"])") << "GOODBYE" << "request goodbye";
    QTest::addRow("GOODBYE reply") << r << QByteArray(R"([6,{},"wamp.close.goodbye_and_out"])") << "GOODBYE" << "answer goodbye";
    QTest::addRow("Autobahn|JS's GOODBYE reply") << c << QByteArray(R"([6,{},"wamp.error.goodbye_and_out"])") << "GOODBYE" << "answer goodbye";
    QTest::addRow("an extension message") << r << QByteArray(R"([300,{}])") << "extension" << "";
    // Messages that break the rules: no pairing for the wrong side or a bad id.
    QTest::addRow("a router's CALL") << r << QByteArray(R"([48,1,{},"a"])") << "CALL" << "";
    QTest::addRow("a CALL with id 0") << c << QByteArray(R"([48,0,{},"a"])") << "CALL" << "";
    QTest::addRow("a CALL with a bad URI is still answered") << c << QByteArray(R"([48,10,{},"a b"])") << "CALL" << "request request 10";
    QTest::addRow("an unknown type") << c << QByteArray(R"([7])") << "unknown" << "";
}

void tst_WampDecoder::session()
{
    QFETCH(int, sender);
    QFETCH(QByteArray, text);
    QFETCH(QString, type);
    QFETCH(QString, correlations);
    WampDecoder decoder;
    QCOMPARE(decoder.protocol(), Protocol::Wamp);
    const Decoded d = decoder.decode(Sender(sender), false, text);
    QCOMPARE(d.protocol, Protocol::Wamp);
    QVERIFY2(d.error.isEmpty(), qPrintable(d.error));
    QCOMPARE(d.units.size(), 1);
    QCOMPARE(d.units[0].type, type);
    QCOMPARE(::correlations(d), correlations);
    QVERIFY(decoder.state(Sender(sender)).isEmpty());
}

void tst_WampDecoder::fields()
{
    WampDecoder decoder;
    const Decoded d = decoder.decode(Sender::Client, false,
                                     R"([48, 7814135, {}, "com.myapp.user.new", ["johnny"], {"firstname": "John", "surname": "Doe"}])");
    QVERIFY(d.ok());
    QCOMPARE(d.summary(), QStringLiteral(R"(WAMP CALL com.myapp.user.new request 7814135 ["johnny"] {"firstname":"John","surname":"Doe"})"));
    const QList<Field> expected = {
        Field(QStringLiteral("MessageType"), QStringLiteral("48")),
        Field(QStringLiteral("Request"), QStringLiteral("7814135")),
        Field(QStringLiteral("Options"), QStringLiteral("{}")),
        Field(QStringLiteral("Procedure"), QStringLiteral("com.myapp.user.new")),
        Field(QStringLiteral("Arguments"), QStringLiteral(R"(["johnny"])"), { Field(QStringLiteral("[0]"), QStringLiteral("johnny")) }),
        Field(QStringLiteral("ArgumentsKw"), QStringLiteral(R"({"firstname":"John","surname":"Doe"})"),
              { Field(QStringLiteral("firstname"), QStringLiteral("John")), Field(QStringLiteral("surname"), QStringLiteral("Doe")) }),
    };
    QCOMPARE(d.units[0].fields, expected);
    // An ERROR names the request's type and its elements as the specification does.
    const Decoded error = decoder.decode(Sender::Server, false, R"([8, 64, 25349185, {}, "wamp.error.procedure_already_exists"])");
    QStringList names;
    for (const Field &f : error.units[0].fields)
        names << f.name;
    QCOMPARE(names, QStringList({ QStringLiteral("MessageType"), QStringLiteral("REQUEST.Type"), QStringLiteral("REQUEST.Request"),
                                  QStringLiteral("Details"), QStringLiteral("Error") }));
    QCOMPARE(error.summary(), QStringLiteral("WAMP ERROR REGISTER request 25349185 wamp.error.procedure_already_exists"));
    // A wrong element count keeps the elements and says what the type needs.
    const Decoded shortCall = decoder.decode(Sender::Client, false, R"([48, 1, {}])");
    QCOMPARE(shortCall.units[0].fields.size(), 3);
    QCOMPARE(shortCall.units[0].error,
             QStringLiteral("CALL needs 3 to 5 elements after its type code, this one has 2: [CALL, Request|id, Options|dict, Procedure|uri, Arguments|list, ArgumentsKw|dict]"));
}

void tst_WampDecoder::refused()
{
    WampDecoder decoder;
    Decoded d = decoder.decode(Sender::Client, true, QByteArray("\x93\x01\xa6realm1\x80", 10));
    QCOMPARE(d.protocol, Protocol::Wamp);
    QCOMPARE(d.error, QStringLiteral("a binary message (10 bytes): wamp.2.json messages are JSON text (binary is for wamp.2.msgpack and wamp.2.cbor)"));
    d = decoder.decode(Sender::Client, false, R"({"hello":"realm1"})");
    QCOMPARE(d.error, QStringLiteral("not a WAMP message: a message is a JSON array led by its type code, not an object"));
    QCOMPARE(d.summary(), QStringLiteral("WAMP: not a WAMP message: a message is a JSON array led by its type code, not an object"));
    d = decoder.decode(Sender::Client, false, "[]");
    QCOMPARE(d.units.size(), 1);
    QCOMPARE(d.units[0].type, QStringLiteral("unknown"));
    QCOMPARE(d.units[0].error, QStringLiteral("an empty array: a WAMP message starts with its type code"));
    QVERIFY(d.units[0].fields.isEmpty());
}

void tst_WampDecoder::templates()
{
    const QList<ComposerTemplate> templates = WampDecoder::templates();
    QCOMPARE(templates.size(), 5);
    WampDecoder decoder;
    for (const ComposerTemplate &t : templates) {
        const Decoded d = decoder.decode(Sender::Client, false, t.text);
        QVERIFY2(d.ok(), qPrintable(d.summary()));
        QCOMPARE(d.units[0].type, t.name);
    }
}

QTEST_GUILESS_MAIN(tst_WampDecoder)
#include "tst_wampdecoder.moc"
