#pragma once

#include "decode/jsonvalues.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QList>
#include <QString>

#include <optional>

// JSON-RPC 2.0 (jsonrpc.org/specification) in a WebSocket text message: a request (a call, with an
// id, or a notification, without), a response (a result or an error), or a batch of them in an
// array. Each is checked against every rule of the specification, with the rule a message breaks
// in words a person can act on. JSON-RPC 1.0 messages (no "jsonrpc" member, "params" an array, a
// notification's "id" null, a response with both "result" and "error", one of them null) are read
// too and said to be 1.0. Values are kept exactly as sent: ids "7" and 7 are different ids.
namespace JsonRpc {

struct Message {
    enum class Kind : quint8 { Call, Notification, Result, Error, Invalid };
    Kind kind = Kind::Invalid; // for a message that breaks a rule: what it most looks like
    bool version1 = false; // the JSON-RPC 1.0 shape
    QByteArray text; // the object (or batch element) as sent
    QList<JsonValues::Member> members; // its members in the order sent; empty when not an object
    QString method; // call and notification: the method's name (decoded)
    std::optional<QByteArray> params; // as sent
    std::optional<QByteArray> id; // the id's JSON literal as sent: "7", 7, null
    std::optional<QByteArray> result; // as sent
    std::optional<QByteArray> error; // the error object as sent
    std::optional<qint64> code; // the error's code, when it is an integer
    QString errorMessage; // the error's "message"
    QString problem; // the rule it breaks; empty when it is a valid message
    bool reservedMethod = false; // "rpc." names are reserved for rpc-internal methods and extensions
    bool ok() const { return problem.isEmpty(); }
    bool idUsable() const; // an id of a type ids have (string, number or null): worth pairing on
};

struct Parsed {
    bool batch = false; // the message is an array: one Message per element
    QList<Message> messages;
    QString problem; // about the batch as a whole (an empty batch)
};

// nullopt and a reason when `text` is not JSON, or JSON that is neither an object nor an array.
std::optional<Parsed> parse(QByteArrayView text, QString *error = nullptr);

// "call", "notification", "result", "error", "invalid": Unit.type.
QString typeName(Message::Kind kind);
// The specification's name for a pre-defined error code: "Method not found", "Server error" for
// -32000..-32099, "Reserved" for the rest of -32768..-32000; empty for application codes.
QString errorName(qint64 code);
// One line: `call getUser id 7 {"id":1}`, `notification update [1,2]`, `result id 7 {"name":"Ada"}`,
// `error -32601 Method not found id 7`; peer text by the display rule, long values shortened.
QString summary(const Message &message);

// A call as the composer writes it: {"jsonrpc":"2.0","method":...,"params":...,"id":...}, the
// params inserted as given (left out when empty), the method escaped as a JSON string.
QByteArray call(const QString &method, QByteArrayView paramsJson, qint64 id);
QByteArray notification(const QString &method, QByteArrayView paramsJson);

} // namespace JsonRpc
