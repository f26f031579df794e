#pragma once

#include "inspect/connectionextras.h"

#include <QDialog>
#include <QUrl>

class QComboBox;
class QGroupBox;
class QLabel;
class QLineEdit;
class QSpinBox;

// The connection bar's "Proxy, TLS, keep-alive…": how the connections the user opens reach their
// server (the environment's proxy, none, or one given here with its user and password), the files
// for TLS (certificate authorities besides the system's, a client certificate for mutual TLS and
// its key), keep-alive and reconnecting. Opens on `extras`; extras() is what the fields say. OK is
// refused, with the reason shown, while the proxy URL cannot be used or a file cannot be read.
class ConnectionSettingsDialog : public QDialog {
    Q_OBJECT
public:
    // `url`: the connection bar's, to say which proxy the environment gives for it.
    ConnectionSettingsDialog(const ConnectionExtras &extras, const QUrl &url, QWidget *parent = nullptr);

    ConnectionExtras extras() const;
    // What keeps OK from closing the dialog; empty when nothing.
    QString problem() const;
    void accept() override;

private:
    QWidget *fileRow(QLineEdit *edit, const QString &title, const QString &filter);
    void updateProxyFields();
    void showProblem(const QString &problem);

    QUrl m_url;
    QComboBox *m_proxySource;
    QLabel *m_environment;
    QLineEdit *m_proxyUrl;
    QLineEdit *m_proxyUser;
    QLineEdit *m_proxyPassword;
    QLineEdit *m_caFile;
    QLineEdit *m_certFile;
    QLineEdit *m_keyFile;
    QGroupBox *m_keepAlive;
    QSpinBox *m_keepAliveSeconds;
    QSpinBox *m_pongTimeout;
    QGroupBox *m_reconnect;
    QSpinBox *m_attempts;
    QSpinBox *m_firstDelay;
    QSpinBox *m_maxDelay;
    QLabel *m_problem;
};
