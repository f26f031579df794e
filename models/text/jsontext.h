#pragma once

#include <QByteArrayView>
#include <QList>
#include <QString>
#include <QStringView>

#include <optional>

// JSON as text: strict checking with messages a person can act on, and re-indenting without
// re-encoding. An inspector shows what the peer (or the user) wrote: member order, number spelling,
// escapes and duplicate names stay exactly as they were, which a parse and re-serialisation through
// QJsonDocument would not keep (it sorts keys, merges duplicates and rounds numbers).
namespace JsonText {

struct Problem {
    QString message; // "JSON error at position 5 (line 1, column 5): trailing comma before '}'"
    qsizetype position = -1; // index into the input of the offending character
};

// RFC 8259, any value at the top level. Nesting is bounded so "[[[[..." cannot exhaust the stack.
std::optional<Problem> check(QStringView json);
constexpr int MaxDepth = 512;

QString compact(QStringView validJson);
QString pretty(QStringView validJson, int indent = 4);

// True when the first non-space byte opens an object or an array (worth a tree; a bare 42 is not).
bool startsWithContainer(QByteArrayView bytes);

// The document as rows for a tree view, in the document's order, duplicates kept. Keys and string
// values are shown through the display rule (DisplayText), strings cut at MaxValueChars.
struct OutlineRow {
    int depth = 0; // 0 for the top level's members (or the single "(value)" row of a scalar)
    QString key; // member name, "[3]" for an array item, "(value)" for a top-level scalar
    QString value; // the literal, the display form of a string, or "{2 members}" / "[3 items]"
    QString type; // "object", "array", "string", "number", "boolean", "null"; empty for the cut row
};
constexpr int MaxValueChars = 1000;
// Stops after `rowBudget` rows with a last row saying so. `validJson` must have passed check().
QList<OutlineRow> outline(QStringView validJson, int rowBudget);

} // namespace JsonText
