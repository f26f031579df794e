#pragma once

#include "log/capture.h"
#include "log/messagelogmodel.h"
#include "log/timelinemodel.h"
#include "log/trafficstats.h"
#include "net/clientconnection.h"

#include <QObject>

// One connection the user opened, with everything that belongs to it alone: the engine, its
// capture, its log model and its traffic counters. Closing the connection keeps the log; the
// session lives until the user removes it.
class ClientSession : public QObject, private WireEventSink {
    Q_OBJECT
public:
    ClientSession(quint32 id, const ConnectionOptions &options, QObject *parent = nullptr);

    quint32 id() const { return m_id; }
    QString title() const; // "#2 ws://127.0.0.1:8080/"
    const ConnectionOptions &options() const { return m_options; }
    ClientConnection *connection() { return &m_connection; }
    const ClientConnection *connection() const { return &m_connection; }
    Capture *capture() { return &m_capture; }
    MessageLogModel *log() { return &m_log; }
    TimelineModel *timeline() { return &m_timeline; }
    const TrafficStats &stats() const { return m_stats; }
    ReadyState readyState() const { return m_connection.readyState(); }

    // The opening handshake's bytes, kept by the session: clearing the log does not lose them.
    QByteArray handshakeRequest() const { return m_handshakeRequest; }
    QByteArray handshakeResponse() const { return m_handshakeResponse; }
    bool isSecure() const { return ClientConnection::isSecure(m_options.url); }

    // Starts connecting; false when the options cannot be used (the error is in the log).
    bool start();

    // A session read back from a session file: its log only, no live connection.
    bool isFromFile() const { return !m_fileName.isEmpty(); }
    void setFileName(const QString &fileName) { m_fileName = fileName; }
    // After the capture was read from a file: its first handshake is this session's.
    void adoptHandshakeFromCapture();

Q_SIGNALS:
    void changed(); // state changed, or counters (coalesced by the log's batches): all a pane needs

private:
    void record(const WireEvent &event) override; // keeps the handshake

    quint32 m_id;
    QString m_fileName;
    ConnectionOptions m_options;
    Capture m_capture;
    TrafficStats m_stats;
    MessageLogModel m_log;
    TimelineModel m_timeline;
    QByteArray m_handshakeRequest;
    QByteArray m_handshakeResponse;
    ClientConnection m_connection;
};
