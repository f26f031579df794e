#pragma once

// What the fuzz targets of the protocol decoders on top (models/decode/) share: the input read as a
// conversation, and the invariants every Decode::Decoded keeps whatever the bytes.
//
// Input layout: messages separated by NUL bytes (no JSON text holds a raw NUL), each led by one
// byte whose bit 0 is the sender (0 client, 1 server) and bit 1 the opcode (0 text, 2 binary):
// "0" a client's text message, "1" a server's, "2" and "3" binary. A target may take option bytes
// first (see its top).

#include "decode/decoded.h"
#include "log/decodedjson.h"
#include "fuzzinput.h"

#include <QJsonDocument>

struct FuzzMessage {
    Decode::Sender sender = Decode::Sender::Client;
    bool binary = false;
    QByteArrayView payload;
};

inline QList<FuzzMessage> splitConversation(QByteArrayView bytes)
{
    QList<FuzzMessage> out;
    qsizetype start = 0;
    while (start <= bytes.size()) {
        qsizetype end = bytes.indexOf('\0', start);
        if (end < 0)
            end = bytes.size();
        if (end > start) {
            const auto lead = quint8(bytes[start]);
            out << FuzzMessage { (lead & 1) ? Decode::Sender::Server : Decode::Sender::Client, (lead & 2) != 0,
                                 bytes.sliced(start + 1, end - start - 1) };
        }
        start = end + 1;
    }
    return out;
}

inline bool isOneLine(const QString &text)
{
    return !text.contains(QLatin1Char('\n')) && !text.contains(QLatin1Char('\r'));
}

// Whatever the bytes: a refusal has a reason and no units, anything else has units; every unit has a
// type and a one-line summary; every correlation has a short, non-empty key; the log's line is one
// line; ok() agrees with the errors; the jsonl form can be written.
inline void checkDecoded(const Decode::Decoded &d, Decode::Protocol protocol, QByteArrayView payload)
{
    FUZZ_CHECK(d.protocol == protocol, hexOf(payload));
    FUZZ_CHECK(d.units.isEmpty() == !d.error.isEmpty(), QStringLiteral("%1: %2").arg(d.error, hexOf(payload)));
    bool unitsOk = true;
    for (const Decode::Unit &u : d.units) {
        FUZZ_CHECK(!u.type.isEmpty(), hexOf(payload));
        FUZZ_CHECK(!u.summary.isEmpty() && isOneLine(u.summary), u.summary);
        FUZZ_CHECK(isOneLine(u.type), u.type);
        unitsOk = unitsOk && u.error.isEmpty();
        for (const Decode::Correlation &c : u.correlations)
            FUZZ_CHECK(!c.key.isEmpty() && c.key.size() <= 128, QString::fromUtf8(c.key));
    }
    FUZZ_CHECK(d.ok() == (d.error.isEmpty() && unitsOk), d.summary());
    FUZZ_CHECK(isOneLine(d.summary()), d.summary());
    // The jsonl form is one valid JSON object, whatever the peer's bytes held.
    QJsonParseError error;
    const QJsonDocument written = QJsonDocument::fromJson(DecodedJson::toJson(d), &error);
    FUZZ_CHECK(error.error == QJsonParseError::NoError && written.isObject(), error.errorString());
}
