#include "inspect/connectionsettingsdialog.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QVBoxLayout>

namespace {

// What the environment gives for `url`, in one line for the proxy group.
QString environmentText(const QUrl &url)
{
    if (!url.isValid() || url.host().isEmpty())
        return ConnectionSettingsDialog::tr("https_proxy (wss://), http_proxy (ws://), all_proxy and no_proxy, as curl "
                                            "reads them; loopback servers directly.");
    QString problem;
    const auto proxy = ProxySetting().proxyFor(url, &problem);
    if (!problem.isEmpty())
        return ConnectionSettingsDialog::tr("For %1: %2").arg(url.host(), problem);
    if (proxy)
        return ConnectionSettingsDialog::tr("For %1: through the %2.").arg(url.host(), proxy->description());
    if (ProxySetting::isLoopback(url.host()))
        return ConnectionSettingsDialog::tr("For %1: directly (loopback servers are never proxied from the environment).")
            .arg(url.host());
    return ConnectionSettingsDialog::tr("For %1: directly (no proxy variable applies).").arg(url.host());
}

} // namespace

ConnectionSettingsDialog::ConnectionSettingsDialog(const ConnectionExtras &extras, const QUrl &url, QWidget *parent)
    : QDialog(parent)
    , m_url(url)
    , m_proxySource(new QComboBox(this))
    , m_environment(new QLabel(this))
    , m_proxyUrl(new QLineEdit(this))
    , m_proxyUser(new QLineEdit(this))
    , m_proxyPassword(new QLineEdit(this))
    , m_caFile(new QLineEdit(this))
    , m_certFile(new QLineEdit(this))
    , m_keyFile(new QLineEdit(this))
    , m_keepAlive(new QGroupBox(tr("&Keep-alive"), this))
    , m_keepAliveSeconds(new QSpinBox(this))
    , m_pongTimeout(new QSpinBox(this))
    , m_reconnect(new QGroupBox(tr("&Reconnect when the connection drops"), this))
    , m_attempts(new QSpinBox(this))
    , m_firstDelay(new QSpinBox(this))
    , m_maxDelay(new QSpinBox(this))
    , m_problem(new QLabel(this))
{
    setObjectName(QStringLiteral("connectionSettingsDialog"));
    setWindowTitle(tr("Connection settings"));

    // Proxy
    m_proxySource->setObjectName(QStringLiteral("proxySource"));
    m_proxySource->addItem(tr("From the environment"), int(ProxySetting::Source::Environment));
    m_proxySource->addItem(tr("None: connect directly"), int(ProxySetting::Source::Direct));
    m_proxySource->addItem(tr("This proxy"), int(ProxySetting::Source::Fixed));
    m_proxySource->setCurrentIndex(m_proxySource->findData(int(extras.proxySource)));
    m_environment->setObjectName(QStringLiteral("proxyEnvironment"));
    m_environment->setWordWrap(true);
    m_environment->setTextFormat(Qt::PlainText);
    m_environment->setText(environmentText(url));
    m_proxyUrl->setObjectName(QStringLiteral("proxyUrl"));
    m_proxyUrl->setPlaceholderText(tr("http://proxy.example:3128 or socks5h://127.0.0.1:1080"));
    m_proxyUrl->setToolTip(tr("An HTTP proxy (a CONNECT tunnel: wss:// stays encrypted end to end) or a SOCKS5 proxy "
                              "(socks5: names looked up here; socks5h: by the proxy). Without a port, 1080."));
    m_proxyUrl->setText(extras.proxyUrl);
    m_proxyUser->setObjectName(QStringLiteral("proxyUser"));
    m_proxyUser->setPlaceholderText(tr("none"));
    m_proxyUser->setText(extras.proxyUser);
    m_proxyPassword->setObjectName(QStringLiteral("proxyPassword"));
    m_proxyPassword->setEchoMode(QLineEdit::Password);
    m_proxyPassword->setToolTip(tr("Kept until the inspector closes; never saved"));
    m_proxyPassword->setText(extras.proxyPassword);
    auto *proxyBox = new QGroupBox(tr("&Proxy"), this);
    auto *proxyForm = new QFormLayout(proxyBox);
    proxyForm->addRow(tr("Outgoing connections:"), m_proxySource);
    proxyForm->addRow(QString(), m_environment);
    proxyForm->addRow(tr("Proxy &URL:"), m_proxyUrl);
    auto *credentials = new QHBoxLayout;
    credentials->addWidget(m_proxyUser, 1);
    auto *passwordLabel = new QLabel(tr("Pass&word:"), this);
    passwordLabel->setBuddy(m_proxyPassword);
    credentials->addWidget(passwordLabel);
    credentials->addWidget(m_proxyPassword, 1);
    auto *userLabel = new QLabel(tr("U&ser:"), this);
    userLabel->setBuddy(m_proxyUser);
    proxyForm->addRow(userLabel, credentials);

    // TLS
    m_caFile->setObjectName(QStringLiteral("caFile"));
    m_caFile->setPlaceholderText(tr("the system's only"));
    m_caFile->setText(extras.caFile);
    m_certFile->setObjectName(QStringLiteral("certFile"));
    m_certFile->setPlaceholderText(tr("none"));
    m_certFile->setText(extras.certFile);
    m_keyFile->setObjectName(QStringLiteral("keyFile"));
    m_keyFile->setPlaceholderText(tr("in the certificate's file"));
    m_keyFile->setText(extras.keyFile);
    auto *tlsBox = new QGroupBox(tr("&TLS (wss://)"), this);
    auto *tlsForm = new QFormLayout(tlsBox);
    const QString pem = tr("Certificates (*.pem *.crt *.cer *.der);;All files (*)");
    tlsForm->addRow(tr("Also trust the CAs in:"), fileRow(m_caFile, tr("Certificate authorities"), pem));
    tlsForm->addRow(tr("Client certificate:"),
                    fileRow(m_certFile, tr("Client certificate"), tr("Certificates (*.pem *.crt *.p12 *.pfx);;All files (*)")));
    tlsForm->addRow(tr("Its private key:"), fileRow(m_keyFile, tr("Private key"), tr("Keys (*.pem *.key);;All files (*)")));
    auto *tlsHint = new QLabel(tr("For servers that ask for a client certificate (mutual TLS): PEM, or PKCS#12 (.p12, "
                                  ".pfx). A passphrase is asked for when connecting and kept until the inspector closes."),
                               this);
    tlsHint->setWordWrap(true);
    tlsForm->addRow(tlsHint);

    // Keep-alive
    m_keepAlive->setObjectName(QStringLiteral("keepAlive"));
    m_keepAlive->setCheckable(true);
    m_keepAlive->setChecked(extras.keepAliveSeconds > 0);
    m_keepAliveSeconds->setObjectName(QStringLiteral("keepAliveSeconds"));
    m_keepAliveSeconds->setRange(1, 86'400);
    m_keepAliveSeconds->setSuffix(tr(" s"));
    m_keepAliveSeconds->setValue(extras.keepAliveSeconds > 0 ? extras.keepAliveSeconds : 30);
    m_pongTimeout->setObjectName(QStringLiteral("pongTimeout"));
    m_pongTimeout->setRange(1, 86'400'000);
    m_pongTimeout->setSuffix(tr(" ms"));
    m_pongTimeout->setValue(extras.pongTimeoutMs);
    auto *keepAliveForm = new QFormLayout(m_keepAlive);
    keepAliveForm->addRow(tr("Ping every:"), m_keepAliveSeconds);
    keepAliveForm->addRow(tr("Dead without a pong within:"), m_pongTimeout);

    // Reconnect
    m_reconnect->setObjectName(QStringLiteral("reconnect"));
    m_reconnect->setCheckable(true);
    m_reconnect->setChecked(extras.reconnect);
    m_reconnect->setToolTip(tr("When a connection drops or cannot be made, and you did not close it, open another with "
                               "the same settings: a new entry in the list, whose first line says why"));
    m_attempts->setObjectName(QStringLiteral("reconnectAttempts"));
    m_attempts->setRange(0, 1'000'000);
    m_attempts->setSpecialValueText(tr("no limit"));
    m_attempts->setValue(extras.reconnectPolicy.maxAttempts);
    m_firstDelay->setObjectName(QStringLiteral("reconnectFirstDelay"));
    m_maxDelay->setObjectName(QStringLiteral("reconnectMaxDelay"));
    for (QSpinBox *delay : { m_firstDelay, m_maxDelay }) {
        delay->setRange(1, 86'400'000);
        delay->setSuffix(tr(" ms"));
    }
    m_firstDelay->setValue(extras.reconnectPolicy.firstDelayMs);
    m_maxDelay->setValue(extras.reconnectPolicy.maxDelayMs);
    auto *reconnectForm = new QFormLayout(m_reconnect);
    reconnectForm->addRow(tr("Failed attempts in a row:"), m_attempts);
    auto *delays = new QHBoxLayout;
    delays->addWidget(m_firstDelay);
    delays->addWidget(new QLabel(tr("doubling up to"), this));
    delays->addWidget(m_maxDelay);
    delays->addStretch();
    reconnectForm->addRow(tr("First wait:"), delays);

    m_problem->setObjectName(QStringLiteral("problem"));
    m_problem->setWordWrap(true);
    m_problem->setTextFormat(Qt::PlainText);
    m_problem->setStyleSheet(QStringLiteral("color: palette(highlight);")); // as the relay dialog's errors
    m_problem->hide();

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    connect(buttons, &QDialogButtonBox::accepted, this, &ConnectionSettingsDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(proxyBox);
    layout->addWidget(tlsBox);
    auto *lower = new QHBoxLayout;
    lower->addWidget(m_keepAlive);
    lower->addWidget(m_reconnect, 1);
    layout->addLayout(lower);
    layout->addWidget(m_problem);
    layout->addWidget(buttons);

    connect(m_proxySource, &QComboBox::currentIndexChanged, this, &ConnectionSettingsDialog::updateProxyFields);
    updateProxyFields();
}

QWidget *ConnectionSettingsDialog::fileRow(QLineEdit *edit, const QString &title, const QString &filter)
{
    auto *row = new QWidget(this);
    auto *layout = new QHBoxLayout(row);
    layout->setContentsMargins(0, 0, 0, 0);
    edit->setClearButtonEnabled(true);
    edit->setMinimumWidth(280);
    auto *browse = new QPushButton(tr("Browse\u2026"), row);
    browse->setObjectName(edit->objectName() + QStringLiteral("Browse"));
    connect(browse, &QPushButton::clicked, this, [this, edit, title, filter] {
        const QString path = QFileDialog::getOpenFileName(this, title, QFileInfo(edit->text()).path(), filter);
        if (!path.isEmpty())
            edit->setText(path);
    });
    layout->addWidget(edit, 1);
    layout->addWidget(browse);
    return row;
}

void ConnectionSettingsDialog::updateProxyFields()
{
    const auto source = ProxySetting::Source(m_proxySource->currentData().toInt());
    for (QWidget *field : { static_cast<QWidget *>(m_proxyUrl), static_cast<QWidget *>(m_proxyUser),
                            static_cast<QWidget *>(m_proxyPassword) })
        field->setEnabled(source == ProxySetting::Source::Fixed);
    m_environment->setVisible(source == ProxySetting::Source::Environment);
}

ConnectionExtras ConnectionSettingsDialog::extras() const
{
    ConnectionExtras e;
    e.proxySource = ProxySetting::Source(m_proxySource->currentData().toInt());
    e.proxyUrl = m_proxyUrl->text().trimmed();
    e.proxyUser = m_proxyUser->text();
    e.proxyPassword = m_proxyPassword->text();
    e.caFile = m_caFile->text().trimmed();
    e.certFile = m_certFile->text().trimmed();
    e.keyFile = m_keyFile->text().trimmed();
    e.keepAliveSeconds = m_keepAlive->isChecked() ? m_keepAliveSeconds->value() : 0;
    e.pongTimeoutMs = m_pongTimeout->value();
    e.reconnect = m_reconnect->isChecked();
    e.reconnectPolicy.maxAttempts = m_attempts->value();
    e.reconnectPolicy.firstDelayMs = m_firstDelay->value();
    e.reconnectPolicy.maxDelayMs = std::max(m_firstDelay->value(), m_maxDelay->value());
    return e;
}

QString ConnectionSettingsDialog::problem() const
{
    const ConnectionExtras e = extras();
    // Whatever the source: the URL is remembered, so it may not hold a password.
    if (OutgoingProxy::redacted(e.proxyUrl) != e.proxyUrl)
        return tr("Proxy: give the password in its own field, not in the URL (the URL is remembered, the password is not)");
    if (e.proxySource == ProxySetting::Source::Fixed) {
        QString why;
        if (!e.fixedProxy(&why))
            return tr("Proxy: %1").arg(why);
    }
    for (const auto &[path, what] : { std::pair { e.caFile, tr("Certificate authorities") }, std::pair { e.certFile, tr("Client certificate") },
                                      std::pair { e.keyFile, tr("Private key") } }) {
        if (path.isEmpty())
            continue;
        const QFileInfo info(path);
        if (!info.isFile() || !info.isReadable())
            return tr("%1: \"%2\" is not a file that can be read").arg(what, path);
    }
    if (!e.keyFile.isEmpty() && e.certFile.isEmpty())
        return tr("Private key: give the client certificate too");
    if (!e.caFile.isEmpty()) {
        QString why;
        if (!ClientTls::readCaFile(e.caFile, &why))
            return tr("Certificate authorities: %1").arg(why);
    }
    return {};
}

void ConnectionSettingsDialog::showProblem(const QString &problem)
{
    m_problem->setText(problem);
    m_problem->setVisible(!problem.isEmpty());
}

void ConnectionSettingsDialog::accept()
{
    const QString p = problem();
    showProblem(p);
    if (p.isEmpty())
        QDialog::accept();
}
