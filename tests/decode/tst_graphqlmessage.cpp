// GraphQL over WebSocket messages as the libraries write them: the graphql-ws library (v6, the
// graphql-transport-ws protocol; its client writes {id, type, payload} in that order and leaves out
// a payload it does not have, its server {id, type, payload}), and Apollo's
// subscriptions-transport-ws 0.11 (graphql-ws; its client writes {id, type, payload} with JSON.stringify
// dropping an undefined id, its server {type, id, payload}); and what breaks each protocol, with
// the reason and what the receiving library does about it (the close codes are graphql-ws's
// PROTOCOL.md and src/server.ts, src/client.ts).

#include "decode/graphqlmessage.h"

#include <QTest>

using namespace GraphQl;
using Decode::Protocol;
using Decode::Sender;

namespace {
constexpr int TransportWs = int(Protocol::GraphQlTransportWs);
constexpr int LegacyWs = int(Protocol::GraphQlWs);
constexpr int Client = int(Sender::Client);
constexpr int Server = int(Sender::Server);
} // namespace

class tst_GraphQlMessage : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void valid_data();
    void valid();
    void invalid_data();
    void invalid();
    void refused_data();
    void refused();
    void directions();
    void closeCodes_data();
    void closeCodes();
    void operation();
};

void tst_GraphQlMessage::valid_data()
{
    QTest::addColumn<int>("protocol");
    QTest::addColumn<int>("sender");
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<QString>("type");
    QTest::addColumn<QString>("id"); // empty: none
    QTest::addColumn<QString>("summary");
    // graphql-ws 6.
    QTest::addRow("connection_init") << TransportWs << Client << QByteArray(R"({"type":"connection_init"})") << "connection_init"
                                     << "" << "connection_init";
    QTest::addRow("connection_init with connectionParams")
        << TransportWs << Client << QByteArray(R"({"type":"connection_init","payload":{"token":"abc"}})") << "connection_init"
        << "" << R"(connection_init {"token":"abc"})";
    QTest::addRow("connection_ack") << TransportWs << Server << QByteArray(R"({"type":"connection_ack"})") << "connection_ack"
                                    << "" << "connection_ack";
    QTest::addRow("ping from the server") << TransportWs << Server << QByteArray(R"({"type":"ping"})") << "ping" << "" << "ping";
    QTest::addRow("pong from the client") << TransportWs << Client << QByteArray(R"({"type":"pong"})") << "pong" << "" << "pong";
    QTest::addRow("ping with payload null") << TransportWs << Client << QByteArray(R"({"type":"ping","payload":null})") << "ping"
                                            << "" << "ping";
    QTest::addRow("subscribe, the client's uuid")
        << TransportWs << Client
        << QByteArray(R"({"id":"3f1c2a8e-5b7d-4e9a-8c6f-1d2e3f4a5b6c","type":"subscribe","payload":{"query":"subscription { greetings }"}})")
        << "subscribe" << "3f1c2a8e-5b7d-4e9a-8c6f-1d2e3f4a5b6c"
        << "subscribe 3f1c2a8e-5b7d-4e9a-8c6f-1d2e3f4a5b6c subscription { greetings }";
    QTest::addRow("subscribe, the brief's") << TransportWs << Client
                                            << QByteArray(R"({"id":"1","type":"subscribe","payload":{"query":"subscription OnMessage { messages { text } }"}})")
                                            << "subscribe" << "1" << "subscribe 1 subscription OnMessage { messages { text } }";
    QTest::addRow("subscribe with operationName, variables, extensions")
        << TransportWs << Client
        << QByteArray(R"({"id":"2","type":"subscribe","payload":{"operationName":"OnMessage","query":"subscription OnMessage($room: ID!) {\n  messages(room: $room) {\n    text\n  }\n}","variables":{"room":"lobby"},"extensions":{"persistedQuery":{"version":1}}}})")
        << "subscribe" << "2" << "subscribe 2 OnMessage";
    QTest::addRow("subscribe, a query of several lines")
        << TransportWs << Client << QByteArray(R"({"id":"3","type":"subscribe","payload":{"query":"\n  subscription {\n    greetings\n  }\n"}})")
        << "subscribe" << "3" << QString::fromUtf8("subscribe 3 subscription { …");
    QTest::addRow("subscribe, nulls allowed")
        << TransportWs << Client
        << QByteArray(R"({"id":"4","type":"subscribe","payload":{"operationName":null,"query":"{ hello }","variables":null,"extensions":null}})")
        << "subscribe" << "4" << "subscribe 4 { hello }";
    QTest::addRow("next") << TransportWs << Server
                          << QByteArray(R"({"id":"1","type":"next","payload":{"data":{"greetings":"Hi"}}})") << "next" << "1"
                          << R"(next 1 {"data":{"greetings":"Hi"}})";
    QTest::addRow("error") << TransportWs << Server
                           << QByteArray(R"({"id":"1","type":"error","payload":[{"message":"Cannot query field \"nope\" on type \"Subscription\".","locations":[{"line":1,"column":16}]}]})")
                           << "error" << "1"
                           << QString::fromUtf8(R"(error 1 [{"message":"Cannot query field \"nope\" on type \"Subscription\".","locations":…)");
    QTest::addRow("complete from the server") << TransportWs << Server << QByteArray(R"({"id":"1","type":"complete"})")
                                              << "complete" << "1" << "complete 1";
    QTest::addRow("complete from the client") << TransportWs << Client << QByteArray(R"({"id":"1","type":"complete"})")
                                              << "complete" << "1" << "complete 1";
    QTest::addRow("members in another order, spaces") << TransportWs << Server
                                                      << QByteArray(R"({ "payload": {"data": null}, "type": "next", "id": "7" })")
                                                      << "next" << "7" << R"(next 7 {"data":null})";
    // subscriptions-transport-ws 0.11.
    QTest::addRow("legacy connection_init") << LegacyWs << Client << QByteArray(R"({"type":"connection_init","payload":{}})")
                                            << "connection_init" << "" << "connection_init";
    QTest::addRow("legacy connection_ack") << LegacyWs << Server << QByteArray(R"({"type":"connection_ack"})") << "connection_ack"
                                           << "" << "connection_ack";
    QTest::addRow("ka") << LegacyWs << Server << QByteArray(R"({"type":"ka"})") << "ka" << "" << "ka";
    QTest::addRow("start") << LegacyWs << Client
                           << QByteArray(R"({"id":"1","type":"start","payload":{"query":"subscription { messageAdded { text } }","variables":{}}})")
                           << "start" << "1" << "start 1 subscription { messageAdded { text } }";
    QTest::addRow("data") << LegacyWs << Server
                          << QByteArray(R"({"type":"data","id":"1","payload":{"data":{"messageAdded":{"text":"hi"}}}})") << "data"
                          << "1" << R"(data 1 {"data":{"messageAdded":{"text":"hi"}}})";
    QTest::addRow("legacy complete, payload null") << LegacyWs << Server << QByteArray(R"({"type":"complete","id":"1","payload":null})")
                                                   << "complete" << "1" << "complete 1";
    QTest::addRow("stop") << LegacyWs << Client << QByteArray(R"({"id":"1","type":"stop"})") << "stop" << "1" << "stop 1";
    QTest::addRow("connection_terminate") << LegacyWs << Client << QByteArray(R"({"type":"connection_terminate","payload":null})")
                                          << "connection_terminate" << "" << "connection_terminate";
    QTest::addRow("legacy error for a bad message") << LegacyWs << Server
                                                    << QByteArray(R"({"type":"error","id":"1","payload":{"message":"Invalid message type!"}})")
                                                    << "error" << "1" << R"(error 1 {"message":"Invalid message type!"})";
    QTest::addRow("connection_error") << LegacyWs << Server
                                      << QByteArray(R"({"type":"connection_error","payload":{"message":"Prohibited connection!"}})")
                                      << "connection_error" << "" << R"(connection_error {"message":"Prohibited connection!"})";
    // What the subscriptions-transport-ws server answers to a message that is not JSON, id null and all.
    QTest::addRow("connection_error for bad JSON")
        << LegacyWs << Server
        << QByteArray(R"({"type":"connection_error","id":null,"payload":{"message":"Unexpected token 'o', \"nope\" is not valid JSON"}})")
        << "connection_error" << "" << R"(connection_error {"message":"Unexpected token 'o', \"nope\" is not valid JSON"})";
    // Peer text through the display rule.
    QTest::addRow("id with a bidi control") << TransportWs << Client << QByteArray("{\"id\":\"a\xe2\x80\xae" "b\",\"type\":\"complete\"}")
                                            << "complete" << QString::fromUtf8("a\xe2\x80\xae" "b") << R"(complete a\u202eb)";
}

void tst_GraphQlMessage::valid()
{
    QFETCH(int, protocol);
    QFETCH(int, sender);
    QFETCH(QByteArray, text);
    QFETCH(QString, type);
    QFETCH(QString, id);
    QFETCH(QString, summary);
    QString error;
    const auto m = parse(Protocol(protocol), Sender(sender), text, &error);
    QVERIFY2(m, qPrintable(error));
    QVERIFY2(m->ok(), qPrintable(m->problem));
    QVERIFY(m->known);
    QCOMPARE(m->type, type);
    QCOMPARE(m->id.value_or(QString()), id);
    QCOMPARE(GraphQl::summary(*m), summary);
}

void tst_GraphQlMessage::invalid_data()
{
    QTest::addColumn<int>("protocol");
    QTest::addColumn<int>("sender");
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<QString>("summary");
    QTest::addColumn<QString>("problem");
    const QString toServer = QStringLiteral(" (a graphql-ws server closes the connection with 4400 Bad request)");
    const QString toClient = QStringLiteral(" (the graphql-ws client closes the connection with 4004 Bad response)");
    // graphql-ws's validateMessage(), rule by rule.
    QTest::addRow("no type") << TransportWs << Client << QByteArray(R"({"id":"1"})") << "(no type) 1"
                             << QStringLiteral("no \"type\": every message has one") + toServer;
    QTest::addRow("empty type") << TransportWs << Client << QByteArray(R"({"type":""})") << R"("")"
                                << QStringLiteral("no \"type\": every message has one") + toServer;
    QTest::addRow("type a number") << TransportWs << Server << QByteArray(R"({"type":1})") << "1"
                                   << QStringLiteral("\"type\" must be a string, not a number") + toClient;
    QTest::addRow("unknown type") << TransportWs << Client << QByteArray(R"({"type":"start","id":"1"})") << "start 1"
                                  << QStringLiteral("unknown type \"start\"") + toServer;
    QTest::addRow("init payload an array") << TransportWs << Client << QByteArray(R"({"type":"connection_init","payload":[]})")
                                           << "connection_init []" << QStringLiteral("\"payload\" must be an object or null, not an array") + toServer;
    QTest::addRow("ack payload a string") << TransportWs << Server << QByteArray(R"({"type":"connection_ack","payload":"ok"})")
                                          << R"(connection_ack "ok")" << QStringLiteral("\"payload\" must be an object or null, not a string") + toClient;
    QTest::addRow("subscribe without id") << TransportWs << Client
                                          << QByteArray(R"({"type":"subscribe","payload":{"query":"{ a }"}})") << "subscribe { a }"
                                          << QStringLiteral("subscribe needs an \"id\"") + toServer;
    QTest::addRow("subscribe, id a number") << TransportWs << Client
                                            << QByteArray(R"({"id":1,"type":"subscribe","payload":{"query":"{ a }"}})")
                                            << "subscribe { a }" << QStringLiteral("\"id\" must be a string, not a number") + toServer;
    QTest::addRow("subscribe, empty id") << TransportWs << Client
                                         << QByteArray(R"({"id":"","type":"subscribe","payload":{"query":"{ a }"}})")
                                         << "subscribe  { a }" << QStringLiteral("\"id\" must not be empty") + toServer;
    QTest::addRow("subscribe without payload") << TransportWs << Client << QByteArray(R"({"id":"1","type":"subscribe"})")
                                               << "subscribe 1" << QStringLiteral("subscribe needs a \"payload\" with the operation") + toServer;
    QTest::addRow("subscribe, payload a string") << TransportWs << Client
                                                 << QByteArray(R"({"id":"1","type":"subscribe","payload":"{ a }"})")
                                                 << R"(subscribe 1 "{ a }")" << QStringLiteral("\"payload\" must be an object, not a string") + toServer;
    QTest::addRow("subscribe without query") << TransportWs << Client
                                             << QByteArray(R"({"id":"1","type":"subscribe","payload":{"variables":{}}})")
                                             << R"(subscribe 1 {"variables":{}})" << QStringLiteral("the payload has no \"query\"") + toServer;
    QTest::addRow("subscribe, query a document node")
        << TransportWs << Client << QByteArray(R"({"id":"1","type":"subscribe","payload":{"query":{"kind":"Document"}}})")
        << R"(subscribe 1 {"query":{"kind":"Document"}})" << QStringLiteral("the payload's \"query\" must be a string, not an object") + toServer;
    QTest::addRow("subscribe, variables an array")
        << TransportWs << Client << QByteArray(R"({"id":"1","type":"subscribe","payload":{"query":"{ a }","variables":[1]}})")
        << "subscribe 1 { a }" << QStringLiteral("the payload's \"variables\" must be an object or null, not an array") + toServer;
    QTest::addRow("subscribe, operationName a number")
        << TransportWs << Client << QByteArray(R"({"id":"1","type":"subscribe","payload":{"query":"{ a }","operationName":5}})")
        << "subscribe 1 { a }" << QStringLiteral("the payload's \"operationName\" must be a string or null, not a number") + toServer;
    QTest::addRow("subscribe, extensions a string")
        << TransportWs << Client << QByteArray(R"({"id":"1","type":"subscribe","payload":{"query":"{ a }","extensions":"x"}})")
        << "subscribe 1 { a }" << QStringLiteral("the payload's \"extensions\" must be an object or null, not a string") + toServer;
    QTest::addRow("next without payload") << TransportWs << Server << QByteArray(R"({"id":"1","type":"next"})") << "next 1"
                                          << QStringLiteral("next needs a \"payload\": the execution result") + toClient;
    QTest::addRow("next, payload an array") << TransportWs << Server << QByteArray(R"({"id":"1","type":"next","payload":[]})")
                                            << "next 1 []" << QStringLiteral("\"payload\" must be an object, not an array") + toClient;
    QTest::addRow("error, an empty array") << TransportWs << Server << QByteArray(R"({"id":"1","type":"error","payload":[]})")
                                           << "error 1 []"
                                           << QStringLiteral("the \"payload\" of an error must be a non-empty array of GraphQL errors, each with a \"message\"") + toClient;
    QTest::addRow("error, one object") << TransportWs << Server << QByteArray(R"({"id":"1","type":"error","payload":{"message":"x"}})")
                                       << R"(error 1 {"message":"x"})"
                                       << QStringLiteral("the \"payload\" of an error must be a non-empty array of GraphQL errors, each with a \"message\"") + toClient;
    QTest::addRow("error without message") << TransportWs << Server << QByteArray(R"({"id":"1","type":"error","payload":[{"msg":"x"}]})")
                                           << R"(error 1 [{"msg":"x"}])"
                                           << QStringLiteral("the \"payload\" of an error must be a non-empty array of GraphQL errors, each with a \"message\"") + toClient;
    QTest::addRow("complete without id") << TransportWs << Client << QByteArray(R"({"type":"complete"})") << "complete"
                                         << QStringLiteral("complete needs an \"id\"") + toServer;
    QTest::addRow("two ids") << TransportWs << Client << QByteArray(R"({"id":"1","type":"complete","id":"2"})") << "complete 1"
                             << QStringLiteral("\"id\" appears more than once: receivers disagree on which one counts") + toServer;
    // The direction of each type. Checked against the servers of tests/decode/peers/graphql_server.js
    // (graphql-ws 5.16.2, whose server.js is the same as 6.x here): a client's next or connection_ack
    // is closed with 4500 "Unexpected message of type next received", an unknown type with 4400
    // "Invalid message received"; subscriptions-transport-ws answers a client's complete with
    // {"type":"error","id":"1","payload":{"message":"Invalid message type!"}} and stays open.
    QTest::addRow("a client sending next")
        << TransportWs << Client << QByteArray(R"({"id":"1","type":"next","payload":{"data":{}}})") << R"(next 1 {"data":{}})"
        << "only the server sends next (the protocol closes the connection with 4400; graphql-ws 6's server closes it with 4500 Internal server error)";
    QTest::addRow("a client sending connection_ack")
        << TransportWs << Client << QByteArray(R"({"type":"connection_ack"})") << "connection_ack"
        << "only the server sends connection_ack (the protocol closes the connection with 4400; graphql-ws 6's server closes it with 4500 Internal server error)";
    QTest::addRow("a server sending subscribe")
        << TransportWs << Server << QByteArray(R"({"id":"1","type":"subscribe","payload":{"query":"{ a }"}})") << "subscribe 1 { a }"
        << "only the client sends subscribe (the graphql-ws client closes the connection with 4004 Bad response if it comes before connection_ack, and ignores it after)";
    QTest::addRow("a server sending connection_init")
        << TransportWs << Server << QByteArray(R"({"type":"connection_init"})") << "connection_init"
        << "only the client sends connection_init (the graphql-ws client closes the connection with 4004 Bad response if it comes before connection_ack, and ignores it after)";
    // subscriptions-transport-ws.
    const QString legacyServer = QStringLiteral(" (the subscriptions-transport-ws server answers with an error message)");
    QTest::addRow("legacy unknown type from a client")
        << LegacyWs << Client << QByteArray(R"({"id":"1","type":"subscribe","payload":{"query":"{ a }"}})") << R"(subscribe 1 {"query":"{ a }"})"
        << R"(unknown type "subscribe" (the subscriptions-transport-ws server answers with an error "Invalid message type!"))";
    QTest::addRow("legacy unknown type from a server")
        << LegacyWs << Server << QByteArray(R"({"id":"1","type":"next","payload":{"data":{}}})") << R"(next 1 {"data":{}})"
        << R"(unknown type "next" (the subscriptions-transport-ws client throws "Invalid message type!"))";
    QTest::addRow("a client's complete, in graphql-ws")
        << LegacyWs << Client << QByteArray(R"({"id":"1","type":"complete"})") << "complete 1"
        << R"(only the server sends complete (the subscriptions-transport-ws server answers with an error "Invalid message type!"))";
    // subscriptions-transport-ws's client sends this itself when its connectionParams function throws.
    QTest::addRow("a client's connection_error")
        << LegacyWs << Client << QByteArray(R"({"type":"connection_error","payload":{}})") << "connection_error"
        << R"(only the server sends connection_error (the subscriptions-transport-ws server answers with an error "Invalid message type!"))";
    QTest::addRow("a server's stop") << LegacyWs << Server << QByteArray(R"({"id":"1","type":"stop"})") << "stop 1"
                                     << R"(only the client sends stop (the subscriptions-transport-ws client throws "Invalid message type!"))";
    QTest::addRow("start without query") << LegacyWs << Client << QByteArray(R"({"id":"1","type":"start","payload":{}})") << "start 1"
                                         << QStringLiteral("the payload has no \"query\"") + legacyServer;
    QTest::addRow("start, id a number") << LegacyWs << Client
                                        << QByteArray(R"({"id":1,"type":"start","payload":{"query":"{ a }"}})") << "start { a }"
                                        << QStringLiteral("\"id\" must be a string, not a number") + legacyServer;
    QTest::addRow("stop without id") << LegacyWs << Client << QByteArray(R"({"type":"stop"})") << "stop"
                                     << QStringLiteral("stop needs an \"id\"") + legacyServer;
    QTest::addRow("data without payload") << LegacyWs << Server << QByteArray(R"({"type":"data","id":"1"})") << "data 1"
                                          << "data needs a \"payload\": the execution result (the subscriptions-transport-ws client cannot use it)";
    QTest::addRow("legacy error, payload a string") << LegacyWs << Server << QByteArray(R"({"type":"error","id":"1","payload":"x"})")
                                                    << R"(error 1 "x")"
                                                    << "the \"payload\" of an error must be an error object or an array of them, not a string (the subscriptions-transport-ws client cannot use it)";
}

void tst_GraphQlMessage::invalid()
{
    QFETCH(int, protocol);
    QFETCH(int, sender);
    QFETCH(QByteArray, text);
    QFETCH(QString, summary);
    QFETCH(QString, problem);
    QString error;
    const auto m = parse(Protocol(protocol), Sender(sender), text, &error);
    QVERIFY2(m, qPrintable(error));
    QVERIFY(!m->ok());
    QCOMPARE(m->problem, problem);
    QCOMPARE(GraphQl::summary(*m), summary);
}

void tst_GraphQlMessage::refused_data()
{
    QTest::addColumn<int>("protocol");
    QTest::addColumn<int>("sender");
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<QString>("error");
    QTest::addRow("not JSON, to a server") << TransportWs << Client << QByteArray("{type:'ping'}")
                                           << "not JSON: JSON error at position 2 (line 1, column 2): unexpected 't': expected a member name in double quotes (a graphql-ws server closes the connection with 4400 Bad request)";
    QTest::addRow("not JSON, to a client") << TransportWs << Server << QByteArray("pong")
                                           << "not JSON: JSON error at position 1 (line 1, column 1): unexpected 'p': expected a value (the graphql-ws client closes the connection with 4004 Bad response)";
    QTest::addRow("an array") << TransportWs << Client << QByteArray(R"([{"type":"ping"}])")
                              << "not a message: a message is a JSON object, not an array (a graphql-ws server closes the connection with 4400 Bad request)";
    QTest::addRow("legacy, null") << LegacyWs << Client << QByteArray("null")
                                  << "not a message: a message is a JSON object, not null (the subscriptions-transport-ws server answers with an error message)";
    QTest::addRow("not UTF-8") << TransportWs << Client << QByteArray("{\"type\":\"\xc0\x80\"}")
                               << "not JSON: not UTF-8 text: byte 10 (0xc0) cannot be there (a graphql-ws server closes the connection with 4400 Bad request)";
}

void tst_GraphQlMessage::refused()
{
    QFETCH(int, protocol);
    QFETCH(int, sender);
    QFETCH(QByteArray, text);
    QFETCH(QString, error);
    QString why;
    QVERIFY(!parse(Protocol(protocol), Sender(sender), text, &why));
    QCOMPARE(why, error);
}

void tst_GraphQlMessage::directions()
{
    QCOMPARE(direction(Protocol::GraphQlTransportWs, u"subscribe"), Direction::FromClient);
    QCOMPARE(direction(Protocol::GraphQlTransportWs, u"next"), Direction::FromServer);
    QCOMPARE(direction(Protocol::GraphQlTransportWs, u"complete"), Direction::Both);
    QCOMPARE(direction(Protocol::GraphQlTransportWs, u"ping"), Direction::Both);
    QVERIFY(!direction(Protocol::GraphQlTransportWs, u"ka"));
    QVERIFY(!direction(Protocol::GraphQlTransportWs, u"start"));
    QCOMPARE(direction(Protocol::GraphQlWs, u"start"), Direction::FromClient);
    QCOMPARE(direction(Protocol::GraphQlWs, u"complete"), Direction::FromServer);
    QCOMPARE(direction(Protocol::GraphQlWs, u"ka"), Direction::FromServer);
    QVERIFY(!direction(Protocol::GraphQlWs, u"ping"));
    QVERIFY(!direction(Protocol::GraphQlWs, u"Start"));
}

void tst_GraphQlMessage::closeCodes_data()
{
    QTest::addColumn<int>("code");
    QTest::addColumn<QString>("name");
    // graphql-ws's CloseCode.
    QTest::addRow("4400") << 4400 << "Bad request";
    QTest::addRow("4401") << 4401 << "Unauthorized";
    QTest::addRow("4403") << 4403 << "Forbidden";
    QTest::addRow("4406") << 4406 << "Subprotocol not acceptable";
    QTest::addRow("4408") << 4408 << "Connection initialisation timeout";
    QTest::addRow("4409") << 4409 << "Subscriber already exists";
    QTest::addRow("4429") << 4429 << "Too many initialisation requests";
    QTest::addRow("4500") << 4500 << "Internal server error";
    QTest::addRow("4004") << 4004 << "Bad response";
    QTest::addRow("4005") << 4005 << "Internal client error";
    QTest::addRow("4504") << 4504 << "Connection acknowledgement timeout";
    QTest::addRow("1000") << 1000 << "";
    QTest::addRow("4000") << 4000 << "";
}

void tst_GraphQlMessage::closeCodes()
{
    QFETCH(int, code);
    QFETCH(QString, name);
    QCOMPARE(closeCodeName(code), name);
}

void tst_GraphQlMessage::operation()
{
    // The query is read from its escapes once: lines and quotes as the client wrote them.
    const auto m = parse(Protocol::GraphQlTransportWs, Sender::Client,
                         R"({"id":"2","type":"subscribe","payload":{"operationName":"OnMessage","query":"subscription OnMessage($room: ID!) {\n  messages(room: \"lobby\") {\n    text\n  }\n}"}})");
    QVERIFY(m);
    QCOMPARE(m->query.value_or(QString()),
             QStringLiteral("subscription OnMessage($room: ID!) {\n  messages(room: \"lobby\") {\n    text\n  }\n}"));
    QCOMPARE(m->operationName.value_or(QString()), QStringLiteral("OnMessage"));
    QCOMPARE(m->payload.value_or(QByteArray()).left(28), QByteArray(R"({"operationName":"OnMessage")"));
    // A long first line is cut at 60 characters.
    const auto longOne = parse(Protocol::GraphQlTransportWs, Sender::Client,
                               R"({"id":"9","type":"subscribe","payload":{"query":"subscription { a1 a2 a3 a4 a5 a6 a7 a8 a9 b1 b2 b3 b4 b5 b6 b7 b8 b9 }"}})");
    QVERIFY(longOne);
    QCOMPARE(GraphQl::summary(*longOne), QString::fromUtf8("subscribe 9 subscription { a1 a2 a3 a4 a5 a6 a7 a8 a9 b1 b2 b3 b4 b5 b6 …"));
}

QTEST_GUILESS_MAIN(tst_GraphQlMessage)
#include "tst_graphqlmessage.moc"
