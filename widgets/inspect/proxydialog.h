#pragma once

#include "common/listenaddress.h"
#include "net/proxyserver.h"

#include <QDialog>
#include <QHostAddress>
#include <functional>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QSpinBox;

// Connection → Start proxy: where the proxy listens, which hosts it must never look into, whose
// certificate errors it accepts, and the certificate authority that clients must trust for wss://
// (shown with its fingerprint, and exported from here). Like the relay dialog it starts nothing
// itself: startRequested hands over a checked request, and the dialog stays open with the error
// until accept() or showError(). Listening on an address other machines can reach asks first.
class ProxyDialog : public QDialog {
    Q_OBJECT
public:
    struct Request {
        ProxyOptions options;
        QHostAddress address;
        quint16 port = 0;
    };
    using ExposureConfirmation = ListenAddress::Confirmation;
    using SavePathChooser = std::function<QString()>;

    explicit ProxyDialog(QWidget *parent = nullptr);

    void setPort(quint16 port);
    void setAddress(const QString &address);
    void setNoIntercept(const QString &patterns); // "*.bank.example, example.org"
    void setInsecureHosts(const QString &patterns);
    // What clients must trust: where the authority lives and its SHA-256 fingerprint, or why it
    // could not be opened (TLS then passes through uninspected).
    void setAuthority(const QString &directory, const QString &fingerprint, const QString &error);
    // After exportRequested: what happened, shown under the authority.
    void showExportResult(const QString &text);
    QString exportResultText() const;
    // Replace the warning dialog and the file dialog (tests); null restores them.
    void setExposureConfirmation(ExposureConfirmation confirm) { m_confirm = std::move(confirm); }
    void setSavePathChooser(SavePathChooser choose) { m_choosePath = std::move(choose); }

    std::optional<Request> request(QString *error) const;
    void showError(const QString &error);
    QString errorText() const;

Q_SIGNALS:
    void startRequested(const ProxyDialog::Request &request);
    void exportRequested(const QString &path);

protected:
    void showEvent(QShowEvent *event) override;

private:
    void tryStart();
    void chooseExportPath();
    void fitHeight();
    bool confirmExposure(const QHostAddress &address);
    static std::optional<QStringList> patterns(const QLineEdit *field, const QString &what, QString *error);

    QComboBox *m_address;
    QSpinBox *m_port;
    QLineEdit *m_noIntercept;
    QLineEdit *m_insecureHosts;
    QCheckBox *m_insecureAll;
    QLabel *m_authority;
    QPushButton *m_export;
    QLabel *m_exportResult;
    QLabel *m_error;
    ExposureConfirmation m_confirm;
    SavePathChooser m_choosePath;
};
