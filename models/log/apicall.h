#pragma once

// What a Qt engine's API reported: one signal QWebSocket (or QWebSocketServer) emitted, with its
// arguments, recorded as an event of kind Api beside the frames that crossed the wire. Its payload
// is this call as compact JSON: {"signal":"disconnected","args":[...],"note":"..."}. The note says
// where the API's report differs from what the wire shows (a 1012 close reported as 1002, a ping
// answered without a signal); empty when it does not.

#include <QByteArray>
#include <QJsonArray>
#include <QString>

#include <optional>

struct ApiCall {
    QString signal; // "textMessageReceived"
    QJsonArray args; // strings, numbers, booleans; bytes as {"size":N,"b64":"..."} (see bytesArgument)
    QString note;

    // A message argument is kept up to this many bytes: the frames hold all of it.
    static constexpr qsizetype MaxArgumentBytes = 4 * 1024;
    // The signal name of a finding that no signal reported (a ping answered silently): a fixed
    // token, the same in every language, since files keep it.
    static constexpr const char *NoSignal = "(no signal)";
    // A byte array argument: its size, and its first MaxArgumentBytes in base64.
    static QJsonValue bytesArgument(const QByteArray &bytes);
    // A string argument, cut to MaxArgumentBytes of UTF-8 (a cut string is marked so).
    static QJsonValue textArgument(const QString &text);

    QByteArray toJson() const;
    // Back from an event's payload; nullopt when it is not an API call's JSON.
    static std::optional<ApiCall> fromJson(QByteArrayView json);

    // "textMessageReceived(\"hi\")": the arguments through the display rule, the call cut to about
    // `maxChars` (-1: no cut), then the note, whole.
    QString summary(qsizetype maxChars = -1) const;
};
