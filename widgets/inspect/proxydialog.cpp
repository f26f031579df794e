#include "inspect/proxydialog.h"

#include "common/listenaddress.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QDir>
#include <QFileDialog>
#include <QFontDatabase>
#include <QFormLayout>
#include <QGroupBox>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QRegularExpression>
#include <QSpinBox>
#include <QVBoxLayout>

namespace {
QLabel *wrappedLabel(const QString &text, QWidget *parent)
{
    auto *label = new QLabel(text, parent);
    label->setWordWrap(true);
    label->setTextFormat(Qt::PlainText);
    return label;
}
} // namespace

ProxyDialog::ProxyDialog(QWidget *parent)
    : QDialog(parent)
    , m_address(new QComboBox(this))
    , m_port(new QSpinBox(this))
    , m_noIntercept(new QLineEdit(this))
    , m_insecureHosts(new QLineEdit(this))
    , m_insecureAll(new QCheckBox(tr("Accept every server's certificate errors"), this))
    , m_authority(wrappedLabel(QString(), this))
    , m_export(new QPushButton(tr("Export Certificate\u2026"), this))
    , m_exportResult(wrappedLabel(QString(), this))
    , m_error(wrappedLabel(QString(), this))
{
    setWindowTitle(tr("Start proxy"));
    QLabel *intro = wrappedLabel(tr("For browsers and programs that take a proxy setting: set their HTTP and HTTPS "
                                    "proxy to this address. WebSocket connections through it are shown frame by "
                                    "frame, both sides; pages and other requests are passed on unchanged."),
        this);

    m_address->setObjectName(QStringLiteral("proxyAddress"));
    ListenAddress::fillChoices(m_address);
    m_address->setToolTip(tr("Address to listen on. Anything but loopback asks first."));
    m_port->setObjectName(QStringLiteral("proxyPort"));
    m_port->setRange(0, 65535);
    m_port->setValue(8082);
    m_port->setSpecialValueText(tr("any"));
    m_port->setToolTip(tr("TCP port of the proxy; \"any\" (0) lets the system pick a free one"));
    m_noIntercept->setObjectName(QStringLiteral("proxyNoIntercept"));
    m_noIntercept->setPlaceholderText(tr("*.bank.example, example.org"));
    m_noIntercept->setToolTip(tr("Connections to these hosts pass through untouched, TLS and all: the inspector "
                                 "never sees inside them. * stands for any run of characters in a name."));
    m_insecureHosts->setObjectName(QStringLiteral("proxyInsecureHosts"));
    m_insecureHosts->setPlaceholderText(tr("localhost, *.test"));
    m_insecureHosts->setToolTip(tr("Servers whose certificate errors are accepted (a development server with a "
                                   "self-signed certificate). Others must pass verification against the "
                                   "system's certificate authorities."));
    m_insecureAll->setObjectName(QStringLiteral("proxyInsecureAll"));

    auto *form = new QFormLayout;
    auto *listen = new QHBoxLayout;
    listen->addWidget(m_address, 1);
    listen->addWidget(new QLabel(tr("port"), this));
    listen->addWidget(m_port);
    form->addRow(tr("Listen on:"), listen);
    form->addRow(tr("Never look into:"), m_noIntercept);
    form->addRow(tr("Accept certificate errors of:"), m_insecureHosts);
    form->addRow(QString(), m_insecureAll);

    auto *authorityBox = new QGroupBox(tr("Certificate authority for wss:// and https://"), this);
    m_authority->setObjectName(QStringLiteral("proxyAuthority"));
    m_authority->setWordWrap(false);
    m_authority->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_authority->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_export->setObjectName(QStringLiteral("proxyExport"));
    m_export->setToolTip(tr("Write the certificate (never its key) to a file, to import into a browser or "
                            "give to a program (NODE_EXTRA_CA_CERTS, curl --cacert)"));
    m_exportResult->setObjectName(QStringLiteral("proxyExportResult"));
    m_exportResult->hide();
    auto *authorityLayout = new QVBoxLayout(authorityBox);
    authorityLayout->addWidget(m_authority);
    authorityLayout->addWidget(wrappedLabel(tr("A client that trusts this authority lets the inspector read its "
                                               "encrypted traffic through the proxy; so would anyone holding the "
                                               "key. Trust it in a test browser profile, and remove it when done."),
        authorityBox));
    auto *exportRow = new QHBoxLayout;
    exportRow->addWidget(m_export);
    exportRow->addStretch(1);
    authorityLayout->addLayout(exportRow);
    authorityLayout->addWidget(m_exportResult);
    connect(m_export, &QPushButton::clicked, this, &ProxyDialog::chooseExportPath);

    m_error->setObjectName(QStringLiteral("proxyError"));
    m_error->setStyleSheet(QStringLiteral("color: palette(highlight);"));
    m_error->hide();

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Cancel, this);
    QPushButton *start = buttons->addButton(tr("Start proxy"), QDialogButtonBox::AcceptRole);
    start->setObjectName(QStringLiteral("proxyStart"));
    start->setDefault(true);
    connect(buttons, &QDialogButtonBox::accepted, this, &ProxyDialog::tryStart);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(intro);
    layout->addLayout(form);
    layout->addWidget(authorityBox);
    layout->addWidget(m_error);
    layout->addWidget(buttons);
    resize(560, sizeHint().height());
    fitHeight();
}

void ProxyDialog::setPort(quint16 port)
{
    m_port->setValue(port);
}

void ProxyDialog::setAddress(const QString &address)
{
    m_address->setCurrentText(address);
}

void ProxyDialog::setNoIntercept(const QString &patterns)
{
    m_noIntercept->setText(patterns);
}

void ProxyDialog::setInsecureHosts(const QString &patterns)
{
    m_insecureHosts->setText(patterns);
}

void ProxyDialog::setAuthority(const QString &directory, const QString &fingerprint, const QString &error)
{
    if (!error.isEmpty()) {
        m_authority->setText(tr("Not available, so TLS passes through uninspected: %1").arg(error));
        m_export->setEnabled(false);
        return;
    }
    // Two lines of 16 bytes each: people compare fingerprints by eye, and one line would not fit.
    const qsizetype half = fingerprint.size() / 2 + 1;
    m_authority->setText(
        tr("%1\nSHA-256 fingerprint:\n%2\n%3")
            .arg(QDir::toNativeSeparators(directory), fingerprint.left(half - 1), fingerprint.mid(half)));
    m_export->setEnabled(true);
    fitHeight();
}

void ProxyDialog::showEvent(QShowEvent *event)
{
    QDialog::showEvent(event);
    fitHeight(); // fonts and styles are final only now, once polished
}

// Tall enough for what it holds at its width: the wrapped labels' height depends on the width,
// which sizeHint() does not know, and the authority's lines arrive after construction.
void ProxyDialog::fitHeight()
{
    layout()->invalidate(); // a label inside the group box changed: its hints are stale up here
    const int needed
        = qMax(sizeHint().height(), layout()->hasHeightForWidth() ? layout()->totalHeightForWidth(width()) : 0);
    if (height() < needed)
        resize(width(), needed);
}

void ProxyDialog::showExportResult(const QString &text)
{
    m_exportResult->setText(text);
    m_exportResult->setVisible(!text.isEmpty());
    fitHeight();
}

QString ProxyDialog::exportResultText() const
{
    return m_exportResult->isHidden() ? QString() : m_exportResult->text();
}

std::optional<QStringList> ProxyDialog::patterns(const QLineEdit *field, const QString &what, QString *error)
{
    static const QRegularExpression separators(QStringLiteral("[,\\s]+"));
    const QStringList list = field->text().split(separators, Qt::SkipEmptyParts);
    for (const QString &pattern : list) {
        if (const QString problem = ProxyServer::patternProblem(pattern); !problem.isEmpty()) {
            *error = tr("%1: %2").arg(what, problem);
            return std::nullopt;
        }
    }
    return list;
}

std::optional<ProxyDialog::Request> ProxyDialog::request(QString *error) const
{
    Request r;
    QString addressError;
    r.address = ListenAddress::parse(m_address->currentText(), &addressError);
    if (r.address.isNull()) {
        *error = addressError;
        return std::nullopt;
    }
    r.port = quint16(m_port->value());
    const std::optional<QStringList> noIntercept = patterns(m_noIntercept, tr("Never look into"), error);
    if (!noIntercept)
        return std::nullopt;
    const std::optional<QStringList> insecure = patterns(m_insecureHosts, tr("Accept certificate errors of"), error);
    if (!insecure)
        return std::nullopt;
    r.options.noIntercept = *noIntercept;
    r.options.insecureHosts = *insecure;
    r.options.relay.allowCertificateErrors = m_insecureAll->isChecked();
    return r;
}

void ProxyDialog::showError(const QString &error)
{
    m_error->setText(error);
    m_error->setVisible(!error.isEmpty());
    fitHeight();
}

QString ProxyDialog::errorText() const
{
    return m_error->isHidden() ? QString() : m_error->text();
}

void ProxyDialog::tryStart()
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

void ProxyDialog::chooseExportPath()
{
    const QString path = m_choosePath ? m_choosePath()
                                      : QFileDialog::getSaveFileName(this, tr("Export the certificate authority"),
                                          QDir::home().filePath(QStringLiteral("wsinspector-ca.pem")),
                                          tr("PEM certificates (*.pem *.crt);;All files (*)"));
    if (!path.isEmpty())
        Q_EMIT exportRequested(path);
}

bool ProxyDialog::confirmExposure(const QHostAddress &address)
{
    return ListenAddress::mayListen(this, address, m_confirm,
        tr("Listening on %1 lets other machines on your network use the proxy.").arg(address.toString()),
        tr("Anyone who can reach this address can then reach any server through this computer, and read what "
           "passes. Listen on 127.0.0.1 to keep it to this machine."));
}
