#pragma once

#include "net/clientengine.h"

#include <QCoreApplication>
#include <QString>

#include <functional>
#include <optional>

class QSettings;

// What the connection bar's settings dialog adds to the connections the user opens, as it is
// remembered from one run to the next: the proxy, the files for TLS (certificate authorities of
// one's own, a client certificate and its key), keep-alive and reconnecting. The proxy's password
// and the certificate's passphrase are never written to the settings: they are kept for this run.
struct ConnectionExtras {
    Q_DECLARE_TR_FUNCTIONS(ConnectionExtras)
public:
    ProxySetting::Source proxySource = ProxySetting::Source::Environment;
    QString proxyUrl; // http://host:port, socks5://..., socks5h://...; no credentials
    QString proxyUser;
    QString proxyPassword; // this run only
    QString caFile; // trusted besides the system's
    QString certFile; // a client certificate: PEM (with its key, or keyFile) or PKCS#12
    QString keyFile;
    int keepAliveSeconds = 0; // 0: no keep-alive
    int pongTimeoutMs = 10'000;
    bool reconnect = false;
    ReconnectPolicy reconnectPolicy;

    static ConnectionExtras load(const QSettings &settings);
    void save(QSettings &settings) const;

    // The proxy these settings name; nullopt with `error` when the URL cannot be used.
    std::optional<OutgoingProxy> fixedProxy(QString *error) const;
    // What is set besides the defaults, for the button that opens the dialog: "proxy, client
    // certificate, keep-alive, reconnect"; empty when nothing is.
    QString summary() const;
    // Puts them on `options`: the proxy, the TLS files read (a client certificate that needs a
    // passphrase asks `passphrase` for it: nullopt is the user's cancel), keep-alive, reconnect.
    // False with `error` naming the field and the problem.
    bool applyTo(ConnectionOptions &options, const std::function<std::optional<QByteArray>()> &passphrase,
                 QString *error) const;
};
