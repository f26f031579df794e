#include "probe/conformanceresultsmodel.h"

#include "probe/conformancecatalogue.h"
#include "text/displaytext.h"

#include <QHash>

using namespace Conformance;

ConformanceResultsModel::ConformanceResultsModel(QObject *parent)
    : QAbstractItemModel(parent)
{
}

void ConformanceResultsModel::setCases(const QList<Case> &cases)
{
    beginResetModel();
    m_cases = cases;
    m_results = QList<CaseResult>(cases.size());
    m_running = QList<bool>(cases.size(), false);
    m_nodes.clear();
    m_topLevel.clear();
    m_caseNode = QList<int>(cases.size(), -1);
    m_finished = 0;
    m_failed = 0;
    QHash<QString, int> sections;
    QHash<QString, int> groups;
    for (int i = 0; i < cases.size(); ++i) {
        const Case &c = cases[i];
        const QString section = c.section();
        int parent = sections.value(section, -1);
        if (parent < 0) {
            parent = addNode(-1, -1, section);
            sections.insert(section, parent);
        }
        // Groups only where a section has them (6.4, 12.3); 2.10 sits in its section.
        const QString group = c.group();
        if (group != section) {
            int groupNode = groups.value(group, -1);
            if (groupNode < 0) {
                groupNode = addNode(parent, -1, group);
                groups.insert(group, groupNode);
            }
            parent = groupNode;
        }
        m_caseNode[i] = addNode(parent, i, QString());
        for (int n = parent; n >= 0; n = m_nodes[n].parent)
            ++m_nodes[n].tally.total;
    }
    endResetModel();
}

int ConformanceResultsModel::addNode(int parent, int caseIndex, const QString &key)
{
    Node node;
    node.parent = parent;
    node.caseIndex = caseIndex;
    node.key = key;
    QList<int> &siblings = parent < 0 ? m_topLevel : m_nodes[parent].children;
    node.row = int(siblings.size());
    const int id = int(m_nodes.size());
    siblings << id;
    m_nodes << node;
    return id;
}

void ConformanceResultsModel::setRunning(int caseIndex)
{
    if (caseIndex < 0 || caseIndex >= m_cases.size() || m_running[caseIndex] || !m_results[caseIndex].id.isEmpty())
        return;
    m_running[caseIndex] = true;
    updateCase(caseIndex, +1, std::nullopt);
}

void ConformanceResultsModel::stopRunning()
{
    for (int i = 0; i < m_running.size(); ++i)
        if (m_running[i]) {
            m_running[i] = false;
            updateCase(i, -1, std::nullopt);
        }
}

void ConformanceResultsModel::setResult(int caseIndex, const CaseResult &result)
{
    if (caseIndex < 0 || caseIndex >= m_cases.size())
        return;
    const bool wasRunning = m_running[caseIndex];
    m_running[caseIndex] = false;
    if (!m_results[caseIndex].id.isEmpty()) { // a case run again (a client driver may): recount it
        const Verdict old = m_results[caseIndex].verdict;
        for (int n = m_nodes[m_caseNode[caseIndex]].parent; n >= 0; n = m_nodes[n].parent) {
            --m_nodes[n].tally.counts[int(old)];
            --m_nodes[n].tally.finished;
        }
        --m_finished;
        m_failed -= old == Verdict::Failed;
    }
    m_results[caseIndex] = result;
    ++m_finished;
    m_failed += result.verdict == Verdict::Failed;
    updateCase(caseIndex, wasRunning ? -1 : 0, result.verdict);
}

void ConformanceResultsModel::updateCase(int caseIndex, int runningDelta, std::optional<Verdict> verdict)
{
    const int caseNode = m_caseNode[caseIndex];
    const QModelIndex row = createIndex(m_nodes[caseNode].row, 0, quintptr(caseNode));
    Q_EMIT dataChanged(row, row.siblingAtColumn(ColumnCount - 1));
    for (int n = m_nodes[caseNode].parent; n >= 0; n = m_nodes[n].parent) {
        Tally &t = m_nodes[n].tally;
        t.running += runningDelta;
        if (verdict) {
            ++t.counts[int(*verdict)];
            ++t.finished;
        }
        const QModelIndex summary = createIndex(m_nodes[n].row, 0, quintptr(n));
        Q_EMIT dataChanged(summary, summary.siblingAtColumn(ColumnCount - 1));
    }
}

QModelIndex ConformanceResultsModel::indexOfCase(int caseIndex) const
{
    if (caseIndex < 0 || caseIndex >= m_caseNode.size())
        return {};
    const int node = m_caseNode[caseIndex];
    return createIndex(m_nodes[node].row, 0, quintptr(node));
}

const ConformanceResultsModel::Node *ConformanceResultsModel::nodeOf(const QModelIndex &index) const
{
    if (!index.isValid() || index.model() != this || index.internalId() >= quintptr(m_nodes.size()))
        return nullptr;
    return &m_nodes[int(index.internalId())];
}

QModelIndex ConformanceResultsModel::index(int row, int column, const QModelIndex &parent) const
{
    if (column < 0 || column >= ColumnCount || row < 0)
        return {};
    const QList<int> *children = &m_topLevel;
    if (parent.isValid()) {
        const Node *p = nodeOf(parent);
        if (!p)
            return {};
        children = &p->children;
    }
    if (row >= children->size())
        return {};
    return createIndex(row, column, quintptr(children->at(row)));
}

QModelIndex ConformanceResultsModel::parent(const QModelIndex &child) const
{
    const Node *node = nodeOf(child);
    if (!node || node->parent < 0)
        return {};
    return createIndex(m_nodes[node->parent].row, 0, quintptr(node->parent));
}

int ConformanceResultsModel::rowCount(const QModelIndex &parent) const
{
    if (!parent.isValid())
        return int(m_topLevel.size());
    if (parent.column() != 0)
        return 0;
    const Node *node = nodeOf(parent);
    return node ? int(node->children.size()) : 0;
}

int ConformanceResultsModel::columnCount(const QModelIndex &) const
{
    return ColumnCount;
}

ConformanceResultsModel::State ConformanceResultsModel::stateOf(const Node &node) const
{
    if (node.caseIndex >= 0) {
        const CaseResult &r = m_results[node.caseIndex];
        if (r.id.isEmpty())
            return m_running[node.caseIndex] ? State::Running : State::Pending;
        return State(int(State::Ok) + int(r.verdict));
    }
    // The worst verdict so far speaks for the section or group; informational cases never fail, so
    // they speak only when nothing else has.
    const Tally &t = node.tally;
    for (Verdict v : { Verdict::Failed, Verdict::NonStrict, Verdict::Unimplemented, Verdict::Ok, Verdict::Informational })
        if (t.counts[int(v)] > 0)
            return State(int(State::Ok) + int(v));
    return t.running > 0 ? State::Running : State::Pending;
}

QString ConformanceResultsModel::summaryOf(const Tally &t) const
{
    if (t.finished == 0)
        return t.running > 0 ? tr("running") : QString();
    QStringList parts;
    for (Verdict v : { Verdict::Ok, Verdict::NonStrict, Verdict::Failed, Verdict::Informational, Verdict::Unimplemented })
        if (t.counts[int(v)] > 0)
            parts << QStringLiteral("%1 %2").arg(t.counts[int(v)]).arg(verdictName(v));
    QString text = parts.join(QStringLiteral(", "));
    if (t.finished < t.total)
        text = tr("%1 of %2: %3").arg(t.finished).arg(t.total).arg(text);
    return text;
}

QVariant ConformanceResultsModel::data(const QModelIndex &index, int role) const
{
    const Node *node = nodeOf(index);
    if (!node)
        return {};
    if (role == StateRole)
        return int(stateOf(*node));
    if (role == CaseIndexRole)
        return node->caseIndex;
    const int column = index.column();
    if (node->caseIndex < 0) { // a section or group
        if (role != Qt::DisplayRole && role != Qt::ToolTipRole)
            return {};
        const bool section = node->parent < 0;
        const QString title = section ? ConformanceCatalogue::sectionTitle(node->key) : ConformanceCatalogue::groupTitle(node->key);
        switch (column) {
        case CaseColumn:
            return QStringLiteral("%1 %2").arg(node->key, title);
        case VerdictColumn: { // the worst so far; the counts go where there is room
            const State state = stateOf(*node);
            if (state == State::Pending)
                return QString();
            if (state == State::Running)
                return tr("running");
            const QString worst = verdictName(Verdict(int(state) - int(State::Ok)));
            return node->tally.finished < node->tally.total ? tr("%1 so far").arg(worst) : worst;
        }
        case DescriptionColumn:
            return summaryOf(node->tally);
        default:
            return {};
        }
    }
    const Case &c = m_cases[node->caseIndex];
    const CaseResult &r = m_results[node->caseIndex];
    const bool done = !r.id.isEmpty();
    if (role == Qt::ToolTipRole) {
        QString tip = tr("%1: %2\nExpected: %3").arg(c.id, c.description, c.expectation);
        if (done) // the result sentences quote the peer's bytes
            tip += tr("\nResult: %1\nClose: %2").arg(r.result, r.resultClose);
        return DisplayText::toolTip(tip);
    }
    if (role != Qt::DisplayRole)
        return {};
    switch (column) {
    case CaseColumn:
        return c.id;
    case VerdictColumn:
        return done ? verdictName(r.verdict) : m_running[node->caseIndex] ? tr("running") : QString();
    case CloseColumn:
        return done ? closeVerdictName(r.closeVerdict) : QString();
    case TimeColumn:
        return done && r.seen.opened ? tr("%L1 ms").arg(r.seen.durationMs) : QString();
    case DescriptionColumn:
        return done && r.verdict != Verdict::Ok ? r.result : c.description;
    default:
        return {};
    }
}

QVariant ConformanceResultsModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case CaseColumn:
        return tr("Case");
    case VerdictColumn:
        return tr("Result");
    case CloseColumn:
        return tr("Close");
    case TimeColumn:
        return tr("Time");
    case DescriptionColumn:
        return tr("Details");
    default:
        return {};
    }
}
