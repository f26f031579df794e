#pragma once

#include "decode/decoded.h"
#include "decode/jsonvalues.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QList>
#include <QString>

#include <optional>

// WAMP v2 with the JSON serializer (the WebSocket subprotocol `wamp.2.json`), one text message at a
// time: a JSON array led by the message's type code, its elements named and typed as the WAMP
// specification defines them for the basic and the advanced profile (wamp-proto.org, "Messages"):
// [CALL, Request|id, Options|dict, Procedure|uri, Arguments|list, ArgumentsKw|dict]. A message with
// the wrong number of elements, an element of the wrong type, an id outside 1..2^53, a URI that
// breaks the URI rules or a type that the other role sends is said to be wrong, and how.
namespace Wamp {

enum class Type : int {
    Hello = 1,
    Welcome = 2,
    Abort = 3,
    Challenge = 4,
    Authenticate = 5,
    Goodbye = 6,
    Error = 8,
    Publish = 16,
    Published = 17,
    Subscribe = 32,
    Subscribed = 33,
    Unsubscribe = 34,
    Unsubscribed = 35,
    Event = 36,
    Call = 48,
    Cancel = 49,
    Result = 50,
    Register = 64,
    Registered = 65,
    Unregister = 66,
    Unregistered = 67,
    Invocation = 68,
    Interrupt = 69,
    Yield = 70,
};

// One element after the type code, with the specification's name ("Request", "PUBLISH.Request",
// "Options"); elements beyond the last one the type has are named by position ("[7]").
struct Element {
    QString name;
    JsonValues::Value value;
};

struct Message {
    int code = -1; // the type code; -1 when the array does not start with one
    QByteArray codeText; // the first element as sent; empty for an empty array
    QList<Element> elements;
    QString problem; // the rule it breaks; empty when valid
    bool ok() const { return problem.isEmpty(); }
    bool extension() const { return code >= 256 && code <= 1023; } // implementation-specific
    // The element named `name`, or "X.name" ("Request" finds "CALL.Request"); nullptr when absent.
    const JsonValues::Value *element(QLatin1StringView name) const;
    // An id element's value when it is a valid id (an integer from 1 to 2^53, 0 where allowed).
    std::optional<quint64> id(QLatin1StringView name) const;
    // A boolean member of the Options or Details dictionary ("acknowledge", "progress").
    bool flag(QLatin1StringView name) const;
};

// "CALL"; empty for a code that is not a WAMP message type.
QString typeName(int code);
// The type's elements as the specification writes them: "[CALL, Request|id, Options|dict,
// Procedure|uri, Arguments|list, ArgumentsKw|dict]"; empty for an unknown code.
QString signature(int code);
// Which role sends a type: a client (the side that opened the WebSocket: caller, callee, publisher,
// subscriber), the router, or both. nullopt for an unknown code.
enum class Direction : quint8 { FromClient, FromRouter, Both };
std::optional<Direction> direction(int code);
// The same for a message: an ERROR comes from a client (the callee) when it answers an INVOCATION,
// from the router otherwise.
std::optional<Direction> direction(const Message &message);

// nullopt and a reason when `text` is not JSON or not a JSON array. `sender` checks the direction.
std::optional<Message> parse(Decode::Sender sender, QByteArrayView text, QString *error = nullptr);

// One line: `CALL com.myapp.add2 request 1 [2,3]`, `RESULT request 1 [5]`,
// `EVENT subscription 5512315355 ["Hello"]`; peer text by the display rule, long values shortened.
QString summary(const Message &message);

} // namespace Wamp
