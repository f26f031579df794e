#include "inspect/connectionextras.h"

#include <QSettings>

namespace {
const QString Group = QStringLiteral("connectionExtras");

QString sourceKey(ProxySetting::Source source)
{
    switch (source) {
    case ProxySetting::Source::Environment:
        return QStringLiteral("environment");
    case ProxySetting::Source::Direct:
        return QStringLiteral("direct");
    case ProxySetting::Source::Fixed:
        return QStringLiteral("fixed");
    }
    return {};
}
} // namespace

ConnectionExtras ConnectionExtras::load(const QSettings &settings)
{
    ConnectionExtras e;
    const QString source = settings.value(Group + QStringLiteral("/proxySource")).toString();
    for (const auto s : { ProxySetting::Source::Environment, ProxySetting::Source::Direct, ProxySetting::Source::Fixed })
        if (source == sourceKey(s))
            e.proxySource = s;
    e.proxyUrl = settings.value(Group + QStringLiteral("/proxyUrl")).toString();
    e.proxyUser = settings.value(Group + QStringLiteral("/proxyUser")).toString();
    e.caFile = settings.value(Group + QStringLiteral("/caFile")).toString();
    e.certFile = settings.value(Group + QStringLiteral("/certFile")).toString();
    e.keyFile = settings.value(Group + QStringLiteral("/keyFile")).toString();
    e.keepAliveSeconds = qBound(0, settings.value(Group + QStringLiteral("/keepAliveSeconds"), 0).toInt(), 86'400);
    e.pongTimeoutMs = qBound(1, settings.value(Group + QStringLiteral("/pongTimeoutMs"), 10'000).toInt(), 86'400'000);
    e.reconnect = settings.value(Group + QStringLiteral("/reconnect"), false).toBool();
    e.reconnectPolicy.maxAttempts = qBound(0, settings.value(Group + QStringLiteral("/reconnectAttempts"), 0).toInt(), 1'000'000);
    e.reconnectPolicy.firstDelayMs = qBound(1, settings.value(Group + QStringLiteral("/reconnectFirstMs"), 500).toInt(), 86'400'000);
    e.reconnectPolicy.maxDelayMs = qBound(e.reconnectPolicy.firstDelayMs,
                                          settings.value(Group + QStringLiteral("/reconnectMaxMs"), 30'000).toInt(), 86'400'000);
    return e;
}

void ConnectionExtras::save(QSettings &settings) const
{
    settings.setValue(Group + QStringLiteral("/proxySource"), sourceKey(proxySource));
    // A password typed into the URL is not kept, whatever the dialog let through.
    QString url = proxyUrl;
    if (OutgoingProxy::redacted(url) != url)
        url = OutgoingProxy::redacted(url).replace(QStringLiteral(":***@"), QStringLiteral("@"));
    settings.setValue(Group + QStringLiteral("/proxyUrl"), url);
    settings.setValue(Group + QStringLiteral("/proxyUser"), proxyUser);
    settings.setValue(Group + QStringLiteral("/caFile"), caFile);
    settings.setValue(Group + QStringLiteral("/certFile"), certFile);
    settings.setValue(Group + QStringLiteral("/keyFile"), keyFile);
    settings.setValue(Group + QStringLiteral("/keepAliveSeconds"), keepAliveSeconds);
    settings.setValue(Group + QStringLiteral("/pongTimeoutMs"), pongTimeoutMs);
    settings.setValue(Group + QStringLiteral("/reconnect"), reconnect);
    settings.setValue(Group + QStringLiteral("/reconnectAttempts"), reconnectPolicy.maxAttempts);
    settings.setValue(Group + QStringLiteral("/reconnectFirstMs"), reconnectPolicy.firstDelayMs);
    settings.setValue(Group + QStringLiteral("/reconnectMaxMs"), reconnectPolicy.maxDelayMs);
}

std::optional<OutgoingProxy> ConnectionExtras::fixedProxy(QString *error) const
{
    auto proxy = OutgoingProxy::fromUrl(proxyUrl, error);
    if (!proxy)
        return std::nullopt;
    if (!proxyUser.isEmpty()) {
        proxy->user = proxyUser;
        proxy->password = proxyPassword;
    }
    return proxy;
}

QString ConnectionExtras::summary() const
{
    QStringList parts;
    if (proxySource == ProxySetting::Source::Fixed)
        parts << tr("proxy");
    else if (proxySource == ProxySetting::Source::Direct)
        parts << tr("no proxy");
    if (!caFile.isEmpty())
        parts << tr("own CA");
    if (!certFile.isEmpty())
        parts << tr("client certificate");
    if (keepAliveSeconds > 0)
        parts << tr("keep-alive %1 s").arg(keepAliveSeconds);
    if (reconnect)
        parts << tr("reconnect");
    return parts.join(QStringLiteral(", "));
}

bool ConnectionExtras::applyTo(ConnectionOptions &options, const std::function<std::optional<QByteArray>()> &passphrase,
                               QString *error) const
{
    const auto fail = [error](const QString &why) {
        if (error)
            *error = why;
        return false;
    };
    options.proxy.source = proxySource;
    if (proxySource == ProxySetting::Source::Fixed) {
        QString why;
        const auto proxy = fixedProxy(&why);
        if (!proxy)
            return fail(tr("Proxy: %1").arg(why));
        options.proxy.fixed = *proxy;
    }
    options.tls = ClientTls();
    if (!certFile.isEmpty()) {
        QByteArray secret;
        if (ClientTls::needsPassphrase(certFile, keyFile)) {
            const std::optional<QByteArray> given = passphrase ? passphrase() : std::nullopt;
            if (!given)
                return fail(tr("Client certificate: no passphrase was given for \"%1\"").arg(certFile));
            secret = *given;
        }
        QString why;
        const auto identity = ClientTls::readClientIdentity(certFile, keyFile, secret, &why);
        if (!identity)
            return fail(tr("Client certificate: %1").arg(why));
        options.tls = *identity;
    }
    if (!caFile.isEmpty()) {
        QString why;
        const auto authorities = ClientTls::readCaFile(caFile, &why);
        if (!authorities)
            return fail(tr("Certificate authorities: %1").arg(why));
        options.tls.extraCaCertificates = *authorities;
    }
    options.keepAliveMs = keepAliveSeconds * 1000;
    options.pongTimeoutMs = pongTimeoutMs;
    options.reconnect.reset();
    if (reconnect)
        options.reconnect = reconnectPolicy;
    return true;
}
