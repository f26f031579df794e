#pragma once

#include "log/wireevent.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QJsonObject>
#include <QString>

// A WireEvent read back from a jsonl line, owning the bytes its views point to.
class StoredEvent {
public:
    WireEvent fields; // header and payload views left empty: use event()
    QByteArray header;
    QByteArray payload;
    QByteArray inflated; // when fields.hasInflated

    // The event with its views pointing into this object (valid while it lives unchanged).
    WireEvent event() const
    {
        WireEvent e = fields;
        e.header = header;
        e.payload = payload;
        if (e.hasInflated)
            e.inflated = inflated;
        return e;
    }
};

// Reads the jsonl that JsonlWriter writes (schema in jsonlwriter.h) back into events, for session
// files. Anything in a line may be wrong or hostile; each problem is named.
namespace JsonlReader {

// Parses one line (with or without its '\n'). On failure returns false and sets `error` to what is
// wrong ("not valid JSON: ...", "unknown kind \"framez\"", ...), quoting file contents by the
// display rule.
bool parseLine(QByteArrayView line, StoredEvent &out, QString &error);
// The same for a line's object already parsed (HAR files carry events as objects).
bool parseObject(const QJsonObject &object, StoredEvent &out, QString &error);

} // namespace JsonlReader
