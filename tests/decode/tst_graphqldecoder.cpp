// What the log gets from the two GraphQL over WebSocket decoders: whole conversations as the
// graphql-ws library (v6, graphql-transport-ws) and subscriptions-transport-ws (0.11, graphql-ws)
// write them, each message with its correlations; the rules that need the connection's history
// (4429, 4401, 4004) and the state that carries them; the fields of an operation. A client's
// complete (stop) of its own operation is its Continue: Decode::Correlation has no role for an asker
// that ends its own request.

#include "capturedsession.h"
#include "decode/graphqldecoder.h"

#include <QTest>

using namespace Decode;

namespace {

QString correlations(const Decoded &d)
{
    return d.correlationTexts().join(QStringLiteral("; "));
}

struct Step {
    Sender sender;
    QByteArray text;
    const char *summary; // the unit's summary
    const char *correlations;
};

const char *const Uuid = "3f1c2a8e-5b7d-4e9a-8c6f-1d2e3f4a5b6c";

} // namespace

class tst_GraphQlDecoder : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void capturedTransportWs();
    void capturedLegacy();
    void transportWsConversation();
    void legacyConversation();
    void history_data();
    void history();
    void stateReplays();
    void operationFields();
    void wrongSideIsNotPaired();
    void refused();
    void templates();
};

void tst_GraphQlDecoder::capturedTransportWs()
{
    // graphql-ws 5.16.2's createClient and its server (tests/decode/captured, peers/README.md): a query
    // with variables and operationName, a field error, a countdown, a validation error, a subscription
    // the client completes while the server's next is on its way, keep-alive pings, and the failing
    // subscription whose server closes with 4500.
    const QStringList expected = {
        QStringLiteral(R"x(C graphql-transport-ws connection_init {"token":"capture"})x"),
        QStringLiteral(R"x(S graphql-transport-ws connection_ack)x"),
        QStringLiteral(R"x(C graphql-transport-ws subscribe 2a74ef99-6262-460a-9893-8791de90130b Hello)x"),
        QStringLiteral(R"x(S graphql-transport-ws next 2a74ef99-6262-460a-9893-8791de90130b {"data":{"hello":"Hello capture!"}})x"),
        QStringLiteral(R"x(S graphql-transport-ws complete 2a74ef99-6262-460a-9893-8791de90130b)x"),
        QStringLiteral(R"x(C graphql-transport-ws subscribe 0afb6c4b-ae21-406c-939c-710aa24ce438 { boom })x"),
        QStringLiteral(R"x(S graphql-transport-ws next 0afb6c4b-ae21-406c-939c-710aa24ce438 {"errors":[{"message":"boom","locations":[{"line":1,"column":3}],"path":["boom"]…)x"),
        QStringLiteral(R"x(S graphql-transport-ws complete 0afb6c4b-ae21-406c-939c-710aa24ce438)x"),
        QStringLiteral(R"x(C graphql-transport-ws subscribe 6fe9855e-3ca1-43c5-82b1-97e830250698 subscription { countdown(from: 3) })x"),
        QStringLiteral(R"x(S graphql-transport-ws next 6fe9855e-3ca1-43c5-82b1-97e830250698 {"data":{"countdown":3}})x"),
        QStringLiteral(R"x(S graphql-transport-ws next 6fe9855e-3ca1-43c5-82b1-97e830250698 {"data":{"countdown":2}})x"),
        QStringLiteral(R"x(S graphql-transport-ws next 6fe9855e-3ca1-43c5-82b1-97e830250698 {"data":{"countdown":1}})x"),
        QStringLiteral(R"x(S graphql-transport-ws next 6fe9855e-3ca1-43c5-82b1-97e830250698 {"data":{"countdown":0}})x"),
        QStringLiteral(R"x(S graphql-transport-ws complete 6fe9855e-3ca1-43c5-82b1-97e830250698)x"),
        QStringLiteral(R"x(C graphql-transport-ws subscribe 36068f11-d702-43bc-8b19-a2fbc62ab1c7 { nope })x"),
        QStringLiteral(R"x(S graphql-transport-ws error 36068f11-d702-43bc-8b19-a2fbc62ab1c7 [{"message":"Cannot query field \"nope\" on type \"Query\".","locations":[{"line…)x"),
        QStringLiteral(R"x(C graphql-transport-ws subscribe 205e748a-cbe1-4dc7-8497-e705c1599f31 subscription { countdown(from: 100, delayMs: 30) })x"),
        QStringLiteral(R"x(S graphql-transport-ws next 205e748a-cbe1-4dc7-8497-e705c1599f31 {"data":{"countdown":100}})x"),
        QStringLiteral(R"x(C graphql-transport-ws complete 205e748a-cbe1-4dc7-8497-e705c1599f31)x"),
        QStringLiteral(R"x(S graphql-transport-ws next 205e748a-cbe1-4dc7-8497-e705c1599f31 {"data":{"countdown":99}})x"),
        QStringLiteral(R"x(C graphql-transport-ws ping)x"),
        QStringLiteral(R"x(S graphql-transport-ws pong)x"),
        QStringLiteral(R"x(C graphql-transport-ws ping)x"),
        QStringLiteral(R"x(S graphql-transport-ws pong)x"),
        QStringLiteral(R"x(C graphql-transport-ws ping)x"),
        QStringLiteral(R"x(S graphql-transport-ws pong)x"),
        QStringLiteral(R"x(C graphql-transport-ws subscribe 80a1c609-e8bc-4557-8e0d-d68daee2793c subscription { failing })x"),
        QStringLiteral(R"x(S graphql-transport-ws next 80a1c609-e8bc-4557-8e0d-d68daee2793c {"data":{"failing":1}})x"),
    };
    const QList<CapturedMessage> messages = readCapture(QStringLiteral("graphql-transport-ws"));
    QCOMPARE(messages.size(), expected.size());
    GraphQlTransportWsDecoder decoder;
    PairingCheck pairs;
    QStringList summaries;
    for (const CapturedMessage &m : messages) {
        const Decoded d = decoder.decode(m.sender, m.binary, m.payload);
        QVERIFY2(d.ok(), qPrintable(d.summary()));
        summaries << (m.sender == Sender::Client ? QStringLiteral("C ") : QStringLiteral("S ")) + d.summary(100);
        pairs.add(m.sender, d);
    }
    QCOMPARE(summaries, expected);
    QCOMPARE(pairs.unmatched, QStringList());
    // Still open: the subscription the client completed itself, and the one the server's close ended.
    QCOMPARE(pairs.open(), 2);
    QCOMPARE(decoder.state(Sender::Client), QByteArray("connection_init"));
    QCOMPARE(decoder.state(Sender::Server), QByteArray("connection_ack"));
}

void tst_GraphQlDecoder::capturedLegacy()
{
    // subscriptions-transport-ws 0.11.0, client and server (tests/decode/captured): the same
    // operations, keep-alives, a stop while data is on its way, connection_terminate.
    const QStringList expected = {
        QStringLiteral(R"x(C graphql-ws connection_init {"token":"capture"})x"),
        QStringLiteral(R"x(S graphql-ws connection_ack)x"),
        QStringLiteral(R"x(C graphql-ws start 1 Hello)x"),
        QStringLiteral(R"x(S graphql-ws ka)x"),
        QStringLiteral(R"x(S graphql-ws data 1 {"data":{"hello":"Hello capture!"}})x"),
        QStringLiteral(R"x(S graphql-ws complete 1)x"),
        QStringLiteral(R"x(C graphql-ws start 2 { boom })x"),
        QStringLiteral(R"x(S graphql-ws data 2 {"errors":[{"message":"boom","locations":[{"line":1,"column":3}],"path":["boom"]…)x"),
        QStringLiteral(R"x(S graphql-ws complete 2)x"),
        QStringLiteral(R"x(C graphql-ws start 3 subscription { countdown(from: 2) })x"),
        QStringLiteral(R"x(S graphql-ws data 3 {"data":{"countdown":2}})x"),
        QStringLiteral(R"x(S graphql-ws data 3 {"data":{"countdown":1}})x"),
        QStringLiteral(R"x(S graphql-ws data 3 {"data":{"countdown":0}})x"),
        QStringLiteral(R"x(S graphql-ws complete 3)x"),
        QStringLiteral(R"x(C graphql-ws start 4 subscription { failing })x"),
        QStringLiteral(R"x(S graphql-ws data 4 {"data":{"failing":1}})x"),
        QStringLiteral(R"x(S graphql-ws error 4 {"name":"Error","message":"subscription failed"})x"),
        QStringLiteral(R"x(C graphql-ws start 5 { nope })x"),
        QStringLiteral(R"x(S graphql-ws data 5 {"errors":[{"message":"Cannot query field \"nope\" on type \"Query\".","location…)x"),
        QStringLiteral(R"x(S graphql-ws complete 5)x"),
        QStringLiteral(R"x(C graphql-ws start 6 subscription { countdown(from: 100, delayMs: 30) })x"),
        QStringLiteral(R"x(S graphql-ws data 6 {"data":{"countdown":100}})x"),
        QStringLiteral(R"x(C graphql-ws stop 6)x"),
        QStringLiteral(R"x(S graphql-ws data 6 {"data":{"countdown":99}})x"),
        QStringLiteral(R"x(S graphql-ws complete 6)x"),
        QStringLiteral(R"x(S graphql-ws ka)x"),
        QStringLiteral(R"x(S graphql-ws ka)x"),
        QStringLiteral(R"x(C graphql-ws connection_terminate)x"),
    };
    const QList<CapturedMessage> messages = readCapture(QStringLiteral("graphql-ws"));
    QCOMPARE(messages.size(), expected.size());
    GraphQlWsDecoder decoder;
    PairingCheck pairs;
    QStringList summaries;
    for (const CapturedMessage &m : messages) {
        const Decoded d = decoder.decode(m.sender, m.binary, m.payload);
        QVERIFY2(d.ok(), qPrintable(d.summary()));
        summaries << (m.sender == Sender::Client ? QStringLiteral("C ") : QStringLiteral("S ")) + d.summary(100);
        pairs.add(m.sender, d);
    }
    QCOMPARE(summaries, expected);
    QCOMPARE(pairs.unmatched, QStringList());
    QCOMPARE(pairs.open(), 0);
}

void tst_GraphQlDecoder::transportWsConversation()
{
    const QByteArray id(Uuid);
    const QList<Step> steps = {
        { Sender::Client, R"({"type":"connection_init","payload":{"token":"abc"}})", R"(connection_init {"token":"abc"})", "request init" },
        { Sender::Server, R"({"type":"connection_ack"})", "connection_ack", "answer init" },
        { Sender::Client, R"({"id":")" + id + R"(","type":"subscribe","payload":{"query":"subscription { greetings }"}})",
          "subscribe 3f1c2a8e-5b7d-4e9a-8c6f-1d2e3f4a5b6c subscription { greetings }", "request op 3f1c2a8e-5b7d-4e9a-8c6f-1d2e3f4a5b6c" },
        { Sender::Server, R"({"id":")" + id + R"(","type":"next","payload":{"data":{"greetings":"Hi"}}})",
          R"(next 3f1c2a8e-5b7d-4e9a-8c6f-1d2e3f4a5b6c {"data":{"greetings":"Hi"}})", "progress op 3f1c2a8e-5b7d-4e9a-8c6f-1d2e3f4a5b6c" },
        { Sender::Server, R"({"type":"ping"})", "ping", "request ping" },
        { Sender::Client, R"({"type":"pong"})", "pong", "answer ping" },
        { Sender::Server, R"({"id":")" + id + R"(","type":"complete"})", "complete 3f1c2a8e-5b7d-4e9a-8c6f-1d2e3f4a5b6c",
          "answer op 3f1c2a8e-5b7d-4e9a-8c6f-1d2e3f4a5b6c" },
        { Sender::Client, R"({"id":"2","type":"subscribe","payload":{"query":"{ hello }"}})", "subscribe 2 { hello }", "request op 2" },
        { Sender::Server, R"({"id":"2","type":"error","payload":[{"message":"Cannot query field \"hello\" on type \"Query\"."}]})",
          R"(error 2 [{"message":"Cannot query field \"hello\" on type \"Query\"."}])", "answer op 2" },
        // The client ends its own subscription: its own next step.
        { Sender::Client, R"({"id":"3","type":"subscribe","payload":{"query":"subscription { ticks }"}})", "subscribe 3 subscription { ticks }",
          "request op 3" },
        { Sender::Client, R"({"id":"3","type":"complete"})", "complete 3", "continue op 3" },
    };
    GraphQlTransportWsDecoder decoder;
    QCOMPARE(decoder.protocol(), Protocol::GraphQlTransportWs);
    for (const Step &s : steps) {
        const Decoded d = decoder.decode(s.sender, false, s.text);
        QCOMPARE(d.protocol, Protocol::GraphQlTransportWs);
        QVERIFY2(d.ok(), qPrintable(d.summary()));
        QCOMPARE(d.units.size(), 1);
        QCOMPARE(d.units[0].summary, QString::fromUtf8(s.summary));
        QCOMPARE(correlations(d), QString::fromUtf8(s.correlations));
    }
    QCOMPARE(decoder.decode(Sender::Server, false, R"({"type":"connection_ack"})").summary(), QStringLiteral("graphql-transport-ws connection_ack"));
}

void tst_GraphQlDecoder::legacyConversation()
{
    const QList<Step> steps = {
        { Sender::Client, R"({"type":"connection_init","payload":{}})", "connection_init", "request init" },
        { Sender::Server, R"({"type":"connection_ack"})", "connection_ack", "answer init" },
        { Sender::Server, R"({"type":"ka"})", "ka", "" },
        { Sender::Client, R"({"id":"1","type":"start","payload":{"query":"subscription { messageAdded { text } }","variables":{}}})",
          "start 1 subscription { messageAdded { text } }", "request op 1" },
        { Sender::Server, R"({"type":"data","id":"1","payload":{"data":{"messageAdded":{"text":"hi"}}}})",
          R"(data 1 {"data":{"messageAdded":{"text":"hi"}}})", "progress op 1" },
        { Sender::Client, R"({"id":"1","type":"stop"})", "stop 1", "continue op 1" },
        { Sender::Server, R"({"type":"complete","id":"1","payload":null})", "complete 1", "answer op 1" },
        { Sender::Client, R"({"id":"2","type":"start","payload":{"query":"{ nope }","variables":{}}})", "start 2 { nope }", "request op 2" },
        { Sender::Server, R"({"type":"error","id":"2","payload":{"message":"Cannot query field \"nope\" on type \"Query\"."}})",
          R"(error 2 {"message":"Cannot query field \"nope\" on type \"Query\"."})", "answer op 2" },
        { Sender::Client, R"({"type":"connection_terminate","payload":null})", "connection_terminate", "" },
    };
    GraphQlWsDecoder decoder;
    QCOMPARE(decoder.protocol(), Protocol::GraphQlWs);
    for (const Step &s : steps) {
        const Decoded d = decoder.decode(s.sender, false, s.text);
        QCOMPARE(d.protocol, Protocol::GraphQlWs);
        QVERIFY2(d.ok(), qPrintable(d.summary()));
        QCOMPARE(d.units[0].summary, QString::fromUtf8(s.summary));
        QCOMPARE(correlations(d), QString::fromUtf8(s.correlations));
        QVERIFY(decoder.state(s.sender).isEmpty());
    }
    // A rejected connection_init is answered too.
    const Decoded refused = decoder.decode(Sender::Server, false, R"({"type":"connection_error","payload":{"message":"Prohibited connection!"}})");
    QCOMPARE(correlations(refused), QStringLiteral("answer init"));
    // The legacy server runs a start without connection_init and answers a second connection_init.
    GraphQlWsDecoder fresh;
    QVERIFY(fresh.decode(Sender::Client, false, R"({"id":"1","type":"start","payload":{"query":"{ a }"}})").ok());
    QVERIFY(fresh.decode(Sender::Client, false, R"({"type":"connection_init","payload":{}})").ok());
    QVERIFY(fresh.decode(Sender::Client, false, R"({"type":"connection_init","payload":{}})").ok());
}

void tst_GraphQlDecoder::history_data()
{
    // Checked against graphql-ws 5.16.2's server (tests/decode/peers/graphql_server.js): a second
    // connection_init is closed with 4429 "Too many initialisation requests", a subscribe before
    // any connection_init with 4401 "Unauthorized".
    QTest::addColumn<QList<QByteArray>>("before"); // "c:" or "s:" and the message
    QTest::addColumn<QByteArray>("message");
    QTest::addColumn<QString>("error");
    const QByteArray init = R"(c:{"type":"connection_init"})";
    const QByteArray ack = R"(s:{"type":"connection_ack"})";
    QTest::addRow("a second connection_init") << QList<QByteArray> { init, ack } << init
                                              << "a second connection_init (a graphql-ws server closes the connection with 4429 Too many initialisation requests)";
    QTest::addRow("subscribe before connection_init")
        << QList<QByteArray> {} << QByteArray(R"(c:{"id":"1","type":"subscribe","payload":{"query":"{ a }"}})")
        << "subscribe before connection_init (a graphql-ws server closes the connection with 4401 Unauthorized: it runs operations only after its connection_ack)";
    QTest::addRow("next before connection_ack")
        << QList<QByteArray> { init } << QByteArray(R"(s:{"id":"1","type":"next","payload":{"data":{}}})")
        << R"(next before connection_ack (the graphql-ws client closes the connection with 4004 Bad response: "First message cannot be of type next"))";
    QTest::addRow("complete before connection_ack") << QList<QByteArray> {} << QByteArray(R"(s:{"id":"1","type":"complete"})")
                                                    << R"(complete before connection_ack (the graphql-ws client closes the connection with 4004 Bad response: "First message cannot be of type complete"))";
    QTest::addRow("ping before anything is fine") << QList<QByteArray> {} << QByteArray(R"(s:{"type":"ping"})") << "";
    QTest::addRow("pong before anything is fine") << QList<QByteArray> {} << QByteArray(R"(c:{"type":"pong"})") << "";
    QTest::addRow("subscribe after connection_init") << QList<QByteArray> { init, ack }
                                                     << QByteArray(R"(c:{"id":"1","type":"subscribe","payload":{"query":"{ a }"}})") << "";
    QTest::addRow("an invalid connection_init does not count")
        << QList<QByteArray> { R"(c:{"type":"connection_init","payload":"x"})" } << init << "";
}

void tst_GraphQlDecoder::history()
{
    QFETCH(QList<QByteArray>, before);
    QFETCH(QByteArray, message);
    QFETCH(QString, error);
    GraphQlTransportWsDecoder decoder;
    auto feed = [&decoder](const QByteArray &line) {
        return decoder.decode(line.startsWith("c:") ? Sender::Client : Sender::Server, false, line.sliced(2));
    };
    for (const QByteArray &line : before)
        feed(line);
    const Decoded d = feed(message);
    QCOMPARE(d.units.size(), 1);
    QCOMPARE(d.units[0].error, error);
}

void tst_GraphQlDecoder::stateReplays()
{
    // The log keeps each sender's state before a message and decodes the message again from it.
    const QList<std::pair<Sender, QByteArray>> conversation = {
        { Sender::Client, R"({"type":"connection_init"})" },
        { Sender::Server, R"({"type":"connection_ack"})" },
        { Sender::Client, R"({"id":"1","type":"subscribe","payload":{"query":"subscription { a }"}})" },
        { Sender::Server, R"({"id":"1","type":"next","payload":{"data":{"a":1}}})" },
        { Sender::Client, R"({"type":"connection_init"})" }, // the 4429 one
        { Sender::Server, R"({"id":"1","type":"complete"})" },
    };
    GraphQlTransportWsDecoder original;
    QCOMPARE(original.state(Sender::Client), QByteArray());
    QCOMPARE(original.state(Sender::Server), QByteArray());
    QList<QByteArray> states;
    QList<Decoded> decoded;
    for (const auto &[sender, text] : conversation) {
        states << original.state(sender);
        decoded << original.decode(sender, false, text);
    }
    QCOMPARE(states, QList<QByteArray>({ "", "", "connection_init", "connection_ack", "connection_init", "connection_ack" }));
    QVERIFY(!decoded[4].ok());
    for (qsizetype i = 0; i < conversation.size(); ++i) {
        GraphQlTransportWsDecoder replay;
        replay.setState(conversation[i].first, states[i]);
        QCOMPARE(replay.decode(conversation[i].first, false, conversation[i].second), decoded[i]);
    }
    // A state that is not ours reads as none.
    GraphQlTransportWsDecoder other;
    other.setState(Sender::Client, "garbage");
    QCOMPARE(other.state(Sender::Client), QByteArray());
    other.setState(Sender::Client, "connection_init");
    QCOMPARE(other.state(Sender::Client), QByteArray("connection_init"));
    QCOMPARE(other.state(Sender::Server), QByteArray());
}

void tst_GraphQlDecoder::operationFields()
{
    GraphQlTransportWsDecoder decoder;
    decoder.setState(Sender::Client, "connection_init");
    const Decoded d = decoder.decode(Sender::Client, false,
                                     R"({"id":"2","type":"subscribe","payload":{"operationName":"OnMessage","query":"subscription OnMessage($room: ID!) {\n  messages(room: $room) {\n    text\n  }\n}","variables":{"room":"lobby"},"extensions":{"persistedQuery":{"version":1}}}})");
    QVERIFY2(d.ok(), qPrintable(d.summary()));
    const Unit &u = d.units[0];
    QCOMPARE(u.type, QStringLiteral("subscribe"));
    QCOMPARE(u.summary, QStringLiteral("subscribe 2 OnMessage"));
    QCOMPARE(u.fields.size(), 3);
    QCOMPARE(u.fields[0], Field(QStringLiteral("id"), QStringLiteral("2")));
    QCOMPARE(u.fields[1], Field(QStringLiteral("type"), QStringLiteral("subscribe")));
    const Field &payload = u.fields[2];
    QCOMPARE(payload.name, QStringLiteral("payload"));
    QVERIFY(payload.value.startsWith(QLatin1StringView(R"({"operationName":"OnMessage","query":"subscription OnMessage($room: ID!) {\n)")));
    QCOMPARE(payload.children.size(), 4);
    QCOMPARE(payload.children[0], Field(QStringLiteral("operationName"), QStringLiteral("OnMessage")));
    // The query is one field, its lines kept.
    QCOMPARE(payload.children[1],
             Field(QStringLiteral("query"), QStringLiteral("subscription OnMessage($room: ID!) {\n  messages(room: $room) {\n    text\n  }\n}")));
    QCOMPARE(payload.children[2],
             Field(QStringLiteral("variables"), QStringLiteral(R"({"room":"lobby"})"), { Field(QStringLiteral("room"), QStringLiteral("lobby")) }));
    QCOMPARE(payload.children[3].name, QStringLiteral("extensions"));
    QCOMPARE(payload.children[3].children.value(0).children.value(0), Field(QStringLiteral("version"), QStringLiteral("1")));
    // A next's payload is a tree.
    decoder.setState(Sender::Server, "connection_ack");
    const Decoded next = decoder.decode(Sender::Server, false, R"({"id":"2","type":"next","payload":{"data":{"messages":[{"text":"hi"}]}}})");
    QCOMPARE(next.units[0].fields[2].name, QStringLiteral("payload"));
    QCOMPARE(next.units[0].fields[2].value, QStringLiteral(R"({"data":{"messages":[{"text":"hi"}]}})"));
    QCOMPARE(next.units[0].fields[2].children.value(0).name, QStringLiteral("data"));
}

void tst_GraphQlDecoder::wrongSideIsNotPaired()
{
    GraphQlTransportWsDecoder decoder;
    const Decoded d = decoder.decode(Sender::Client, false, R"({"id":"1","type":"next","payload":{"data":{}}})");
    QVERIFY(!d.ok());
    QVERIFY(d.correlations().isEmpty());
    QCOMPARE(d.units[0].type, QStringLiteral("next"));
    const Decoded unknown = decoder.decode(Sender::Client, false, R"({"id":"1","type":"start","payload":{"query":"{ a }"}})");
    QCOMPARE(unknown.units[0].type, QStringLiteral("unknown"));
    QVERIFY(unknown.correlations().isEmpty());
    QCOMPARE(unknown.summary(), QStringLiteral(R"(graphql-transport-ws start 1 {"query":"{ a }"} (unknown type "start" (a graphql-ws server closes the connection with 4400 Bad request)))"));
}

void tst_GraphQlDecoder::refused()
{
    GraphQlTransportWsDecoder transport;
    Decoded d = transport.decode(Sender::Client, true, R"({"type":"ping"})");
    QCOMPARE(d.protocol, Protocol::GraphQlTransportWs);
    QCOMPARE(d.error, QStringLiteral("a binary message (15 bytes): graphql-transport-ws messages are JSON text"));
    d = transport.decode(Sender::Server, false, "[]");
    QCOMPARE(d.error, QStringLiteral("not a message: a message is a JSON object, not an array (the graphql-ws client closes the connection with 4004 Bad response)"));
    QVERIFY(transport.state(Sender::Client).isEmpty());
    GraphQlWsDecoder legacy;
    d = legacy.decode(Sender::Client, true, "x");
    QCOMPARE(d.protocol, Protocol::GraphQlWs);
    QCOMPARE(d.error, QStringLiteral("a binary message (1 byte): graphql-ws messages are JSON text"));
}

void tst_GraphQlDecoder::templates()
{
    const QList<ComposerTemplate> transport = GraphQlTransportWsDecoder::templates();
    QCOMPARE(transport.size(), 3);
    GraphQlTransportWsDecoder decoder;
    for (const ComposerTemplate &t : transport) {
        const Decoded d = decoder.decode(Sender::Client, false, t.text);
        QVERIFY2(d.ok(), qPrintable(d.summary()));
        QCOMPARE(d.units[0].type, t.name);
    }
    QCOMPARE(decoder.decode(Sender::Client, false, transport[1].text).units[0].summary,
             QStringLiteral("subscribe 1 subscription OnMessage { messages { text } }"));
    const QList<ComposerTemplate> legacy = GraphQlWsDecoder::templates();
    QCOMPARE(legacy.size(), 3);
    GraphQlWsDecoder legacyDecoder;
    for (const ComposerTemplate &t : legacy) {
        const Decoded d = legacyDecoder.decode(Sender::Client, false, t.text);
        QVERIFY2(d.ok(), qPrintable(d.summary()));
        QCOMPARE(d.units[0].type, t.name);
    }
}

QTEST_GUILESS_MAIN(tst_GraphQlDecoder)
#include "tst_graphqldecoder.moc"
