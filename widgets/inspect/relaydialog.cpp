#include "inspect/relaydialog.h"

#include "common/listenaddress.h"
#include "net/relayserver.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QVBoxLayout>

RelayDialog::RelayDialog(QWidget *parent)
    : QDialog(parent)
    , m_target(new QLineEdit(this))
    , m_address(new QComboBox(this))
    , m_port(new QSpinBox(this))
    , m_origin(new QLineEdit(this))
    , m_insecure(new QCheckBox(tr("Accept the server's certificate errors"), this))
    , m_intercept(new QCheckBox(tr("Allow intercept (messages cross uncompressed)"), this))
    , m_rules(new QLineEdit(this))
    , m_error(new QLabel(this))
{
    setWindowTitle(tr("New relay"));
    auto *intro = new QLabel(tr("Stand between your own program and its server: point the program at the "
                                "relay's address instead of the server's. Both sides are logged frame by "
                                "frame; nothing is changed on the way."),
        this);
    intro->setWordWrap(true);

    m_target->setObjectName(QStringLiteral("relayTarget"));
    m_target->setPlaceholderText(tr("wss://example.org/socket"));
    m_target->setToolTip(tr("The server (ws:// or wss://). The program's path and query are appended to "
                            "this URL's; a program connecting to / reaches this URL itself."));
    m_address->setObjectName(QStringLiteral("relayAddress"));
    ListenAddress::fillChoices(m_address);
    m_address->setToolTip(tr("Address to listen on. Anything but loopback asks first."));
    m_port->setObjectName(QStringLiteral("relayPort"));
    m_port->setRange(0, 65535);
    m_port->setValue(8081);
    m_port->setSpecialValueText(tr("any"));
    m_port->setToolTip(tr("TCP port the program connects to; \"any\" (0) lets the system pick a free one"));
    m_origin->setObjectName(QStringLiteral("relayOrigin"));
    m_origin->setPlaceholderText(tr("the program's own (unchanged)"));
    m_origin->setToolTip(tr("Replace the program's Origin header, for servers that check it"));
    m_insecure->setObjectName(QStringLiteral("relayInsecure"));
    m_insecure->setToolTip(tr("For a wss:// server with a self-signed or otherwise invalid certificate"));

    auto *form = new QFormLayout;
    form->addRow(tr("Server URL:"), m_target);
    auto *listen = new QHBoxLayout;
    listen->addWidget(m_address, 1);
    listen->addWidget(new QLabel(tr("port"), this));
    listen->addWidget(m_port);
    form->addRow(tr("Listen on:"), listen);
    form->addRow(tr("Origin:"), m_origin);
    form->addRow(QString(), m_insecure);
    m_intercept->setObjectName(QStringLiteral("relayIntercept"));
    m_intercept->setToolTip(tr("Lets the Intercept pane hold, edit, drop and inject messages on this relay's "
                               "connections. Messages then go on once whole, and the application's compression "
                               "offer is left out of the request so that they can be changed."));
    form->addRow(QString(), m_intercept);
    m_rules->setObjectName(QStringLiteral("relayRules"));
    m_rules->setPlaceholderText(tr("optional: a JSON file of match and replace rules"));
    m_rules->setToolTip(tr("Rules applied to every message in flight, as wsinspector-cli --intercept-rule "
                           "applies them (the README shows the format)"));
    m_rules->setClearButtonEnabled(true);
    form->addRow(tr("Rules file:"), m_rules);

    m_error->setObjectName(QStringLiteral("relayError"));
    m_error->setWordWrap(true);
    m_error->setTextFormat(Qt::PlainText);
    m_error->setStyleSheet(QStringLiteral("color: palette(highlight);"));
    m_error->hide();

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Cancel, this);
    QPushButton *start = buttons->addButton(tr("Start relay"), QDialogButtonBox::AcceptRole);
    start->setObjectName(QStringLiteral("relayStart"));
    start->setDefault(true);
    connect(buttons, &QDialogButtonBox::accepted, this, &RelayDialog::tryStart);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(intro);
    layout->addLayout(form);
    layout->addWidget(m_error);
    layout->addWidget(buttons);
    resize(520, sizeHint().height());
}

void RelayDialog::setTarget(const QUrl &url)
{
    m_target->setText(url.toString());
}

void RelayDialog::setPort(quint16 port)
{
    m_port->setValue(port);
}

void RelayDialog::setAddress(const QString &address)
{
    m_address->setCurrentText(address);
}

void RelayDialog::setOrigin(const QString &origin)
{
    m_origin->setText(origin);
}

void RelayDialog::setAllowCertificateErrors(bool allow)
{
    m_insecure->setChecked(allow);
}

void RelayDialog::setRulesFile(const QString &path)
{
    m_rules->setText(path);
}

std::optional<RelayDialog::Request> RelayDialog::request(QString *error) const
{
    Request r;
    const QString target = m_target->text().trimmed();
    if (target.isEmpty()) {
        *error = tr("Enter the server's URL (ws:// or wss://).");
        return std::nullopt;
    }
    r.options.to = QUrl(target, QUrl::StrictMode);
    if (const QString problem = RelayServer::targetProblem(r.options.to); !problem.isEmpty()) {
        *error = tr("Server URL: %1").arg(problem);
        return std::nullopt;
    }
    QString addressError;
    r.address = ListenAddress::parse(m_address->currentText(), &addressError);
    if (r.address.isNull()) {
        *error = addressError;
        return std::nullopt;
    }
    r.port = quint16(m_port->value());
    r.options.origin = m_origin->text().trimmed();
    r.options.allowCertificateErrors = m_insecure->isChecked();
    r.options.interceptable = m_intercept->isChecked();
    if (const QString path = m_rules->text().trimmed(); !path.isEmpty()) {
        QString why;
        const std::optional<MessageRules> rules = MessageRules::fromFile(path, &why);
        if (!rules) {
            *error = tr("Rules file: %1").arg(why);
            return std::nullopt;
        }
        r.options.rules = std::make_shared<const MessageRules>(*rules);
    }
    return r;
}

void RelayDialog::showError(const QString &error)
{
    m_error->setText(error);
    m_error->setVisible(!error.isEmpty());
}

QString RelayDialog::errorText() const
{
    return m_error->isHidden() ? QString() : m_error->text();
}

void RelayDialog::tryStart()
{
    QString error;
    const std::optional<Request> r = request(&error);
    if (!r) {
        showError(error);
        return;
    }
    if (!confirmExposure(r->address)) {
        showError(QString());
        return;
    }
    showError(QString());
    Q_EMIT startRequested(*r);
}

bool RelayDialog::confirmExposure(const QHostAddress &address)
{
    return ListenAddress::mayListen(this, address, m_confirm,
        tr("Listening on %1 lets other machines on your network use the relay.").arg(address.toString()),
        tr("Anyone who can reach this address can then talk to the server through this computer. Listen on "
           "127.0.0.1 to keep it to this machine."));
}
