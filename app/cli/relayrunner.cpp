#include "relayrunner.h"

#include "outputsink.h"
#include "outputwriter.h"

#include "net/localcertificateauthority.h"
#include "net/proxyserver.h"
#include "net/relayserver.h"

#include <QTimer>
#include <cstdio>

RelayRunner::RelayRunner(const CliOptions &options, OutputWriter &writer, QObject *parent)
    : QObject(parent)
    , m_options(options)
    , m_writer(writer)
{
    auto record = [this](RelaySession *session) {
        for (WireEventSink *sink : std::as_const(m_sinks))
            session->addSink(sink);
    };
    if (options.mode == CliOptions::Mode::Proxy) {
        m_proxy = new ProxyServer(options.proxyOptions(), this);
        connect(m_proxy, &ProxyServer::sessionStarted, this, record);
        connect(m_proxy, &ProxyServer::tunnelStarted, this, record);
        connect(m_proxy, &ProxyServer::refused, this, [](const QString &peer, const QString &why) {
            std::fprintf(stderr, "wsinspector-cli: refused %s: %s\n", qPrintable(peer), qPrintable(why));
        });
    } else {
        m_relay = new RelayServer(options.relayOptions(), this);
        connect(m_relay, &RelayServer::sessionStarted, this, record);
    }
}

RelayRunner::~RelayRunner() = default;

bool RelayRunner::start()
{
    if (m_proxy) {
        // Without its certificate authority the proxy still works, but sees no TLS traffic: say so.
        QString error;
        const QString directory = LocalCertificateAuthority::defaultDirectory();
        std::shared_ptr<LocalCertificateAuthority> ca = LocalCertificateAuthority::openOrCreate(directory, &error);
        if (ca) {
            std::fprintf(stderr,
                "wsinspector-cli: terminating TLS with the certificate authority in %s (%s; SHA-256 %s); "
                "clients must trust it: wsinspector-cli --export-ca FILE\n",
                qPrintable(directory), ca->created() ? "made now" : "made earlier",
                qPrintable(ca->sha256Fingerprint()));
            m_proxy->setCertificateAuthority(std::move(ca));
        } else {
            std::fprintf(stderr, "wsinspector-cli: warning: TLS passes through uninspected: %s\n", qPrintable(error));
        }
    }
    const bool listening = m_proxy ? m_proxy->listen(m_options.bindAddress, m_options.port)
                                   : m_relay->listen(m_options.bindAddress, m_options.port);
    if (!listening) {
        std::fprintf(
            stderr, "wsinspector-cli: %s\n", qPrintable(m_proxy ? m_proxy->errorString() : m_relay->errorString()));
        return false;
    }
    const QByteArray url = (m_proxy ? m_proxy->url() : m_relay->url()).toString().toUtf8();
    const QByteArray to = m_options.relayTo.toString().toUtf8();
    QByteArray line;
    if (m_options.format == CliOptions::Format::Jsonl) {
        line = m_proxy ? OutputSink::jsonListeningLine(url, { { "mode", "proxy" } })
                       : OutputSink::jsonListeningLine(url, { { "to", to } });
    } else {
        line = m_proxy ? "proxying on " + url + "\n" : "relaying " + url + " -> " + to + "\n";
    }
    m_writer.write(line);
    m_writer.flush(); // scripts wait for this line before connecting
    return true;
}

void RelayRunner::interrupt()
{
    if (m_stopping)
        return;
    m_stopping = true;
    std::fputs(m_proxy ? "wsinspector-cli: stopping the proxy\n" : "wsinspector-cli: stopping the relay\n", stderr);
    if (m_proxy) // every running session records that it was dropped
        m_proxy->close();
    else
        m_relay->close();
    QTimer::singleShot(0, this, [this] { Q_EMIT finished(ExitCode::Clean); });
}
