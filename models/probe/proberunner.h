#pragma once

#include "log/wireevent.h"
#include "protocol/handshake.h"
#include "probe/proberesult.h"

#include <QElapsedTimer>
#include <QObject>
#include <QPointer>
#include <QTimer>
#include <QUrl>

class Capture;
class ClientConnection;

struct ProbeOptions {
    int timeoutMs = 2'000; // per probe: how long to watch for a reaction after the frames are sent
    int handshakeTimeoutMs = 5'000;
    HttpHeaders headers; // extra request headers, e.g. Authorization
    QStringList subprotocols;
    QString origin;
    bool allowCertificateErrors = false;
    // When the first probe cannot even open a connection, the server is unreachable: stop there
    // instead of failing every other probe the same way.
    bool stopWhenUnreachable = true;
};

// "Probe the server": runs each preset on a fresh connection of our own engine and records how the
// server reacted. Our engine only records (closeOnViolation off): the server's reaction must not be
// mixed with ours. It still answers pings and completes a closing handshake the server starts.
//
// Per probe: connect, wait for OPEN, send the preset's frames, then watch until the server closes,
// drops the connection, sends back the complete expected echo, or the timeout passes. Whatever is
// still open then is dropped (after an echo, closed politely with 1000 first).
class ProbeRunner : public QObject {
    Q_OBJECT
public:
    explicit ProbeRunner(QObject *parent = nullptr);
    ~ProbeRunner() override;

    // Starts a run; returns false when one is already running or the URL cannot be used (then
    // errorString() says why and nothing is emitted).
    bool run(const QUrl &url, const QList<ProbePresets::Preset> &presets, const ProbeOptions &options = {});
    // Stops the run: the probe in progress is dropped and not reported; finished() follows.
    void cancel();

    bool isRunning() const { return m_running; }
    QUrl url() const { return m_url; }
    const ProbeOptions &options() const { return m_options; }
    QString errorString() const { return m_error; }
    // True when the run stopped because the first probe could not connect at all.
    bool unreachable() const { return m_unreachable; }

    const QList<ProbePresets::Preset> &presets() const { return m_presets; }
    // Results of the probes finished so far, in preset order.
    const QList<ProbeResult> &results() const { return m_results; }
    // Each probe's wire log, kept until the next run (index as in presets()); nullptr before it ran.
    Capture *capture(qsizetype index) const;

Q_SIGNALS:
    void probeStarted(int index);
    void probeFinished(int index, const ProbeResult &result);
    void finished();

private:
    class Observer;
    friend class Observer;

    enum class Phase { Idle, Connecting, Watching, ClosingPolitely };
    int m_echoMessages = 0; // complete messages the server sent back in the current probe

    void startProbe();
    void onOpened();
    void onClosed();
    void onTimeout();
    void onIncomingFrame(const WireEvent &event);
    void onServerViolation(const WireEvent &event);
    void settle(ProbeResult::Reaction reaction);
    void queueStart();
    void queueFinish();
    void finishProbe();
    void teardownConnection();

    QUrl m_url;
    QList<ProbePresets::Preset> m_presets;
    ProbeOptions m_options;
    QList<ProbeResult> m_results;
    QList<QPointer<Capture>> m_captures;
    QString m_error;
    bool m_running = false;
    bool m_unreachable = false;

    qsizetype m_index = -1;
    Phase m_phase = Phase::Idle;
    ProbeResult m_current;
    bool m_settled = false;
    bool m_opened = false;
    quint64 m_generation = 0; // bumped per probe and by cancel(): stale queued calls see a different one
    QPointer<ClientConnection> m_connection;
    QTimer m_timer;
    QElapsedTimer m_clock;
};
