#pragma once

#include "log/capturememory.h"

#include <QDialog>

class QLabel;
class QRadioButton;
class QSpinBox;

// Log → Memory Budget: how many MiB of payloads the captures may keep in memory, and whether the
// oldest beyond that go to disk (read back when shown) or are dropped (counted, and marked in the
// log). Shows what the budget is doing now. Applying is the caller's (applyRequested), which also
// keeps the setting.
class MemoryBudgetDialog : public QDialog {
    Q_OBJECT
public:
    explicit MemoryBudgetDialog(const CaptureMemory *memory, QWidget *parent = nullptr);

    void setBudget(quint64 bytes, CaptureMemory::OverBudget policy); // the fields' values
    quint64 budgetBytes() const;
    CaptureMemory::OverBudget policy() const;
    QString figuresText() const;

    // "1.0 GiB in memory, 2.3 GiB on disk, 12 payloads dropped (3.1 MiB)": what the status bar
    // shows too; empty while everything is in memory.
    static QString figures(const CaptureMemory &memory);

Q_SIGNALS:
    void applyRequested(quint64 bytes, CaptureMemory::OverBudget policy);

private:
    void updateFigures();

    const CaptureMemory *m_memory;
    QSpinBox *m_budget;
    QRadioButton *m_spill;
    QRadioButton *m_drop;
    QLabel *m_figures;
};
