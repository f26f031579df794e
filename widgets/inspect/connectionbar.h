#pragma once

#include "inspect/connectionextras.h"
#include "net/clientsession.h"

#include <QHash>
#include <QPointer>
#include <QTimer>
#include <QWidget>

#include <functional>
#include <optional>

class HeadersEditor;
class SocketIoOptionsRow;
class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QSettings;
class QToolButton;

// Where to connect and how: URL (with recent URLs), subprotocols, request headers and the TLS
// exception, Connect and Disconnect, and the state of the session shown (readyState badge, time
// connected, messages and bytes each way).
class ConnectionBar : public QWidget {
    Q_OBJECT
public:
    static constexpr int MaxRecentUrls = 15;
    static constexpr QLatin1String RecentUrlsKey { "connectionBar/recentUrls" };
    static constexpr QLatin1String EngineKey { "connectionBar/engine" };

    // Recent URLs are read from and written to `settings` (not owned; may be null: not persisted).
    explicit ConnectionBar(QSettings *settings = nullptr, QWidget *parent = nullptr);

    // The fields on top of the last options given to setOptions() (limits and timeouts are kept).
    ConnectionOptions options() const;
    void setOptions(const ConnectionOptions &options);

    // The session whose state and counters are shown; null shows none. Not owned.
    void setSession(const ClientSession *session);
    const ClientSession *session() const { return m_session; }

    QStringList recentUrls() const { return m_recent; }
    // What keeps the fields from being used (the URL first, then the headers); empty when nothing.
    QString problem() const;

    // The proxy, TLS files, keep-alive and reconnect the settings dialog set, applied to every
    // connection opened from the bar (remembered in the settings, but for passwords).
    const ConnectionExtras &extras() const { return m_extras; }
    // `options` with the extras applied (a passphrase asked for if needed); false with `problem`.
    bool applyExtras(ConnectionOptions &options, QString *problem);
    void setExtras(const ConnectionExtras &extras);
    // Asks for the client certificate's passphrase when connecting (tests answer it; the default
    // asks with a password dialog, once a run for each file).
    using PassphrasePrompt = std::function<std::optional<QByteArray>(const QString &certFile)>;
    void setPassphrasePrompt(PassphrasePrompt prompt) { m_prompt = std::move(prompt); }

public Q_SLOTS:
    // The settings dialog; what it says on OK applies from the next connection.
    void editExtras();

    // Emits connectRequested(options()) when the fields can be used; otherwise shows what is wrong.
    void requestConnect();

Q_SIGNALS:
    void connectRequested(const ConnectionOptions &options);
    void disconnectRequested();

private:
    QUrl currentUrl() const;
    void urlEdited();
    ConnectionOptions::Engine engine() const;
    void engineChosen();
    void showProblem(const QString &problem);
    void rememberUrl(const QString &url);
    void fillRecentUrls();
    void updateSessionView();
    void updateElapsed();
    void updateHeadersToggle();
    void updateExtrasButton();

    QSettings *m_settings;
    ConnectionExtras m_extras;
    PassphrasePrompt m_prompt;
    QHash<QString, QByteArray> m_passphrases; // by certificate file, for this run
    ConnectionOptions m_base;
    QPointer<const ClientSession> m_session;
    QStringList m_recent;
    QTimer m_tick;

    QComboBox *m_url;
    QPushButton *m_connect;
    QPushButton *m_disconnect;
    QLabel *m_problemIcon;
    QLabel *m_problem;
    QWidget *m_problemRow;
    QLineEdit *m_subprotocols;
    QComboBox *m_engine;
    QCheckBox *m_deflate;
    QString m_deflateToolTip;
    QCheckBox *m_allowCertErrors;
    QCheckBox *m_socketIo;
    SocketIoOptionsRow *m_socketIoRow;
    QToolButton *m_headersToggle;
    QToolButton *m_extrasButton;
    HeadersEditor *m_headers;
    QLabel *m_badge;
    QLabel *m_elapsed;
    QLabel *m_sent;
    QLabel *m_received;
    QLabel *m_reconnectNote;
};
