#pragma once

#include "probe/conformanceresult.h"

#include <QAbstractItemModel>

// A conformance run as a tree, the way Autobahn's report reads: sections, then the groups inside
// them (6.4, 12.3), then the cases, each with its verdict, close verdict and time as they arrive.
// A section's or group's row counts what its cases did so far ("141 OK, 4 NON-STRICT"). Widget-free:
// the Conformance dock shows it. Wiring: ConformanceRunner (or ConformanceServer, for one agent)
// caseStarted -> setRunning(), caseFinished -> setResult().
class ConformanceResultsModel : public QAbstractItemModel {
    Q_OBJECT
public:
    enum Column { CaseColumn, VerdictColumn, CloseColumn, TimeColumn, DescriptionColumn, ColumnCount };
    // What a row's verdict is, for colour: a case's own, a section's or group's worst so far.
    enum class State { Pending, Running, Ok, NonStrict, Failed, Informational, Unimplemented };
    Q_ENUM(State)
    enum Role {
        StateRole = Qt::UserRole + 1, // State, as int
        CaseIndexRole, // int: the case's index in cases(); -1 on section and group rows
    };

    explicit ConformanceResultsModel(QObject *parent = nullptr);

    // A new run of these cases, all pending.
    void setCases(const QList<Conformance::Case> &cases);
    void setRunning(int caseIndex);
    void setResult(int caseIndex, const Conformance::CaseResult &result);
    // The run stopped: the cases in progress will not finish (a cancelled run reports none).
    void stopRunning();
    void clear() { setCases({}); }

    const QList<Conformance::Case> &cases() const { return m_cases; }
    // By case index; an empty id: not finished.
    const QList<Conformance::CaseResult> &results() const { return m_results; }
    int finishedCount() const { return m_finished; }
    int failedCount() const { return m_failed; }
    // The row of a case (column 0), for selecting and scrolling to it.
    QModelIndex indexOfCase(int caseIndex) const;

    QModelIndex index(int row, int column, const QModelIndex &parent = {}) const override;
    QModelIndex parent(const QModelIndex &child) const override;
    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    // Verdicts counted below a section or group row, for its summary and colour.
    struct Tally {
        int counts[5] = {}; // by Conformance::Verdict
        int running = 0;
        int finished = 0;
        int total = 0;
    };
    struct Node {
        int parent = -1; // node index; -1: top level
        int row = 0; // among its parent's children
        QList<int> children; // node indexes
        int caseIndex = -1; // a case row; -1: a section or group
        QString key; // "6" or "6.4" for sections and groups
        Tally tally;
    };

    int addNode(int parent, int caseIndex, const QString &key);
    const Node *nodeOf(const QModelIndex &index) const;
    State stateOf(const Node &node) const;
    QString summaryOf(const Tally &tally) const;
    void updateCase(int caseIndex, int runningDelta, std::optional<Conformance::Verdict> verdict);

    QList<Conformance::Case> m_cases;
    QList<Conformance::CaseResult> m_results;
    QList<bool> m_running;
    QList<Node> m_nodes;
    QList<int> m_topLevel; // section nodes
    QList<int> m_caseNode; // by case index
    int m_finished = 0;
    int m_failed = 0;
};
