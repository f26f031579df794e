#pragma once

#include "common/listenaddress.h"
#include "net/serverbehaviour.h"

#include <QHostAddress>
#include <QPointer>
#include <QUrl>
#include <QWidget>

#include <functional>

class EmbeddedServer;
class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;
class QSpinBox;
class QSplitter;
class QTableView;
class QToolButton;
class ServerClientsModel;
class ServerLogModel;

// The embedded server: where it listens and how it answers, its URL, its connected clients with
// the exact handshake request of each, and its own log. It drives the EmbeddedServer and reads
// the two models; it never touches a socket.
//
// A collapsible "Behaviour" section makes it a test server (ServerBehaviour: reply delay, fragment
// size, pings, close after N messages, forced rejection, subprotocols, Origin allow-list, limits).
// Edits apply at once, also while running; an edit that is not valid is shown in the section and
// not applied, and Start refuses until it is fixed.
class ServerPanel : public QWidget {
    Q_OBJECT
public:
    // Asked before binding an address that other machines can reach; true goes ahead.
    using ExposureConfirmation = ListenAddress::Confirmation;

    // None are owned. The models should already be fed by `server` (setServer()).
    ServerPanel(EmbeddedServer *server, ServerClientsModel *clients, ServerLogModel *log, QWidget *parent = nullptr);

    // Replaces the warning dialog (tests, or a policy that never exposes); null restores the dialog.
    void setExposureConfirmation(ExposureConfirmation confirm);

    QString errorText() const; // what the panel shows as the last error; empty when none

    // The behaviour in the fields; `problem` ("close code: ...") is set when it cannot be applied.
    ServerBehaviour behaviourFromFields(QString *problem = nullptr) const;
    // Fills the fields (e.g. restored settings) and applies them to the server if valid.
    void setBehaviour(const ServerBehaviour &behaviour);
    QString behaviourError() const; // what the section shows as not applied; empty when none
    // The section starts collapsed so that the dock stays short.
    void setBehaviourExpanded(bool expanded);
    bool isBehaviourExpanded() const;

public Q_SLOTS:
    // Starts on the address, port and mode in the fields. False, with the error shown in the
    // panel, when the address is unusable, the user declines exposing it, or listening fails.
    bool start();
    void stop();
    // Shows the server's current state; for when something else started or stopped it.
    void refresh();

Q_SIGNALS:
    void connectRequested(const QUrl &url);
    void listeningChanged(bool listening);
    // A valid behaviour from the fields was given to the server (for settings to remember).
    void behaviourChanged(const ServerBehaviour &behaviour);

protected:
    void changeEvent(QEvent *event) override;
    void resizeEvent(QResizeEvent *event) override;
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void updateEngineNote();

private:
    static constexpr int NarrowWidth = 600;

    QWidget *buildBehaviourSection();
    void showBehaviourInFields(const ServerBehaviour &behaviour);
    void applyBehaviour();
    void showBehaviourError(const QString &error);
    void updateBehaviourSummary();
    bool confirmExposure(const QHostAddress &address);
    void showError(const QString &error);
    void showSelectedHandshake();
    void updateClientsTitle();
    void updateMessageColumn();
    void fitMessageColumn();

    QPointer<EmbeddedServer> m_server;
    ServerClientsModel *m_clients;
    ServerLogModel *m_log;
    ExposureConfirmation m_confirm;
    bool m_wasListening = false;
    bool m_logAtBottom = true;

    QComboBox *m_address;
    QSpinBox *m_port;
    QComboBox *m_mode;
    QComboBox *m_engine;
    QLabel *m_engineNote = nullptr;
    QPushButton *m_start;
    QPushButton *m_stop;
    QWidget *m_errorBox;
    QLabel *m_error;
    QLabel *m_status;
    QLineEdit *m_url;
    QToolButton *m_copy;
    QPushButton *m_connectClient;
    QSplitter *m_clientsSplitter = nullptr;
    QLabel *m_clientsTitle;
    QTableView *m_clientsView;
    QLabel *m_handshakeTitle;
    QPlainTextEdit *m_handshake;
    QTableView *m_logView;
    QToolButton *m_clearLog;
    int m_messageWidth = 0; // the log's Message column where there is room

    // Behaviour section.
    QToolButton *m_behaviourToggle = nullptr;
    QLabel *m_behaviourSummary = nullptr;
    QWidget *m_behaviourBox = nullptr;
    QSpinBox *m_replyDelay = nullptr;
    QSpinBox *m_fragmentSize = nullptr;
    QDoubleSpinBox *m_pingInterval = nullptr;
    QSpinBox *m_maxClients = nullptr;
    QSpinBox *m_maxMessageSize = nullptr;
    QSpinBox *m_closeAfter = nullptr;
    QSpinBox *m_closeCode = nullptr;
    QLineEdit *m_closeReason = nullptr;
    QComboBox *m_rejectStatus = nullptr;
    QLineEdit *m_subprotocols = nullptr;
    QLineEdit *m_allowedOrigins = nullptr;
    QLabel *m_behaviourError = nullptr;
    bool m_loadingBehaviour = false; // fields being filled from a behaviour: do not apply each edit
};
