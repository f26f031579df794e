#include "inspect/memorybudgetdialog.h"

#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLocale>
#include <QPushButton>
#include <QRadioButton>
#include <QSpinBox>
#include <QVBoxLayout>

namespace {
constexpr quint64 MiB = 1 << 20;
}

MemoryBudgetDialog::MemoryBudgetDialog(const CaptureMemory *memory, QWidget *parent)
    : QDialog(parent)
    , m_memory(memory)
    , m_budget(new QSpinBox(this))
    , m_spill(new QRadioButton(tr("Move them to a file on disk; read back when shown"), this))
    , m_drop(new QRadioButton(tr("Drop payloads, with a count in the status bar and a mark in the log"), this))
    , m_figures(new QLabel(this))
{
    setWindowTitle(tr("Memory budget"));
    auto *intro = new QLabel(tr("The captures of every connection, relay and proxy share this budget: their "
                                "payloads, and a record of 56 bytes for each event. Beyond it, the oldest "
                                "leave memory (records, which say what happened, always go to the file):"),
        this);
    intro->setWordWrap(true);
    m_budget->setObjectName(QStringLiteral("memoryBudget"));
    m_budget->setRange(0, 1024 * 1024);
    m_budget->setSingleStep(256);
    m_budget->setSuffix(tr(" MiB"));
    m_budget->setSpecialValueText(tr("no limit"));
    m_budget->setToolTip(tr("Bytes of payloads and event records kept in memory, over all captures; 0 keeps "
                          "everything in memory"));
    m_spill->setObjectName(QStringLiteral("memorySpill"));
    m_spill->setToolTip(tr("The file is in your cache directory, readable by you only, and deleted when the "
                           "inspector exits"));
    m_drop->setObjectName(QStringLiteral("memoryDrop"));
    m_figures->setObjectName(QStringLiteral("memoryFigures"));
    m_figures->setWordWrap(true);
    m_figures->setTextFormat(Qt::PlainText);

    auto *form = new QFormLayout;
    form->addRow(tr("Keep in memory:"), m_budget);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    buttons->button(QDialogButtonBox::Ok)->setObjectName(QStringLiteral("memoryApply"));
    connect(buttons, &QDialogButtonBox::accepted, this, [this] {
        Q_EMIT applyRequested(budgetBytes(), policy());
        accept();
    });
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(intro);
    layout->addWidget(m_spill);
    layout->addWidget(m_drop);
    layout->addWidget(m_figures);
    layout->addWidget(buttons);
    connect(memory, &CaptureMemory::changed, this, &MemoryBudgetDialog::updateFigures);
    updateFigures();
    resize(480, sizeHint().height());
}

void MemoryBudgetDialog::setBudget(quint64 bytes, CaptureMemory::OverBudget policy)
{
    m_budget->setValue(int(bytes / MiB));
    (policy == CaptureMemory::OverBudget::DropOldest ? m_drop : m_spill)->setChecked(true);
}

quint64 MemoryBudgetDialog::budgetBytes() const
{
    return quint64(m_budget->value()) * MiB;
}

CaptureMemory::OverBudget MemoryBudgetDialog::policy() const
{
    return m_drop->isChecked() ? CaptureMemory::OverBudget::DropOldest : CaptureMemory::OverBudget::SpillToDisk;
}

QString MemoryBudgetDialog::figuresText() const
{
    return m_figures->text();
}

QString MemoryBudgetDialog::figures(const CaptureMemory &memory)
{
    if (memory.spilledBytes() == 0 && memory.droppedPayloads() == 0)
        return {};
    const QLocale locale;
    QStringList parts { tr("%1 in memory").arg(locale.formattedDataSize(qint64(memory.residentBytes()))) };
    if (memory.spilledBytes() > 0)
        parts << tr("%1 on disk").arg(locale.formattedDataSize(qint64(memory.spilledBytes())));
    if (memory.droppedPayloads() > 0)
        parts << tr("%1 payloads dropped (%2)")
                     .arg(locale.toString(qulonglong(memory.droppedPayloads())),
                         locale.formattedDataSize(qint64(memory.droppedBytes())));
    return parts.join(QStringLiteral(", "));
}

void MemoryBudgetDialog::updateFigures()
{
    const QString now = figures(*m_memory);
    QString text = now.isEmpty() ? tr("Now: everything is in memory (%1).")
                                       .arg(QLocale().formattedDataSize(qint64(m_memory->residentBytes())))
                                 : tr("Now: %1.").arg(now);
    if (!m_memory->lastError().isEmpty())
        text += QLatin1Char('\n') + m_memory->lastError();
    m_figures->setText(text);
}
