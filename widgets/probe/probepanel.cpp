#include "probe/probepanel.h"

#include "probe/probereportmodel.h"
#include "probe/proberunner.h"
#include "probe/probepresets.h"

#include <QFile>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QSpinBox>
#include <QTableView>
#include <QVBoxLayout>

ProbePanel::ProbePanel(ProbeRunner *runner, ProbeReportModel *report, QWidget *parent)
    : QWidget(parent)
    , m_runner(runner)
    , m_report(report)
{
    auto *intro = new QLabel(tr("Sends each classic conformance probe (reserved bits, bad opcodes, oversized "
                                "or fragmented control frames, invalid UTF-8, bad close codes, unmasked "
                                "frames, data after close) on a fresh connection and compares the "
                                "server's reaction with what RFC 6455 asks of it."),
        this);
    intro->setWordWrap(true);
    m_target = new QLabel(this);
    m_target->setTextFormat(Qt::PlainText);
    m_target->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_timeout = new QSpinBox(this);
    m_timeout->setRange(100, 60'000);
    m_timeout->setSingleStep(500);
    m_timeout->setValue(2'000);
    m_timeout->setSuffix(tr(" ms"));
    m_timeout->setToolTip(tr("How long to wait for the server's reaction to each probe"));
    m_run = new QPushButton(tr("Run probes"), this);
    m_run->setObjectName(QStringLiteral("runProbes"));
    m_cancel = new QPushButton(tr("Cancel"), this);
    m_save = new QPushButton(tr("Save report..."), this);
    m_save->setObjectName(QStringLiteral("saveReport"));
    m_status = new QLabel(this);
    m_status->setTextFormat(Qt::PlainText);
    m_status->setWordWrap(true);

    m_table = new QTableView(this);
    m_table->setModel(m_report);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setWordWrap(false);
    m_table->verticalHeader()->hide();
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->horizontalHeader()->setSectionResizeMode(ProbeReportModel::PresetColumn, QHeaderView::Interactive);
    m_table->setColumnWidth(ProbeReportModel::PresetColumn, 210);
    m_table->setColumnWidth(ProbeReportModel::ExpectedColumn, 150);
    m_table->setColumnWidth(ProbeReportModel::SeenColumn, 150);
    m_table->setToolTip(tr("Double-click a probe to see its wire log"));
    connect(m_table, &QTableView::doubleClicked, this, [this](const QModelIndex &index) {
        if (index.isValid())
            Q_EMIT probeLogRequested(index.row());
    });

    auto *row = new QHBoxLayout;
    row->addWidget(new QLabel(tr("Wait"), this));
    row->addWidget(m_timeout);
    row->addStretch(1);
    row->addWidget(m_run);
    row->addWidget(m_cancel);
    row->addWidget(m_save);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(intro);
    layout->addWidget(m_target);
    layout->addLayout(row);
    layout->addWidget(m_status);
    layout->addWidget(m_table, 1);

    connect(m_run, &QPushButton::clicked, this, &ProbePanel::start);
    connect(m_cancel, &QPushButton::clicked, this, &ProbePanel::cancel);
    connect(m_save, &QPushButton::clicked, this, [this] {
        const QString path = QFileDialog::getSaveFileName(this, tr("Save probe report"),
            QStringLiteral("probe-report.md"), QStringLiteral("Markdown (*.md);;CSV (*.csv);;JSON (*.json)"));
        if (!path.isEmpty())
            saveReport(path);
    });
    connect(m_runner, &ProbeRunner::probeStarted, this, [this](int index) {
        m_report->setRunning(index);
        updateState();
    });
    connect(m_runner, &ProbeRunner::probeFinished, this, [this](int index, const ProbeResult &result) {
        m_report->setResult(index, result);
        updateState();
    });
    connect(m_runner, &ProbeRunner::finished, this, &ProbePanel::updateState);
    updateState();
}

void ProbePanel::setUrl(const QUrl &url)
{
    m_url = url;
    updateState();
}

bool ProbePanel::start()
{
    const QList<ProbePresets::Preset> presets = ProbePresets::all();
    ProbeOptions options;
    options.timeoutMs = m_timeout->value();
    ProbeRunInfo info;
    info.url = m_url;
    info.started = QDateTime::currentDateTimeUtc();
    info.timeoutMs = options.timeoutMs;
    info.tool = QStringLiteral("WebSocket Inspector");
    m_report->setPresets(presets, info);
    const bool ok = m_runner->run(m_url, presets, options);
    if (!ok)
        m_report->clear();
    updateState();
    if (!ok)
        m_status->setText(m_runner->errorString());
    return ok;
}

void ProbePanel::cancel()
{
    m_runner->cancel();
    updateState();
}

bool ProbePanel::saveReport(const QString &path)
{
    const auto format = ProbeReportModel::formatForFileName(path).value_or(ProbeReportModel::Format::Markdown);
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate) || file.write(m_report->exportReport(format)) < 0) {
        m_status->setText(tr("Cannot save the report to %1: %2").arg(path, file.errorString()));
        return false;
    }
    m_status->setText(tr("Report saved to %1").arg(path));
    return true;
}

QString ProbePanel::statusText() const
{
    return m_status->text();
}

void ProbePanel::updateState()
{
    const bool running = m_runner->isRunning();
    m_target->setText(m_url.isEmpty() ? tr("Server: (none: enter a URL in the connection bar)")
                                      : tr("Server: %1").arg(m_url.toString()));
    m_run->setEnabled(!running && !m_url.isEmpty());
    m_cancel->setEnabled(running);
    const int notApplicable = m_report->notApplicableCount();
    const int done = m_report->passedCount() + m_report->failedCount();
    m_save->setEnabled(!running && done + notApplicable > 0);
    m_timeout->setEnabled(!running);
    if (running)
        m_status->setText(tr("Probing: %1 of %2 done, %3 failed so far")
                              .arg(done)
                              .arg(m_report->rowCount())
                              .arg(m_report->failedCount()));
    else if (m_runner->unreachable())
        m_status->setText(tr("The server could not be reached: %1").arg(m_runner->errorString()));
    else if (done > 0) {
        QString status = m_report->failedCount() == 0
            ? tr("All %1 probes passed: the server reacted as RFC 6455 asks.").arg(done)
            : tr("%1 of %2 probes failed: the server does not react as RFC 6455 asks.")
                  .arg(m_report->failedCount())
                  .arg(done);
        if (notApplicable > 0)
            status += QLatin1Char(' ')
                + tr("%1 not applicable: the server does not do permessage-deflate.").arg(notApplicable);
        m_status->setText(status);
    }
}
