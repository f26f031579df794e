#pragma once

#include "decode/decoded.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QList>
#include <QString>

#include <optional>

// Reading a JSON message one level at a time while keeping every value's text exactly as sent: what
// the JSON-based decoders of this room (JSON-RPC, GraphQL over WebSocket, WAMP) show in their
// fields and key their correlations on. QJsonDocument would merge duplicate names, reorder members
// and round numbers, so it only reads single scalar values here (a string's text, a number).
namespace JsonValues {

enum class Kind : quint8 { Object, Array, String, Number, Boolean, Null };

struct Value {
    Kind kind = Kind::Null;
    QByteArray text; // exactly as sent, without the white space around it
};

struct Member {
    QString name; // decoded
    Value value;
};

// Why `message` is not one JSON text (not UTF-8, or JsonText::check()'s error with its position);
// nullopt when it is one.
std::optional<QString> problem(QByteArrayView message);

// The functions below take text that problem() accepted (or a value taken out of such text).
Kind kindOf(QByteArrayView value);
QList<Member> members(QByteArrayView object); // in the order sent, duplicates kept
QList<Value> items(QByteArrayView array);
QString string(QByteArrayView stringValue); // the decoded text of a JSON string
std::optional<double> number(QByteArrayView numberValue);
QString compact(QByteArrayView value); // JsonText::compact(): white space between tokens removed

// "an object", "an array", "a string", "a number", "a boolean", "null": for error messages.
QString kindName(Kind kind);

// The members named `name`: the first one, and how many there are (a duplicate is worth saying).
const Value *find(const QList<Member> &members, QLatin1StringView name, int *count = nullptr);
// The pointer points into `members`: a temporary list would leave it dangling.
const Value *find(QList<Member> &&members, QLatin1StringView name, int *count = nullptr) = delete;

// A field of the payload tree for `value`: a string's text, a number's or a literal's spelling, a
// container's compact text with its members or items as children (Decode::jsonFields()).
Decode::Field field(const QString &name, const Value &value);

// A correlation key: `prefix` and `text`, with a long text shortened to its start and a hash so
// that keys stay short while different texts keep different keys.
QByteArray key(QByteArrayView prefix, QByteArrayView text);

} // namespace JsonValues
