#pragma once

#include <QHostAddress>
#include <QPointer>
#include <QUrl>
#include <QWidget>

#include <functional>

class EmbeddedServer;
class QComboBox;
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
class ServerPanel : public QWidget {
    Q_OBJECT
public:
    // Asked before binding an address that other machines can reach; true goes ahead.
    using ExposureConfirmation = std::function<bool(const QHostAddress &address)>;

    // None are owned. The models should already be fed by `server` (setServer()).
    ServerPanel(EmbeddedServer *server, ServerClientsModel *clients, ServerLogModel *log, QWidget *parent = nullptr);

    // Replaces the warning dialog (tests, or a policy that never exposes); null restores the dialog.
    void setExposureConfirmation(ExposureConfirmation confirm);

    // The address in the bind field; null with `error` set when it is not one.
    static QHostAddress parseAddress(const QString &text, QString *error = nullptr);
    // Whether binding `address` lets other machines connect (anything but loopback).
    static bool exposes(const QHostAddress &address);

    QString errorText() const; // what the panel shows as the last error; empty when none

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

protected:
    void changeEvent(QEvent *event) override;
    void resizeEvent(QResizeEvent *event) override;

private:
    static constexpr int NarrowWidth = 600;

    bool confirmExposure(const QHostAddress &address);
    void showError(const QString &error);
    void showSelectedHandshake();
    void updateClientsTitle();

    QPointer<EmbeddedServer> m_server;
    ServerClientsModel *m_clients;
    ServerLogModel *m_log;
    ExposureConfirmation m_confirm;
    bool m_wasListening = false;
    bool m_logAtBottom = true;

    QComboBox *m_address;
    QSpinBox *m_port;
    QComboBox *m_mode;
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
};
