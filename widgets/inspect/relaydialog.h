#pragma once

#include "common/listenaddress.h"
#include "net/relaysession.h"

#include <QDialog>
#include <QHostAddress>
#include <functional>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QSpinBox;

// Connection → New relay: where the server is, where to listen for the application, and the few
// things a relay may change (Origin; certificate errors of the server allowed). The dialog starts
// nothing itself: it hands a checked request to whoever asked (startRequested) and stays open with
// the error shown until that one says it worked (accept()) or not (showError()). Listening on an
// address other machines can reach asks first, as the embedded server does.
class RelayDialog : public QDialog {
    Q_OBJECT
public:
    struct Request {
        RelayOptions options;
        QHostAddress address;
        quint16 port = 0;
    };
    using ExposureConfirmation = ListenAddress::Confirmation;

    explicit RelayDialog(QWidget *parent = nullptr);

    void setTarget(const QUrl &url); // the URL field's starting value
    void setPort(quint16 port);
    void setAddress(const QString &address);
    void setOrigin(const QString &origin);
    void setAllowCertificateErrors(bool allow);
    void setRulesFile(const QString &path); // match and replace rules (wsinspector-cli --intercept-rule)
    // Replaces the warning dialog (tests); null restores it.
    void setExposureConfirmation(ExposureConfirmation confirm) { m_confirm = std::move(confirm); }

    // The request in the fields; nullopt and `error` when a field cannot be used.
    std::optional<Request> request(QString *error) const;
    void showError(const QString &error);
    QString errorText() const;

Q_SIGNALS:
    void startRequested(const RelayDialog::Request &request);

private:
    void tryStart();
    bool confirmExposure(const QHostAddress &address);

    QLineEdit *m_target;
    QComboBox *m_address;
    QSpinBox *m_port;
    QLineEdit *m_origin;
    QCheckBox *m_insecure;
    QCheckBox *m_intercept;
    QLineEdit *m_rules;
    QLabel *m_error;
    ExposureConfirmation m_confirm;
};
