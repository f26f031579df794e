#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QList>
#include <QString>
#include <QStringList>
#include <QStringView>
#include <QtGlobal>

// How the embedded server answers, beyond echo and broadcast: the settings of a test server. A plain
// value shared by the server panel, `wsinspector-cli --serve` and EmbeddedServer; the defaults make
// a plain echo server. problems() checks every field and says precisely what is wrong, so that the
// panel and the command line report the same thing.
struct ServerBehaviour {
    enum class Setting {
        ReplyDelay,
        FragmentSize,
        PingInterval,
        CloseAfter,
        CloseCode,
        CloseReason,
        RejectStatus,
        Subprotocols,
        AllowedOrigins,
        MaxClients,
        MaxMessageSize,
    };
    struct Problem {
        Setting setting;
        QString message; // "3000001 ms is more than an hour (at most 3600000)"; names no option or field
    };

    static constexpr int MaxReplyDelayMs = 3'600'000; // an hour
    static constexpr int MinPingIntervalMs = 100; // below this a ping "test" is a flood
    static constexpr int MaxPingIntervalMs = 86'400'000; // a day
    static constexpr int MaxCloseReasonBytes = 123; // a close frame's payload is at most 125 bytes
    static constexpr int MaxClientsLimit = 100'000;
    // Qt 6.4.2's own ceilings (QWebSocket::maxOutgoingFrameSize(), maxIncomingMessageSize()): 2^31 - 2.
    static constexpr qint64 MaxFragmentSize = 2'147'483'646;
    static constexpr quint64 MaxMessageSizeLimit = 2'147'483'646;
    static constexpr quint64 DefaultMaxMessageSize = 64 * 1024 * 1024;

    int replyDelayMs = 0; // echo/broadcast replies wait this long; 0: at once
    qint64 fragmentSize = 0; // replies split into frames of this many payload bytes; 0: Qt's default (512 KiB)
    int pingIntervalMs = 0; // every client is pinged this often; 0: never
    int closeAfterMessages = 0; // after answering this many messages of a client, close it; 0: never
    quint16 closeCode = 1000;
    QString closeReason;
    int rejectStatus = 0; // every handshake is answered with this HTTP status (400-599); 0: accept
    QStringList subprotocols; // accepted; when set, a client must offer one. Empty: none negotiated
    QStringList allowedOrigins; // when set, the Origin header must be one of these (403 otherwise)
    int maxClients = 0; // further handshakes get 503 while this many are connected; 0: no limit
    quint64 maxMessageSize = DefaultMaxMessageSize; // larger frames or messages: Qt closes with 1009

    QList<Problem> problems() const;
    bool isValid() const { return problems().isEmpty(); }
    bool isDefault() const { return *this == ServerBehaviour {}; }
    // For logs: "reply after 200 ms, frames of 4 bytes, ..." naming only what differs from the
    // defaults; "defaults" when nothing does.
    QString toString() const;

    // The Origin header value allowed? (ASCII case-insensitive, as origins are serialized lowercase.)
    bool allowsOrigin(QByteArrayView origin) const;
    // The first subprotocol the client offered (in its order of preference) that `subprotocols`
    // accepts; empty if none.
    QString selectSubprotocol(const QList<QByteArray> &offered) const;

    // "subprotocols", "reply delay": what a problem is about, for messages that need a subject.
    static QString settingName(Setting setting);
    // The standard reason phrase of an HTTP status ("Forbidden"); "Client Error" / "Server Error"
    // for unregistered 4xx / 5xx codes.
    static QByteArray reasonPhrase(int status);
    // Statuses offered first in pickers and help: 400, 401, 403, 404, 426, 429, 500, 503.
    static QList<int> commonRejectStatuses();
    // An HTTP token (RFC 9110 §5.6.2), what a subprotocol name must be (RFC 6455 §4.1).
    static bool isToken(QStringView text);
    // Empty if `origin` is usable in an allow-list, else why not.
    static QString originProblem(const QString &origin);
    // "chat, superchat" -> {"chat", "superchat"}: comma or space separated, empties dropped.
    static QStringList splitList(const QString &text);

    friend bool operator==(const ServerBehaviour &, const ServerBehaviour &) = default;
};
