#pragma once

#include <QRegularExpression>
#include <QSet>
#include <QSortFilterProxyModel>
#include <QTimer>

#include <vector>

class MessageLogModel;
struct WireEvent;

// Filters the message log by direction, by type and by text or regular expression over the whole
// payload (not only the preview). The source must be a MessageLogModel: the search reads payloads
// through MessageLogModel::eventAt(), without copying them into QVariants.
//
// Searching a million payloads takes longer than a frame. Above IncrementalRows rows (or
// IncrementalBytes of payload) a new search runs in slices of about SliceMs on the event loop (the previous filter stays in place meanwhile)
// and applies at once when every row has been looked at: typing never freezes the window.
class MessageLogFilter : public QSortFilterProxyModel {
    Q_OBJECT
public:
    enum class SearchMode { PlainText, RegularExpression };
    static constexpr int IncrementalRows = 20'000;
    static constexpr quint64 IncrementalBytes = 8 << 20;
    static constexpr int SliceMs = 8;

    explicit MessageLogFilter(QObject *parent = nullptr);

    void setSourceModel(QAbstractItemModel *model) override;

    // Directions to show (Direction values); all by default.
    void setDirectionVisible(int direction, bool visible);
    bool isDirectionVisible(int direction) const;
    // Type names as MessageLogModel::typeName() gives them; an empty set shows every type.
    void setVisibleTypes(const QSet<QString> &types);
    QSet<QString> visibleTypes() const { return m_types; }
    // Plain text is matched case-insensitively. Returns false (and keeps the previous filter) when
    // a regular expression does not compile; searchError() then says why. On a large log the new
    // search applies when searchFinished() is emitted; on a small one before this returns.
    bool setSearch(const QString &text, SearchMode mode);
    QString searchError() const { return m_searchError; }
    bool isSearching() const { return m_scanTimer.isActive(); }
    int searchProgress() const; // percent of the rows a running search has looked at

Q_SIGNALS:
    void searchProgressed(int percent);
    void searchFinished();

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const override;

private:
    struct Search {
        QString text;
        SearchMode mode = SearchMode::PlainText;
        QRegularExpression regex;
        QByteArray lowerUtf8; // for ASCII needles: byte search without decoding payloads
        bool ascii = true;
        bool matches(QByteArrayView payload) const;
    };
    bool rowMatches(const Search &search, int row, const WireEvent &e) const;
    void apply(Search search, std::vector<bool> matches);
    void scanSlice();
    void forgetMatches();

    MessageLogModel *m_log = nullptr;
    quint8 m_directions = 0x7;
    QSet<QString> m_types;
    Search m_search; // the search in effect
    std::vector<bool> m_matches; // m_search's verdict for the first rows, when a scan computed it
    Search m_scanSearch; // the search being computed
    std::vector<bool> m_scanMatches;
    int m_scanNext = 0;
    QTimer m_scanTimer;
    QString m_searchError;
};
