#pragma once

#include "decode/decoded.h"
#include "net/clientconnection.h"
#include "net/embeddedserver.h"
#include "net/proxyserver.h"
#include "net/relaysession.h"
#include "net/serverbehaviour.h"

#include <QByteArray>
#include <QHostAddress>
#include <QList>
#include <QString>
#include <QStringList>
#include <QUrl>
#include <optional>

// Process exit codes, documented in the usage text.
namespace ExitCode {
enum : int {
    Clean = 0, // closing handshake completed, no violation seen
    ConnectionFailed = 1, // never reached OPEN: refused, TLS, handshake rejected or timed out
    Usage = 2, // bad command line (or an unusable --capture file)
    Abnormal = 3, // opened, then closed without a clean closing handshake, or a protocol violation recorded
    ExpectationFailed = 4, // --expect: a message expected did not come in time (what came instead is printed)
};
}

// One thing to send once the connection is open; kept in command-line order.
struct CliAction {
    enum class Type { Text, Binary, Ping };
    Type type = Type::Text;
    QByteArray payload;
};

// The parsed command line. parse() checks every value and says precisely what is wrong.
struct CliOptions {
    enum class Mode { Client, Serve, Relay, Proxy, ExportCa, Convert, Help, Version };
    enum class Format { Text, Jsonl };
    enum class ServeMode { Echo, Broadcast };

    Mode mode = Mode::Client;
    Format format = Format::Text;
    QString capturePath;
    // --decode auto|none|PROTOCOL: what messages mean in the protocol on top, printed with them.
    Decode::Choice decode = Decode::Choice::autoDetect();

    // Client
    ConnectionOptions::Engine engine = ConnectionOptions::Engine::Inspector;
    QUrl url;
    HttpHeaders headers;
    QStringList subprotocols; // offered; with --serve, moved to behaviour.subprotocols (accepted)
    QString origin;
    // permessage-deflate offered as browsers do; --no-deflate: none; --deflate PARAMS: this offer.
    std::optional<PerMessageDeflate::Offer> deflate = PerMessageDeflate::Offer();
    bool insecure = false;
    ClientTls tls; // --cacert, --cert, --key, --cert-pass: read and checked by parse()
    ProxySetting proxy; // --via-proxy URL|none; the environment's (https_proxy, ...) by default
    QList<CliAction> actions;
    std::optional<std::pair<quint16, QByteArray>> close; // --close CODE[:REASON]
    // --expect REGEX (repeatable): messages expected, in order, after the sends; --expect-timeout MS
    // for each, counted from the one before (from OPEN for the first); --wait MS: keep reading that
    // long once sent (and expected) before closing.
    QStringList expectations;
    int expectTimeoutMs = 5'000;
    int waitMs = 0;
    int keepAliveMs = 0; // --keepalive: ping this often; 0: never
    int pongTimeoutMs = 10'000; // --pong-timeout
    // --reconnect N: when the connection drops or cannot be made (not when it was closed as asked),
    // try again up to N times in a row (0: without end), waiting as ReconnectSchedule says;
    // --reconnect-delay MS[:MAX_MS]: its first and longest wait.
    std::optional<int> reconnectAttempts;
    int reconnectFirstDelayMs = 500;
    int reconnectMaxDelayMs = 30'000;
    // --run FILE (repeatable): test files (TestScript), each run on a connection of its own to the
    // URL; --junit FILE: their results as JUnit XML.
    QStringList runFiles;
    QString junitPath;
    // --replay FILE: the recorded connection (--replay-conn N; the first by default) sent again to
    // the URL, with --timing recorded|fast, and the server's answers compared with the recording's;
    // --replay-ignore REGEX (repeatable): parts of text answers that may differ; --wait MS: how
    // long the server may be quiet after the last send (2000 by default here).
    QString replayPath;
    quint32 replayConnection = 0;
    bool replayFast = false;
    QStringList replayIgnore;
    bool readStdin = false;
    bool autoPong = true;
    qsizetype fragmentSize = 0;
    std::optional<quint64> maxMessageSize;
    int handshakeTimeoutMs = 10'000;
    int closeTimeoutMs = 5'000;

    // Socket.IO client (--socketio): the URL opens Engine.IO's websocket transport; the namespace is
    // joined once Engine.IO is open, pings answered (unless --no-engine-pong), events emitted once in.
    struct SocketIoEmit {
        QString event;
        QByteArray argument; // JSON; empty: none
    };
    bool socketIo = false;
    QByteArray socketIoNamespace = "/";
    QByteArray socketIoAuth;
    QList<SocketIoEmit> socketIoEmits;
    bool engineIoPong = true;
    int ackTimeoutMs = 5'000;

    // Relay: --relay [PORT] --to URL; --origin, -k, --handshake-timeout and --max-message-size apply
    QUrl relayTo;
    // --intercept-rule FILE (repeatable): match and replace rules for --relay and --proxy.
    std::shared_ptr<const MessageRules> rules;
    // Proxy: --proxy [PORT] [--no-intercept PATTERN]... [--insecure-host PATTERN]...; -k,
    // --handshake-timeout, --max-message-size apply
    QStringList noIntercept;
    QStringList insecureHosts;
    QString exportCaPath; // --export-ca FILE
    QString convertIn, convertOut; // --convert IN OUT
    static constexpr quint16 ProxyPort = 8082;
    // Server and relay
    quint16 port = 8080; // --serve; --relay defaults to RelayPort
    static constexpr quint16 RelayPort = 8081;
    ServeMode serveMode = ServeMode::Echo;
    // --serve --engine: Qt's QWebSocketServer (the default) or the inspector's own.
    EmbeddedServer::Engine serverEngine = EmbeddedServer::Engine::Qt;
    QHostAddress bindAddress = QHostAddress(QHostAddress::LocalHost);
    ServerBehaviour behaviour; // --delay, --fragment, --ping-every, --close-after, --reject, ...

    QStringList warnings; // things done as asked but worth a word (a close code that may not be sent)

    // `arguments` without the program name. On error returns nullopt and sets `error`.
    static std::optional<CliOptions> parse(const QStringList &arguments, QString &error);
    static QString usage();
    static QString versionText();

    ConnectionOptions connectionOptions() const;
    RelayOptions relayOptions() const;
    ProxyOptions proxyOptions() const;
};
