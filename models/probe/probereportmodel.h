#pragma once

#include "probe/proberesult.h"

#include <QAbstractTableModel>
#include <QDateTime>
#include <QUrl>
#include <optional>

// What a saved report says about its run, besides the rows.
struct ProbeRunInfo {
    QUrl url;
    QDateTime started;
    int timeoutMs = 0;
    QString tool; // "wsinspector-cli 0.1.0"
};

// The report of a "probe the server" run: one row per preset, expected vs seen, and the verdict.
// Widget-free; the GUI shows it in a table view and saves it, the CLI only uses the exporters.
// Wiring (GUI): ProbeRunner::probeStarted -> setRunning(), probeFinished -> setResult().
class ProbeReportModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { PresetColumn, ExpectedColumn, SeenColumn, VerdictColumn, ColumnCount };
    enum class State { Pending, Running, Passed, Failed, NotApplicable };
    Q_ENUM(State)
    enum Role {
        StateRole = Qt::UserRole + 1, // State, as int
        PassedRole, // bool; invalid until the probe finished
        PresetIdRole, // QString
        RfcSectionRole, // QString
        ReactionRole, // QString: ProbeResult::reactionName(); empty until finished
        WhyRole, // QString: the verdict in a sentence
    };
    enum class Format { Markdown, Csv, Json };

    using RunInfo = ProbeRunInfo;

    explicit ProbeReportModel(QObject *parent = nullptr);

    // A new run: one pending row per preset.
    void setPresets(const QList<ProbePresets::Preset> &presets, const RunInfo &info = {});
    void setRunning(int row);
    void setResult(int row, const ProbeResult &result);
    void clear();

    const RunInfo &runInfo() const { return m_info; }
    // The finished probes, in row order.
    QList<ProbeResult> results() const;
    int passedCount() const;
    int failedCount() const;
    int notApplicableCount() const; // probes of something optional the server does not do

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;

    QByteArray exportReport(Format format) const { return formatReport(results(), format, m_info); }
    // The exporters, usable without a model (the CLI): UTF-8 text of the whole report.
    static QByteArray formatReport(const QList<ProbeResult> &results, Format format, const RunInfo &info);
    static QByteArray toMarkdown(const QList<ProbeResult> &results, const RunInfo &info);
    static QByteArray toCsv(const QList<ProbeResult> &results, const RunInfo &info);
    static QByteArray toJson(const QList<ProbeResult> &results, const RunInfo &info);
    // From a file name's extension: .md/.markdown, .csv, .json; nullopt otherwise.
    static std::optional<Format> formatForFileName(const QString &fileName);

private:
    struct Row {
        ProbePresets::Preset preset;
        State state = State::Pending;
        ProbeResult result;
    };
    QList<Row> m_rows;
    RunInfo m_info;
};
