#pragma once

#include "probe/conformanceresult.h"

#include <QDateTime>
#include <QHash>
#include <QHostAddress>
#include <QMap>
#include <QObject>
#include <QPointer>
#include <QTcpServer>
#include <QUrl>

class Capture;
class ServerConformanceLink;
class ServerConnection;

// Tests WebSocket clients: a server that plays the conformance cases against a client and judges
// its reactions, speaking the URL protocol of Autobahn|Testsuite's fuzzing server so that the
// client drivers written for it run unchanged. The client under test echoes every message.
//
//   /getCaseCount                     a text message: how many cases there are; then a close
//   /getCaseInfo?case=N               a text message: {"id": "1.1.1", "description": "..."}
//   /runCase?case=N&agent=A           case N (1-based) played against agent A on this connection
//   /getCaseStatus?case=N&agent=A     a text message: {"behavior": "OK"} (or "NOT RUN")
//   /updateReports?agent=A            A's reports written (reportsUpdated), then a close
//
// A path it does not know, or a case number out of range, is refused with close 1008 and a reason
// that says why. Listens on 127.0.0.1 unless told otherwise. The 16 most recent agents' results and
// wire logs are kept (a timed case's sampled, WireLogSample).
class ConformanceServer : public QObject {
    Q_OBJECT
public:
    struct AgentRun {
        QDateTime started;
        QList<Conformance::CaseResult> results; // by case index; an empty id: not run
        QList<QPointer<Capture>> captures; // by case index
    };

    explicit ConformanceServer(const QList<Conformance::Case> &cases, QObject *parent = nullptr);
    ~ConformanceServer() override;

    bool listen(const QHostAddress &address = QHostAddress::LocalHost, quint16 port = 0);
    QString errorString() const { return m_error; }
    QUrl url() const; // ws://127.0.0.1:PORT
    const QList<Conformance::Case> &cases() const { return m_cases; }
    QStringList agents() const { return m_agents.keys(); }
    const AgentRun *agent(const QString &name) const;

Q_SIGNALS:
    void caseStarted(const QString &agent, int index);
    void caseFinished(const QString &agent, int index, const Conformance::CaseResult &result);
    // /updateReports?agent=A arrived: the agent's run is complete as far as its driver knows.
    void reportsRequested(const QString &agent);
    // A request that could not be served (unknown path, bad case number), for the log.
    void refused(const QString &target, const QString &reason);

private:
    void onNewConnection();
    void readRequest(QTcpSocket *socket);
    void handOver(QTcpSocket *socket, const QByteArray &target);
    // The case a /runCase request asks for; nullptr for other requests and bad numbers.
    const Conformance::Case *caseToRun(const QByteArray &target) const;
    void route(ServerConnection *connection, const QByteArray &target, Capture *capture);
    void runCase(ServerConnection *connection, int index, const QString &agent, Capture *capture);
    void answer(ServerConnection *connection, const QByteArray &text);
    void refuse(ServerConnection *connection, const QByteArray &target, const QString &reason);
    void forgetOldAgents();

    QList<Conformance::Case> m_cases;
    QTcpServer m_server;
    QString m_error;
    QMap<QString, AgentRun> m_agents;
    QHash<QTcpSocket *, qsizetype> m_pending; // sockets whose request head is still arriving
    QHash<quint32, QPointer<ServerConformanceLink>> m_links; // connections playing a case
    quint32 m_lastId = 0;
};
