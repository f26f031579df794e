#include "net/outgoingproxy.h"

#include <QHostAddress>
#include <QRegularExpression>

std::optional<OutgoingProxy> OutgoingProxy::fromUrl(const QString &text, QString *error)
{
    const auto failWith = [error](const QString &why) -> std::optional<OutgoingProxy> {
        if (error)
            *error = why;
        return std::nullopt;
    };
    const QString trimmed = text.trimmed();
    if (trimmed.isEmpty())
        return failWith(tr("no proxy given"));
    // curl's rule: "host:3128" is an HTTP proxy.
    const QString full = trimmed.contains(QLatin1String("://")) ? trimmed : QStringLiteral("http://") + trimmed;
    const QUrl url = QUrl(full, QUrl::StrictMode);
    if (!url.isValid()) {
        // Qt's reason quotes the text, password and all: it is asked of the text without it.
        const QString shown = redacted(full);
        return failWith(tr("\"%1\" is not a proxy URL: %2").arg(shown, QUrl(shown, QUrl::StrictMode).errorString()));
    }
    OutgoingProxy proxy;
    const QString scheme = url.scheme().toLower();
    if (scheme == QLatin1String("http")) {
        proxy.kind = Kind::Http;
    } else if (scheme == QLatin1String("socks5") || scheme == QLatin1String("socks5h") || scheme == QLatin1String("socks")) {
        proxy.kind = Kind::Socks5;
        proxy.proxyResolvesNames = scheme == QLatin1String("socks5h");
    } else if (scheme == QLatin1String("https")) {
        return failWith(tr("\"%1\": a proxy reached over TLS (https://) is not supported: Qt's sockets cannot "
                           "run TLS inside TLS. Use the proxy's plain http:// port: wss:// connections "
                           "still cross it encrypted end to end")
                            .arg(url.toString(QUrl::RemoveUserInfo)));
    } else if (scheme.startsWith(QLatin1String("socks4"))) {
        return failWith(tr("\"%1\": SOCKS4 is not supported; use a SOCKS5 proxy (socks5:// or socks5h://)")
                            .arg(url.toString(QUrl::RemoveUserInfo)));
    } else {
        return failWith(tr("\"%1\": unknown proxy scheme \"%2\" (http, socks5 or socks5h)")
                            .arg(url.toString(QUrl::RemoveUserInfo), url.scheme()));
    }
    proxy.host = url.host();
    if (proxy.host.isEmpty())
        return failWith(tr("\"%1\" names no proxy host").arg(url.toString(QUrl::RemoveUserInfo)));
    if (url.port() == 0)
        return failWith(tr("\"%1\": port 0 cannot be connected to").arg(url.toString(QUrl::RemoveUserInfo)));
    proxy.port = url.port() > 0 ? quint16(url.port()) : DefaultPort;
    proxy.user = url.userName(QUrl::FullyDecoded);
    proxy.password = url.password(QUrl::FullyDecoded);
    if (url.path().size() > 1 || url.hasQuery())
        return failWith(tr("\"%1\": a proxy URL has no path or query").arg(url.toString(QUrl::RemoveUserInfo)));
    return proxy;
}

QNetworkProxy OutgoingProxy::networkProxy() const
{
    QNetworkProxy proxy(QNetworkProxy::Socks5Proxy, host, port, user, password);
    if (!proxyResolvesNames)
        proxy.setCapabilities(proxy.capabilities() & ~QNetworkProxy::HostNameLookupCapability);
    return proxy;
}

QString OutgoingProxy::description() const
{
    const QString where = QHostAddress(host).protocol() == QAbstractSocket::IPv6Protocol
        ? QStringLiteral("[%1]:%2").arg(host).arg(port)
        : QStringLiteral("%1:%2").arg(host).arg(port);
    QString text = kind == Kind::Http ? tr("HTTP proxy %1").arg(where)
        : proxyResolvesNames           ? tr("SOCKS5 proxy %1").arg(where)
                                       : tr("SOCKS5 proxy %1 (server names looked up here)").arg(where);
    if (!user.isEmpty())
        text += QLatin1Char(' ') + tr("as \"%1\"").arg(user);
    return text;
}

QString OutgoingProxy::redacted(const QString &text)
{
    // scheme://user:password@ or, without a scheme, user:password@ at the start.
    static const QRegularExpression password(QStringLiteral("^((?:[A-Za-z][A-Za-z0-9+.-]*://)?[^/@:]*):[^/@]*@"));
    QString shown = text;
    shown.replace(password, QStringLiteral("\\1:***@"));
    return shown;
}

QString OutgoingProxy::urlWithoutPassword() const
{
    if (host.isEmpty())
        return {};
    QUrl url;
    url.setScheme(kind == Kind::Http ? QStringLiteral("http")
                      : proxyResolvesNames ? QStringLiteral("socks5h")
                                           : QStringLiteral("socks5"));
    url.setHost(host);
    url.setPort(port);
    url.setUserName(user);
    return url.toString();
}

void OutgoingProxy::route(QAbstractSocket *socket, const std::optional<OutgoingProxy> &proxy)
{
    socket->setProxy(proxy && !proxy->tunnelsHere() ? proxy->networkProxy() : QNetworkProxy(QNetworkProxy::NoProxy));
}

QString OutgoingProxy::socketErrorText(const QAbstractSocket *socket, bool reachingProxy) const
{
    const QString qtText = socket->errorString();
    if (reachingProxy) {
        switch (socket->error()) {
        case QAbstractSocket::ConnectionRefusedError:
            return tr("connection refused by the %1 (is it running?)").arg(description());
        case QAbstractSocket::HostNotFoundError:
            return tr("proxy host not found: %1").arg(host);
        case QAbstractSocket::SocketTimeoutError:
            return tr("the %1 did not answer in time").arg(description());
        default:
            return tr("network error reaching the %1: %2").arg(description(), qtText);
        }
    }
    switch (socket->error()) {
    case QAbstractSocket::ProxyAuthenticationRequiredError:
        return user.isEmpty() ? tr("the %1 asks for a user name and password (give them in the proxy URL: "
                                   "http://user:password@host:port)")
                                    .arg(description())
                              : tr("the %1 did not accept the user name and password").arg(description());
    case QAbstractSocket::ProxyConnectionRefusedError:
        return tr("connection refused by the %1 (is it running?)").arg(description());
    case QAbstractSocket::ProxyConnectionClosedError:
        return tr("the %1 closed the connection before the tunnel was open: %2").arg(description(), qtText);
    case QAbstractSocket::ProxyConnectionTimeoutError:
        return tr("the %1 did not answer in time").arg(description());
    case QAbstractSocket::ProxyNotFoundError:
        return tr("proxy host not found: %1").arg(host);
    case QAbstractSocket::ProxyProtocolError:
        return tr("the %1 answered in a way that is not its protocol: %2").arg(description(), qtText);
    default:
        // Qt reports a proxy's refusal to reach the server (HTTP 403/502, a SOCKS5 rule) as a plain
        // connection error; it names the proxy's answer.
        return {};
    }
}

std::optional<OutgoingProxy> ProxySetting::proxyFor(const QUrl &target, QString *problem,
                                                    const QProcessEnvironment &environment) const
{
    switch (source) {
    case Source::Direct:
        return std::nullopt;
    case Source::Fixed:
        return fixed;
    case Source::Environment:
        break;
    }
    const QString host = target.host();
    if (isLoopback(host))
        return std::nullopt;
    const auto variable = [&environment](const char *lower) -> std::pair<QString, QString> {
        const QString name = QString::fromLatin1(lower);
        for (const QString &each : { name, name.toUpper() }) {
            const QString value = environment.value(each).trimmed();
            if (!value.isEmpty())
                return { each, value };
        }
        return {};
    };
    const bool secure = target.scheme().compare(QLatin1String("wss"), Qt::CaseInsensitive) == 0
        || target.scheme().compare(QLatin1String("https"), Qt::CaseInsensitive) == 0;
    auto [name, value] = variable(secure ? "https_proxy" : "http_proxy");
    if (value.isEmpty())
        std::tie(name, value) = variable("all_proxy");
    if (value.isEmpty())
        return std::nullopt;
    const quint16 port = quint16(target.port(secure ? 443 : 80));
    if (bypasses(variable("no_proxy").second, host, port))
        return std::nullopt;
    QString why;
    auto proxy = OutgoingProxy::fromUrl(value, &why);
    if (!proxy && problem)
        *problem = tr("the environment's %1: %2").arg(name, why);
    return proxy;
}

bool ProxySetting::isLoopback(const QString &host)
{
    if (host.compare(QLatin1String("localhost"), Qt::CaseInsensitive) == 0
        || host.endsWith(QLatin1String(".localhost"), Qt::CaseInsensitive))
        return true;
    const QHostAddress address(host);
    return !address.isNull() && address.isLoopback();
}

bool ProxySetting::bypasses(const QString &noProxy, const QString &host, quint16 port)
{
    const QHostAddress address(host);
    // Names compared in their ASCII form (an international name typed either way), without the
    // trailing dot of a fully qualified name.
    const auto normalized = [](QString n) {
        if (n.endsWith(QLatin1Char('.')))
            n.chop(1);
        const QByteArray ace = QUrl::toAce(n);
        return ace.isEmpty() ? n.toLower() : QString::fromLatin1(ace).toLower();
    };
    const QString name = normalized(host);
    for (QString entry : noProxy.split(QRegularExpression(QStringLiteral("[,\\s]+")), Qt::SkipEmptyParts)) {
        if (entry == QLatin1String("*"))
            return true;
        // A port: "host:8080", "[::1]:8080"; an IPv6 address alone has colons too.
        std::optional<quint16> entryPort;
        const qsizetype colon = entry.lastIndexOf(QLatin1Char(':'));
        if (colon > 0 && (entry.startsWith(QLatin1Char('[')) || entry.count(QLatin1Char(':')) == 1)) {
            bool ok = false;
            const uint value = entry.mid(colon + 1).toUInt(&ok);
            if (ok && value <= 65535) {
                entryPort = quint16(value);
                entry.truncate(colon);
            }
        }
        if (entry.startsWith(QLatin1Char('[')) && entry.endsWith(QLatin1Char(']')))
            entry = entry.mid(1, entry.size() - 2);
        if (entryPort && *entryPort != port)
            continue;
        if (!address.isNull()) {
            const auto subnet = QHostAddress::parseSubnet(entry);
            if (subnet.first.isNull() ? QHostAddress(entry) == address : address.isInSubnet(subnet))
                return true;
            continue;
        }
        if (entry.startsWith(QLatin1String("*.")))
            entry.remove(0, 2);
        else if (entry.startsWith(QLatin1Char('.')))
            entry.remove(0, 1);
        entry = normalized(entry);
        if (!entry.isEmpty() && (name == entry || name.endsWith(QLatin1Char('.') + entry)))
            return true;
    }
    return false;
}
