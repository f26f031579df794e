#include "inspect/connectionbar.h"
#include "inspect/connectionsettingsdialog.h"

#include "text/sizeformat.h"

#include "inspect/headerseditor.h"
#include "inspect/socketiooptionsrow.h"
#include "net/clientsession.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDateTime>
#include <QFileInfo>
#include <QFontDatabase>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QInputDialog>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QPushButton>
#include <QSettings>
#include <QStyle>
#include <QToolButton>
#include <QVBoxLayout>

namespace {

struct BadgeLook {
    QString text;
    QColor background;
    QColor foreground;
};

// Saturated fills with the text colour of highest contrast, so the badge reads the same on light
// and dark palettes.
BadgeLook badgeLook(const ClientSession *session)
{
    if (!session)
        return { ConnectionBar::tr("NOT CONNECTED"), QColor(0x61, 0x61, 0x61), Qt::white };
    const ReadyState state = session->readyState();
    switch (state) {
    case ReadyState::Connecting:
        return { readyStateName(state), QColor(0xf0, 0xb4, 0x00), Qt::black };
    case ReadyState::Open:
        return { readyStateName(state), QColor(0x2e, 0x7d, 0x32), Qt::white };
    case ReadyState::Closing:
        return { readyStateName(state), QColor(0xe6, 0x51, 0x00), Qt::black };
    case ReadyState::Closed:
        break;
    }
    return { readyStateName(ReadyState::Closed), QColor(0x61, 0x61, 0x61), Qt::white };
}

QString elapsedText(qint64 us)
{
    const qint64 s = qMax<qint64>(0, us / 1'000'000);
    return QStringLiteral("%1:%2:%3")
        .arg(s / 3600, 2, 10, QLatin1Char('0'))
        .arg((s / 60) % 60, 2, 10, QLatin1Char('0'))
        .arg(s % 60, 2, 10, QLatin1Char('0'));
}

QString trafficText(const QString &arrow, const TrafficStats::Direction &d)
{
    const QString messages
        = d.messages == 1 ? ConnectionBar::tr("1 message") : ConnectionBar::tr("%1 messages").arg(d.messages);
    return QStringLiteral("%1 %2 \u00b7 %3").arg(arrow, messages, SizeFormat::rounded(d.bytes));
}

} // namespace

ConnectionBar::ConnectionBar(QSettings *settings, QWidget *parent)
    : QWidget(parent)
    , m_settings(settings)
    , m_url(new QComboBox(this))
    , m_connect(new QPushButton(tr("&Connect"), this))
    , m_disconnect(new QPushButton(tr("&Disconnect"), this))
    , m_problemIcon(new QLabel(this))
    , m_problem(new QLabel(this))
    , m_problemRow(new QWidget(this))
    , m_subprotocols(new QLineEdit(this))
    , m_engine(new QComboBox(this))
    , m_deflate(new QCheckBox(tr("Co&mpression"), this))
    , m_allowCertErrors(new QCheckBox(tr("Allow certificate &errors"), this))
    , m_socketIo(new QCheckBox(tr("Socket.&IO"), this))
    , m_socketIoRow(new SocketIoOptionsRow(this))
    , m_headersToggle(new QToolButton(this))
    , m_extrasButton(new QToolButton(this))
    , m_headers(new HeadersEditor(this))
    , m_badge(new QLabel(this))
    , m_elapsed(new QLabel(this))
    , m_sent(new QLabel(this))
    , m_received(new QLabel(this))
    , m_reconnectNote(new QLabel(this))
{
    m_url->setObjectName(QStringLiteral("url"));
    m_url->setEditable(true);
    m_url->setInsertPolicy(QComboBox::NoInsert);
    // Inline completion would silently change the URL the user typed into a recent one.
    m_url->setCompleter(nullptr);
    m_url->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
    m_url->setMinimumContentsLength(30);
    m_url->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_url->lineEdit()->setPlaceholderText(tr("ws://host:port/path or wss://\u2026"));
    m_url->setToolTip(tr("WebSocket URL (ws:// or wss://). Enter connects; the list holds recent URLs."));
    m_url->setAccessibleName(tr("URL"));

    m_connect->setObjectName(QStringLiteral("connect"));
    m_connect->setToolTip(tr("Open a new connection with these settings (Enter in the URL field)"));
    m_disconnect->setObjectName(QStringLiteral("disconnect"));
    m_disconnect->setToolTip(tr("Start the closing handshake of the connection shown (1000 Normal Closure)"));

    m_problemRow->setObjectName(QStringLiteral("problemRow"));
    m_problem->setObjectName(QStringLiteral("problem"));
    m_problem->setTextFormat(Qt::PlainText);
    m_problem->setWordWrap(true);
    m_problem->setTextInteractionFlags(Qt::TextSelectableByMouse);
    const int iconSize = style()->pixelMetric(QStyle::PM_SmallIconSize, nullptr, this);
    m_problemIcon->setPixmap(style()->standardIcon(QStyle::SP_MessageBoxWarning).pixmap(iconSize, iconSize));
    auto *problemLayout = new QHBoxLayout(m_problemRow);
    problemLayout->setContentsMargins(0, 0, 0, 0);
    problemLayout->addWidget(m_problemIcon, 0, Qt::AlignTop);
    problemLayout->addWidget(m_problem, 1);
    m_problemRow->hide();

    m_subprotocols->setObjectName(QStringLiteral("subprotocols"));
    m_subprotocols->setPlaceholderText(tr("none, e.g. chat, superchat"));
    m_subprotocols->setToolTip(tr("Sec-WebSocket-Protocol offers, comma-separated, in order of preference"));
    m_subprotocols->setClearButtonEnabled(true);

    m_engine->setObjectName(QStringLiteral("engine"));
    m_engine->addItem(tr("Inspector engine"), int(ConnectionOptions::Engine::Inspector));
    m_engine->addItem(tr("Qt QWebSocket"), int(ConnectionOptions::Engine::Qt));
    m_engine->setToolTip(tr("Which client runs the connection. The inspector's own engine sees and sends "
                            "everything, hand-made frames included. Qt's QWebSocket is watched through a relay "
                            "inside the inspector: the log shows its frames as they crossed the wire, every signal "
                            "it emitted, and where its report differs from the wire."));
    m_engine->setAccessibleName(tr("Client engine"));

    m_deflate->setObjectName(QStringLiteral("deflate"));
    m_deflate->setChecked(true);
    m_deflateToolTip = tr("Offer permessage-deflate (RFC 7692) as browsers do: \"permessage-deflate; "
                          "client_max_window_bits\". The server decides; the Handshake tab shows its answer, and "
                          "compressed messages are shown both as sent and inflated.");
    m_deflate->setToolTip(m_deflateToolTip);
    m_allowCertErrors->setObjectName(QStringLiteral("allowCertificateErrors"));
    m_allowCertErrors->setToolTip(tr(
        "For this connection only (wss://): go on despite an untrusted, expired or mismatched certificate. The errors "
        "are still recorded."));
    m_allowCertErrors->setEnabled(false);

    m_socketIo->setObjectName(QStringLiteral("socketIo"));
    m_socketIo->setToolTip(tr("Play a Socket.IO v4 client: open Engine.IO's websocket transport (/socket.io/ when the "
                              "URL has no path), join the namespace, answer Engine.IO pings"));
    m_socketIoRow->setObjectName(QStringLiteral("socketIoRow"));
    m_socketIoRow->hide();
    m_headersToggle->setObjectName(QStringLiteral("headersToggle"));
    m_headersToggle->setCheckable(true);
    m_headersToggle->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    m_headersToggle->setArrowType(Qt::RightArrow);
    m_headersToggle->setToolTip(tr("Show the Origin and extra request headers"));
    m_headers->setObjectName(QStringLiteral("headersEditor"));
    m_headers->hide();
    m_extrasButton->setObjectName(QStringLiteral("connectionSettings"));
    m_extrasButton->setToolButtonStyle(Qt::ToolButtonTextOnly);
    m_reconnectNote->setObjectName(QStringLiteral("reconnectNote"));
    m_reconnectNote->setTextFormat(Qt::PlainText);

    m_badge->setObjectName(QStringLiteral("state"));
    m_badge->setAlignment(Qt::AlignCenter);
    m_badge->setToolTip(tr("readyState of the connection shown"));
    m_elapsed->setObjectName(QStringLiteral("elapsed"));
    m_elapsed->setToolTip(tr("Time connected (since the handshake completed)"));
    m_sent->setObjectName(QStringLiteral("sent"));
    m_sent->setToolTip(tr("Sent: data messages, and bytes on the wire (handshake, frame headers, payloads)"));
    m_received->setObjectName(QStringLiteral("received"));
    m_received->setToolTip(tr("Received: data messages, and bytes on the wire (handshake, frame headers, payloads)"));
    for (QLabel *label : { m_elapsed, m_sent, m_received })
        label->setTextFormat(Qt::PlainText);
    const QFont fixed = QFontDatabase::systemFont(QFontDatabase::FixedFont);
    m_elapsed->setFont(fixed);

    // Layout: URL row, its problem, options row, headers, status row.
    auto *urlLabel = new QLabel(tr("&URL:"), this);
    urlLabel->setBuddy(m_url);
    auto *subprotocolsLabel = new QLabel(tr("Sub&protocols:"), this);
    subprotocolsLabel->setBuddy(m_subprotocols);

    auto *grid = new QGridLayout;
    grid->setContentsMargins(0, 0, 0, 0);
    grid->addWidget(urlLabel, 0, 0);
    auto *urlRow = new QHBoxLayout;
    urlRow->addWidget(m_url, 1);
    urlRow->addWidget(m_engine);
    urlRow->addWidget(m_connect);
    urlRow->addWidget(m_disconnect);
    grid->addLayout(urlRow, 0, 1);
    grid->addWidget(m_problemRow, 1, 1);
    grid->addWidget(subprotocolsLabel, 2, 0);
    auto *optionsRow = new QHBoxLayout;
    optionsRow->addWidget(m_subprotocols, 1);
    optionsRow->addSpacing(8);
    optionsRow->addWidget(m_deflate);
    optionsRow->addSpacing(8);
    optionsRow->addWidget(m_socketIo);
    optionsRow->addWidget(m_allowCertErrors);
    optionsRow->addSpacing(8);
    optionsRow->addWidget(m_headersToggle);
    optionsRow->addWidget(m_extrasButton);
    grid->addLayout(optionsRow, 2, 1);
    grid->addWidget(m_socketIoRow, 3, 1);
    grid->addWidget(m_headers, 4, 1);
    grid->setColumnStretch(1, 1);

    auto *statusRow = new QHBoxLayout;
    statusRow->addWidget(m_badge);
    statusRow->addSpacing(6);
    statusRow->addWidget(m_elapsed);
    statusRow->addSpacing(12);
    statusRow->addWidget(m_sent);
    statusRow->addSpacing(12);
    statusRow->addWidget(m_received);
    statusRow->addSpacing(12);
    statusRow->addWidget(m_reconnectNote);
    statusRow->addStretch();

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(grid);
    layout->addLayout(statusRow);

    setTabOrder(m_url, m_engine);
    setTabOrder(m_engine, m_connect);
    setTabOrder(m_connect, m_disconnect);
    setTabOrder(m_disconnect, m_subprotocols);
    setTabOrder(m_subprotocols, m_deflate);
    setTabOrder(m_deflate, m_socketIo);
    setTabOrder(m_socketIo, m_allowCertErrors);
    setTabOrder(m_allowCertErrors, m_headersToggle);
    setTabOrder(m_headersToggle, m_extrasButton);

    if (m_settings) {
        m_recent = m_settings->value(RecentUrlsKey).toStringList();
        const std::optional<ConnectionOptions::Engine> engine
            = ClientEngine::engineFromKey(m_settings->value(EngineKey).toString());
        if (engine)
            m_engine->setCurrentIndex(m_engine->findData(int(*engine)));
    }
    fillRecentUrls();
    m_url->setEditText(m_recent.value(0));
    if (m_settings)
        m_extras = ConnectionExtras::load(*m_settings);
    m_prompt = [this](const QString &certFile) -> std::optional<QByteArray> {
        bool ok = false;
        const QString passphrase = QInputDialog::getText(this, tr("Client certificate"),
            tr("Passphrase of %1 (kept until the inspector closes):").arg(QFileInfo(certFile).fileName()), QLineEdit::Password,
            QString(), &ok);
        if (!ok)
            return std::nullopt;
        return passphrase.toUtf8();
    };
    connect(m_extrasButton, &QToolButton::clicked, this, &ConnectionBar::editExtras);
    updateExtrasButton();

    connect(m_url->lineEdit(), &QLineEdit::returnPressed, this, &ConnectionBar::requestConnect);
    connect(m_url, &QComboBox::editTextChanged, this, &ConnectionBar::urlEdited);
    connect(m_subprotocols, &QLineEdit::returnPressed, this, &ConnectionBar::requestConnect);
    connect(m_engine, &QComboBox::currentIndexChanged, this, &ConnectionBar::engineChosen);
    // Remembered when the user picks it, not when a session's options are shown.
    connect(m_engine, &QComboBox::activated, this, [this] {
        if (m_settings)
            m_settings->setValue(EngineKey, ClientEngine::engineKey(engine()));
    });
    connect(m_connect, &QPushButton::clicked, this, &ConnectionBar::requestConnect);
    connect(m_disconnect, &QPushButton::clicked, this, &ConnectionBar::disconnectRequested);
    connect(m_socketIo, &QCheckBox::toggled, this, [this](bool on) {
        m_socketIoRow->setVisible(on);
        urlEdited();
    });
    connect(m_socketIoRow, &SocketIoOptionsRow::changed, this, &ConnectionBar::urlEdited);
    connect(m_headersToggle, &QToolButton::toggled, this, [this](bool shown) {
        m_headers->setVisible(shown);
        m_headersToggle->setArrowType(shown ? Qt::DownArrow : Qt::RightArrow);
    });
    connect(m_headers, &HeadersEditor::changed, this, [this] {
        updateHeadersToggle();
        if (!m_problemRow->isHidden())
            showProblem(problem());
    });
    m_tick.setInterval(1000);
    connect(&m_tick, &QTimer::timeout, this, &ConnectionBar::updateElapsed);

    urlEdited();
    engineChosen();
    updateHeadersToggle();
    updateSessionView();
}

ConnectionOptions::Engine ConnectionBar::engine() const
{
    return ConnectionOptions::Engine(m_engine->currentData().toInt());
}

void ConnectionBar::engineChosen()
{
    // QWebSocket offers no extensions: the box would promise what cannot happen.
    const bool qt = engine() == ConnectionOptions::Engine::Qt;
    m_deflate->setEnabled(!qt);
    m_deflate->setToolTip(qt ? tr("Qt's QWebSocket offers no permessage-deflate.") : m_deflateToolTip);
}

QUrl ConnectionBar::currentUrl() const
{
    return QUrl(m_url->currentText().trimmed());
}

ConnectionOptions ConnectionBar::options() const
{
    ConnectionOptions o = m_base;
    o.openingNote.clear(); // a reconnected session's note, when its options were shown: not the user's
    o.engine = engine();
    o.url = currentUrl();
    o.socketIo.reset();
    if (m_socketIo->isChecked()) {
        o.socketIo = m_socketIoRow->options();
        o.url = SocketIoClient::engineUrl(o.url);
    }
    o.headers = m_headers->headers();
    o.origin = m_headers->origin();
    o.subprotocols.clear();
    const QStringList parts = m_subprotocols->text().split(QLatin1Char(','));
    for (const QString &part : parts) {
        const QString p = part.trimmed();
        if (!p.isEmpty())
            o.subprotocols.append(p);
    }
    if (!m_deflate->isChecked() || o.engine == ConnectionOptions::Engine::Qt)
        o.deflate.reset();
    else if (!o.deflate)
        o.deflate = PerMessageDeflate::Offer();
    o.allowCertificateErrors = ClientConnection::isSecure(o.url) && m_allowCertErrors->isChecked();
    return o;
}

void ConnectionBar::setOptions(const ConnectionOptions &options)
{
    m_base = options;
    m_url->setEditText(options.url.toString());
    m_engine->setCurrentIndex(m_engine->findData(int(options.engine)));
    m_subprotocols->setText(options.subprotocols.join(QStringLiteral(", ")));
    m_deflate->setChecked(options.deflate.has_value());
    m_socketIo->setChecked(options.socketIo.has_value());
    if (options.socketIo)
        m_socketIoRow->setOptions(*options.socketIo);
    m_headers->setHeaders(options.headers);
    m_headers->setOrigin(options.origin);
    if (!options.headers.isEmpty() || !options.origin.isEmpty())
        m_headersToggle->setChecked(true);
    urlEdited();
    m_allowCertErrors->setChecked(ClientConnection::isSecure(options.url) && options.allowCertificateErrors);
    showProblem(QString());
}

QString ConnectionBar::problem() const
{
    // Socket.IO takes the server's http(s) URL too, as socket.io-client does.
    const QUrl url = m_socketIo->isChecked() ? SocketIoClient::engineUrl(currentUrl()) : currentUrl();
    const QString urlProblem = ClientConnection::urlProblem(url);
    if (!urlProblem.isEmpty())
        return urlProblem;
    if (m_socketIo->isChecked() && !m_socketIoRow->problem().isEmpty())
        return m_socketIoRow->problem();
    return m_headers->problem();
}

void ConnectionBar::requestConnect()
{
    const QString p = problem();
    showProblem(p);
    if (!p.isEmpty()) {
        if (!m_headers->problem().isEmpty() && p == m_headers->problem())
            m_headersToggle->setChecked(true);
        return;
    }
    ConnectionOptions o = options();
    QString why;
    if (!applyExtras(o, &why)) {
        showProblem(why);
        return;
    }
    rememberUrl(o.url.toString());
    Q_EMIT connectRequested(o);
}

bool ConnectionBar::applyExtras(ConnectionOptions &options, QString *problem)
{
    const auto passphrase = [this]() -> std::optional<QByteArray> {
        if (const auto known = m_passphrases.constFind(m_extras.certFile); known != m_passphrases.cend())
            return *known;
        const std::optional<QByteArray> given = m_prompt ? m_prompt(m_extras.certFile) : std::nullopt;
        if (given)
            m_passphrases.insert(m_extras.certFile, *given);
        return given;
    };
    if (m_extras.applyTo(options, passphrase, problem))
        return true;
    m_passphrases.remove(m_extras.certFile); // a wrong one is asked for again
    return false;
}

void ConnectionBar::setExtras(const ConnectionExtras &extras)
{
    m_extras = extras;
    if (m_settings)
        m_extras.save(*m_settings);
    updateExtrasButton();
}

void ConnectionBar::editExtras()
{
    ConnectionSettingsDialog dialog(m_extras, m_socketIo->isChecked() ? SocketIoClient::engineUrl(currentUrl()) : currentUrl(),
                                    this);
    if (dialog.exec() == QDialog::Accepted)
        setExtras(dialog.extras());
}

void ConnectionBar::updateExtrasButton()
{
    // The count only: the options row has no room to spare at 1366 pixels; the tooltip says which.
    const QString summary = m_extras.summary();
    const qsizetype set = summary.isEmpty() ? 0 : summary.count(QLatin1Char(',')) + 1;
    m_extrasButton->setText(set ? tr("&More (%1)\u2026").arg(set) : tr("&More\u2026"));
    const QString what = tr("Proxy, certificate authorities and client certificate (mutual TLS), keep-alive, "
                            "reconnecting");
    m_extrasButton->setToolTip(summary.isEmpty() ? what : tr("%1. Set: %2").arg(what, summary));
}

void ConnectionBar::urlEdited()
{
    const bool secure = ClientConnection::isSecure(m_socketIo->isChecked() ? SocketIoClient::engineUrl(currentUrl()) : currentUrl());
    m_allowCertErrors->setEnabled(secure);
    if (!secure)
        m_allowCertErrors->setChecked(false);
    // Once a problem is shown, follow the edits so that it goes away as soon as it is fixed.
    if (!m_problemRow->isHidden())
        showProblem(problem());
}

void ConnectionBar::showProblem(const QString &problem)
{
    m_problem->setText(problem);
    m_problemRow->setVisible(!problem.isEmpty());
}

void ConnectionBar::rememberUrl(const QString &url)
{
    m_recent.removeAll(url);
    m_recent.prepend(url);
    while (m_recent.size() > MaxRecentUrls)
        m_recent.removeLast();
    if (m_settings)
        m_settings->setValue(RecentUrlsKey, m_recent);
    fillRecentUrls();
}

void ConnectionBar::fillRecentUrls()
{
    const QString text = m_url->currentText();
    const QSignalBlocker blocker(m_url);
    m_url->clear();
    m_url->addItems(m_recent);
    m_url->setCurrentIndex(-1);
    m_url->setEditText(text);
}

void ConnectionBar::updateHeadersToggle()
{
    const qsizetype count = m_headers->headers().size() + (m_headers->origin().isEmpty() ? 0 : 1);
    m_headersToggle->setText(count ? tr("&Headers (%1)").arg(count) : tr("&Headers"));
}

void ConnectionBar::setSession(const ClientSession *session)
{
    if (m_session)
        m_session->disconnect(this);
    m_session = session;
    if (session) {
        connect(session, &ClientSession::changed, this, &ConnectionBar::updateSessionView);
        connect(session, &QObject::destroyed, this, &ConnectionBar::updateSessionView, Qt::QueuedConnection);
    }
    updateSessionView();
}

void ConnectionBar::updateSessionView()
{
    const ClientSession *session = m_session;
    const BadgeLook look = badgeLook(session);
    m_badge->setText(look.text);
    m_badge->setStyleSheet(QStringLiteral(
        "QLabel { background-color: %1; color: %2; border-radius: 4px; padding: 2px 8px; font-weight: bold; }")
                               .arg(look.background.name(), look.foreground.name()));
    m_badge->setAccessibleName(tr("Connection state: %1").arg(look.text));

    const ReadyState state = session ? session->readyState() : ReadyState::Closed;
    // Disconnect also stops a reconnect that is waiting.
    const bool reconnecting = session && session->reconnectPending();
    m_disconnect->setEnabled(session && (state != ReadyState::Closed || reconnecting));
    m_reconnectNote->setText(session ? session->reconnectNote() : QString());
    if (session && state == ReadyState::Open) {
        if (!m_tick.isActive())
            m_tick.start();
    } else {
        m_tick.stop();
    }
    updateElapsed();

    if (!session) {
        m_sent->clear();
        m_received->clear();
        return;
    }
    const TrafficStats &stats = session->stats();
    if (session->kind() == ClientSession::Kind::Relay) {
        m_sent->setText(trafficText(tr("app \u2192 server"), stats.out));
        m_received->setText(trafficText(tr("server \u2192 app"), stats.in));
        return;
    }
    m_sent->setText(trafficText(QStringLiteral("\u2191"), stats.out));
    m_received->setText(trafficText(QStringLiteral("\u2193"), stats.in));
}

void ConnectionBar::updateElapsed()
{
    const ClientSession *session = m_session;
    if (!session || session->stats().openedAtUs == 0) {
        m_elapsed->setText(session ? QStringLiteral("--:--:--") : QString());
        return;
    }
    const TrafficStats &stats = session->stats();
    const qint64 end = stats.closedAtUs ? stats.closedAtUs : QDateTime::currentMSecsSinceEpoch() * 1000;
    m_elapsed->setText(elapsedText(end - stats.openedAtUs));
}
