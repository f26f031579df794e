#include "net/httpproxytunnel.h"

#include "text/displaytext.h"

#include <QHostAddress>

HttpProxyTunnel::HttpProxyTunnel(const OutgoingProxy &proxy, const QString &host, quint16 port, qsizetype maxHeadBytes)
    : m_proxy(proxy)
    , m_host(host)
    , m_port(port)
    // A refusal's body is not needed: the status line and headers say what happened.
    , m_parser(maxHeadBytes, 0)
{
}

QString HttpProxyTunnel::target() const
{
    // An IPv6 address is bracketed in the authority form (RFC 9110 §9.3.6, RFC 3986 §3.2.2).
    const bool ipv6 = QHostAddress(m_host).protocol() == QAbstractSocket::IPv6Protocol;
    return (ipv6 ? QStringLiteral("[%1]:%2") : QStringLiteral("%1:%2")).arg(m_host).arg(m_port);
}

QByteArray HttpProxyTunnel::request() const
{
    // An international domain name goes as its ASCII form, as in the Host header of the request.
    QByteArray host = QHostAddress(m_host).isNull() ? QUrl::toAce(m_host) : m_host.toLatin1();
    if (host.isEmpty())
        host = m_host.toUtf8();
    const bool ipv6 = QHostAddress(m_host).protocol() == QAbstractSocket::IPv6Protocol;
    const QByteArray authority = (ipv6 ? '[' + host + ']' : host) + ':' + QByteArray::number(m_port);
    QByteArray request = "CONNECT " + authority + " HTTP/1.1\r\nHost: " + authority + "\r\n";
    if (!m_proxy.user.isEmpty())
        request += "Proxy-Authorization: Basic "
            + (m_proxy.user.toUtf8() + ':' + m_proxy.password.toUtf8()).toBase64() + "\r\n";
    request += "\r\n";
    return request;
}

HttpProxyTunnel::Status HttpProxyTunnel::feed(QByteArrayView bytes)
{
    if (m_status != Status::NeedMore)
        return m_status;
    const qsizetype fedBefore = m_parser.receivedBytes().size();
    const auto parsed = m_parser.feed(bytes);
    if (parsed == ResponseParser::Status::Error)
        return refuse(tr("the %1 did not answer CONNECT in HTTP: %2").arg(m_proxy.description(), m_parser.errorString()));
    if (!m_parser.headComplete())
        return m_status;
    const HttpResponse &response = m_parser.response();
    if (response.status / 100 == 2) {
        // A 2xx answer to CONNECT has no body (RFC 9110 §9.3.6): what follows is the server's.
        const qsizetype used = m_parser.headSize() - fedBefore;
        m_leftover = bytes.sliced(qBound<qsizetype>(0, used, bytes.size())).toByteArray();
        m_status = Status::Open;
        return m_status;
    }
    const QString answer
        = QStringLiteral("%1 %2").arg(response.status).arg(DisplayText::line(response.reason, 200));
    if (response.status == 407) {
        const QList<QByteArray> challenges = HttpHeaderList::values(response.headers, "Proxy-Authenticate");
        bool offersBasic = challenges.isEmpty();
        QStringList schemes;
        for (const QByteArray &challenge : challenges) {
            const QByteArray scheme = challenge.trimmed().split(' ').value(0);
            offersBasic = offersBasic || scheme.compare("Basic", Qt::CaseInsensitive) == 0;
            schemes << DisplayText::line(scheme, 40);
        }
        if (!offersBasic)
            return refuse(tr("the %1 answered %2: it asks for %3 authentication, which is not supported here "
                             "(Basic is)")
                              .arg(m_proxy.description(), answer, schemes.join(QStringLiteral(", "))));
        if (m_proxy.user.isEmpty())
            return refuse(tr("the %1 answered %2: give a user name and password in the proxy URL "
                             "(http://user:password@host:port)")
                              .arg(m_proxy.description(), answer));
        return refuse(tr("the %1 answered %2: the user name and password were not accepted")
                          .arg(m_proxy.description(), answer));
    }
    if (response.status == 401 && !m_proxy.user.isEmpty()) // tinyproxy's answer to wrong credentials
        return refuse(tr("the %1 answered %2: the user name and password were not accepted")
                          .arg(m_proxy.description(), answer));
    return refuse(tr("the %1 refused the tunnel to %2: %3").arg(m_proxy.description(), target(), answer));
}

HttpProxyTunnel::Status HttpProxyTunnel::refuse(const QString &why)
{
    m_refusal = why;
    m_status = Status::Refused;
    return m_status;
}

QString HttpProxyTunnel::openedText() const
{
    const HttpResponse &response = m_parser.response();
    return tr("tunnel to %1 opened by the %2: %3 %4")
        .arg(target(), m_proxy.description())
        .arg(response.status)
        .arg(DisplayText::line(response.reason, 200));
}

QString HttpProxyTunnel::strayBytesText() const
{
    if (m_leftover.isEmpty())
        return {};
    return tr("%n byte(s) came through the tunnel before the client spoke: the answer of the %1 to CONNECT was "
              "not followed by the server's silence",
              nullptr, int(m_leftover.size()))
        .arg(m_proxy.description());
}

QString HttpProxyTunnel::endedEarlyText() const
{
    return m_parser.receivedBytes().isEmpty()
        ? tr("the %1 closed the connection without answering CONNECT %2").arg(m_proxy.description(), target())
        : tr("the %1 closed the connection in the middle of its answer to CONNECT %2").arg(m_proxy.description(), target());
}
