#include "inspect/socketiooptionsrow.h"

#include "text/jsontext.h"

#include <QCheckBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>

SocketIoOptionsRow::SocketIoOptionsRow(QWidget *parent)
    : QWidget(parent)
    , m_namespace(new QLineEdit(this))
    , m_auth(new QLineEdit(this))
    , m_answerPings(new QCheckBox(tr("Answer pings"), this))
{
    m_namespace->setObjectName(QStringLiteral("socketIoNamespace"));
    m_namespace->setText(QStringLiteral("/"));
    m_namespace->setToolTip(tr("The Socket.IO namespace to join once Engine.IO is open, e.g. /chat"));
    m_namespace->setMaximumWidth(fontMetrics().horizontalAdvance(QLatin1Char('x')) * 16);
    m_auth->setObjectName(QStringLiteral("socketIoAuth"));
    m_auth->setPlaceholderText(tr("auth, e.g. {\"token\":\"abc\"}"));
    m_auth->setToolTip(tr("The JSON object the connect packet carries (socket.io-client's auth option)"));
    m_answerPings->setObjectName(QStringLiteral("socketIoAnswerPings"));
    m_answerPings->setChecked(true);
    m_answerPings->setToolTip(tr("Answer the server's Engine.IO pings. Unticked, the client stays silent and the "
                                 "server drops it after pingInterval + pingTimeout."));
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    auto *label = new QLabel(tr("Namespace:"), this);
    label->setBuddy(m_namespace);
    layout->addWidget(label);
    layout->addWidget(m_namespace);
    layout->addWidget(m_auth, 1);
    layout->addWidget(m_answerPings);
    for (QLineEdit *edit : { m_namespace, m_auth })
        connect(edit, &QLineEdit::textChanged, this, &SocketIoOptionsRow::changed);
    connect(m_answerPings, &QCheckBox::toggled, this, &SocketIoOptionsRow::changed);
}

SocketIoClient::Options SocketIoOptionsRow::options() const
{
    SocketIoClient::Options o;
    const QString nsp = m_namespace->text().trimmed();
    o.nsp = nsp.isEmpty() ? QByteArrayLiteral("/") : nsp.toUtf8();
    const QString auth = m_auth->text().trimmed();
    if (!auth.isEmpty() && !JsonText::check(auth))
        o.auth = JsonText::compact(auth).toUtf8();
    o.answerPings = m_answerPings->isChecked();
    return o;
}

void SocketIoOptionsRow::setOptions(const SocketIoClient::Options &options)
{
    m_namespace->setText(QString::fromUtf8(options.nsp));
    m_auth->setText(QString::fromUtf8(options.auth));
    m_answerPings->setChecked(options.answerPings);
}

QString SocketIoOptionsRow::problem() const
{
    const QString nsp = m_namespace->text().trimmed();
    if (!nsp.isEmpty() && !nsp.startsWith(QLatin1Char('/')))
        return tr("The Socket.IO namespace must start with /, like /chat.");
    const QString auth = m_auth->text().trimmed();
    if (auth.isEmpty())
        return {};
    if (const auto problem = JsonText::check(auth))
        return tr("The Socket.IO auth is not JSON: %1").arg(problem->message);
    if (!auth.startsWith(QLatin1Char('{')))
        return tr("The Socket.IO auth is a JSON object, like {\"token\":\"abc\"}.");
    return {};
}
