#include "probe/conformancepanel.h"

#include "common/palettecolors.h"
#include "log/capture.h"
#include "probe/conformancecatalogue.h"
#include "probe/conformancereport.h"
#include "probe/conformanceresultsmodel.h"
#include "probe/conformancerunner.h"
#include "probe/conformanceserver.h"
#include "text/displaytext.h"

#include <QCheckBox>
#include <QComboBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QRadioButton>
#include <QSaveFile>
#include <QSpinBox>
#include <QStyledItemDelegate>
#include <QTreeView>
#include <QVBoxLayout>

namespace {

// Verdicts in colour, from the palette: green OK, red FAILED, muted for what does not count.
class VerdictDelegate : public QStyledItemDelegate {
public:
    using QStyledItemDelegate::QStyledItemDelegate;

protected:
    void initStyleOption(QStyleOptionViewItem *option, const QModelIndex &index) const override
    {
        QStyledItemDelegate::initStyleOption(option, index);
        if (index.column() != ConformanceResultsModel::VerdictColumn)
            return;
        using State = ConformanceResultsModel::State;
        const auto state = State(index.data(ConformanceResultsModel::StateRole).toInt());
        const QPalette &palette = option->palette;
        QColor color;
        switch (state) {
        case State::Ok:
            color = PaletteColors::statusColor(palette, true, QPalette::Base);
            break;
        case State::Failed:
            color = PaletteColors::statusColor(palette, false, QPalette::Base);
            break;
        case State::NonStrict:
            // Between the two: allowed, but not what a strict peer does.
            color = PaletteColors::mix(PaletteColors::statusColor(palette, false, QPalette::Base),
                                       PaletteColors::statusColor(palette, true, QPalette::Base), 0.45);
            break;
        case State::Informational:
        case State::Unimplemented:
        case State::Pending:
        case State::Running:
            color = PaletteColors::mutedColor(palette, 0.4, QPalette::Text, QPalette::Base);
            break;
        }
        option->palette.setColor(QPalette::Text, color);
    }
};

} // namespace

ConformancePanel::ConformancePanel(ConformanceRunner *runner, ConformanceResultsModel *results, QWidget *parent)
    : QWidget(parent)
    , m_runner(runner)
    , m_results(results)
{
    auto *intro = new QLabel(tr("Runs the conformance catalogue (%1 cases, numbered as Autobahn|Testsuite numbers "
                                "them) and grades each reaction as OK, NON-STRICT, FAILED, INFORMATIONAL or "
                                "UNIMPLEMENTED, with the close graded apart.")
                                 .arg(ConformanceCatalogue::all().size()),
                             this);
    intro->setWordWrap(true);

    m_testServer = new QRadioButton(tr("Test the server at the URL"), this);
    m_testServer->setObjectName(QStringLiteral("testServer"));
    m_testClients = new QRadioButton(tr("Test clients on port"), this);
    m_testClients->setObjectName(QStringLiteral("testClients"));
    m_testServer->setChecked(true);
    m_port = new QSpinBox(this);
    m_port->setObjectName(QStringLiteral("clientPort"));
    m_port->setRange(0, 65535);
    m_port->setValue(9001);
    m_port->setToolTip(tr("Where clients under test connect (9001 is Autobahn's fuzzing server's; 0: any free port)"));
    m_target = new QLabel(this);
    m_target->setTextFormat(Qt::PlainText);
    m_target->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_target->setWordWrap(true);

    m_cases = new QLineEdit(this);
    m_cases->setObjectName(QStringLiteral("casePatterns"));
    m_cases->setPlaceholderText(tr("every case, or e.g. 6.4.*, 7.*, 12.1.1"));
    m_cases->setClearButtonEnabled(true);
    m_timed = new QCheckBox(tr("Timed sections (9, 12, 13: minutes)"), this);
    m_timed->setToolTip(tr("Large messages, and thousands of compressed ones. A pattern naming them runs them too."));
    m_jobs = new QSpinBox(this);
    m_jobs->setRange(1, 64);
    m_jobs->setValue(4);
    m_jobs->setToolTip(tr("Cases run at once, each on its own connection; timed cases run alone"));
    m_agents = new QComboBox(this);
    m_agents->setToolTip(tr("The client whose results are shown (its driver's agent name)"));
    m_agents->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_agents->setMinimumContentsLength(12);

    m_run = new QPushButton(tr("Run"), this);
    m_run->setObjectName(QStringLiteral("runConformance"));
    m_cancel = new QPushButton(tr("Stop"), this);
    m_cancel->setObjectName(QStringLiteral("stopConformance"));
    m_save = new QPushButton(tr("Save report..."), this);
    m_save->setObjectName(QStringLiteral("saveConformanceReport"));
    m_status = new QLabel(this);
    m_status->setTextFormat(Qt::PlainText);
    m_status->setWordWrap(true);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);

    m_tree = new QTreeView(this);
    m_tree->setModel(m_results);
    m_tree->setItemDelegate(new VerdictDelegate(m_tree));
    m_tree->setUniformRowHeights(true);
    m_tree->setAlternatingRowColors(true);
    m_tree->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_tree->header()->setStretchLastSection(true);
    // Wide enough for "6.4 Failing fast on invalid UTF-8" and "NON-STRICT so far"; the details
    // take the rest.
    const QFontMetrics metrics = m_tree->fontMetrics();
    m_tree->setColumnWidth(ConformanceResultsModel::CaseColumn, metrics.horizontalAdvance(QStringLiteral("00.00 Failing fast on inva")));
    m_tree->setColumnWidth(ConformanceResultsModel::VerdictColumn, metrics.horizontalAdvance(QStringLiteral("NON-STRICT so far")) + 12);
    m_tree->setColumnWidth(ConformanceResultsModel::CloseColumn, metrics.horizontalAdvance(QStringLiteral("WRONG CODE")) + 12);
    m_tree->setColumnWidth(ConformanceResultsModel::TimeColumn, metrics.horizontalAdvance(QStringLiteral("00,000 ms")) + 12);
    m_tree->setToolTip(tr("Double-click a case to open its wire log"));
    connect(m_tree, &QTreeView::activated, this, &ConformancePanel::openCase);

    auto *modeRow = new QHBoxLayout;
    modeRow->addWidget(m_testServer);
    modeRow->addSpacing(12);
    modeRow->addWidget(m_testClients);
    modeRow->addWidget(m_port);
    modeRow->addStretch(1);
    auto *casesRow = new QHBoxLayout;
    casesRow->addWidget(new QLabel(tr("Cases"), this));
    casesRow->addWidget(m_cases, 1);
    casesRow->addWidget(new QLabel(tr("At once"), this));
    casesRow->addWidget(m_jobs);
    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_timed);
    buttons->addStretch(1);
    buttons->addWidget(m_agents);
    buttons->addWidget(m_run);
    buttons->addWidget(m_cancel);
    buttons->addWidget(m_save);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(intro);
    layout->addLayout(modeRow);
    layout->addWidget(m_target);
    layout->addLayout(casesRow);
    layout->addLayout(buttons);
    layout->addWidget(m_status);
    layout->addWidget(m_tree, 1);

    connect(m_testServer, &QRadioButton::toggled, this, &ConformancePanel::updateState);
    connect(m_port, &QSpinBox::valueChanged, this, &ConformancePanel::updateState);
    connect(m_run, &QPushButton::clicked, this, &ConformancePanel::start);
    connect(m_cancel, &QPushButton::clicked, this, &ConformancePanel::cancel);
    connect(m_save, &QPushButton::clicked, this, [this] {
        const QString path = QFileDialog::getSaveFileName(this, tr("Save conformance report"),
                                                          QStringLiteral("conformance-report.html"),
                                                          tr("HTML (*.html);;JSON (*.json);;Markdown (*.md)"));
        if (!path.isEmpty())
            saveReport(path);
    });
    // The list shows agent names by the display rule; each item's data is the name itself.
    connect(m_agents, &QComboBox::activated, this, [this](int index) {
        m_agentChosenByUser = true;
        const QString agent = m_agents->itemData(index).toString();
        if (agent != m_agent)
            showAgent(agent);
    });
    connect(m_runner, &ConformanceRunner::caseStarted, this, [this](int index) {
        m_results->setRunning(index);
        updateState();
    });
    connect(m_runner, &ConformanceRunner::caseFinished, this, [this](int index, const Conformance::CaseResult &r) {
        m_results->setResult(index, r);
        updateState();
    });
    connect(m_runner, &ConformanceRunner::finished, this, &ConformancePanel::noteRunEnded);
    updateState();
}

ConformancePanel::~ConformancePanel()
{
    delete m_server.data();
}

ConformanceServer *ConformancePanel::clientServer() const
{
    return m_server;
}

void ConformancePanel::setUrl(const QUrl &url)
{
    m_url = url;
    updateState();
}

bool ConformancePanel::testingClients() const
{
    return m_testClients->isChecked();
}

bool ConformancePanel::start()
{
    m_error.clear();
    const bool ok = testingClients() ? startClientTesting() : startServerTesting();
    updateState();
    return ok;
}

QList<Conformance::Case> ConformancePanel::chosenCases()
{
    const QStringList patterns = ConformanceCatalogue::parsePatterns(m_cases->text());
    QString error;
    if (ConformanceCatalogue::select(patterns, &error).isEmpty()) {
        m_error = error;
        return {};
    }
    const QList<Conformance::Case> cases = ConformanceCatalogue::forRun(patterns, m_timed->isChecked());
    if (cases.isEmpty())
        m_error = tr("Every case chosen is timed: tick \"Timed sections\" to run them.");
    return cases;
}

bool ConformancePanel::startServerTesting()
{
    const QList<Conformance::Case> cases = chosenCases();
    if (cases.isEmpty())
        return false;
    ConformanceOptions options;
    options.connection.url = m_url;
    options.jobs = m_jobs->value();
    m_agent.clear();
    m_results->setCases(cases);
    m_started = QDateTime::currentDateTimeUtc();
    m_clock.start();
    if (!m_runner->run(cases, options)) {
        m_error = m_runner->errorString();
        m_results->clear();
        return false;
    }
    return true;
}

bool ConformancePanel::startClientTesting()
{
    const QList<Conformance::Case> cases = chosenCases();
    if (cases.isEmpty())
        return false;
    stopClientTesting();
    m_server = new ConformanceServer(cases, this);
    if (!m_server->listen(QHostAddress::LocalHost, quint16(m_port->value()))) {
        m_error = tr("Cannot listen on port %1: %2").arg(m_port->value()).arg(m_server->errorString());
        delete m_server.data();
        return false;
    }
    m_agent.clear();
    m_agentChosenByUser = false;
    m_agents->clear();
    m_results->setCases(m_server->cases());
    connect(m_server, &ConformanceServer::caseStarted, this, [this](const QString &agent, int index) {
        int item = m_agents->findData(agent);
        if (item < 0) {
            m_agents->addItem(DisplayText::line(agent.toUtf8(), 60), agent);
            item = m_agents->count() - 1;
        }
        // The client running is shown, until the user picks one to stay on.
        if (agent != m_agent && !m_agentChosenByUser) {
            m_agents->setCurrentIndex(item);
            showAgent(agent);
        }
        if (agent == m_agent)
            m_results->setRunning(index);
        updateState();
    });
    connect(m_server, &ConformanceServer::caseFinished, this,
            [this](const QString &agent, int index, const Conformance::CaseResult &r) {
                if (agent == m_agent)
                    m_results->setResult(index, r);
                updateState();
            });
    connect(m_server, &ConformanceServer::refused, this, [this](const QString &target, const QString &reason) {
        m_status->setText(tr("Refused %1: %2").arg(DisplayText::quoted(target.toUtf8(), 80), reason));
    });
    return true;
}

void ConformancePanel::showAgent(const QString &agent)
{
    const ConformanceServer::AgentRun *run = m_server ? m_server->agent(agent) : nullptr;
    if (!run)
        return; // the server stopped: what is on show stays
    m_agent = agent;
    m_started = run->started;
    m_results->setCases(m_server->cases());
    for (int i = 0; i < run->results.size(); ++i)
        if (!run->results[i].id.isEmpty())
            m_results->setResult(i, run->results[i]);
    updateState();
}

void ConformancePanel::stopClientTesting()
{
    if (!m_server)
        return;
    // Nothing more from it, though it goes only when its sessions have unwound; the results stay
    // on show, its wire logs go with it.
    m_server->disconnect(this);
    m_server->deleteLater();
    m_server = nullptr;
    m_durationMs = m_started.isValid() ? m_started.msecsTo(QDateTime::currentDateTimeUtc()) : 0;
    m_results->stopRunning();
}

void ConformancePanel::noteRunEnded()
{
    m_durationMs = m_clock.isValid() ? m_clock.elapsed() : 0;
    m_results->stopRunning();
    updateState();
}

void ConformancePanel::cancel()
{
    stopClientTesting();
    m_runner->cancel(); // finished() follows: noteRunEnded()
    m_results->stopRunning();
    updateState();
}

Capture *ConformancePanel::capture(int caseIndex) const
{
    if (!m_agent.isEmpty()) {
        const ConformanceServer::AgentRun *run = m_server ? m_server->agent(m_agent) : nullptr;
        return run ? run->captures.value(caseIndex).data() : nullptr;
    }
    return m_runner->capture(caseIndex);
}

void ConformancePanel::openCase(const QModelIndex &index)
{
    const int caseIndex = index.siblingAtColumn(0).data(ConformanceResultsModel::CaseIndexRole).toInt();
    if (caseIndex < 0 || caseIndex >= m_results->cases().size())
        return;
    if (!capture(caseIndex)) {
        const Conformance::Case &c = m_results->cases()[caseIndex];
        if (m_results->results().value(caseIndex).id.isEmpty())
            m_status->setText(tr("Case %1 has not run yet.").arg(c.id));
        else
            m_status->setText(tr("The wire log of case %1 went with the stopped server.").arg(c.id));
        return;
    }
    const QString subject = m_agent.isEmpty() ? m_url.toString() : DisplayText::line(m_agent.toUtf8(), 40);
    Q_EMIT caseLogRequested(caseIndex, tr("Case %1 (%2)").arg(m_results->cases()[caseIndex].id, subject));
}

bool ConformancePanel::saveReport(const QString &path)
{
    const auto format = ConformanceReport::formatForFileName(path).value_or(ConformanceReport::Format::Html);
    ConformanceReport::Run run;
    run.subject = m_agent.isEmpty() ? m_url.toString() : DisplayText::line(m_agent.toUtf8(), 80);
    run.role = m_agent.isEmpty() ? QStringLiteral("server") : QStringLiteral("client");
    run.started = m_started;
    // Wall-clock time of the run (cases ran side by side); a client run still going, until now.
    run.durationMs = m_server && m_started.isValid() ? m_started.msecsTo(QDateTime::currentDateTimeUtc()) : m_durationMs;
    run.cases = m_results->cases();
    run.results = m_results->results();
    run.capture = [this](qsizetype index) { return capture(int(index)); };
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(ConformanceReport::write(run, format)) < 0 || !file.commit()) {
        m_status->setText(tr("Cannot save the report to %1: %2").arg(path, file.errorString()));
        return false;
    }
    m_status->setText(tr("Report saved to %1").arg(path));
    return true;
}

QString ConformancePanel::statusText() const
{
    return m_status->text();
}

void ConformancePanel::updateState()
{
    const bool clients = testingClients();
    const bool serving = m_server != nullptr;
    const bool running = m_runner->isRunning();
    const bool busy = running || serving;
    m_testServer->setEnabled(!busy);
    m_testClients->setEnabled(!busy);
    m_port->setEnabled(clients && !busy);
    m_cases->setEnabled(!busy);
    m_timed->setEnabled(!busy);
    m_jobs->setEnabled(!clients && !busy);
    m_agents->setVisible(clients);
    m_agents->setEnabled(serving && m_agents->count() > 1);
    m_run->setEnabled(!busy && (clients || !m_url.isEmpty()));
    m_cancel->setEnabled(busy);
    m_save->setEnabled(!running && m_results->finishedCount() > 0);
    if (clients)
        m_target->setText(serving ? tr("Listening on %1: run the client's Autobahn driver against it (it asks "
                                       "/getCaseCount, then /runCase?case=N&agent=NAME for each case).")
                                        .arg(m_server->url().toString())
                                  : tr("Clients under test connect to ws://127.0.0.1:%1 and echo every message.")
                                        .arg(m_port->value()));
    else
        m_target->setText(m_url.isEmpty() ? tr("Server: (none: enter a URL in the connection bar)")
                                          : tr("Server: %1 (it should echo every message)").arg(m_url.toString()));

    const int done = m_results->finishedCount();
    const int total = int(m_results->cases().size());
    if (!m_error.isEmpty())
        m_status->setText(m_error);
    else if (running)
        m_status->setText(tr("Running: %1 of %2 cases done, %3 failed so far.").arg(done).arg(total).arg(m_results->failedCount()));
    else if (!clients && m_runner->unreachable())
        m_status->setText(tr("The server could not be reached: %1").arg(m_runner->errorString()));
    else if (done > 0) {
        ConformanceReport::Run run;
        run.cases = m_results->cases();
        run.results = m_results->results();
        m_status->setText(ConformanceReport::summary(run));
    } else if (serving)
        m_status->setText(tr("Waiting for a client."));
    else
        m_status->clear();
}
