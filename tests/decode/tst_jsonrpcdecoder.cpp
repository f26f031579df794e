// What the log gets from JsonRpcDecoder: one unit per request or response (per batch element), the
// members as fields exactly as sent, ids as correlation keys ("7" and 7 are different ids, as the
// specification says), and a reason for every message that is not JSON-RPC. Messages as the
// JSON-RPC 2.0 specification's examples and go-ethereum write them.

#include "capturedsession.h"
#include "decode/jsonrpcdecoder.h"

#include <QTest>

using namespace Decode;

namespace {

QString correlations(const Decoded &d)
{
    return d.correlationTexts().join(QStringLiteral("; "));
}

QString fieldText(const QList<Field> &fields)
{
    QStringList out;
    for (const Field &f : fields)
        out << (f.children.isEmpty() ? QStringLiteral("%1=%2").arg(f.name, f.value)
                                     : QStringLiteral("%1=%2{%3}").arg(f.name, f.value, fieldText(f.children)));
    return out.join(QStringLiteral(", "));
}

} // namespace

class tst_JsonRpcDecoder : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void captured();
    void messages_data();
    void messages();
    void batch();
    void refused_data();
    void refused();
    void longIds();
    void templates();
};

void tst_JsonRpcDecoder::captured()
{
    // tests/decode/peers/jsonrpc_server.js and hand-written requests over ws (tests/decode/captured):
    // calls with positional and named params, notifications both ways, every standard error, the
    // client's deliberately broken messages (cut JSON, "jsonrpc": "1.0", a batch with a number in
    // it, an empty batch) and the server's answers to them.
    const QStringList expected = {
        QStringLiteral(R"x(C JSON-RPC call add id 1 [2,3])x"),
        QStringLiteral(R"x(S JSON-RPC result id 1 5)x"),
        QStringLiteral(R"x(C JSON-RPC call add id "two" {"a":1.5,"b":2})x"),
        QStringLiteral(R"x(S JSON-RPC result id "two" 3.5)x"),
        QStringLiteral(R"x(C JSON-RPC call echo id 3 {"text":"héllo ✓","list":[1,null,true]})x"),
        QStringLiteral(R"x(S JSON-RPC result id 3 {"text":"héllo ✓","list":[1,null,true]})x"),
        QStringLiteral(R"x(C JSON-RPC notification notify ["from the client"])x"),
        QStringLiteral(R"x(S JSON-RPC notification notified ["from the client"])x"),
        QStringLiteral(R"x(C JSON-RPC call nosuch id 4)x"),
        QStringLiteral(R"x(S JSON-RPC error -32601 Method not found id 4)x"),
        QStringLiteral(R"x(C JSON-RPC call add id 5 ["x",1])x"),
        QStringLiteral(R"x(S JSON-RPC error -32602 Invalid params id 5)x"),
        QStringLiteral(R"x(C JSON-RPC call fail id 6 {"why":"asked to"})x"),
        QStringLiteral(R"x(S JSON-RPC error -32000 Server error id 6)x"),
        QStringLiteral(R"x(C JSON-RPC: not JSON: JSON error at position 33 (line 1, column 33): unexpected end of input: expected a member name in double quotes)x"),
        QStringLiteral(R"x(S JSON-RPC error -32700 Parse error id null)x"),
        QStringLiteral(R"x(C JSON-RPC call 1 id 7 ("jsonrpc" must be exactly "2.0", not "1.0"))x"),
        QStringLiteral(R"x(S JSON-RPC error -32600 Invalid Request id 7)x"),
        QStringLiteral(R"x(C JSON-RPC call add id 8 [1,1] · notification log ["ignored"] · invalid 1 (a JSON-RPC message is an object, not a number) · call echo id 9 ["batched"])x"),
        QStringLiteral(R"x(S JSON-RPC result id 8 2 · error -32600 Invalid Request id null · result id 9 ["batched"])x"),
        QStringLiteral(R"x(C JSON-RPC notification log [1] · notification log [2])x"),
        QStringLiteral(R"x(C JSON-RPC empty batch (an empty batch is invalid: a server answers it with one Invalid Request error))x"),
        QStringLiteral(R"x(S JSON-RPC error -32600 Invalid Request id null)x"),
        QStringLiteral(R"x(C JSON-RPC call subscribe id 10)x"),
        QStringLiteral(R"x(S JSON-RPC result id 10 "subscribed")x"),
        QStringLiteral(R"x(S JSON-RPC notification tick {"n":1})x"),
        QStringLiteral(R"x(S JSON-RPC notification tick {"n":2})x"),
    };
    const QList<CapturedMessage> messages = readCapture(QStringLiteral("jsonrpc"));
    QCOMPARE(messages.size(), expected.size());
    JsonRpcDecoder decoder;
    PairingCheck pairs;
    QStringList summaries;
    for (const CapturedMessage &m : messages) {
        const Decoded d = decoder.decode(m.sender, m.binary, m.payload);
        // Only the client's broken messages are wrong; every answer of the server is valid.
        if (m.sender == Sender::Server)
            QVERIFY2(d.ok(), qPrintable(d.summary()));
        summaries << (m.sender == Sender::Client ? QStringLiteral("C ") : QStringLiteral("S ")) + d.summary(100);
        pairs.add(m.sender, d);
    }
    QCOMPARE(summaries, expected);
    // The answers to what had no readable id carry id null: they answer no request.
    QCOMPARE(pairs.unmatched, QStringList({ QStringLiteral("S answer id null"), QStringLiteral("S answer id null"),
                                            QStringLiteral("S answer id null") }));
    QCOMPARE(pairs.open(), 0);
}

void tst_JsonRpcDecoder::messages_data()
{
    QTest::addColumn<int>("sender");
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<QString>("type");
    QTest::addColumn<QString>("summary"); // Decoded::summary(): with the protocol's name
    QTest::addColumn<QString>("fields");
    QTest::addColumn<QString>("correlations");
    QTest::addColumn<QString>("error");
    const int client = int(Sender::Client);
    const int server = int(Sender::Server);
    QTest::addRow("call") << client << QByteArray(R"({"jsonrpc":"2.0","method":"getUser","params":{"id":1},"id":7})") << "call"
                          << R"(JSON-RPC call getUser id 7 {"id":1})"
                          << R"(jsonrpc=2.0, method=getUser, params={"id":1}{id=1}, id=7)" << "request id 7" << "";
    QTest::addRow("its result") << server << QByteArray(R"({"jsonrpc":"2.0","result":{"name":"Ada"},"id":7})") << "result"
                                << R"(JSON-RPC result id 7 {"name":"Ada"})" << R"(jsonrpc=2.0, result={"name":"Ada"}{name=Ada}, id=7)"
                                << "answer id 7" << "";
    QTest::addRow("a string id is another id") << server << QByteArray(R"({"jsonrpc": "2.0", "result": 19, "id": "7"})") << "result"
                                               << R"(JSON-RPC result id "7" 19)" << R"(jsonrpc=2.0, result=19, id="7")"
                                               << R"(answer id "7")" << "";
    QTest::addRow("error, with the code's name")
        << server << QByteArray(R"({"jsonrpc":"2.0","error":{"code":-32601,"message":"Method not found"},"id":7})") << "error"
        << "JSON-RPC error -32601 Method not found id 7"
        << R"(jsonrpc=2.0, error={"code":-32601,"message":"Method not found"}{code=-32601, message=Method not found}, id=7, (error code)=-32601: Method not found)"
        << "answer id 7" << "";
    QTest::addRow("notification: nothing to pair") << client << QByteArray(R"({"jsonrpc": "2.0", "method": "update", "params": [1,2,3,4,5]})")
                                                   << "notification" << "JSON-RPC notification update [1,2,3,4,5]"
                                                   << "jsonrpc=2.0, method=update, params=[1,2,3,4,5]{[0]=1, [1]=2, [2]=3, [3]=4, [4]=5}"
                                                   << "" << "";
    QTest::addRow("the server calls the client") << server << QByteArray(R"({"jsonrpc":"2.0","id":5,"method":"ui.confirm","params":["Delete?"]})")
                                                 << "call" << R"(JSON-RPC call ui.confirm id 5 ["Delete?"])"
                                                 << R"(jsonrpc=2.0, id=5, method=ui.confirm, params=["Delete?"]{[0]=Delete?})"
                                                 << "request id 5" << "";
    QTest::addRow("id null answers an unreadable request")
        << server << QByteArray(R"({"jsonrpc": "2.0", "error": {"code": -32700, "message": "Parse error"}, "id": null})") << "error"
        << "JSON-RPC error -32700 Parse error id null"
        << R"(jsonrpc=2.0, error={"code":-32700,"message":"Parse error"}{code=-32700, message=Parse error}, id=null, (error code)=-32700: Parse error)"
        << "answer id null" << "";
    QTest::addRow("1.0 call") << client << QByteArray(R"({ "method": "echo", "params": ["Hello JSON-RPC"], "id": 1})") << "call"
                              << R"(JSON-RPC call echo id 1 ["Hello JSON-RPC"] (version 1.0))"
                              << R"((version)=JSON-RPC 1.0: no "jsonrpc" member, method=echo, params=["Hello JSON-RPC"]{[0]=Hello JSON-RPC}, id=1)"
                              << "request id 1" << "";
    QTest::addRow("1.0 notification") << client << QByteArray(R"({"method": "postMessage", "params": ["Hello all!"], "id": null})")
                                      << "notification" << R"(JSON-RPC notification postMessage ["Hello all!"] (version 1.0))"
                                      << R"((version)=JSON-RPC 1.0: no "jsonrpc" member, method=postMessage, params=["Hello all!"]{[0]=Hello all!}, id=null)"
                                      << "" << "";
    QTest::addRow("a reserved name") << client << QByteArray(R"({"jsonrpc":"2.0","method":"rpc.discover","id":1})") << "call"
                                     << "JSON-RPC call rpc.discover id 1"
                                     << R"(jsonrpc=2.0, method=rpc.discover, id=1, (note)=method names that begin with "rpc." are reserved for rpc-internal methods and extensions)"
                                     << "request id 1" << "";
    // Invalid messages keep what they have: a wrong id pairs with nothing, a good one still does.
    QTest::addRow("fractional id") << client << QByteArray(R"({"jsonrpc":"2.0","method":"m","id":1.5})") << "call"
                                   << "JSON-RPC call m id 1.5 (the id 1.5 has a fractional part, which ids should not have)"
                                   << "jsonrpc=2.0, method=m, id=1.5" << "" << "the id 1.5 has a fractional part, which ids should not have";
    QTest::addRow("both result and error")
        << server << QByteArray(R"({"jsonrpc":"2.0","result":1,"error":{"code":1,"message":"x"},"id":3})") << "error"
        << R"(JSON-RPC error 1 "x" id 3 (a response has "result" or "error", never both))"
        << R"(jsonrpc=2.0, result=1, error={"code":1,"message":"x"}{code=1, message=x}, id=3)" << "answer id 3"
        << R"(a response has "result" or "error", never both)";
    QTest::addRow("not an object in a batch of one") << client << QByteArray("[42]") << "invalid"
                                                     << "JSON-RPC invalid 42 (a JSON-RPC message is an object, not a number)"
                                                     << "(batch)=element 1 of 1, (value)=42" << ""
                                                     << "a JSON-RPC message is an object, not a number";
}

void tst_JsonRpcDecoder::messages()
{
    QFETCH(int, sender);
    QFETCH(QByteArray, text);
    QFETCH(QString, type);
    QFETCH(QString, summary);
    QFETCH(QString, fields);
    QFETCH(QString, correlations);
    QFETCH(QString, error);
    JsonRpcDecoder decoder;
    QCOMPARE(decoder.protocol(), Protocol::JsonRpc);
    const Decoded d = decoder.decode(Sender(sender), false, text);
    QCOMPARE(d.protocol, Protocol::JsonRpc);
    QVERIFY2(d.error.isEmpty(), qPrintable(d.error));
    QCOMPARE(d.units.size(), 1);
    QCOMPARE(d.units[0].type, type);
    QCOMPARE(d.summary(), summary);
    QCOMPARE(fieldText(d.units[0].fields), fields);
    QCOMPARE(::correlations(d), correlations);
    QCOMPARE(d.units[0].error, error);
    QCOMPARE(d.ok(), error.isEmpty());
    // Nothing carries over.
    QVERIFY(decoder.state(Sender::Client).isEmpty());
    QVERIFY(decoder.state(Sender::Server).isEmpty());
}

void tst_JsonRpcDecoder::batch()
{
    JsonRpcDecoder decoder;
    // The specification's mixed batch.
    Decoded d = decoder.decode(Sender::Client, false, R"([
        {"jsonrpc": "2.0", "method": "sum", "params": [1,2,4], "id": "1"},
        {"jsonrpc": "2.0", "method": "notify_hello", "params": [7]},
        {"jsonrpc": "2.0", "method": "subtract", "params": [42,23], "id": "2"},
        {"foo": "boo"},
        {"jsonrpc": "2.0", "method": "foo.get", "params": {"name": "myself"}, "id": "5"},
        {"jsonrpc": "2.0", "method": "get_data", "id": "9"}
    ])");
    QCOMPARE(d.units.size(), 6);
    QVERIFY(!d.ok());
    QCOMPARE(d.units[3].error, QStringLiteral(R"(neither a request (no "method") nor a response (no "result" or "error"))"));
    QCOMPARE(d.units[1].fields.first(), Field(QStringLiteral("(batch)"), QStringLiteral("element 2 of 6")));
    QCOMPARE(::correlations(d), QStringLiteral(R"(request id "1"; request id "2"; request id "5"; request id "9")"));
    QCOMPARE(d.summary(), QStringLiteral(R"(JSON-RPC call sum id "1" [1,2,4] · notification notify_hello [7] · call subtract id "2" [42,23] · invalid {"foo":"boo"} (neither a request (no "method") nor a response (no "result" or "error")) · 2 more)"));

    d = decoder.decode(Sender::Server, false, R"([
        {"jsonrpc": "2.0", "result": 7, "id": "1"},
        {"jsonrpc": "2.0", "result": 19, "id": "2"},
        {"jsonrpc": "2.0", "error": {"code": -32600, "message": "Invalid Request"}, "id": null},
        {"jsonrpc": "2.0", "error": {"code": -32601, "message": "Method not found"}, "id": "5"},
        {"jsonrpc": "2.0", "result": ["hello", 5], "id": "9"}
    ])");
    QVERIFY(d.ok());
    QCOMPARE(::correlations(d), QStringLiteral(R"(answer id "1"; answer id "2"; answer id null; answer id "5"; answer id "9")"));

    // An empty batch is one unit that says why it is invalid.
    d = decoder.decode(Sender::Client, false, "[ ]");
    QCOMPARE(d.units.size(), 1);
    QCOMPARE(d.units[0].type, QStringLiteral("batch"));
    QCOMPARE(d.summary(), QStringLiteral("JSON-RPC empty batch (an empty batch is invalid: a server answers it with one Invalid Request error)"));

    // A huge batch: the first MaxUnits units, then one that counts the rest.
    QByteArray many = "[";
    for (int i = 0; i < JsonRpcDecoder::MaxUnits + 5; ++i)
        many += (i ? "," : "") + QByteArray(R"({"jsonrpc":"2.0","method":"m"})");
    d = decoder.decode(Sender::Client, false, many + ']');
    QCOMPARE(d.units.size(), JsonRpcDecoder::MaxUnits + 1);
    QCOMPARE(d.units.last().summary, QStringLiteral("5 more elements of the batch, not decoded"));
    QVERIFY(d.ok());
}

void tst_JsonRpcDecoder::refused_data()
{
    QTest::addColumn<bool>("binary");
    QTest::addColumn<QByteArray>("payload");
    QTest::addColumn<QString>("error");
    QTest::addRow("binary") << true << QByteArray(R"({"jsonrpc":"2.0","method":"m"})")
                            << "a binary message (30 bytes): JSON-RPC messages are JSON text";
    QTest::addRow("not JSON") << false << QByteArray("hello")
                              << "not JSON: JSON error at position 1 (line 1, column 1): unexpected 'h': expected a value";
    QTest::addRow("a string") << false << QByteArray(R"("hi")")
                              << "not JSON-RPC: a message is an object, or an array of them (a batch), not a string";
}

void tst_JsonRpcDecoder::refused()
{
    QFETCH(bool, binary);
    QFETCH(QByteArray, payload);
    QFETCH(QString, error);
    JsonRpcDecoder decoder;
    const Decoded d = decoder.decode(Sender::Client, binary, payload);
    QCOMPARE(d.protocol, Protocol::JsonRpc);
    QVERIFY(d.units.isEmpty());
    QCOMPARE(d.error, error);
    QVERIFY(!d.ok());
}

void tst_JsonRpcDecoder::longIds()
{
    // Keys stay short, and two long ids that differ only at the end keep different keys.
    JsonRpcDecoder decoder;
    const QByteArray a = R"({"jsonrpc":"2.0","method":"m","id":")" + QByteArray(200, 'x') + "a\"}";
    const QByteArray b = R"({"jsonrpc":"2.0","method":"m","id":")" + QByteArray(200, 'x') + "b\"}";
    const QList<Correlation> ka = decoder.decode(Sender::Client, false, a).correlations();
    const QList<Correlation> kb = decoder.decode(Sender::Client, false, b).correlations();
    QCOMPARE(ka.size(), 1);
    QCOMPARE(kb.size(), 1);
    QVERIFY(ka[0].key.size() < 80);
    QVERIFY(ka[0].key.startsWith("id \"xxx"));
    QVERIFY(ka[0].key != kb[0].key);
    // The answer with the same id gets the same key.
    const QByteArray answer = R"({"jsonrpc":"2.0","result":0,"id":")" + QByteArray(200, 'x') + "a\"}";
    QCOMPARE(decoder.decode(Sender::Server, false, answer).correlations().value(0).key, ka[0].key);
}

void tst_JsonRpcDecoder::templates()
{
    const QList<ComposerTemplate> templates = JsonRpcDecoder::templates();
    QCOMPARE(templates.size(), 2);
    QCOMPARE(templates[0].name, QStringLiteral("call"));
    QCOMPARE(templates[1].name, QStringLiteral("notification"));
    JsonRpcDecoder decoder;
    for (const ComposerTemplate &t : templates) {
        const Decoded d = decoder.decode(Sender::Client, false, t.text);
        QVERIFY2(d.ok(), qPrintable(d.summary()));
        QCOMPARE(d.units[0].type, t.name);
    }
    QCOMPARE(JsonRpcDecoder::call(QStringLiteral("getUser"), R"({"id":1})", 7),
             QByteArray(R"({"jsonrpc":"2.0","method":"getUser","params":{"id":1},"id":7})"));
    QCOMPARE(decoder.decode(Sender::Client, false, JsonRpcDecoder::call(QStringLiteral("getUser"), R"({"id":1})", 7)).summary(),
             QStringLiteral(R"(JSON-RPC call getUser id 7 {"id":1})"));
}

QTEST_GUILESS_MAIN(tst_JsonRpcDecoder)
#include "tst_jsonrpcdecoder.moc"
