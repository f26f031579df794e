#include "inspect/replaydialog.h"

#include "log/capturefiles.h"
#include "net/clientconnection.h"
#include "net/clientsession.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QTableWidget>
#include <QVBoxLayout>

ReplayDialog::ReplayDialog(QWidget *parent)
    : QDialog(parent)
    , m_path(new QLineEdit(this))
    , m_connection(new QComboBox(this))
    , m_target(new QLineEdit(this))
    , m_timing(new QComboBox(this))
    , m_ignore(new QLineEdit(this))
    , m_quiet(new QSpinBox(this))
    , m_replay(new QPushButton(tr("&Replay"), this))
    , m_status(new QLabel(this))
    , m_rows(new QTableWidget(0, 4, this))
{
    setObjectName(QStringLiteral("replayDialog"));
    setWindowTitle(tr("Replay a recorded conversation"));

    m_path->setObjectName(QStringLiteral("recording"));
    m_path->setReadOnly(true);
    m_path->setPlaceholderText(tr("a session file (.jsonl) or a HAR export"));
    auto *browse = new QPushButton(tr("&Open\u2026"), this);
    connect(browse, &QPushButton::clicked, this, [this] {
        const QStringList filters = CaptureFiles::readFilters();
        const QString path = QFileDialog::getOpenFileName(this, tr("Recording to replay"), QFileInfo(m_recordingPath).path(),
                                                          filters.join(QStringLiteral(";;")));
        if (!path.isEmpty())
            setRecording(path);
    });
    auto *pathRow = new QHBoxLayout;
    pathRow->addWidget(m_path, 1);
    pathRow->addWidget(browse);
    m_connection->setObjectName(QStringLiteral("connection"));
    m_target->setObjectName(QStringLiteral("target"));
    m_target->setPlaceholderText(tr("ws://host:port/path or wss://\u2026"));
    m_timing->setObjectName(QStringLiteral("timing"));
    m_timing->addItem(tr("As recorded: each message at its time after OPEN"), int(ReplayRunner::Timing::Recorded));
    m_timing->addItem(tr("Fast: one after the other at once"), int(ReplayRunner::Timing::Fast));
    m_ignore->setObjectName(QStringLiteral("ignore"));
    m_ignore->setPlaceholderText(tr("nothing; e.g. [0-9]{13} for a timestamp"));
    m_ignore->setToolTip(tr("A regular expression: the parts of text answers it matches may differ (masked on both "
                            "sides before comparing)"));
    m_quiet->setObjectName(QStringLiteral("quiet"));
    m_quiet->setRange(50, 600'000);
    m_quiet->setSuffix(tr(" ms"));
    m_quiet->setValue(2'000);
    m_quiet->setToolTip(tr("Once every message is sent, the replay closes when the server has said nothing this long"));

    auto *form = new QFormLayout;
    form->addRow(tr("Recording:"), pathRow);
    form->addRow(tr("Co&nversation:"), m_connection);
    form->addRow(tr("Send to:"), m_target);
    form->addRow(tr("&Timing:"), m_timing);
    form->addRow(tr("&Ignore in answers:"), m_ignore);
    form->addRow(tr("&Close when quiet for:"), m_quiet);

    m_status->setObjectName(QStringLiteral("status"));
    m_status->setWordWrap(true);
    m_status->setTextFormat(Qt::PlainText);
    m_rows->setObjectName(QStringLiteral("rows"));
    m_rows->setHorizontalHeaderLabels({ tr("Answer"), tr("#"), tr("Recorded"), tr("Replayed") });
    m_rows->verticalHeader()->hide();
    m_rows->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_rows->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_rows->horizontalHeader()->setSectionResizeMode(0, QHeaderView::ResizeToContents);
    m_rows->horizontalHeader()->setSectionResizeMode(1, QHeaderView::ResizeToContents);
    m_rows->horizontalHeader()->setSectionResizeMode(2, QHeaderView::Stretch);
    m_rows->horizontalHeader()->setSectionResizeMode(3, QHeaderView::Stretch);
    m_rows->setMinimumHeight(160);

    m_replay->setObjectName(QStringLiteral("replay"));
    m_replay->setDefault(true);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    buttons->addButton(m_replay, QDialogButtonBox::ActionRole);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_replay, &QPushButton::clicked, this, &ReplayDialog::requestReplay);

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(m_status);
    layout->addWidget(m_rows, 1);
    layout->addWidget(buttons);
    resize(760, 520);
}

bool ReplayDialog::setRecording(const QString &path)
{
    m_recording.clear();
    m_connection->clear();
    m_recordingPath = path;
    m_path->setText(path);
    const SessionFileReader::Result read = CaptureFiles::load(path, m_recording);
    if (!read.opened || m_recording.count() == 0) {
        setStatus(read.errors.isEmpty() ? tr("Nothing could be read from %1").arg(path)
                                        : tr("Nothing could be read from %1: %2").arg(path, read.errors.first()));
        return false;
    }
    for (const quint32 id : ReplayScript::connectionsIn(m_recording)) {
        const auto script = ReplayScript::fromCapture(m_recording, id, nullptr);
        if (!script)
            continue;
        m_connection->addItem(tr("#%1 %2: %n message(s) sent", nullptr, int(script->sends.size()))
                                  .arg(id)
                                  .arg(script->path.isEmpty() ? QStringLiteral("/") : script->path),
                              id);
    }
    setStatus(read.errors.isEmpty()
            ? QString()
            : tr("%n part(s) of the file could not be read and were skipped; the first: %1", nullptr, int(read.badLines))
                  .arg(read.errors.first()));
    return m_connection->count() > 0;
}

void ReplayDialog::setTarget(const QUrl &url)
{
    m_target->setText(url.toString());
}

QUrl ReplayDialog::target() const
{
    return QUrl(m_target->text().trimmed(), QUrl::StrictMode);
}

std::optional<ReplayScript> ReplayDialog::script(QString *error) const
{
    if (m_connection->count() == 0) {
        if (error)
            *error = m_recordingPath.isEmpty() ? tr("Open a recording first") : tr("The recording holds no conversation");
        return std::nullopt;
    }
    auto script = ReplayScript::fromCapture(m_recording, m_connection->currentData().toUInt(), error);
    if (script && script->sends.isEmpty()) {
        if (error)
            *error = tr("Its client sent no message: nothing to replay");
        return std::nullopt;
    }
    return script;
}

void ReplayDialog::requestReplay()
{
    QString why;
    const auto chosen = script(&why);
    if (!chosen) {
        setStatus(why);
        return;
    }
    const QString problem = ClientConnection::urlProblem(target());
    if (!problem.isEmpty()) {
        setStatus(tr("Send to: %1").arg(problem));
        return;
    }
    const QRegularExpression ignore(m_ignore->text());
    if (!m_ignore->text().isEmpty() && !ignore.isValid()) {
        setStatus(tr("Ignore in answers: not a regular expression: %1").arg(ignore.errorString()));
        return;
    }
    Q_EMIT replayRequested(target(), chosen->subprotocols);
}

void ReplayDialog::follow(ClientSession *session)
{
    QString why;
    auto chosen = script(&why);
    if (!chosen)
        return;
    ReplayRunner::Settings settings;
    settings.timing = ReplayRunner::Timing(m_timing->currentData().toInt());
    settings.quietMs = m_quiet->value();
    if (!m_ignore->text().isEmpty())
        settings.ignore << QRegularExpression(m_ignore->text());
    m_runner.reset();
    m_replayTarget = std::make_unique<SessionReplayTarget>(session);
    m_runner = std::make_unique<ReplayRunner>(*chosen, m_replayTarget.get(), settings);
    connect(m_runner.get(), &ReplayRunner::finished, this, &ReplayDialog::showResult);
    m_rows->setRowCount(0);
    m_replay->setEnabled(false);
    setStatus(tr("Replaying %n message(s) on %1\u2026", nullptr, int(chosen->sends.size())).arg(session->title()));
    m_runner->start();
}

void ReplayDialog::showResult()
{
    m_replay->setEnabled(true);
    const MessageDiff &diff = m_runner->diff();
    const auto &recorded = m_runner->script().answers;
    const auto &replayed = m_runner->replayed();
    m_rows->setRowCount(int(diff.rows().size()));
    const QColor different = palette().color(QPalette::Highlight);
    for (int i = 0; i < diff.rows().size(); ++i) {
        const MessageDiff::Row &row = diff.rows()[i];
        QString kind;
        switch (row.kind) {
        case MessageDiff::Kind::Same:
            kind = tr("same");
            break;
        case MessageDiff::Kind::Different:
            kind = tr("different");
            break;
        case MessageDiff::Kind::Missing:
            kind = tr("missing");
            break;
        case MessageDiff::Kind::Extra:
            kind = tr("extra");
            break;
        }
        const QStringList cells { kind, row.recorded >= 0 ? QString::number(row.recorded + 1) : QString(),
                                  row.recorded >= 0 ? MessageDiff::shown(recorded[row.recorded]) : QString(),
                                  row.replayed >= 0 ? MessageDiff::shown(replayed[row.replayed]) : QString() };
        for (int column = 0; column < cells.size(); ++column) {
            auto *item = new QTableWidgetItem(cells[column]);
            item->setToolTip(cells[column]);
            if (row.kind != MessageDiff::Kind::Same && column == 0) {
                QFont bold = item->font();
                bold.setBold(true);
                item->setFont(bold);
                item->setForeground(different);
            }
            m_rows->setItem(i, column, item);
        }
    }
    QString text = tr("The server's answers: %1.").arg(diff.summary());
    if (!m_runner->problem().isEmpty())
        text = m_runner->problem() + QLatin1Char('\n') + text;
    else if (diff.allSame())
        text += QLatin1Char(' ') + tr("The server answered as recorded.");
    setStatus(text);
    Q_EMIT replayFinished();
}

void ReplayDialog::setStatus(const QString &text)
{
    m_status->setText(text);
}

QString ReplayDialog::statusText() const
{
    return m_status->text();
}
