// JSON-RPC 2.0 messages as the specification's examples write them (jsonrpc.org/specification,
// section 7), as go-ethereum's rpc package writes them over WebSocket (members in the order
// jsonrpc, id, method, params, error, result), JSON-RPC 1.0 as its specification writes it
// (jsonrpc.org/specification_v1), and every way a message breaks the 2.0 rules, each with its reason.

#include "decode/jsonrpcmessage.h"

#include <QTest>

using namespace JsonRpc;

Q_DECLARE_METATYPE(JsonRpc::Message::Kind)

class tst_JsonRpcMessage : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void valid_data();
    void valid();
    void batch();
    void invalid_data();
    void invalid();
    void refused_data();
    void refused();
    void errorNames_data();
    void errorNames();
    void writing();
};

void tst_JsonRpcMessage::valid_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<JsonRpc::Message::Kind>("kind");
    QTest::addColumn<QByteArray>("id"); // the id's literal; empty: no id
    QTest::addColumn<bool>("version1");
    QTest::addColumn<QString>("summary");
    using K = Message::Kind;
    // The specification's examples, spaces as it writes them.
    QTest::addRow("call, positional params") << QByteArray(R"({"jsonrpc": "2.0", "method": "subtract", "params": [42, 23], "id": 1})")
                                             << K::Call << QByteArray("1") << false << "call subtract id 1 [42,23]";
    QTest::addRow("its result") << QByteArray(R"({"jsonrpc": "2.0", "result": 19, "id": 1})") << K::Result << QByteArray("1")
                                << false << "result id 1 19";
    QTest::addRow("call, named params")
        << QByteArray(R"({"jsonrpc": "2.0", "method": "subtract", "params": {"subtrahend": 23, "minuend": 42}, "id": 3})")
        << K::Call << QByteArray("3") << false << R"(call subtract id 3 {"subtrahend":23,"minuend":42})";
    QTest::addRow("notification") << QByteArray(R"({"jsonrpc": "2.0", "method": "update", "params": [1,2,3,4,5]})")
                                  << K::Notification << QByteArray() << false << "notification update [1,2,3,4,5]";
    QTest::addRow("notification without params") << QByteArray(R"({"jsonrpc": "2.0", "method": "foobar"})") << K::Notification
                                                  << QByteArray() << false << "notification foobar";
    QTest::addRow("string id") << QByteArray(R"({"jsonrpc": "2.0", "method": "foobar", "id": "1"})") << K::Call
                               << QByteArray(R"("1")") << false << R"(call foobar id "1")";
    QTest::addRow("method not found")
        << QByteArray(R"({"jsonrpc": "2.0", "error": {"code": -32601, "message": "Method not found"}, "id": "1"})") << K::Error
        << QByteArray(R"("1")") << false << R"(error -32601 Method not found id "1")";
    QTest::addRow("parse error, id null")
        << QByteArray(R"({"jsonrpc": "2.0", "error": {"code": -32700, "message": "Parse error"}, "id": null})") << K::Error
        << QByteArray("null") << false << "error -32700 Parse error id null";
    QTest::addRow("result is an array") << QByteArray(R"({"jsonrpc": "2.0", "result": ["hello", 5], "id": "9"})") << K::Result
                                        << QByteArray(R"("9")") << false << R"(result id "9" ["hello",5])";
    // The brief's own examples.
    QTest::addRow("getUser") << QByteArray(R"({"jsonrpc":"2.0","method":"getUser","params":{"id":1},"id":7})") << K::Call
                             << QByteArray("7") << false << R"(call getUser id 7 {"id":1})";
    QTest::addRow("Ada") << QByteArray(R"({"jsonrpc":"2.0","result":{"name":"Ada"},"id":7})") << K::Result << QByteArray("7")
                         << false << R"(result id 7 {"name":"Ada"})";
    QTest::addRow("Method not found id 7")
        << QByteArray(R"({"jsonrpc":"2.0","error":{"code":-32601,"message":"Method not found"},"id":7})") << K::Error
        << QByteArray("7") << false << "error -32601 Method not found id 7";
    // go-ethereum over WebSocket: the subscription call, its answer and a notification.
    QTest::addRow("eth_subscribe") << QByteArray(R"({"id":1,"jsonrpc":"2.0","method":"eth_subscribe","params":["newHeads"]})")
                                   << K::Call << QByteArray("1") << false << R"(call eth_subscribe id 1 ["newHeads"])";
    QTest::addRow("geth result") << QByteArray(R"({"jsonrpc":"2.0","id":1,"result":"0x9cef478923ff08bf67fde6c64013158d"})")
                                 << K::Result << QByteArray("1") << false << R"(result id 1 "0x9cef478923ff08bf67fde6c64013158d")";
    QTest::addRow("geth subscription notification")
        << QByteArray(R"({"jsonrpc":"2.0","method":"eth_subscription","params":{"subscription":"0x9ce59a13059e417087c02d3236a0b1cc","result":{"number":"0x1b4"}}})")
        << K::Notification << QByteArray() << false
        // Long parameters are cut at 80 characters.
        << QString::fromUtf8(R"(notification eth_subscription {"subscription":"0x9ce59a13059e417087c02d3236a0b1cc","result":{"number":"0x1b4"}…)");
    QTest::addRow("server error with its own message")
        << QByteArray(R"({"jsonrpc":"2.0","id":2,"error":{"code":-32000,"message":"header not found"}})") << K::Error
        << QByteArray("2") << false << R"(error -32000 Server error "header not found" id 2)";
    QTest::addRow("application error with data")
        << QByteArray(R"({"jsonrpc":"2.0","id":3,"error":{"code":3,"message":"execution reverted","data":"0x08c379a0"}})")
        << K::Error << QByteArray("3") << false << R"(error 3 "execution reverted" id 3)";
    QTest::addRow("negative and big ids are numbers like any other")
        << QByteArray(R"({"jsonrpc":"2.0","method":"m","id":-12345678901234567890})") << K::Call
        << QByteArray("-12345678901234567890") << false << "call m id -12345678901234567890";
    QTest::addRow("rpc. names are reserved, not invalid") << QByteArray(R"({"jsonrpc":"2.0","method":"rpc.discover","id":1})")
                                                          << K::Call << QByteArray("1") << false << "call rpc.discover id 1";
    QTest::addRow("result null") << QByteArray(R"({"jsonrpc":"2.0","result":null,"id":4})") << K::Result << QByteArray("4")
                                 << false << "result id 4 null";
    // JSON-RPC 1.0, as its specification writes it.
    QTest::addRow("1.0 call") << QByteArray(R"({ "method": "echo", "params": ["Hello JSON-RPC"], "id": 1})") << K::Call
                              << QByteArray("1") << true << R"(call echo id 1 ["Hello JSON-RPC"] (version 1.0))";
    QTest::addRow("1.0 result") << QByteArray(R"({ "result": "Hello JSON-RPC", "error": null, "id": 1})") << K::Result
                                << QByteArray("1") << true << R"(result id 1 "Hello JSON-RPC" (version 1.0))";
    QTest::addRow("1.0 notification") << QByteArray(R"({ "method": "postMessage", "params": ["Hello all!"], "id": null})")
                                      << K::Notification << QByteArray("null") << true
                                      << R"(notification postMessage ["Hello all!"] (version 1.0))";
    QTest::addRow("1.0 error") << QByteArray(R"({"result": null, "error": {"code": -32601, "message": "Method not found"}, "id": 5})")
                               << K::Error << QByteArray("5") << true << "error -32601 Method not found id 5 (version 1.0)";
    // Peer text goes through the display rule: a bidi override in a method name is shown, not obeyed.
    QTest::addRow("method with a bidi control") << QByteArray("{\"jsonrpc\":\"2.0\",\"method\":\"a\xe2\x80\xae" "b\"}")
                                                << K::Notification << QByteArray() << false << R"(notification a\u202eb)";
    QTest::addRow("escaped method name") << QByteArray(R"({"jsonrpc":"2.0","method":"new\nline","id":1})") << K::Call
                                         << QByteArray("1") << false << R"(call new\nline id 1)";
}

void tst_JsonRpcMessage::valid()
{
    QFETCH(QByteArray, text);
    QFETCH(JsonRpc::Message::Kind, kind);
    QFETCH(QByteArray, id);
    QFETCH(bool, version1);
    QFETCH(QString, summary);
    QString error;
    const auto parsed = parse(text, &error);
    QVERIFY2(parsed, qPrintable(error));
    QVERIFY(!parsed->batch);
    QCOMPARE(parsed->messages.size(), 1);
    const Message &m = parsed->messages.first();
    QVERIFY2(m.ok(), qPrintable(m.problem));
    QCOMPARE(m.kind, kind);
    QCOMPARE(m.id.value_or(QByteArray()), id);
    QCOMPARE(m.version1, version1);
    QCOMPARE(JsonRpc::summary(m), summary);
    QCOMPARE(m.text, text);
}

void tst_JsonRpcMessage::batch()
{
    // The specification's mixed batch and its answer: calls, a notification, an invalid element.
    const QByteArray calls = R"([
        {"jsonrpc": "2.0", "method": "sum", "params": [1,2,4], "id": "1"},
        {"jsonrpc": "2.0", "method": "notify_hello", "params": [7]},
        {"jsonrpc": "2.0", "method": "subtract", "params": [42,23], "id": "2"},
        {"foo": "boo"},
        {"jsonrpc": "2.0", "method": "foo.get", "params": {"name": "myself"}, "id": "5"},
        {"jsonrpc": "2.0", "method": "get_data", "id": "9"}
    ])";
    auto parsed = parse(calls);
    QVERIFY(parsed);
    QVERIFY(parsed->batch);
    QVERIFY(parsed->problem.isEmpty());
    QCOMPARE(parsed->messages.size(), 6);
    QStringList summaries;
    for (const Message &m : parsed->messages)
        summaries << JsonRpc::summary(m);
    QCOMPARE(summaries,
             QStringList({ QStringLiteral(R"(call sum id "1" [1,2,4])"), QStringLiteral("notification notify_hello [7]"),
                           QStringLiteral(R"(call subtract id "2" [42,23])"), QStringLiteral(R"(invalid {"foo":"boo"})"),
                           QStringLiteral(R"(call foo.get id "5" {"name":"myself"})"), QStringLiteral(R"(call get_data id "9")") }));
    QCOMPARE(parsed->messages[3].problem, QStringLiteral(R"(neither a request (no "method") nor a response (no "result" or "error"))"));
    QCOMPARE(parsed->messages[4].text, QByteArray(R"({"jsonrpc": "2.0", "method": "foo.get", "params": {"name": "myself"}, "id": "5"})"));

    const QByteArray answers = R"([
        {"jsonrpc": "2.0", "result": 7, "id": "1"},
        {"jsonrpc": "2.0", "result": 19, "id": "2"},
        {"jsonrpc": "2.0", "error": {"code": -32600, "message": "Invalid Request"}, "id": null},
        {"jsonrpc": "2.0", "error": {"code": -32601, "message": "Method not found"}, "id": "5"},
        {"jsonrpc": "2.0", "result": ["hello", 5], "id": "9"}
    ])";
    parsed = parse(answers);
    QVERIFY(parsed);
    QCOMPARE(parsed->messages.size(), 5);
    for (const Message &m : parsed->messages)
        QVERIFY2(m.ok(), qPrintable(m.problem));
    QCOMPARE(JsonRpc::summary(parsed->messages[2]), QStringLiteral("error -32600 Invalid Request id null"));

    // "[]": an empty batch is invalid, and "[1,2,3]" is three invalid requests.
    parsed = parse("[]");
    QVERIFY(parsed);
    QVERIFY(parsed->batch);
    QVERIFY(parsed->messages.isEmpty());
    QCOMPARE(parsed->problem, QStringLiteral("an empty batch is invalid: a server answers it with one Invalid Request error"));
    parsed = parse("[1,2,3]");
    QVERIFY(parsed);
    QCOMPARE(parsed->messages.size(), 3);
    for (const Message &m : parsed->messages) {
        QCOMPARE(m.kind, Message::Kind::Invalid);
        QCOMPARE(m.problem, QStringLiteral("a JSON-RPC message is an object, not a number"));
    }
    QCOMPARE(JsonRpc::summary(parsed->messages[2]), QStringLiteral("invalid 3"));
}

void tst_JsonRpcMessage::invalid_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<QString>("summary");
    QTest::addColumn<QString>("problem");
    // The specification's "rpc call with invalid Request object".
    QTest::addRow("method not a string") << QByteArray(R"({"jsonrpc": "2.0", "method": 1, "params": "bar"})")
                                         << R"(notification 1 "bar")" << R"("method" must be a string, not a number)";
    QTest::addRow("params not structured") << QByteArray(R"({"jsonrpc":"2.0","method":"m","params":"bar","id":1})")
                                           << R"(call m id 1 "bar")" << R"("params" must be an array or an object, not a string)";
    QTest::addRow("params a number") << QByteArray(R"({"jsonrpc":"2.0","method":"m","params":42})") << "notification m 42"
                                     << R"("params" must be an array or an object, not a number)";
    QTest::addRow("no jsonrpc, not 1.0 either") << QByteArray(R"({"method":"m","params":{"a":1},"id":1})")
                                                << R"(call m id 1 {"a":1})"
                                                << R"(no "jsonrpc": "2.0" member (nor a JSON-RPC 1.0 request, which has an array "params" and an "id"))";
    QTest::addRow("no jsonrpc in a response") << QByteArray(R"({"result":1,"id":1})") << "result id 1 1"
                                              << R"(no "jsonrpc": "2.0" member (nor a JSON-RPC 1.0 response, which has "result", "error" and "id"))";
    QTest::addRow("jsonrpc 1.0") << QByteArray(R"({"jsonrpc":"1.0","method":"m","id":1})") << "call m id 1"
                                 << R"("jsonrpc" must be exactly "2.0", not "1.0")";
    QTest::addRow("jsonrpc a number") << QByteArray(R"({"jsonrpc":2.0,"method":"m","id":1})") << "call m id 1"
                                      << R"("jsonrpc" must be the string "2.0", not a number)";
    QTest::addRow("both result and error")
        << QByteArray(R"({"jsonrpc":"2.0","result":null,"error":{"code":-32603,"message":"Internal error"},"id":1})")
        << "error -32603 Internal error id 1" << R"(a response has "result" or "error", never both)";
    QTest::addRow("response without id") << QByteArray(R"({"jsonrpc":"2.0","result":19})") << "result 19"
                                         << R"(a response must have an "id": the request's, or null when it could not be read)";
    QTest::addRow("object id") << QByteArray(R"({"jsonrpc":"2.0","method":"m","id":{"n":1}})") << R"(call m id {"n":1})"
                               << R"("id" must be a string, a number or null, not an object)";
    QTest::addRow("array id") << QByteArray(R"({"jsonrpc":"2.0","result":1,"id":[1]})") << "result id [1] 1"
                              << R"("id" must be a string, a number or null, not an array)";
    QTest::addRow("boolean id") << QByteArray(R"({"jsonrpc":"2.0","method":"m","id":true})") << "call m id true"
                                << R"("id" must be a string, a number or null, not a boolean)";
    QTest::addRow("fractional id") << QByteArray(R"({"jsonrpc":"2.0","method":"m","id":1.5})") << "call m id 1.5"
                                   << "the id 1.5 has a fractional part, which ids should not have";
    QTest::addRow("fractional id, exponent") << QByteArray(R"({"jsonrpc":"2.0","method":"m","id":25e-1})") << "call m id 25e-1"
                                             << "the id 25e-1 has a fractional part, which ids should not have";
    QTest::addRow("request with a result") << QByteArray(R"({"jsonrpc":"2.0","method":"m","result":1,"id":1})") << "call m id 1"
                                           << R"(a request has no "result" or "error": it has "method" and also "result")";
    QTest::addRow("error not an object") << QByteArray(R"({"jsonrpc":"2.0","error":"boom","id":1})") << R"(error "boom" id 1)"
                                         << R"("error" must be an object with "code" and "message", not a string)";
    QTest::addRow("error without code") << QByteArray(R"({"jsonrpc":"2.0","error":{"message":"boom"},"id":1})")
                                        << R"(error "boom" id 1)" << R"(the error object has no "code")";
    QTest::addRow("error code a string") << QByteArray(R"({"jsonrpc":"2.0","error":{"code":"-32601","message":"x"},"id":1})")
                                         << R"(error "x" id 1)" << R"(the error's "code" must be an integer, not a string)";
    QTest::addRow("error code fractional") << QByteArray(R"({"jsonrpc":"2.0","error":{"code":1.5,"message":"x"},"id":1})")
                                           << R"(error "x" id 1)" << R"(the error's "code" must be an integer, not 1.5)";
    QTest::addRow("error without message") << QByteArray(R"({"jsonrpc":"2.0","error":{"code":-32602},"id":1})")
                                           << "error -32602 Invalid params id 1" << R"(the error object has no "message")";
    QTest::addRow("error message a number") << QByteArray(R"({"jsonrpc":"2.0","error":{"code":-32602,"message":7},"id":1})")
                                            << "error -32602 Invalid params id 1" << R"(the error's "message" must be a string, not a number)";
    QTest::addRow("neither") << QByteArray(R"({"jsonrpc":"2.0","id":1})") << R"(invalid {"jsonrpc":"2.0","id":1})"
                             << R"(neither a request (no "method") nor a response (no "result" or "error"))";
    QTest::addRow("duplicate id") << QByteArray(R"({"jsonrpc":"2.0","method":"m","id":1,"id":2})") << "call m id 1"
                                  << R"("id" appears 2 times: receivers disagree on which one counts)";
    QTest::addRow("1.0 response with both set") << QByteArray(R"({"result":1,"error":{"code":1,"message":"x"},"id":1})")
                                                << R"(error 1 "x" id 1 (version 1.0))"
                                                << R"(a JSON-RPC 1.0 response sets "result" or "error", the other null; this one sets both)";
    QTest::addRow("1.0 method not a string") << QByteArray(R"({"method":7,"params":[],"id":1})") << "call 7 id 1 [] (version 1.0)"
                                             << R"("method" must be a string, not a number)";
}

void tst_JsonRpcMessage::invalid()
{
    QFETCH(QByteArray, text);
    QFETCH(QString, summary);
    QFETCH(QString, problem);
    const auto parsed = parse(text);
    QVERIFY(parsed);
    QCOMPARE(parsed->messages.size(), 1);
    const Message &m = parsed->messages.first();
    QVERIFY(!m.ok());
    QCOMPARE(m.problem, problem);
    QCOMPARE(JsonRpc::summary(m), summary);
}

void tst_JsonRpcMessage::refused_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<QString>("error");
    // The specification's "rpc call with invalid JSON" and "rpc call Batch, invalid JSON".
    QTest::addRow("invalid JSON") << QByteArray(R"({"jsonrpc": "2.0", "method": "foobar, "params": "bar", "baz])")
                                  << "not JSON: JSON error at position 40 (line 1, column 40): ";
    QTest::addRow("invalid batch JSON")
        << QByteArray(R"([
  {"jsonrpc": "2.0", "method": "sum", "params": [1,2,4], "id": "1"},
  {"jsonrpc": "2.0", "method"
])") << "not JSON: JSON error at position 102 (line 4, column 1): unexpected ']': expected ':' after the member name";
    QTest::addRow("empty") << QByteArray() << "not JSON: JSON error at position 1 (line 1, column 1): empty input";
    QTest::addRow("a number") << QByteArray("42") << "not JSON-RPC: a message is an object, or an array of them (a batch), not a number";
    QTest::addRow("a string") << QByteArray(R"("hello")") << "not JSON-RPC: a message is an object, or an array of them (a batch), not a string";
    QTest::addRow("not UTF-8") << QByteArray("{\"method\":\"\xff\"}") << "not JSON: not UTF-8 text: byte 12 (0xff) cannot be there";
    QTest::addRow("cut in a character") << QByteArray("{\"method\":\"\xc3") << "not JSON: not UTF-8 text: it ends inside a character";
}

void tst_JsonRpcMessage::refused()
{
    QFETCH(QByteArray, text);
    QFETCH(QString, error);
    QString why;
    QVERIFY(!parse(text, &why));
    QVERIFY2(why.startsWith(error), qPrintable(why));
}

void tst_JsonRpcMessage::errorNames_data()
{
    QTest::addColumn<qint64>("code");
    QTest::addColumn<QString>("name");
    QTest::addRow("-32700") << qint64(-32700) << "Parse error";
    QTest::addRow("-32600") << qint64(-32600) << "Invalid Request";
    QTest::addRow("-32601") << qint64(-32601) << "Method not found";
    QTest::addRow("-32602") << qint64(-32602) << "Invalid params";
    QTest::addRow("-32603") << qint64(-32603) << "Internal error";
    QTest::addRow("-32000") << qint64(-32000) << "Server error";
    QTest::addRow("-32099") << qint64(-32099) << "Server error";
    QTest::addRow("-32100") << qint64(-32100) << "Reserved";
    QTest::addRow("-32768") << qint64(-32768) << "Reserved";
    QTest::addRow("-32769") << qint64(-32769) << "";
    QTest::addRow("-31999") << qint64(-31999) << "";
    QTest::addRow("0") << qint64(0) << "";
}

void tst_JsonRpcMessage::errorNames()
{
    QFETCH(qint64, code);
    QFETCH(QString, name);
    QCOMPARE(errorName(code), name);
}

void tst_JsonRpcMessage::writing()
{
    QCOMPARE(call(QStringLiteral("getUser"), R"({"id":1})", 7), QByteArray(R"({"jsonrpc":"2.0","method":"getUser","params":{"id":1},"id":7})"));
    QCOMPARE(call(QStringLiteral("ping"), " ", 1), QByteArray(R"({"jsonrpc":"2.0","method":"ping","id":1})"));
    QCOMPARE(call(QStringLiteral("say \"hi\"\n"), "[1]", 2), QByteArray(R"({"jsonrpc":"2.0","method":"say \"hi\"\n","params":[1],"id":2})"));
    QCOMPARE(notification(QStringLiteral("update"), "[1,2]"), QByteArray(R"({"jsonrpc":"2.0","method":"update","params":[1,2]})"));
    // What we write reads back as what was meant.
    const auto parsed = parse(call(QStringLiteral("say \"hi\"\n"), "[1]", 2));
    QVERIFY(parsed);
    QVERIFY(parsed->messages.first().ok());
    QCOMPARE(parsed->messages.first().method, QStringLiteral("say \"hi\"\n"));
}

QTEST_GUILESS_MAIN(tst_JsonRpcMessage)
#include "tst_jsonrpcmessage.moc"
