#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QList>
#include <QString>
#include <QtGlobal>

// RFC 6455 §7.4 and the IANA "WebSocket Close Code Number Registry": names and meanings, and the
// rules on which codes may be sent and which may appear on the wire. The inspector labels codes;
// it never rejects a valid one (1012-1014 and 3000-4999 are valid).
struct CloseCodeInfo {
    quint16 code = 0;
    QString name; // "Normal Closure", "Service Restart", "Private use" ...: untranslated; label() translates it
    QString meaning; // one sentence a learner understands
    bool validOnWire = false; // 1000-1003, 1007-1014, 3000-4999
    bool reserved = false; // 1004, 1005, 1006, 1015: must never be sent in a close frame
    QString source; // "RFC 6455", "IANA", "private use", "unassigned"
};

namespace CloseCodes {
enum : quint16 {
    NormalClosure = 1000,
    GoingAway = 1001,
    ProtocolError = 1002,
    UnsupportedData = 1003,
    Reserved1004 = 1004,
    NoStatusReceived = 1005,
    AbnormalClosure = 1006,
    InvalidPayloadData = 1007,
    PolicyViolation = 1008,
    MessageTooBig = 1009,
    MandatoryExtension = 1010,
    InternalError = 1011,
    ServiceRestart = 1012,
    TryAgainLater = 1013,
    BadGateway = 1014,
    TlsHandshake = 1015,
};

bool isValidOnWire(quint16 code);
inline bool maySend(quint16 code) { return isValidOnWire(code); }
bool isReserved(quint16 code);
// Any 0..65535: registered codes by name, ranges (0-999 unused, 1016-2999 reserved for the
// protocol, 3000-3999 registered by libraries/frameworks, 4000-4999 private use, >= 5000 invalid).
CloseCodeInfo info(quint16 code);
// "1000 Normal Closure"
QString label(quint16 code);
// `text` as a close reason: its UTF-8, cut on a character boundary to the 123 bytes a close
// frame leaves after the code.
QByteArray fittingReason(const QString &text);
// The registered codes 1000-1015 in order, for pickers and help text.
QList<CloseCodeInfo> registry();
} // namespace CloseCodes

// What a close frame's payload says. Empty payload: no code (the receiver reports 1005).
struct ClosePayload {
    bool hasCode = false;
    quint16 code = 0;
    QByteArray reason; // raw bytes; may be invalid UTF-8 (the parser reports that as a violation)
    static ClosePayload parse(QByteArrayView payload); // a 1-byte payload yields hasCode = false
};
