#include "probe/probereportmodel.h"
#include "text/displaytext.h"

#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>

namespace {

// Probes that got a verdict and whether it was `passed`; not-applicable ones count for neither.
int countPassed(const QList<ProbeResult> &results, bool passed)
{
    return int(std::count_if(results.cbegin(), results.cend(),
        [passed](const ProbeResult &r) { return !r.notApplicable && r.passed == passed; }));
}

int countNotApplicable(const QList<ProbeResult> &results)
{
    return int(std::count_if(results.cbegin(), results.cend(), [](const ProbeResult &r) { return r.notApplicable; }));
}

// A Markdown table cell: one line, pipes escaped (they would end the cell).
QString markdownCell(QString text)
{
    text.replace(QLatin1Char('\\'), QStringLiteral("\\\\"));
    text.replace(QLatin1Char('|'), QStringLiteral("\\|"));
    text.replace(QLatin1Char('\n'), QLatin1Char(' '));
    text.replace(QLatin1Char('\r'), QLatin1Char(' '));
    return text;
}

// RFC 4180: quoted when it holds a comma, a quote or a line break; quotes doubled.
QString csvField(const QString &text)
{
    if (!text.contains(QLatin1Char(',')) && !text.contains(QLatin1Char('"')) && !text.contains(QLatin1Char('\n'))
        && !text.contains(QLatin1Char('\r')))
        return text;
    QString quoted = text;
    quoted.replace(QLatin1Char('"'), QStringLiteral("\"\""));
    return QLatin1Char('"') + quoted + QLatin1Char('"');
}

QString summaryLine(const QList<ProbeResult> &results)
{
    QString line = QStringLiteral("%1 of %2 probes passed, %3 failed")
                       .arg(countPassed(results, true))
                       .arg(results.size())
                       .arg(countPassed(results, false));
    if (const int na = countNotApplicable(results))
        line += QStringLiteral(", %1 not applicable").arg(na);
    return line;
}

} // namespace

ProbeReportModel::ProbeReportModel(QObject *parent)
    : QAbstractTableModel(parent)
{
}

void ProbeReportModel::setPresets(const QList<ProbePresets::Preset> &presets, const RunInfo &info)
{
    beginResetModel();
    m_rows.clear();
    m_rows.reserve(presets.size());
    for (const ProbePresets::Preset &preset : presets) {
        Row row;
        row.preset = preset;
        m_rows.append(row);
    }
    m_info = info;
    endResetModel();
}

void ProbeReportModel::setRunning(int row)
{
    if (row < 0 || row >= m_rows.size())
        return;
    m_rows[row].state = State::Running;
    Q_EMIT dataChanged(index(row, 0), index(row, ColumnCount - 1));
}

void ProbeReportModel::setResult(int row, const ProbeResult &result)
{
    if (row < 0 || row >= m_rows.size())
        return;
    Row &r = m_rows[row];
    r.result = result;
    r.state = result.notApplicable ? State::NotApplicable : result.passed ? State::Passed : State::Failed;
    Q_EMIT dataChanged(index(row, 0), index(row, ColumnCount - 1));
}

void ProbeReportModel::clear()
{
    beginResetModel();
    m_rows.clear();
    m_info = {};
    endResetModel();
}

QList<ProbeResult> ProbeReportModel::results() const
{
    QList<ProbeResult> list;
    for (const Row &row : m_rows) {
        if (row.state == State::Passed || row.state == State::Failed || row.state == State::NotApplicable)
            list.append(row.result);
    }
    return list;
}

int ProbeReportModel::passedCount() const
{
    return int(std::count_if(m_rows.cbegin(), m_rows.cend(), [](const Row &r) { return r.state == State::Passed; }));
}

int ProbeReportModel::notApplicableCount() const
{
    return int(
        std::count_if(m_rows.cbegin(), m_rows.cend(), [](const Row &r) { return r.state == State::NotApplicable; }));
}

int ProbeReportModel::failedCount() const
{
    return int(std::count_if(m_rows.cbegin(), m_rows.cend(), [](const Row &r) { return r.state == State::Failed; }));
}

int ProbeReportModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int ProbeReportModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(ColumnCount);
}

QVariant ProbeReportModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Row &row = m_rows[index.row()];
    const bool done = row.state == State::Passed || row.state == State::Failed || row.state == State::NotApplicable;
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case PresetColumn:
            return row.preset.title;
        case ExpectedColumn: {
            // The expectation is known before the probe runs; the result carries the same preset.
            ProbeResult pending;
            pending.preset = row.preset;
            return pending.expectedText();
        }
        case SeenColumn:
            return done ? row.result.seenText() : row.state == State::Running ? tr("running…") : QString();
        case VerdictColumn:
            // Not verdictText(): that one writes the report files, which stay untranslated.
            return done ? (row.result.notApplicable ? tr("N/A") : row.result.passed ? tr("PASS") : tr("FAIL")) : QString();
        }
        return {};
    case Qt::ToolTipRole:
        switch (index.column()) {
        case PresetColumn:
            return QStringLiteral("%1 (%2 §%3)\n%4")
                .arg(row.preset.id, row.preset.rfcDocument, row.preset.rfcSection, row.preset.description);
        case ExpectedColumn:
            return row.preset.expected.text;
        default:
            return done ? QVariant(DisplayText::toolTip(row.result.why)) : QVariant();
        }
    case StateRole:
        return int(row.state);
    case PassedRole:
        return done && !row.result.notApplicable ? QVariant(row.result.passed) : QVariant();
    case PresetIdRole:
        return row.preset.id;
    case RfcSectionRole:
        return row.preset.rfcSection;
    case ReactionRole:
        return done ? ProbeResult::reactionName(row.result.reaction) : QString();
    case WhyRole:
        return done ? row.result.why : QString();
    }
    return {};
}

QVariant ProbeReportModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case PresetColumn:
        return tr("Probe");
    case ExpectedColumn:
        return tr("Expected");
    case SeenColumn:
        return tr("Seen");
    case VerdictColumn:
        return tr("Verdict");
    }
    return {};
}

QHash<int, QByteArray> ProbeReportModel::roleNames() const
{
    QHash<int, QByteArray> names = QAbstractTableModel::roleNames();
    names.insert(StateRole, "state");
    names.insert(PassedRole, "passed");
    names.insert(PresetIdRole, "presetId");
    names.insert(RfcSectionRole, "rfcSection");
    names.insert(ReactionRole, "reaction");
    names.insert(WhyRole, "why");
    return names;
}

QByteArray ProbeReportModel::formatReport(const QList<ProbeResult> &results, Format format, const RunInfo &info)
{
    switch (format) {
    case Format::Markdown:
        return toMarkdown(results, info);
    case Format::Csv:
        return toCsv(results, info);
    case Format::Json:
        return toJson(results, info);
    }
    return {};
}

QByteArray ProbeReportModel::toMarkdown(const QList<ProbeResult> &results, const RunInfo &info)
{
    QString out = QStringLiteral("# WebSocket probe report\n\n");
    if (!info.url.isEmpty())
        out += QStringLiteral("- Server: `%1`\n").arg(info.url.toString());
    if (info.started.isValid())
        out += QStringLiteral("- Started: %1\n").arg(info.started.toUTC().toString(Qt::ISODate));
    if (info.timeoutMs > 0)
        out += QStringLiteral("- Timeout per probe: %1 ms\n").arg(info.timeoutMs);
    if (!info.tool.isEmpty())
        out += QStringLiteral("- Tool: %1\n").arg(info.tool);
    out += QStringLiteral("- Result: %1\n\n").arg(summaryLine(results));
    out += QStringLiteral("| # | Probe | RFC 6455 | Expected | Seen | Verdict |\n");
    out += QStringLiteral("|---|-------|----------|----------|------|---------|\n");
    for (qsizetype i = 0; i < results.size(); ++i) {
        const ProbeResult &r = results[i];
        out += QStringLiteral("| %1 | `%2` %3 | §%4 | %5 | %6 | **%7** |\n")
                   .arg(i + 1)
                   .arg(r.preset.id, markdownCell(r.preset.title), r.preset.rfcSection, markdownCell(r.expectedText()),
                       markdownCell(r.seenText()), r.verdictText());
    }
    return out.toUtf8();
}

QByteArray ProbeReportModel::toCsv(const QList<ProbeResult> &results, const RunInfo &info)
{
    Q_UNUSED(info); // one table, no room for run details: the file name carries them
    QString out = QStringLiteral("index,id,title,rfc_section,expected,seen,reaction,verdict,why\r\n");
    for (qsizetype i = 0; i < results.size(); ++i) {
        const ProbeResult &r = results[i];
        const QStringList fields = { QString::number(i + 1), csvField(r.preset.id), csvField(r.preset.title),
            csvField(r.preset.rfcSection), csvField(r.expectedText()), csvField(r.seenText()),
            ProbeResult::reactionName(r.reaction), r.verdictText(), csvField(r.why) };
        out += fields.join(QLatin1Char(',')) + QStringLiteral("\r\n");
    }
    return out.toUtf8();
}

QByteArray ProbeReportModel::toJson(const QList<ProbeResult> &results, const RunInfo &info)
{
    QJsonObject root;
    if (!info.tool.isEmpty())
        root.insert(QStringLiteral("tool"), info.tool);
    root.insert(QStringLiteral("url"), info.url.toString());
    if (info.started.isValid())
        root.insert(QStringLiteral("started"), info.started.toUTC().toString(Qt::ISODateWithMs));
    root.insert(QStringLiteral("timeoutMs"), info.timeoutMs);
    QJsonObject summary;
    summary.insert(QStringLiteral("total"), int(results.size()));
    summary.insert(QStringLiteral("passed"), countPassed(results, true));
    summary.insert(QStringLiteral("failed"), countPassed(results, false));
    summary.insert(QStringLiteral("notApplicable"), countNotApplicable(results));
    root.insert(QStringLiteral("summary"), summary);
    QJsonArray probes;
    for (const ProbeResult &r : results)
        probes.append(r.toJson());
    root.insert(QStringLiteral("probes"), probes);
    return QJsonDocument(root).toJson(QJsonDocument::Indented);
}

std::optional<ProbeReportModel::Format> ProbeReportModel::formatForFileName(const QString &fileName)
{
    const QString suffix = QFileInfo(fileName).suffix().toLower();
    if (suffix == QLatin1String("md") || suffix == QLatin1String("markdown"))
        return Format::Markdown;
    if (suffix == QLatin1String("csv"))
        return Format::Csv;
    if (suffix == QLatin1String("json"))
        return Format::Json;
    return std::nullopt;
}
