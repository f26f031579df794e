#include "probe/conformanceserver.h"

#include "log/capture.h"
#include "net/serverconnection.h"
#include "probe/conformancelink.h"
#include "probe/conformancesession.h"
#include "probe/wirelogsample.h"
#include "protocol/closecodes.h"
#include "protocol/handshake.h"
#include "text/displaytext.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QTcpSocket>
#include <QTimer>
#include <QUrlQuery>

using namespace Conformance;

namespace {
constexpr int HandshakeTimeoutMs = 10'000;
constexpr qsizetype MaxRequestBytes = 16 * 1024;
constexpr qsizetype MaxAgents = 16; // runs kept, the most recent
} // namespace

ConformanceServer::ConformanceServer(const QList<Case> &cases, QObject *parent)
    : QObject(parent)
    , m_cases(cases)
{
    connect(&m_server, &QTcpServer::newConnection, this, &ConformanceServer::onNewConnection);
}

ConformanceServer::~ConformanceServer()
{
    for (const QPointer<ServerConformanceLink> &link : std::as_const(m_links))
        if (link)
            link->disconnect(this);
}

bool ConformanceServer::listen(const QHostAddress &address, quint16 port)
{
    if (!m_server.listen(address, port)) {
        m_error = m_server.errorString();
        return false;
    }
    return true;
}

QUrl ConformanceServer::url() const
{
    QHostAddress host = m_server.serverAddress();
    if (host == QHostAddress::Any || host == QHostAddress::AnyIPv4)
        host = QHostAddress::LocalHost;
    return QUrl(QStringLiteral("ws://%1:%2").arg(host.toString()).arg(m_server.serverPort()));
}

const ConformanceServer::AgentRun *ConformanceServer::agent(const QString &name) const
{
    const auto it = m_agents.constFind(name);
    return it == m_agents.cend() ? nullptr : &*it;
}

void ConformanceServer::onNewConnection()
{
    while (QTcpSocket *socket = m_server.nextPendingConnection()) {
        socket->setParent(this);
        socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
        m_pending.insert(socket, 0);
        connect(socket, &QTcpSocket::readyRead, this, [this, socket] { readRequest(socket); });
        connect(socket, &QTcpSocket::disconnected, this, [this, socket] {
            if (m_pending.remove(socket))
                socket->deleteLater();
        });
        QTimer::singleShot(HandshakeTimeoutMs, socket, [this, socket] {
            if (m_pending.remove(socket)) {
                socket->abort();
                socket->deleteLater();
            }
        });
        readRequest(socket);
    }
}

void ConformanceServer::readRequest(QTcpSocket *socket)
{
    if (!m_pending.contains(socket))
        return;
    // peek(), never read(): the server connection reads the request itself.
    const QByteArray buffered = socket->peek(qMin<qint64>(socket->bytesAvailable(), MaxRequestBytes + 1));
    RequestParser parser(MaxRequestBytes);
    const auto status = parser.feed(buffered);
    if (status == RequestParser::Status::NeedMore && buffered.size() <= MaxRequestBytes)
        return;
    m_pending.remove(socket);
    socket->disconnect(this);
    // A request that does not parse is the server connection's to refuse, with a status that says why.
    handOver(socket, parser.request().target);
}

void ConformanceServer::handOver(QTcpSocket *socket, const QByteArray &target)
{
    const quint32 id = ++m_lastId;
    // Every event also goes to the case's session once the connection turns out to run one.
    auto *capture = new Capture(this);
    const Case *toRun = caseToRun(target);
    // A timed case's log is a sample: thousands of messages would take megabytes.
    std::shared_ptr<WireLogSample> sample;
    if (toRun && toRun->workload)
        sample = std::make_shared<WireLogSample>(capture);
    auto *connection = new ServerConnection(
        id, socket,
        [this, id, capture = QPointer<Capture>(capture), sample](WireEvent &e) {
            if (capture) // dropped once the connection turns out not to run a case
                sample ? sample->record(e) : capture->record(e);
            if (ServerConformanceLink *link = m_links.value(id))
                link->record(e);
        },
        this);
    connect(connection, &ServerConnection::handshakeFailed, this, [connection, capture] {
        connection->deleteLater();
        capture->deleteLater();
    });
    connect(connection, &ServerConnection::opened, this,
            [this, connection, target, capture] { route(connection, target, capture); });
    ServerConnection::Options options;
    // Sections 1 to 10 assume no extension; 12 and 13 accept permessage-deflate asking of the client
    // what the case says. Only a case to run decides, so the request line is read for it here.
    options.perMessageDeflate = false;
    if (toRun && toRun->deflate) {
        options.perMessageDeflate = true;
        options.deflateRequests = toRun->deflate->requests;
    }
    options.closeTimeoutMs = 2'000;
    options.limits.maxFrameSize = 64 * 1024 * 1024;
    options.limits.maxMessageSize = 64 * 1024 * 1024;
    connection->start(options);
}

const Case *ConformanceServer::caseToRun(const QByteArray &target) const
{
    const QUrl url(QString::fromUtf8(target));
    if (url.path() != QLatin1String("/runCase"))
        return nullptr;
    bool numeric = false;
    const int number = QUrlQuery(url).queryItemValue(QStringLiteral("case")).toInt(&numeric);
    return numeric && number >= 1 && number <= m_cases.size() ? &m_cases[number - 1] : nullptr;
}

void ConformanceServer::route(ServerConnection *connection, const QByteArray &target, Capture *capture)
{
    const QUrl url(QString::fromUtf8(target));
    const QUrlQuery query(url);
    const QString path = url.path();
    const QString agent = query.queryItemValue(QStringLiteral("agent"), QUrl::FullyDecoded);
    const QString caseText = query.queryItemValue(QStringLiteral("case"));
    bool numeric = false;
    const int number = caseText.toInt(&numeric);
    const bool needsCase = path == QLatin1String("/getCaseInfo") || path == QLatin1String("/runCase")
        || path == QLatin1String("/getCaseStatus");
    const bool needsAgent = path == QLatin1String("/runCase") || path == QLatin1String("/getCaseStatus")
        || path == QLatin1String("/updateReports");
    if (path != QLatin1String("/runCase"))
        capture->deleteLater(); // only a case's wire log is kept
    connect(connection, &ServerConnection::disconnected, connection, &QObject::deleteLater);

    if (needsCase && (!numeric || number < 1 || number > m_cases.size())) {
        refuse(connection, target,
               tr("case must be a number from 1 to %1, got %2").arg(m_cases.size()).arg(DisplayText::quoted(caseText.toUtf8(), 40)));
        return;
    }
    if (needsAgent && agent.isEmpty()) {
        refuse(connection, target, tr("the agent parameter is missing"));
        return;
    }
    if (path == QLatin1String("/getCaseCount")) {
        answer(connection, QByteArray::number(m_cases.size()));
    } else if (path == QLatin1String("/getCaseInfo")) {
        const Case &c = m_cases[number - 1];
        answer(connection, QJsonDocument(QJsonObject { { QStringLiteral("id"), c.id },
                                                       { QStringLiteral("description"), c.description } })
                               .toJson(QJsonDocument::Compact));
    } else if (path == QLatin1String("/getCaseStatus")) {
        const AgentRun *run = this->agent(agent);
        const CaseResult r = run ? run->results.value(number - 1) : CaseResult();
        const QString behaviour = r.id.isEmpty() ? QStringLiteral("NOT RUN") : verdictName(r.verdict);
        answer(connection, QJsonDocument(QJsonObject { { QStringLiteral("behavior"), behaviour } })
                               .toJson(QJsonDocument::Compact));
    } else if (path == QLatin1String("/updateReports")) {
        Q_EMIT reportsRequested(agent);
        connection->close(CloseCodes::NormalClosure, {});
    } else if (path == QLatin1String("/runCase")) {
        runCase(connection, number - 1, agent, capture);
    } else {
        refuse(connection, target,
               tr("unknown path %1 (known: /getCaseCount, /getCaseInfo, /runCase, /getCaseStatus, /updateReports)")
                   .arg(DisplayText::quoted(path.toUtf8(), 60)));
    }
}

void ConformanceServer::runCase(ServerConnection *connection, int index, const QString &agent, Capture *capture)
{
    AgentRun &run = m_agents[agent];
    if (run.results.isEmpty()) {
        run.started = QDateTime::currentDateTimeUtc();
        run.results = QList<CaseResult>(m_cases.size());
        run.captures = QList<QPointer<Capture>>(m_cases.size());
    }
    if (Capture *previous = run.captures[index])
        previous->deleteLater(); // the case runs again: its latest wire log is kept
    run.captures[index] = capture;
    forgetOldAgents();
    const quint32 id = connection->connectionId();
    auto *link = new ServerConformanceLink(connection);
    m_links.insert(id, link);
    // The capture records through the connection's recorder already (handshake included).
    auto *session = new ConformanceSession(m_cases[index], link, nullptr, this);
    connect(session, &ConformanceSession::finished, this, [this, session, agent, index, id](const CaseResult &r) {
        m_links.remove(id);
        session->deleteLater();
        m_agents[agent].results[index] = r;
        Q_EMIT caseFinished(agent, index, r);
    });
    Q_EMIT caseStarted(agent, index);
    session->start();
}

void ConformanceServer::forgetOldAgents()
{
    // The server runs until interrupted and every agent name a driver sends makes a run: keep the
    // most recent ones only, with their wire logs.
    while (m_agents.size() > MaxAgents) {
        auto oldest = m_agents.begin();
        for (auto it = m_agents.begin(); it != m_agents.end(); ++it)
            if (it->started < oldest->started)
                oldest = it;
        for (const QPointer<Capture> &capture : std::as_const(oldest->captures))
            if (capture)
                capture->deleteLater();
        m_agents.erase(oldest);
    }
}

void ConformanceServer::answer(ServerConnection *connection, const QByteArray &text)
{
    connection->sendMessage(true, text);
    connection->close(CloseCodes::NormalClosure, {});
}

void ConformanceServer::refuse(ServerConnection *connection, const QByteArray &target, const QString &reason)
{
    Q_EMIT refused(QString::fromUtf8(target), reason);
    connection->close(CloseCodes::PolicyViolation, reason);
}
