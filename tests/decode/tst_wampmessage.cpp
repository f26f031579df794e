// WAMP v2 JSON messages as the WAMP specification's examples write them (wamp-proto, rfc/text:
// "Sessions", "Publish & Subscribe", "Remote Procedure Calls", the advanced profile's features)
// and as Autobahn|JS 26 writes them (its HELLO with the features it announces, its GOODBYE reply),
// and every way a message breaks the message definitions, each with its reason.

#include "decode/wampmessage.h"

#include <QTest>

using namespace Wamp;
using Decode::Sender;

namespace {
constexpr int Client = int(Sender::Client);
constexpr int Router = int(Sender::Server);
} // namespace

class tst_WampMessage : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void valid_data();
    void valid();
    void invalid_data();
    void invalid();
    void refused_data();
    void refused();
    void signatures();
    void elements();
    void unknownSummaries();
};

void tst_WampMessage::valid_data()
{
    QTest::addColumn<int>("sender");
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<QString>("summary");
    // Sessions.
    QTest::addRow("HELLO, the spec's") << Client << QByteArray(R"([1, "somerealm", {"roles": {"publisher": {}, "subscriber": {}}}])")
                                       << "HELLO somerealm";
    QTest::addRow("HELLO, Autobahn|JS's")
        << Client
        << QByteArray(R"([1,"realm1",{"roles":{"caller":{"features":{"caller_identification":true,"call_canceling":true,"progressive_call_results":true}},"callee":{"features":{"caller_identification":true,"pattern_based_registration":true,"shared_registration":true,"progressive_call_results":true,"registration_revocation":true}},"publisher":{"features":{"publisher_identification":true,"subscriber_blackwhite_listing":true,"publisher_exclusion":true}},"subscriber":{"features":{"publisher_identification":true,"pattern_based_subscription":true,"subscription_revocation":true}}},"authmethods":["anonymous"]}])")
        << "HELLO realm1";
    QTest::addRow("WELCOME") << Router << QByteArray(R"([2, 9129137332, {"agent": "Crossbar.io-0.10.11", "roles": {"broker": {}}}])")
                             << "WELCOME session 9129137332";
    QTest::addRow("ABORT") << Router << QByteArray(R"([3, {"message": "The realm does not exist."}, "wamp.error.no_such_realm"])")
                           << R"(ABORT wamp.error.no_such_realm "The realm does not exist.")";
    QTest::addRow("ABORT from Autobahn|JS")
        << Client
        << QByteArray(R"x([3,{"message":"sorry, I cannot authenticate (no onchallenge handler set)"},"wamp.error.cannot_authenticate"])x")
        << R"x(ABORT wamp.error.cannot_authenticate "sorry, I cannot authenticate (no onchallenge handler set)")x";
    QTest::addRow("CHALLENGE") << Router << QByteArray(R"([4, "wampcra", {"challenge": "{\"nonce\": \"LHRTC9zeOIrt_9U3\"}"}])")
                               << "CHALLENGE wampcra";
    QTest::addRow("AUTHENTICATE") << Client << QByteArray(R"([5, "gir1mSx+deCDUV7wRM5SGIn/+R/ClqLZuH4m7FJeBVI=", {}])") << "AUTHENTICATE";
    QTest::addRow("GOODBYE") << Router << QByteArray(R"([6, {"message": "The host is shutting down now."}, "wamp.close.system_shutdown"])")
                             << R"(GOODBYE wamp.close.system_shutdown "The host is shutting down now.")";
    QTest::addRow("GOODBYE reply") << Client << QByteArray(R"([6, {}, "wamp.close.goodbye_and_out"])") << "GOODBYE wamp.close.goodbye_and_out";
    QTest::addRow("Autobahn|JS's GOODBYE reply") << Client << QByteArray(R"([6,{},"wamp.error.goodbye_and_out"])")
                                                 << "GOODBYE wamp.error.goodbye_and_out";
    // Publish and subscribe.
    QTest::addRow("PUBLISH") << Client << QByteArray(R"([16, 239714735, {}, "com.myapp.mytopic1", ["Hello, world!"]])")
                             << R"(PUBLISH com.myapp.mytopic1 request 239714735 ["Hello, world!"])";
    QTest::addRow("PUBLISH acknowledged") << Client << QByteArray(R"([16,239714735,{"acknowledge":true},"com.myapp.mytopic1"])")
                                          << "PUBLISH com.myapp.mytopic1 request 239714735 (acknowledge)";
    QTest::addRow("PUBLISHED") << Router << QByteArray(R"([17, 239714735, 4429313566])") << "PUBLISHED request 239714735 publication 4429313566";
    QTest::addRow("SUBSCRIBE") << Client << QByteArray(R"([32, 713845233, {}, "com.myapp.mytopic1"])")
                               << "SUBSCRIBE com.myapp.mytopic1 request 713845233";
    QTest::addRow("SUBSCRIBE, a wildcard pattern") << Client << QByteArray(R"([32, 713845233, {"match": "wildcard"}, "com.myapp..userevent"])")
                                                   << "SUBSCRIBE com.myapp..userevent request 713845233";
    QTest::addRow("SUBSCRIBED") << Router << QByteArray(R"([33, 713845233, 5512315355])")
                                << "SUBSCRIBED request 713845233 subscription 5512315355";
    QTest::addRow("UNSUBSCRIBE") << Client << QByteArray(R"([34, 85346237, 5512315355])") << "UNSUBSCRIBE request 85346237 subscription 5512315355";
    QTest::addRow("UNSUBSCRIBED") << Router << QByteArray(R"([35, 85346237])") << "UNSUBSCRIBED request 85346237";
    QTest::addRow("UNSUBSCRIBED, a revocation") << Router << QByteArray(R"([35, 0, {"subscription": 1293722, "reason": "no longer authorized"}])")
                                                << R"(UNSUBSCRIBED request 0 {"subscription":1293722,"reason":"no longer authorized"})";
    QTest::addRow("EVENT") << Router << QByteArray(R"([36, 5512315355, 4429313566, {}, ["Hello, world!"]])")
                           << R"(EVENT subscription 5512315355 ["Hello, world!"])";
    QTest::addRow("EVENT with keywords") << Router
                                         << QByteArray(R"([36, 5512315355, 4429313566, {}, [], {"color": "orange", "sizes": [23, 42, 7]}])")
                                         << R"(EVENT subscription 5512315355 [] {"color":"orange","sizes":[23,42,7]})";
    // Remote procedure calls.
    QTest::addRow("CALL, the brief's") << Client << QByteArray(R"([48,1,{},"com.myapp.add2",[2,3]])") << "CALL com.myapp.add2 request 1 [2,3]";
    QTest::addRow("RESULT, the brief's") << Router << QByteArray(R"([50,1,{},[5]])") << "RESULT request 1 [5]";
    QTest::addRow("CALL without arguments") << Client << QByteArray(R"([48, 7814135, {}, "com.myapp.ping"])") << "CALL com.myapp.ping request 7814135";
    QTest::addRow("CALL with keywords")
        << Client << QByteArray(R"([48, 7814135, {}, "com.myapp.user.new", ["johnny"], {"firstname": "John", "surname": "Doe"}])")
        << R"(CALL com.myapp.user.new request 7814135 ["johnny"] {"firstname":"John","surname":"Doe"})";
    QTest::addRow("CANCEL") << Client << QByteArray(R"([49, 7814135, {"mode": "kill"}])") << "CANCEL request 7814135";
    QTest::addRow("RESULT, progressive") << Router << QByteArray(R"([50, 77133, {"progress": true}, ["partial"]])")
                                         << R"(RESULT request 77133 ["partial"] (progress))";
    QTest::addRow("REGISTER") << Client << QByteArray(R"([64, 25349185, {}, "com.myapp.myprocedure1"])")
                              << "REGISTER com.myapp.myprocedure1 request 25349185";
    QTest::addRow("REGISTERED") << Router << QByteArray(R"([65, 25349185, 2103333224])") << "REGISTERED request 25349185 registration 2103333224";
    QTest::addRow("register ERROR") << Router << QByteArray(R"([8, 64, 25349185, {}, "wamp.error.procedure_already_exists"])")
                                    << "ERROR REGISTER request 25349185 wamp.error.procedure_already_exists";
    QTest::addRow("UNREGISTER") << Client << QByteArray(R"([66, 788923562, 2103333224])") << "UNREGISTER request 788923562 registration 2103333224";
    QTest::addRow("UNREGISTERED") << Router << QByteArray(R"([67, 788923562])") << "UNREGISTERED request 788923562";
    QTest::addRow("UNREGISTERED, a revocation")
        << Router << QByteArray(R"([67, 0, {"registration": 1293722, "reason": "moving endpoint to other callee"}])")
        << R"(UNREGISTERED request 0 {"registration":1293722,"reason":"moving endpoint to other callee"})";
    QTest::addRow("INVOCATION") << Router << QByteArray(R"([68, 6131533, 9823528, {}, [23, 7]])")
                                << "INVOCATION request 6131533 registration 9823528 [23,7]";
    QTest::addRow("INTERRUPT") << Router << QByteArray(R"([69, 6131533, {"mode": "kill"}])") << "INTERRUPT request 6131533";
    QTest::addRow("YIELD") << Client << QByteArray(R"([70, 6131533, {}, [30]])") << "YIELD request 6131533 [30]";
    QTest::addRow("YIELD with keywords only") << Client << QByteArray(R"([70, 6131533, {}, [], {"userid": 123, "karma": 10}])")
                                              << R"(YIELD request 6131533 [] {"userid":123,"karma":10})";
    QTest::addRow("a callee's ERROR")
        << Client << QByteArray(R"([8, 68, 6131533, {}, "com.myapp.error.object_write_protected", ["Object is write protected."], {"severity": 3}])")
        << R"(ERROR INVOCATION request 6131533 com.myapp.error.object_write_protected ["Object is write protected."] {"severity":3})";
    QTest::addRow("a call's ERROR") << Router << QByteArray(R"([8, 48, 7814135, {}, "wamp.error.no_such_procedure"])")
                                    << "ERROR CALL request 7814135 wamp.error.no_such_procedure";
    QTest::addRow("the largest id") << Client << QByteArray(R"([48, 9007199254740992, {}, "a"])") << "CALL a request 9007199254740992";
    QTest::addRow("an extension message") << Router << QByteArray(R"([300, 1, {}])") << "extension message 300 [1,{}]";
    // Peer text through the display rule.
    QTest::addRow("a topic with a bidi control") << Client << QByteArray("[32,1,{},\"com.a\xe2\x80\xae" "b\"]")
                                                 << R"(SUBSCRIBE com.a\u202eb request 1)";
}

void tst_WampMessage::valid()
{
    QFETCH(int, sender);
    QFETCH(QByteArray, text);
    QFETCH(QString, summary);
    QString error;
    const auto m = parse(Sender(sender), text, &error);
    QVERIFY2(m, qPrintable(error));
    QVERIFY2(m->ok(), qPrintable(m->problem));
    QCOMPARE(Wamp::summary(*m), summary);
}

void tst_WampMessage::invalid_data()
{
    QTest::addColumn<int>("sender");
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<QString>("problem");
    QTest::addRow("empty") << Client << QByteArray("[]") << "an empty array: a WAMP message starts with its type code";
    QTest::addRow("type as a name") << Client << QByteArray(R"(["CALL", 1, {}, "a"])")
                                    << "a WAMP message starts with its type code, an integer, not a string";
    QTest::addRow("type as a float") << Client << QByteArray(R"([48.0, 1, {}, "a"])")
                                     << "a WAMP message starts with its type code, an integer, not 48.0";
    QTest::addRow("type negative") << Client << QByteArray(R"([-48, 1, {}, "a"])")
                                   << "a WAMP message starts with its type code, an integer, not -48";
    QTest::addRow("HEARTBEAT, gone from WAMP") << Client << QByteArray(R"([7, 1, 2])") << "WAMP has no message type 7";
    QTest::addRow("beyond the extension range") << Client << QByteArray(R"([1024])") << "WAMP has no message type 1024";
    QTest::addRow("CALL too short") << Client << QByteArray(R"([48, 1, {}])")
                                    << "CALL needs 3 to 5 elements after its type code, this one has 2: [CALL, Request|id, Options|dict, Procedure|uri, Arguments|list, ArgumentsKw|dict]";
    QTest::addRow("SUBSCRIBE too long") << Client << QByteArray(R"([32, 1, {}, "a", []])")
                                        << "SUBSCRIBE needs 3 elements after its type code, this one has 4: [SUBSCRIBE, Request|id, Options|dict, Topic|uri]";
    QTest::addRow("HELLO without details") << Client << QByteArray(R"([1, "realm1"])")
                                           << "HELLO needs 2 elements after its type code, this one has 1: [HELLO, Realm|uri, Details|dict]";
    QTest::addRow("ERROR too short") << Router << QByteArray(R"([8, 48, 1, {}])")
                                     << "ERROR needs 4 to 6 elements after its type code, this one has 3: [ERROR, REQUEST.Type|integer, REQUEST.Request|id, Details|dict, Error|uri, Arguments|list, ArgumentsKw|dict]";
    QTest::addRow("request id a string") << Client << QByteArray(R"([48, "1", {}, "a"])")
                                         << "CALL: Request|id must be an integer from 1 to 2^53, not a string";
    QTest::addRow("request id 0") << Client << QByteArray(R"([48, 0, {}, "a"])") << "CALL: Request|id must be an integer from 1 to 2^53, not 0";
    QTest::addRow("request id 2^53 + 1") << Client << QByteArray(R"([48, 9007199254740993, {}, "a"])")
                                         << "CALL: Request|id must be an integer from 1 to 2^53, not 9007199254740993";
    QTest::addRow("request id fractional") << Client << QByteArray(R"([48, 1.5, {}, "a"])")
                                           << "CALL: Request|id must be an integer from 1 to 2^53, not 1.5";
    QTest::addRow("request id with an exponent") << Client << QByteArray(R"([48, 1e3, {}, "a"])")
                                                 << "CALL: Request|id must be an integer from 1 to 2^53, not 1e3";
    QTest::addRow("request id negative") << Client << QByteArray(R"([48, -1, {}, "a"])")
                                         << "CALL: Request|id must be an integer from 1 to 2^53, not -1";
    QTest::addRow("options an array") << Client << QByteArray(R"([48, 1, [], "a"])")
                                      << "CALL: Options|dict must be a dict (a JSON object), not an array";
    QTest::addRow("procedure a number") << Client << QByteArray(R"([48, 1, {}, 5])") << "CALL: Procedure|uri must be a string, not 5";
    QTest::addRow("procedure with a space") << Client << QByteArray(R"([48, 1, {}, "com.my app"])")
                                            << R"(CALL: Procedure|uri "com.my app" is not a WAMP URI: it holds white space)";
    QTest::addRow("procedure with an empty component") << Client << QByteArray(R"([48, 1, {}, "com..add"])")
                                                       << R"(CALL: Procedure|uri "com..add" is not a WAMP URI: it has an empty component)";
    QTest::addRow("topic with an empty component, no wildcard") << Client << QByteArray(R"([32, 1, {"match": "prefix"}, "com."])")
                                                                << R"(SUBSCRIBE: Topic|uri "com." is not a WAMP URI: it has an empty component)";
    QTest::addRow("procedure empty") << Client << QByteArray(R"([48, 1, {}, ""])") << R"(CALL: Procedure|uri "" is not a WAMP URI: it is empty)";
    QTest::addRow("procedure with #") << Client << QByteArray(R"([48, 1, {}, "com.#.x"])")
                                      << R"(CALL: Procedure|uri "com.#.x" is not a WAMP URI: it holds '#', which routers keep for themselves)";
    QTest::addRow("arguments an object") << Client << QByteArray(R"([48, 1, {}, "a", {"x": 1}])")
                                         << "CALL: Arguments|list must be a list (a JSON array), not an object";
    QTest::addRow("keyword arguments an array") << Client << QByteArray(R"([48, 1, {}, "a", [], []])")
                                                << "CALL: ArgumentsKw|dict must be a dict (a JSON object), not an array";
    QTest::addRow("realm a number") << Client << QByteArray(R"([1, 1, {}])") << "HELLO: Realm|uri must be a string, not 1";
    QTest::addRow("auth method not a string") << Router << QByteArray(R"([4, null, {}])") << "CHALLENGE: AuthMethod|string must be a string, not null";
    QTest::addRow("session 0") << Router << QByteArray(R"([2, 0, {}])") << "WELCOME: Session|id must be an integer from 1 to 2^53, not 0";
    QTest::addRow("EVENT publication a string") << Router << QByteArray(R"([36, 1, "2", {}])")
                                                << "EVENT: PUBLISHED.Publication|id must be an integer from 1 to 2^53, not a string";
    QTest::addRow("ERROR for an EVENT") << Client << QByteArray(R"([8, 36, 1, {}, "wamp.error.x"])")
                                        << "ERROR: REQUEST.Type 36 (EVENT) is not a request that can fail; an ERROR answers SUBSCRIBE, UNSUBSCRIBE, PUBLISH, CALL, REGISTER, UNREGISTER or INVOCATION";
    QTest::addRow("ERROR for type 99") << Router << QByteArray(R"([8, 99, 1, {}, "wamp.error.x"])")
                                       << "ERROR: REQUEST.Type 99 is not a request that can fail; an ERROR answers SUBSCRIBE, UNSUBSCRIBE, PUBLISH, CALL, REGISTER, UNREGISTER or INVOCATION";
    QTest::addRow("ERROR request type a string") << Router << QByteArray(R"([8, "48", 1, {}, "wamp.error.x"])")
                                                 << "ERROR: REQUEST.Type|integer must be a non-negative integer, not a string";
    QTest::addRow("UNSUBSCRIBED 0 without details") << Router << QByteArray(R"([35, 0])")
                                                    << "UNSUBSCRIBED: UNSUBSCRIBE.Request|id must be an integer from 1 to 2^53, not 0";
    // Directions.
    QTest::addRow("a client's WELCOME") << Client << QByteArray(R"([2, 1, {}])")
                                        << "only the router sends WELCOME (a router aborts the session: ABORT with wamp.error.protocol_violation)";
    QTest::addRow("a client's EVENT") << Client << QByteArray(R"([36, 1, 2, {}])")
                                      << "only the router sends EVENT (a router aborts the session: ABORT with wamp.error.protocol_violation)";
    QTest::addRow("a client's ERROR for a CALL") << Client << QByteArray(R"([8, 48, 1, {}, "wamp.error.x"])")
                                                 << "only the router sends an ERROR for CALL (a router aborts the session: ABORT with wamp.error.protocol_violation)";
    QTest::addRow("a router's CALL") << Router << QByteArray(R"([48, 1, {}, "a"])")
                                     << R"(only a client sends CALL (Autobahn|JS closes the WebSocket with 3002 "protocol violation: unexpected message type 48"))";
    QTest::addRow("a router's HELLO") << Router << QByteArray(R"([1, "realm1", {}])")
                                      << R"(only a client sends HELLO (Autobahn|JS closes the WebSocket with 3002 "protocol violation: unexpected message type 1"))";
    QTest::addRow("a router's ERROR for an INVOCATION")
        << Router << QByteArray(R"([8, 68, 1, {}, "wamp.error.x"])")
        << R"(only a client sends an ERROR for INVOCATION (Autobahn|JS closes the WebSocket with 3002 "protocol violation: unexpected ERROR message with request_type 68"))";
}

void tst_WampMessage::invalid()
{
    QFETCH(int, sender);
    QFETCH(QByteArray, text);
    QFETCH(QString, problem);
    QString error;
    const auto m = parse(Sender(sender), text, &error);
    QVERIFY2(m, qPrintable(error));
    QCOMPARE(m->problem, problem);
    QVERIFY(!Wamp::summary(*m).isEmpty());
}

void tst_WampMessage::refused_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<QString>("error");
    QTest::addRow("an object") << QByteArray(R"({"type": "hello"})")
                               << "not a WAMP message: a message is a JSON array led by its type code, not an object";
    QTest::addRow("a number") << QByteArray("48") << "not a WAMP message: a message is a JSON array led by its type code, not a number";
    QTest::addRow("cut short") << QByteArray(R"([1, "realm1", {})")
                               << "not JSON: JSON error at position 17 (line 1, column 17): unexpected end of input: expected ',' or ']'";
    // JsonText names the bad escape's character by its code point when it is not visible.
    QTest::addRow("a CR escaped") << QByteArray("[\"a\\\r\"]")
                                  << "not JSON: JSON error at position 4 (line 1, column 4): invalid escape: a backslash before U+000D in a string";
    QTest::addRow("MessagePack bytes") << QByteArray("\x93\x01\xa6realm1\x80", 10) << "not JSON: not UTF-8 text: byte 1 (0x93) cannot be there";
}

void tst_WampMessage::refused()
{
    QFETCH(QByteArray, text);
    QFETCH(QString, error);
    QString why;
    QVERIFY(!parse(Sender::Client, text, &why));
    QCOMPARE(why, error);
}

void tst_WampMessage::signatures()
{
    QCOMPARE(signature(48), QStringLiteral("[CALL, Request|id, Options|dict, Procedure|uri, Arguments|list, ArgumentsKw|dict]"));
    QCOMPARE(signature(36),
             QStringLiteral("[EVENT, SUBSCRIBED.Subscription|id, PUBLISHED.Publication|id, Details|dict, PUBLISH.Arguments|list, PUBLISH.ArgumentsKw|dict]"));
    QCOMPARE(signature(7), QString());
    // Every type code of the basic and the advanced profile, by name.
    const QList<std::pair<int, const char *>> codes = { { 1, "HELLO" }, { 2, "WELCOME" }, { 3, "ABORT" }, { 4, "CHALLENGE" },
        { 5, "AUTHENTICATE" }, { 6, "GOODBYE" }, { 8, "ERROR" }, { 16, "PUBLISH" }, { 17, "PUBLISHED" }, { 32, "SUBSCRIBE" },
        { 33, "SUBSCRIBED" }, { 34, "UNSUBSCRIBE" }, { 35, "UNSUBSCRIBED" }, { 36, "EVENT" }, { 48, "CALL" }, { 49, "CANCEL" },
        { 50, "RESULT" }, { 64, "REGISTER" }, { 65, "REGISTERED" }, { 66, "UNREGISTER" }, { 67, "UNREGISTERED" },
        { 68, "INVOCATION" }, { 69, "INTERRUPT" }, { 70, "YIELD" } };
    for (const auto &[code, name] : codes)
        QCOMPARE(typeName(code), QLatin1StringView(name));
    for (int code = 0; code < 256; ++code) {
        const bool defined = std::any_of(codes.begin(), codes.end(), [code](const auto &c) { return c.first == code; });
        QCOMPARE(!typeName(code).isEmpty(), defined);
        QCOMPARE(direction(code).has_value(), defined);
    }
    QCOMPARE(direction(48), Direction::FromClient);
    QCOMPARE(direction(50), Direction::FromRouter);
    QCOMPARE(direction(6), Direction::Both);
}

void tst_WampMessage::elements()
{
    const auto m = parse(Sender::Client, R"([48, 7814135, {"receive_progress": true}, "com.myapp.user.new", ["johnny"], {"firstname": "John"}])");
    QVERIFY(m);
    QCOMPARE(m->code, 48);
    QCOMPARE(m->codeText, QByteArray("48"));
    QStringList names;
    for (const Element &e : m->elements)
        names << e.name;
    QCOMPARE(names, QStringList({ QStringLiteral("Request"), QStringLiteral("Options"), QStringLiteral("Procedure"),
                                  QStringLiteral("Arguments"), QStringLiteral("ArgumentsKw") }));
    QCOMPARE(m->elements[1].value.text, QByteArray(R"({"receive_progress": true})"));
    QCOMPARE(m->id(QLatin1StringView("Request")), std::optional<quint64>(7814135));
    QVERIFY(m->flag(QLatin1StringView("receive_progress")));
    QVERIFY(!m->flag(QLatin1StringView("progress")));
    // Extra elements are kept, named by their place.
    const auto extra = parse(Sender::Client, R"([32, 1, {}, "a", "b"])");
    QVERIFY(extra);
    QCOMPARE(extra->elements.last().name, QStringLiteral("[4]"));
    // An ERROR's request id is found as "Request".
    const auto error = parse(Sender::Server, R"([8, 48, 12, {}, "wamp.error.canceled"])");
    QVERIFY(error);
    QCOMPARE(error->id(QLatin1StringView("Request")), std::optional<quint64>(12));
    QCOMPARE(direction(*error), Direction::FromRouter);
}

void tst_WampMessage::unknownSummaries()
{
    // What is not a known type shows as the array it is; an extension message after its code.
    const QList<std::pair<QByteArray, QString>> cases = {
        { R"(["CALL", 1, {}, "a"])", QStringLiteral(R"(unknown ["CALL",1,{},"a"])") },
        { "[]", QStringLiteral("unknown []") },
        { "[7, 1, 2]", QStringLiteral("unknown [7,1,2]") },
        { "[300, {}]", QStringLiteral("extension message 300 [{}]") },
        { "[300]", QStringLiteral("extension message 300") },
    };
    for (const auto &[text, summary] : cases) {
        const auto m = parse(Sender::Client, text);
        QVERIFY(m);
        QCOMPARE(Wamp::summary(*m), summary);
    }
}

QTEST_GUILESS_MAIN(tst_WampMessage)
#include "tst_wampmessage.moc"
