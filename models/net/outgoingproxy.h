#pragma once

#include <QAbstractSocket>
#include <QCoreApplication>
#include <QNetworkProxy>
#include <QProcessEnvironment>
#include <QString>
#include <QUrl>

#include <optional>

// A proxy server that outgoing connections go through, as corporate networks require: an HTTP
// proxy (a CONNECT tunnel, for ws:// and wss:// alike: wss:// stays encrypted end to end) or a
// SOCKS5 proxy, with a user name and password when the proxy asks for them. Written as curl and the
// proxy environment variables write it: "http://user:pass@host:3128", "socks5://host:1080" (the
// name of the server is looked up here), "socks5h://host" (the proxy looks it up); a missing scheme
// means http, a missing port 1080.
struct OutgoingProxy {
    Q_DECLARE_TR_FUNCTIONS(OutgoingProxy)
public:
    enum class Kind : quint8 { Http, Socks5 };
    Kind kind = Kind::Http;
    QString host;
    quint16 port = DefaultPort;
    QString user; // empty: no authentication
    QString password;
    bool proxyResolvesNames = true; // socks5h (and every HTTP proxy); socks5: looked up here

    static constexpr quint16 DefaultPort = 1080;

    // nullopt with `error` set when the text is not a proxy this engine can use (an https:// proxy,
    // which Qt's sockets cannot speak TLS to; SOCKS4; no host).
    static std::optional<OutgoingProxy> fromUrl(const QString &text, QString *error);
    // SOCKS5 only: what Qt's socket is given.
    QNetworkProxy networkProxy() const;
    // "HTTP proxy 10.0.0.1:3128 (user alice)": for the log; never the password.
    QString description() const;
    // The URL again, the password left out: for settings and the log.
    QString urlWithoutPassword() const;
    // `text` (a proxy URL as typed, valid or not) with any password replaced by "***": what an
    // error may quote, and what settings may keep.
    static QString redacted(const QString &text);

    // An HTTP proxy's tunnel is opened by the connection itself (HttpProxyTunnel): its socket
    // connects to the proxy, which it then asks to CONNECT. Qt's sockets go through SOCKS5 alone.
    bool tunnelsHere() const { return kind == Kind::Http; }
    // Sets `socket` to go through a SOCKS5 `proxy`, or directly (whatever Qt's application-wide
    // proxy is: that is not the user's choice here). Call before connecting.
    static void route(QAbstractSocket *socket, const std::optional<OutgoingProxy> &proxy);
    // What an error of a socket routed here means, naming this proxy; empty when the error is not
    // the proxy's. `reachingProxy`: the socket is connecting to the proxy itself (a tunnel opened
    // here), so a refused connection, for one, is the proxy's.
    QString socketErrorText(const QAbstractSocket *socket, bool reachingProxy) const;
};

// Which proxy outgoing connections use: none, a fixed one, or the one the environment names for
// each server (https_proxy for wss://, http_proxy for ws://, all_proxy for both; no_proxy lists
// the servers reached directly). As Chrome does, loopback servers (localhost, 127.0.0.0/8, ::1) are
// always reached directly when the proxy comes from the environment: the embedded server and local
// peers keep working on a machine whose shell exports a company proxy.
struct ProxySetting {
    Q_DECLARE_TR_FUNCTIONS(ProxySetting)
public:
    enum class Source : quint8 { Environment, Direct, Fixed };
    Source source = Source::Environment;
    OutgoingProxy fixed; // Source::Fixed

    // The proxy for a connection to `target`: nullopt for a direct connection. An unusable value in
    // the environment is an error (`problem` set, nullopt returned) rather than a silent direct
    // connection, which a company network would block with a far less clear message.
    std::optional<OutgoingProxy> proxyFor(const QUrl &target, QString *problem,
                                          const QProcessEnvironment &environment
                                          = QProcessEnvironment::systemEnvironment()) const;

    // no_proxy's rule: a comma- or space-separated list of host names (matching the name and its
    // subdomains; a leading "." or "*." is the same), IP addresses, CIDR blocks and "*" for all; an
    // entry may end in ":PORT" to match that port only.
    static bool bypasses(const QString &noProxy, const QString &host, quint16 port);
    static bool isLoopback(const QString &host);
};
